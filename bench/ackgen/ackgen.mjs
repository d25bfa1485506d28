// A second, independent load generator for "CPU per ack" (issue #14): the official socket.io-client
// 4.8 (engine.io-client over `ws`), not bench/loadgen's hand-written raw frames. BENCHMARKS.md,
// section "CPU per ack with another generator", says why it exists and what it found.
//
//   taskset -c 1 node bench/ackgen/ackgen.mjs [--servers java,node]
//       [--jar base=/tmp/a.jar,nb=target/switchboard.jar+--non-blocking-handlers]   (A/B: one Java run per variant)
//       [--rounds 3] [--clients 100] [--inflight 1] [--warmup-ms 5000] [--window-ms 6000]
//       [--payload object|string|large|binary] [--out file.json]
//
// For every round and every server (their order alternates from round to round) it starts the server
// fresh on a free port, pinned to CPU 0 (`taskset -c 0`, as bench/run.mjs does), connects `clients`
// official clients over WebSocket only, each keeping `inflight` `emit("echo", payload, ack)` in flight
// (closed loop), warms up, then measures one window: the server's utime + stime from /proc/<pid>/stat,
// its context switches summed over /proc/<pid>/task/*/status, and this process's own CPU. Every ack
// must equal the payload sent (deep equality on a JSON round trip), or the run fails.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const TICK_US = 1e6 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
// bench/run.mjs's flags (BENCHMARKS.md says why); ACKGEN_JVM_FLAGS adds some (e.g. -XX:+PrintCompilation)
const JVM_FLAGS = ["-XX:+UseSerialGC", "-Xms256m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:TrimNativeHeapInterval=1000",
  ...(process.env.ACKGEN_JVM_FLAGS ?? "").split(/\s+/).filter(Boolean)];

