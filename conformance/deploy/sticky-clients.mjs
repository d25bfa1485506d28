// The official socket.io-client (pinned in ../package-lock.json) through HAProxy in front of
// Switchboard nodes that each answer the event `whoami` with {kind, id} (issue #10, sticky
// sessions). Run by dev.switchboard.deploy.StickySessionTest, which makes the assertions: this
// script only reports what the client saw.
//
//   SERVER_URL=http://127.0.0.1:PORT node deploy/sticky-clients.mjs <scenario> [count]
//
// Prints one line `result <json>`, then keeps its clients connected until its standard input
// closes (so the test can look at the nodes meanwhile), disconnects them and exits 0. Prints
// `FAIL <why>` on stderr and exits 1 when it could not run; gives up after 15 s.
//
// Scenarios (every client keeps cookies: `withCredentials: true`, which is what makes the Node.js
// client store HAProxy's SERVERID cookie and send it back, as a browser does on its own origin):
//   polling-session [rounds]   one polling-only client; after each of `rounds` server pings (one
//                              long-poll cycle each) asks whoami →
//                              {sid, transport, answers: [node ids], pings, problems: [...]}
//   upgrade                    one client with the default transports: the transport it opened on,
//                              whoami once connected and again once upgraded →
//                              {sid, opened, first: {node, transport}, after: {...}, problems}
//   spread [count]             `count` polling-only clients connected one after the other, one
//                              whoami each → {clients: [{sid, node}], problems}
//   no-cookie                  one polling-only client, no reconnection, until it connects or
//                              fails → {connected, events: [[name, reason, description]]}
import { io } from "socket.io-client";

const url = process.env.SERVER_URL;
const [scenario, countArg] = process.argv.slice(2);
const scenarios = { "polling-session": pollingSession, upgrade, spread, "no-cookie": noCookie };
if (!url) fail("SERVER_URL is not set");
if (!scenarios[scenario]) fail(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(", ")}`);

const deadline = setTimeout(() => fail(`${scenario} timed out after 15 s`), 15000);
const clients = [];
try {
  const result = await scenarios[scenario](countArg === undefined ? undefined : Number(countArg));
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
  clearTimeout(deadline);
  // Stay connected until the test is done looking at the nodes.
  process.stdin.on("end", () => {
    clients.forEach((c) => c.disconnect());
    process.exit(0);
  });
  process.stdin.resume();
} catch (e) {
  fail(e && e.stack ? e.stack : String(e));
}

function client(opts) {
  const socket = io(url, { forceNew: true, reconnection: false, withCredentials: true, ...opts });
  clients.push(socket);
  // Anything that ends or refuses the session is a problem the test will show.
  const problems = [];
  socket.on("connect_error", (e) => problems.push(`connect_error: ${e.message}`));
  socket.on("disconnect", (reason) => problems.push(`disconnect: ${reason}`));
  return { socket, problems };
}

function connected(socket) {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
    socket.once("disconnect", (reason) => reject(new Error(`disconnected while connecting: ${reason}`)));
  });
}

function next(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

async function whoami(socket) {
  const answer = await socket.timeout(5000).emitWithAck("whoami");
  return answer.id;
}

async function pollingSession(rounds = 5) {
  const { socket, problems } = client({ transports: ["polling"] });
  await connected(socket);
  const answers = [await whoami(socket)];
  let pings = 0;
  for (let i = 0; i < rounds; i++) {
    // A ping ends the pending long-poll GET and the pong is a POST: each round is new requests.
    await next(socket.io, "ping");
    pings++;
    answers.push(await whoami(socket));
  }
  return { sid: socket.id, transport: socket.io.engine.transport.name, answers, pings, problems };
}

async function upgrade() {
  const { socket, problems } = client({});
  // The manager opens its engine at once (autoConnect), so neither event can be missed. The
  // engine opens on polling (the handshake), then probes WebSocket and may finish the upgrade
  // before or after the Socket.IO CONNECT: only the order open → upgrade is fixed.
  let opened = null;
  socket.io.engine.once("open", () => (opened = socket.io.engine.transport.name));
  const upgraded = next(socket.io.engine, "upgrade", 5000);
  upgraded.catch(() => {}); // awaited below only while still on polling
  await connected(socket);
  const first = { transport: socket.io.engine.transport.name, node: await whoami(socket) };
  if (socket.io.engine.transport.name !== "websocket") await upgraded;
  const after = { transport: socket.io.engine.transport.name, node: await whoami(socket) };
  return { sid: socket.id, opened, first, after, problems };
}

async function spread(count = 4) {
  const result = { clients: [], problems: [] };
  for (let i = 0; i < count; i++) {
    const { socket, problems } = client({ transports: ["polling"] });
    await connected(socket);
    result.clients.push({ sid: socket.id, node: await whoami(socket) });
    result.problems.push(...problems);
  }
  return result;
}

async function noCookie() {
  const { socket } = client({ transports: ["polling"] });
  const events = [];
  const outcome = new Promise((resolve) => {
    socket.once("connect", () => resolve(true));
    socket.once("connect_error", (e) => {
      events.push(["connect_error", e.message, describe(e.description)]);
      resolve(false);
    });
    socket.once("disconnect", (reason, details) => {
      events.push(["disconnect", reason, describe(details && details.description)]);
      resolve(false);
    });
  });
  return { connected: await outcome, events };
}

/** engine.io-client's transport errors carry the HTTP status as their description. */
function describe(description) {
  return description === undefined ? null : String(description);
}

function fail(why) {
  process.stderr.write(`FAIL ${why}\n`);
  process.exit(1);
}
