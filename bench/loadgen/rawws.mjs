// A lean RFC 6455 client for the generator: the upgrade request written by hand, frames parsed
// from the bytes. The `ws` package's client performs its upgrade through node:http, which made
// the generator, not the servers, the limit of the connect scenarios. Text and binary messages,
// ping → pong, close handshake; client frames masked as the RFC requires. Loopback only.
import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import net from "node:net";
import { BenchError, loopbackOnly } from "./common.mjs";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
let maskSeed = randomBytes(4).readUInt32LE(0) | 1;

/** xorshift32: a fresh masking key per frame without a system call (the peer is our own server). */
function nextMask() {
  maskSeed ^= maskSeed << 13;
  maskSeed ^= maskSeed >>> 17;
  maskSeed ^= maskSeed << 5;
  return maskSeed >>> 0;
}

function frame(opcode, payload) {
  const n = payload.length;
  const header = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(header + 4 + n);
  out[0] = 0x80 | opcode;
  if (n < 126) {
    out[1] = 0x80 | n;
  } else if (n < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(n, 6);
  }
  const key = nextMask();
  out.writeUInt32BE(key, header);
  const m0 = key >>> 24;
  const m1 = (key >>> 16) & 0xff;
  const m2 = (key >>> 8) & 0xff;
  const m3 = key & 0xff;
  const at = header + 4;
  for (let i = 0; i < n; i += 4) {
    out[at + i] = payload[i] ^ m0;
    if (i + 1 < n) out[at + i + 1] = payload[i + 1] ^ m1;
    if (i + 2 < n) out[at + i + 2] = payload[i + 2] ^ m2;
    if (i + 3 < n) out[at + i + 3] = payload[i + 3] ^ m3;
  }
  return out;
}

/**
 * Events: open, message (Buffer, isBinary), close, error. `localAddress` binds the client's end to
 * one loopback source address (c100k spreads 100 000 clients over 127.0.0.2-255: each source
 * address has its own ephemeral ports).
 */
export class RawWebSocket extends EventEmitter {
  constructor(url, { localAddress } = {}) {
    super();
    const u = new URL(url.replace(/^ws:/, "http:"));
    loopbackOnly(u.href);
    this.open = false;
    this.closed = false;
    this.closeSent = false;
    this.buf = null;
    this.fragments = null;
    this.key = randomBytes(16).toString("base64");
    const socket = net.connect({ host: u.hostname, port: Number(u.port), noDelay: true, ...(localAddress ? { localAddress } : {}) });
    this.socket = socket;
    socket.on("connect", () => {
      socket.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.on("data", (d) => {
      this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
      if (this.open) this.parseFrames();
      else this.parseUpgrade();
    });
    socket.on("error", (e) => this.emit("error", e));
    socket.on("close", () => {
      if (this.closed) return;
      this.closed = true;
      this.emit("close");
    });
  }

  parseUpgrade() {
    const end = this.buf.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = this.buf.toString("latin1", 0, end);
    const status = Number(head.slice(9, 12));
    if (status !== 101) {
      this.emit("error", new BenchError(`upgrade answered ${head.split("\r\n")[0]}`));
      this.socket.destroy();
      return;
    }
    const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
    const expected = createHash("sha1").update(this.key + GUID).digest("base64");
    if (accept !== expected) {
      this.emit("error", new BenchError("bad Sec-WebSocket-Accept"));
      this.socket.destroy();
      return;
    }
    this.open = true;
    this.buf = end + 4 < this.buf.length ? this.buf.subarray(end + 4) : null;
    this.emit("open");
    if (this.buf) this.parseFrames();
  }

  parseFrames() {
    let buf = this.buf;
    let at = 0;
    while (buf && buf.length - at >= 2) {
      const b0 = buf[at];
      const b1 = buf[at + 1];
      if (b1 & 0x80) return this.fail("masked frame from the server");
      let len = b1 & 0x7f;
      let hdr = 2;
      if (len === 126) {
        if (buf.length - at < 4) break;
        len = buf.readUInt16BE(at + 2);
        hdr = 4;
      } else if (len === 127) {
        if (buf.length - at < 10) break;
        len = buf.readUInt32BE(at + 2) * 2 ** 32 + buf.readUInt32BE(at + 6);
        hdr = 10;
      }
      if (buf.length - at < hdr + len) break;
      const payload = buf.subarray(at + hdr, at + hdr + len);
      at += hdr + len;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if (opcode === 0x9) {
        this.socket.write(frame(0xa, payload));
      } else if (opcode === 0xa) {
        // unsolicited pong: ignored
      } else if (opcode === 0x8) {
        if (!this.closeSent) {
          this.closeSent = true;
          this.socket.write(frame(0x8, payload.subarray(0, 2)));
        }
        this.socket.end();
        this.buf = null;
        return;
      } else if (opcode === 0x0) {
        if (!this.fragments) return this.fail("continuation without a message");
        this.fragments.parts.push(payload);
        if (fin) {
          const { opcode: op, parts } = this.fragments;
          this.fragments = null;
          this.emit("message", Buffer.concat(parts), op === 0x2);
        }
      } else if (opcode === 0x1 || opcode === 0x2) {
        if (fin) this.emit("message", payload, opcode === 0x2);
        else this.fragments = { opcode, parts: [payload] };
      } else {
        return this.fail(`unknown opcode ${opcode}`);
      }
      if (this.closed) return;
    }
    this.buf = buf && at < buf.length ? buf.subarray(at) : null;
  }

  fail(why) {
    this.emit("error", new BenchError(`websocket: ${why}`));
    this.socket.destroy();
  }

  send(text) {
    if (!this.open || this.closeSent) return;
    this.socket.write(frame(0x1, Buffer.from(text)));
  }

  /** Sends a close frame; the server answers with its own and closes the connection. */
  close(code = 1000) {
    if (this.closed || this.closeSent) return;
    if (!this.open) {
      this.socket.destroy();
      return;
    }
    this.closeSent = true;
    const body = Buffer.allocUnsafe(2);
    body.writeUInt16BE(code, 0);
    this.socket.write(frame(0x8, body));
  }

  terminate() {
    this.socket.destroy();
  }
}
