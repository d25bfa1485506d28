// The benchmark orchestrator (bench/run.sh builds, installs and then calls this):
//   node bench/run.mjs [--smoke] [--rounds N] [--scenarios a,b] [--servers java,node] [--out DIR]
//                      [--java-cmd "java ... dev.switchboard.cli.Main"] [--no-pin] [--reuse-servers|--fresh-servers]
//                      [--jfr]   (records the measured window of every Switchboard run with JFR into <out>/jfr/;
//                                 see bench/jfr-top.mjs)
//                      [--set scenario.param=value]   (overrides a parameter of bench/scenarios.config.mjs)
//                      [--server-env NAME=VALUE]  (adds to every server's environment, e.g. PING_INTERVAL_MS; raw.json keeps it)
//                      [--perf]  (counts each server's system calls and context switches over the window, perf stat)
//                      [--wait-quiet SECONDS]  (on a shared machine: before each run, wait up to SECONDS until
//                                 the machine has been below 25 % busy for 2 s; raw.json records the wait)
//                      [--chat-jars NAME=JAR,NAME=JAR]  (the chat scenarios' servers: `java -jar JAR` for each,
//                                 the first the baseline of the ratios; default head=target/switchboard.jar;
//                                 the issue's targets compare `after` with `before`, or `nohistory` for history)
//                      [--retry-disturbed N]  (a run in which other processes took more than 10 % of the servers'
//                                 or the generator's CPU is marked `disturbed`, left out of the summary, and
//                                 run again, up to N times; pinned runs only)
// Scenarios marked `optIn` (the cluster ones: two nodes of a kind and redis-server; c100k: 100 000
// clients; the chat server's) run only when named, e.g. --scenarios cluster-broadcast-1000-seq,cluster-broadcast-1000-10
// or --scenarios c100k (BENCHMARKS.md); those marked `inSmoke` (the chat's) run in --smoke too.
// A `chat` scenario runs the chat server (`java -jar JAR`, no Node counterpart) with a fresh
// DATA_DIR, once per --chat-jars entry ("server" chat:NAME in raw.json), and its summary compares
// the jars with the first (issue #11: before/after in the same run).
// For every round and scenario it starts each server fresh (Switchboard and Node, the order
// alternating), pinned to CPU 0, runs the scenario in a fresh load-generator process pinned to CPU 1,
// stops the server, and appends the result to raw.json; at the end it writes summary.md.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, readFileSync, existsSync, createWriteStream, readdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { METRICS, SCENARIOS, TARGETS } from "./scenarios.config.mjs";
import { loopbackOnly } from "./loadgen/common.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);

// JVM flags for Switchboard (BENCHMARKS.md says why): Serial GC, what the JVM picks itself on one
// CPU; a fixed 256 MB heap, the issue's bound for 10 000 idle connections, in every scenario.
//
// -XX:TrimNativeHeapInterval=1000 (JDK 17.0.9 and later) returns the C heap's free memory to the
// OS once a second. In idle-memory the Java heap's pages grow as the live heap does (3.3 MB per
// 1 000 clients in /proc/<pid>/smaps), but C2, still compiling the connect path during the steps,
// borrows up to 21 MB of arena chunks (NMT "Arena Chunk") that glibc kept resident after they were
// freed: steps of 15-25 MB in RSS that made its slope 4.8-6.9 MB per 1 000 over four runs. With
// the flag, 3.2-5.9 MB over ten, and no change in echo-ws-100, broadcast-1000-seq or
// broadcast-1000-10 beyond their run-to-run noise (bench/evidence/2026-12-01-idle-memory/). A
// JVM that does not know the option would refuse to start, so it is added only where `java`
// accepts it.
const TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=1000";
export const DEFAULT_JVM_FLAGS = ["-XX:+UseSerialGC", "-Xms256m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
  ...(javaAccepts(TRIM_NATIVE_HEAP) ? [TRIM_NATIVE_HEAP] : [])];

