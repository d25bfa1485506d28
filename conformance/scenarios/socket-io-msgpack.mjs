// socket.io-client 4.8 with socket.io-msgpack-parser against the Socket.IO test application run
// with the MessagePack parser (Java: SocketIoOptions.parser(MSGPACK); Node: PARSER=msgpack).
import { io, Manager } from "socket.io-client";
import msgpackParser from "socket.io-msgpack-parser";
import { assert, assertEqual, bytes, collect, never, once } from "./util.mjs";

const connect = async (url, opts = {}, nsp = "/") => {
  const socket = io(url + (nsp === "/" ? "" : nsp), { forceNew: true, reconnection: false, parser: msgpackParser, ...opts });
  const [auth] = await once(socket, "auth");
  assert(socket.connected, "connected");
  return { socket, auth };
};

/** Emits with an ack (callback style) and resolves with every argument of the answer. */
const ack = (socket, event, ...args) => new Promise((resolve, reject) => {
  socket.timeout(3000).emit(event, ...args, (err, ...answer) => (err ? reject(err) : resolve(answer)));
});

/** Records whether every Engine.IO message the client receives is binary (MessagePack). */
function watchMessages(socket) {
  const seen = { text: 0, binary: 0 };
  const watch = (engine) => engine.on("packet", (p) => {
    if (p.type === "message") typeof p.data === "string" ? seen.text++ : seen.binary++;
  });
  if (socket.io.engine) watch(socket.io.engine);
  socket.io.on("open", () => watch(socket.io.engine));
  return seen;
}

async function echoes(url, transports) {
  const socket = io(url, { forceNew: true, reconnection: false, parser: msgpackParser, transports });
  const seen = watchMessages(socket);
  const [auth] = await once(socket, "auth");
  assertEqual(auth, {}, "auth payload");
  assertEqual(await ack(socket, "echo", "hi", 42, { a: [1, 2.5, null, true] }), ["hi", 42, { a: [1, 2.5, null, true] }], "ack");
  const got = once(socket, "echo");
  socket.emit("echo", "no-ack", -7);
  assertEqual(await got, ["no-ack", -7], "event");
  assert(seen.binary >= 3 && seen.text === 0, `only binary messages: ${JSON.stringify(seen)}`);
  socket.disconnect();
}

