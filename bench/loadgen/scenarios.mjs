// The measured scenarios. Each takes a context {url, serverPid, serverKind, p (parameters)} and
// returns its metrics; any lost, duplicated, wrong or late ack/delivery throws (the run fails).
// Every loop is bounded twice: by a count (p.max*) and by a deadline (p.*Ms).
import { execFileSync } from "node:child_process";
import { c100k } from "./c100k.mjs";
import { PollingClient, WsClient, newAgent } from "./clients.mjs";
import { BenchError, JCMD, check, closeWindow, openWindow, heapAfterGc, latencySummary, nowMs, processRssBytes, round, slope, within } from "./common.mjs";

const STEP_TIMEOUT_MS = 15_000;
const BAD_TOKEN_TRIES = 3;

function makeClient(url, transport, opts) {
  if (transport === "websocket") return new WsClient(url, opts);
  return new PollingClient(url, { ...opts, upgrade: transport === "upgrade" });
}

function assertClean(clients, what) {
  for (const c of clients) {
    if (c.errors.length) throw new BenchError(`${what}: ${c.errors.slice(0, 3).join("; ")}`);
    if (c.pendingAcks.size) throw new BenchError(`${what}: ${c.pendingAcks.size} ack(s) never came`);
  }
}

/** Connects `n` clients, `batch` at a time; all must be accepted. */
async function connectMany(url, transport, n, batch, opts = {}) {
  const clients = [];
  for (let i = 0; i < n; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(n, i + batch); j++) group.push(makeClient(url, transport, opts.clientOpts?.(j) ?? opts));
    const results = await within(STEP_TIMEOUT_MS * 4, `connecting clients ${i}..${i + group.length}`,
      Promise.all(group.map((c) => c.connect())));
    results.forEach((r, k) => check(r.ok, `client ${i + k} refused: ${r.message}`));
    clients.push(...group);
  }
  return clients;
}

async function closeAll(clients, batch = 200) {
  for (let i = 0; i < clients.length; i += batch) {
    await within(STEP_TIMEOUT_MS * 4, "closing clients", Promise.all(clients.slice(i, i + batch).map((c) => c.close())));
  }
}

/** Bad tokens must be refused with connect_error "unauthorized" (checked before every connect run). */
async function checkRefusals(url, transport, agent) {
  for (let i = 0; i < BAD_TOKEN_TRIES; i++) {
    const c = makeClient(url, transport === "upgrade" ? "polling" : transport, { token: `wrong-${i}`, agent });
    const r = await within(STEP_TIMEOUT_MS, "bad-token connect", c.connect());
    check(!r.ok && r.message === "unauthorized", `a bad token was not refused with "unauthorized": ${JSON.stringify(r)}`);
    await within(STEP_TIMEOUT_MS, "closing a refused client", c.close());
    check(c.errors.length === 0, `refused client: ${c.errors.join("; ")}`);
  }
}

/**
 * connect: full cycles (handshake → CONNECT with token → [upgrade] → close), `p.inflight` at a time.
 * transport: websocket | polling | upgrade (polling, then the probe/upgrade as engine.io-client does;
 * one echo over the WebSocket proves the upgrade).
 */
export async function connect(ctx) {
  const { url, p } = ctx;
  const agent = newAgent(url);
  await checkRefusals(url, p.transport, agent);
  const connectMs = [];
  const upgradeMs = [];
  let done = 0;
  const cycle = async (record) => {
    const t0 = nowMs();
    const c = makeClient(url, p.transport, { agent });
    const r = await within(STEP_TIMEOUT_MS, "connect", c.connect());
    check(r.ok, `refused: ${r.message}`);
    const tc = nowMs() - t0;
    if (p.transport === "upgrade") {
      await within(STEP_TIMEOUT_MS, "upgrade", c.upgraded());
      const echoed = await within(STEP_TIMEOUT_MS, "echo after upgrade", new Promise((resolve) => {
        c.emitAck("echo", '"up"', (buf, at) => resolve(buf.toString("utf8", at)));
      }));
      check(echoed === '["up"]', `echo after upgrade answered ${echoed}`);
    }
    await within(STEP_TIMEOUT_MS, "close", c.close());
    assertClean([c], "connect cycle");
    if (record) {
      connectMs.push(tc);
      if (c.upgradeMs !== null) upgradeMs.push(c.upgradeMs);
      done++;
    }
  };
  const run = async (count, ms, record) => {
    const deadline = nowMs() + ms;
    let started = 0;
    const worker = async () => {
      while (started < count && nowMs() < deadline) {
        started++;
        await cycle(record);
      }
    };
    await Promise.all(Array.from({ length: p.inflight }, worker));
  };
  await run(p.warmupCount, p.warmupMs, false);
  const w = await openWindow(ctx);
  await run(p.maxCount, p.durationMs, true);
  const cpu = await closeWindow(ctx, w);
  check(done > 0, "no connect completed in the window");
  return {
    connects: done,
    connectsPerSec: round((done * 1000) / cpu.wallMs, 1),
    serverCpuUsPerConnect: round(cpu.serverCpuUs / done, 1),
    connectMs: latencySummary(connectMs),
    ...(upgradeMs.length ? { upgradeMs: latencySummary(upgradeMs) } : {}),
    badTokensRefused: BAD_TOKEN_TRIES,
    cpu,
  };
}

