// Shared pieces of the load generator: the loopback guard, bounded loops, statistics, and the
// server-side measurements read from /proc (CPU, RSS) and the heap-after-GC hooks.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";

/** Refuses every target but 127.0.0.1: this generator never sends traffic anywhere else. */
export function loopbackOnly(url) {
  const u = new URL(url);
  if (u.hostname !== "127.0.0.1") throw new Error(`refusing target ${url}: the load generator only talks to 127.0.0.1`);
  if (u.protocol !== "http:") throw new Error(`refusing target ${url}: http only`);
  return u;
}

export class BenchError extends Error {}

/** The JDK's jcmd (BenchSmokeTest passes the one of the JDK running the tests). */
export const JCMD = process.env.JCMD || "jcmd";

export function check(cond, message) {
  if (!cond) throw new BenchError(message);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` with `what` in the message; every await on the network goes through this. */
export function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new BenchError(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Nearest-rank percentile of an unsorted array (copied and sorted). */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort(); // typed-array sort is numeric
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

export function latencySummary(values) {
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p90: round(percentile(values, 90)),
    p99: round(percentile(values, 99)),
    max: round(values.length ? values.reduce((a, b) => (b > a ? b : a), -Infinity) : null),
  };
}

export function round(x, digits = 3) {
  if (x === null || x === undefined || !Number.isFinite(x)) return x ?? null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Least-squares slope of y over x. */
export function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

let clkTck = null;
function ticksPerSecond() {
  if (clkTck === null) {
    try {
      clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** CPU time (µs) the process `pid` has used so far, user + system, all threads (/proc/<pid>/stat). */
export function processCpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name may contain spaces; fields after it start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / ticksPerSecond();
}

/** Resident set size (bytes) of `pid` (/proc/<pid>/status VmRSS). */
export function processRssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : null;
}

/**
 * Per-thread CPU (µs) and context switches of `pid` (/proc/<pid>/task/<tid>/{stat,status}):
 * which thread burns the CPU, and how often threads hand work to each other.
 */
export function threadSnapshot(pid) {
  const out = new Map();
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
      const vol = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const nonvol = Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const tick = 1e6 / ticksPerSecond();
      out.set(tid, { comm, cpuUs: (Number(f[11]) + Number(f[12])) * tick, sysUs: Number(f[12]) * tick, vol, nonvol });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Thread names without their numbers: "switchboard-worker-3" → "switchboard-worker-#", "GC Thread#0" → "GC Thread#". */
const threadGroup = (comm) => comm.replace(/\d+$/, "#").replace(/-#$/, "-#");

// With PERF_EVENTS set (bench/run.mjs --perf), every window also counts these events of the server
// with `perf stat -p`: system calls by kind and context switches, for the profiler evidence.
const PERF_EVENTS = process.env.BENCH_PERF_EVENTS ?? "";
const perfRuns = [];

/** Waits for the perf stat processes of closed windows and returns their counts by event. */
export async function perfResults() {
  return Promise.all(perfRuns);
}

/** `pid` is one pid or a comma-separated list (perf stat -p takes both; counts are summed). */
function startPerf(pid) {
  const file = `/tmp/bench-perf-${process.pid}-${perfRuns.length}.csv`;
  const child = spawn("perf", ["stat", "-x,", "-o", file, "-e", PERF_EVENTS, "-p", String(pid)], { stdio: "ignore" });
  const done = new Promise((resolve) => child.on("exit", () => {
    const counts = {};
    try {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        const f = line.split(",");
        if (f.length > 3 && /^\d+$/.test(f[0])) counts[f[2]] = Number(f[0]);
      }
    } catch {
      // perf not there or not allowed: no counts
    }
    resolve(counts);
  }));
  return { child, done };
}

/**
 * The measured window of a scenario: `const w = await openWindow(ctx)` ... `const cpu = await closeWindow(ctx, w)`.
 * With ctx.jfr (bench/run.mjs --jfr) the window is also recorded with JFR (jcmd JFR.start / JFR.stop),
 * so the recording holds the measured load only, not start-up and warm-up.
 */
export async function openWindow(ctx) {
  for (const r of jfrRecordings(ctx)) await jcmd(r.pid, ["JFR.start", "name=window", `settings=${ctx.jfr.settings}`]);
  return new CpuWindow(ctx.processes ?? ctx.serverPid).start();
}

export async function closeWindow(ctx, w) {
  const cpu = w.stop();
  // Pinned (ctx.pins from run.mjs): whatever else kept the servers' or the generator's CPU busy in
  // the window — other processes of this machine, in any PID namespace — as a share of that CPU.
  const on = (n) => cpu.machine?.[`cpu${n}`];
  if (ctx.pins && on(ctx.pins.server) && on(ctx.pins.generator)) {
    cpu.othersOnServerCpuPct = round(Math.max(0, on(ctx.pins.server).busyPct - cpu.serverCpuPct), 1);
    cpu.othersOnGeneratorCpuPct = round(Math.max(0, on(ctx.pins.generator).busyPct - cpu.genCpuPct), 1);
  }
  for (const r of jfrRecordings(ctx)) await jcmd(r.pid, ["JFR.stop", "name=window", `filename=${r.file}`]);
  return cpu;
}

/** One server: ctx.jfr.file of ctx.serverPid; a cluster: ctx.jfr.recordings, one [{pid, file}] per JVM. */
function jfrRecordings(ctx) {
  if (!ctx.jfr) return [];
  return ctx.jfr.recordings ?? [{ pid: ctx.serverPid, file: ctx.jfr.file }];
}

function jcmd(pid, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(JCMD, [String(pid), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new BenchError(`jcmd ${args[0]} failed: ${out}`))));
  });
}

/**
 * Per-CPU time in ticks from /proc/stat: busy (user + nice + system + irq + softirq), irq (hard
 * and soft interrupts; /proc/stat keeps them apart, but a process's utime + stime includes those
 * that ran in its context, as the loopback TCP receive work does: here 15-25 % of each CPU) and
 * steal (time the hypervisor gave this virtual CPU's turn to someone else). Busy beyond our own
 * processes, and steal, say how much others took from the run.
 */
function cpuTicks() {
  const out = {};
  try {
    for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
      const m = /^cpu(\d+)\s+(.*)$/.exec(line);
      if (!m) continue;
      const [user, nice, system, idle, iowait, irq, softirq, steal] = m[2].split(/\s+/).map(Number);
      out[`cpu${m[1]}`] = { busy: user + nice + system + irq + softirq, irq: irq + softirq, steal: steal ?? 0, all: user + nice + system + idle + iowait + irq + softirq + (steal ?? 0) };
    }
  } catch {
    // no /proc/stat: no machine figures
  }
  return out;
}

/** Busy and stolen share (%) of each CPU between two cpuTicks() snapshots. */
function cpuShares(t0, t1) {
  const out = {};
  for (const [cpu, b] of Object.entries(t1)) {
    const a = t0[cpu];
    const all = a ? b.all - a.all : 0;
    if (all > 0) {
      const pct = (k) => round((100 * (b[k] - a[k])) / all, 1);
      out[cpu] = { busyPct: pct("busy"), irqPct: pct("irq"), stealPct: pct("steal") };
    }
  }
  return out;
}

/**
 * Measures server and generator CPU over a window: start() ... stop() → numbers. The server is one
 * pid, or (the cluster scenarios) a list of processes [{name, pid}] — the nodes and redis-server —
 * whose CPU is summed into serverCpuUs and also given per process (perProcess).
 */
export class CpuWindow {
  constructor(server) {
    this.processes = Array.isArray(server) ? server : [{ name: null, pid: server }];
  }
  start() {
    if (PERF_EVENTS) this.perf = startPerf(this.processes.map((x) => x.pid).join(","));
    this.threads0 = this.processes.map((x) => threadSnapshot(x.pid));
    this.t0 = nowMs();
    this.cpu0 = this.processes.map((x) => processCpuMicros(x.pid));
    this.gen0 = process.cpuUsage();
    this.machine0 = cpuTicks();
    return this;
  }
  stop() {
    const wallMs = nowMs() - this.t0;
    const perProcessUs = this.processes.map((x, i) => processCpuMicros(x.pid) - this.cpu0[i]);
    const machine = cpuShares(this.machine0, cpuTicks());
    const serverCpuUs = perProcessUs.reduce((a, b) => a + b, 0);
    if (this.perf) {
      this.perf.child.kill("SIGINT");
      perfRuns.push(this.perf.done);
    }
    const g = process.cpuUsage(this.gen0);
    const genCpuUs = g.user + g.system;
    const groups = {};
    let sysUs = 0;
    let vol = 0;
    let nonvol = 0;
    this.processes.forEach((x, i) => {
      for (const [tid, t] of threadSnapshot(x.pid)) {
        const before = this.threads0[i].get(tid) ?? { cpuUs: 0, sysUs: 0, vol: 0, nonvol: 0 };
        const name = x.name ? `${x.name}: ${threadGroup(t.comm)}` : threadGroup(t.comm);
        groups[name] = (groups[name] ?? 0) + (t.cpuUs - before.cpuUs);
        sysUs += t.sysUs - before.sysUs;
        vol += t.vol - before.vol;
        nonvol += t.nonvol - before.nonvol;
      }
    });
    const serverThreadsCpuUs = Object.fromEntries(Object.entries(groups).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));
    return {
      wallMs: round(wallMs),
      serverCpuUs: round(serverCpuUs, 0),
      serverCpuPct: round((100 * serverCpuUs) / (wallMs * 1000), 1),
      ...(this.processes.length > 1 || this.processes[0].name
        ? { perProcess: Object.fromEntries(this.processes.map((x, i) => [x.name, { cpuUs: round(perProcessUs[i], 0), cpuPct: round((100 * perProcessUs[i]) / (wallMs * 1000), 1) }])) }
        : {}),
      genCpuUs: round(genCpuUs, 0),
      genCpuPct: round((100 * genCpuUs) / (wallMs * 1000), 1),
      serverSysCpuUs: Math.round(sysUs),
      serverContextSwitches: { voluntary: vol, involuntary: nonvol },
      serverThreadsCpuUs,
      machine,
    };
  }
}

/**
 * Heap in use right after a full GC, in bytes, plus RSS. Java: `jcmd <pid> GC.run` then
 * `GC.heap_info` (from outside, nothing added to the server). Node: the bench app's
 * GET /bench-stats, which runs gc() (node --expose-gc) and answers process.memoryUsage().
 */
export async function heapAfterGc(kind, pid, baseUrl) {
  if (kind === "java") {
    execFileSync(JCMD, [String(pid), "GC.run"], { encoding: "utf8", timeout: 60_000 });
    const info = execFileSync(JCMD, [String(pid), "GC.heap_info"], { encoding: "utf8", timeout: 60_000 });
    return { heapUsedBytes: parseJavaHeapUsed(info), rssBytes: processRssBytes(pid) };
  }
  const body = await httpGetJson(new URL("/bench-stats", baseUrl));
  check(body.gc === true, "the Node bench server runs without --expose-gc: heap after GC cannot be measured");
  return { heapUsedBytes: body.heapUsed, rssBytes: processRssBytes(pid) };
}

/** Sums the `used NNNK` of the heap lines of `jcmd GC.heap_info` (not Metaspace / class space). */
export function parseJavaHeapUsed(text) {
  let total = 0;
  let found = false;
  for (const line of text.split("\n")) {
    if (/Metaspace|class space/i.test(line)) continue;
    // Serial: " def new generation   total 78656K, used 1234K", " tenured generation   total ..., used ...";
    // G1: " garbage-first heap   total 262144K, used 8192K"; Parallel: " PSYoungGen total .., used .."
    const m = /^\s*(def new generation|tenured generation|garbage-first heap|PSYoungGen|ParOldGen|Shenandoah|ZHeap|.*heap)\b.*used (\d+)K/i.exec(line);
    if (m) {
      total += Number(m[2]) * 1024;
      found = true;
      if (/garbage-first heap/i.test(m[1])) break; // G1 reports one line for the whole heap
    }
  }
  if (!found) throw new BenchError(`cannot read the heap from jcmd GC.heap_info:\n${text}`);
  return total;
}

export function httpGetJson(url) {
  loopbackOnly(url.href);
  return within(30_000, `GET ${url}`, new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (data += c));
      res.on("end", () => {
        try {
          resolve(JSON.parse(data));
        } catch (e) {
          reject(new BenchError(`bad JSON from ${url}: ${data.slice(0, 200)}`));
        }
      });
    });
    req.on("error", reject);
  }));
}
