// c100k (issue #14): p.clients authenticated WebSocket clients held by one server, idle through
// several heartbeats, then broadcasts to all of them. BENCHMARKS.md, section "C100K (issue #14)".
//
// The clients live in p.workers-many processes (c100k-worker.mjs, forked here, so pinned where this
// process is): a process may hold only `ulimit -n` sockets. Client i connects from 127.0.0.<2 + i % 254>
// (past the 28 K ephemeral ports of one source address), with its own HS256 token of the chat
// server's shape (one session each) that the server verifies on CONNECT (AUTH_MODE=jwt).
//
// Phases and what each measures:
//   1. connect: every client, p.inflight per worker at a time → connect rate, refused/failed count
//   2. idle for p.idleMs (several pingIntervals) → server CPU per idle connection per minute
//      (heartbeats only), clients dropped, heartbeats on time (longest wait for a ping per client)
//   3. heap after a full GC and RSS of the server holding them all (with p.detail also right after
//      the connects, and for Java the live objects by class)
//   4. p.broadcasts broadcasts, one at a time: client 0 sends `broadcast`, the server emits `bcast`
//      to every socket → time from the send to the last client's delivery (all processes read the
//      same CLOCK_MONOTONIC), every connected client must get each one exactly once
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WsClient } from "./clients.mjs";
import { javaHistogram } from "./scenarios.mjs";
import { BenchError, check, closeWindow, heapAfterGc, nowMs, openWindow, processCpuMicros, processRssBytes, round, sleep, within } from "./common.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The soft and hard `Max open files` of a process (/proc/<pid>/limits). */
function openFileLimit(pid) {
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(readFileSync(`/proc/${pid}/limits`, "utf8"));
  const n = (x) => (x === "unlimited" ? Infinity : Number(x));
  return m ? { soft: n(m[1]), hard: n(m[2]) } : { soft: Infinity, hard: Infinity };
}

