// One load-generator process of the c100k scenario (bench/loadgen/c100k.mjs forks several: a
// process may hold only `ulimit -n` sockets, and one Node event loop per some ten thousand idle
// sockets keeps the connect phase short). It holds clients [from, from + count) of the scenario:
// lean Engine.IO v4 / Socket.IO v5 clients over raw WebSocket frames (rawws.mjs), each with its own
// HS256 token, each bound to the source address 127.0.0.<2 + i % 254> so that the 64 K ephemeral
// ports of one address do not bound the count. A client answers pings and records when they came;
// it never sends anything else, except client 0 of the scenario, which sends the broadcasts.
//
// Commands from the parent (IPC messages) and answers:
//   {cmd:"connect"}                → {type:"connected", connected, failed, errors}
//   {cmd:"expect", text}           → {type:"expecting"}; then {type:"received", text, count, lastAt}
//                                     once every client held here got `42["bcast",text]` (or at
//                                     {cmd:"report"} time with what came)
//   {cmd:"send", text}             → (worker holding client 0) {type:"sent", at}
//   {cmd:"stats"}                  → {type:"stats", ...} held, dropped, heartbeat figures
//   {cmd:"close"}                  → closes every client, exits
// Times are process.hrtime (CLOCK_MONOTONIC, one clock for every process of the machine), in ms.
import { createHmac, randomBytes } from "node:crypto";
import { RawWebSocket } from "./rawws.mjs";

const cfg = JSON.parse(process.argv[2]);
const { url, from, count, secret, inflight } = cfg;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const wsUrl = `${url.replace(/^http:/, "ws:")}/socket.io/?EIO=4&transport=websocket`;

// Per client, indexed by k = i - from; typed arrays keep the generator's own memory small.
const sockets = new Array(count);
const state = new Uint8Array(count); // 0 new, 1 websocket open, 2 Socket.IO connected, 3 closed
const lastPingAt = new Float64Array(count); // the open packet's time, then each ping's
const maxGapMs = new Float64Array(count); // longest wait for a ping (open → first, ping → ping)
const pings = new Uint32Array(count);
const got = new Uint8Array(count);
let pingIntervalMs = null;
let pingTimeoutMs = null;
let connectedCount = 0;
let dropped = 0;
let closing = false;
const errors = [];
const note = (why) => {
  if (errors.length < 20) errors.push(why);
};

// The broadcast in flight: its frame payload, how many clients have it, when the last one got it.
let expected = null;
let receivedCount = 0;
let lastReceivedAt = 0;

const b64url = (s) => Buffer.from(s).toString("base64url");
const HEADER = b64url(JSON.stringify({ typ: "JWT", alg: "HS256" }));
const sessionSalt = randomBytes(6).toString("base64url");

/**
 * A token of the chat server's shape (auth.TokenService: iss, aud, sub, sid, name, jti, iat, exp,
 * integer NumericDates), one session per client, HS256 over the bench's JWT_SECRET. Both bench
 * servers (AUTH_MODE=jwt) check the algorithm, the MAC and exp on every CONNECT.
 */
