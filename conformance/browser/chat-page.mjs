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
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const MODES = { smoke, full, session };
const mode = process.argv[2];
const baseUrl = (process.env.SERVER_URL || "").replace(/\/+$/, "");
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const deadlineMs = Number(process.env.DEADLINE_MS || 60000);
const screenshotDir = process.env.SCREENSHOT_DIR || "";
const stepLog = process.env.STEP_LOG || ""; // when set, each step's duration is appended there
const STEP_MS = 10000; // any single wait

const SESSION_ENDED = "Your session has ended, please log in again.";
// spec-notes/chat.md, "Why a session ended": what the page says for each session-ended reason.
const END_REASONS = {
  logout: "You were logged out in another tab or window.",
  "logged-out-elsewhere": "You were signed out because your account logged in somewhere else.",
  expired: "Your session expired. Please log in again.",
  revoked: "Your session was ended by the server (the account was removed, or too many sessions). Please log in again.",
  "server-restart": "The connection was lost and the server no longer knows your session (it may have restarted). Please log in again.",
};
const LOGGED_OUT = "You have logged out.";
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
async function newUserPage(name, context, { allow = [] } = {}) {
  const ctx = context || (await browser.newContext({ viewport: { width: 1100, height: 760 } }));
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const where = msg.location() && msg.location().url ? msg.location().url : "";
    // allow: failed requests this page provokes on purpose for its whole life
    if ([...allowedErrorUrls, ...allow].some((u) => where.includes(u))) return;
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
  const t0 = Date.now();
  try {
    await fn();
  } finally {
    for (const u of allow) allowedErrorUrls.delete(u);
    if (stepLog) appendFileSync(stepLog, `${mode} ${Date.now() - t0} ms ${name}\n`);
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

/** The tab's login (sessionStorage: per tab, kept over a reload). */
function storedToken(page) {
  return page.evaluate(() => sessionStorage.getItem("switchboard.token"));
}

/** Puts a login in a tab's storage, as the page's own login would, and reloads it. */
async function useToken(page, token, user) {
  await page.evaluate(
    ([token, user]) => {
      sessionStorage.setItem("switchboard.token", token);
      sessionStorage.setItem("switchboard.user", JSON.stringify(user));
    },
    [token, user]
  );
  await page.reload();
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
    await useToken(b.page, "smoke-token", { id: "u-smoke", username: "smoke <b>user</b>" });
    await b.page.locator("#chat-view").waitFor({ state: "visible" });
    await b.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(b.page, "#current-user", "smoke <b>user</b>");
    assertEqual(await b.page.locator("#current-user b").count(), 0, "markup elements from a username");
    await waitForText(b.page, "#conversation-title", "# general");
    assertTokenNotInUrls("smoke-token", b);
  });

  await run("token-expiring refreshes the stored token, which the next connection presents", async () => {
    // The smoke server warns smoke-token right away (4 s left); its /auth/refresh answers smoke-token-2.
    await b.page.waitForFunction(() => sessionStorage.getItem("switchboard.token") === "smoke-token-2");
    await b.page.reload();
    await b.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(b.page, "#current-user", "smoke <b>user</b>");
    assertTokenNotInUrls("smoke-token-2", b);
  });

  await run("history: the newest page when a room opens, older ones on scroll-up, with dates", async () => {
    // smoke-token-2's server answers get-history for general with 60 messages of 2024, 50 a page.
    await waitForText(b.page, "#message-list [data-testid=message-text]", "history 60");
    await waitForText(b.page, "#message-list [data-testid=message-text]", "history 11");
    assertEqual(await b.page.locator("#message-list [data-testid=message]").count(), 50, "messages of the first page");
    const time = await b.page.locator('#message-list [data-message-id="m60"] [data-testid=message-time]').textContent();
    assert(time.includes("2024"), `no date on a message of 2024: ${JSON.stringify(time)}`);
    await b.page.locator("#message-list").evaluate((list) => {
      list.scrollTop = 0;
    });
    await waitForText(b.page, "#message-list [data-testid=message-text]", "history 1");
    assertEqual(await b.page.locator("#message-list [data-testid=message]").count(), 60, "messages after scrolling up");
    const ids = await b.page.$$eval("#message-list [data-testid=message]", (els) => els.map((e) => e.dataset.messageId));
    assertEqual(ids.slice(0, 3).concat(ids.slice(-1)), ["m1", "m2", "m3", "m60"], "order, oldest first");
  });

  await run("a 429 says the wait as a person would", async () => {
    await a.page.locator("#login-username").fill("someone");
    await a.page.locator("#login-password").fill("some password");
    await a.page.locator("#login-submit").click();
    await waitForText(a.page, "#login-error", "Too many failed attempts, try again later (in about 15 minutes).");
  }, ["/auth/login"]);

  await run("contexts are isolated", async () => {
    assert(await a.page.locator("#chat-view").isHidden(), "user a sees user b's session");
    assertEqual(await storedToken(a.page), null, "token in a's storage");
  });

  await run("a login is per tab: a second tab of the same browser starts logged out", async () => {
    const b2 = await newUserPage("b-2nd-tab", b.context);
    await b2.page.goto(baseUrl + "/");
    await b2.page.locator("#login-form").waitFor({ state: "visible" });
    assertEqual(await storedToken(b2.page), null, "token in the second tab");
    await b2.page.close();
    await b.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
  });

  await run("a refused session returns to the login screen with a notice", async () => {
    await useToken(a.page, "smoke-revoked", { id: "u-revoked", username: "revoked" });
    await waitForText(a.page, "#auth-notice", SESSION_ENDED);
    await a.page.locator("#login-form").waitFor({ state: "visible" });
    assertEqual(await storedToken(a.page), null, "token kept after Session expired");
  });

  for (const reason of ["expired", "logout", "logged-out-elsewhere", "revoked"]) {
    await run(`session-ended ${reason} returns to the login screen and says why`, async () => {
      await useToken(a.page, "smoke-ended-" + reason, { id: "u-ended", username: "ended" });
      await waitForText(a.page, "#auth-notice", END_REASONS[reason]);
      assertEqual(await storedToken(a.page), null, "token kept after session-ended");
    });
  }

  await run("a lost connection whose reconnection is refused says the server forgot the session", async () => {
    await useToken(a.page, "smoke-restart", { id: "u-restart", username: "restart" });
    await a.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    // The stand-in closes every connection without a word and comes back on the same port
    // without this session (WebPageBrowserTest).
    await fetch(baseUrl + "/smoke/restart", { method: "POST" }).catch(() => {});
    await waitForText(a.page, "#auth-notice", END_REASONS["server-restart"], { timeout: 30000 });
    assertEqual(await storedToken(a.page), null, "token kept after the refusal");
  }, ["/socket.io/", "app.js", "socket.io.min.js"]); // the reconnection attempts while it restarts

  await run("session-ended and the server's disconnect return to the login screen", async () => {
    // Whether session-ended arrives or is lost with the closing transport, the page ends here:
    // its reconnection is refused with Session expired.
    await useToken(a.page, "smoke-kicked", { id: "u-kicked", username: "kicked" });
    // session-ended arrived (logout), or the DISCONNECT did and the retry was refused (the
    // generic notice), or the closing connection took both (server-restart, the reconnection refused).
    await a.page.waitForFunction(
      (texts) => texts.includes(document.getElementById("auth-notice").textContent),
      [END_REASONS.logout, END_REASONS["server-restart"], SESSION_ENDED]
    );
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
    // The form is hidden, once the page knows, only when the server says registration:false.
    // (Waited for from before the navigation: the answer may come before goto returns.)
    const config = u.page.waitForResponse((r) => r.url().endsWith("/auth/config")).catch(() => {});
    await u.page.goto(baseUrl + "/");
    await u.page.locator("#login-form").waitFor({ state: "visible" });
    await config;
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

  // A login is per tab (sessionStorage): a second tab of the same browser logs in on its own.
  const A2 = await newUserPage("alice-2nd-tab", A.context);
  await run("a second tab of the same browser starts logged out and logs in on its own", async () => {
    await A2.page.goto(baseUrl + "/");
    await A2.page.locator("#login-form").waitFor({ state: "visible" });
    await A2.page.locator("#login-username").fill(alice.name);
    await A2.page.locator("#login-password").fill(alice.password);
    await A2.page.locator("#login-submit").click();
    await A2.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(A2.page, "#current-user", alice.name);
    assert((await storedToken(A2.page)) !== (await storedToken(A.page)), "the two tabs share a token");
  });

  let aliceToken;
  await run("logout ends this tab's session only, and clears the forms", async () => {
    aliceToken = await storedToken(A.page);
    await A.page.locator("#logout-button").click();
    await A.page.locator("#login-form").waitFor({ state: "visible" });
    await waitForText(A.page, "#auth-notice", LOGGED_OUT);
    assertEqual(await storedToken(A.page), null, "token after logout");
    for (const id of ["#login-username", "#login-password", "#register-username", "#register-password"]) {
      assertEqual(await A.page.locator(id).inputValue(), "", id + " after logout");
    }
    assert(await A.page.locator("#login-error").isHidden(), "a login error shown after logout");
    const status = await A.page.evaluate(async (token) => {
      const r = await fetch("/auth/refresh", { method: "POST", headers: { Authorization: "Bearer " + token } });
      return r.status;
    }, aliceToken);
    assertEqual(status, 401, "POST /auth/refresh with the logged-out token");
    // The other tab has its own session: still in, still online for bob.
    await A2.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });
    await waitForText(A2.page, "#current-user", alice.name);
    await B.page.locator(online(alice.name)).waitFor({ state: "attached" });
    await A.page.reload();
    await A.page.locator("#login-form").waitFor({ state: "visible" });
    assert(await A.page.locator("#chat-view").isHidden(), "the chat after a reload");
  }, ["/auth/refresh"]); // the refresh's 401

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

  await run("leaving general, her only room, leaves no composer naming it", async () => {
    await waitForText(A.page, "#conversation-title", "# general");
    await A.page.locator("#leave-room-button").click();
    await waitForText(A.page, "#conversation-title", "No conversation");
    await A.page.locator("[data-testid=no-conversation]").waitFor({ state: "visible" });
    assert(await A.page.locator("#message-form").isHidden(), "the composer is still shown");
    const naming = await A.page.$$eval("input, textarea", (els) =>
      els.filter((e) => e.offsetParent !== null && (e.placeholder || "").includes("general")).length
    );
    assertEqual(naming, 0, "visible boxes naming general");
    await A.page.locator('[data-testid="room-item"][data-room="general"][data-joined="false"]').click();
    await waitForText(A.page, "#conversation-title", "# general");
  });
}

