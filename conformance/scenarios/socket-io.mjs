// socket.io-client 4.8 against the Socket.IO test application (see README.md in this directory).
import net from "node:net";
import { io, Manager } from "socket.io-client";
import { assert, assertEqual, bytes, collect, control, delay, never, once } from "./util.mjs";

const connect = async (url, opts = {}, nsp = "/") => {
  const socket = io(url + (nsp === "/" ? "" : nsp), { forceNew: true, reconnection: false, ...opts });
  const [auth] = await once(socket, "auth");
  assert(socket.connected, "connected");
  return { socket, auth };
};

const closeAll = (...sockets) => sockets.forEach((s) => s.disconnect());

/** Emits with an ack and resolves with every argument of the answer (emitWithAck keeps only the first). */
const ack = (socket, event, ...args) => new Promise((resolve, reject) => {
  socket.timeout(3000).emit(event, ...args, (err, ...answer) => (err ? reject(err) : resolve(answer)));
});

async function echoes(url, transports) {
  const { socket } = await connect(url, { transports });
  assertEqual(await ack(socket, "echo", "hi", 42, { a: [1, 2] }), ["hi", 42, { a: [1, 2] }], "ack");
  assertEqual(await socket.timeout(3000).emitWithAck("echo", "single"), "single", "emitWithAck");
  const got = once(socket, "echo");
  socket.emit("echo", "no-ack");
  assertEqual(await got, ["no-ack"], "event");
  return socket;
}

/** A TCP proxy that can stop forwarding server → client bytes (a silent, half-dead server). */
function silencingProxy(target) {
  const { hostname, port } = new URL(target);
  const state = { silent: false, sockets: [] };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    state.sockets.push(client, upstream);
    client.on("data", (d) => upstream.write(d));
    upstream.on("data", (d) => { if (!state.silent) client.write(d); });
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    // A silent server stays silent: its closing the connection must not reach the client either.
    upstream.on("close", () => { if (!state.silent) client.destroy(); });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    state.url = `http://127.0.0.1:${server.address().port}`;
    state.close = () => { server.close(); state.sockets.forEach((s) => s.destroy()); };
    resolve(state);
  }));
}

