// A stand-in for the Java chat server, for developing the page and the browser scenario before
// (or beside) the real one: Node's socket.io 4.8 with the events of spec-notes/chat.md and the
// HTTP API of spec-notes/authentication.md, in memory, with opaque random tokens instead of JWTs
// and no rate limits. It serves the built page from target/classes/web/ with WebPage's headers.
//   (cd .. && mvn -q -B process-resources)   # builds target/classes/web, vendor bundle included
//   PORT=3000 node browser/mock-server.mjs    # then: SERVER_URL=http://127.0.0.1:3000 node browser/chat-page.mjs full
// Never part of the product or of `mvn verify`; the real server is tested with the same script.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Server } from "socket.io";

const WEB = fileURLToPath(new URL("../../target/classes/web/", import.meta.url));
const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
  + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
const FILES = {
  "/": ["index.html", "text/html; charset=UTF-8"],
  "/app.js": ["app.js", "text/javascript; charset=UTF-8"],
  "/app.css": ["app.css", "text/css; charset=UTF-8"],
  "/favicon.svg": ["favicon.svg", "image/svg+xml; charset=UTF-8"],
  "/vendor/socket.io.min.js": ["vendor/socket.io.min.js", "text/javascript; charset=UTF-8"],
  "/vendor/socket.io.min.js.map": ["vendor/socket.io.min.js.map", "application/json; charset=UTF-8"],
};
const SESSION_MS = Number(process.env.SESSION_MS || 3600_000);

const users = new Map(); // lower-case name → {id, username, password}
const sessions = new Map(); // sessionId → {userId, username, expiresAt, revoked}
const tokens = new Map(); // token → sessionId
let nextId = 1;

function issue(sessionId) {
  const token = randomBytes(24).toString("base64url");
  tokens.set(token, sessionId);
  const s = sessions.get(sessionId);
  return { token, user: { id: s.userId, username: s.username }, expiresAt: new Date(s.expiresAt).toISOString() };
}

/** authentication.md, Socket.IO handshake: the same refusals for HTTP (401) and CONNECT. */
function check(token) {
  if (typeof token !== "string" || !token) return { error: "Authentication token required", code: "TOKEN_REQUIRED" };
  const sid = tokens.get(token);
  if (!sid) return { error: "Authentication failed", code: "AUTH_FAILED" };
  const s = sessions.get(sid);
  if (!s || s.revoked) return { error: "Session expired", code: "SESSION_EXPIRED" };
  if (Date.now() > s.expiresAt) return { error: "Token expired", code: "TOKEN_EXPIRED" };
  return { sessionId: sid, session: s };
}

function json(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readJson(req) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

const http = createServer(async (req, res) => {
  const path = req.url.split("?")[0];
  const bearer = (req.headers.authorization || "").replace(/^Bearer /, "");
  if (FILES[path]) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" });
      return res.end();
    }
    const [file, type] = FILES[path];
    res.writeHead(200, { "Content-Type": type, "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache" });
    return res.end(readFileSync(WEB + file));
  }
  if (path === "/auth/config" && req.method === "GET") return json(res, 200, { registration: process.env.REGISTRATION !== "false" });
  if (req.method !== "POST" || !path.startsWith("/auth/")) return json(res, 404, { error: "Not found" });
  if (path === "/auth/register" || path === "/auth/login") {
    const body = await readJson(req);
    if (!body || typeof body.username !== "string" || typeof body.password !== "string") return json(res, 400, { error: "Malformed request" });
    const key = body.username.toLowerCase();
    if (path === "/auth/register") {
      if (process.env.REGISTRATION === "false") return json(res, 403, { error: "Registration is disabled" });
      if (!/^[A-Za-z0-9_.-]{3,32}$/.test(body.username)) return json(res, 400, { error: "Username must be 3–32 letters, digits, _, - or ." });
      if (body.password.length < 8) return json(res, 400, { error: "Password must be at least 8 characters" });
      if (users.has(key)) return json(res, 409, { error: "Username is already taken" });
      users.set(key, { id: "u" + nextId++, username: body.username, password: body.password });
    }
    const u = users.get(key);
    if (!u || u.password !== body.password) return json(res, 401, { error: "Invalid credentials" });
    const sessionId = randomBytes(8).toString("hex");
    sessions.set(sessionId, { userId: u.id, username: u.username, expiresAt: Date.now() + SESSION_MS, revoked: false });
    return json(res, path === "/auth/register" ? 201 : 200, issue(sessionId));
  }
  const c = check(bearer);
  if (c.error) return json(res, 401, { error: c.error });
  if (path === "/auth/logout") {
    c.session.revoked = true;
    const room = "session:" + c.sessionId;
    io.to(room).emit("session-ended", { reason: "logout" });
    io.in(room).disconnectSockets(true);
    return json(res, 204);
  }
  if (path === "/auth/refresh") return json(res, 200, issue(c.sessionId));
  return json(res, 404, { error: "Not found" });
});

const io = new Server(http);
const online = new Map(); // userId → {username, count}
const ROOM = /^[a-z0-9][a-z0-9_-]{0,31}$/;

