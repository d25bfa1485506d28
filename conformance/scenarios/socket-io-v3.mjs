// socket.io-client 3.1 (npm alias socket.io-client-v3, Engine.IO v4 with engine.io-client 4.1 and
// socket.io-parser 4.0) against the Socket.IO test application. The 3.x client has no timeout()
// and no emitWithAck: acks are plain callbacks, with our own deadline.
import { io, Manager } from "socket.io-client-v3";
import { assert, assertEqual, bytes, control, never, once } from "./util.mjs";

const connect = async (url, opts = {}, nsp = "/") => {
  const socket = io(url + (nsp === "/" ? "" : nsp), { forceNew: true, reconnection: false, ...opts });
  const [auth] = await once(socket, "auth");
  assert(socket.connected, "connected");
  return { socket, auth };
};

/** Emits with an ack callback and resolves with every argument of the answer, or fails after 3 s. */
const ack = (socket, event, ...args) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no ack for '${event}' within 3 s`)), 3000);
  socket.emit(event, ...args, (...answer) => {
    clearTimeout(timer);
    resolve(answer);
  });
});

async function echoes(url, transports) {
  const { socket, auth } = await connect(url, { transports, auth: { token: "v3" } });
  assertEqual(auth, { token: "v3" }, "auth payload");
  assert(typeof socket.id === "string" && socket.id !== socket.io.engine.id, `socket id ${socket.id}`);
  assertEqual(await ack(socket, "echo", "hi", 42, { a: [1, 2] }), ["hi", 42, { a: [1, 2] }], "ack");
  const got = once(socket, "echo");
  socket.emit("echo", "no-ack");
  assertEqual(await got, ["no-ack"], "event");
  const [buf] = await ack(socket, "echo", Buffer.from([0, 128, 255]));
  assertEqual(bytes(buf), [0, 128, 255], "binary on this transport");
  assertEqual(socket.io.engine.transport.name, transports[0], "transport");
  socket.disconnect();
}

export const socketIoV3Scenarios = {
  async "polling"(url) {
    await echoes(url, ["polling"]);
  },

  async "websocket"(url) {
    await echoes(url, ["websocket"]);
  },

  async "upgrade from polling to websocket"(url) {
    const { socket } = await connect(url);
    const upgraded = socket.io.engine.transport.name === "websocket" ? Promise.resolve() : once(socket.io.engine, "upgrade");
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(ack(socket, "echo", i));
    await upgraded;
    assertEqual(await Promise.all(answers), Array.from({ length: 20 }, (_, i) => [i]), "acks across the upgrade");
    assertEqual(socket.io.engine.transport.name, "websocket", "upgraded");
    socket.disconnect();
  },

  async "acks both ways"(url) {
    const { socket } = await connect(url);
    assertEqual(await ack(socket, "message-with-ack", 1, "2", [3]), [1, "2", [3]], "client → server ack");
    socket.on("question", (n, answer) => answer(n + 1));
    assertEqual(await ack(socket, "server-ack", 2000), [{ ok: true, answer: 43 }], "server → client ack");
    socket.disconnect();
  },

  async "binary both ways"(url) {
    const { socket } = await connect(url);
    const [buf, text] = await ack(socket, "echo", Buffer.from([1, 2, 3]), "t");
    assertEqual([bytes(buf), text], [[1, 2, 3], "t"], "binary ack");
    socket.on("question", (n, answer) => answer(Buffer.from([4, 5, 6])));
    assertEqual(await ack(socket, "server-ack-binary", 2000), [{ ok: true, bytes: [4, 5, 6] }], "binary answer");
    const got = once(socket, "binary");
    socket.emit("send-binary");
    const [payload] = await got;
    assertEqual(bytes(payload.data), [0, 1, 2, 253, 254, 255], "server-sent binary");
    socket.disconnect();
  },

  async "namespaces"(url) {
    const manager = new Manager(url, { reconnection: false });
    const main = manager.socket("/");
    const custom = manager.socket("/custom", { auth: { n: 3 } });
    const [[, ], [customAuth]] = await Promise.all([once(main, "auth"), once(custom, "auth")]);
    assertEqual(customAuth, { n: 3 }, "per-namespace auth");
    assertEqual(main.io.engine.id, custom.io.engine.id, "one Engine.IO session");
    assertEqual(await ack(main, "echo", "m"), ["m"], "main works");
    const dyn = manager.socket("/dyn-3");
    assertEqual(await once(dyn, "hello"), ["/dyn-3"], "dynamic namespace");
    const unknown = manager.socket("/nope");
    const [err] = await once(unknown, "connect_error");
    assertEqual(err.message, "Invalid namespace", "unknown namespace");
    custom.disconnect();
    assertEqual(await ack(main, "echo", "still"), ["still"], "main stays after /custom leaves");
    main.disconnect(); dyn.disconnect(); unknown.disconnect();
  },

  async "auth and connect_error"(url) {
    const bad = io(url + "/private", { forceNew: true, reconnection: false, auth: { token: "nope" } });
    const [err] = await once(bad, "connect_error");
    assertEqual([err.message, err.data], ["unauthorized", { code: "BAD_TOKEN" }], "connect_error");
    assert(!bad.connected, "not connected");
    bad.disconnect();
    const good = io(url + "/private", { forceNew: true, reconnection: false, auth: { token: "secret" } });
    assertEqual(await once(good, "welcome"), ["private"], "accepted with the right token");
    good.disconnect();
  },

  async "rooms and broadcast"(url) {
    const [a, b] = await Promise.all([connect(url), connect(url)]).then((r) => r.map((x) => x.socket));
    assertEqual(await ack(b, "join", "r3"), [true], "b joins");
    assertEqual(await ack(a, "join", "r3"), [true], "a joins");
    const got = once(b, "room-message");
    const notSender = never(a, "room-message", 300);
    assertEqual(await ack(a, "to-room", "r3", { x: 1 }), [true], "to-room acked");
    assertEqual(await got, [{ x: 1 }], "b got the broadcast");
    await notSender;
    a.disconnect(); b.disconnect();
  },

  async "disconnect reasons"(url) {
    const { socket: s1 } = await connect(url);
    const r1 = once(s1, "disconnect");
    s1.emit("disconnect-me", false);
    assertEqual((await r1)[0], "io server disconnect", "server-side disconnect");
    const { socket: s2 } = await connect(url);
    const r2 = once(s2, "disconnect");
    s2.disconnect();
    assertEqual((await r2)[0], "io client disconnect", "client-side disconnect");
  },

  async "reconnection after a server restart"(url) {
    const socket = io(url, { forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 200 });
    await once(socket, "auth");
    const firstId = socket.id;
    const reason = once(socket, "disconnect", 8000);
    await control("restart-server");
    const [why] = await reason;
    assert(why === "transport close" || why === "transport error", `reason ${why}`);
    await once(socket, "auth", 8000);
    assert(socket.connected && socket.id !== firstId, "reconnected with a new id");
    assertEqual(await ack(socket, "echo", "back"), ["back"], "works again");
    socket.close();
  },
};
