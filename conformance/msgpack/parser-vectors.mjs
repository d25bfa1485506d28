// Writes the test vectors of dev.switchboard.socketio.protocol.MsgpackParser: the bytes the npm
// socket.io-msgpack-parser (the version pinned in ../package-lock.json, with its notepack.io 2.2)
// writes for the packets a client and a server send, and what its Decoder makes of them.
//
//   node msgpack/parser-vectors.mjs > ../src/test/resources/dev/switchboard/socketio/protocol/msgpack-parser-vectors.json
//
// Run once and commit the output; MsgpackParserVectorsTest reads it. Each vector: name, from
// ("client": Java decodes it as a server; "server": Java decodes it as a client and, when
// `sameBytes` is true, encodes `packet` to exactly `hex`), hex, and packet: {type, nsp, data, id}
// as the Decoder emits it, through JSON.stringify, binaries as {"$binary": "<hex>"}.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const parser = require("socket.io-msgpack-parser");
const version = require("socket.io-msgpack-parser/package.json").version;

const hex = (buf) => Buffer.from(buf).toString("hex");
const tag = (value) => JSON.parse(JSON.stringify(value, function (key, v) {
  const original = this[key];
  if (Buffer.isBuffer(original) || original instanceof ArrayBuffer || ArrayBuffer.isView(original)) {
    return { $binary: hex(Buffer.from(original instanceof ArrayBuffer ? new Uint8Array(original) : original)) };
  }
  return v;
}));

function decode(bytes) {
  const d = new parser.Decoder();
  let out;
  d.on("decoded", (p) => (out = p));
  d.add(bytes);
  return out;
}

const vectors = [];
const add = (name, from, packet, sameBytes = false) => {
  const [bytes] = new parser.Encoder().encode(packet);
  const decoded = decode(bytes);
  vectors.push({ name, from, sameBytes, hex: hex(bytes),
    packet: tag({ type: decoded.type, nsp: decoded.nsp, data: decoded.data, id: decoded.id }) });
};

// What socket.io-client 4.8 writes: its packet objects, keys in the order it sets them.
const opts = { compress: true };
add("client CONNECT without auth (data undefined)", "client", { type: 0, data: undefined, nsp: "/" });
add("client CONNECT with auth", "client", { type: 0, data: { token: "abc", n: 1 }, nsp: "/admin" });
add("client CONNECT with recovery pid/offset", "client", { type: 0, data: { pid: "p1", offset: "o1" }, nsp: "/" });
add("client EVENT", "client", { type: 2, data: ["hello", 1, { a: [true, null, 1.5] }], options: opts, nsp: "/" });
add("client EVENT with ack id", "client", { type: 2, data: ["echo", "x"], options: opts, id: 12, nsp: "/custom" });
add("client EVENT with Buffer", "client", { type: 2, data: ["bin", Buffer.from([1, 2, 3, 253, 254, 255])], options: opts, nsp: "/" });
add("client EVENT with ArrayBuffer (ext 0)", "client", { type: 2, data: ["ab", new Uint8Array([4, 5, 6]).buffer], options: opts, nsp: "/" });
add("client EVENT with nested binary", "client", { type: 2, data: ["up", { name: "a.png", content: Buffer.from([9, 8]), list: [Buffer.alloc(0)] }], options: opts, nsp: "/" });
add("client EVENT with undefined in array and object", "client", { type: 2, data: ["u", [1, undefined, 3], { keep: 1, drop: undefined }], options: opts, nsp: "/" });
add("client EVENT with a Date (fixext 8)", "client", { type: 2, data: ["d", new Date(Date.UTC(2026, 11, 4, 5, 28, 3, 250))], options: opts, nsp: "/" });
add("client EVENT with numbers", "client", { type: 2, data: ["n", 0, -1, -32, -33, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, -2147483648, -2147483649, 2 ** 53 - 1, -(2 ** 53 - 1), 0.5, -1.25, 1e300], options: opts, nsp: "/" });
add("client EVENT with strings", "client", { type: 2, data: ["s", "", "é€😀", "x".repeat(31), "y".repeat(32), "z".repeat(256)], options: opts, nsp: "/" });
add("client EVENT with a numeric name", "client", { type: 2, data: [42, "a"], options: opts, nsp: "/" });
add("client ACK", "client", { id: 5, type: 3, data: ["ok", Buffer.from([7])], nsp: "/custom" });
add("client ACK empty", "client", { id: 0, type: 3, data: [], nsp: "/" });
add("client DISCONNECT", "client", { type: 1, nsp: "/custom" });

// What Node's socket.io 4.8 server writes (type, data[, id], nsp for its own packets).
add("server CONNECT", "server", { type: 0, data: { sid: "Zx0-abc_DEF" }, nsp: "/" }, true);
add("server CONNECT_ERROR", "server", { type: 4, data: { message: "Invalid namespace" }, nsp: "/nope" }, true);
add("server CONNECT_ERROR with data", "server", { type: 4, data: { message: "unauthorized", data: { code: "BAD_TOKEN" } }, nsp: "/private" }, true);
add("server EVENT", "server", { type: 2, data: ["auth", {}], nsp: "/" }, true);
add("server EVENT with ack id", "server", { type: 2, data: ["question", 42], id: 0, nsp: "/" }, true);
add("server EVENT with binary", "server", { type: 2, data: ["binary", { data: Buffer.from([0, 1, 2, 253, 254, 255]) }], nsp: "/" }, true);
add("server EVENT with numbers", "server", { type: 2, data: ["n", 300, -200, 70000, 2 ** 40, -(2 ** 40), 0.25], nsp: "/" }, true);
add("server ACK (Node writes id first)", "server", { id: 3, type: 3, data: ["a", 1], nsp: "/" });
add("server DISCONNECT", "server", { type: 1, nsp: "/admin" }, true);

process.stdout.write(JSON.stringify({ generator: `socket.io-msgpack-parser ${version}`, vectors }, null, 1) + "\n");