// ---- session: a chat people keep open (issue #13), against the real server with --token-ttl 60s ----
//
// The long part is the clock: alice's tab must stay logged in for LONG_MS (over three minutes,
// several 60 s tokens) while everything else runs meanwhile in other tabs. DEADLINE_MS must allow
// it (the Java test gives 240 s).

async function session() {
  const LONG_MS = Number(process.env.LONG_MS || 185000);
  const t0 = Date.now();
  const suffix = Math.random().toString(16).slice(2, 8);
  const user = (name) => ({ name: `${name}_${suffix}`, password: `${name}-password-${suffix}` });
  const alice = user("alice");
  const bob = user("bob");
  const carol = user("carol");
  const dave = user("dave");
  const room = "dev-team-" + suffix;
  const online = (name) => `[data-testid="online-user"][data-username="${name}"]`;
  const message = (text) => ["#message-list [data-testid=message-text]", text];
  const roomItem = (name, joined) => `[data-testid="room-item"][data-room="${name}"][data-joined="${joined}"]`;
  const connected = (u) => u.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached" });

  async function signUp(u, who) {
    const config = u.page.waitForResponse((r) => r.url().endsWith("/auth/config")).catch(() => {});
    await u.page.goto(baseUrl + "/");
    await config;
    await u.page.locator("#register-username").fill(who.name);
    await u.page.locator("#register-password").fill(who.password);
    await u.page.locator("#register-submit").click();
    await connected(u);
    await waitForText(u.page, "#current-user", who.name);
  }

  async function logIn(u, who) {
    await u.page.locator("#login-username").fill(who.name);
    await u.page.locator("#login-password").fill(who.password);
    await u.page.locator("#login-submit").click();
    await connected(u);
  }

  async function send(u, text) {
    await u.page.locator("#message-input").fill(text);
    await u.page.locator("#message-input").press("Enter");
  }

  /** Waits for css in the directory; the page asks list-rooms again at each focus of the search
   *  box, and one answer may be up to a second old (chat.md), so focus again until it shows. */
  async function inDirectory(u, css) {
    const end = Date.now() + STEP_MS;
    for (;;) {
      await u.page.locator("#room-search").blur();
      await u.page.locator("#room-search").focus();
      try {
        await u.page.locator(css).waitFor({ state: "attached", timeout: 1500 });
        return;
      } catch (e) {
        if (Date.now() > end) throw e;
      }
    }
  }

  // One browser (one context), two tabs, two users.
  const A = await newUserPage("alice");
  const B = await newUserPage("bob", A.context);
  const refreshes = []; // statuses of alice's POST /auth/refresh
  A.page.on("response", (r) => {
    if (r.url().endsWith("/auth/refresh")) refreshes.push(r.status());
  });

  await run("two users in two tabs of one browser", async () => {
    await signUp(A, alice);
    await signUp(B, bob);
    await waitForText(A.page, "#current-user", alice.name);
    await A.page.locator(online(bob.name)).waitFor({ state: "attached" });
    await B.page.locator(online(alice.name)).waitFor({ state: "attached" });
    assert((await storedToken(A.page)) !== (await storedToken(B.page)), "the two tabs share a token");
    // From now on, alice's tab must never show the login form again.
    await A.page.evaluate(() => {
      window.__sawLogin = false;
      new MutationObserver(() => {
        if (!document.getElementById("auth-view").hidden) window.__sawLogin = true;
      }).observe(document.getElementById("auth-view"), { attributes: true });
    });
  });

  await run("a room name that breaks the rule shows the rule and a name that would pass", async () => {
    await waitForText(A.page, "#join-hint", "1–32 characters", { contains: true });
    await A.page.locator("#join-room-input").fill("Dev Team");
    await A.page.locator("#join-room-submit").click();
    await waitForText(A.page, "#join-error", 'Invalid room name: 1–32 characters: lower-case letters, digits, - and _, starting with a letter or digit. Try "dev-team".');
  });

  let historySupported = false;
  await run("alice opens a new room: no messages yet, then talks there", async () => {
    await A.page.locator("#join-room-input").fill(room);
    await A.page.locator("#join-room-submit").click();
    await waitForText(A.page, "#conversation-title", "# " + room);
    assert(await A.page.locator("#join-error").isHidden(), "the join error stays after a good name");
    await waitForText(A.page, "[data-testid=no-messages]", "No messages yet");
    await send(A, "first words in the room");
    await waitForText(A.page, ...message("first words in the room"));
    await waitForGone(A.page, "[data-testid=no-messages]");
    // Whether this server answers get-history (issue #11): one raw ack, on a socket of our own.
    historySupported = await A.page.evaluate(async (token) => {
      const s = window.io({ auth: { token }, forceNew: true, reconnection: false });
      try {
        const ack = await s.timeout(5000).emitWithAck("get-history", { room: "general", limit: 1 });
        return Boolean(ack && ack.ok === true && Array.isArray(ack.messages));
      } catch {
        return false;
      } finally {
        s.disconnect();
      }
    }, await storedToken(A.page));
  });

  await run("bob finds the room in the directory, searches, and joins it", async () => {
    await B.page.locator("#room-search").fill("dev-team");
    const entry = `[data-testid="directory-room"][data-room="${room}"]`;
    await inDirectory(B, entry + '[data-members="1"]');
    await waitForGone(B.page, '[data-testid="directory-room"][data-room="general"]'); // filtered out
    await B.page.locator(entry).click();
    await waitForText(B.page, "#conversation-title", "# " + room);
    await B.page.locator(roomItem(room, true)).waitFor({ state: "attached" });
    if (historySupported) {
      // The room's history is shown when it is opened.
      await waitForText(B.page, ...message("first words in the room"));
    } else {
      // No history from this server: nothing shown, nothing said.
      await waitForText(B.page, "[data-testid=no-messages]", "No messages yet");
      await B.page.waitForTimeout(4500); // the page's own wait for an answer (HISTORY_TIMEOUT_MS)
      assert(await B.page.locator("#toast").isHidden(), "a toast about the missing history");
    }
    await inDirectory(A, entry + '[data-members="2"]');
  });

  await run("an unread message shows in the tab title", async () => {
    await B.page.locator('[data-testid="room-item"][data-room="general"]').click();
    await waitForText(B.page, "#conversation-title", "# general");
    await send(A, "are you there, bob?");
    await B.page.waitForFunction(() => document.title.startsWith("(1) "));
    await B.page.locator(`[data-testid="room-item"][data-room="${room}"]`).click();
    await waitForText(B.page, ...message("are you there, bob?"));
    await B.page.waitForFunction(() => !document.title.startsWith("("));
  });

  await run("bob leaves general, reloads, and keeps his rooms", async () => {
    await B.page.locator('[data-testid="room-item"][data-room="general"]').click();
    await waitForText(B.page, "#conversation-title", "# general");
    await B.page.locator("#leave-room-button").click();
    await B.page.locator(roomItem("general", false)).waitFor({ state: "attached" });
    await waitForText(B.page, "#conversation-title", "# " + room);
    await B.page.reload();
    await connected(B);
    await waitForText(B.page, "#current-user", bob.name);
    await B.page.locator(roomItem(room, true)).waitFor({ state: "attached" });
    await B.page.locator(roomItem("general", false)).waitFor({ state: "attached" });
    await waitForText(B.page, "#conversation-title", "# " + room);
    await send(A, "after your reload");
    await waitForText(B.page, ...message("after your reload"));
    if (historySupported) await waitForText(B.page, ...message("first words in the room"));
  });

  // Forced logouts with the real server's reasons (chat.md, "Why a session ended").
  const C = await newUserPage("carol", undefined);
  const C2 = await newUserPage("carol-duplicated-tab", C.context);
  await run("carol signs up in a browser of her own", () => signUp(C, carol));

  await run("offline: the online list greys, Send waits, and Reconnected says when it is back", async () => {
    await C.context.setOffline(true);
    await C.page.locator('#chat-view[data-online="false"]').waitFor({ state: "attached", timeout: 30000 });
    assert(await C.page.locator("#send-button").isDisabled(), "Send is enabled while offline");
    await C.context.setOffline(false);
    await C.page.locator('#connection-status[data-state="connected"]').waitFor({ state: "attached", timeout: 30000 });
    await waitForText(C.page, "#toast", "Reconnected.");
    // The toast sits in the layout: it covers none of the controls around it.
    const box = await C.page.locator("#toast").boundingBox();
    for (const id of ["#message-input", "#send-button", "#leave-room-button", "#logout-button"]) {
      const other = await C.page.locator(id).boundingBox();
      if (!other) continue; // not shown
      const overlaps = box.x < other.x + other.width && other.x < box.x + box.width && box.y < other.y + other.height && other.y < box.y + box.height;
      assert(!overlaps, `the toast covers ${id}`);
    }
    assert(await C.page.locator("#send-button").isEnabled(), "Send is disabled once back");
    await C.page.locator(roomItem("general", true)).waitFor({ state: "attached" });
  }, ["/socket.io/", "/auth/refresh"]); // whatever was under way when the network went

  await run("logout: a duplicated tab of the same login hears why", async () => {
    // "Duplicate tab" copies the tab's sessionStorage: the same token in a second tab.
    await C2.page.goto(baseUrl + "/");
    await useToken(C2.page, await storedToken(C.page), JSON.parse(await C.page.evaluate(() => sessionStorage.getItem("switchboard.user"))));
    await connected(C2);
    await C.page.locator("#logout-button").click();
    await waitForText(C.page, "#auth-notice", LOGGED_OUT);
    await waitForText(C2.page, "#auth-notice", END_REASONS.logout);
    // A tab whose session ended says it is not connected, or its next login would look connected
    // before its new socket is.
    for (const u of [C, C2]) {
      const state = await u.page.locator("#connection-status").getAttribute("data-state");
      assert(state !== "connected", `a logged-out tab still says ${state}`);
    }
  }, ["/socket.io/"]);

  await run("logged-out-elsewhere: newer logins of the account push this one out", async () => {
    await logIn(C2, carol);
    // The server keeps 20 live sessions per user (authentication.md): 20 more logins push this one out.
    const statuses = await C.page.evaluate(async (who) => {
      const out = [];
      for (let i = 0; i < 20; i++) {
        const r = await fetch("/auth/login", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ username: who.name, password: who.password }),
        });
        out.push(r.status);
      }
      return out;
    }, carol);
    assertEqual([...new Set(statuses)], [200], "statuses of the 20 logins");
    await waitForText(C2.page, "#auth-notice", END_REASONS["logged-out-elsewhere"]);
  }, ["/socket.io/"]);

  // expired: dave's refreshes fail (the test answers them 503), so his 60 s session runs out.
  const D = await newUserPage("dave", undefined, { allow: ["/auth/refresh", "/socket.io/"] });
  await D.page.route("**/auth/refresh", (r) =>
    r.fulfill({ status: 503, contentType: "application/json", headers: { "Retry-After": "1" }, body: '{"error":"Server busy, try again"}' })
  );
  await run("dave signs up; his refreshes will fail", () => signUp(D, dave));

  await run("a failing refresh shows a notice, and the expiry says why", async () => {
    await waitForText(D.page, "#session-notice", "Could not renew your session (Server busy, try again)", { contains: true, timeout: 45000 });
    await waitForText(D.page, "#auth-notice", END_REASONS.expired, { timeout: 45000 });
  });

  await run(`alice stays logged in for ${Math.round(LONG_MS / 1000)} s of 60-second tokens`, async () => {
    const left = LONG_MS - (Date.now() - t0);
    if (left > 0) await A.page.waitForTimeout(left);
    assertEqual(await A.page.evaluate(() => window.__sawLogin), false, "alice's tab showed the login form");
    await connected(A);
    await waitForText(A.page, "#current-user", alice.name);
    assert(await A.page.locator("#session-notice").isHidden(), "a session notice in alice's tab");
    assert(refreshes.length >= Math.floor(LONG_MS / 30000) - 1, `alice's tab refreshed ${refreshes.length} times`);
    assertEqual([...new Set(refreshes)], [200], "statuses of alice's refreshes");
    await send(A, "still here after three minutes");
    await waitForText(B.page, ...message("still here after three minutes"));
    await A.page.reload();
    await connected(A);
    await waitForText(A.page, "#current-user", alice.name);
    await A.page.locator(roomItem(room, true)).waitFor({ state: "attached" });
  });
}
