// The chat page in a real browser: Debian's Chromium driven by playwright-core.
//   SERVER_URL=http://127.0.0.1:PORT node browser/chat-page.mjs smoke
//   SERVER_URL=http://127.0.0.1:PORT node browser/chat-page.mjs full
// Exit 0 = pass; otherwise "FAIL <mode> › <step>: <why>" on stderr and exit 1. The whole run stops
// within DEADLINE_MS (60 s). CHROMIUM_PATH overrides /usr/bin/chromium; SCREENSHOT_DIR, when set,
// receives a PNG of each page at the end (and at a failure).
//
// smoke: what the page alone proves, against a server that routes WebPage.paths() and stands in
//        for the auth server (WebPageBrowserTest): tokens smoke-token (warned with
//        token-expiring; POST /auth/refresh turns it into smoke-token-2), smoke-token-2,
//        smoke-ended (session-ended right after connecting), smoke-kicked (session-ended and a
//        disconnect, then refused) are accepted, smoke-revoked is refused with Session expired.
// full:  the whole chat against the real server (spec-notes/chat.md, authentication.md), two
//        users in two isolated browser contexts; needs GET /auth/config → registration: true.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const MODES = { smoke, full };
const mode = process.argv[2];
const baseUrl = (process.env.SERVER_URL || "").replace(/\/+$/, "");
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const deadlineMs = Number(process.env.DEADLINE_MS || 60000);
const screenshotDir = process.env.SCREENSHOT_DIR || "";
const STEP_MS = 10000; // any single wait

const SESSION_ENDED = "Your session has ended, please log in again.";
// The flags known to work on this kind of machine (closed network, root, no GPU).
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let step = "start";
let browser = null;
const pages = []; // {name, page}
const consoleErrors = [];
const allowedErrorUrls = new Set(); // failed requests a step provokes on purpose

if (!MODES[mode]) fail(`usage: node chat-page.mjs ${Object.keys(MODES).join("|")}`);
if (!baseUrl) fail("SERVER_URL is not set");

const deadline = setTimeout(() => fail(`timed out after ${deadlineMs / 1000} s`), deadlineMs);
try {
  // launch() gives the browser a fresh, empty --user-data-dir of its own.
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 20000 });
  await MODES[mode]();
  step = "console";
  if (consoleErrors.length) throw new Error("console errors:\n  " + consoleErrors.join("\n  "));
  await screenshots("ok");
  clearTimeout(deadline);
  await browser.close();
  process.exit(0);
} catch (e) {
  await fail(e && e.stack ? e.stack : String(e));
}

async function fail(why) {
  process.stderr.write(`FAIL ${mode} › ${step}: ${why}\n`);
  try {
    await Promise.race([screenshots("fail"), new Promise((r) => setTimeout(r, 3000))]);
    if (browser) await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 3000))]);
  } finally {
    process.exit(1);
  }
}

// ---- helpers ----

/** A page in a new, isolated context (its own localStorage), watched for errors. */
async function newUserPage(name, context) {
  const ctx = context || (await browser.newContext({ viewport: { width: 1100, height: 760 } }));
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const where = msg.location() && msg.location().url ? msg.location().url : "";
    if ([...allowedErrorUrls].some((u) => where.includes(u))) return;
    consoleErrors.push(`[${name}] ${msg.text()}${where ? " at " + where : ""}`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`[${name}] uncaught ${err.message}`));
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("websocket", (ws) => requests.push(ws.url()));
  pages.push({ name, page, requests });
  return { page, requests, context: ctx };
}

