// Lean clients that speak Engine.IO v4 / Socket.IO v5 directly, for throughput: WebSocket (rawws.mjs), HTTP
// long-polling (a lean keep-alive HTTP/1.1 client) and polling→WebSocket upgrade. Only the default
// namespace; the hot paths look at bytes, not at parsed JSON, so the generator stays cheap.
// Polling uses its own small keep-alive HTTP/1.1 client (RawHttpPool), not node:http.
//
// Wire format: Engine.IO packet = type digit + data (0 open, 1 close, 2 ping, 3 pong, 4 message,
// 5 upgrade, 6 noop); polling payloads join packets with \x1e. Socket.IO packet inside a message =
// type digit (0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR) + [ack id] + JSON.
import net from "node:net";
import { RawWebSocket } from "./rawws.mjs";
import { BenchError, loopbackOnly, nowMs } from "./common.mjs";

const SEP = "\x1e";
const CH_0 = 0x30;
const CH_9 = 0x39;
const CH_BRACKET = 0x5b; // '['

/** Parses the ack id of `43<id>[...]` starting at `from`; returns [id, index of '['] or null. */
function parseAckId(buf, from) {
  let id = 0;
  let i = from;
  let digits = 0;
  while (i < buf.length && buf[i] >= CH_0 && buf[i] <= CH_9) {
    id = id * 10 + (buf[i] - CH_0);
    i++;
    digits++;
  }
  if (digits === 0 || i >= buf.length || buf[i] !== CH_BRACKET) return null;
  return [id, i];
}

/**
 * What every lean client shares: ack bookkeeping, the Socket.IO packet dispatch and the error log.
 * Subclasses provide sendRaw(enginePacketString).
 */
class SocketIoClientBase {
  constructor(baseUrl, { token = "bench-secret", onEvent = null } = {}) {
    this.base = loopbackOnly(baseUrl);
    this.token = token;
    this.onEvent = onEvent; // (bufferOrString) => void, for "42[...]" messages (the whole Engine.IO message)
    this.nextAckId = 1;
    this.pendingAcks = new Map();
    this.errors = [];
    this.connected = false;
    this.closedByUs = false;
    this.closed = false;
    this.sid = null;
    this._connect = null;
  }

  authPacket() {
    return `40${JSON.stringify({ token: this.token })}`;
  }

  /**
   * Sends `42<id>["name",...args]`; `argsJson` is the JSON of the arguments after the name, without
   * brackets (e.g. `{"n":1}` or `"room",{"n":1}`). `cb(buf, bracketIndex)` gets the raw ACK message.
   */
  emitAck(name, argsJson, cb) {
    const id = this.nextAckId++;
    this.pendingAcks.set(id, cb);
    this.sendRaw(`42${id}["${name}",${argsJson}]`);
    return id;
  }

  /** Handles one Engine.IO message packet whose payload is a Socket.IO packet (Buffer or string). */
  handleSocketIo(data) {
    const t = typeof data === "string" ? data.charCodeAt(1) : data[1];
    switch (t) {
      case 0x32: // EVENT
        if (this.onEvent) this.onEvent(data);
        else this.errors.push(`unexpected event ${String(data).slice(0, 80)}`);
        return;
      case 0x33: { // ACK
        const buf = typeof data === "string" ? Buffer.from(data) : data;
        const parsed = parseAckId(buf, 2);
        if (!parsed) return this.errors.push(`malformed ack ${String(data).slice(0, 80)}`);
        const cb = this.pendingAcks.get(parsed[0]);
        if (!cb) return this.errors.push(`ack for unknown or already answered id ${parsed[0]}`);
        this.pendingAcks.delete(parsed[0]);
        cb(buf, parsed[1]);
        return;
      }
      case 0x30: { // CONNECT
        const body = JSON.parse(String(data).slice(2));
        if (this.connected) return this.errors.push("second CONNECT");
        this.connected = true;
        this.socketSid = body.sid;
        this._connect?.resolve({ ok: true, sid: body.sid });
        return;
      }
      case 0x34: { // CONNECT_ERROR
        const body = JSON.parse(String(data).slice(2));
        this._connect?.resolve({ ok: false, message: body.message });
        return;
      }
      case 0x31: // DISCONNECT
        this.errors.push("server disconnected the socket");
        return;
      default:
        this.errors.push(`unexpected socket.io packet ${String(data).slice(0, 80)}`);
    }
  }