io.use((socket, next) => {
  const c = check(socket.handshake.auth && socket.handshake.auth.token);
  if (c.error) {
    const err = new Error(c.error);
    err.data = { code: c.code };
    return next(err);
  }
  socket.data.user = { userId: c.session.userId, username: c.session.username, sessionId: c.sessionId };
  next();
});

io.on("connection", (socket) => {
  const me = socket.data.user;
  const chatRooms = () => [...socket.rooms].filter((r) => r.startsWith("room:")).map((r) => r.slice(5));
  socket.join(["room:general", "user:" + me.userId, "session:" + me.sessionId]);
  const o = online.get(me.userId);
  if (o) o.count++;
  else {
    online.set(me.userId, { username: me.username, count: 1 });
    socket.broadcast.emit("user-joined", { userId: me.userId, username: me.username });
  }
  const list = () => [...online].map(([userId, v]) => ({ userId, username: v.username }));
  socket.emit("online-users", list());

  function refuse(event, message, ack) {
    socket.emit("error", { event, message });
    if (typeof ack === "function") ack({ ok: false, error: message });
  }
  function roomOf(event, p, ack) {
    if (typeof p.room !== "string") return refuse(event, "room must be a string", ack);
    const room = p.room.trim().toLowerCase();
    if (!ROOM.test(room)) return refuse(event, "Invalid room name", ack);
    return room;
  }
  function text(event, p, ack) {
    if (typeof p.message !== "string") return refuse(event, "message must be a string", ack);
    const m = p.message.trim();
    if (!m) return refuse(event, "Message cannot be empty", ack);
    if ([...m].length > 500) return refuse(event, "Message must be at most 500 characters", ack);
    return m;
  }
  const on = (event, handler) =>
    socket.on(event, (p, ack) => {
      if (typeof p === "function") [p, ack] = [undefined, p];
      if (handler.length > 1 && (p === null || typeof p !== "object" || Array.isArray(p))) {
        return refuse(event, "Invalid payload: expected an object", ack);
      }
      handler(ack || (() => {}), p);
    });
  const id = () => randomBytes(8).toString("hex");

  on("join", (ack, p) => {
    const room = roomOf("join", p, ack);
    if (!room) return;
    if (chatRooms().length >= 20 && !socket.rooms.has("room:" + room)) return refuse("join", "Too many rooms", ack);
    socket.join("room:" + room);
    ack({ ok: true, room });
  });
  on("leave", (ack, p) => {
    const room = roomOf("leave", p, ack);
    if (!room) return;
    if (!socket.rooms.has("room:" + room)) return refuse("leave", "You have not joined this room", ack);
    socket.leave("room:" + room);
    ack({ ok: true, room });
  });
  on("chat-message", (ack, p) => {
    const room = roomOf("chat-message", p, ack);
    const message = room && text("chat-message", p, ack);
    if (!message) return;
    if (!socket.rooms.has("room:" + room)) return refuse("chat-message", "You have not joined this room", ack);
    const m = { id: id(), userId: me.userId, username: me.username, message, room, timestamp: new Date().toISOString() };
    io.to("room:" + room).emit("new-message", m);
    ack({ ok: true, id: m.id });
  });
  on("private-message", (ack, p) => {
    if (typeof p.targetUserId !== "string") return refuse("private-message", "targetUserId must be a string", ack);
    const message = text("private-message", p, ack);
    if (!message) return;
    const target = online.get(p.targetUserId);
    if (!target) return refuse("private-message", "User is not online", ack);
    const m = { id: id(), fromUserId: me.userId, fromUsername: me.username, toUserId: p.targetUserId,
      toUsername: target.username, message, timestamp: new Date().toISOString() };
    io.to(["user:" + me.userId, "user:" + p.targetUserId]).emit("private-message", m);
    ack({ ok: true, id: m.id });
  });
  on("typing", (ack, p) => {
    const room = roomOf("typing", p, ack);
    if (!room) return;
    const isTyping = p.isTyping === undefined ? true : p.isTyping;
    if (typeof isTyping !== "boolean") return refuse("typing", "isTyping must be a boolean", ack);
    socket.to("room:" + room).emit("user-typing", { userId: me.userId, username: me.username, room, isTyping });
    ack({ ok: true });
  });
  on("get-online-users", (ack) => ack({ ok: true, users: list() }));
  on("get-rooms", (ack) => ack({ ok: true, rooms: chatRooms() }));
  // chat.md, list-rooms: every chat room with its distinct users, the most first.
  on("list-rooms", (ack) => {
    const rooms = [];
    for (const [name, ids] of io.of("/").adapter.rooms) {
      if (!name.startsWith("room:")) continue;
      const users = new Set([...ids].map((id) => io.of("/").sockets.get(id)?.data.user.userId).filter(Boolean));
      if (users.size) rooms.push({ name: name.slice(5), members: users.size });
    }
    rooms.sort((a, b) => b.members - a.members || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    ack({ ok: true, rooms: rooms.slice(0, 200) });
  });

  socket.on("disconnect", () => {
    const o = online.get(me.userId);
    if (o && --o.count === 0) {
      online.delete(me.userId);
      io.emit("user-left", { userId: me.userId, username: me.username });
    }
  });
});

http.listen(Number(process.env.PORT || 3000), "127.0.0.1", () => {
  console.log(`mock chat server on http://127.0.0.1:${http.address().port}/`);
});
