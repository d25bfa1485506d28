// The chat server's scenarios (issue #11, "Performance"): the server started by `java -jar
// target/switchboard.jar` with its own fresh DATA_DIR, users signed up over HTTP, tokens from
// POST /auth/login, and the lean raw-frame WebSocket client of clients.mjs speaking the chat's
// events (spec-notes/chat.md). Each scenario returns its metrics or throws (the run fails) on any
// refusal, lost, duplicated or altered message.
import { WsClient } from "./clients.mjs";
import { BenchError, check, closeWindow, latencySummary, nowMs, openWindow, round, within } from "./common.mjs";

const STEP_TIMEOUT_MS = 15_000;

/**
 * The server's CPU in the window without its JIT compiler threads: on a busy machine the warm-up
 * reaches fewer operations and C1/C2 still compile in the window, by amounts that differ from run
 * to run; this is the steady-state cost beside the full one (which stays the headline).
 */
const withoutJitUs = (cpu) => cpu.serverCpuUs - Object.entries(cpu.serverThreadsCpuUs ?? {})
  .filter(([name]) => /^C[12] CompilerThre/.test(name)).reduce((a, [, us]) => a + us, 0);
const PASSWORD = "bench-chat-password-1";

/**
 * Signs up `n` users over POST /auth/register and logs each in with POST /auth/login
 * (authentication.md: `{username, password}` → `{token, user, expiresAt}`); resolves their tokens.
 * Names carry a random tag, so two scenarios on one server (smoke mode) never collide.
 */