  connectPromise() {
    return new Promise((resolve, reject) => {
      this._connect = { resolve, reject };
    });
  }

  failConnect(err) {
    this._connect?.reject(err instanceof Error ? err : new BenchError(String(err)));
  }
}

/** WebSocket-only client: `ws://127.0.0.1:port/socket.io/?EIO=4&transport=websocket`. */
export class WsClient extends SocketIoClientBase {
  /** Resolves {ok:true,sid} on CONNECT, {ok:false,message} on CONNECT_ERROR. */
  connect() {
    const p = this.connectPromise();
    const url = `ws://${this.base.host}/socket.io/?EIO=4&transport=websocket`;
    const ws = new RawWebSocket(url);
    this.ws = ws;
    ws.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    ws.on("error", (e) => {
      this.errors.push(`websocket error: ${e.message}`);
      this.failConnect(e);
    });
    ws.on("close", () => {
      this.closed = true;
      if (!this.closedByUs) {
        this.errors.push("websocket closed by the server");
        this.failConnect(new BenchError("websocket closed before CONNECT"));
      }
      this._closed?.();
    });
    return p;
  }

  onMessage(data, isBinary) {
    if (isBinary) return this.errors.push("unexpected binary frame");
    switch (data[0]) {
      case 0x34: return this.handleSocketIo(data); // '4' message
      case 0x32: this.ws.send("3"); return; // '2' ping → pong
      case 0x30: // '0' open
        this.sid = JSON.parse(data.toString("utf8", 1)).sid;
        this.ws.send(this.authPacket());
        return;
      case 0x36: return; // noop
      default:
        this.errors.push(`unexpected engine.io packet ${data.toString().slice(0, 80)}`);
    }
  }

  sendRaw(s) {
    this.ws.send(s);
  }

  /** Closes the WebSocket and resolves once the close handshake is over. */
  close() {
    if (this.closed) return Promise.resolve();
    this.closedByUs = true;
    return new Promise((resolve) => {
      this._closed = resolve;
      this.ws.close(1000);
    });
  }
}

/**
 * A keep-alive HTTP/1.1 client pool written for the generator: one request at a time per
 * connection, requests written in one write, responses parsed from the bytes (Content-Length or
 * chunked). node:http's client cost the generator about 45 µs of CPU per request, enough to make
 * the generator, not the servers, the limit of the polling scenarios.
 */
class RawHttpPool {
  constructor(base) {
    this.base = base;
    this.free = [];
    this.open = new Set();
  }

  request(method, path, body) {
    let conn = this.free.pop();
    while (conn && conn.dead) conn = this.free.pop();
    if (!conn) conn = new RawConn(this);
    return new Promise((resolve, reject) => conn.send(method, path, body, resolve, reject));
  }

  release(conn) {
    if (!conn.dead) this.free.push(conn);
  }

  destroy() {
    for (const c of this.open) c.socket.destroy();
  }
}

class RawConn {
  constructor(pool) {
    this.pool = pool;
    this.dead = false;
    this.buf = null;
    this.pending = null;
    const socket = net.connect({ host: pool.base.hostname, port: Number(pool.base.port), noDelay: true });
    this.socket = socket;
    pool.open.add(this);
    socket.on("data", (d) => {
      this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
      this.parse();
    });
    socket.on("error", (e) => this.fail(e));
    socket.on("close", () => this.fail(new BenchError("connection closed")));
  }