function parseArgs(argv) {
  const o = { servers: ["java", "node"], jars: null, rounds: 3, clients: 100, inflight: 1, warmupMs: 30000,
    warmupAcks: 60000, windowMs: 6000, payload: "object", out: null, waitQuietS: 0 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    const int = () => {
      const n = Number(v());
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${k} needs a positive integer`);
      return n;
    };
    if (k === "--servers") o.servers = v().split(",");
    else if (k === "--jar") o.jars = Object.fromEntries(v().split(",").map((s) => s.split("=")));
    else if (k === "--rounds") o.rounds = int();
    else if (k === "--clients") o.clients = int();
    else if (k === "--inflight") o.inflight = int();
    else if (k === "--warmup-ms") o.warmupMs = int();
    else if (k === "--warmup-acks") o.warmupAcks = int();
    else if (k === "--wait-quiet") o.waitQuietS = int();
    else if (k === "--window-ms") o.windowMs = int();
    else if (k === "--payload") o.payload = v();
    else if (k === "--out") o.out = v();
    else throw new Error(`unknown option ${k}`);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
// "java" with --jar expands to one server per named jar (an A/B of two builds in the same run)
const kinds = opts.servers.flatMap((s) => (s === "java" && opts.jars
  ? Object.entries(opts.jars).map(([name, spec]) => {
    const [jar, ...args] = spec.split("+"); // jar+--flag+--flag: bench-server flags of that variant
    return { name: `java-${name}`, jar, args };
  })
  : [{ name: s, jar: path.join(ROOT, "target/switchboard.jar"), args: [] }]));

function payloadFor(ci, n) {
  switch (opts.payload) {
    case "object": return { c: ci, n, s: "hello-switchboard-0123456789" };
    case "string": return `echo ${ci} ${n} hello-switchboard-0123456789`;
    case "large": return { c: ci, n, s: "x".repeat(4000) };
    case "binary": return Buffer.from(`binary ${ci} ${n} hello-switchboard`);
    default: throw new Error(`unknown payload ${opts.payload}`);
  }
}

function startServer(kind) {
  const argv = kind.name === "node"
    ? ["node", "--expose-gc", path.join(ROOT, "bench/node-server.js")]
    : ["java", ...JVM_FLAGS, "-jar", kind.jar, "bench-server", ...kind.args];
  const child = spawn("taskset", ["-c", "0", ...argv], { cwd: ROOT, env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"] });
  const log = process.env.ACKGEN_SERVER_LOG ? createWriteStream(`${process.env.ACKGEN_SERVER_LOG}.${kind.name}`) : null;
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`${kind.name} did not start`)), 30_000);
    child.on("exit", (c) => reject(new Error(`${kind.name} exited ${c}`)));
    child.stdout.on("data", (d) => {
      buf += d;
      log?.write(d);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.stdout.removeAllListeners("data");
        if (log) child.stdout.pipe(log);
        else child.stdout.resume();
        resolve({ child, pid: child.pid, url: m[1] });
      }
    });
  });
}

function stopServer(s) {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve();
    const t = setTimeout(() => s.child.kill("SIGKILL"), 10_000);
    s.child.once("exit", () => { clearTimeout(t); resolve(); });
    s.child.kill("SIGTERM");
  });
}

/** Busy ticks per CPU (/proc/stat: everything but idle, iowait and steal), to see who else ran. */
function cpuTicks() {
  const out = {};
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    out[m[1]] = { busy: f[0] + f[1] + f[2] + f[5] + f[6], all: f.slice(0, 8).reduce((x, y) => x + y, 0) };
  }
  return out;
}

/** --wait-quiet: up to `limitS` seconds until the whole machine was under 25 % busy for 2 s. */
async function waitQuiet(limitS) {
  const t0 = Date.now();
  for (;;) {
    const a = cpuTicks();
    await new Promise((r) => setTimeout(r, 2000));
    const b = cpuTicks();
    let busy = 0;
    let all = 0;
    for (const k of Object.keys(b)) {
      busy += b[k].busy - a[k].busy;
      all += b[k].all - a[k].all;
    }
    const pct = all > 0 ? (100 * busy) / all : 0;
    if (pct < 25 || Date.now() - t0 > limitS * 1000) return { waitedMs: Date.now() - t0, busyPct: Math.round(pct) };
  }
}

/** utime + stime of the whole process (µs) and context switches over its threads. */
function sample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuUs = (Number(f[11]) + Number(f[12])) * TICK_US; // fields 14 and 15 (utime, stime)
  let vol = 0;
  let invol = 0;
  const threads = {}; // thread name (digits folded to N) -> utime + stime, µs
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ts = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8");
      const name = ts.slice(ts.indexOf("(") + 1, ts.lastIndexOf(")")).replace(/\d+/g, "N");
      const tf = ts.slice(ts.lastIndexOf(")") + 2).split(" ");
      threads[name] = (threads[name] ?? 0) + (Number(tf[11]) + Number(tf[12])) * TICK_US;
      const s = readFileSync(`/proc/${pid}/task/${t}/status`, "utf8");
      vol += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(s)[1]);
      invol += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(s)[1]);
    } catch { /* a thread that ended */ }
  }
  return { cpuUs, vol, invol, threads, at: performance.now(), gen: process.cpuUsage(), cpus: cpuTicks() };
}

async function runOne(kind) {
  const quiet = opts.waitQuietS ? await waitQuiet(opts.waitQuietS) : null;
  const server = await startServer(kind);
  const clients = [];
  try {
    for (let i = 0; i < opts.clients; i++) {
      const c = io(server.url, { transports: ["websocket"], auth: { token: "bench-secret" }, reconnection: false,
        forceNew: true });
      clients.push(c);
    }
    await Promise.all(clients.map((c) => new Promise((res, rej) => {
      c.once("connect", res);
      c.once("connect_error", rej);
    })));
    let phase = "warmup";
    let acks = 0;
    let bad = null;
    let inflight = 0;
    let drained = null;
    let n = 0;
    const fire = (c, ci) => {
      if (phase === "drain") {
        if (inflight === 0) drained?.();
        return;
      }
      const p = payloadFor(ci, ++n);
      const expect = opts.payload === "binary" ? null : JSON.stringify(p);
      inflight++;
      c.emit("echo", p, (answer) => {
        inflight--;
        if (expect === null ? !Buffer.from(answer).equals(p) : JSON.stringify(answer) !== expect) {
          bad ??= `ack ${JSON.stringify(answer)?.slice(0, 80)} for ${expect?.slice(0, 80)}`;
        }
        if (phase === "measure") acks++;
        fire(c, ci);
      });
    };
    clients.forEach((c, i) => { for (let k = 0; k < opts.inflight; k++) fire(c, i); });
    // warm-up: until `warmupAcks` acks (the JIT done with the path) or `warmupMs`, whichever first;
    // with a slow generator a fixed time leaves C2 compiling inside the window
    const warmStart = performance.now();
    let warmAcks = 0;
    while (warmAcks < opts.warmupAcks && performance.now() - warmStart < opts.warmupMs) {
      await new Promise((r) => setTimeout(r, 200));
      warmAcks = n - inflight;
    }
    const warmedMs = Math.round(performance.now() - warmStart);
    const a = sample(server.pid);
    phase = "measure";
    await new Promise((r) => setTimeout(r, opts.windowMs));
    const b = sample(server.pid);
    const measured = acks;
    phase = "drain";
    await new Promise((r) => {
      drained = r;
      if (inflight === 0) r();
      setTimeout(r, 10_000);
    });
    if (bad) throw new Error(`${kind.name}: ${bad}`);
    if (measured === 0) throw new Error(`${kind.name}: no ack in the window`);
    const secs = (b.at - a.at) / 1000;
    const genUs = (b.gen.user + b.gen.system) - (a.gen.user + a.gen.system);
    const ticks = (cpu) => ({ busy: b.cpus[cpu].busy - a.cpus[cpu].busy, all: b.cpus[cpu].all - a.cpus[cpu].all });
    const busyPct = (cpu) => { const t = ticks(cpu); return t.all > 0 ? (100 * t.busy) / t.all : 0; };
    const serverCpuPct = ((b.cpuUs - a.cpuUs) / 1e6 / secs) * 100;
    const genPct = (genUs / 1e6 / secs) * 100;
    return {
      server: kind.name, warmupMs: warmedMs, warmupAcks: warmAcks, quiet,
      // what other processes took of the server's CPU 0 and the generator's CPU 1 during the window
      othersOnCpu0Pct: Math.max(0, Math.round(busyPct("0") - serverCpuPct)),
      othersOnCpu1Pct: Math.max(0, Math.round(busyPct("1") - genPct)),
      acks: measured, acksPerSec: Math.round(measured / secs),
      cpuPerAckUs: +((b.cpuUs - a.cpuUs) / measured).toFixed(2),
      serverCpuPct: Math.round(((b.cpuUs - a.cpuUs) / 1e6 / secs) * 100),
      ctxSwitchesPerAck: +(((b.vol - a.vol) + (b.invol - a.invol)) / measured).toFixed(3),
      genCpuPct: Math.round((genUs / 1e6 / secs) * 100),
      // µs per ack by thread kind (C2/C1 compiler threads here mean the JIT was still at work)
      threadsPerAckUs: Object.fromEntries(Object.entries(b.threads)
        .map(([k, v]) => [k, +((v - (a.threads[k] ?? 0)) / measured).toFixed(2)])
        .filter(([, v]) => v > 0).sort((x, y) => y[1] - x[1])),
    };
  } finally {
    for (const c of clients) c.close();
    await stopServer(server);
  }
}

const results = [];
const meta = { at: new Date().toISOString(), loadavg: os.loadavg(), opts };
console.log(`# ackgen ${JSON.stringify(opts)} loadavg ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
for (let r = 0; r < opts.rounds; r++) {
  const order = r % 2 === 0 ? kinds : [...kinds].reverse();
  for (const k of order) {
    const res = { round: r + 1, ...(await runOne(k)), loadavg1: +os.loadavg()[0].toFixed(2) };
    results.push(res);
    console.log(JSON.stringify(res));
  }
}
const med = (xs) => { const s = [...xs].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const summary = {};
for (const k of kinds) {
  const mine = results.filter((x) => x.server === k.name);
  summary[k.name] = { cpuPerAckUs: med(mine.map((x) => x.cpuPerAckUs)), acksPerSec: med(mine.map((x) => x.acksPerSec)) };
}
if (summary.node) {
  for (const k of kinds) if (k.name !== "node") summary[k.name].ratio = +(summary[k.name].cpuPerAckUs / summary.node.cpuPerAckUs).toFixed(2);
  // per round, each Java build against the Node run of the same round
  for (const k of kinds) {
    if (k.name === "node") continue;
    summary[k.name].ratioPerRound = results.filter((x) => x.server === k.name).map((x) => {
      const nd = results.find((y) => y.server === "node" && y.round === x.round);
      return +(x.cpuPerAckUs / nd.cpuPerAckUs).toFixed(2);
    });
  }
}
console.log(`# median ${JSON.stringify(summary)}`);
if (opts.out) writeFileSync(opts.out, JSON.stringify({ meta, results, summary }, null, 1));
process.exit(0);
