// socket.io-client 4.8 against the chat server (`java -jar switchboard.jar`), as spec-notes/authentication.md
// and spec-notes/chat.md describe it. The harness runs the server with a fake application clock:
// `control("advance-clock <ms>")` moves token and session time forward (Socket.IO's own heartbeat keeps real time).
import crypto from "node:crypto";
import { io } from "socket.io-client";
import { assert, assertEqual, collect, control, never, once } from "./util.mjs";

/** POSTs JSON (or raw text) and returns {status, headers, body}. */
export async function post(url, path, body, headers = {}) {
  const res = await fetch(url + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: json, text };
}

let userCount = 0;
/** Signs a new user up; returns {token, user, expiresAt, password}. */
export async function signUp(url, name = `user${++userCount}`, password = "correct horse battery") {
  const r = await post(url, "/auth/register", { username: name, password });
  assertEqual(r.status, 201, `sign-up of ${name}: ${r.text}`);
  return { ...r.body, password };
}

/**
 * Connects with a token; resolves once the server's connection handlers have run — `online-users`
 * is the chat's first word, sent after the session's expiry timers are armed — so that moving the
 * fake clock right after is meaningful. Rejects on connect_error.
 */
export function connectWith(url, token, opts = {}) {
  const socket = io(url, { forceNew: true, reconnection: false, auth: token === undefined ? {} : { token }, ...opts });
  return new Promise((resolve, reject) => {
    socket.once("online-users", () => resolve(socket));
    socket.once("connect_error", (e) => reject(e));
  });
}

/** The connect_error a token gets. */
async function refusal(url, auth, opts = {}) {
  const socket = io(url, { forceNew: true, reconnection: false, auth, ...opts });
  const [err] = await once(socket, "connect_error");
  socket.close();
  return { message: err.message, code: err.data && err.data.code };
}

const b64url = (b) => Buffer.from(b).toString("base64url");

/** Signs up `name` and connects; resolves with {socket, user, token, online} once `online-users` arrived. */
async function chatter(url, name) {
  const { token, user } = await signUp(url, name);
  const socket = io(url, { forceNew: true, reconnection: false, auth: { token } });
  const [online] = await once(socket, "online-users");
  return { socket, user, token, online };
}

/** Emits with an ack; resolves with the ack's first argument. */
const ask = (socket, event, payload) => socket.timeout(3000).emitWithAck(event, payload);

