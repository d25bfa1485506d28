// Runs every scenario of a suite against Node's own server, to show the scenarios themselves are right:
//   node run-against-reference.mjs engine.io|socket.io|socket.io-msgpack|socket.io-v3 [scenario-substring]
import { spawn, execFileSync } from "node:child_process";
import net from "node:net";
import readline from "node:readline";

const [suite, only] = process.argv.slice(2);
const script = suite.startsWith("socket.io") ? "reference/socket-io-server.mjs" : "reference/engine-io-server.mjs";
const parser = suite === "socket.io-msgpack" ? "msgpack" : "";
const names = execFileSync("node", ["run.mjs", "--list", suite], { encoding: "utf8" }).split("\n").filter(Boolean)
  .filter((n) => !only || n.includes(only));
const port = 20000 + Math.floor(Math.random() * 20000);

async function startServer(recovery) {
  const child = spawn("node", [script], { env: { ...process.env, PORT: String(port), RECOVERY: recovery ? "1" : "", PARSER: parser }, stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((r) => { const s = net.connect(port, "127.0.0.1", () => { s.destroy(); r(true); }); s.on("error", () => r(false)); });
    if (up) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("reference server did not start");
}
const stopServer = (child) => new Promise((r) => { child.once("exit", r); child.kill(); });

let passed = 0, failed = 0;
for (const name of names) {
  const recovery = name.includes("state recovery");
  let server = await startServer(recovery);
  const scen = spawn("node", ["run.mjs", suite, name], { env: { ...process.env, SERVER_URL: `http://127.0.0.1:${port}` } });
  let stderr = "";
  scen.stderr.on("data", (d) => (stderr += d));
  readline.createInterface({ input: scen.stdout }).on("line", async (line) => {
    if (line === "CONTROL restart-server") {
      await stopServer(server);
      server = await startServer(recovery);
      scen.stdin.write("CONTROL-DONE\n");
    }
  });
  const code = await new Promise((r) => scen.on("exit", r));
  await stopServer(server);
  if (code === 0) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name}\n${stderr}`); }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