export const socketIoMsgpackScenarios = {
  async "emit and ack over polling"(url) {
    await echoes(url, ["polling"]);
  },

  async "emit and ack over websocket"(url) {
    await echoes(url, ["websocket"]);
  },

  async "emit and ack across the upgrade"(url) {
    const { socket } = await connect(url);
    if (socket.io.engine.transport.name !== "websocket") await once(socket.io.engine, "upgrade");
    assertEqual(await ack(socket, "echo", "after upgrade"), ["after upgrade"], "ack after upgrade");
    socket.disconnect();
  },

  async "server acks the client's answer"(url) {
    const { socket } = await connect(url);
    socket.on("question", (n, answer) => answer(n + 1));
    assertEqual(await ack(socket, "server-ack", 2000), [{ ok: true, answer: 43 }], "server-side emitWithAck");
    socket.disconnect();
  },

  async "binary both ways"(url) {
    const { socket } = await connect(url, { transports: ["websocket"] });
    const [buf, text] = await ack(socket, "echo", Buffer.from([1, 2, 3, 0, 255]), "t");
    assertEqual(bytes(buf), [1, 2, 3, 0, 255], "binary echoed");
    assertEqual(text, "t", "text beside binary");
    const nested = await ack(socket, "echo", { file: { name: "a", content: Buffer.from([9]) }, list: [Buffer.alloc(0)] });
    assertEqual(bytes(nested[0].file.content), [9], "nested binary");
    assertEqual(bytes(nested[0].list[0]), [], "empty binary");
    socket.on("question", (n, answer) => answer(Buffer.from([7, 8])));
    assertEqual(await ack(socket, "server-ack-binary", 2000), [{ ok: true, bytes: [7, 8] }], "binary answer to the server");
    const got = once(socket, "binary");
    socket.emit("send-binary");
    const [payload] = await got;
    assertEqual(bytes(payload.data), [0, 1, 2, 253, 254, 255], "server-sent binary");
    socket.disconnect();
  },

  async "binary over polling"(url) {
    const { socket } = await connect(url, { transports: ["polling"] });
    const [buf] = await ack(socket, "echo", Buffer.from([0, 128, 255]));
    assertEqual(bytes(buf), [0, 128, 255], "binary echoed over polling");
    socket.disconnect();
  },

  async "namespaces and auth"(url) {
    const { socket, auth } = await connect(url, { auth: { token: "abc", n: 1 } }, "/custom");
    assertEqual(auth, { token: "abc", n: 1 }, "auth payload");
    socket.disconnect();
    const manager = new Manager(url, { reconnection: false, parser: msgpackParser });
    const main = manager.socket("/");
    const custom = manager.socket("/custom");
    await Promise.all([once(main, "auth"), once(custom, "auth")]);
    assertEqual(await ack(main, "echo", "m"), ["m"], "main works beside /custom");
    const dyn = manager.socket("/dyn-7");
    assertEqual(await once(dyn, "hello"), ["/dyn-7"], "dynamic namespace");
    const unknown = manager.socket("/nope");
    const [err] = await once(unknown, "connect_error");
    assertEqual(err.message, "Invalid namespace", "unknown namespace");
    main.disconnect(); custom.disconnect(); dyn.disconnect(); unknown.disconnect();
  },

  async "connect_error from a middleware carries message and data"(url) {
    const bad = io(url + "/private", { forceNew: true, reconnection: false, parser: msgpackParser, auth: { token: "nope" } });
    const [err] = await once(bad, "connect_error");
    assertEqual([err.message, err.data], ["unauthorized", { code: "BAD_TOKEN" }], "connect_error");
    bad.disconnect();
    const good = io(url + "/private", { forceNew: true, reconnection: false, parser: msgpackParser, auth: { token: "secret" } });
    assertEqual(await once(good, "welcome"), ["private"], "accepted with the right token");
    good.disconnect();
  },

  async "broadcast to a room"(url) {
    const [a, b, c] = await Promise.all([connect(url), connect(url), connect(url)]).then((r) => r.map((x) => x.socket));
    assertEqual(await ack(b, "join", "r"), [true], "b joins");
    assertEqual(await ack(c, "join", "r"), [true], "c joins");
    assertEqual(await ack(a, "join", "r"), [true], "a joins");
    const both = Promise.all([once(b, "room-message"), once(c, "room-message")]);
    const notSender = never(a, "room-message", 300);
    assertEqual(await ack(a, "to-room", "r", { n: 1, bin: Buffer.from([5]) }), [true], "to-room acked");
    const [[mb], [mc]] = await both;
    assertEqual([mb.n, bytes(mb.bin), mc.n, bytes(mc.bin)], [1, [5], 1, [5]], "both members got the broadcast");
    await notSender;
    const onlyC = once(c, "room-message");
    const notB = never(b, "room-message", 300);
    assertEqual(await ack(a, "to-room-except", "r", b.id, "x"), [true], "to-room-except acked");
    assertEqual(await onlyC, ["x"], "c got it");
    await notB;
    [a, b, c].forEach((s) => s.disconnect());
  },

  async "disconnect by the server"(url) {
    const { socket } = await connect(url);
    const reason = once(socket, "disconnect");
    socket.emit("disconnect-me", false);
    assertEqual((await reason)[0], "io server disconnect", "reason");
  },

  async "a text message closes the connection"(url) {
    const { socket } = await connect(url, { transports: ["websocket"] });
    const reason = once(socket, "disconnect");
    socket.io.engine.send('2["x"]'); // what the default parser would send: not MessagePack
    assertEqual((await reason)[0], "transport close", "closed by the server");
  },

  async "connection state recovery replays missed packets"(url) {
    // Recovery on (the harness turns it on for this scenario only): the CONNECT carries pid and
    // offset, and every event an offset, all inside the MessagePack maps.
    const a = io(url, { forceNew: true, parser: msgpackParser, reconnectionDelay: 500, reconnectionDelayMax: 500, randomizationFactor: 0 });
    await once(a, "auth");
    assertEqual(a.recovered, false, "first connection is not recovered");
    await ack(a, "join", "rec");
    const firstId = a.id;
    const { socket: b } = await connect(url);
    const dropped = once(a, "disconnect");
    const reconnected = once(a, "connect", 8000);
    const missed = once(a, "room-message", 8000);
    a.io.engine.close();
    await dropped;
    await ack(b, "to-room", "rec", Buffer.from([1, 2]));
    await reconnected;
    assertEqual([a.recovered, a.id], [true, firstId], "recovered with the same id");
    const [payload] = await missed;
    assertEqual(bytes(payload), [1, 2], "missed binary packet");
    a.close(); b.close();
  },

  async "many events in order"(url) {
    const { socket } = await connect(url);
    const got = collect(socket, "echo", 50);
    for (let i = 0; i < 50; i++) socket.emit("echo", i);
    assertEqual(await got, Array.from({ length: 50 }, (_, i) => i), "order");
    socket.disconnect();
  },
};
