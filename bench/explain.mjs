// Per-operation breakdown of a run (bench/run.mjs writes raw.json; --perf adds system-call counts):
//   node bench/explain.mjs bench/results/<run>/raw.json [scenario-regex]
// For every scenario and server: operations in the window, server CPU per operation split into user
// and kernel time, context switches and system calls per operation, CPU by thread, generator CPU.
import { readFileSync } from "node:fs";

const [file, filter] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/explain.mjs <raw.json> [scenario-regex]");
  process.exit(2);
}
const raw = JSON.parse(readFileSync(file, "utf8"));
const opsOf = (r) => r.deliveries ?? r.acks ?? r.connects ?? null;
const f = (x, d = 2) => (x === null || x === undefined ? "–" : x.toFixed(d));
for (const run of raw.runs) {
  if (!run.ok || !run.result?.cpu) continue;
  if (filter && !new RegExp(filter).test(run.scenario)) continue;
  const r = run.result;
  const c = r.cpu;
  const n = opsOf(r);
  if (!n) continue;
  const cs = (c.serverContextSwitches?.voluntary ?? 0) + (c.serverContextSwitches?.involuntary ?? 0);
  console.log(`\n${run.scenario} round ${run.round} ${run.server}: ${n} ops in ${f(c.wallMs / 1000, 1)} s; server ${c.serverCpuPct} % CPU, generator ${c.genCpuPct} %`);
  console.log(`  per op: CPU ${f(c.serverCpuUs / n)} µs = user ${f((c.serverCpuUs - c.serverSysCpuUs) / n)} + kernel ${f(c.serverSysCpuUs / n)}; context switches ${f(cs / n, 3)}`);
  if (r.perf) {
    const sys = Object.entries(r.perf).filter(([k, v]) => k.startsWith("syscalls:") && v > 0)
      .map(([k, v]) => `${k.replace("syscalls:sys_enter_", "")} ${f(v / n, 3)}`).join(", ");
    console.log(`  system calls per op: all ${f((r.perf["raw_syscalls:sys_enter"] ?? 0) / n, 3)} (${sys})`);
  }
  if (c.perProcess) {
    // a cluster: the nodes and redis-server, summed above
    console.log(`  per op by process: ${Object.entries(c.perProcess).map(([k, v]) => `${k} ${f(v.cpuUs / n)} µs (${v.cpuPct} % CPU)`).join(", ")}`);
  }
  if (c.machine) {
    const m = Object.entries(c.machine).map(([k, v]) => `${k} busy ${v.busyPct} % (interrupts ${v.irqPct} %, stolen ${v.stealPct} %)`).join("; ");
    const others = c.othersOnServerCpuPct === undefined ? "" : `; others took ${c.othersOnServerCpuPct} % of the servers' CPU, ${c.othersOnGeneratorCpuPct} % of the generator's`;
    console.log(`  machine: ${m}${others}`);
  }
  if (run.quiet) console.log(`  before the run: waited ${f(run.quiet.waitedMs / 1000, 1)} s for a quiet machine, ${run.quiet.busyPctBefore} % busy${run.quiet.quiet ? "" : " (not quiet: gave up)"}`);
  const threads = Object.entries(c.serverThreadsCpuUs ?? {}).map(([k, v]) => `${k} ${Math.round((100 * v) / c.serverCpuUs)} %`).join(", ");
  console.log(`  server CPU by thread: ${threads}`);
}
