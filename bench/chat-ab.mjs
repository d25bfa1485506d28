// The chat scenarios' before/after over several runs (BENCHMARKS.md, "Storage and history"):
//   node bench/chat-ab.mjs RUN_DIR_OR_RAW_JSON... [--base before]
// Reads each run's raw.json (bench/run.mjs --chat-jars ...), takes every kept run of every round,
// and prints per metric: the median of each jar over all rounds, the spread (± half the range,
// relative to the median), and the ratio to the base jar as the median of the per-round ratios
// with their range (a round's jars ran back to back, so a round's ratio is the least touched by
// the machine's drift; the ratio of the medians can differ from it). The per-thread figures are derived
// from each run's CPU window, so older raw.json files without them work too.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
let base = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--base") base = args[++i];
  else files.push(statSync(args[i]).isDirectory() ? path.join(args[i], "raw.json") : args[i]);
}
if (!files.length || files.some((f) => !existsSync(f))) {
  console.error("usage: node bench/chat-ab.mjs RUN_DIR_OR_RAW_JSON... [--base NAME]");
  process.exit(2);
}

const jit = (cpu) => Object.entries(cpu.serverThreadsCpuUs ?? {}).filter(([n]) => /^C[12] CompilerThre/.test(n)).reduce((a, [, v]) => a + v, 0);
const DERIVED = {
  "chat-connect-100": [
    ["connects/s", (r) => r.connectsPerSec],
    ["connect latency p99 (ms)", (r) => r.connectMs.p99],
    ["server CPU per connect (µs)", (r) => r.serverCpuUsPerConnect],
    ["… without the JIT compiler threads (µs)", (r) => (r.cpu.serverCpuUs - jit(r.cpu)) / r.connects],
  ],
  "chat-room-1000": [
    ["deliveries/s", (r) => r.deliveriesPerSec],
    ["fan-out completion p99 (ms)", (r) => r.fanoutMs.p99],
    ["server CPU per delivery (µs)", (r) => r.serverCpuUsPerDelivery],
    ["… without the JIT compiler threads (µs)", (r) => (r.cpu.serverCpuUs - jit(r.cpu)) / r.deliveries],
    ["server CPU per message (µs)", (r) => r.cpu.serverCpuUs / r.messages],
    ["… of which the history writer's thread (µs)", (r) => (r.cpu.serverThreadsCpuUs?.["switchboard-his"] ?? 0) / r.messages],
  ],
};

const runs = [];
for (const [n, f] of files.entries()) {
  const raw = JSON.parse(readFileSync(f, "utf8"));
  for (const r of raw.runs) if (r.ok && !r.disturbed && r.server.startsWith("chat:")) runs.push({ ...r, file: n, jar: r.server.slice(5) });
}
const jars = [...new Set(runs.map((r) => r.jar))];
base ??= jars.includes("before") ? "before" : jars[0];
const others = jars.filter((j) => j !== base);
// the ratios shown: every jar against the base, and `after` against `nohistory` (the history's cost)
const pairs = others.map((o) => [o, base]);
if (jars.includes("after") && jars.includes("nohistory") && base !== "nohistory") pairs.push(["after", "nohistory"]);

const median = (xs) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x) => (x === null || !Number.isFinite(x) ? "–" : Math.abs(x) >= 1000 ? Math.round(x).toLocaleString("en-US") : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
const spread = (xs) => {
  const med = median(xs);
  return xs.length > 1 && med ? `±${Math.round((50 * (Math.max(...xs) - Math.min(...xs))) / Math.abs(med))}%` : "";
};

console.log(`${files.length} run(s): ${files.join(", ")}; base ${base}`);
console.log("");
console.log(`| scenario | metric | ${[base, ...others].join(" | ")} | ${pairs.map(([o, b]) => `${o} / ${b}: median of rounds (range)`).join(" | ")} |`);
console.log(`|---|---|${[base, ...others].map(() => "---:").join("|")}|${pairs.map(() => "---:").join("|")}|`);
for (const [scenario, metrics] of Object.entries(DERIVED)) {
  const of = (jar) => runs.filter((r) => r.scenario === scenario && r.jar === jar);
  if (!of(base).length) continue;
  for (const [label, get] of metrics) {
    const vals = (jar) => of(jar).map((r) => get(r.result));
    const cells = [base, ...others].map((j) => `${fmt(median(vals(j)))} ${spread(vals(j))} (n=${vals(j).length})`);
    const ratios = pairs.map(([o, b0]) => {
      const mb = median(vals(b0));
      const mo = median(vals(o));
      // a round's pair: the same file and round number
      const rs = of(o).map((r) => [get(r.result), of(b0).find((b) => b.file === r.file && b.round === r.round)])
        .filter(([, b]) => b).map(([v, b]) => v / get(b.result)).filter(Number.isFinite);
      if (!rs.length) return mb && mo !== null ? `${(mo / mb).toFixed(2)} (of the medians)` : "–";
      return `${median(rs).toFixed(2)} (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}, n=${rs.length})`;
    });
    console.log(`| ${scenario} | ${label} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`);
  }
}
const others0 = runs.map((r) => r.result.cpu?.othersOnServerCpuPct).filter(Number.isFinite);
if (others0.length) console.log(`\nothers' share of CPU 0 in the windows: median ${fmt(median(others0))} %, ${fmt(Math.min(...others0))}–${fmt(Math.max(...others0))} %`);