export const socketIoScenarios = {
  async "connects to the main namespace"(url) {
    const { socket, auth } = await connect(url);
    assertEqual(auth, {}, "auth payload");
    assert(typeof socket.id === "string" && socket.id.length >= 16, `socket id ${socket.id}`);
    assert(socket.id !== socket.io.engine.id, "socket id differs from the Engine.IO id");
    closeAll(socket);
  },

  async "connects to a custom namespace"(url) {
    const { socket, auth } = await connect(url, { auth: { token: "abc" } }, "/custom");
    assertEqual(auth, { token: "abc" }, "auth payload");
    closeAll(socket);
  },

  async "sends the auth payload to the server"(url) {
    const { socket, auth } = await connect(url, { auth: { token: "123", n: 1 } });
    assertEqual(auth, { token: "123", n: 1 }, "auth payload");
    closeAll(socket);
  },

  async "multiplexes namespaces on one connection"(url) {
    const manager = new Manager(url, { reconnection: false });
    const main = manager.socket("/");
    const custom = manager.socket("/custom");
    await Promise.all([once(main, "auth"), once(custom, "auth")]);
    assertEqual(manager.engine.id && main.io.engine.id === custom.io.engine.id, true, "one Engine.IO session");
    assertEqual(await main.timeout(3000).emitWithAck("echo", "m"), "m", "main works");
    custom.disconnect();
    assertEqual(await main.timeout(3000).emitWithAck("echo", "still"), "still", "main unaffected");
    main.disconnect();
  },

  async "middleware rejection carries message and data"(url) {
    const bad = io(url + "/private", { forceNew: true, reconnection: false, auth: { token: "nope" } });
    const [err] = await once(bad, "connect_error");
    assertEqual(err.message, "unauthorized", "message");
    assertEqual(err.data, { code: "BAD_TOKEN" }, "data");
    bad.close();
    const good = io(url + "/private", { forceNew: true, reconnection: false, auth: { token: "secret" } });
    const [welcome] = await once(good, "welcome");
    assertEqual(welcome, "private", "accepted after middleware");
    good.close();
  },

  async "a namespace retried after refusals while another stays connected"(url) {
    // The official client re-sends CONNECT on the same Engine.IO session only when another of
    // the manager's sockets keeps it open and the app calls connect() after a connect_error.
    // Node answers all eight CONNECTs on one session; Switchboard closes a session whose sixth
    // CONNECT follows five refusals (SocketIoOptions.maxFailedConnects), the manager reconnects,
    // and both sockets carry on: the retries are not lost, only moved to a new session.
    const manager = new Manager(url, { reconnectionDelay: 20, reconnectionDelayMax: 50, randomizationFactor: 0 });
    const main = manager.socket("/");
    await once(main, "auth");
    const locked = manager.socket("/private", { auth: { token: "nope" } });
    const messages = [];
    locked.on("connect_error", (err) => {
      messages.push(err.message);
      if (messages.length === 7) locked.auth = { token: "secret" };
      locked.connect();
    });
    const [welcome] = await once(locked, "welcome", 10000);
    assertEqual(welcome, "private", "accepted after seven refusals");
    assertEqual(messages, Array(7).fill("unauthorized"), "the refusals the app saw");
    assertEqual(await main.timeout(3000).emitWithAck("echo", "still"), "still", "the other socket works");
    main.disconnect();
    locked.disconnect();
  },

  async "dynamic namespaces"(url) {
    const ok = io(url + "/dyn-42", { forceNew: true, reconnection: false });
    assertEqual(await once(ok, "hello"), ["/dyn-42"], "child namespace name");
    ok.close();
    const unknown = io(url + "/dyn-x", { forceNew: true, reconnection: false });
    const [err] = await once(unknown, "connect_error");
    assertEqual(err.message, "Invalid namespace", "unknown namespace");
    unknown.close();
  },

  async "acks both ways"(url) {
    const { socket } = await connect(url);
    assertEqual(await ack(socket, "echo", 1, "two", { three: 3 }, null), [1, "two", { three: 3 }, null], "client→server ack");
    socket.on("question", (n, answer) => answer(n * 2, "answered"));
    assertEqual(await socket.timeout(3000).emitWithAck("server-ack", 1000), { ok: true, answer: 84 }, "server→client ack");
    closeAll(socket);
  },

  async "acks with binary both ways"(url) {
    const { socket } = await connect(url);
    const [buf, text] = await ack(socket, "echo", Buffer.from([1, 2, 3]), "t");
    assertEqual(bytes(buf), [1, 2, 3], "binary ack");
    assertEqual(text, "t", "text beside binary");
    socket.on("question", (n, answer) => answer(Buffer.from([n, 0, 255])));
    const res = await socket.timeout(3000).emitWithAck("server-ack-binary", 1000);
    assertEqual(res.ok, true, "server got the ack");
    assertEqual(res.bytes, [42, 0, 255], "server saw the client's bytes");
    const got = once(socket, "binary");
    socket.emit("send-binary");
    const [payload] = await got;
    assertEqual(bytes(payload.data), [0, 1, 2, 253, 254, 255], "server-sent binary");
    closeAll(socket);
  },

  async "emitWithAck times out when the server never acks"(url) {
    const { socket } = await connect(url);
    let error;
    try {
      await socket.timeout(200).emitWithAck("never-ack");
    } catch (e) {
      error = e;
    }
    assert(error && error.message === "operation has timed out", `error ${error && error.message}`);
    closeAll(socket);
  },

  async "server ack timeout when the client never acks"(url) {
    const { socket } = await connect(url);
    socket.on("question", () => { /* never acks */ });
    const res = await socket.timeout(3000).emitWithAck("server-ack", 200);
    assertEqual(res, { ok: false, error: "operation has timed out" }, "server-side timeout");
    closeAll(socket);
  },

  async "rooms, to and except"(url) {
    const [a, b, c] = await Promise.all([connect(url), connect(url), connect(url)]).then((x) => x.map((y) => y.socket));
    await Promise.all([a, b, c].map((s) => s.timeout(3000).emitWithAck("join", "r")));
    await c.timeout(3000).emitWithAck("join", "x");
    const seenA = once(a, "room-message"), seenB = once(b, "room-message");
    const notC = never(c, "room-message", 400);
    await a.timeout(3000).emitWithAck("to-room-except", "r", "x", "hello r");
    assertEqual(await seenA, ["hello r"], "A (in r, not in x)");
    assertEqual(await seenB, ["hello r"], "B (in r, not in x)");
    await notC;
    // socket.to(room) excludes the sender.
    const gotB = once(b, "room-message");
    const notA = never(a, "room-message", 400);
    await a.timeout(3000).emitWithAck("to-room", "r", "from a");
    assertEqual(await gotB, ["from a"], "B");
    await notA;
    // leave
    await b.timeout(3000).emitWithAck("leave", "r");
    const notB = never(b, "room-message", 400);
    await c.timeout(3000).emitWithAck("to-room", "r", "after leave");
    await notB;
    closeAll(a, b, c);
  },

  async "volatile events reach a ready client"(url) {
    // Volatile packets may be dropped when the transport is busy (Node sends the first of a burst
    // and drops the rest): what arrives is a prefix-free, ordered, duplicate-free subset.
    const { socket } = await connect(url);
    const got = [];
    socket.on("v", (i) => got.push(i));
    socket.emit("volatile", 3);
    await delay(500);
    assert(got.length >= 1 && got[0] === 0, `first volatile event delivered: ${JSON.stringify(got)}`);
    assertEqual([...new Set(got)].sort(), got, "ordered without duplicates");
    assert(got.every((i) => i >= 0 && i < 3), `values ${JSON.stringify(got)}`);
    closeAll(socket);
  },

  async "broadcast with ack aggregation"(url) {
    const clients = (await Promise.all([connect(url), connect(url), connect(url)])).map((x) => x.socket);
    await Promise.all(clients.map((s) => s.timeout(3000).emitWithAck("join", "agg")));
    // Each client answers with its own id, so the server can tell who did not answer.
    for (const c of clients) c.on("poll", (answer) => answer(c.id));
    const ids = clients.map((c) => c.id);
    const all = await clients[0].timeout(3000).emitWithAck("ack-all", "agg", 1000);
    assertEqual(all.ok, true, "all answered");
    assertEqual(all.responses.sort(), [...ids].sort(), "responses");
    clients[2].off("poll");
    clients[2].on("poll", () => { /* silent */ });
    const partial = await clients[0].timeout(3000).emitWithAck("ack-all", "agg", 300);
    assertEqual(partial.ok, false, "one did not answer");
    assertEqual(partial.error, "operation has timed out", "error");
    assertEqual(partial.responses.sort(), ids.slice(0, 2).sort(), "answers that arrived");
    assertEqual(partial.missing, [ids[2]], "who did not answer");
    closeAll(...clients);
  },

  async "disconnect reasons seen by the client"(url) {
    const { socket: s1 } = await connect(url);
    const r1 = once(s1, "disconnect");
    s1.emit("disconnect-me", false);
    assertEqual((await r1)[0], "io server disconnect", "server-side disconnect");
    const { socket: s2 } = await connect(url);
    const r2 = once(s2, "disconnect");
    s2.disconnect();
    assertEqual((await r2)[0], "io client disconnect", "client-side disconnect");
    const { socket: s3 } = await connect(url);
    const r3 = once(s3, "disconnect");
    s3.emit("disconnect-me", true);
    assertEqual((await r3)[0], "io server disconnect", "server-side disconnect with close");
  },

  async "ping timeout when the server goes silent"(url) {
    const proxy = await silencingProxy(url);
    const { socket } = await connect(proxy.url, { transports: ["websocket"] });
    const reason = once(socket, "disconnect", 4000);
    proxy.silent = true;
    assertEqual((await reason)[0], "ping timeout", "reason");
    proxy.close();
  },

  async "transport close and reconnection after a server restart"(url) {
    const socket = io(url, { forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 200 });
    await once(socket, "auth");
    const firstId = socket.id;
    const reason = once(socket, "disconnect", 8000);
    await control("restart-server");
    const [why] = await reason;
    // A graceful shutdown closes the transport; a killed process makes it fail.
    assert(why === "transport close" || why === "transport error", `reason ${why}`);
    await once(socket, "auth", 8000);
    assert(socket.connected && socket.id !== firstId, "reconnected with a new id");
    assertEqual(await socket.timeout(3000).emitWithAck("echo", "back"), "back", "works again");
    socket.close();
  },

  async "connection state recovery replays missed packets"(url) {
    // The client stays away 500 ms; the room message is sent meanwhile and must be replayed.
    const a = io(url, { forceNew: true, reconnectionDelay: 500, reconnectionDelayMax: 500, randomizationFactor: 0 });
    await once(a, "auth");
    assertEqual(a.recovered, false, "first connection is not recovered");
    await a.timeout(3000).emitWithAck("join", "rec");
    const firstId = a.id;
    const { socket: b } = await connect(url);
    const dropped = once(a, "disconnect");
    const reconnected = once(a, "connect", 8000);
    const missed = once(a, "room-message", 8000);
    a.io.engine.close(); // the transport drops; the Manager reconnects after 500 ms
    await dropped;
    await delay(100);
    await b.timeout(3000).emitWithAck("to-room", "rec", "while away");
    await reconnected;
    assertEqual(a.recovered, true, "recovered");
    assertEqual(a.id, firstId, "same id");
    const [payload] = await missed;
    assertEqual(payload, "while away", "missed packet");
    closeAll(a, b);
  },

  async "echo over polling only"(url) {
    closeAll(await echoes(url, ["polling"]));
  },

  async "echo over websocket only"(url) {
    closeAll(await echoes(url, ["websocket"]));
  },

  async "echo across the polling to websocket upgrade"(url) {
    const { socket } = await connect(url);
    const upgraded = socket.io.engine.transport.name === "websocket" ? Promise.resolve() : once(socket.io.engine, "upgrade");
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(socket.timeout(3000).emitWithAck("echo", i));
    await upgraded;
    assertEqual(await Promise.all(answers), Array.from({ length: 20 }, (_, i) => i), "acks across the upgrade");
    assertEqual(socket.io.engine.transport.name, "websocket", "upgraded");
    closeAll(socket);
  },
};
