// engine.io-client 6.6 against the Engine.IO test application: an echo server on /engine.io/
// (pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1e6) whose text message "__server_close__"
// makes it close the session.
import { Socket } from "engine.io-client";
import { assert, assertEqual, bytes, collect, control, delay, never, once } from "./util.mjs";

const PATH = "/engine.io/";
const open = async (url, opts = {}) => {
  const socket = new Socket(url, { path: PATH, ...opts });
  await once(socket, "open");
  return socket;
};

async function echoText(socket, text) {
  const got = once(socket, "message");
  socket.send(text);
  const [data] = await got;
  assertEqual(data, text, "echoed text");
}

async function echoBinary(socket, array) {
  const got = once(socket, "message");
  socket.send(Uint8Array.from(array));
  const [data] = await got;
  assert(typeof data !== "string", `binary came back as text: ${data}`);
  assertEqual(bytes(data), array, "echoed bytes");
}

export const engineIoScenarios = {
  async "handshake over polling"(url) {
    const socket = await open(url, { transports: ["polling"] });
    assertEqual(socket.transport.name, "polling", "transport");
    assert(/^[A-Za-z0-9_-]{20}$/.test(socket.id), `sid ${socket.id}`);
    socket.close();
  },

  async "handshake over websocket only"(url) {
    const socket = await open(url, { transports: ["websocket"] });
    assertEqual(socket.transport.name, "websocket", "transport");
    assert(socket.id, "sid");
    socket.close();
  },

  async "text and binary echo over polling"(url) {
    const socket = await open(url, { transports: ["polling"] });
    await echoText(socket, "hello");
    await echoText(socket, "€ and 😀");
    await echoBinary(socket, [1, 2, 3, 0, 255]);
    assertEqual(socket.transport.name, "polling", "still polling");
    socket.close();
  },

  async "text and binary echo over websocket"(url) {
    const socket = await open(url, { transports: ["websocket"] });
    await echoText(socket, "hello");
    await echoBinary(socket, [9, 8, 7]);
    socket.close();
  },

  async "upgrade keeps every message once and in order"(url) {
    const socket = new Socket(url, { path: PATH });
    const upgraded = once(socket, "upgrade");
    const n = 60;
    const echoes = collect(socket, "message", n, 8000);
    await once(socket, "open");
    assertEqual(socket.transport.name, "polling", "starts on polling");
    for (let i = 0; i < n; i++) {
      socket.send(`m${i}`);
      if (i % 5 === 0) await delay(5); // spread over before, during and after the upgrade
    }
    await upgraded;
    const got = await echoes;
    assertEqual(got, Array.from({ length: n }, (_, i) => `m${i}`), "echoes");
    assertEqual(socket.transport.name, "websocket", "upgraded");
    socket.close();
  },

  async "upgrade completes quickly"(url) {
    const socket = new Socket(url, { path: PATH });
    await once(socket, "open");
    const t0 = Date.now();
    await once(socket, "upgrade");
    assert(Date.now() - t0 < 2000, `upgrade took ${Date.now() - t0} ms`);
    await echoText(socket, "after upgrade");
    socket.close();
  },

  async "polling only with upgrade disabled"(url) {
    const socket = await open(url, { upgrade: false });
    await echoText(socket, "x");
    await never(socket, "upgrade", 400);
    assertEqual(socket.transport.name, "polling", "transport");
    socket.close();
  },

  async "burst of 500 messages keeps order"(url) {
    const socket = await open(url, { transports: ["websocket"] });
    const n = 500;
    const echoes = collect(socket, "message", n, 8000);
    for (let i = 0; i < n; i++) socket.send(String(i));
    const got = await echoes;
    assertEqual(got, Array.from({ length: n }, (_, i) => String(i)), "order");
    socket.close();
  },

  async "burst over polling keeps order"(url) {
    const socket = await open(url, { transports: ["polling"] });
    const n = 200;
    const echoes = collect(socket, "message", n, 8000);
    for (let i = 0; i < n; i++) socket.send(String(i));
    const got = await echoes;
    assertEqual(got, Array.from({ length: n }, (_, i) => String(i)), "order");
    socket.close();
  },

  async "message near the size limit is echoed"(url) {
    for (const transports of [["websocket"], ["polling"]]) {
      const socket = await open(url, { transports });
      await echoText(socket, "a".repeat(999_000));
      socket.close();
    }
  },

  async "message over the size limit closes the session"(url) {
    const socket = await open(url, { transports: ["websocket"] });
    const closed = once(socket, "close", 5000);
    socket.send("a".repeat(1_000_001));
    const [reason] = await closed;
    assert(reason === "transport close" || reason === "transport error", `reason ${reason}`);
  },

  async "server close reaches the client"(url) {
    for (const transports of [["websocket"], ["polling"]]) {
      const socket = await open(url, { transports });
      const closed = once(socket, "close");
      socket.send("__server_close__");
      const [reason] = await closed;
      assertEqual(reason, "transport close", `close reason over ${transports[0]}`);
    }
  },

  async "client close ends the session on the server"(url) {
    const socket = await open(url, { transports: ["polling"] });
    const sid = socket.id;
    const closed = once(socket, "close");
    socket.close();
    const [reason] = await closed;
    assertEqual(reason, "forced close", "client-side reason");
    // The server may still answer one late poll with a noop, or, while the client's own aborted
    // poll or its close packet is still on its way, refuse ours as an overlapping poll (a plain
    // 400, Node's empty); after that the sid is dead: 400 with the JSON error.
    let status = 0;
    let body = null;
    for (let i = 0; i < 5 && body === null; i++) {
      const res = await fetch(`${url}${PATH}?EIO=4&transport=polling&sid=${sid}`);
      status = res.status;
      const text = await res.text();
      if (status === 400 && (res.headers.get("content-type") || "").startsWith("application/json")) body = JSON.parse(text);
    }
    assertEqual(status, 400, "poll after close");
    assertEqual(body, { code: 1, message: "Session ID unknown" }, "error body");
  },

  async "heartbeat keeps an idle connection open"(url) {
    for (const transports of [["websocket"], ["polling"]]) {
      const socket = await open(url, { transports });
      const pings = collect(socket, "ping", 3, 3000);
      await never(socket, "close", 1200); // four pingIntervals
      await pings;
      await echoText(socket, "still alive");
      socket.close();
    }
  },

  async "server closes a client that stops answering pings"(url) {
    const socket = await open(url, { transports: ["websocket"] });
    // Drop our pongs: the server must give up after pingInterval + pingTimeout.
    const original = socket._sendPacket.bind(socket);
    socket._sendPacket = (type, ...rest) => (type === "pong" ? undefined : original(type, ...rest));
    const [reason] = await once(socket, "close", 4000);
    assert(reason === "transport close" || reason === "ping timeout", `reason ${reason}`);
  },

  async "reconnects after a server restart"(url) {
    const socket = await open(url, { transports: ["websocket"] });
    await echoText(socket, "before");
    const closed = once(socket, "close", 8000);
    await control("restart-server");
    const [reason] = await closed;
    assert(reason === "transport close" || reason === "ping timeout", `reason ${reason}`);
    const again = await open(url, { transports: ["polling", "websocket"] });
    await echoText(again, "after");
    again.close();
  },

  async "unknown sid is refused with code 1"(url) {
    const res = await fetch(`${url}${PATH}?EIO=4&transport=polling&sid=doesnotexist0000000`);
    assertEqual(res.status, 400, "status");
    assertEqual(await res.json(), { code: 1, message: "Session ID unknown" }, "body");
  },
};
