// The flows of the tutorial's clients (../shared/tutorial.md) with the official socket.io-client, against the
// examples under examples/ and against the chat server (the tutorial's complete example). One suite per server;
// the harness (TutorialClientTest) starts each server once and runs its scenarios in this order, so a scenario
// leaves the server usable for the next (the guessing-limit scenarios come last).
// The "Testing Your Authentication" section's three cases (no token, a valid token, an invalid token) are in
// every suite, in the form each server's own mechanism gives them.
import crypto from "node:crypto";
import { io } from "socket.io-client";
import { assert, assertEqual, collect, never, once } from "./util.mjs";
import { post, signUp } from "./chat.mjs";

/** A client as the tutorial's pages make one (no automatic reconnection here: a scenario must not outlive its server). */
const connect = (url, opts = {}) => io(url, { forceNew: true, reconnection: false, ...opts });

/** Resolves with the connected socket, or rejects with the connect_error. */
function connected(socket) {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** The connect_error a client gets: {message, code}. */
async function refusal(url, opts) {
  const socket = connect(url, opts);
  const [err] = await once(socket, "connect_error");
  socket.close();
  return { message: err.message, code: err.data && err.data.code };
}

/** The page and the official client bundle are served (what a browser loads first). */
async function pageIsServed(url) {
  for (const [path, type] of [["/", "text/html"], ["/client.js", "text/javascript"], ["/socket.io.min.js", "text/javascript"]]) {
    const r = await fetch(url + path);
    assertEqual(r.status, 200, `GET ${path}`);
    assert((r.headers.get("content-type") || "").startsWith(type), `${path}: ${r.headers.get("content-type")}`);
    assert((r.headers.get("content-security-policy") || "").includes("script-src 'self'"), `${path}: no inline script`);
  }
  const html = await (await fetch(url + "/")).text();
  assert(html.includes('src="/socket.io.min.js"') && html.includes('src="/client.js"'), "the page loads the client");
}

/** A token signed as the tutorial's own test does: HS256 with its published key 'your-secret-key'. */
function tutorialsOwnToken() {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: "HS256", typ: "JWT" }) + "." + b64({ userId: 1, username: "testuser", iat: now, exp: now + 3600 });
  return head + "." + crypto.createHmac("sha256", "your-secret-key").update(head).digest("base64url");
}

// ---------------------------------------------------------------- step 1: examples/echo

export const tutorialEchoScenarios = {
  async "step 1: a message reaches every client, the sender included"(url) {
    const a = await connected(connect(url));
    const b = await connected(connect(url));
    const got = Promise.all([once(a, "message"), once(b, "message")]);
    a.emit("message", "hello <b>everyone</b>");
    assertEqual(await got, [["hello <b>everyone</b>"], ["hello <b>everyone</b>"]], "echoed to both, as typed");
    a.close();
    b.close();
  },

  async "testing your authentication: step 1 has none, so every client connects, token or not"(url) {
    for (const auth of [undefined, { token: "invalid.token.here" }, { token: tutorialsOwnToken() }]) {
      const s = await connected(connect(url, auth ? { auth } : {}));
      assert(s.connected, `connected with ${JSON.stringify(auth)}`);
      s.close();
    }
  },

  async "anything but a string of at most 500 characters is refused with an error event"(url) {
    const a = await connected(connect(url));
    const nothingRelayed = never(a, "message", 400);
    for (const bad of [{ text: "hi" }, 42, "x".repeat(501)]) {
      const refused = once(a, "error");
      a.emit("message", bad);
      const [why] = await refused;
      assert(typeof why === "string" && why.includes("500"), `refusal of ${JSON.stringify(bad).slice(0, 20)}: ${why}`);
    }
    await nothingRelayed;
    a.close();
  },

  async "the page and the official client are served"(url) {
    await pageIsServed(url);
  },
};

// ---------------------------------------------------------------- step 3: examples/authenticate

/** Connects and authenticates; resolves with {socket, answer}. */
async function authenticated(url, username, password) {
  const socket = await connected(connect(url));
  const answer = once(socket, "authenticated");
  socket.emit("authenticate", { username, password });
  return { socket, answer: (await answer)[0] };
}

