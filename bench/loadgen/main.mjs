// One scenario against one running server, in a fresh process:
//   node loadgen/main.mjs '{"kind":"echo","url":"http://127.0.0.1:PORT","serverPid":N,"serverKind":"java","p":{...}}'
// Prints `RESULT <json>` and exits 0, or prints the failure and exits 1. A hard deadline (p.hardLimitMs,
// default 180 s) ends the process whatever happens.
import { chatConnect, chatRoom } from "./chat.mjs";
import { correctness, correctnessJwt } from "./correctness.mjs";
import { loopbackOnly, perfResults } from "./common.mjs";
import { SCENARIO_KINDS } from "./scenarios.mjs";

const kinds = { ...SCENARIO_KINDS, correctness, correctnessJwt, chatConnect, chatRoom };
const ctx = JSON.parse(process.argv[2] ?? "{}");
loopbackOnly(ctx.url);
for (const u of ctx.urls ?? []) loopbackOnly(u); // a cluster: every node
const run = kinds[ctx.kind];
if (!run) {
  console.error(`unknown scenario kind ${ctx.kind}; known: ${Object.keys(kinds).join(", ")}`);
  process.exit(2);
}
ctx.p ??= {};
ctx.env ??= {};
const hard = setTimeout(() => {
  console.error(`scenario ${ctx.kind} exceeded its hard limit of ${ctx.p.hardLimitMs ?? 180000} ms`);
  process.exit(3);
}, ctx.p.hardLimitMs ?? 180_000);
hard.unref();

try {
  const result = await run(ctx);
  const perf = await perfResults();
  if (perf.length) result.perf = perf.length === 1 ? perf[0] : perf;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (e) {
  console.error(`FAILED ${ctx.kind}: ${e.stack ?? e}`);
  process.exit(1);
}