function javaAccepts(flag) {
  try {
    execFileSync("java", [flag, "-version"], { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
const NODE_FLAGS = ["--expose-gc"];
const PERF_EVENTS = ["task-clock", "context-switches", "cpu-migrations", "page-faults", "raw_syscalls:sys_enter",
  ...["write", "writev", "read", "readv", "epoll_wait", "epoll_pwait", "epoll_ctl", "futex", "sendto", "recvfrom"].map((s) => `syscalls:sys_enter_${s}`)].join(",");

function parseArgs(argv) {
  const o = { set: {}, serverEnv: {}, smoke: false, reuse: null, rounds: null, scenarios: null, servers: ["java", "node"], out: null, javaCmd: null, pin: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--smoke") o.smoke = true;
    else if (a === "--rounds") o.rounds = Number(val());
    else if (a === "--scenarios") o.scenarios = val().split(",").filter(Boolean);
    else if (a === "--servers") o.servers = val().split(",").filter(Boolean);
    else if (a === "--out") o.out = val();
    else if (a === "--java-cmd") o.javaCmd = val();
    else if (a === "--no-pin") o.pin = false;
    else if (a === "--jfr") o.jfr = true;
    else if (a === "--set") {
      const m = /^([\w-]+)\.(\w+)=(.+)$/.exec(val());
      if (!m) throw new Error("--set needs scenario.param=value, e.g. --set echo-ws-100.durationMs=20000");
      (o.set[m[1]] ??= {})[m[2]] = Number.isNaN(Number(m[3])) ? m[3] : Number(m[3]);
    }
    else if (a === "--server-env") {
      const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(val());
      if (!m) throw new Error("--server-env needs NAME=VALUE, e.g. --server-env PING_INTERVAL_MS=300000");
      o.serverEnv[m[1]] = m[2];
    }
    else if (a === "--perf") o.perf = true;
    else if (a === "--wait-quiet") o.waitQuietS = Number(val());
    else if (a === "--retry-disturbed") o.retryDisturbed = Number(val());
    else if (a === "--chat-jars") {
      o.chatJars = val().split(",").filter(Boolean).map((x) => {
        const m = /^([\w.-]+)=(.+)$/.exec(x);
        if (!m) throw new Error("--chat-jars needs NAME=JAR[,NAME=JAR...], e.g. before=/tmp/old.jar,after=target/switchboard.jar");
        return { name: m[1], jar: path.resolve(m[2]) };
      });
    }
    else if (a === "--reuse-servers") o.reuse = true;
    else if (a === "--fresh-servers") o.reuse = false;
    else if (a === "--help" || a === "-h") {
      console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(0, 6).join("\n"));
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  o.rounds ??= o.smoke ? 1 : 3;
  o.reuse ??= o.smoke; // smoke: one server per kind (and env) for all scenarios, to stay within seconds
  if (!Number.isInteger(o.rounds) || o.rounds < 1 || o.rounds > 50) throw new Error("--rounds must be 1..50");
  for (const s of o.servers) if (s !== "java" && s !== "node") throw new Error(`unknown server ${s}`);
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const canPin = opts.pin && os.cpus().length >= 2 && hasCommand("taskset");
if (opts.pin && !canPin) console.error("warning: taskset or a second CPU is missing: servers and generator run unpinned");

function hasCommand(cmd) {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Busy share (%) of the whole machine over `ms` (/proc/stat: everything but idle, iowait and steal). */
async function machineBusyPct(ms) {
  const ticks = () => {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return { busy: f[0] + f[1] + f[2] + f[5] + f[6], all: f.slice(0, 8).reduce((a, b) => a + b, 0) };
  };
  const a = ticks();
  await new Promise((r) => setTimeout(r, ms));
  const b = ticks();
  return b.all > a.all ? (100 * (b.busy - a.busy)) / (b.all - a.all) : 0;
}

/** --wait-quiet: waits until the machine is quiet (or the limit passes); what was seen, for raw.json. */
async function waitQuiet() {
  if (!opts.waitQuietS) return null;
  const t0 = Date.now();
  let busy;
  do busy = await machineBusyPct(2000);
  while (busy >= 25 && Date.now() - t0 < opts.waitQuietS * 1000);
  return { waitedMs: Date.now() - t0, busyPctBefore: Math.round(busy * 10) / 10, quiet: busy < 25 };
}

const DISTURBED_PCT = 10;
const pinned = (cpu, argv) => (canPin ? ["taskset", "-c", String(cpu), ...argv] : argv);

// How long a server may take to print "listening on"; bench/uml/run.sh raises it (everything starts
// slower in User-Mode Linux).
const STARTUP_S = Number(process.env.BENCH_STARTUP_S ?? 30);
const jvmFlags = process.env.SWITCHBOARD_JVM_FLAGS ? process.env.SWITCHBOARD_JVM_FLAGS.split(/\s+/).filter(Boolean) : DEFAULT_JVM_FLAGS;
/** A scenario's `jvmHeap` (c100k: -Xmx512m) replaces the default -Xms/-Xmx; SWITCHBOARD_JVM_FLAGS wins over both. */
const jvmFlagsFor = (scenario) => (scenario?.jvmHeap && !process.env.SWITCHBOARD_JVM_FLAGS
  ? [...jvmFlags.filter((f) => !/^-Xm[sx]/.test(f)), ...scenario.jvmHeap] : jvmFlags);
/** The chat scenarios' servers: --chat-jars, or this build (--java-cmd, as the smoke test passes it, or the jar). */
const chatVariants = () => opts.chatJars ?? [{ name: "head", jar: opts.javaCmd ? null : path.join(ROOT, "target", "switchboard.jar") }];
const isChatKind = (kind) => kind.startsWith("chat:");

function serverCommand(kind, logName, scenario) {
  if (isChatKind(kind)) {
    const v = chatVariants().find((x) => `chat:${x.name}` === kind);
    if (!v.jar) {
      const cmd = opts.javaCmd.trim().startsWith("[") ? JSON.parse(opts.javaCmd) : opts.javaCmd.split(/\s+/).filter(Boolean);
      return cmd; // no subcommand: the chat server
    }
    if (!existsSync(v.jar)) throw new Error(`${v.jar} (--chat-jars ${v.name}) is missing`);
    return ["java", ...jvmFlagsFor(scenario), "-jar", v.jar];
  }
  if (kind === "java") {
    const jfr = [];
    if (opts.javaCmd) {
      // a JSON array (paths may contain spaces) or a plain space-separated command
      const cmd = opts.javaCmd.trim().startsWith("[") ? JSON.parse(opts.javaCmd) : opts.javaCmd.split(/\s+/).filter(Boolean);
      return [cmd[0], ...jfr, ...cmd.slice(1), "bench-server"];
    }
    const jar = path.join(ROOT, "target", "switchboard.jar");
    if (!existsSync(jar)) throw new Error(`${jar} is missing: run bench/run.sh (it builds) or mvn -q -B package -DskipTests`);
    return ["java", ...jvmFlagsFor(scenario), ...jfr, "-jar", jar, "bench-server"];
  }
  return ["node", ...NODE_FLAGS, path.join(BENCH, "node-server.js")];
}

/** Which servers a scenario runs on: Switchboard and Node (--servers), or the chat jars. */
const kindsOf = (scenario) => (scenario.chat ? chatVariants().map((v) => `chat:${v.name}`) : ["java", "node"].filter((k) => opts.servers.includes(k)));

const selected = SCENARIOS.filter((s) => (opts.scenarios ? opts.scenarios.includes(s.name) : !s.optIn || (opts.smoke && s.inSmoke)));
if (opts.scenarios) {
  for (const n of opts.scenarios) if (!SCENARIOS.some((s) => s.name === n)) throw new Error(`unknown scenario ${n}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
}

const stamp = new Date().toISOString().replace(/[:.]/g, "-").replace(/-\d{3}Z$/, "Z");
const outDir = path.resolve(opts.out ?? path.join(BENCH, "results", `${opts.smoke ? "smoke-" : ""}${stamp}`));
mkdirSync(outDir, { recursive: true });
mkdirSync(path.join(outDir, "logs"), { recursive: true });
if (opts.jfr) mkdirSync(path.join(outDir, "jfr"), { recursive: true });

function versionOf(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim().split("\n")[0];
  } catch (e) {
    return (e.stderr?.toString() ?? "").trim().split("\n")[0] || null;
  }
}

const meta = {
  startedAt: new Date().toISOString(),
  mode: opts.smoke ? "smoke" : "full",
  serversPerScenario: opts.reuse ? "one server per kind for the whole run" : "fresh server per scenario and round",
  rounds: opts.rounds,
  pinned: canPin ? { server: "CPU 0", generator: "CPU 1" } : null,
  machine: {
    cpu: os.cpus()[0]?.model ?? null,
    cpus: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    loadavgAtStart: os.loadavg(),
  },
  versions: {
    java: execJavaVersion(),
    node: process.version,
    socketIo: pkgVersion("socket.io"),
    engineIo: pkgVersion("engine.io"),
    ws: pkgVersion("ws"),
    socketIoClient: pkgVersion("socket.io-client"),
    switchboardCommit: versionOf("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"]),
    ...(selected.some((s) => s.cluster) ? {
      redisServer: versionOf("redis-server", ["--version"]),
      redisAdapter: pkgVersion("@socket.io/redis-adapter"),
      redisClient: pkgVersion("redis"),
    } : {}),
  },
  ...(selected.some((s) => s.chat) ? { chatJars: chatVariants().map((v) => ({ name: v.name, jar: v.jar ?? "(--java-cmd)", commit: v.jar ? jarCommit(v.jar) : null })) } : {}),
  jfr: Boolean(opts.jfr),
  ...(Object.keys(opts.serverEnv).length ? { serverEnv: opts.serverEnv } : {}),
  jvmFlags: opts.javaCmd ? `(custom command) ${opts.javaCmd.slice(0, 300)}` : jvmFlags.join(" "),
  ...(selected.some((s) => s.jvmHeap) && !opts.javaCmd ? { jvmFlagsByScenario: Object.fromEntries(selected.filter((s) => s.jvmHeap).map((s) => [s.name, jvmFlagsFor(s).join(" ")])) } : {}),
  nodeFlags: NODE_FLAGS.join(" "),
};

/** The commit a jar was built from, when it lies in a git worktree's target/ (as the before/after jars do). */
function jarCommit(jar) {
  return versionOf("git", ["-C", path.dirname(path.dirname(jar)), "rev-parse", "--short", "HEAD"]);
}

function execJavaVersion() {
  try {
    return execFileSync("java", ["-version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim() || null;
  } catch (e) {
    return null;
  }
}
function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(BENCH, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}
{
  // `java -version` writes to stderr
  try {
    const r = execFileSync("sh", ["-c", "java -version 2>&1 | head -2"], { encoding: "utf8" }).trim();
    meta.versions.java = r.replace(/\n/g, " / ");
  } catch {
    meta.versions.java = null;
  }
}

/** JFR settings for window recordings: the JDK's profile.jfc with Java method sampling every 1 ms. */
function jfrSettings() {
  const file = path.join(outDir, "jfr", "window.jfc");
  if (!existsSync(file)) {
    const javaHome = execFileSync("sh", ["-c", "dirname $(dirname $(readlink -f $(command -v java)))"], { encoding: "utf8" }).trim();
    const profile = readFileSync(path.join(javaHome, "lib", "jfr", "profile.jfc"), "utf8");
    writeFileSync(file, profile.replace(/(<event name="jdk\.ExecutionSample">[\s\S]*?<setting name="period"[^>]*>)[^<]*/, "$11 ms"));
  }
  return file;
}

const raw = { meta, runs: [] };
const saveRaw = () => writeFileSync(path.join(outDir, "raw.json"), JSON.stringify(raw, null, 1));

/** Starts a server, resolves {child, pid, url} once it printed its `listening on` line. */
function startServer(kind, env, logName, scenario) {
  const argv = pinned(0, serverCommand(kind, logName, scenario));
  // The chat server keeps its users, sessions and history in DATA_DIR: a fresh one per start.
  const dataDir = isChatKind(kind) ? mkdtempSync(path.join(os.tmpdir(), "bench-chat-")) : null;
  const child = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env: { ...withoutCluster(process.env), ...env, PORT: "0", ...(dataDir ? { DATA_DIR: dataDir } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (dataDir) child.once("exit", () => rmSync(dataDir, { recursive: true, force: true }));
  const log = createWriteStream(path.join(outDir, "logs", `${logName}.log`));
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${kind} server did not print "listening on" within ${STARTUP_S} s`));
    }, STARTUP_S * 1000);
    child.on("exit", (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited (${code ?? sig}) before listening; see logs/${logName}.log`));
    });
    child.stdout.on("data", (d) => {
      buf += d;
      log.write(d);
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(buf);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.stdout.removeAllListeners("data");
        child.stdout.on("data", (x) => log.write(x));
        loopbackOnly(m[1]);
        resolve({ child, pid: child.pid, url: m[1], log, dataDir });
      }
    });
  });
}

/** The caller's environment without the cluster settings: only a cluster scenario sets them. */
function withoutCluster(env) {
  const { REDIS_URL, ADAPTER, NODE_ID, ...rest } = env;
  return rest;
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    const kill = setTimeout(() => server.child.kill("SIGKILL"), 10_000);
    server.child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    server.child.kill("SIGTERM");
  });
}

/** A free TCP port on 127.0.0.1 (for redis-server, which cannot report the port it picked itself). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const REDIS_MISSING = "the cluster scenarios need redis-server (Redis 7) on the PATH: apt-get install -y redis-server";

/**
 * Starts redis-server on a free loopback port, pinned with the servers (CPU 0), nothing persisted
 * (`--save "" --appendonly no`); resolves {child, pid, url, dir} once it accepts connections.
 */
async function startRedis(logName) {
  // checked here: under taskset a missing binary is only taskset's exit code
  if (!hasCommand("redis-server")) throw new Error(REDIS_MISSING);
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-redis-"));
  const argv = pinned(0, ["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
    "--dir", dir, "--logfile", ""]);
  const child = spawn(argv[0], argv.slice(1), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(path.join(outDir, "logs", `${logName}.log`));
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-server did not accept connections within 15 s; see logs/${logName}.log`));
    }, 15_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(e.code === "ENOENT" ? REDIS_MISSING : `redis-server: ${e.message}`));
    });
    child.on("exit", (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code ?? sig}) before it was ready; see logs/${logName}.log`));
    });
    child.stdout.on("data", (d) => {
      buf += d;
      log.write(d);
      if (/Ready to accept connections/.test(buf)) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.stdout.removeAllListeners("data");
        child.stdout.on("data", (x) => log.write(x));
        resolve({ child, pid: child.pid, url: `redis://127.0.0.1:${port}`, dir, log });
      }
    });
  });
}