/** Runs one step; `allow` names URLs whose failed requests the step provokes on purpose. */
async function run(name, fn, allow = []) {
  step = name;
  for (const u of allow) allowedErrorUrls.add(u);
  try {
    await fn();
  } finally {
    for (const u of allow) allowedErrorUrls.delete(u);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Waits until some element matching css has exactly (or, with contains, includes) text. */
async function waitForText(page, css, text, { contains = false, timeout = STEP_MS } = {}) {
  try {
    await page.waitForFunction(
      ([css, text, contains]) =>
        [...document.querySelectorAll(css)].some((e) => (contains ? e.textContent.includes(text) : e.textContent.trim() === text)),
      [css, text, contains],
      { timeout }
    );
  } catch {
    const seen = await page.$$eval(css, (els) => els.map((e) => e.textContent.trim()));
    throw new Error(`no ${css} ${contains ? "containing" : "with text"} ${JSON.stringify(text)}; seen ${JSON.stringify(seen)}`);
  }
}

async function waitForGone(page, css, timeout = STEP_MS) {
  await page.waitForFunction((css) => !document.querySelector(css), css, { timeout });
}

async function screenshots(tag) {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  for (const { name, page } of pages) {
    if (!page.isClosed()) await page.screenshot({ path: join(screenshotDir, `${mode}-${tag}-${name}.png`), fullPage: true });
  }
}

function storedToken(page) {
  return page.evaluate(() => localStorage.getItem("switchboard.token"));
}

function assertTokenNotInUrls(token, ...users) {
  assert(token, "no token stored");
  for (const u of users) {
    const leaked = u.requests.filter((url) => url.includes(token) || url.includes(encodeURIComponent(token)));
    assert(leaked.length === 0, `the token is in a URL: ${leaked[0]}`);
  }
}

// ---- smoke: the page on its own ----

async function smoke() {
  const a = await newUserPage("a");
  const b = await newUserPage("b");
  // The smoke server has no /auth/* routes: the page's GET /auth/config is a 404 there.
  allowedErrorUrls.add("/auth/config");

  await run("the page loads with its security headers", async () => {
    const res = await a.page.goto(baseUrl + "/");
    assertEqual(res.status(), 200, "status of /");
    const h = res.headers();
    assert((h["content-type"] || "").startsWith("text/html"), `content-type ${h["content-type"]}`);
    const csp = h["content-security-policy"] || "";
    for (const d of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
      assert(csp.includes(d), `CSP lacks ${d}: ${JSON.stringify(csp)}`);
    }
    assertEqual(h["x-content-type-options"], "nosniff", "X-Content-Type-Options");
    assertEqual(h["referrer-policy"], "no-referrer", "Referrer-Policy");
  });

  await run("the login and sign-up forms are there", async () => {
    await a.page.locator("#login-form").waitFor({ state: "visible" });
    for (const id of ["#login-username", "#login-password", "#login-submit", "#register-username", "#register-password", "#register-submit"]) {
      await a.page.locator(id).waitFor({ state: "attached" });
    }
    assert(await a.page.locator("#chat-view").isHidden(), "the chat is shown before any login");
  });

  await run("the vendor bundle loads", async () => {
    assertEqual(await a.page.evaluate(() => typeof window.io), "function", "typeof window.io");
    const res = await a.page.request.get(baseUrl + "/vendor/socket.io.min.js");
    assertEqual(res.status(), 200, "status of the bundle");
    assert((await res.text()).includes("Socket.IO v4.8.4"), "the bundle is not socket.io-client 4.8.4");
  });

  await run("an empty login shows an error without a request", async () => {
    await a.page.locator("#login-submit").click();
    await waitForText(a.page, "#login-error", "Enter a username and a password.");
  });

  await run("a stored token reconnects on load, sent in the CONNECT payload only", async () => {
    await b.page.goto(baseUrl + "/");
    await b.page.evaluate(() => {
      localStorage.setItem("switchboard.token", "smoke-token");
      localStorage.setItem("switchboard.user", JSON.stringify({ id: "u-smoke", username: "smoke <b>user</b>" }));
    });
    await b.page.reload();
    await b.page.locator("#chat-view").waitFor({ state: "visible" });
    await b.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(b.page, "#current-user", "smoke <b>user</b>");
    assertEqual(await b.page.locator("#current-user b").count(), 0, "markup elements from a username");
    await waitForText(b.page, "#conversation-title", "# general");
    assertTokenNotInUrls("smoke-token", b);
  });

  await run("token-expiring refreshes the stored token, which the next connection presents", async () => {
    // The smoke server warns smoke-token right away; its /auth/refresh answers smoke-token-2.
    await b.page.waitForFunction(() => localStorage.getItem("switchboard.token") === "smoke-token-2");
    await b.page.reload();
    await b.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(b.page, "#current-user", "smoke <b>user</b>");
    assertTokenNotInUrls("smoke-token-2", b);
  });

  await run("contexts are isolated", async () => {
    assert(await a.page.locator("#chat-view").isHidden(), "user a sees user b's session");
    assertEqual(await storedToken(a.page), null, "token in a's storage");
  });

  await run("a refused session returns to the login screen with a notice", async () => {
    await a.page.evaluate(() => {
      localStorage.setItem("switchboard.token", "smoke-revoked");
      localStorage.setItem("switchboard.user", JSON.stringify({ id: "u-revoked", username: "revoked" }));
    });
    await a.page.reload();
    await waitForText(a.page, "#auth-notice", SESSION_ENDED);
    await a.page.locator("#login-form").waitFor({ state: "visible" });
    assertEqual(await storedToken(a.page), null, "token kept after Session expired");
  });

  await run("session-ended returns to the login screen with the notice", async () => {
    await a.page.evaluate(() => {
      localStorage.setItem("switchboard.token", "smoke-ended");
      localStorage.setItem("switchboard.user", JSON.stringify({ id: "u-ended", username: "ended" }));
    });
    await a.page.reload();
    await waitForText(a.page, "#auth-notice", SESSION_ENDED);
    assertEqual(await storedToken(a.page), null, "token kept after session-ended");
  });

  await run("session-ended and the server's disconnect return to the login screen", async () => {
    // Whether session-ended arrives or is lost with the closing transport, the page ends here:
    // its reconnection is refused with Session expired.
    await a.page.evaluate(() => {
      localStorage.setItem("switchboard.token", "smoke-kicked");
      localStorage.setItem("switchboard.user", JSON.stringify({ id: "u-kicked", username: "kicked" }));
    });
    await a.page.reload();
    await waitForText(a.page, "#auth-notice", SESSION_ENDED);
    assertEqual(await storedToken(a.page), null, "token kept after the disconnect");
  }, ["/socket.io/"]); // a request of the page may meet the session closed under it (400)
}

// ---- full: two users against the real server ----

async function full() {
  const suffix = Math.random().toString(16).slice(2, 8);
  const alice = { name: "alice_" + suffix, password: "alice-password-" + suffix };
  const bob = { name: "bob_" + suffix, password: "bob-password-" + suffix };
  const room = "room-" + suffix;
  const xss = '<img src=x onerror="window.__xss=1">';
  const A = await newUserPage("alice");
  const B = await newUserPage("bob");
  const online = (name) => `[data-testid="online-user"][data-username="${name}"]`;
  const message = (text) => ["#message-list [data-testid=message-text]", text];

  async function signUp(user, u) {
    await u.page.goto(baseUrl + "/");
    await u.page.locator("#login-form").waitFor({ state: "visible" });
    // The form is hidden until the page knows, only when the server says registration:false.
    await u.page.waitForResponse((r) => r.url().endsWith("/auth/config")).catch(() => {});
    assert(await u.page.locator("#register-form").isVisible(), "sign-up is hidden: the full scenario needs registration:true");
    await u.page.locator("#register-username").fill(user.name);
    await u.page.locator("#register-password").fill(user.password);
    await u.page.locator("#register-submit").click();
    await u.page.locator("#chat-view").waitFor({ state: "visible" });
    await u.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(u.page, "#current-user", user.name);
    await waitForText(u.page, "#conversation-title", "# general");
  }

  async function send(u, text) {
    await u.page.locator("#message-input").fill(text);
    await u.page.locator("#message-input").press("Enter");
  }

  await run("alice signs up", () => signUp(alice, A));
  await run("bob signs up", () => signUp(bob, B));

  await run("both see each other online", async () => {
    await A.page.locator(online(bob.name)).waitFor({ state: "attached" });
    await B.page.locator(online(alice.name)).waitFor({ state: "attached" });
  });

  await run("bob sees alice typing in general", async () => {
    await A.page.locator("#message-input").pressSequentially("hel");
    await waitForText(B.page, "#typing-indicator", `${alice.name} is typing…`);
  });

  await run("a room message reaches both, and ends the typing indicator", async () => {
    await A.page.locator("#message-input").pressSequentially("lo from alice");
    await A.page.locator("#message-input").press("Enter");
    await waitForText(A.page, ...message("hello from alice"));
    await waitForText(B.page, ...message("hello from alice"));
    await waitForText(B.page, "#message-list [data-testid=message-author]", alice.name);
    await waitForText(B.page, "#typing-indicator", "");
    assertEqual(await A.page.locator("#message-input").inputValue(), "", "the composer after sending");
  });

  await run("markup in a message is shown as text", async () => {
    await send(B, xss);
    await waitForText(A.page, ...message(xss));
    await waitForText(B.page, ...message(xss));
    for (const u of [A, B]) {
      assertEqual(await u.page.locator("#message-list img").count(), 0, "img elements in the message list");
      assertEqual(await u.page.evaluate(() => typeof window.__xss), "undefined", "typeof window.__xss");
    }
  });

  await run("both join a new room and talk there", async () => {
    for (const u of [A, B]) {
      await u.page.locator("#join-room-input").fill(room.toUpperCase() + " ");
      await u.page.locator("#join-room-submit").click();
      await waitForText(u.page, "#conversation-title", "# " + room);
      await u.page.locator(`[data-testid="room-item"][data-room="${room}"][data-joined="true"]`).waitFor({ state: "attached" });
    }
    await send(A, "in the side room");
    await waitForText(B.page, ...message("in the side room"));
  });

  await run("a message in a room in the background counts as unread", async () => {
    await B.page.locator('[data-testid="room-item"][data-room="general"]').click();
    await waitForText(B.page, "#conversation-title", "# general");
    await waitForText(B.page, ...message("hello from alice"));
    await send(A, "while bob is away");
    await waitForText(B.page, `[data-testid="room-item"][data-room="${room}"] [data-testid=unread-count]`, "1");
    assertEqual(await B.page.locator("#message-list", { hasText: "while bob is away" }).count(), 0, "the message in general");
  });

  await run("a private message both ways", async () => {
    await A.page.locator(online(bob.name)).click();
    await waitForText(A.page, "#conversation-title", "@ " + bob.name);
    await send(A, "psst, bob");
    await waitForText(A.page, ...message("psst, bob"));
    const dm = `[data-testid="dm-item"][data-username="${alice.name}"]`;
    await waitForText(B.page, `${dm} [data-testid=unread-count]`, "1");
    await B.page.locator(dm).click();
    await waitForText(B.page, "#conversation-title", "@ " + alice.name);
    await waitForText(B.page, ...message("psst, bob"));
    await send(B, "hi alice");
    await waitForText(A.page, ...message("hi alice"));
    await screenshots("conversation");
  });

  await run("a reload reconnects with the stored token", async () => {
    await B.page.reload();
    await B.page.locator("#chat-view").waitFor({ state: "visible" });
    await B.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(B.page, "#current-user", bob.name);
    await B.page.locator(online(alice.name)).waitFor({ state: "attached" });
    await A.page.locator(online(bob.name)).waitFor({ state: "attached" });
  });

  await run("the tokens never appeared in a URL", async () => {
    assertTokenNotInUrls(await storedToken(A.page), A);
    assertTokenNotInUrls(await storedToken(B.page), B);
  });

  const A2 = await newUserPage("alice-2nd-tab", A.context);
  await run("a second tab of alice shares her session", async () => {
    await A2.page.goto(baseUrl + "/");
    await A2.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(A2.page, "#current-user", alice.name);
  });

  let aliceToken;
  await run("logout ends the session everywhere", async () => {
    aliceToken = await storedToken(A.page);
    await A.page.locator("#logout-button").click();
    await A.page.locator("#login-form").waitFor({ state: "visible" });
    assertEqual(await storedToken(A.page), null, "token after logout");
    // The other tab hears session-ended (or sees the token go): back to login with the notice.
    await waitForText(A2.page, "#auth-notice", SESSION_ENDED);
    await waitForGone(B.page, online(alice.name));
    const status = await A.page.evaluate(async (token) => {
      const r = await fetch("/auth/refresh", { method: "POST", headers: { Authorization: "Bearer " + token } });
      return r.status;
    }, aliceToken);
    assertEqual(status, 401, "POST /auth/refresh with the logged-out token");
    await A.page.reload();
    await A.page.locator("#login-form").waitFor({ state: "visible" });
    assert(await A.page.locator("#chat-view").isHidden(), "the chat after a reload");
  }, ["/auth/refresh", "/socket.io/"]); // the refresh's 401; a poll of the 2nd tab meeting its closed session

  await run("a wrong password shows the server's error", async () => {
    await A.page.locator("#login-username").fill(alice.name);
    await A.page.locator("#login-password").fill("not-the-password");
    await A.page.locator("#login-submit").click();
    await waitForText(A.page, "#login-error", "Invalid credentials");
  }, ["/auth/login"]);

  await run("alice logs in again", async () => {
    await A.page.locator("#login-password").fill(alice.password);
    await A.page.locator("#login-submit").click();
    await A.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await B.page.locator(online(alice.name)).waitFor({ state: "attached" });
    const fresh = await storedToken(A.page);
    assert(fresh && fresh !== aliceToken, "login stored no new token");
  });
}