export async function chatTokens(url, n, what) {
  const tag = Math.random().toString(36).slice(2, 8);
  const post = async (path, body, expected) => {
    const res = await within(STEP_TIMEOUT_MS, `POST ${path}`, fetch(new URL(path, url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }));
    const text = await res.text();
    check(res.status === expected, `POST ${path} for ${body.username}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };
  const tokens = [];
  for (let i = 0; i < n; i++) {
    const username = `b${what}-${tag}-${i}`;
    await post("/auth/register", { username, password: PASSWORD }, 201);
    const login = await post("/auth/login", { username, password: PASSWORD }, 200);
    check(typeof login.token === "string" && login.token.length > 0, `login for ${username} answered no token`);
    tokens.push(login.token);
  }
  return tokens;
}

/**
 * chat-connect: full cycles — WebSocket handshake, CONNECT with a user's token (checked by the
 * server's session store: the database's, after #11), the chat's `online-users`, close — with
 * `p.inflight` cycles at a time. Worker w always uses user w % p.users, so each user keeps several
 * sockets open and `user-joined`/`user-left` (first and last connection) stay rare; the events a
 * client saw are counted, not checked. Bad tokens must be refused first.
 */
export async function chatConnect(ctx) {
  const { url, p } = ctx;
  const tokens = await chatTokens(url, p.users, "c");
  for (let i = 0; i < 3; i++) {
    const c = new WsClient(url, { token: `${tokens[0].slice(0, -4)}AAAA`, onEvent: () => {} });
    const r = await within(STEP_TIMEOUT_MS, "bad-token connect", c.connect());
    check(!r.ok, "a token with a wrong signature was accepted");
    await within(STEP_TIMEOUT_MS, "closing a refused client", c.close());
  }
  const connectMs = [];
  let done = 0;
  let events = 0;
  const onEvent = () => events++;
  const cycle = async (token, record) => {
    const t0 = nowMs();
    const c = new WsClient(url, { token, onEvent });
    const r = await within(STEP_TIMEOUT_MS, "connect", c.connect());
    check(r.ok, `refused: ${r.message}`);
    const tc = nowMs() - t0;
    await within(STEP_TIMEOUT_MS, "close", c.close());
    if (c.errors.length) throw new BenchError(`connect cycle: ${c.errors.slice(0, 3).join("; ")}`);
    if (record) {
      connectMs.push(tc);
      done++;
    }
  };
  const run = async (count, ms, record) => {
    const deadline = nowMs() + ms;
    let started = 0;
    const worker = async (w) => {
      while (started < count && nowMs() < deadline) {
        started++;
        await cycle(tokens[w % tokens.length], record);
      }
    };
    await Promise.all(Array.from({ length: p.inflight }, (_, w) => worker(w)));
  };
  await run(p.warmupCount, p.warmupMs, false);
  const eventsBefore = events;
  const w = await openWindow(ctx);
  await run(p.maxCount, p.durationMs, true);
  const cpu = await closeWindow(ctx, w);
  check(done > 0, "no connect completed in the window");
  return {
    users: p.users,
    connects: done,
    connectsPerSec: round((done * 1000) / cpu.wallMs, 1),
    serverCpuUsPerConnect: round(cpu.serverCpuUs / done, 1),
    serverCpuUsPerConnectWithoutJit: round(withoutJitUs(cpu) / done, 1),
    connectMs: latencySummary(connectMs),
    eventsPerConnect: round((events - eventsBefore) / done, 2),
    cpu,
  };
}

const NEW_MESSAGE = Buffer.from('42["new-message",{');
const TEXT_AT = Buffer.from('"message":"m');
const ACK_OK = '[{"ok":true,';

/**
 * chat-room: `p.clients` WebSocket clients of `p.users` users, all in `general` (where the chat puts
 * every socket on connect). `chat-message {message, room: "general"}` with an ack, `p.inflight`
 * at a time, sent by the clients in turn (client k % clients sends message k: the chat's rate
 * limit is 10 a socket, one more a second, chat.md). Each `new-message` reaches every client,
 * sender included; a message is complete when its ack and its last delivery have arrived. Every
 * client must see every message exactly once, unaltered; with one in flight, in order.
 */
export async function chatRoom(ctx) {
  const { url, p } = ctx;
  const tokens = await chatTokens(url, p.users, "r");
  const total = p.warmupCount + p.maxCount;
  const deliveries = new Int32Array(total);
  const acked = new Uint8Array(total);
  const completeAt = new Float64Array(total);
  const tSend = new Float64Array(total);
  const fill = "x".repeat(p.payloadBytes ?? 64);
  let onComplete = null;
  let ready = false;
  function onEvent(buf) {
    const c = this;
    c.events = (c.events ?? 0) + 1;
    if (buf.length < NEW_MESSAGE.length || buf.compare(NEW_MESSAGE, 0, NEW_MESSAGE.length, 0, NEW_MESSAGE.length) !== 0) {
      // presence while the clients connect; anything else (an `error` event) is a failure
      const s = buf.toString("utf8", 0, 40);
      if (!/^42\["(online-users|user-joined)"/.test(s)) c.errors.push(`unexpected event ${buf.toString().slice(0, 120)}`);
      return;
    }
    if (!ready) return void c.errors.push("new-message before any was sent");
    // {"id":…,"userId":…,"username":…,"message":"m<k> xxx…","room":"general",…}: k read from the bytes
    let i = buf.indexOf(TEXT_AT, NEW_MESSAGE.length);
    if (i < 0) return void c.errors.push(`new-message without our text: ${buf.toString().slice(0, 160)}`);
    i += TEXT_AT.length;
    let k = 0;
    const d0 = i;
    while (buf[i] >= 0x30 && buf[i] <= 0x39) k = k * 10 + (buf[i++] - 0x30);
    if (i === d0 || k >= total || buf[i] !== 0x20 || buf.toString("latin1", i + 1, i + 1 + fill.length + 1) !== `${fill}"`) {
      return void c.errors.push(`message altered or unknown: ${buf.toString().slice(0, 160)}`);
    }
    if (p.inflight === 1 && k !== c.nextExpected) c.errors.push(`expected message ${c.nextExpected}, got ${k}`);
    c.nextExpected = k + 1;
    c.received++;
    const n = ++deliveries[k];
    if (n > p.clients) c.errors.push(`message ${k} delivered more than once`);
    if (n === p.clients) {
      completeAt[k] = nowMs();
      onComplete(k);
    }
  }
  const clients = [];
  for (let i = 0; i < p.clients; i += 100) {
    const group = [];
    for (let j = i; j < Math.min(p.clients, i + 100); j++) {
      const c = new WsClient(url, { token: tokens[j % tokens.length] });
      c.onEvent = onEvent.bind(c);
      c.nextExpected = 0;
      c.received = 0;
      group.push(c);
    }
    const rs = await within(STEP_TIMEOUT_MS * 4, "connecting", Promise.all(group.map((c) => c.connect())));
    rs.forEach((r) => check(r.ok, `refused: ${r.message}`));
    clients.push(...group);
  }
  ready = true;
  const fanoutMs = [];
  let next = 0;
  let inflight = 0;
  let measureFrom = Infinity;
  let limit = p.warmupCount;
  let deadline = nowMs() + p.warmupMs;
  let idle = null;
  const finished = (k) => {
    if (!acked[k] || !completeAt[k]) return;
    inflight--;
    if (k >= measureFrom) fanoutMs.push(completeAt[k] - tSend[k]);
    launch();
  };
  onComplete = finished;
  const launch = () => {
    while (inflight < p.inflight && next < limit && nowMs() < deadline) {
      const k = next++;
      const sender = clients[k % clients.length];
      tSend[k] = nowMs();
      inflight++;
      sender.emitAck("chat-message", `{"message":"m${k} ${fill}","room":"general"}`, (buf, at) => {
        if (buf.toString("latin1", at, at + ACK_OK.length) !== ACK_OK) sender.errors.push(`chat-message ${k} acked ${buf.toString("utf8", at)}`);
        acked[k] = 1;
        finished(k);
      });
    }
    if (inflight === 0) idle?.();
  };
  const runPhase = (ms) => within(ms + STEP_TIMEOUT_MS, "chat messages to complete", new Promise((resolve) => {
    idle = resolve;
    launch();
  })).catch((e) => {
    // what was still missing, and what the clients saw, for the run's error
    const open = [];
    for (let k = 0; k < next && open.length < 5; k++) {
      if (!acked[k] || !completeAt[k]) open.push(`message ${k}: ${acked[k] ? "acked" : "not acked"}, ${deliveries[k]} of ${p.clients} deliveries`);
    }
    const closed = clients.filter((c) => c.closed).length;
    // which clients are behind, and by how much (a client that missed every message names itself)
    const most = Math.max(...clients.map((c) => c.received));
    const behind = clients.map((c, i) => [i, c.received]).filter(([, r]) => r < most)
      .slice(0, 5).map(([i, r]) => `client ${i} (token ${i % tokens.length}) received ${r} of the messages and ${clients[i].events ?? 0} events in all`);
    if (behind.length) open.push(behind.join(", "));
    const errors = clients.flatMap((c, i) => c.errors.map((x) => `client ${i}: ${x}`)).slice(0, 5);
    throw new BenchError(`${e.message}; ${open.join("; ")}; ${closed} client(s) closed; ${errors.join("; ") || "no client error"}`);
  });
  await runPhase(p.warmupMs);
  measureFrom = next;
  limit = total;
  const w = await openWindow(ctx);
  deadline = nowMs() + p.durationMs;
  await runPhase(p.durationMs);
  const cpu = await closeWindow(ctx, w);
  const measured = next - measureFrom;
  let delivered = 0;
  for (let k = measureFrom; k < next; k++) delivered += deliveries[k];
  for (let k = 0; k < next; k++) check(deliveries[k] === p.clients, `message ${k}: ${deliveries[k]} of ${p.clients} deliveries`);
  clients.forEach((c, i) => check(c.received === next, `client ${i} received ${c.received} of ${next} messages`));
  for (const c of clients) {
    if (c.errors.length) throw new BenchError(`chat-room: ${c.errors.slice(0, 3).join("; ")}`);
    if (c.pendingAcks.size) throw new BenchError(`chat-room: ${c.pendingAcks.size} ack(s) never came`);
  }
  for (let i = 0; i < clients.length; i += 200) {
    await within(STEP_TIMEOUT_MS * 4, "closing clients", Promise.all(clients.slice(i, i + 200).map((c) => c.close())));
  }
  check(measured > 0, "no message completed in the window");
  return {
    clients: p.clients,
    users: p.users,
    inflight: p.inflight,
    messages: measured,
    deliveries: delivered,
    messagesPerSec: round((measured * 1000) / cpu.wallMs, 1),
    deliveriesPerSec: round((delivered * 1000) / cpu.wallMs, 1),
    serverCpuUsPerDelivery: round(cpu.serverCpuUs / delivered, 3),
    serverCpuUsPerDeliveryWithoutJit: round(withoutJitUs(cpu) / delivered, 3),
    serverCpuUsPerMessage: round(cpu.serverCpuUs / measured, 1),
    // The history's own thread (switchboard-history-writer; /proc shows 15 characters of a thread's
    // name) per message: what storing costs the server's CPU beside the deliveries. 0 without history.
    historyWriterCpuUsPerMessage: round((cpu.serverThreadsCpuUs?.["switchboard-his"] ?? 0) / measured, 1),
    fanoutMs: latencySummary(fanoutMs),
    cpu,
  };
}