/**
 * A cluster scenario's processes: redis-server, then `scenario.cluster.nodes` servers of `kind`
 * on it (each on its own free port, with REDIS_URL and ADAPTER as both servers read them), all
 * pinned to CPU 0. Resolves a server-like object: url/pid of the first node (where the sender
 * connects), plus urls, the processes whose CPU is summed, and everything to stop.
 */
async function startCluster(kind, scenario, logName) {
  const started = [];
  try {
    const redis = await startRedis(`${logName}-redis`);
    started.push(redis);
    const env = { ...(scenario.env ?? {}), REDIS_URL: redis.url, ADAPTER: scenario.cluster.adapter };
    const nodes = [];
    for (let n = 0; n < scenario.cluster.nodes; n++) {
      const name = String.fromCharCode(65 + n);
      const node = await startServer(kind, { ...env, NODE_ID: `bench-${name}` }, `${logName}-${name}`);
      started.push(node);
      nodes.push({ ...node, name });
    }
    return {
      child: nodes[0].child,
      pid: nodes[0].pid,
      url: nodes[0].url,
      urls: nodes.map((x) => x.url),
      nodes,
      redis,
      processes: [...nodes.map((x) => ({ name: `node ${x.name}`, pid: x.pid })), { name: "redis", pid: redis.pid }],
      env,
    };
  } catch (e) {
    for (const x of started.reverse()) await stopServer(x);
    throw e;
  }
}