function token(i) {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { iss: "switchboard", aud: "switchboard-chat", sub: `u${i}`, sid: `s-${sessionSalt}-${i}`, name: `user${i}`,
    jti: randomBytes(12).toString("base64url"), iat, exp: iat + 3600 };
  const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

function connectOne(k) {
  const i = from + k;
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok, why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!ok) note(`client ${i}: ${why}`);
      resolve(ok);
    };
    const timer = setTimeout(() => {
      done(false, "no CONNECT within 60 s");
      ws.terminate();
    }, 60_000);
    const ws = new RawWebSocket(wsUrl, { localAddress: `127.0.0.${2 + (i % 254)}` });
    sockets[k] = ws;
    ws.on("message", (data, isBinary) => {
      if (isBinary) return note(`client ${i}: binary frame`);
      const t = data[0];
      if (t === 0x32) { // '2' ping → pong, and when it came
        ws.send("3");
        const now = nowMs();
        const gap = now - lastPingAt[k];
        if (gap > maxGapMs[k]) maxGapMs[k] = gap;
        lastPingAt[k] = now;
        pings[k]++;
      } else if (t === 0x34) { // '4' message: a Socket.IO packet
        const s = data[1];
        if (s === 0x32) { // EVENT: only the broadcast is expected
          if (expected && !got[k] && data.equals(expected)) {
            got[k] = 1;
            lastReceivedAt = nowMs();
            if (++receivedCount === connectedCount) report();
          } else note(`client ${i}: unexpected event ${data.toString().slice(0, 60)}`);
        } else if (s === 0x30) { // CONNECT
          state[k] = 2;
          connectedCount++;
          done(true);
        } else if (s === 0x34) { // CONNECT_ERROR
          done(false, `refused: ${data.toString().slice(2, 120)}`);
          ws.terminate();
        } else if (s === 0x33) { // ACK of client 0's broadcast
          if (!data.toString().endsWith("[true]")) note(`client ${i}: broadcast acked ${data.toString().slice(0, 60)}`);
        } else note(`client ${i}: unexpected packet ${data.toString().slice(0, 60)}`);
      } else if (t === 0x30) { // '0' open: heartbeat parameters, then CONNECT with the token
        if (pingIntervalMs === null) {
          const o = JSON.parse(data.toString("utf8", 1));
          pingIntervalMs = o.pingInterval;
          pingTimeoutMs = o.pingTimeout;
        }
        state[k] = 1;
        lastPingAt[k] = nowMs();
        ws.send(`40${JSON.stringify({ token: token(i) })}`);
      } else if (t !== 0x36) note(`client ${i}: unexpected engine.io packet ${data.toString().slice(0, 60)}`);
    });
    ws.on("error", (e) => done(false, e.message));
    ws.on("close", () => {
      const was = state[k];
      state[k] = 3;
      if (was === 2) {
        connectedCount--;
        if (!closing) {
          dropped++;
          note(`client ${i}: closed by the server after it connected`);
        }
      }
      done(false, "closed before CONNECT");
    });
  });
}

async function connectAll() {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const lane = async () => {
    while (next < count) {
      const k = next++;
      if (await connectOne(k)) ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inflight, count) }, lane));
  return { connected: ok, failed };
}

function report() {
  process.send({ type: "received", text: expected?.text, count: receivedCount, lastAt: lastReceivedAt });
}

function stats() {
  const now = nowMs();
  let held = 0;
  let late = 0;
  let noPing = 0;
  let maxGap = 0;
  let pingTotal = 0;
  const gaps = [];
  for (let k = 0; k < count; k++) {
    if (state[k] !== 2) continue;
    held++;
    // the wait still open counts too: a ping that has not come yet is as late as it is now
    const gap = Math.max(maxGapMs[k], now - lastPingAt[k]);
    gaps.push(gap);
    if (gap > maxGap) maxGap = gap;
    if (pingIntervalMs !== null && gap > pingIntervalMs + pingTimeoutMs) late++;
    if (pings[k] === 0) noPing++;
    pingTotal += pings[k];
  }
  gaps.sort((a, b) => a - b);
  return { type: "stats", held, dropped, pings: pingTotal, late, noPing, maxGapMs: maxGap,
    p99GapMs: gaps.length ? gaps[Math.min(gaps.length - 1, Math.ceil(0.99 * gaps.length) - 1)] : null,
    pingIntervalMs, pingTimeoutMs, errors };
}

process.on("message", async (m) => {
  if (m.cmd === "connect") {
    const r = await connectAll();
    process.send({ type: "connected", ...r, errors });
  } else if (m.cmd === "expect") {
    const buf = Buffer.from(`42["bcast",${JSON.stringify(m.text)}]`);
    buf.text = m.text;
    expected = buf;
    got.fill(0);
    receivedCount = 0;
    lastReceivedAt = 0;
    process.send({ type: "expecting" });
    if (connectedCount === 0) report();
  } else if (m.cmd === "send") {
    // client 0 of the scenario is this process's client 0
    const at = nowMs();
    sockets[0].send(`421["broadcast",${JSON.stringify(m.text)}]`);
    process.send({ type: "sent", at });
  } else if (m.cmd === "report") {
    report();
  } else if (m.cmd === "stats") {
    process.send(stats());
  } else if (m.cmd === "close") {
    closing = true;
    for (let k = 0; k < count; k++) sockets[k]?.terminate();
    process.send({ type: "closed" }, () => process.exit(0));
  }
});
// The generator gone (its hard time limit, a failure): nothing left to hold the clients for.
process.on("disconnect", () => process.exit(0));
process.send({ type: "ready", pid: process.pid });