/** A forked worker with a request/answer helper: `await w.ask({cmd}, "type")`. */
function startWorker(cfg) {
  const child = fork(path.join(HERE, "c100k-worker.mjs"), [JSON.stringify(cfg)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting = new Map();
  const inbox = new Map();
  let exited = null;
  child.on("message", (m) => {
    const w = waiting.get(m.type);
    if (w) {
      waiting.delete(m.type);
      w.resolve(m);
    } else inbox.set(m.type, m);
  });
  child.on("exit", (code, sig) => {
    exited = new BenchError(`c100k worker for clients ${cfg.from}.. exited (${code ?? sig})`);
    for (const w of waiting.values()) w.reject(exited);
    waiting.clear();
  });
  const next = (type) => new Promise((resolve, reject) => {
    const have = inbox.get(type);
    if (have) {
      inbox.delete(type);
      return resolve(have);
    }
    if (exited) return reject(exited);
    waiting.set(type, { resolve, reject });
  });
  return {
    cfg, child, next,
    ask(msg, type) {
      const p = next(type);
      child.send(msg);
      return p;
    },
  };
}

const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);

async function gatherStats(workers) {
  const s = await Promise.all(workers.map((w) => within(60_000, "worker stats", w.ask({ cmd: "stats" }, "stats"))));
  return {
    held: sum(s, (x) => x.held),
    dropped: sum(s, (x) => x.dropped),
    pings: sum(s, (x) => x.pings),
    late: sum(s, (x) => x.late),
    noPing: sum(s, (x) => x.noPing),
    maxGapMs: round(Math.max(0, ...s.map((x) => x.maxGapMs))),
    p99GapMsWorst: round(Math.max(0, ...s.map((x) => x.p99GapMs ?? 0))),
    pingIntervalMs: s.find((x) => x.pingIntervalMs !== null)?.pingIntervalMs ?? null,
    pingTimeoutMs: s.find((x) => x.pingTimeoutMs !== null)?.pingTimeoutMs ?? null,
    errors: s.flatMap((x) => x.errors).slice(0, 10),
  };
}

/** One broadcast from client 0 to everyone; resolves {ms, reached}. */
async function broadcastOnce(workers, text, expectedCount, timeoutMs) {
  await Promise.all(workers.map((w) => w.ask({ cmd: "expect", text }, "expecting")));
  const answered = new Array(workers.length).fill(false);
  const received = workers.map((w, n) => w.next("received").then((x) => {
    answered[n] = true;
    return x;
  }));
  const { at } = await workers[0].ask({ cmd: "send", text }, "sent");
  let timedOut = false;
  let reports = await Promise.race([Promise.all(received), sleep(timeoutMs).then(() => null)]);
  if (!reports) {
    // not everyone has it: ask the others what came, so the result says how many it reached
    timedOut = true;
    workers.forEach((w, n) => answered[n] || w.child.send({ cmd: "report" }));
    reports = await within(30_000, "broadcast reports", Promise.all(received));
  }
  const reached = sum(reports, (r) => r.count);
  const lastAt = Math.max(...reports.map((r) => r.lastAt));
  return { ms: round(lastAt - at, 1), reached, expected: expectedCount, timedOut };
}

export async function c100k(ctx) {
  const { url, p } = ctx;
  const secret = ctx.env.JWT_SECRET;
  check(ctx.env.AUTH_MODE === "jwt" && secret, "c100k needs the server in AUTH_MODE=jwt with JWT_SECRET (scenarios.config.mjs)");
  // The server and every worker need a descriptor per client; say so before trying.
  const serverFiles = openFileLimit(ctx.serverPid);
  const ownFiles = openFileLimit(process.pid);
  const perWorker = Math.min(p.perWorker, ownFiles.soft - 200);
  check(serverFiles.soft >= p.clients + 200,
    `the server may open ${serverFiles.soft} files (ulimit -n; hard limit ${serverFiles.hard}), too few for ${p.clients} clients: `
    + `raise the hard limit (limits.conf / systemd LimitNOFILE / CAP_SYS_RESOURCE), or run fewer: --set c100k.clients=${Math.max(0, serverFiles.soft - 500)}`);
  check(perWorker > 0, `this process may open only ${ownFiles.soft} files (ulimit -n)`);

  // A bad token must be refused on this server as on every other connect benchmark.
  const bad = new WsClient(url, { token: "not-a-jwt" });
  const r = await within(15_000, "bad-token connect", bad.connect());
  check(!r.ok && r.message === "unauthorized", `a bad token was not refused with "unauthorized": ${JSON.stringify(r)}`);
  await within(15_000, "closing the refused client", bad.close());

  const base = await heapAfterGc(ctx.serverKind, ctx.serverPid, url);

  const nWorkers = Math.ceil(p.clients / perWorker);
  const workers = [];
  for (let n = 0; n < nWorkers; n++) {
    const from = n * perWorker;
    const w = startWorker({ url, from, count: Math.min(perWorker, p.clients - from), secret, inflight: p.inflight });
    await within(30_000, "worker start", w.next("ready"));
    workers.push(w);
  }
  const workerCpu = () => sum(workers, (w) => processCpuMicros(w.child.pid));
  try {
    // 1. connect
    const serverCpu0 = processCpuMicros(ctx.serverPid);
    const gen0 = workerCpu();
    const t0 = nowMs();
    const done = await within(p.connectMaxMs, "connecting every client",
      Promise.all(workers.map((w) => w.ask({ cmd: "connect" }, "connected"))));
    const connectMs = nowMs() - t0;
    const connectServerCpuUs = processCpuMicros(ctx.serverPid) - serverCpu0;
    const connectGenCpuUs = workerCpu() - gen0;
    const connected = sum(done, (x) => x.connected);
    const failed = sum(done, (x) => x.failed);
    const afterConnect = p.detail ? await heapAfterGc(ctx.serverKind, ctx.serverPid, url) : null;
    console.error(`c100k: ${connected} of ${p.clients} connected in ${Math.round(connectMs)} ms; idle ${p.idleMs} ms`);

    // 2. idle through the heartbeats
    const gen1 = workerCpu();
    const w = await openWindow(ctx);
    await sleep(p.idleMs);
    const cpu = await closeWindow(ctx, w);
    const idleGenCpuUs = workerCpu() - gen1;
    const idle = await gatherStats(workers);

    // 3. memory holding them all (Java: and what it is made of, the live objects by class)
    const mem = await heapAfterGc(ctx.serverKind, ctx.serverPid, url);
    const histogram = p.detail && ctx.serverKind === "java" ? javaHistogram(ctx.serverPid, 30) : null;

    // 4. broadcasts to all
    // (the server's CPU over them too: on a busy machine the wall time says more about the others)
    const broadcasts = [];
    const bcastCpu0 = processCpuMicros(ctx.serverPid);
    for (let b = 0; b < p.broadcasts; b++) {
      broadcasts.push(await broadcastOnce(workers, `c100k-${b}`, idle.held, p.broadcastTimeoutMs));
    }
    const bcastCpuUs = processCpuMicros(ctx.serverPid) - bcastCpu0;
    const end = await gatherStats(workers);
    const ms = broadcasts.map((x) => x.ms).sort((a, b) => a - b);
    return {
      clients: p.clients,
      workers: nWorkers,
      sourceAddresses: Math.min(254, p.clients),
      serverOpenFileLimit: serverFiles.soft,
      connected,
      failed,
      connectErrors: done.flatMap((x) => x.errors).slice(0, 10),
      connectSeconds: round(connectMs / 1000, 2),
      connectsPerSec: round((connected * 1000) / connectMs, 1),
      serverCpuUsPerConnect: round(connectServerCpuUs / Math.max(1, connected), 1),
      genCpuPctConnect: round((100 * connectGenCpuUs) / (connectMs * 1000), 1),
      idleSeconds: round(cpu.wallMs / 1000, 1),
      heldAfterIdle: idle.held,
      droppedDuringIdle: idle.dropped,
      serverCpuUsPerIdleConnPerMin: round(cpu.serverCpuUs / Math.max(1, idle.held) / (cpu.wallMs / 60_000), 2),
      serverCpuPctIdle: cpu.serverCpuPct,
      genCpuPctIdle: round((100 * idleGenCpuUs) / (cpu.wallMs * 1000), 1),
      heartbeats: { pingIntervalMs: idle.pingIntervalMs, pingTimeoutMs: idle.pingTimeoutMs, pings: end.pings,
        pingsPerClient: round(end.pings / Math.max(1, end.held), 2), late: end.late, clientsWithoutPing: end.noPing,
        longestWaitMs: end.maxGapMs, p99LongestWaitMs: end.p99GapMsWorst },
      heapAfterGcMB: round(mem.heapUsedBytes / 1048576, 1),
      rssMB: round(mem.rssBytes / 1048576, 1),
      baselineHeapMB: round(base.heapUsedBytes / 1048576, 1),
      baselineRssMB: round(base.rssBytes / 1048576, 1),
      ...(afterConnect ? { heapAfterConnectMB: round(afterConnect.heapUsedBytes / 1048576, 1) } : {}),
      heapBytesPerClient: round((mem.heapUsedBytes - base.heapUsedBytes) / Math.max(1, idle.held), 0),
      rssBytesPerClient: round((mem.rssBytes - base.rssBytes) / Math.max(1, idle.held), 0),
      broadcastToAllMs: ms[0] === undefined ? null : ms[Math.floor((ms.length - 1) / 2)],
      broadcastToAllMaxMs: ms.length ? ms[ms.length - 1] : null,
      broadcasts,
      // includes the heartbeats of those seconds (about 0.1 ms per second per 1 000 clients)
      serverCpuMsPerBroadcast: round(bcastCpuUs / 1000 / Math.max(1, broadcasts.length), 1),
      serverCpuUsPerDelivery: round(bcastCpuUs / Math.max(1, sum(broadcasts, (x) => x.reached)), 2),
      broadcastReachedAll: broadcasts.every((x) => x.reached === x.expected && !x.timedOut),
      heldAtEnd: end.held,
      dropped: end.dropped,
      errors: end.errors,
      rssAtEndMB: round(processRssBytes(ctx.serverPid) / 1048576, 1),
      ...(histogram ? { liveObjectsTop: histogram } : {}),
      // the summary's "gen CPU" column: the whole generator (this process and the workers) while idle
      cpu: { ...cpu, genCpuPct: round(cpu.genCpuPct + (100 * idleGenCpuUs) / (cpu.wallMs * 1000), 1) },
    };
  } finally {
    await Promise.all(workers.map((w) => within(60_000, "closing a worker", w.ask({ cmd: "close" }, "closed")).catch(() => w.child.kill("SIGKILL"))));
  }
}