async function stopCluster(cluster) {
  for (const node of cluster.nodes) await stopServer(node);
  await stopServer(cluster.redis);
  rmSync(cluster.redis.dir, { recursive: true, force: true });
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

function cpusAllowed(pid) {
  try {
    return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Runs the scenario in a fresh generator process; resolves {ok, result | error}. */
function runGenerator(scenario, params, server, kind, env, logName) {
  const ctx = { kind: scenario.kind, url: server.url, serverPid: server.pid, serverKind: kind, p: params, env,
    pins: canPin ? { server: 0, generator: 1 } : null };
  if (server.urls) Object.assign(ctx, { urls: server.urls, processes: server.processes });
  if (opts.jfr && kind !== "node") {
    ctx.jfr = server.nodes
      ? { settings: jfrSettings(), recordings: server.nodes.map((x) => ({ pid: x.pid, file: path.join(outDir, "jfr", `${logName}-${x.name}.jfr`) })) }
      : { file: path.join(outDir, "jfr", `${logName}.jfr`), settings: jfrSettings() };
  }
  const argv = pinned(1, ["node", path.join(BENCH, "loadgen", "main.mjs"), JSON.stringify(ctx)]);
  return new Promise((resolve) => {
    const env = { ...process.env };
    if (opts.perf) env.BENCH_PERF_EVENTS = PERF_EVENTS;
    const child = spawn(argv[0], argv.slice(1), { cwd: BENCH, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const limit = (params.hardLimitMs ?? 180_000) + 30_000;
    const timer = setTimeout(() => child.kill("SIGKILL"), limit);
    child.on("exit", (code, sig) => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code === 0 && line) resolve({ ok: true, result: JSON.parse(line.slice(7)) });
      else resolve({ ok: false, error: `generator exit ${code ?? sig}: ${err.trim() || out.trim()}`.slice(0, 4000) });
    });
  });
}

/** The scenario's server environment; --smoke adds `smokeEnv` (c100k: a short pingInterval), --server-env overrides. */
const envOf = (scenario) => ({ ...(scenario.env ?? {}), ...(opts.smoke ? scenario.smokeEnv ?? {} : {}), ...opts.serverEnv });

const LABELS = { java: "Switchboard", node: "Node socket.io" };
const label = (kind) => LABELS[kind] ?? (isChatKind(kind) ? `chat ${kind.slice(5)}` : kind);
let failures = 0;
const reused = new Map();
const t0 = Date.now();
for (let round = 1; round <= opts.rounds; round++) {
  for (const [i, scenario] of selected.entries()) {
    if (scenario.once && round > 1) continue;
    const params = { ...(scenario.p ?? {}), ...(opts.smoke ? scenario.smoke ?? {} : {}), ...(opts.set[scenario.name] ?? {}) };
    // The servers' order rotates from scenario to scenario and round to round (two: alternates).
    const kinds = kindsOf(scenario);
    const turn = (round + i + 1) % kinds.length;
    const order = [...kinds.slice(turn), ...kinds.slice(0, turn)];
    for (const kind of order) for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      const logName = `r${round}-${scenario.name}-${kind}${attempt ? `-retry${attempt}` : ""}`;
      let server = null;
      let outcome;
      const key = `${kind} ${JSON.stringify(envOf(scenario))}`;
      // A cluster (scenario.cluster) is started fresh for every run, smoke included.
      const reuse = opts.reuse && !scenario.cluster;
      const quiet = await waitQuiet();
      try {
        server = reuse ? reused.get(key) : null;
        if (!server && scenario.cluster) server = await startCluster(kind, scenario, logName);
        if (!server) {
          server = await startServer(kind, envOf(scenario), reuse ? `shared-${kind}-${reused.size}` : logName, scenario);
          if (reuse) reused.set(key, server);
        }
        const cpus = server.processes
          ? Object.fromEntries(server.processes.map((x) => [x.name, cpusAllowed(x.pid)]))
          : cpusAllowed(server.pid);
        outcome = await runGenerator(scenario, params, server, kind, server.env ?? envOf(scenario), logName);
        outcome.serverCpusAllowed = cpus;
        const dead = server.nodes ? [...server.nodes, server.redis].find((x) => exited(x.child)) : exited(server.child) ? server : null;
        if (dead) {
          outcome = { ok: false, error: `${dead.name ? `node ${dead.name}` : dead === server.redis ? "redis-server" : "the server"} died during the scenario (exit ${dead.child.exitCode ?? dead.child.signalCode}); see logs/` };
          reused.delete(key);
        }
      } catch (e) {
        outcome = { ok: false, error: String(e.message ?? e) };
      } finally {
        if (server?.nodes) await stopCluster(server);
        else if (server && !reuse) await stopServer(server);
      }
      // --retry-disturbed: a run in which others took more than DISTURBED_PCT of the servers' or the
      // generator's CPU is kept in raw.json, marked, left out of the summary, and run again.
      const c = outcome.ok ? outcome.result?.cpu : null;
      const disturbed = Boolean(opts.retryDisturbed && c && Math.max(c.othersOnServerCpuPct ?? 0, c.othersOnGeneratorCpuPct ?? 0) > DISTURBED_PCT);
      const retry = disturbed && attempt < opts.retryDisturbed; // the last attempt is kept, disturbed or not
      const entry = { round, scenario: scenario.name, server: kind, params, durationMs: Date.now() - started, ...(attempt ? { attempt } : {}),
        ...(retry ? { disturbed: true } : disturbed ? { disturbedKept: true } : {}), ...(quiet ? { quiet } : {}), ...outcome };
      raw.runs.push(entry);
      saveRaw();
      if (!outcome.ok) failures++;
      const brief = outcome.ok ? headline(scenario.name, outcome.result) : `FAILED: ${outcome.error.split("\n")[0]}`;
      const note = disturbed ? ` DISTURBED (others took ${c.othersOnServerCpuPct} % of CPU 0, ${c.othersOnGeneratorCpuPct} % of CPU 1)` : "";
      console.log(`[round ${round}/${opts.rounds}] ${scenario.name.padEnd(20)} ${label(kind).padEnd(14)} ${brief} (${((Date.now() - started) / 1000).toFixed(1)} s)${note}`);
      if (!outcome.ok) console.log(outcome.error.split("\n").slice(0, 12).map((l) => `    ${l}`).join("\n"));
      if (!retry) break;
    }
  }
}
for (const server of reused.values()) await stopServer(server);
meta.finishedAt = new Date().toISOString();
meta.totalSeconds = Math.round((Date.now() - t0) / 1000);
meta.failures = failures;
saveRaw();

function get(obj, p) {
  return p.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function headline(name, r) {
  const m = METRICS.filter(([s]) => s === name).slice(0, 3);
  if (m.length === 0) return r.checks ? `ok (${r.checks.length} checks)` : "ok";
  return m.map(([, p, l, u]) => `${l} ${fmt(get(r, p))}${u}`).join(", ");
}

function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function median(xs) {
  const v = xs.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function values(scenario, server, metric) {
  return raw.runs.filter((r) => r.ok && !r.disturbed && r.scenario === scenario && r.server === server).map((r) => get(r.result, metric));
}

function spread(xs) {
  const v = xs.filter((x) => typeof x === "number");
  if (v.length < 2) return "";
  const med = median(v);
  return med ? `±${Math.round((50 * (Math.max(...v) - Math.min(...v))) / Math.abs(med))}%` : "";
}

function summary() {
  const lines = [];
  lines.push(`# Benchmark summary (${meta.mode}, ${opts.rounds} round${opts.rounds > 1 ? "s" : ""})`, "");
  lines.push(`- started ${meta.startedAt}, ${meta.totalSeconds} s; machine: ${meta.machine.cpu}, ${meta.machine.cpus} CPUs, ${meta.machine.memoryGB} GB, Linux ${meta.machine.kernel}; load average at start ${meta.machine.loadavgAtStart.map((x) => x.toFixed(2)).join(" ")}`);
  lines.push(`- ${meta.pinned ? "servers pinned to CPU 0, generator to CPU 1 (taskset)" : "UNPINNED"}; Switchboard ${meta.versions.switchboardCommit} on ${meta.versions.java}; JVM flags \`${meta.jvmFlags}\``);
  for (const [name, flags] of Object.entries(meta.jvmFlagsByScenario ?? {})) lines.push(`- ${name}: JVM flags \`${flags}\``);
  lines.push(`- Node ${meta.versions.node} \`${meta.nodeFlags}\`, socket.io ${meta.versions.socketIo} (engine.io ${meta.versions.engineIo}, ws ${meta.versions.ws}); official client socket.io-client ${meta.versions.socketIoClient}`);
  lines.push(`- medians over rounds; ± is half the range over rounds relative to the median; ratio = Switchboard / Node (chat server: each jar / the first); gen CPU = load generator's CPU over the window (≥ 90 % means the generator, not the server, may be the limit)`);
  lines.push(`- failed runs: ${failures}`);
  const disturbed = raw.runs.filter((r) => r.disturbed);
  if (opts.retryDisturbed) {
    lines.push(`- disturbed runs (other processes took > ${DISTURBED_PCT} % of the servers' or the generator's CPU), left out and run again: ${disturbed.length}${disturbed.length ? ` (${disturbed.map((r) => `round ${r.round} ${r.scenario} ${label(r.server)}`).join("; ")})` : ""}`);
    const stillDisturbed = raw.runs.filter((r) => r.disturbedKept);
    if (stillDisturbed.length) lines.push(`- STILL DISTURBED after ${opts.retryDisturbed} retries, kept: ${stillDisturbed.map((r) => `round ${r.round} ${r.scenario} ${label(r.server)}`).join("; ")}`);
    const kept = raw.runs.filter((r) => r.ok && !r.disturbed && r.result?.cpu?.othersOnServerCpuPct !== undefined);
    if (kept.length) lines.push(`- in the runs kept, others took at most ${Math.max(...kept.map((r) => r.result.cpu.othersOnServerCpuPct))} % of CPU 0 and ${Math.max(...kept.map((r) => r.result.cpu.othersOnGeneratorCpuPct))} % of CPU 1`);
  }
  lines.push("");
  if (!selected.some((s) => !s.chat)) return [...lines, ...chatSummary(), ...failedAndChecks()].join("\n") + "\n"; // chat scenarios only
  lines.push("| scenario | metric | Switchboard | Node | ratio | gen CPU % (SB / Node) |", "|---|---|---:|---:|---:|---:|");
  for (const [scenario, metric, lbl, unit] of METRICS) {
    if (!selected.some((s) => s.name === scenario && !s.chat)) continue;
    const j = values(scenario, "java", metric);
    const n = values(scenario, "node", metric);
    const mj = median(j);
    const mn = median(n);
    const ratio = mj !== null && mn ? mj / mn : null;
    const gj = median(values(scenario, "java", "cpu.genCpuPct"));
    const gn = median(values(scenario, "node", "cpu.genCpuPct"));
    const gen = gj === null && gn === null ? "" : `${fmt(gj)} / ${fmt(gn)}`;
    lines.push(`| ${scenario} | ${lbl}${unit ? ` (${unit})` : ""} | ${fmt(mj)} ${spread(j)} | ${fmt(mn)} ${spread(n)} | ${ratio === null ? "–" : ratio.toFixed(2)} | ${gen} |`);
  }
  lines.push("", "## Targets", "", "| target | Switchboard | Node | ratio | result |", "|---|---:|---:|---:|---|");
  for (const t of TARGETS) {
    if (t.variant || !selected.some((s) => s.name === t.scenario)) continue;
    const mj = median(values(t.scenario, "java", t.metric));
    const mn = median(values(t.scenario, "node", t.metric));
    const ratio = mj !== null && mn ? mj / mn : null;
    const x = t.ratio ? ratio : mj;
    const op = t.ratio ?? t.abs;
    let pass = x === null ? null : op === "<=" ? x <= t.value : x >= t.value;
    if (t.id === "heap-10k") pass = pass && values(t.scenario, "java", "connections").every((c) => c === 10000);
    lines.push(`| ${t.text} | ${fmt(mj)} | ${fmt(mn)} | ${ratio === null ? "–" : ratio.toFixed(2)} | ${pass === null ? "no data" : pass ? "**met**" : "**missed**"} |`);
  }
  if (selected.some((s) => s.chat)) lines.push(...chatSummary());
  return [...lines, ...failedAndChecks()].join("\n") + "\n";
}

function failedAndChecks() {
  const lines = [];
  const failed = raw.runs.filter((r) => !r.ok);
  if (failed.length) {
    lines.push("", "## Failed runs", "");
    for (const f of failed) lines.push(`- round ${f.round} ${f.scenario} on ${label(f.server)}: ${f.error.split("\n")[0]}`);
  }
  const checks = raw.runs.filter((r) => r.ok && r.result?.checks);
  if (checks.length) {
    lines.push("", "## Correctness (official client)", "");
    for (const c of checks) lines.push(`- ${label(c.server)}: ${c.result.checks.join("; ")}`);
  }
  return lines;
}

/**
 * The chat scenarios' tables: each jar of --chat-jars (medians ± spread over rounds) and its ratio
 * to the first; the targets of TARGETS with `variant` (the issue's ratios between versions).
 */
function chatSummary() {
  const vs = chatVariants();
  const kinds = vs.map((v) => `chat:${v.name}`);
  const ratioCols = vs.slice(1).map((v) => `${v.name} / ${vs[0].name}`);
  const lines = ["", "## Chat server", ""];
  for (const v of vs) lines.push(`- ${v.name}: ${v.jar ?? "--java-cmd"}${v.jar ? ` (commit ${jarCommit(v.jar) ?? "unknown"})` : ""}`);
  lines.push("");
  const row = (cells) => `| ${cells.join(" | ")} |`;
  lines.push(row(["scenario", "metric", ...vs.map((v) => v.name), ...ratioCols, "gen CPU %", "others on CPU 0 %"]),
    row(["---", "---", ...[...vs, ...ratioCols, 1, 2].map(() => "---:")]));
  for (const [scenario, metric, lbl, unit] of METRICS) {
    if (!selected.some((s) => s.name === scenario && s.chat)) continue;
    const meds = kinds.map((k) => median(values(scenario, k, metric)));
    const cells = kinds.map((k, n) => `${fmt(meds[n])} ${spread(values(scenario, k, metric))}`);
    const ratios = meds.slice(1).map((m) => (m !== null && meds[0] ? (m / meds[0]).toFixed(2) : "–"));
    const gen = kinds.map((k) => fmt(median(values(scenario, k, "cpu.genCpuPct")))).join(" / ");
    const others = kinds.map((k) => fmt(median(values(scenario, k, "cpu.othersOnServerCpuPct")))).join(" / ");
    lines.push(row([scenario, `${lbl}${unit ? ` (${unit})` : ""}`, ...cells, ...ratios, gen, others]));
  }
  const targets = TARGETS.filter((t) => t.variant && selected.some((s) => s.name === t.scenario));
  if (targets.length && vs.length > 1) {
    // A target compares the jar named `after` (else the last) with the first of its `base` names
    // present (else the first jar).
    const names = vs.map((v) => v.name);
    const tested = names.includes("after") ? "after" : names[names.length - 1];
    lines.push("", "### Targets", "", "| target | compared | ratio | result |", "|---|---|---:|---|");
    for (const t of targets) {
      const against = (t.base ?? []).find((b) => names.includes(b) && b !== tested) ?? names[0];
      const first = median(values(t.scenario, `chat:${against}`, t.metric));
      const last = median(values(t.scenario, `chat:${tested}`, t.metric));
      const ratio = first && last !== null ? last / first : null;
      const pass = ratio === null ? null : t.variant === "<=" ? ratio <= t.value : ratio >= t.value;
      lines.push(`| ${t.text} | ${tested} / ${against} | ${ratio === null ? "–" : ratio.toFixed(2)} | ${pass === null ? "no data" : pass ? "**met**" : "**missed**"} |`);
    }
  }
  return lines;
}

writeFileSync(path.join(outDir, "summary.md"), summary());
console.log(`\nwrote ${path.relative(process.cwd(), path.join(outDir, "raw.json"))} and summary.md (${meta.totalSeconds} s, ${failures} failed run(s))`);
if (opts.smoke) console.log(failures ? "SMOKE FAILED" : "SMOKE OK: every ack and delivery accounted for on every server");
process.exit(failures ? 1 : 0);