/** echo: `p.clients` clients, each with one `echo` ack in flight at a time (closed loop). */
export async function echo(ctx) {
  const { url, p } = ctx;
  const agent = newAgent(url);
  const clients = await connectMany(url, p.transport, p.clients, 100, { agent });
  const body = "hello-switchboard-0123456789";
  let phase = "warmup"; // warmup → measure → drain
  let acks = 0;
  let sent = 0;
  const lat = [];
  let inflight = 0;
  let drained = null;
  const deadline = nowMs() + p.warmupMs + p.durationMs + STEP_TIMEOUT_MS;
  const fire = (c, ci) => {
    if (phase === "drain" || sent >= p.maxCount || nowMs() > deadline) {
      if (inflight === 0) drained?.();
      return;
    }
    const n = ++sent;
    const payload = `{"c":${ci},"n":${n},"s":"${body}"}`;
    const t0 = nowMs();
    inflight++;
    c.emitAck("echo", payload, (buf, at) => {
      inflight--;
      // The ack is exactly [payload]: nothing lost, nothing altered.
      if (buf.length - at !== payload.length + 2 || buf.toString("utf8", at + 1, buf.length - 1) !== payload) {
        c.errors.push(`echo ${n} answered ${buf.toString("utf8", at).slice(0, 80)}`);
      }
      if (phase === "measure") {
        acks++;
        lat.push(nowMs() - t0);
      }
      fire(c, ci);
    });
  };
  clients.forEach((c, i) => fire(c, i));
  await new Promise((r) => setTimeout(r, p.warmupMs));
  const w = await openWindow(ctx);
  phase = "measure";
  await new Promise((r) => setTimeout(r, p.durationMs));
  const closing = closeWindow(ctx, w); // stops the CPU window synchronously
  const measured = acks;
  const cpu = await closing;
  phase = "drain";
  await within(STEP_TIMEOUT_MS, "the last acks", new Promise((r) => {
    drained = r;
    if (inflight === 0) r();
  }));
  assertClean(clients, "echo");
  await closeAll(clients);
  check(measured > 0, "no ack in the window");
  return {
    clients: p.clients,
    transport: p.transport,
    acks: measured,
    acksPerSec: round((measured * 1000) / cpu.wallMs, 1),
    serverCpuUsPerAck: round(cpu.serverCpuUs / measured, 2),
    ackMs: latencySummary(lat),
    totalSent: sent,
    cpu,
  };
}

/**
 * fanout: `p.clients` WebSocket clients; client 0 sends `broadcast` (to all, p.rooms = 0) or
 * `toRoom` (client i is in room r<i % rooms>), `p.inflight` at a time. Each client must see every
 * message meant for it exactly once, in order; a message is complete when its ack and its last
 * delivery have arrived (the fan-out completion latency is measured to the last delivery).
 *
 * A cluster (ctx.urls, two or more nodes on one Redis): client i connects directly to node
 * i % nodes (no proxy), so client 0, the sender, is on the first node and the others are split
 * evenly; a message is complete when every client on every node has it. The CPU window sums the
 * nodes and redis-server (ctx.processes).
 */