export const chatScenarios = {
  async "login over HTTP then connect with the token"(url) {
    const { password, user } = await signUp(url, "Alice");
    const login = await post(url, "/auth/login", { username: "alice", password });
    assertEqual(login.status, 200, "login status");
    assertEqual(Object.keys(login.body).sort(), ["expiresAt", "token", "user"], "login body");
    assertEqual(login.body.user, { id: user.id, username: "Alice" }, "user");
    assert(!Number.isNaN(Date.parse(login.body.expiresAt)), `expiresAt ${login.body.expiresAt}`);
    assertEqual(login.headers.get("cache-control"), "no-store", "no caching of tokens");
    const socket = await connectWith(url, login.body.token);
    assert(socket.connected, "connected");
    socket.disconnect();
  },

  async "no token: Authentication token required"(url) {
    assertEqual(await refusal(url, {}), { message: "Authentication token required", code: "TOKEN_REQUIRED" }, "no auth");
    assertEqual(await refusal(url, { token: "" }), { message: "Authentication token required", code: "TOKEN_REQUIRED" }, "empty");
  },

  async "a token in the URL is never read"(url) {
    const { token } = await signUp(url);
    assertEqual(await refusal(url, {}, { query: { token } }), { message: "Authentication token required", code: "TOKEN_REQUIRED" }, "query token");
  },

  async "forged or malformed token: Authentication failed"(url) {
    const { token } = await signUp(url);
    const [h, p] = token.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url"));
    const otherKey = crypto.randomBytes(32);
    const sign = (header, body, key) => {
      const head = b64url(JSON.stringify(header)) + "." + b64url(JSON.stringify(body));
      return head + "." + crypto.createHmac("sha256", key).update(head).digest("base64url");
    };
    const forgeries = {
      garbage: "not-a-jwt",
      "alg none": b64url(JSON.stringify({ alg: "none" })) + "." + p + ".",
      "another key": sign({ alg: "HS256", typ: "sb-access+jwt" }, claims, otherKey),
      "payload changed": h + "." + b64url(JSON.stringify({ ...claims, sub: "someone-else" })) + "." + token.split(".")[2],
      "a number": 42,
    };
    for (const [what, t] of Object.entries(forgeries)) {
      const expected = typeof t === "string"
        ? { message: "Authentication failed", code: "AUTH_FAILED" }
        : { message: "Authentication token required", code: "TOKEN_REQUIRED" };
      assertEqual(await refusal(url, { token: t }), expected, what);
    }
  },

  async "expired token: Token expired"(url) {
    const { token } = await signUp(url);
    await control("advance-clock " + (60 * 60 * 1000 + 10_000));
    assertEqual(await refusal(url, { token }), { message: "Token expired", code: "TOKEN_EXPIRED" }, "after 1 h");
  },

  async "revoked session: Session expired"(url) {
    const { token } = await signUp(url);
    const out = await post(url, "/auth/logout", "", { Authorization: "Bearer " + token });
    assertEqual([out.status, out.body], [200, { message: "Logged out successfully" }], "logout");
    assertEqual(await refusal(url, { token }), { message: "Session expired", code: "SESSION_EXPIRED" }, "after logout");
    const refresh = await post(url, "/auth/refresh", "", { Authorization: "Bearer " + token });
    assertEqual([refresh.status, refresh.body], [401, { error: "Session expired" }], "refresh after logout");
  },

  async "logout disconnects live sockets at once"(url) {
    const { token } = await signUp(url);
    const a = await connectWith(url, token);
    const b = await connectWith(url, token);
    const other = await connectWith(url, (await signUp(url)).token);
    const ended = Promise.all([once(a, "session-ended"), once(b, "session-ended")]);
    const gone = Promise.all([once(a, "disconnect"), once(b, "disconnect")]);
    const otherStays = never(other, "disconnect", 500);
    assertEqual((await post(url, "/auth/logout", "", { Authorization: "Bearer " + token })).status, 200, "logout");
    assertEqual(await ended, [[{ reason: "logout" }], [{ reason: "logout" }]], "told why");
    assertEqual((await gone).map(([reason]) => reason), ["io server disconnect", "io server disconnect"], "disconnected by the server");
    await otherStays;
    assert(other.connected, "another user's socket is untouched");
    other.disconnect();
  },

  async "a removed user is refused and its live sockets are disconnected by the next sweep"(url) {
    const gone = await signUp(url);
    const socket = await connectWith(url, gone.token);
    const other = await connectWith(url, (await signUp(url)).token);
    const ended = once(socket, "session-ended");
    const disconnected = once(socket, "disconnect");
    const otherStays = never(other, "disconnect", 500);
    await control("remove-user " + gone.user.username); // `user remove NAME`, another process
    // Refresh asks the database at once (and ends the user's cached sessions); a handshake trusts
    // the server's session cache, which the next sweep (every 10 s) clears at the latest.
    const refresh = await post(url, "/auth/refresh", "", { Authorization: "Bearer " + gone.token });
    assertEqual([refresh.status, refresh.body], [401, { error: "Session expired" }], "refresh");
    await control("advance-clock 10000"); // at the latest, the next session sweep
    assertEqual(await ended, [{ reason: "revoked" }], "session-ended");
    assertEqual((await disconnected)[0], "io server disconnect", "disconnected by the server");
    assertEqual(await refusal(url, { token: gone.token }), { message: "Session expired", code: "SESSION_EXPIRED" },
      "a new connection with the removed user's token");
    await otherStays;
    assert(other.connected, "another user's socket is untouched");
    other.disconnect();
  },

  async "a socket is warned before expiry and disconnected at expiry"(url) {
    const { token } = await signUp(url);
    const socket = await connectWith(url, token);
    const noWarningYet = never(socket, "token-expiring", 300);
    await control("advance-clock " + 50 * 60 * 1000); // 10 minutes left
    await noWarningYet;
    const warned = once(socket, "token-expiring");
    await control("advance-clock " + 6 * 60 * 1000); // 4 minutes left
    const [warning] = await warned;
    assertEqual(Object.keys(warning).sort(), ["expiresAt", "secondsLeft"], "warning fields");
    assert(warning.secondsLeft > 0 && warning.secondsLeft <= 300, `secondsLeft ${warning.secondsLeft}`);
    const ended = once(socket, "session-ended");
    const gone = once(socket, "disconnect");
    await control("advance-clock " + 4 * 60 * 1000);
    assertEqual(await ended, [{ reason: "expired" }], "session-ended");
    assertEqual((await gone)[0], "io server disconnect", "disconnected");
  },

  async "a socket connecting with little time left is warned at once"(url) {
    const { token } = await signUp(url);
    await control("advance-clock " + 57 * 60 * 1000);
    const socket = io(url, { forceNew: true, reconnection: false, auth: { token } });
    const [warning] = await once(socket, "token-expiring");
    assert(warning.secondsLeft <= 180, `secondsLeft ${warning.secondsLeft}`);
    socket.disconnect();
  },

  async "a refresh keeps the socket past the old expiry"(url) {
    const { token, expiresAt } = await signUp(url);
    const socket = await connectWith(url, token);
    const warned = once(socket, "token-expiring");
    await control("advance-clock " + 56 * 60 * 1000);
    await warned;
    const r = await post(url, "/auth/refresh", "", { Authorization: "Bearer " + token });
    assertEqual(r.status, 200, `refresh: ${r.text}`);
    assert(r.body.token !== token, "a new token");
    assert(Date.parse(r.body.expiresAt) > Date.parse(expiresAt), `later expiry ${r.body.expiresAt} > ${expiresAt}`);
    const stays = never(socket, "disconnect", 500);
    await control("advance-clock " + 10 * 60 * 1000); // past the first token's expiry
    await stays;
    assert(socket.connected, "still connected");
    const second = await connectWith(url, r.body.token);
    second.disconnect();
    socket.disconnect();
  },

  async "the sixth failed login within the window gets 429 with Retry-After"(url) {
    const { password } = await signUp(url, "carol");
    for (let i = 1; i <= 5; i++) {
      const r = await post(url, "/auth/login", { username: "carol", password: "wrong password " + i });
      assertEqual([r.status, r.body], [401, { error: "Invalid credentials" }], `failure ${i}`);
    }
    const sixth = await post(url, "/auth/login", { username: "carol", password });
    assertEqual(sixth.status, 429, "even the right password is not checked now");
    const retry = Number(sixth.headers.get("retry-after"));
    assert(retry > 0 && retry <= 15 * 60, `Retry-After ${sixth.headers.get("retry-after")}`);
    await control("advance-clock " + 15 * 60 * 1000);
    assertEqual((await post(url, "/auth/login", { username: "carol", password })).status, 200, "after the window");
  },

  async "unknown user and wrong password look the same"(url) {
    await signUp(url, "dave");
    const wrong = await post(url, "/auth/login", { username: "dave", password: "not the password" });
    const unknown = await post(url, "/auth/login", { username: "nobody-here", password: "not the password" });
    assertEqual([wrong.status, wrong.text], [401, '{"error":"Invalid credentials"}'], "wrong password");
    assertEqual([unknown.status, unknown.text], [401, '{"error":"Invalid credentials"}'], "unknown user");
  },

  async "malformed logins get 400 and do not count"(url) {
    const { password } = await signUp(url, "erin");
    const bad = [
      [{ username: "erin" }, 400, "password is required"],
      [{ password: "x" }, 400, "username is required"],
      [{ username: 1, password: "x" }, 400, "username must be a string"],
      [{ username: "erin", password: "x", admin: true }, 400, "Unexpected field in request body"],
      ["[1,2]", 400, "Request body must be a JSON object"],
      ["{", 400, "Request body is not valid JSON"],
      [{ username: "erin", password: "a".repeat(73) }, 400, "password must be at most 72 bytes"],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [body, status, error] of bad) {
        const r = await post(url, "/auth/login", body);
        assertEqual([r.status, r.body], [status, { error }], JSON.stringify(body));
      }
    }
    const form = await post(url, "/auth/login", "username=erin", { "Content-Type": "application/x-www-form-urlencoded" });
    assertEqual(form.status, 415, "not JSON");
    assertEqual((await post(url, "/auth/login", { username: "erin", password })).status, 200, "fourteen 400s did not lock erin out");
  },

  async "room messages reach the room, sender included, and nobody else"(url) {
    const alice = await chatter(url, "alice");
    const bob = await chatter(url, "bob");
    const carol = await chatter(url, "carol");
    assertEqual(await ask(alice.socket, "join", { room: "Random " }), { ok: true, room: "random" }, "alice joins");
    assertEqual(await ask(bob.socket, "join", { room: "random" }), { ok: true, room: "random" }, "bob joins");
    assertEqual(await ask(bob.socket, "get-rooms"), { ok: true, rooms: ["general", "random"] }, "bob's rooms");
    const atAlice = once(alice.socket, "new-message");
    const atBob = once(bob.socket, "new-message");
    const carolHearsNothing = never(carol.socket, "new-message", 500);
    const ack = await ask(alice.socket, "chat-message", { room: "random", message: "  hello random  " });
    assertEqual(ack.ok, true, "ack");
    const [m] = await atBob;
    assertEqual([m.userId, m.username, m.message, m.room, m.id], [alice.user.id, "alice", "hello random", "random", ack.id], "delivered");
    assert(!Number.isNaN(Date.parse(m.timestamp)), `timestamp ${m.timestamp}`);
    assertEqual((await atAlice)[0], m, "the sender gets it too");
    await carolHearsNothing;
    const notIn = await ask(carol.socket, "chat-message", { room: "random", message: "let me in" });
    assertEqual(notIn, { ok: false, error: "You have not joined this room" }, "carol is not in random");
    assertEqual(await ask(carol.socket, "leave", { room: "random" }), { ok: false, error: "You have not joined this room" }, "leave");
    [alice, bob, carol].forEach((c) => c.socket.disconnect());
  },

  async "private messages reach every connection of both ends, once"(url) {
    const alice = await chatter(url, "alice");
    const bob = await chatter(url, "bob");
    const bob2 = io(url, { forceNew: true, reconnection: false, auth: { token: bob.token } });
    await once(bob2, "online-users");
    const carol = await chatter(url, "carol");
    const got = Promise.all([alice.socket, bob.socket, bob2].map((s) => collect(s, "private-message", 1)));
    const carolHearsNothing = never(carol.socket, "private-message", 500);
    const ack = await ask(alice.socket, "private-message", { targetUserId: bob.user.id, message: "psst" });
    assertEqual(ack.ok, true, "ack");
    const all = await got;
    for (const [pm] of all) {
      assertEqual([pm.fromUserId, pm.fromUsername, pm.toUserId, pm.toUsername, pm.message, pm.id],
        [alice.user.id, "alice", bob.user.id, "bob", "psst", ack.id], "private message");
    }
    await carolHearsNothing;
    const offline = await ask(alice.socket, "private-message", { targetUserId: "no-such-user", message: "hi" });
    assertEqual(offline, { ok: false, error: "User is not online" }, "unknown target");
    [alice.socket, bob.socket, bob2, carol.socket].forEach((s) => s.disconnect());
  },

  async "typing reaches the rest of the room"(url) {
    const alice = await chatter(url, "alice");
    const bob = await chatter(url, "bob");
    const atBob = once(bob.socket, "user-typing");
    const notAtAlice = never(alice.socket, "user-typing", 500);
    alice.socket.emit("typing", { room: "general", isTyping: true });
    assertEqual(await atBob, [{ userId: alice.user.id, username: "alice", room: "general", isTyping: true }], "bob sees it");
    await notAtAlice;
    const stopped = once(bob.socket, "user-typing");
    alice.socket.emit("typing", { room: "general", isTyping: false });
    assertEqual((await stopped)[0].isTyping, false, "stopped typing");
    alice.socket.disconnect();
    bob.socket.disconnect();
  },

  async "presence: joined, online list, left after the last connection"(url) {
    const alice = await chatter(url, "alice");
    assertEqual(alice.online, [{ userId: alice.user.id, username: "alice" }], "alice alone");
    const joined = once(alice.socket, "user-joined");
    const bob = await chatter(url, "bob");
    const [j] = await joined;
    assertEqual(j, { userId: bob.user.id, username: "bob" }, "user-joined");
    assertEqual(bob.online.map((u) => u.username), ["alice", "bob"], "bob sees both");
    const bob2 = io(url, { forceNew: true, reconnection: false, auth: { token: bob.token } });
    await once(bob2, "online-users");
    const noSecondJoin = never(alice.socket, "user-joined", 300);
    await noSecondJoin;
    const noLeftYet = never(alice.socket, "user-left", 300);
    bob.socket.disconnect();
    await noLeftYet;
    const left = once(alice.socket, "user-left");
    bob2.disconnect();
    assertEqual(await left, [{ userId: bob.user.id, username: "bob" }], "user-left after the last connection");
    const list = await ask(alice.socket, "get-online-users");
    assertEqual(list, { ok: true, users: [{ userId: alice.user.id, username: "alice" }] }, "get-online-users");
    alice.socket.disconnect();
  },

  async "a forged userId in a payload changes nothing"(url) {
    const alice = await chatter(url, "alice");
    const mallory = await chatter(url, "mallory");
    const seen = once(alice.socket, "new-message");
    await ask(mallory.socket, "chat-message", {
      room: "general", message: "I am alice", userId: alice.user.id, username: "alice", from: alice.user.id,
    });
    const [m] = await seen;
    assertEqual([m.userId, m.username], [mallory.user.id, "mallory"], "identity from the session");
    const pm = once(alice.socket, "private-message");
    await ask(mallory.socket, "private-message", { targetUserId: alice.user.id, message: "hi", fromUserId: alice.user.id });
    assertEqual((await pm)[0].fromUserId, mallory.user.id, "private sender from the session");
    const personal = await ask(mallory.socket, "join", { room: "user:" + alice.user.id });
    assertEqual(personal, { ok: false, error: "Invalid room name" }, "personal rooms cannot be joined");
    const post = await ask(mallory.socket, "chat-message", { room: "user:" + alice.user.id, message: "x" });
    assertEqual(post, { ok: false, error: "Invalid room name" }, "nor posted to");
    alice.socket.disconnect();
    mallory.socket.disconnect();
  },

  async "invalid chat input gets an error event and an error ack"(url) {
    const alice = await chatter(url, "alice");
    const cases = [
      ["chat-message", { room: "general", message: "   " }, "Message cannot be empty"],
      ["chat-message", { room: "general", message: "x".repeat(501) }, "Message must be at most 500 characters"],
      ["chat-message", { room: "general", message: 42 }, "message must be a string"],
      ["chat-message", "just a string", "Invalid payload: expected an object"],
      ["join", { room: "no spaces allowed" }, "Invalid room name"],
    ];
    for (const [event, payload, error] of cases) {
      const errorEvent = once(alice.socket, "error");
      assertEqual(await ask(alice.socket, event, payload), { ok: false, error }, `${event} ${JSON.stringify(payload).slice(0, 40)}`);
      assertEqual(await errorEvent, [{ event, message: error }], "error event");
    }
    assertEqual((await ask(alice.socket, "chat-message", { room: "general", message: "x".repeat(500) })).ok, true, "500 is fine");
    alice.socket.disconnect();
  },
};
