// Summarises a JFR recording of Switchboard (bench/run.mjs --jfr writes one per run):
//   node bench/jfr-top.mjs results/<run>/jfr/<name>.jfr [--top 25] [--thread switchboard-io]
// Prints the hottest methods by self time and by inclusive time (share of jdk.ExecutionSample
// samples), the hottest samples by thread, and the top allocation sites (jdk.ObjectAllocationSample
// weight). Uses the JDK's `jfr print --json`.
import { execFileSync } from "node:child_process";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
if (!file) {
  console.error("usage: node bench/jfr-top.mjs <recording.jfr> [--top N] [--thread NAME-PREFIX]");
  process.exit(2);
}
const top = Number(opt("--top", 25));
const threadFilter = opt("--thread", null);

function events(type) {
  const json = execFileSync("jfr", ["print", "--json", "--stack-depth", "64", "--events", type, file], { encoding: "utf8", maxBuffer: 2 ** 31 - 1 });
  return JSON.parse(json).recording.events;
}

const frameName = (f) => `${f.method.type.name.replace(/^.*\./, (m) => m)}.${f.method.name}`;
const shortName = (f) => `${f.method.type.name.split(".").slice(-1)[0]}.${f.method.name}`;
const pkgOf = (f) => f.method.type.name.split(".").slice(0, -1).join(".");
const pct = (n, total) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;

function table(title, counts, total) {
  console.log(`\n${title}`);
  [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, v]) => console.log(`${pct(v, total)}  ${k}`));
}

const samples = events("jdk.ExecutionSample").filter((e) => !threadFilter || (e.values.sampledThread?.javaName ?? "").startsWith(threadFilter));
const total = samples.length;
console.log(`${file}: ${total} execution samples${threadFilter ? ` on threads ${threadFilter}*` : ""}`);
const self = new Map();
const incl = new Map();
const byThread = new Map();
const selfPkg = new Map();
for (const s of samples) {
  const frames = s.values.stackTrace?.frames ?? [];
  if (!frames.length) continue;
  const t = (s.values.sampledThread?.javaName ?? "?").replace(/\d+$/, "N");
  byThread.set(t, (byThread.get(t) ?? 0) + 1);
  self.set(frameName(frames[0]), (self.get(frameName(frames[0])) ?? 0) + 1);
  // self time attributed to the first frame in our own code (what of ours leads to the hot JDK code)
  const ours = frames.find((f) => f.method.type.name.startsWith("dev.switchboard"));
  const key = ours ? `${shortName(ours)}  ←  ${shortName(frames[0])}` : `(no dev.switchboard frame) ${shortName(frames[0])}`;
  selfPkg.set(key, (selfPkg.get(key) ?? 0) + 1);
  const seen = new Set();
  for (const f of frames) {
    const n = frameName(f);
    if (seen.has(n)) continue;
    seen.add(n);
    incl.set(n, (incl.get(n) ?? 0) + 1);
  }
}
table("samples by thread", byThread, total);
table("self time (top frame)", self, total);
table("self time by the nearest dev.switchboard frame  ←  top frame", selfPkg, total);
table("inclusive time (frame anywhere on the stack)", incl, total);

let alloc = [];
try {
  alloc = events("jdk.ObjectAllocationSample").filter((e) => !threadFilter || (e.values.eventThread?.javaName ?? "").startsWith(threadFilter));
} catch {
  // older recordings: no allocation samples
}
if (alloc.length) {
  const bySite = new Map();
  const byClass = new Map();
  let weight = 0;
  for (const a of alloc) {
    const w = Number(a.values.weight ?? 0);
    weight += w;
    const cls = a.values.objectClass?.name ?? "?";
    byClass.set(cls, (byClass.get(cls) ?? 0) + w);
    const frames = a.values.stackTrace?.frames ?? [];
    const ours = frames.find((f) => f.method.type.name.startsWith("dev.switchboard"));
    const key = `${ours ? shortName(ours) : "(jdk)"}  →  ${cls}`;
    bySite.set(key, (bySite.get(key) ?? 0) + w);
  }
  console.log(`\nallocation: ${(weight / 2 ** 20).toFixed(1)} MiB sampled weight`);
  table("allocated bytes by class", byClass, weight);
  table("allocated bytes by nearest dev.switchboard frame → class", bySite, weight);
}