export const tutorialAuthenticateScenarios = {
  async "testing your authentication: without credentials messages are refused (Please authenticate first)"(url) {
    const s = await connected(connect(url));
    const nothingRelayed = never(s, "message", 400);
    const refused = once(s, "error");
    s.emit("message", "hi");
    assertEqual(await refused, ["Please authenticate first"], "error event");
    await nothingRelayed;
    const answer = once(s, "authenticated");
    s.emit("authenticate");
    const [a] = await answer;
    assertEqual(a.success, false, "authenticate without a payload");
    s.close();
  },

  async "testing your authentication: valid credentials are answered authenticated {success: true, username}"(url) {
    const { socket, answer } = await authenticated(url, "alice", "password123");
    assertEqual(answer, { success: true, username: "alice" }, "authenticated");
    socket.close();
  },

  async "testing your authentication: invalid credentials are answered {success: false}, unknown users alike"(url) {
    const wrong = await authenticated(url, "bob", "not-his-password");
    assertEqual(wrong.answer, { success: false }, "wrong password");
    const unknown = await authenticated(url, "mallory", "password123");
    assertEqual(unknown.answer, { success: false }, "unknown user: the same answer");
    const refused = once(wrong.socket, "error");
    wrong.socket.emit("message", "let me in");
    assertEqual(await refused, ["Please authenticate first"], "still not authenticated");
    wrong.socket.close();
    unknown.socket.close();
    // bob's own login clears his failure.
    const bob = await authenticated(url, "Bob", "secret456");
    assertEqual(bob.answer, { success: true, username: "bob" }, "names are case-insensitive");
    bob.socket.close();
  },

  async "step 4: after authenticate, messages reach the authenticated as 'name: text', and no one else"(url) {
    const alice = await authenticated(url, "alice", "password123");
    const bob = await authenticated(url, "bob", "secret456");
    const stranger = await connected(connect(url));
    const strangerHearsNothing = never(stranger, "message", 500);
    const got = Promise.all([once(alice.socket, "message"), once(bob.socket, "message")]);
    alice.socket.emit("message", "hi bob");
    assertEqual(await got, [["alice: hi bob"], ["alice: hi bob"]], "both authenticated sockets");
    await strangerHearsNothing;
    for (const s of [alice.socket, bob.socket, stranger]) s.close();
  },

  async "malformed credentials are refused with a reason, and cost no guess"(url) {
    const s = await connected(connect(url));
    for (const bad of [{ username: "alice" }, { username: 1, password: "x" }, { username: "alice", password: "p".repeat(73) }, "alice"]) {
      const answer = once(s, "authenticated");
      s.emit("authenticate", bad);
      const [a] = await answer;
      assertEqual([a.success, typeof a.error], [false, "string"], `refusal of ${JSON.stringify(bad).slice(0, 30)}`);
    }
    s.close();
    const alice = await authenticated(url, "alice", "password123");
    assertEqual(alice.answer.success, true, "alice is not locked out");
    alice.socket.close();
  },

  async "the page and the official client are served"(url) {
    await pageIsServed(url);
  },

  async "guessing is limited per account, and does not lock out other users"(url) {
    const s = await connected(connect(url));
    for (let i = 0; i < 5; i++) {
      const answer = once(s, "authenticated");
      s.emit("authenticate", { username: "bob", password: "guess-" + i });
      assertEqual((await answer)[0], { success: false }, `guess ${i}`);
    }
    const blocked = once(s, "authenticated");
    s.emit("authenticate", { username: "bob", password: "secret456" });
    assertEqual((await blocked)[0], { success: false, error: "Too many failed attempts, try again later" }, "even the right password");
    s.close();
    const alice = await authenticated(url, "alice", "password123");
    assertEqual(alice.answer.success, true, "another account from the same address");
    alice.socket.close();
  },
};

// ---------------------------------------------------------------- the JWT pattern: examples/jwt

/** POST /login as the tutorial's JWT client does. */
const login = (url, username, password) => post(url, "/login", { username, password });

