// The Switchboard chat page: plain JavaScript, no framework, no build step.
//
// Contract: spec-notes/chat.md (socket events) and spec-notes/authentication.md (HTTP API and
// connect_error messages). Rule of the file: whatever comes from a user or the server (messages,
// usernames, room names, error sentences) enters the DOM as text — textContent or text nodes via
// el()/append() — never as markup.
"use strict";

(() => {
  const TOKEN_KEY = "switchboard.token";
  const USER_KEY = "switchboard.user";

  const ACK_TIMEOUT_MS = 5000;
  const HTTP_TIMEOUT_MS = 10000;
  const TYPING_IDLE_MS = 2000; // we stop "typing" this long after the last keystroke
  const TYPING_REFRESH_MS = 3000; // and repeat isTyping:true this often while it goes on
  const TYPING_SHOWN_MS = 5000; // someone else's indicator lapses without news for this long
  const TOAST_MS = 5000;
  const MAX_SERVER_DISCONNECTS = 3; // per login: reconnections after the server's DISCONNECT
  const MAX_MESSAGES = 200; // per conversation, the oldest are dropped
  const MAX_MESSAGE_CODE_POINTS = 500;
  const ROOM_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
  const DEFAULT_ROOM = "general";

  const SESSION_ENDED = "Your session has ended, please log in again.";
  // authentication.md, "Socket.IO handshake": the refusals after which this token is worthless.
  const SESSION_MESSAGES = new Set(["Session expired", "Token expired", "Authentication failed", "Authentication token required"]);
  const SESSION_CODES = new Set(["SESSION_EXPIRED", "TOKEN_EXPIRED", "AUTH_FAILED", "TOKEN_REQUIRED"]);

  const STATUS_TEXT = {
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Reconnecting…",
    disconnected: "Disconnected",
  };

  const $ = (id) => document.getElementById(id);

  let tabToken = null; // the token this tab logged in with, refreshed or read at load

  /** Builds an element; attrs are ours (never from input), children are nodes or plain text. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    node.append(...children); // strings become text nodes
    return node;
  }

  // ---- stored session (localStorage, so that a reload reconnects) ----

  function currentToken() {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  }

  function storedUser() {
    try {
      const u = JSON.parse(localStorage.getItem(USER_KEY) || "null");
      if (u && typeof u.id === "string" && typeof u.username === "string") return u;
    } catch {
      // unreadable: treated as absent
    }
    return null;
  }

  function storeSession(data) {
    try {
      // The user first: other tabs react to the token (the storage event) and read both.
      if (data.user && data.user.id !== undefined && typeof data.user.username === "string") {
        localStorage.setItem(USER_KEY, JSON.stringify({ id: String(data.user.id), username: data.user.username }));
      }
      localStorage.setItem(TOKEN_KEY, data.token);
      tabToken = data.token;
    } catch {
      // storage disabled: this tab still works, a reload asks to log in again
    }
  }

  /** Forgets the stored session, unless another tab has stored a different one since. */
  function clearSession() {
    try {
      if (currentToken() === tabToken) {
        localStorage.removeItem(TOKEN_KEY);
        localStorage.removeItem(USER_KEY);
      }
    } catch {
      // nothing stored
    }
    tabToken = null;
  }

  // ---- HTTP API (authentication.md) ----

  class ApiError extends Error {
    constructor(status, message, retryAfter) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  async function api(path, { method = "POST", body, token } = {}) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    // The token travels in the Authorization header, never in a URL (auth-pitfalls §3).
    if (token) headers.Authorization = "Bearer " + token;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), HTTP_TIMEOUT_MS);
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "omit",
        redirect: "error",
        signal: abort.signal,
      });
    } catch {
      throw new ApiError(0, "Cannot reach the server, please try again.");
    } finally {
      clearTimeout(timer);
    }
    let data = null;
    if ((res.headers.get("Content-Type") || "").includes("application/json")) {
      try {
        data = await res.json();
      } catch {
        data = null;
      }
    }
    if (!res.ok) {
      const message = data && typeof data.error === "string" && data.error ? data.error : `Request failed (HTTP ${res.status})`;
      throw new ApiError(res.status, message, res.headers.get("Retry-After"));
    }
    return data;
  }

  // ---- the login screen ----

  function showAuth(notice) {
    $("chat-view").hidden = true;
    $("auth-view").hidden = false;
    const n = $("auth-notice");
    n.textContent = notice || "";
    n.hidden = !notice;
    document.title = "Switchboard chat";
    $("login-username").focus();
  }

  function showFormError(id, message) {
    const p = $(id);
    p.textContent = message || "";
    p.hidden = !message;
  }

  async function loadConfig() {
    try {
      const config = await api("/auth/config", { method: "GET" });
      // authentication.md: {registration: true|false}; anything else leaves sign-up visible and
      // the server refuses it if it must.
      $("register-form").hidden = Boolean(config) && config.registration === false;
    } catch {
      // config unknown: keep the form, the server has the last word
    }
  }

  async function submitCredentials(form, path, errorId) {
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    showFormError(errorId, "");
    if (!username || !password) {
      showFormError(errorId, "Enter a username and a password.");
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const data = await api(path, { body: { username, password } });
      if (!data || typeof data.token !== "string" || !data.user) throw new ApiError(0, "Unexpected answer from the server.");
      storeSession(data);
      form.reset();
      enterChat();
    } catch (e) {
      const wait = e.retryAfter && /^\d+$/.test(e.retryAfter) ? ` (retry in ${e.retryAfter} s)` : "";
      showFormError(errorId, e.message + wait);
    } finally {
      button.disabled = false;
    }
  }

  // ---- chat state ----

  const state = {
    me: null, // {id, username}
    users: new Map(), // userId → username, everyone online
    joined: new Set(), // chat rooms this connection is in, as far as the acks told us
    knownRooms: new Set(), // joined ∪ the last get-rooms answer
    conversations: new Map(), // key → {key, kind: "room"|"dm", name, peerId, messages, ids, unread}
    active: null, // key of the conversation on screen
    typing: new Map(), // room → Map(userId → {username, timer})
  };
  let socket = null;
  let gotOnlineUsers = false; // on this connection
  let refreshing = null;
  let toastTimer = null;
  let typingRoom = null; // the room we last told "isTyping: true"
  let typingSentAt = 0;
  let typingIdleTimer = null;

  const roomKey = (name) => "room:" + name;
  const dmKey = (userId) => "dm:" + userId;

  function conversation(key, init) {
    let c = state.conversations.get(key);
    if (!c) {
      c = { key, messages: [], ids: new Set(), unread: 0, ...init };
      state.conversations.set(key, c);
    }
    return c;
  }

  function roomConversation(name) {
    return conversation(roomKey(name), { kind: "room", name });
  }

  function dmConversation(userId, username) {
    const c = conversation(dmKey(userId), { kind: "dm", peerId: userId, name: username });
    if (username) c.name = username;
    return c;
  }

  function activeConversation() {
    return state.active ? state.conversations.get(state.active) || null : null;
  }

  function resetState() {
    for (const perRoom of state.typing.values()) for (const t of perRoom.values()) clearTimeout(t.timer);
    state.me = null;
    state.users.clear();
    state.joined.clear();
    state.knownRooms.clear();
    state.conversations.clear();
    state.typing.clear();
    state.active = null;
    typingRoom = null;
    clearTimeout(typingIdleTimer);
    for (const id of ["room-list", "dm-list", "user-list", "message-list"]) $(id).replaceChildren();
    $("typing-indicator").textContent = "";
    $("message-input").value = "";
    hideToast();
  }

  // ---- entering and leaving the chat ----

  function enterChat() {
    const me = storedUser();
    if (!currentToken() || !me) {
      showAuth();
      return;
    }
    tabToken = currentToken();
    if (typeof window.io !== "function") {
      showAuth("The chat client failed to load. Please reload the page.");
      return;
    }
    teardown();
    state.me = me;
    $("current-user").textContent = me.username;
    $("auth-view").hidden = true;
    $("chat-view").hidden = false;
    state.active = roomKey(DEFAULT_ROOM);
    roomConversation(DEFAULT_ROOM);
    renderAll();
    connect();
  }

  /**
   * Drops the socket and the chat state. With serverCloses (after session-ended) the server is
   * about to close the connection itself: a DISCONNECT of ours could reach a session it has
   * already closed (a 400 on polling), so we only stop reconnecting and close later if it did not.
   */
  function teardown(serverCloses = false) {
    if (socket) {
      // Cleared first: the handlers check `socket === s` and so ignore what disconnect() fires.
      const s = socket;
      socket = null;
      if (serverCloses) {
        s.io.reconnection(false);
        setTimeout(() => s.disconnect(), 3000);
      } else {
        s.disconnect();
      }
    }
    resetState();
  }

  /** The server ended this session (or refused its token): back to the login screen. */
  function endSession(notice, serverCloses = false) {
    const dead = tabToken;
    teardown(serverCloses);
    clearSession();
    // Another tab may have logged in meanwhile: its token gets a chance (and is dropped in turn
    // if the server refuses it too).
    if (currentToken() && currentToken() !== dead && storedUser()) enterChat();
    else showAuth(notice);
  }

  async function logout() {
    const token = currentToken();
    tabToken = token; // possibly refreshed by another tab: the same session, forget it too
    $("logout-button").disabled = true;
    // Our socket goes first, so that the server's session-ended for this logout finds no one.
    teardown();
    let notice = "You have logged out.";
    if (token) {
      try {
        await api("/auth/logout", { token });
      } catch (e) {
        if (e.status !== 401) notice = "Logged out here, but the server did not confirm: " + e.message;
      }
    }
    clearSession();
    $("logout-button").disabled = false;
    showAuth(notice);
  }

  function refreshToken() {
    const token = currentToken();
    if (refreshing || !token) return;
    refreshing = api("/auth/refresh", { token })
      .then((data) => {
        // The socket's auth callback reads currentToken() at the next (re)connect.
        if (data && typeof data.token === "string" && currentToken() === token) storeSession(data);
      })
      .catch((e) => {
        if (e.status === 401) endSession(SESSION_ENDED);
        // otherwise keep going: the server warns again, or ends the session itself
      })
      .finally(() => {
        refreshing = null;
      });
  }

  // ---- the socket ----

  function connect() {
    setStatus("connecting");
    // The token goes in the CONNECT packet's auth payload, never in the URL (auth-pitfalls §3).
    // A function, so that every reconnection presents the newest token.
    const s = window.io({
      auth: (cb) => cb({ token: currentToken() }),
      forceNew: true,
      reconnectionDelayMax: 10000,
    });
    socket = s;
    const on = (event, handler) =>
      s.on(event, (...args) => {
        if (socket === s) handler(...args);
      });

    on("connect", onConnected);
    let serverDisconnects = 0;
    on("disconnect", (reason) => {
      stopTyping(false);
      if (reason === "io server disconnect" && serverDisconnects < MAX_SERVER_DISCONNECTS) {
        // socket.io-client does not reconnect after the server's DISCONNECT. The server only lets
        // a chat socket go when its session ended, and its session-ended may not have reached us
        // (socket.io-client drops events that share a polling response with the transport's
        // close): so ask again; a dead session is refused at the handshake (connect_error).
        serverDisconnects++;
        setStatus("reconnecting");
        setTimeout(() => {
          if (socket === s) s.connect();
        }, 1000 * serverDisconnects);
        return;
      }
      setStatus(s.active ? "reconnecting" : "disconnected");
      if (reason === "io server disconnect") toast("The server closed the connection. Reload the page to reconnect.");
    });
    s.io.on("reconnect_attempt", () => {
      if (socket === s) setStatus("reconnecting");
    });
    on("connect_error", (err) => {
      const code = err && err.data && typeof err.data === "object" ? err.data.code : undefined;
      if (SESSION_MESSAGES.has(err && err.message) || SESSION_CODES.has(code)) {
        endSession(SESSION_ENDED);
        return;
      }
      if (s.active) {
        setStatus("reconnecting");
      } else {
        // refused by a middleware for another reason: socket.io-client does not retry
        setStatus("disconnected");
        toast(err && err.message ? err.message : "Connection refused");
      }
    });
    on("session-ended", () => endSession(SESSION_ENDED, true));
    on("token-expiring", refreshToken);
    on("error", (e) => {
      if (isObject(e) && e.event === "typing") return; // cosmetic, no need to bother anyone
      toast(isObject(e) && typeof e.message === "string" ? e.message : "The server refused a request");
    });

    on("online-users", (list) => {
      if (!Array.isArray(list)) return;
      gotOnlineUsers = true;
      state.users.clear();
      for (const u of list) addUser(u);
      renderUsers();
      renderDms();
    });
    on("user-joined", (u) => {
      addUser(u);
      renderUsers();
      renderDms();
    });
    on("user-left", (u) => {
      if (!isObject(u)) return;
      const id = String(u.userId);
      state.users.delete(id);
      for (const [room, perRoom] of state.typing) if (perRoom.has(id)) setTyping(room, id, null, false);
      renderUsers();
      renderDms();
    });
    on("new-message", onRoomMessage);
    on("private-message", onPrivateMessage);
    on("user-typing", (t) => {
      if (!isObject(t) || typeof t.room !== "string" || typeof t.username !== "string") return;
      if (String(t.userId) === state.me.id) return; // another tab of ours
      setTyping(t.room, String(t.userId), t.username, t.isTyping !== false);
    });
  }

  async function onConnected() {
    const s = socket;
    gotOnlineUsers = false;
    setStatus("connected");
    // chat.md, Rooms: a fresh connection is in general only; put back the rooms we had.
    const wanted = [...state.joined].filter((r) => r !== DEFAULT_ROOM);
    state.joined = new Set([DEFAULT_ROOM]);
    state.knownRooms.add(DEFAULT_ROOM);
    roomConversation(DEFAULT_ROOM);
    if (!state.active) state.active = roomKey(DEFAULT_ROOM);
    renderAll();
    await Promise.all(
      wanted.map(async (room) => {
        const ack = await emitAck("join", { room });
        if (socket === s && ack && ack.ok) state.joined.add(room);
      })
    );
    if (socket !== s) return;
    if (wanted.length) renderAll();
    if (!gotOnlineUsers) {
      // online-users arrives right after connecting; this is only in case it did not
      const ack = await emitAck("get-online-users");
      if (socket === s && !gotOnlineUsers && ack && ack.ok && Array.isArray(ack.users)) {
        state.users.clear();
        for (const u of ack.users) addUser(u);
        renderUsers();
      }
    }
    await refreshRooms();
  }

  function setStatus(status) {
    const s = $("connection-status");
    s.dataset.state = status;
    s.textContent = STATUS_TEXT[status];
  }

  /** Emits with an ack; resolves to the ack object, or null when the server did not answer. */
  async function emitAck(event, ...args) {
    const s = socket;
    if (!s) return null;
    try {
      return await s.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args);
    } catch {
      if (socket === s) toast(s.connected ? "The server did not answer." : "Not connected.");
      return null;
    }
  }

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  function addUser(u) {
    if (isObject(u) && u.userId !== undefined && typeof u.username === "string") state.users.set(String(u.userId), u.username);
  }

  // ---- rooms ----

  async function refreshRooms() {
    const s = socket;
    const ack = await emitAck("get-rooms");
    if (socket !== s || !ack || !ack.ok || !Array.isArray(ack.rooms)) return;
    state.knownRooms = new Set(ack.rooms.filter((r) => typeof r === "string"));
    for (const r of state.joined) state.knownRooms.add(r);
    renderRooms();
  }

  async function joinRoom(raw) {
    // chat.md, Rooms: trimmed and lower-cased, then checked (the server does the same).
    const name = raw.trim().toLowerCase();
    if (!ROOM_NAME.test(name)) {
      toast("Invalid room name");
      return false;
    }
    if (state.joined.has(name)) {
      activate(roomKey(name));
      return true;
    }
    const s = socket;
    const ack = await emitAck("join", { room: name });
    if (socket !== s || !ack || !ack.ok) return false; // the server's error event says why
    const room = typeof ack.room === "string" ? ack.room : name;
    state.joined.add(room);
    state.knownRooms.add(room);
    roomConversation(room);
    activate(roomKey(room));
    refreshRooms();
    return true;
  }

  async function leaveRoom(name) {
    const s = socket;
    const ack = await emitAck("leave", { room: name });
    if (socket !== s || !ack) return;
    if (!ack.ok && ack.error !== "You have not joined this room") return;
    state.joined.delete(name);
    state.conversations.delete(roomKey(name));
    const typing = state.typing.get(name);
    if (typing) for (const t of typing.values()) clearTimeout(t.timer);
    state.typing.delete(name);
    if (state.active === roomKey(name)) {
      const next = state.joined.has(DEFAULT_ROOM) ? DEFAULT_ROOM : [...state.joined][0];
      state.active = next ? roomKey(next) : null;
    }
    renderAll();
    refreshRooms();
  }

  // ---- messages ----

  function onRoomMessage(m) {
    if (!isObject(m) || typeof m.room !== "string" || typeof m.message !== "string") return;
    const userId = String(m.userId);
    const c = roomConversation(m.room);
    setTyping(m.room, userId, null, false);
    addMessage(c, { id: m.id, userId, username: String(m.username), text: m.message, timestamp: m.timestamp });
  }

  function onPrivateMessage(m) {
    if (!isObject(m) || typeof m.message !== "string") return;
    const fromMe = String(m.fromUserId) === state.me.id;
    const peerId = String(fromMe ? m.toUserId : m.fromUserId);
    const peerName = String(fromMe ? m.toUsername : m.fromUsername);
    const c = dmConversation(peerId, peerName);
    addMessage(c, {
      id: m.id,
      userId: String(m.fromUserId),
      username: String(m.fromUsername),
      text: m.message,
      timestamp: m.timestamp,
    });
  }

  function addMessage(c, msg) {
    if (msg.id !== undefined) {
      if (c.ids.has(msg.id)) return;
      c.ids.add(msg.id);
    }
    c.messages.push(msg);
    if (c.messages.length > MAX_MESSAGES) {
      const dropped = c.messages.shift();
      c.ids.delete(dropped.id);
    }
    if (c.key === state.active) {
      const list = $("message-list");
      const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
      list.append(messageElement(msg));
      while (list.childElementCount > MAX_MESSAGES) list.firstElementChild.remove();
      if (nearBottom || msg.userId === state.me.id) list.scrollTop = list.scrollHeight;
      renderTyping();
    } else {
      c.unread++;
    }
    if (c.kind === "room") renderRooms();
    else renderDms();
  }

  function messageElement(msg) {
    const mine = msg.userId === state.me.id;
    const when = new Date(typeof msg.timestamp === "string" ? msg.timestamp : Date.now());
    const valid = !Number.isNaN(when.getTime());
    return el(
      "li",
      { class: mine ? "message mine" : "message", "data-testid": "message", "data-message-id": msg.id },
      el(
        "div",
        { class: "meta" },
        el("span", { class: "author", "data-testid": "message-author" }, msg.username),
        el(
          "time",
          { datetime: valid ? when.toISOString() : undefined },
          valid ? when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : ""
        )
      ),
      el("p", { class: "text", "data-testid": "message-text" }, msg.text)
    );
  }

  async function sendMessage() {
    const c = activeConversation();
    const input = $("message-input");
    const text = input.value.trim();
    if (!c || !text) return;
    // chat.md: at most 500 characters counted as code points ([...s] splits by code point).
    if ([...text].length > MAX_MESSAGE_CODE_POINTS) {
      toast(`Message must be at most ${MAX_MESSAGE_CODE_POINTS} characters`);
      return;
    }
    if (!socket || !socket.connected) {
      toast("Not connected: the message was not sent.");
      return;
    }
    stopTyping(true);
    input.value = "";
    const ack =
      c.kind === "room"
        ? await emitAck("chat-message", { message: text, room: c.name })
        : await emitAck("private-message", { targetUserId: c.peerId, message: text });
    // Refused or unanswered: give the text back unless something new was typed meanwhile.
    if ((!ack || !ack.ok) && input.value === "") input.value = text;
  }

  // ---- typing ----

  function onComposerInput() {
    const c = activeConversation();
    if (!c || c.kind !== "room" || !socket || !socket.connected) return;
    if ($("message-input").value.trim() === "") {
      stopTyping(true);
      return;
    }
    const now = Date.now();
    if (typingRoom !== c.name || now - typingSentAt > TYPING_REFRESH_MS) {
      if (typingRoom && typingRoom !== c.name) socket.emit("typing", { room: typingRoom, isTyping: false });
      socket.emit("typing", { room: c.name, isTyping: true });
      typingRoom = c.name;
      typingSentAt = now;
    }
    clearTimeout(typingIdleTimer);
    typingIdleTimer = setTimeout(() => stopTyping(true), TYPING_IDLE_MS);
  }

  function stopTyping(tell) {
    clearTimeout(typingIdleTimer);
    if (typingRoom && tell && socket && socket.connected) socket.emit("typing", { room: typingRoom, isTyping: false });
    typingRoom = null;
  }

  function setTyping(room, userId, username, isTyping) {
    let perRoom = state.typing.get(room);
    const old = perRoom && perRoom.get(userId);
    if (old) clearTimeout(old.timer);
    if (isTyping) {
      if (!perRoom) state.typing.set(room, (perRoom = new Map()));
      const timer = setTimeout(() => setTyping(room, userId, null, false), TYPING_SHOWN_MS);
      perRoom.set(userId, { username, timer });
    } else if (old) {
      perRoom.delete(userId);
      if (perRoom.size === 0) state.typing.delete(room);
    } else {
      return;
    }
    const c = activeConversation();
    if (c && c.kind === "room" && c.name === room) renderTyping();
  }

  function renderTyping() {
    const c = activeConversation();
    const perRoom = c && c.kind === "room" ? state.typing.get(c.name) : null;
    const names = perRoom ? [...perRoom.values()].map((t) => t.username) : [];
    let text = "";
    if (names.length === 1) text = `${names[0]} is typing…`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
    else if (names.length > 2) text = "Several people are typing…";
    $("typing-indicator").textContent = text;
  }

  // ---- rendering ----

  function activate(key) {
    if (state.active !== key) stopTyping(true);
    state.active = key;
    const c = activeConversation();
    if (c) c.unread = 0;
    renderAll();
    $("message-input").focus();
  }

  function renderAll() {
    renderRooms();
    renderDms();
    renderUsers();
    renderConversation();
  }

  function navButton(attrs, label, unread, extraClass) {
    const b = el("button", { type: "button", class: "nav-item" + (extraClass ? " " + extraClass : ""), ...attrs }, label);
    if (unread > 0) b.append(el("span", { class: "badge", "data-testid": "unread-count" }, String(unread)));
    return el("li", {}, b);
  }

  function renderRooms() {
    // general stays listed after leaving it, so that a click joins it again.
    const names = [...new Set([DEFAULT_ROOM, ...state.knownRooms, ...state.joined])].sort();
    $("room-list").replaceChildren(
      ...names.map((name) => {
        const c = state.conversations.get(roomKey(name));
        const joined = state.joined.has(name);
        const active = state.active === roomKey(name);
        const li = navButton(
          { "data-testid": "room-item", "data-room": name, "data-joined": String(joined), "aria-current": active ? "true" : undefined },
          "# " + name,
          c ? c.unread : 0,
          (active ? "active" : "") + (joined ? "" : " not-joined")
        );
        li.firstChild.addEventListener("click", () => joinRoom(name));
        return li;
      })
    );
  }

  function renderDms() {
    const dms = [...state.conversations.values()].filter((c) => c.kind === "dm");
    dms.sort((a, b) => a.name.localeCompare(b.name));
    $("dm-empty").hidden = dms.length > 0;
    $("dm-list").replaceChildren(
      ...dms.map((c) => {
        const online = state.users.has(c.peerId);
        const active = state.active === c.key;
        const li = navButton(
          {
            "data-testid": "dm-item",
            "data-user-id": c.peerId,
            "data-username": c.name,
            "data-online": String(online),
            "aria-current": active ? "true" : undefined,
          },
          "@ " + c.name,
          c.unread,
          (active ? "active" : "") + (online ? " online" : " offline")
        );
        li.firstChild.addEventListener("click", () => activate(c.key));
        return li;
      })
    );
  }

  function renderUsers() {
    const users = [...state.users].sort((a, b) => a[1].localeCompare(b[1]));
    $("online-count").textContent = String(users.length);
    $("user-list").replaceChildren(
      ...users.map(([id, username]) => {
        const me = id === state.me.id;
        const b = el(
          "button",
          { type: "button", class: "nav-item online", "data-testid": "online-user", "data-user-id": id, "data-username": username, disabled: me },
          username
        );
        if (me) b.append(el("span", { class: "muted" }, " (you)"));
        else b.addEventListener("click", () => activate(dmConversation(id, username).key));
        return el("li", {}, b);
      })
    );
  }

  function renderConversation() {
    const c = activeConversation();
    const title = $("conversation-title");
    const input = $("message-input");
    if (!c) {
      title.textContent = "No conversation";
      $("leave-room-button").hidden = true;
      $("message-list").replaceChildren();
      input.disabled = true;
      $("send-button").disabled = true;
      renderTyping();
      return;
    }
    title.textContent = c.kind === "room" ? "# " + c.name : "@ " + c.name;
    title.dataset.kind = c.kind;
    $("leave-room-button").hidden = c.kind !== "room" || !state.joined.has(c.name);
    input.disabled = false;
    $("send-button").disabled = false;
    input.placeholder = c.kind === "room" ? `Message # ${c.name}` : `Private message to ${c.name}`;
    const list = $("message-list");
    list.replaceChildren(...c.messages.map(messageElement));
    list.scrollTop = list.scrollHeight;
    document.title = (c.kind === "room" ? "#" : "@") + c.name + " · Switchboard";
    renderTyping();
  }

  function toast(message) {
    const t = $("toast");
    t.textContent = message;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(hideToast, TOAST_MS);
  }

  function hideToast() {
    clearTimeout(toastTimer);
    $("toast").hidden = true;
    $("toast").textContent = "";
  }

  // ---- wiring ----

  function init() {
    $("login-form").addEventListener("submit", (e) => {
      e.preventDefault();
      submitCredentials(e.currentTarget, "/auth/login", "login-error");
    });
    $("register-form").addEventListener("submit", (e) => {
      e.preventDefault();
      submitCredentials(e.currentTarget, "/auth/register", "register-error");
    });
    $("logout-button").addEventListener("click", logout);
    $("join-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const input = $("join-room-input");
      if (await joinRoom(input.value)) input.value = "";
    });
    $("leave-room-button").addEventListener("click", () => {
      const c = activeConversation();
      if (c && c.kind === "room") leaveRoom(c.name);
    });
    $("message-form").addEventListener("submit", (e) => {
      e.preventDefault();
      sendMessage();
    });
    const input = $("message-input");
    input.addEventListener("input", onComposerInput);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        $("message-form").requestSubmit();
      }
    });
    $("toast").addEventListener("click", hideToast);
    // Another tab of this browser logged out or in (a refreshed token needs nothing: the socket's
    // auth callback reads it at the next reconnection).
    window.addEventListener("storage", (e) => {
      if (e.key !== TOKEN_KEY && e.key !== null) return;
      // Gone from storage: the other tab logged out or was told the session ended, and the
      // server closes this tab's socket of the same session too.
      if (!currentToken() && socket) endSession(SESSION_ENDED, true);
      else if (currentToken() && !socket && !$("auth-view").hidden) enterChat();
    });

    loadConfig();
    if (typeof window.io !== "function") showAuth("The chat client failed to load. Please reload the page.");
    else if (currentToken() && storedUser()) enterChat();
    else showAuth();
  }

  init();
})();