  send(method, path, body, resolve, reject) {
    this.pending = { resolve, reject };
    const host = `Host: ${this.pool.base.host}\r\n`;
    if (body === undefined) {
      this.socket.write(`${method} ${path} HTTP/1.1\r\n${host}\r\n`);
    } else {
      this.socket.write(`${method} ${path} HTTP/1.1\r\n${host}Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
  }

  fail(e) {
    if (this.dead) return;
    this.dead = true;
    this.pool.open.delete(this);
    this.socket.destroy();
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  parse() {
    const buf = this.buf;
    const headEnd = buf.indexOf("\r\n\r\n");
    if (headEnd < 0) return;
    if (!this.pending) return this.fail(new BenchError("response without a request"));
    const head = buf.toString("latin1", 0, headEnd);
    const status = Number(head.slice(9, 12));
    let length = -1;
    let chunked = false;
    let close = false;
    for (const line of head.split("\r\n").slice(1)) {
      const i = line.indexOf(":");
      const name = line.slice(0, i).trim().toLowerCase();
      const value = line.slice(i + 1).trim().toLowerCase();
      if (name === "content-length") length = Number(value);
      else if (name === "transfer-encoding") chunked = value.includes("chunked");
      else if (name === "connection") close = value.includes("close");
    }
    let body;
    let end;
    const start = headEnd + 4;
    if (chunked) {
      const parts = [];
      let at = start;
      for (;;) {
        const lineEnd = buf.indexOf("\r\n", at);
        if (lineEnd < 0) return;
        const size = parseInt(buf.toString("latin1", at, lineEnd), 16);
        if (buf.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          end = lineEnd + 4;
          break;
        }
        parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString("utf8");
    } else {
      if (length < 0) return this.fail(new BenchError(`response without a length: ${head.slice(0, 200)}`));
      if (buf.length < start + length) return;
      body = buf.toString("utf8", start, start + length);
      end = start + length;
    }
    this.buf = end < buf.length ? buf.subarray(end) : null;
    const p = this.pending;
    this.pending = null;
    if (close) {
      this.dead = true;
      this.pool.open.delete(this);
      this.socket.end();
    } else {
      this.pool.release(this);
    }
    p.resolve({ status, body });
  }
}

/** The HTTP client of the polling clients; share one per scenario, like a keep-alive agent. */
export function newAgent(baseUrl) {
  return new RawHttpPool(loopbackOnly(baseUrl));
}

/** One HTTP request; resolves {status, body}. */
function request(agent, base, method, path, body) {
  return agent.request(method, path, body);
}

/**
 * HTTP long-polling client. One GET is held at a time; packets to send are buffered while a POST
 * is in flight and leave together in the next one (as engine.io-client does), so a session never
 * has two uploads at once.
 */
export class PollingClient extends SocketIoClientBase {
  constructor(baseUrl, opts = {}) {
    super(baseUrl, opts);
    this.agent = opts.agent ?? newAgent(baseUrl);
    this.upgrade = Boolean(opts.upgrade);
    this.outbox = [];
    this.posting = false;
    this.polling = false;
    this.paused = false;
    this.transport = "polling";
    this.upgradeMs = null;
    this._pollDone = null;
    this._postDone = null;
  }

  path() {
    return `/socket.io/?EIO=4&transport=polling&sid=${this.sid}`;
  }

  async connect() {
    const p = this.connectPromise();
    try {
      const res = await request(this.agent, this.base, "GET", "/socket.io/?EIO=4&transport=polling");
      if (res.status !== 200 || res.body[0] !== "0") throw new BenchError(`handshake answered ${res.status} ${res.body.slice(0, 100)}`);
      this.tOpen = nowMs();
      const open = JSON.parse(res.body.split(SEP)[0].slice(1));
      this.sid = open.sid;
      if (this.upgrade) {
        if (!open.upgrades?.includes("websocket")) throw new BenchError("the server offers no websocket upgrade");
        this.startProbe();
      }
      this.sendRaw(this.authPacket());
      this.poll();
    } catch (e) {
      this.failConnect(e);
    }
    return p;
  }

  poll() {
    if (this.closed || this.paused || this.polling) return;
    this.polling = true;
    request(this.agent, this.base, "GET", this.path()).then(
      (res) => {
        this.polling = false;
        if (res.status !== 200) {
          if (!this.closedByUs) this.errors.push(`poll answered ${res.status} ${res.body.slice(0, 100)}`);
          this.closed = true;
        } else {
          for (const packet of res.body.split(SEP)) this.handleEngine(packet);
        }
        const done = this._pollDone;
        this._pollDone = null;
        done?.();
        this.poll();
      },
      (e) => {
        this.polling = false;
        if (!this.closedByUs) this.errors.push(`poll failed: ${e.message}`);
        this.closed = true;
        this._pollDone?.();
      },
    );
  }

  handleEngine(packet) {
    switch (packet.charCodeAt(0)) {
      case 0x34: return this.handleSocketIo(packet);
      case 0x32: return this.sendRaw("3");
      case 0x36: return; // noop (the server releasing our GET during an upgrade, or after close)
      case 0x31: // close
        if (!this.closedByUs) this.errors.push("server closed the session");
        this.closed = true;
        return;
      default:
        this.errors.push(`unexpected engine.io packet ${packet.slice(0, 80)}`);
    }
  }

  sendRaw(s) {
    if (this.transport === "websocket") return this.ws.send(s);
    this.outbox.push(s);
    this.flush();
  }

  flush() {
    if (this.posting || this.outbox.length === 0 || this.transport !== "polling") return;
    const body = this.outbox.join(SEP);
    this.outbox = [];
    this.posting = true;
    request(this.agent, this.base, "POST", this.path(), body).then(
      (res) => {
        this.posting = false;
        if (res.status !== 200 || res.body !== "ok") {
          if (!this.closedByUs) this.errors.push(`POST answered ${res.status} ${res.body.slice(0, 100)}`);
        }
        const done = this._postDone;
        this._postDone = null;
        done?.();
        this.flush();
      },
      (e) => {
        this.posting = false;
        if (!this.closedByUs) this.errors.push(`POST failed: ${e.message}`);
        this._postDone?.();
      },
    );
  }

  /** The probe, as engine.io-client does it: 2probe → 3probe → pause polling → 5. */
  startProbe() {
    const ws = new RawWebSocket(`ws://${this.base.host}/socket.io/?EIO=4&transport=websocket&sid=${this.sid}`);
    this.ws = ws;
    ws.on("open", () => ws.send("2probe"));
    ws.on("error", (e) => {
      this.errors.push(`probe websocket error: ${e.message}`);
      this.failConnect(e);
    });
    ws.on("close", () => {
      if (!this.closedByUs) this.errors.push("websocket closed by the server");
      this.closed = true;
      this._closed?.();
    });
    ws.on("message", (data, isBinary) => {
      if (isBinary) return this.errors.push("unexpected binary frame");
      if (this.transport === "polling") {
        if (data.toString() !== "3probe") return this.errors.push(`probe answered ${data.toString().slice(0, 40)}`);
        this.pauseThenUpgrade();
        return;
      }
      switch (data[0]) {
        case 0x34: return this.handleSocketIo(data);
        case 0x32: ws.send("3"); return;
        case 0x36: return;
        default: this.errors.push(`unexpected engine.io packet ${data.toString().slice(0, 80)}`);
      }
    });
  }

  async pauseThenUpgrade() {
    this.paused = true;
    if (this.polling) await new Promise((r) => (this._pollDone = r));
    if (this.posting) await new Promise((r) => (this._postDone = r));
    if (this.closed) return;
    this.ws.send("5");
    this.transport = "websocket";
    this.upgradeMs = nowMs() - this.tOpen;
    const pending = this.outbox;
    this.outbox = [];
    for (const s of pending) this.ws.send(s);
    this._upgraded?.();
  }

  upgraded() {
    if (this.transport === "websocket") return Promise.resolve();
    return new Promise((r) => (this._upgraded = r));
  }

  /** Polling: POST a close packet and wait for the held GET to end. WebSocket: close handshake. */
  async close() {
    if (this.closed) return;
    this.closedByUs = true;
    if (this.transport === "websocket") {
      await new Promise((resolve) => {
        this._closed = resolve;
        this.ws.close(1000);
      });
      return;
    }
    if (this.ws) this.ws.terminate();
    const polled = this.polling ? new Promise((r) => (this._pollDone = r)) : null;
    if (this.posting) await new Promise((r) => (this._postDone = r));
    this.paused = true;
    const res = await request(this.agent, this.base, "POST", this.path(), "1");
    if (res.status !== 200) this.errors.push(`close POST answered ${res.status}`);
    if (polled) await polled;
    this.closed = true;
  }
}