export const tutorialJwtScenarios = {
  async "POST /login answers {token, username}, and auth: {token} connects"(url) {
    const r = await login(url, "alice", "password123");
    assertEqual(r.status, 200, `login: ${r.text}`);
    assertEqual(Object.keys(r.body).sort(), ["token", "username"], "login body");
    assertEqual(r.body.username, "alice", "username");
    const s = await connected(connect(url, { auth: { token: r.body.token } }));
    assert(s.connected, "connected");
    s.close();
  },

  async "messages carry the sender's name from the token"(url) {
    const alice = await connected(connect(url, { auth: { token: (await login(url, "alice", "password123")).body.token } }));
    const bob = await connected(connect(url, { auth: { token: (await login(url, "bob", "secret456")).body.token } }));
    const got = Promise.all([once(alice, "message"), once(bob, "message")]);
    bob.emit("message", "hello alice");
    assertEqual(await got, [["bob: hello alice"], ["bob: hello alice"]], "to everyone, named");
    alice.close();
    bob.close();
  },

  async "POST /login with wrong credentials: 401 Invalid credentials, unknown users alike"(url) {
    const wrong = await login(url, "alice", "wrong");
    assertEqual([wrong.status, wrong.body], [401, { error: "Invalid credentials" }], "wrong password");
    const unknown = await login(url, "nobody", "password123");
    assertEqual([unknown.status, unknown.body], [401, { error: "Invalid credentials" }], "unknown user");
    const malformed = await post(url, "/login", { username: "alice" });
    assertEqual(malformed.status, 400, "no password");
    assertEqual((await login(url, "alice", "password123")).status, 200, "alice's own login still works");
  },

  async "testing your authentication: should reject connection without token"(url) {
    assertEqual((await refusal(url, {})).message, "Authentication error", "no auth");
    assertEqual((await refusal(url, { auth: {} })).message, "Authentication error", "auth without token");
  },

  async "testing your authentication: should accept connection with valid token"(url) {
    const { body } = await login(url, "bob", "secret456");
    const s = await connected(connect(url, { auth: { token: body.token } }));
    assertEqual(s.connected, true, "connected");
    s.close();
  },

  async "testing your authentication: should reject invalid tokens"(url) {
    assertEqual(await refusal(url, { auth: { token: "invalid.token.here" } }), { message: "Authentication error", code: "AUTH_FAILED" }, "invalid");
    // The tutorial's test signs its own token with the key in its source; here the key is not that.
    assertEqual((await refusal(url, { auth: { token: tutorialsOwnToken() } })).message, "Authentication error", "the tutorial's key");
    const { body } = await login(url, "alice", "password123");
    const [h, p, sig] = body.token.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url"));
    const edited = h + "." + Buffer.from(JSON.stringify({ ...claims, username: "bob" })).toString("base64url") + "." + sig;
    assertEqual((await refusal(url, { auth: { token: edited } })).message, "Authentication error", "edited claims");
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url") + "." + p + ".";
    assertEqual((await refusal(url, { auth: { token: none } })).message, "Authentication error", "alg none");
  },

  async "the page and the official client are served"(url) {
    await pageIsServed(url);
  },

  async "guessing is limited per account, and does not lock out other users"(url) {
    for (let i = 0; i < 5; i++) assertEqual((await login(url, "bob", "guess-" + i)).status, 401, `guess ${i}`);
    const blocked = await login(url, "bob", "secret456");
    assertEqual([blocked.status, blocked.body], [429, { error: "Too many failed attempts, try again later" }], "even the right password");
    assertEqual((await login(url, "alice", "password123")).status, 200, "another account from the same address");
  },
};

// ---------------------------------------------------------------- the complete example: the chat server

/** Signs a user up, then logs in as the tutorial's complete client does; {token, user, password}. */
async function tutorialUser(url, name) {
  const { password } = await signUp(url, name);
  const r = await post(url, "/auth/login", { username: name, password });
  assertEqual(r.status, 200, `login of ${name}: ${r.text}`);
  return { ...r.body, password };
}

/** Connects with a token; resolves once the chat's first event (online-users) arrived. */
async function chatter(url, token) {
  const socket = connect(url, { auth: { token } });
  await once(socket, "online-users");
  return socket;
}

