// The RSS of an idle-memory run split into the Java heap's mapping and everything else.
//   java -XX:+UseSerialGC -Xms256m -Xmx256m -XX:NativeMemoryTracking=summary [flags] -jar target/switchboard.jar bench-server
//   node bench/evidence/2026-12-01-idle-memory/smaps-steps.mjs http://127.0.0.1:PORT PID [10000 [1000 [nmt]]]
// Connects WebSocket clients in steps (as the idle-memory scenario does); after each step a full GC
// (jcmd GC.run), the tenured generation's use, the resident KB of the mapping that holds the Java
// heap (at 0xf0000000 for a 256 MB heap with compressed oops) and of all other mappings, and with
// "nmt" the committed memory of a few NMT categories. Loopback only; it stops by itself.
import { WsClient } from "../../loadgen/clients.mjs";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const [url, pid, n = 10000, step = 1000, nmt] = process.argv.slice(2);
const jc = (...a) => execFileSync("jcmd", [pid, ...a], { encoding: "utf8" });

function smaps() {
  let heap = 0, other = 0, anonOther = 0, cur = null;
  for (const l of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(l);
    if (m) { cur = { lo: parseInt(m[1], 16), name: m[3] }; continue; }
    const r = /^Rss:\s+(\d+) kB/.exec(l);
    if (!r || !cur) continue;
    const kb = Number(r[1]);
    if (cur.lo >= 0xf0000000 && cur.lo < 0x100000000) heap += kb;
    else { other += kb; if (!cur.name) anonOther += kb; }
  }
  return { heapMB: (heap / 1024).toFixed(1), otherMB: (other / 1024).toFixed(1), anonOtherMB: (anonOther / 1024).toFixed(1) };
}

function nmtLines() {
  const lines = jc("VM.native_memory", "summary").split("\n");
  return lines.filter((l, i) => /^-\s+(Compiler|Arena|Thread|GC|Code|Other)/.test(l)
    || (/arena=|malloc=/.test(l) && /^-\s+(Compiler|Arena|Thread)/.test(lines[i - 1] || "")))
    .map((l) => l.replace(/\s+/g, " ").replace(/\(reserved=\d+KB, /, "(")).join(" | ");
}

const clients = [];
jc("GC.run");
console.log(0, JSON.stringify(smaps()));
while (clients.length < Number(n)) {
  for (let k = 0; k < Number(step); k += 200) {
    const group = [];
    for (let j = 0; j < 200; j++) group.push(new WsClient(url));
    await Promise.all(group.map((c) => c.connect()));
    clients.push(...group);
  }
  jc("GC.run");
  const used = /tenured generation\s+total \d+K, used (\d+)K/.exec(jc("GC.heap_info"))[1];
  console.log(clients.length, "old", (used / 1024).toFixed(1), JSON.stringify(smaps()), nmt ? nmtLines() : "");
}
for (const c of clients) c.ws.terminate();
process.exit(0);