export async function fanout(ctx) {
  const { url, p } = ctx;
  const urls = ctx.urls ?? [url];
  const rooms = p.rooms || 0;
  const total = p.warmupCount + p.maxCount;
  const expected = new Array(total);
  const deliveries = new Int32Array(total);
  const tSend = new Float64Array(total);
  const acked = new Uint8Array(total);
  const completeAt = new Float64Array(total);
  const fill = "x".repeat(p.payloadBytes ?? 64);
  const event = rooms ? "roomMsg" : "bcast";
  const recipients = (k) => (rooms ? Math.floor(p.clients / rooms) + ((k % rooms) < (p.clients % rooms) ? 1 : 0) : p.clients);
  const prefix = Buffer.from(`42["${event}",{"b":`);
  let onComplete = null;
  let strayErrors = 0;
  const clientOpts = (i) => ({
    onEvent(buf) {
      const c = this;
      // 42["bcast",{"b":K,"p":"xxx"}] — K read from the bytes, then the whole message compared.
      let k = 0;
      let i2 = prefix.length;
      if (buf.length < prefix.length || buf.compare(prefix, 0, prefix.length, 0, prefix.length) !== 0) {
        c.errors.push(`unexpected event ${buf.toString().slice(0, 80)}`);
        return;
      }
      while (buf[i2] >= 0x30 && buf[i2] <= 0x39) k = k * 10 + (buf[i2++] - 0x30);
      if (k >= total || !expected[k] || !buf.equals(expected[k])) {
        c.errors.push(`message ${k} altered or unknown: ${buf.toString().slice(0, 80)}`);
        return;
      }
      if (k !== c.nextExpected) {
        c.errors.push(`expected message ${c.nextExpected}, got ${k} (${k < c.nextExpected ? "duplicate" : "lost"})`);
        strayErrors++;
      }
      c.nextExpected = k + (rooms || 1);
      if (++deliveries[k] === recipients(k)) {
        completeAt[k] = nowMs();
        onComplete(k);
      }
    },
    client: i,
  });
  const clients = [];
  for (let i = 0; i < p.clients; i += 100) {
    const group = [];
    for (let j = i; j < Math.min(p.clients, i + 100); j++) {
      const o = clientOpts(j);
      const c = new WsClient(urls[j % urls.length], {});
      c.onEvent = o.onEvent.bind(c);
      c.nextExpected = rooms ? j % rooms : 0;
      group.push(c);
    }
    const rs = await within(STEP_TIMEOUT_MS * 4, "connecting", Promise.all(group.map((c) => c.connect())));
    rs.forEach((r) => check(r.ok, `refused: ${r.message}`));
    clients.push(...group);
  }
  if (rooms) {
    await within(STEP_TIMEOUT_MS * 4, "joining rooms", Promise.all(clients.map((c, i) => new Promise((resolve) => {
      c.emitAck("join", `"r${i % rooms}"`, (buf, at) => {
        if (buf.toString("utf8", at) !== "[true]") c.errors.push(`join answered ${buf.toString("utf8", at)}`);
        resolve();
      });
    }))));
  }
  const sender = clients[0];
  const fanoutMs = [];
  const ackMs = [];
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
      const payload = `{"b":${k},"p":"${fill}"}`;
      expected[k] = Buffer.from(`42["${event}",${payload}]`);
      tSend[k] = nowMs();
      inflight++;
      const args = rooms ? `"r${k % rooms}",${payload}` : payload;
      sender.emitAck(rooms ? "toRoom" : "broadcast", args, (buf, at) => {
        if (buf.toString("utf8", at) !== "[true]") sender.errors.push(`${event} ${k} acked ${buf.toString("utf8", at)}`);
        acked[k] = 1;
        if (k >= measureFrom) ackMs.push(nowMs() - tSend[k]);
        finished(k);
      });
    }
    if (inflight === 0) idle?.();
  };
  const runPhase = (ms) => within(ms + STEP_TIMEOUT_MS, "fan-out messages to complete", new Promise((resolve) => {
    idle = resolve;
    launch();
  }));
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
  for (let k = 0; k < next; k++) check(deliveries[k] === recipients(k), `message ${k}: ${deliveries[k]} of ${recipients(k)} deliveries`);
  clients.forEach((c, i) => {
    // every client saw all the messages meant for it (the last expected id is past the last sent)
    check(c.nextExpected >= next && c.nextExpected < next + (rooms || 1), `client ${i} stopped at message ${c.nextExpected} of ${next}`);
  });
  assertClean(clients, "fan-out");
  check(strayErrors === 0, "deliveries out of order");
  await closeAll(clients);
  check(measured > 0, "no message completed in the window");
  return {
    clients: p.clients,
    rooms,
    inflight: p.inflight,
    ...(urls.length > 1 ? { nodes: urls.length, clientsPerNode: urls.map((_, n) => clients.filter((_, i) => i % urls.length === n).length) } : {}),
    messages: measured,
    deliveries: delivered,
    deliveriesPerSec: round((delivered * 1000) / cpu.wallMs, 1),
    serverCpuUsPerDelivery: round(cpu.serverCpuUs / delivered, 3),
    ...(cpu.perProcess ? { cpuUsPerDeliveryByProcess: Object.fromEntries(Object.entries(cpu.perProcess).map(([k, v]) => [k, round(v.cpuUs / delivered, 3)])) } : {}),
    fanoutMs: latencySummary(fanoutMs),
    ackMs: latencySummary(ackMs),
    cpu,
  };
}

/**
 * idle-memory: WebSocket clients connected in steps of p.step up to p.clients; at each step the
 * server's heap after a full GC and its RSS. Slopes are least squares over the steps from p.step
 * on (the empty server is only the baseline). At the end one broadcast reaches every client:
 * all connections were really held.
 */
