// The real @socket.io/admin-ui bundle (0.5.1, served by our server at /admin/) in Debian's
// Chromium, driven by playwright-core, against the chat server with --admin-ui on:
//   SERVER_URL=http://127.0.0.1:PORT ADMIN_USER=admin ADMIN_PASSWORD=... \
//   EXPECT_SOCKETS=id1,id2 EXPECT_ROOMS=room:general,room:ops node browser/admin-ui.mjs
// It fills the UI's connection form (server URL, user name, password) first with a wrong password
// (the UI must say "Invalid credentials"), then with the right one, and checks that the Sockets
// page lists every socket id of EXPECT_SOCKETS and the Rooms page every room of EXPECT_ROOMS.
// Exit 0 = pass; otherwise "FAIL admin-ui › <step>: <why>" on stderr and exit 1, within
// DEADLINE_MS (30 s). Requests to other origins (the page links a web font and an icon font on
// two CDNs) are aborted: the machine has no network, and the UI works without them.
// SCREENSHOT_DIR, when set, receives a PNG of the page at the end (and at a failure).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const baseUrl = (process.env.SERVER_URL || "").replace(/\/+$/, "");
const user = process.env.ADMIN_USER || "";
const password = process.env.ADMIN_PASSWORD || "";
const expectSockets = (process.env.EXPECT_SOCKETS || "").split(",").filter(Boolean);
const expectRooms = (process.env.EXPECT_ROOMS || "").split(",").filter(Boolean);
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const deadlineMs = Number(process.env.DEADLINE_MS || 30000);
const screenshotDir = process.env.SCREENSHOT_DIR || "";
const STEP_MS = 10000;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let step = "start";
let browser = null;
let page = null;

if (!baseUrl || !user || !password) fail("SERVER_URL, ADMIN_USER and ADMIN_PASSWORD must be set");
const deadline = setTimeout(() => fail(`timed out after ${deadlineMs / 1000} s`), deadlineMs);
try {
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 20000 });
  const context = await browser.newContext();
  const origin = new URL(baseUrl).origin;
  await context.route("**/*", (route) =>
    new URL(route.request().url()).origin === origin ? route.continue() : route.abort());
  page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);

  step = "open /admin/";
  await page.goto(baseUrl + "/admin/");

  step = "wrong password";
  await connect("not the password");
  await page.getByText("Invalid credentials").waitFor();

  step = "right password";
  await connect(password);
  await page.getByLabel("Password").waitFor({ state: "hidden" });

  step = "sockets page";
  await page.goto(baseUrl + "/admin/#/sockets/");
  for (const id of expectSockets) await page.getByText(id, { exact: true }).first().waitFor();

  step = "rooms page";
  await page.goto(baseUrl + "/admin/#/rooms/");
  for (const room of expectRooms) await page.getByText(room, { exact: true }).first().waitFor();

  await screenshot("ok");
  clearTimeout(deadline);
  await browser.close();
  process.exit(0);
} catch (e) {
  await fail(e && e.stack ? e.stack : String(e));
}

/** Fills the connection form (the UI opens it by itself when it has no server yet) and submits it. */
async function connect(pass) {
  await page.getByLabel("Server URL").fill(baseUrl);
  await page.getByLabel("Username").fill(user);
  await page.getByLabel("Password").fill(pass);
  await page.getByRole("button", { name: "Connect" }).click();
}

async function screenshot(tag) {
  if (!screenshotDir || !page) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `admin-ui-${tag}.png`), fullPage: true });
}

async function fail(why) {
  process.stderr.write(`FAIL admin-ui › ${step}: ${why}\n`);
  try {
    await Promise.race([screenshot("fail"), new Promise((r) => setTimeout(r, 3000))]);
    if (browser) await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 3000))]);
  } finally {
    process.exit(1);
  }
}
