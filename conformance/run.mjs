// Conformance scenarios: the unmodified official clients against a server at $SERVER_URL.
//   node run.mjs --list <engine.io|socket.io|chat|tutorial-…>     scenario names, one per line
//   node run.mjs <suite> <scenario>               exit 0 = pass; "FAIL <scenario>: ..." on stderr otherwise
//   node run.mjs <suite> --all                    every scenario of the suite in one process (see below)
// A scenario that needs the harness prints "CONTROL <command>" and waits for "CONTROL-DONE" on stdin.
// Commands: restart-server (stop the server, start a fresh one on the same port);
// advance-clock <ms> (chat suite: move the server's application clock forward).
import { engineIoScenarios } from "./scenarios/engine-io.mjs";
import { socketIoScenarios } from "./scenarios/socket-io.mjs";
import { chatScenarios } from "./scenarios/chat.mjs";
import { socketIoMsgpackScenarios } from "./scenarios/socket-io-msgpack.mjs";
import { socketIoV3Scenarios } from "./scenarios/socket-io-v3.mjs";
import {
  tutorialAuthenticateScenarios, tutorialCompleteScenarios, tutorialEchoScenarios, tutorialJwtScenarios,
} from "./scenarios/tutorial.mjs";

const suites = { "engine.io": engineIoScenarios, "socket.io": socketIoScenarios, chat: chatScenarios,
  "socket.io-msgpack": socketIoMsgpackScenarios, "socket.io-v3": socketIoV3Scenarios,
  // The tutorial's client flows (scenarios/tutorial.mjs): examples/echo, examples/authenticate, examples/jwt, the chat server.
  "tutorial-echo": tutorialEchoScenarios, "tutorial-authenticate": tutorialAuthenticateScenarios,
  "tutorial-jwt": tutorialJwtScenarios, "tutorial-complete": tutorialCompleteScenarios };
const [first, second, third] = process.argv.slice(2);

if (first === "--list") {
  const suite = suites[second];
  if (!suite) fail("usage", `unknown suite ${second}`);
  for (const name of Object.keys(suite)) console.log(name);
  process.exit(0);
}

// One process for a whole suite (scenarios that need no CONTROL; the tutorial suites): every scenario in order, each
// within 15 s, one line each on stdout — "PASS <scenario>" or "FAIL <scenario>\t<why as a JSON string>" —, exit 0.
if (second === "--all" && suites[first] && process.env.SERVER_URL) {
  for (const [name, run] of Object.entries(suites[first])) {
    let timer;
    const deadline = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("timed out after 15 s")), 15000); });
    try {
      await Promise.race([run(process.env.SERVER_URL), deadline]);
      console.log(`PASS ${name}`);
    } catch (e) {
      console.log(`FAIL ${name}\t${JSON.stringify(e && e.stack ? e.stack : String(e))}`);
    } finally {
      clearTimeout(timer);
    }
  }
  process.exit(0);
}

const suite = suites[first];
const scenario = suite && suite[second];
if (!scenario) fail("usage", `unknown scenario ${first} ${second}`);
const url = process.env.SERVER_URL;
if (!url) fail(second, "SERVER_URL is not set");

const deadline = setTimeout(() => fail(second, "timed out after 15 s"), 15000);
try {
  await scenario(url);
  clearTimeout(deadline);
  process.exit(0);
} catch (e) {
  fail(second, e && e.stack ? e.stack : String(e));
}

function fail(name, why) {
  process.stderr.write(`FAIL ${name}: ${why}\n`);
  process.exit(1);
}
