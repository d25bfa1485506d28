// socket.io-client 2.5 (Engine.IO protocol 3, Socket.IO protocol 4) as a client of Switchboard
// with allowEIO3 (issue #12).
//
// Usage: node eio3/client-v2.mjs <server url> <scenario>
// Prints "OK" and exits 0 when the scenario holds; prints what went wrong and exits 1 otherwise.
// The server is JUnit's Eio3ClientApp: "/" needs the token "secret" — in the handshake query
// (`token=`) or an `Authorization: Bearer` header — else the error "unauthorized" with data
// {code: "BAD_TOKEN"}; a connected socket gets `welcome <transport> <engine.io protocol>`; "bytes"
// acks [String of the bytes, the bytes]; "ask" emits "question" with an ack and acks back
// "client said <answer>"; "transport" acks the server's transport name; "/admin" needs the token
// in its CONNECT query and acks "ping-admin" with "admin pong <handshake.auth.token>".
import io from "socket.io-client-v2";

const [URL, SCENARIO] = process.argv.slice(2);
const WAIT = 10_000;

function fail(what) {
  console.log("FAIL " + what);
  process.exit(1);
}

function check(cond, what) {
  if (!cond) fail(what);
}

function within(promise, what) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error("timed out: " + what)), WAIT)),
  ]);
}

function once(socket, event) {
  return new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
}

function call(socket, event, ...args) {
  return within(new Promise((resolve) => socket.emit(event, ...args, (...answer) => resolve(answer))), event);
}

function client(path, options) {
  const socket = io(URL + path, { forceNew: true, reconnection: false, ...options });
  socket.on("question", (text, ack) => ack("yes to " + text));
  return socket;
}

async function exchange(socket) {
  const payload = Buffer.alloc(300);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
  const [text, bytes] = await call(socket, "bytes", payload);
  check(text === "[" + Array.from(payload, (b) => (b < 128 ? b : b - 256)).join(", ") + "]", "bytes ack text: " + text);
  check(Buffer.isBuffer(bytes) && bytes.equals(payload), "bytes ack binary: " + bytes);
  const [answer] = await call(socket, "ask", "tea?");
  check(answer === "client said yes to tea?", "ask: " + answer);
}

async function connectAndExchange(transports) {
  const socket = client("/", { query: { token: "secret" }, transports });
  const [transport, protocol] = await within(once(socket, "welcome"), "welcome");
  check(transport === transports[0] && protocol === 3, `welcome: ${transport} ${protocol}`);
  check(socket.io.engine.transport.name === transports[0], "client transport " + socket.io.engine.transport.name);
  // The id the 2.x client made itself from the sid is the server's id of this socket, as on Node.
  const [serverId] = await call(socket, "id");
  check(serverId === socket.id && serverId === socket.io.engine.id, `socket.id ${socket.id}, server's ${serverId}`);
  await exchange(socket);
  socket.close();
}

const scenarios = {
  polling: () => connectAndExchange(["polling"]),
  websocket: () => connectAndExchange(["websocket"]),
  // The client pings (Engine.IO 3 heartbeat): the server's short pingInterval makes several
  // rounds happen; the socket stays connected through them.
  heartbeat: async () => {
    const socket = client("/", { query: { token: "secret" }, transports: ["polling"] });
    await within(once(socket, "welcome"), "welcome");
    let pongs = 0;
    socket.io.engine.on("pong", () => pongs++);
    await within(new Promise((resolve) => {
      const t = setInterval(() => { if (pongs >= 3) { clearInterval(t); resolve(); } }, 20);
    }), "three pongs");
    check(socket.connected, "still connected after " + pongs + " pongs");
    await exchange(socket);
    socket.close();
  },
  upgrade: async () => {
    const socket = client("/", { query: { token: "secret" } });
    const [first] = await within(once(socket, "welcome"), "welcome");
    check(first === "polling", "welcome " + first);
    // The client probes and switches on its own, maybe before the welcome arrived.
    if (socket.io.engine.transport.name !== "websocket") {
      await within(new Promise((resolve) => socket.io.engine.once("upgrade", resolve)), "upgrade");
    }
    const [server] = await call(socket, "transport");
    check(server === "websocket", "server transport after upgrade: " + server);
    await exchange(socket);
    socket.close();
  },
  "base64-polling": async () => {
    // forceBase64: the client asks b64=1 and both sides send binary as "b4" + base64.
    const socket = client("/", { query: { token: "secret" }, transports: ["polling"], forceBase64: true });
    await within(once(socket, "welcome"), "welcome");
    await exchange(socket);
    socket.close();
  },
  "base64-websocket": async () => {
    const socket = client("/", { query: { token: "secret" }, transports: ["websocket"], forceBase64: true });
    await within(once(socket, "welcome"), "welcome");
    await exchange(socket);
    socket.close();
  },
  "auth-header": async () => {
    const socket = client("/", { transports: ["polling"], extraHeaders: { Authorization: "Bearer secret" } });
    const [transport] = await within(once(socket, "welcome"), "welcome");
    check(transport === "polling", "welcome " + transport);
    await exchange(socket);
    socket.close();
  },
  refused: async () => {
    const socket = client("/", { query: { token: "wrong" }, transports: ["websocket"] });
    // Socket.IO protocol 4: the refusal is an ERROR packet with the middleware's data.
    const [err] = await within(once(socket, "error"), "error");
    check(err && err.code === "BAD_TOKEN", "error data: " + JSON.stringify(err));
    socket.close();
  },
  namespaces: async () => {
    const admin = client("/admin", { query: { token: "secret" }, transports: ["polling"] });
    await within(once(admin, "connect"), "connect /admin");
    const [answer] = await call(admin, "ping-admin");
    check(answer === "admin pong secret", "ping-admin: " + answer);
    const [serverId] = await call(admin, "id");
    check(serverId === admin.id && serverId === "/admin#" + admin.io.engine.id, `socket.id ${admin.id}, server's ${serverId}`);
    admin.close();
  },
  "namespace-refused": async () => {
    const nope = client("/nowhere", { query: { token: "secret" }, transports: ["websocket"] });
    const [err] = await within(once(nope, "error"), "error");
    // As Node answers every client: {message: "Invalid namespace"}.
    check(err && err.message === "Invalid namespace", "error: " + JSON.stringify(err));
    nope.close();
  },
  reconnection: async () => {
    const socket = io(URL, { forceNew: true, query: { token: "secret" }, transports: ["websocket"],
      reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 });
    socket.on("question", (text, ack) => ack("yes to " + text));
    await within(once(socket, "welcome"), "welcome");
    const firstSid = socket.io.engine.id;
    // The transport drops without a Socket.IO disconnect: the manager reconnects on its own.
    socket.io.engine.close();
    await within(once(socket, "reconnect"), "reconnect");
    check(socket.io.engine.id !== firstSid, "a new Engine.IO session after reconnecting");
    await exchange(socket);
    socket.close();
  },
};

const scenario = scenarios[SCENARIO];
if (!scenario) fail("unknown scenario " + SCENARIO);
scenario().then(() => {
  console.log("OK");
  process.exit(0);
}, (e) => fail(e && e.stack ? e.stack : String(e)));