export async function idleMemory(ctx) {
  const { url, p } = ctx;
  await heapAfterGc(ctx.serverKind, ctx.serverPid, url); // the first jcmd starts the JVM's attach listener
  const points = [];
  const measure = async (n) => {
    const m = await heapAfterGc(ctx.serverKind, ctx.serverPid, url);
    points.push({ connections: n, heapBytes: m.heapUsedBytes, rssBytes: m.rssBytes });
  };
  await measure(0);
  const clients = [];
  let received = 0;
  const onEvent = function (buf) {
    if (buf.toString() === '42["bcast","all-held"]') received++;
    else this.errors.push(`unexpected ${buf.toString().slice(0, 60)}`);
  };
  const tStart = nowMs();
  while (clients.length < p.clients) {
    check(nowMs() - tStart < p.maxMs, `only ${clients.length} connections after ${p.maxMs} ms`);
    const more = await connectMany(url, "websocket", Math.min(p.step, p.clients - clients.length), 200);
    more.forEach((c) => (c.onEvent = onEvent.bind(c)));
    clients.push(...more);
    await measure(clients.length);
  }
  const t0 = nowMs();
  await within(STEP_TIMEOUT_MS * 4, "broadcast to every idle client", new Promise((resolve) => {
    clients[0].emitAck("broadcast", '"all-held"', () => {
      const tick = () => (received >= clients.length ? resolve() : setTimeout(tick, 5));
      tick();
    });
  }));
  const broadcastMs = nowMs() - t0;
  // What the held connections are made of (Java only: the live objects by class, after a full GC).
  const histogram = ctx.serverKind === "java" ? javaHistogram(ctx.serverPid, 30) : null;
  const nmt = ctx.serverKind === "java" ? javaNativeMemory(ctx.serverPid) : null;
  check(received === clients.length, `broadcast reached ${received} of ${clients.length}`);
  assertClean(clients, "idle connections");
  for (const c of clients) {
    c.closedByUs = true;
    c.ws.terminate();
  }
  const fit = points.filter((x) => x.connections >= p.step);
  const xs = fit.map((x) => x.connections / 1000);
  const last = points[points.length - 1];
  return {
    connections: clients.length,
    rssSlopeKBPer1000: round(slope(xs, fit.map((x) => x.rssBytes / 1024)), 1),
    heapSlopeKBPer1000: round(slope(xs, fit.map((x) => x.heapBytes / 1024)), 1),
    heapAfterGcMB: round(last.heapBytes / 1048576, 1),
    rssMB: round(last.rssBytes / 1048576, 1),
    baselineHeapMB: round(points[0].heapBytes / 1048576, 1),
    baselineRssMB: round(points[0].rssBytes / 1048576, 1),
    broadcastToAllMs: round(broadcastMs, 1),
    ...(histogram ? { liveObjectsTop: histogram } : {}),
    ...(nmt ? { nativeMemoryCommittedKB: nmt } : {}),
    points,
    rssNowBytes: processRssBytes(ctx.serverPid),
  };
}

/** The top of `jcmd <pid> GC.class_histogram` (forces a full GC): [{class, instances, bytes}] plus the total. */
export function javaHistogram(pid, n) {
  const text = execFileSync(JCMD, [String(pid), "GC.class_histogram"], { encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 2 ** 20 });
  const rows = [];
  let total = null;
  for (const line of text.split("\n")) {
    const m = /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line);
    if (m && rows.length < n) rows.push({ class: m[3], instances: Number(m[1]), bytes: Number(m[2]) });
    const t = /^Total\s+(\d+)\s+(\d+)/.exec(line);
    if (t) total = { instances: Number(t[1]), bytes: Number(t[2]) };
  }
  return { total, top: rows };
}

/** With -XX:NativeMemoryTracking=summary: committed KB by NMT category; otherwise null. */
function javaNativeMemory(pid) {
  let text;
  try {
    text = execFileSync(JCMD, [String(pid), "VM.native_memory", "summary"], { encoding: "utf8", timeout: 60_000 });
  } catch {
    return null;
  }
  if (!/committed=/.test(text)) return null;
  const out = {};
  for (const m of text.matchAll(/^-\s+([A-Za-z ]+?) \(reserved=\d+KB, committed=(\d+)KB\)/gm)) out[m[1].trim()] = Number(m[2]);
  const total = /Total: reserved=\d+KB, committed=(\d+)KB/.exec(text);
  if (total) out.Total = Number(total[1]);
  return out;
}

export const SCENARIO_KINDS = { connect, echo, fanout, idleMemory, c100k };
