// The Switchboard chat page: plain JavaScript, no framework, no build step.
//
// Contract: spec-notes/chat.md (socket events) and spec-notes/authentication.md (HTTP API and
// connect_error messages). Rule of the file: whatever comes from a user or the server (messages,
// usernames, room names, error sentences) enters the DOM as text — textContent or text nodes via
// el()/append() — never as markup.
"use strict";

(() => {
  // Per tab (sessionStorage): two tabs of one browser can be two users, a reload keeps the tab's
  // login and rooms, and logging out in one tab leaves the others alone.
  const TOKEN_KEY = "switchboard.token";
  const USER_KEY = "switchboard.user";
  const EXPIRY_KEY = "switchboard.expiry"; // {expiresAt, lifetimeMs} of the stored token
  const ROOMS_KEY = "switchboard.rooms"; // {rooms: [joined chat rooms], active: conversation key}

  const ACK_TIMEOUT_MS = 5000;
  const HTTP_TIMEOUT_MS = 10000;
  const TYPING_IDLE_MS = 2000; // we stop "typing" this long after the last keystroke
  const TYPING_REFRESH_MS = 3000; // and repeat isTyping:true this often while it goes on
  const TYPING_SHOWN_MS = 5000; // someone else's indicator lapses without news for this long
  const TOAST_MS = 5000;
  const MAX_SERVER_DISCONNECTS = 3; // per login: reconnections after the server's DISCONNECT
  const MAX_MESSAGES = 1000; // per conversation, the oldest are dropped
  const HISTORY_PAGE = 50; // messages per get-history request (chat.md: default 50, max 200)
  const HISTORY_TIMEOUT_MS = 4000; // a server without history never answers: give up quietly
  const REFRESH_MARGIN_MAX_MS = 2 * 60 * 1000; // refresh this long before expiry (or half the lifetime)
  const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout's longest delay
  const DIRECTORY_EVERY_MS = 30000;
  const MAX_STORED_ROOMS = 20; // chat.md: at most 20 chat rooms per socket
  const MAX_MESSAGE_CODE_POINTS = 500;
  const ROOM_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
  const ROOM_RULE = "1–32 characters: lower-case letters, digits, - and _, starting with a letter or digit";
  const DEFAULT_ROOM = "general";

  const SESSION_ENDED = "Your session has ended, please log in again.";
  const LOGGED_OUT = "You have logged out.";
  // chat.md, "Why a session ended": session-ended.reason → what the user reads.
  const END_REASONS = {
    logout: "You were logged out in another tab or window.",
    "logged-out-elsewhere": "You were signed out because your account logged in somewhere else.",
    expired: "Your session expired. Please log in again.",
    revoked: "Your session was ended by the server (the account was removed, or too many sessions). Please log in again.",
    "server-restart": "The connection was lost and the server no longer knows your session (it may have restarted). Please log in again.",
  };
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

  // ---- stored session (sessionStorage: this tab's, kept over a reload) ----

  function stored(key) {
    try {
      return sessionStorage.getItem(key);
    } catch {
      return null;
    }
  }

  function store(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, value);
    } catch {
      // storage disabled: this tab still works, a reload asks to log in again
    }
  }

  function storedJson(key) {
    try {
      return JSON.parse(stored(key) || "null");
    } catch {
      return null; // unreadable: treated as absent
    }
  }

  function currentToken() {
    return stored(TOKEN_KEY);
  }

  function storedUser() {
    const u = storedJson(USER_KEY);
    return u && typeof u.id === "string" && typeof u.username === "string" ? u : null;
  }

  function storeSession(data) {
    if (data.user && data.user.id !== undefined && typeof data.user.username === "string") {
      store(USER_KEY, JSON.stringify({ id: String(data.user.id), username: data.user.username }));
    }
    store(TOKEN_KEY, data.token);
    tabToken = data.token;
    const expiresAt = typeof data.expiresAt === "string" ? Date.parse(data.expiresAt) : NaN;
    if (Number.isFinite(expiresAt)) {
      const lifetimeMs = Math.max(0, expiresAt - serverNow());
      tokenExpiry = { expiresAt, lifetimeMs };
      store(EXPIRY_KEY, JSON.stringify(tokenExpiry));
    }
  }

  function clearSession() {
    for (const key of [TOKEN_KEY, USER_KEY, EXPIRY_KEY, ROOMS_KEY]) store(key, null);
    tabToken = null;
    tokenExpiry = null;
  }

  function storeRooms() {
    if (!tabToken) return;
    store(ROOMS_KEY, JSON.stringify({ rooms: [...state.joined].slice(0, MAX_STORED_ROOMS), active: state.active }));
  }

  function storedRooms() {
    const r = storedJson(ROOMS_KEY);
    if (!isObject(r) || !Array.isArray(r.rooms)) return null;
    return {
      rooms: r.rooms.filter((n) => typeof n === "string" && ROOM_NAME.test(n)).slice(0, MAX_STORED_ROOMS),
      active: typeof r.active === "string" ? r.active : null,
    };
  }

  // Before sessionStorage the login lived in localStorage, shared by every tab: forget it.
  try {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  } catch {
    // nothing stored
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

  /** "about 15 minutes", "40 seconds": a wait a person reads (Retry-After, session end). */
  function humanDuration(seconds) {
    const s = Math.max(1, Math.round(seconds));
    if (s < 60) return s === 1 ? "1 second" : `${s} seconds`;
    const m = Math.round(s / 60);
    if (m < 90) return m === 1 ? "about a minute" : `about ${m} minutes`;
    const h = Math.round(s / 3600);
    return h === 1 ? "about an hour" : `about ${h} hours`;
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

  /** After a logout or a forced one: no old username, password or error left on the forms. */
  function resetAuthForms() {
    $("login-form").reset();
    $("register-form").reset();
    showFormError("login-error", "");
    showFormError("register-error", "");
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
      resetAuthForms();
      enterChat();
    } catch (e) {
      // RFC 9110 §10.2.3: Retry-After in seconds; said as a person would say it.
      // "Too many failed attempts, try again later (in about 15 minutes)."
      const wait = e.retryAfter && /^\d+$/.test(e.retryAfter) ? ` (in ${humanDuration(Number(e.retryAfter))})` : "";
      showFormError(errorId, wait ? e.message.replace(/[.!]$/, "") + wait + "." : e.message);
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
    conversations: new Map(), // key → {key, kind: "room"|"dm", name, peerId, messages, ids, unread, history}
    directory: [], // the last list-rooms answer: [{name, members}]
    active: null, // key of the conversation on screen
    typing: new Map(), // room → Map(userId → {username, timer})
  };
  let socket = null;
  let gotOnlineUsers = false; // on this connection
  let everConnected = false; // this login's socket has been connected at least once
  let lostConnection = false; // it then lost the connection without being told why
  let historyAnswered = null; // on this connection: null unknown, false when get-history got no answer
  let refreshing = null; // {token, promise}: the refresh request in flight, for that token
  let refreshTimer = null;
  let tokenExpiry = null; // {expiresAt (server clock, ms), lifetimeMs} of this tab's token
  let clockOffsetMs = 0; // the server's clock minus ours, learned from token-expiring
  let sessionNoticeTimer = null;
  let directoryTimer = null;
  let toastTimer = null;
  let typingRoom = null; // the room we last told "isTyping: true"
  let typingSentAt = 0;
  let typingIdleTimer = null;

  const roomKey = (name) => "room:" + name;
  const dmKey = (userId) => "dm:" + userId;

  function conversation(key, init) {
    let c = state.conversations.get(key);
    if (!c) {
      // history: null = not asked on this connection, "loading", "done"; hasMore: older pages exist
      c = { key, messages: [], ids: new Set(), unread: 0, history: null, hasMore: false, loadingOlder: false, ...init };
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
    state.directory = [];
    state.typing.clear();
    state.active = null;
    typingRoom = null;
    clearTimeout(typingIdleTimer);
    for (const id of ["room-list", "dm-list", "user-list", "message-list", "room-directory"]) $(id).replaceChildren();
    $("typing-indicator").textContent = "";
    $("message-input").value = "";
    $("room-search").value = "";
    showJoinError("");
    hideToast();
    hideSessionNotice();
  }

  // ---- entering and leaving the chat ----

  function enterChat() {
    const me = storedUser();
    if (!currentToken() || !me) {
      showAuth();
      return;
    }
    if (typeof window.io !== "function") {
      showAuth("The chat client failed to load. Please reload the page.");
      return;
    }
    teardown();
    tabToken = currentToken();
    const expiry = storedJson(EXPIRY_KEY);
    tokenExpiry = isObject(expiry) && Number.isFinite(expiry.expiresAt) ? expiry : null;
    state.me = me;
    $("current-user").textContent = me.username;
    $("auth-view").hidden = true;
    $("chat-view").hidden = false;
    // The rooms this tab was in before a reload: joined again once connected (onConnected).
    const saved = storedRooms();
    state.joined = new Set(saved ? saved.rooms : [DEFAULT_ROOM]);
    for (const r of state.joined) roomConversation(r);
    state.active = saved && saved.active && (saved.active.startsWith("dm:") || state.joined.has(saved.active.slice(5)))
      ? saved.active
      : state.joined.has(DEFAULT_ROOM) ? roomKey(DEFAULT_ROOM) : state.joined.size ? roomKey([...state.joined][0]) : null;
    if (state.active && state.active.startsWith("dm:")) {
      const peerId = state.active.slice(3);
      dmConversation(peerId, peerId); // its name arrives with the online list or the history
    }
    everConnected = false;
    lostConnection = false;
    renderAll();
    scheduleRefresh();
    connect();
  }

  /**
   * Drops the socket and the chat state. With serverCloses (after session-ended) the server is
   * about to close the connection itself: a DISCONNECT of ours could reach a session it has
   * already closed (a 400 on polling), so we only stop reconnecting and close later if it did not.
   */
  function teardown(serverCloses = false) {
    clearTimeout(refreshTimer);
    refreshTimer = null;
    clearInterval(directoryTimer);
    directoryTimer = null;
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
    // The socket's own disconnect is ignored above (socket === null), so say it here: a tab that
    // logs in again must not show "connected" before its new socket is.
    setStatus("disconnected");
  }

  /** The server ended this session (or refused its token): back to the login screen. */
  function endSession(notice, serverCloses = false) {
    teardown(serverCloses);
    clearSession();
    resetAuthForms();
    showAuth(notice);
  }

  async function logout() {
    const token = tabToken;
    $("logout-button").disabled = true;
    // Our socket goes first, so that the server's session-ended for this logout finds no one here
    // (a tab that clicked Log out knows why it ended).
    teardown();
    clearSession();
    let notice = LOGGED_OUT;
    if (token) {
      try {
        await api("/auth/logout", { token });
      } catch (e) {
        if (e.status !== 401) notice = "Logged out here, but the server did not confirm: " + e.message;
      }
    }
    $("logout-button").disabled = false;
    resetAuthForms();
    showAuth(notice);
  }

  // ---- token refresh ----
  //
  // Scheduled from the token's own expiry (login and refresh answer expiresAt), a margin before it:
  // at most REFRESH_MARGIN_MAX_MS, at most half the token's lifetime (so a 60 s token is renewed
  // every 30 s). token-expiring only corrects our idea of the server's clock (and schedules a
  // refresh if none is); it never drops one, and one in flight is never started twice: its
  // answer schedules the next.

  function serverNow() {
    return Date.now() + clockOffsetMs;
  }

  function msLeft() {
    return tokenExpiry ? tokenExpiry.expiresAt - serverNow() : Infinity;
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = null;
    if (!tabToken || !tokenExpiry) return;
    const left = msLeft();
    const lifetime = tokenExpiry.lifetimeMs > 0 ? tokenExpiry.lifetimeMs : left;
    const margin = Math.min(REFRESH_MARGIN_MAX_MS, lifetime / 2);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, left - margin));
    refreshTimer = setTimeout(refreshToken, delay);
  }

  function onTokenExpiring(w) {
    if (!isObject(w) || typeof w.expiresAt !== "string" || typeof w.secondsLeft !== "number") return;
    const expiresAt = Date.parse(w.expiresAt);
    if (!Number.isFinite(expiresAt)) return;
    // authentication.md: secondsLeft is counted on the server's clock (whole seconds, so ±1 s).
    clockOffsetMs = expiresAt - w.secondsLeft * 1000 - Date.now();
    if (!tokenExpiry) tokenExpiry = { expiresAt, lifetimeMs: 0 };
    if (!refreshInFlight()) scheduleRefresh();
  }

  function refreshInFlight() {
    return refreshing !== null && refreshing.token === tabToken;
  }

  function refreshToken() {
    if (refreshInFlight()) return refreshing.promise;
    const token = tabToken;
    if (!token) return null;
    clearTimeout(refreshTimer);
    refreshTimer = null;
    const before = tokenExpiry ? tokenExpiry.expiresAt : 0;
    let failures = 0;
    const attempt = () =>
      api("/auth/refresh", { token })
        .then((data) => {
          if (tabToken !== token) return; // logged out (or in again) meanwhile
          if (!data || typeof data.token !== "string") throw new ApiError(0, "Unexpected answer from the server.");
          storeSession(data);
          // The socket's auth callback presents the new token at the next (re)connection.
          if (tokenExpiry && tokenExpiry.expiresAt <= before + 1000) {
            // Not moved: the session reached the longest a login may last (authentication.md,
            // sessionMaxAge). Say so instead of asking again and again.
            showSessionNotice("capped");
            return;
          }
          hideSessionNotice();
          scheduleRefresh();
        })
        .catch((e) => {
          if (tabToken !== token) return;
          if (e.status === 401) {
            // authentication.md: "Token expired" is an expiry; "Session expired" an ended session
            // whose session-ended (with its reason) this tab may not have heard.
            endSession(e.message === "Token expired" ? END_REASONS.expired : SESSION_ENDED);
            return;
          }
          // Not answered, or a 503: try again while the token lives, and let the user know.
          failures++;
          const left = msLeft();
          showSessionNotice("failed", e.message);
          if (left <= 0) return; // the server ends the session (session-ended expired)
          const retry = Math.min(left / 2, 2000 * 2 ** Math.min(failures - 1, 4));
          return new Promise((resolve) => {
            refreshTimer = setTimeout(() => resolve(tabToken === token ? attempt() : undefined), Math.max(500, retry));
          });
        });
    const promise = attempt().finally(() => {
      if (refreshing && refreshing.promise === promise) refreshing = null;
    });
    refreshing = { token, promise };
    return promise;
  }

  /** The banner over the chat while the session is at risk: "failed" (refresh failing) or "capped". */
  function showSessionNotice(kind, why) {
    const n = $("session-notice");
    const render = () => {
      const left = msLeft();
      const ends = Number.isFinite(left) && left > 0 ? ` It ends in ${humanDuration(left / 1000)}` : " It is ending";
      n.textContent =
        kind === "capped"
          ? `Your session has reached its longest allowed duration.${ends}: log out and in again to keep chatting.`
          : `Could not renew your session${why ? ` (${why})` : ""}; trying again.${ends} unless it is renewed.`;
    };
    n.dataset.kind = kind;
    render();
    n.hidden = false;
    clearInterval(sessionNoticeTimer);
    sessionNoticeTimer = setInterval(render, 1000);
  }

  function hideSessionNotice() {
    clearInterval(sessionNoticeTimer);
    sessionNoticeTimer = null;
    const n = $("session-notice");
    n.hidden = true;
    n.textContent = "";
    delete n.dataset.kind;
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
      historyAnswered = null;
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
      // Lost without a word from the server (transport closed, ping timeout): if the reconnection
      // is then refused, the server came back without this session (chat.md, server-restart).
      if (reason !== "io server disconnect" && reason !== "io client disconnect") lostConnection = true;
      setStatus(s.active ? "reconnecting" : "disconnected");
      if (reason === "io server disconnect") toast("The server closed the connection. Reload the page to reconnect.");
    });
    s.io.on("reconnect_attempt", () => {
      if (socket === s) setStatus("reconnecting");
    });
    on("connect_error", (err) => {
      const code = err && err.data && typeof err.data === "object" ? err.data.code : undefined;
      if (SESSION_MESSAGES.has(err && err.message) || SESSION_CODES.has(code)) {
        const expired = code === "TOKEN_EXPIRED" || (err && err.message === "Token expired");
        endSession(expired ? END_REASONS.expired : lostConnection ? END_REASONS["server-restart"] : SESSION_ENDED);
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
    on("session-ended", (e) => {
      const reason = isObject(e) && typeof e.reason === "string" ? e.reason : "";
      endSession(Object.hasOwn(END_REASONS, reason) ? END_REASONS[reason] : SESSION_ENDED, true);
    });
    on("token-expiring", onTokenExpiring);
    on("error", (e) => {
      if (isObject(e) && e.event === "typing") return; // cosmetic, no need to bother anyone
      const message = isObject(e) && typeof e.message === "string" ? e.message : "The server refused a request";
      if (isObject(e) && e.event === "join") showJoinError(message === "Invalid room name" ? roomRuleError() : message);
      else toast(message);
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
    historyAnswered = null;
    setStatus("connected");
    if (everConnected) toast("Reconnected.");
    everConnected = true;
    lostConnection = false;
    // chat.md, Rooms: a fresh connection is in general only; put back the rooms we had (over a
    // reconnection, or from this tab's storage after a reload), and leave general if we had.
    const wanted = [...state.joined];
    state.joined = new Set([DEFAULT_ROOM]);
    state.knownRooms.add(DEFAULT_ROOM);
    // Ask again (what we missed is merged by id), also where a request was lost with the connection.
    for (const c of state.conversations.values()) c.history = null;
    renderAll();
    await Promise.all([
      ...wanted
        .filter((r) => r !== DEFAULT_ROOM)
        .map(async (room) => {
          const ack = await emitAck("join", { room });
          if (socket === s && ack && ack.ok) state.joined.add(room);
        }),
      (async () => {
        if (wanted.includes(DEFAULT_ROOM)) return;
        const ack = await emitAck("leave", { room: DEFAULT_ROOM });
        if (socket === s && ack && ack.ok) state.joined.delete(DEFAULT_ROOM);
      })(),
    ]);
    if (socket !== s) return;
    for (const r of state.joined) roomConversation(r);
    const active = activeConversation();
    if (!active || (active.kind === "room" && !state.joined.has(active.name))) {
      for (const [key, c] of state.conversations) if (c.kind === "room" && !state.joined.has(c.name)) state.conversations.delete(key);
      state.active = state.joined.has(DEFAULT_ROOM) ? roomKey(DEFAULT_ROOM) : state.joined.size ? roomKey([...state.joined][0]) : null;
    }
    storeRooms();
    renderAll();
    loadHistory(activeConversation());
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
    refreshDirectory();
    clearInterval(directoryTimer);
    directoryTimer = setInterval(refreshDirectory, DIRECTORY_EVERY_MS);
  }

  function setStatus(status) {
    const s = $("connection-status");
    s.dataset.state = status;
    s.textContent = STATUS_TEXT[status];
    // Offline: who is online is unknown (the list is greyed) and Send waits for the connection.
    $("chat-view").dataset.online = String(status === "connected");
    renderComposer();
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

  /** The same without a word to the user: null when unanswered (or not connected). */
  async function emitQuiet(timeoutMs, event, ...args) {
    const s = socket;
    if (!s || !s.connected) return null;
    try {
      return await s.timeout(timeoutMs).emitWithAck(event, ...args);
    } catch {
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

  /** chat.md, Rooms: the rule, and a name that would pass ("Dev Team" → "dev-team"). */
  function roomRuleError(raw) {
    const suggestion = (raw || "")
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/^[-_]+/, "")
      .slice(0, 32)
      .replace(/[-_]+$/, "");
    const hint = suggestion && ROOM_NAME.test(suggestion) ? ` Try "${suggestion}".` : "";
    return `Invalid room name: ${ROOM_RULE}.${hint}`;
  }

  function showJoinError(message) {
    const p = $("join-error");
    p.textContent = message || "";
    p.hidden = !message;
  }

  async function joinRoom(raw) {
    // chat.md, Rooms: trimmed and lower-cased, then checked (the server does the same).
    const name = raw.trim().toLowerCase();
    showJoinError("");
    if (!ROOM_NAME.test(name)) {
      showJoinError(roomRuleError(raw));
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
    refreshDirectory();
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
      loadHistory(activeConversation());
    }
    storeRooms();
    renderAll();
    refreshRooms();
    refreshDirectory();
  }

  // ---- the room directory (chat.md, list-rooms) ----

  async function refreshDirectory() {
    const s = socket;
    const ack = await emitQuiet(ACK_TIMEOUT_MS, "list-rooms");
    if (socket !== s || !ack || !ack.ok || !Array.isArray(ack.rooms)) return;
    state.directory = ack.rooms
      .filter((r) => isObject(r) && typeof r.name === "string" && ROOM_NAME.test(r.name))
      .map((r) => ({ name: r.name, members: Number.isInteger(r.members) ? r.members : 0 }));
    renderDirectory();
  }

  function renderDirectory() {
    const query = $("room-search").value.trim().toLowerCase();
    const shown = state.directory.filter((r) => r.name.includes(query));
    $("directory-empty").textContent = state.directory.length === 0 ? "No rooms yet." : "No room matches.";
    $("directory-empty").hidden = shown.length > 0;
    $("room-directory").replaceChildren(
      ...shown.map((r) => {
        const joined = state.joined.has(r.name);
        const b = el(
          "button",
          {
            type: "button",
            class: "nav-item" + (joined ? " joined" : ""),
            "data-testid": "directory-room",
            "data-room": r.name,
            "data-members": String(r.members),
            "data-joined": String(joined),
            title: joined ? "Open this room" : "Join this room",
          },
          el("span", { class: "name" }, "# " + r.name),
          el("span", { class: "members", "data-testid": "directory-members" }, r.members === 1 ? "1 member" : `${r.members} members`)
        );
        b.addEventListener("click", () => joinRoom(r.name));
        return el("li", {}, b);
      })
    );
  }

  // ---- history (chat.md, get-history / get-private-history) ----
  //
  // A server without these events never answers (or answers an error): then no history is
  // shown, nothing is said, and this connection does not ask again.

  function historyRequest(c, before) {
    const body = c.kind === "room" ? { room: c.name, limit: HISTORY_PAGE } : { userId: c.peerId, limit: HISTORY_PAGE };
    if (before !== undefined) body.before = before;
    return [c.kind === "room" ? "get-history" : "get-private-history", body];
  }

  /** The messages of a history ack as the page keeps them; null when the ack is not one. */
  function historyMessages(c, ack) {
    if (!isObject(ack) || ack.ok !== true || !Array.isArray(ack.messages)) return null;
    const out = [];
    for (const m of ack.messages) {
      if (!isObject(m) || typeof m.message !== "string" || m.id === undefined) continue;
      if (c.kind === "room") {
        if (m.room !== undefined && m.room !== c.name) continue;
        out.push({ id: m.id, userId: String(m.userId), username: String(m.username), text: m.message, timestamp: m.timestamp });
      } else {
        out.push({ id: m.id, userId: String(m.fromUserId), username: String(m.fromUsername), text: m.message, timestamp: m.timestamp });
        const peerName = String(m.fromUserId) === state.me.id ? m.toUsername : m.fromUsername;
        if (typeof peerName === "string" && c.name === c.peerId) c.name = peerName;
      }
    }
    return out;
  }

  async function loadHistory(c) {
    if (!c || c.history !== null || historyAnswered === false || !socket || !socket.connected) return;
    const s = socket;
    c.history = "loading";
    const ack = await emitQuiet(HISTORY_TIMEOUT_MS, ...historyRequest(c));
    if (socket !== s) return;
    if (ack === null) historyAnswered = false;
    else historyAnswered = true;
    c.history = "done";
    const messages = historyMessages(c, ack);
    if (!messages) {
      if (c.key === state.active) renderConversation();
      return;
    }
    const fresh = messages.filter((m) => !c.ids.has(m.id));
    for (const m of fresh) c.ids.add(m.id);
    // Oldest first (chat.md); what arrived live meanwhile stays after it, in time order.
    c.messages = [...fresh, ...c.messages].sort((x, y) => String(x.timestamp || "").localeCompare(String(y.timestamp || "")));
    c.hasMore = ack.hasMore === true;
    trimMessages(c);
    if (c.kind === "dm") renderDms();
    if (c.key !== state.active) return;
    renderConversation();
    fillScreen(c);
  }

  /** Older messages until the list can scroll (scrolling up is what asks for more). */
  function fillScreen(c) {
    const list = $("message-list");
    if (c.hasMore && list.scrollHeight <= list.clientHeight) loadOlder(c);
  }

  async function loadOlder(c) {
    if (!c || !c.hasMore || c.loadingOlder || c.messages.length === 0 || !socket || !socket.connected) return;
    const s = socket;
    c.loadingOlder = true;
    const ack = await emitQuiet(HISTORY_TIMEOUT_MS, ...historyRequest(c, c.messages[0].id));
    c.loadingOlder = false;
    if (socket !== s) return;
    const messages = historyMessages(c, ack);
    if (!messages) {
      c.hasMore = false; // an error: stop asking for this conversation
      return;
    }
    const older = messages.filter((m) => !c.ids.has(m.id));
    for (const m of older) c.ids.add(m.id);
    c.messages = [...older, ...c.messages];
    c.hasMore = ack.hasMore === true && older.length > 0;
    if (c.key !== state.active || older.length === 0) return;
    // Keep the messages on screen where they are while older ones appear above them.
    const list = $("message-list");
    const fromBottom = list.scrollHeight - list.scrollTop;
    renderConversation();
    list.scrollTop = list.scrollHeight - fromBottom;
    fillScreen(c);
  }

  function trimMessages(c) {
    while (c.messages.length > MAX_MESSAGES) {
      c.ids.delete(c.messages.shift().id);
      c.hasMore = true;
    }
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
    trimMessages(c);
    const seen = c.key === state.active && !document.hidden;
    if (c.key === state.active) {
      const list = $("message-list");
      const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
      const empty = list.querySelector('[data-testid="no-messages"]');
      if (empty) empty.remove();
      list.append(messageElement(msg));
      while (list.childElementCount > MAX_MESSAGES) list.firstElementChild.remove();
      if (nearBottom || msg.userId === state.me.id) list.scrollTop = list.scrollHeight;
      renderTyping();
    }
    // Unread: in the background, or on screen while this tab is not looked at (the title counts it).
    if (!seen && msg.userId !== state.me.id) c.unread++;
    if (c.kind === "room") renderRooms();
    else renderDms();
    renderTitle();
  }

  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  function messageElement(msg) {
    const mine = msg.userId === state.me.id;
    const when = new Date(typeof msg.timestamp === "string" ? msg.timestamp : Date.now());
    const valid = !Number.isNaN(when.getTime());
    let shown = "";
    if (valid) {
      const now = new Date();
      const time = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      // Older than today: the date too (and the year when it is not this one).
      shown = sameDay(when, now)
        ? time
        : when.toLocaleDateString([], {
            day: "numeric",
            month: "short",
            year: when.getFullYear() === now.getFullYear() ? undefined : "numeric",
          }) +
          " " +
          time;
    }
    return el(
      "li",
      { class: mine ? "message mine" : "message", "data-testid": "message", "data-message-id": msg.id },
      el(
        "div",
        { class: "meta" },
        el("span", { class: "author", "data-testid": "message-author" }, msg.username),
        el("time", { datetime: valid ? when.toISOString() : undefined, "data-testid": "message-time" }, shown)
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
      toast("Not connected: the message was not sent. It is still in the box.");
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
    storeRooms();
    renderAll();
    loadHistory(c);
    $("message-input").focus();
  }

  function renderAll() {
    renderRooms();
    renderDms();
    renderUsers();
    renderDirectory();
    renderConversation();
  }

  /** The tab's title: the unread count first, so that it shows in a crowded tab strip. */
  function renderTitle() {
    if (!state.me) return;
    let unread = 0;
    for (const c of state.conversations.values()) unread += c.unread;
    const c = activeConversation();
    const where = c ? (c.kind === "room" ? "#" : "@") + c.name + " · " : "";
    document.title = (unread > 0 ? `(${unread}) ` : "") + where + "Switchboard";
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
    for (const c of dms) if (c.name === c.peerId && state.users.has(c.peerId)) c.name = state.users.get(c.peerId);
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
    if (!c) {
      // Nothing open (say general was left): no composer naming a room we are no longer in.
      title.textContent = "No conversation";
      delete title.dataset.kind;
      $("leave-room-button").hidden = true;
      $("message-list").replaceChildren(
        el("li", { class: "empty", "data-testid": "no-conversation" }, "Join a room or pick someone online to start talking.")
      );
      $("message-form").hidden = true;
      renderComposer();
      renderTyping();
      renderTitle();
      return;
    }
    title.textContent = c.kind === "room" ? "# " + c.name : "@ " + c.name;
    title.dataset.kind = c.kind;
    $("leave-room-button").hidden = c.kind !== "room" || !state.joined.has(c.name);
    $("message-form").hidden = false;
    $("message-input").placeholder = c.kind === "room" ? `Message # ${c.name}` : `Private message to ${c.name}`;
    renderComposer();
    const list = $("message-list");
    if (c.messages.length === 0) {
      const text = c.history === "loading" ? "Loading messages…" : "No messages yet";
      list.replaceChildren(el("li", { class: "empty", "data-testid": "no-messages" }, text));
    } else {
      list.replaceChildren(...c.messages.map(messageElement));
    }
    list.scrollTop = list.scrollHeight;
    renderTyping();
    renderTitle();
  }

  /** Send works only with a conversation open and a connection; the text box stays usable offline. */
  function renderComposer() {
    const c = activeConversation();
    $("message-input").disabled = !c;
    $("send-button").disabled = !c || !socket || !socket.connected;
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
    $("join-room-input").addEventListener("input", () => showJoinError(""));
    $("room-search").addEventListener("input", renderDirectory);
    $("room-search").addEventListener("focus", refreshDirectory);
    $("message-list").addEventListener("scroll", () => {
      // Near the top: the page before the oldest message shown (chat.md, get-history before).
      if ($("message-list").scrollTop < 40) loadOlder(activeConversation());
    });
    document.addEventListener("visibilitychange", () => {
      if (document.hidden || !state.me) return;
      const c = activeConversation();
      if (c && c.unread) {
        c.unread = 0;
        renderRooms();
        renderDms();
        renderTitle();
      }
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
    loadConfig();
    if (typeof window.io !== "function") showAuth("The chat client failed to load. Please reload the page.");
    else if (currentToken() && storedUser()) enterChat();
    else showAuth();
  }

  init();
})();