export const tutorialCompleteScenarios = {
  async "testing your authentication: should reject connection without token"(url) {
    // The complete example's middleware: 'Authentication token required'.
    assertEqual(await refusal(url, {}), { message: "Authentication token required", code: "TOKEN_REQUIRED" }, "no token");
  },

  async "testing your authentication: should accept connection with valid token"(url) {
    const { token } = await tutorialUser(url, "tester");
    const s = await connected(connect(url, { auth: { token } }));
    assertEqual(s.connected, true, "connected");
    s.close();
  },

  async "testing your authentication: should reject invalid tokens"(url) {
    // The complete example's catch-all: 'Authentication failed'.
    assertEqual(await refusal(url, { auth: { token: "invalid.token.here" } }), { message: "Authentication failed", code: "AUTH_FAILED" }, "invalid");
    assertEqual((await refusal(url, { auth: { token: tutorialsOwnToken() } })).message, "Authentication failed", "the tutorial's key");
  },

  async "POST /auth/login answers {token, user: {id, username}} as the complete example's client reads it"(url) {
    const { password, user } = await signUp(url, "Carol");
    const r = await post(url, "/auth/login", { username: "carol", password });
    assertEqual(r.status, 200, "status");
    assert(typeof r.body.token === "string" && r.body.token.length > 0, "token");
    assertEqual(r.body.user, { id: user.id, username: "Carol" }, "user");
  },

  async "POST /login, the JWT pattern's endpoint, answers {token, username} and the token connects"(url) {
    const { password } = await signUp(url, "Dave");
    const r = await post(url, "/login", { username: "dave", password });
    assertEqual([r.status, Object.keys(r.body).sort(), r.body.username], [200, ["token", "username"], "Dave"], `login: ${r.text}`);
    const s = await chatter(url, r.body.token);
    s.close();
  },

  async "chat-message without a room reaches general as new-message {id, userId, username, message, timestamp}"(url) {
    const a = await tutorialUser(url, "ann");
    const b = await tutorialUser(url, "ben");
    const sa = await chatter(url, a.token);
    const sb = await chatter(url, b.token);
    const got = Promise.all([once(sa, "new-message"), once(sb, "new-message")]);
    sa.emit("chat-message", { message: "  hello general  " });
    for (const [m] of await got) {
      assertEqual([m.userId, m.username, m.message, m.room], [a.user.id, "ann", "hello general", "general"], "new-message");
      assert(m.id !== undefined && !Number.isNaN(Date.parse(m.timestamp)), `id and timestamp ${JSON.stringify(m)}`);
    }
    sa.close();
    sb.close();
  },

  async "private-message {targetUserId, message} reaches both ends with from {userId, username}"(url) {
    const a = await tutorialUser(url, "amy");
    const b = await tutorialUser(url, "bill");
    const c = await tutorialUser(url, "cid");
    const [sa, sb, sc] = [await chatter(url, a.token), await chatter(url, b.token), await chatter(url, c.token)];
    const notC = never(sc, "private-message", 500);
    const got = Promise.all([once(sa, "private-message"), once(sb, "private-message")]);
    sa.emit("private-message", { targetUserId: b.user.id, message: "psst" });
    for (const [m] of await got) {
      assertEqual([m.from, m.message], [{ userId: a.user.id, username: "amy" }, "psst"], "private-message");
      assert(m.id !== undefined && !Number.isNaN(Date.parse(m.timestamp)), `id and timestamp ${JSON.stringify(m)}`);
    }
    await notC;
    for (const s of [sa, sb, sc]) s.close();
  },

  async "typing without a room reaches the rest of general as user-typing {userId, username, room}"(url) {
    const a = await tutorialUser(url, "ada");
    const b = await tutorialUser(url, "bodhi");
    const sa = await chatter(url, a.token);
    const sb = await chatter(url, b.token);
    const selfSilent = never(sa, "user-typing", 400);
    const got = once(sb, "user-typing");
    sa.emit("typing", {});
    const [t] = await got;
    assertEqual([t.userId, t.username, t.room], [a.user.id, "ada", "general"], "user-typing");
    await selfSilent;
    sa.close();
    sb.close();
  },

  async "user-joined and user-left {userId, username}"(url) {
    const a = await tutorialUser(url, "alan");
    const b = await tutorialUser(url, "bea");
    const sa = await chatter(url, a.token);
    const joined = once(sa, "user-joined");
    const sb = await chatter(url, b.token);
    assertEqual((await joined)[0], { userId: b.user.id, username: "bea" }, "user-joined");
    const left = once(sa, "user-left");
    sb.close();
    assertEqual((await left)[0], { userId: b.user.id, username: "bea" }, "user-left");
    sa.close();
  },

  async "POST /auth/logout with the token answers Logged out successfully, then Already logged out"(url) {
    const { token } = await tutorialUser(url, "leaver");
    const s = await chatter(url, token);
    const gone = once(s, "disconnect");
    const first = await post(url, "/auth/logout", "", { Authorization: "Bearer " + token });
    assertEqual([first.status, first.body], [200, { message: "Logged out successfully" }], "logout");
    assertEqual((await gone)[0], "io server disconnect", "the live socket is disconnected");
    const again = await post(url, "/auth/logout", "", { Authorization: "Bearer " + token });
    assertEqual([again.status, again.body], [200, { message: "Already logged out" }], "logout again");
    assertEqual((await refusal(url, { auth: { token } })).message, "Session expired", "the token no longer connects");
  },
};
