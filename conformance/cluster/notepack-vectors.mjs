// Writes the MessagePack test vectors of dev.switchboard.cluster.NotepackCodec: the bytes that
// notepack.io (the version pinned in ../package-lock.json, the one @socket.io/redis-adapter 8.3
// depends on) produces for a table of values, what it decodes from hand-made inputs it accepts,
// and two real messages of @socket.io/redis-adapter captured from the adapter itself.
//
//   node cluster/notepack-vectors.mjs > ../src/test/resources/dev/switchboard/cluster/notepack-vectors.json
//
// Run once and commit the output; NotepackCodecVectorsTest reads it. Each vector:
//   name, direction ("both": Java must encode `json` to `hex` and decode `hex` to `json`;
//   "decode": only the decoding; "encode": only the encoding), json, and either hex or, for the
//   large ones, gen (how to build the value) with length and sha256 of the bytes.
// In `json`, {"$binary": "<hex>"} stands for binary and {"$double": "NaN"} for a number JSON has
// no text for; everything else is what JSON.stringify gives for the decoded value.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);
const notepack = require('notepack.io');
const notepackVersion = require('notepack.io/package.json').version;

const hex = (buf) => Buffer.from(buf).toString('hex');
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** JSON.stringify's view of a decoded value, with binaries and non-finite numbers tagged. */
function toVectorJson(value) {
  return JSON.parse(JSON.stringify(value, function (key, v) {
    const original = this[key];
    if (Buffer.isBuffer(original) || original instanceof ArrayBuffer || ArrayBuffer.isView(original)) {
      return { $binary: hex(Buffer.from(original instanceof ArrayBuffer ? new Uint8Array(original) : original)) };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $double: String(v) };
    return v;
  }));
}

/** Builds a large value the Java test builds the same way (NotepackCodecVectorsTest.generate). */
function generate(gen) {
  switch (gen.kind) {
    case 'string': return gen.char.repeat(gen.count);
    case 'binary': return Buffer.alloc(gen.count, gen.byte);
    case 'array': return new Array(gen.count).fill(gen.item);
    case 'map': {
      const o = {};
      for (let i = 0; i < gen.count; i++) o['k' + i] = i;
      return o;
    }
    default: throw new Error('unknown gen ' + gen.kind);
  }
}

const vectors = [];

/** A value notepack encodes; checks that notepack decodes its own bytes back to the same JSON. */
function both(name, value, direction = 'both') {
  const bytes = notepack.encode(value);
  const json = toVectorJson(value);
  if (direction === 'both' && JSON.stringify(toVectorJson(notepack.decode(bytes))) !== JSON.stringify(json)) {
    throw new Error(name + ': notepack does not round-trip it');
  }
  vectors.push({ name, direction, json, hex: hex(bytes) });
}

/** Hand-made bytes notepack accepts; json is what JSON.stringify makes of what it decodes. */
function decodes(name, hexBytes) {
  const value = notepack.decode(Buffer.from(hexBytes, 'hex'));
  vectors.push({ name, direction: 'decode', json: toVectorJson(value), hex: hexBytes });
}

/** A value JS produces (Date, ArrayBuffer, undefined, …): what notepack writes for it, read back. */
function jsOnly(name, value) {
  const bytes = notepack.encode(value);
  vectors.push({ name, direction: 'decode', json: toVectorJson(notepack.decode(bytes)), hex: hex(bytes) });
}

function big(name, gen) {
  const bytes = notepack.encode(generate(gen));
  if (sha256(notepack.encode(notepack.decode(bytes))) !== sha256(bytes)) throw new Error(name + ': no round trip');
  vectors.push({ name, direction: 'both', gen, length: bytes.length, sha256: sha256(bytes), prefix: hex(bytes.subarray(0, 8)) });
}

// --- scalars
both('null', null);
both('true', true);
both('false', false);

// --- integers at every format boundary
for (const n of [0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2 ** 53 - 1, 2 ** 53,
  2 ** 62, 2 ** 63, 2 ** 64 - 2048]) {
  both('uint ' + n, n);
}
for (const n of [-1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1,
  -(2 ** 53), -(2 ** 62), -(2 ** 63)]) {
  both('int ' + n, n);
}
// Integral numbers at or beyond 2^64: notepack takes the uint 64 path and the high word wraps
// (ToInt32), so its bytes do not decode to the number; we write the same bytes.
both('1e20 (uint 64, high word wraps)', 1e20, 'encode');
both('2^64 (uint 64, high word wraps)', 2 ** 64, 'encode');
both('1e300 (uint 64, high word wraps)', 1e300, 'encode');
both('-1e20 (int 64 of floor(x / 2^32))', -1e20, 'encode');

// --- floats: every non-integral or non-finite number is float 64, never float 32
for (const n of [0.5, -1.5, 3.141592653589793, 1e-7, 5e-324, -2.2250738585072014e-308, 123456.789, -98765.4321e-10]) {
  both('float ' + n, n);
}
both('-0 (an integer for notepack: fixint 0)', -0, 'encode');
both('NaN', NaN);
both('Infinity', Infinity);
both('-Infinity', -Infinity);

// --- strings: fixstr / str 8 / str 16 / str 32 by UTF-8 length; notepack counts the length by
// hand up to 32 UTF-16 units and with Buffer.byteLength above (MICRO_OPT_LEN)
both('empty string', '');
both('fixstr 31', 'a'.repeat(31));
both('str 8 at 32', 'a'.repeat(32));
both('str 8 at 33', 'a'.repeat(33));
both('str 8 255', 'a'.repeat(255));
both('str 16 256', 'a'.repeat(256));
both('two-byte UTF-8', 'é');
both('three-byte UTF-8', '€');
both('surrogate pair (four-byte UTF-8)', '😀');
both('mixed, 32 UTF-16 units', 'é€😀' + 'x'.repeat(28));
both('mixed, 33 UTF-16 units', 'é€😀' + 'x'.repeat(29));
both('fixstr 31 bytes of two-byte characters + 1', 'é'.repeat(15) + 'a');
both('str 8 32 bytes of two-byte characters', 'é'.repeat(16));
both('NUL inside', 'a\u0000b');
both('lone surrogate, 40 UTF-16 units (Buffer writes U+FFFD)', '\ud800' + 'x'.repeat(39), 'encode');
big('str 16 65535', { kind: 'string', char: 'a', count: 65535 });
big('str 32 65536', { kind: 'string', char: 'a', count: 65536 });

// --- binary: bin 8 / 16 / 32
both('bin 8 empty', Buffer.alloc(0));
both('bin 8 bytes 00 ff 80 7f', Buffer.from([0x00, 0xff, 0x80, 0x7f]));
both('bin 8 255', Buffer.alloc(255, 1));
both('bin 16 256', Buffer.alloc(256, 2));
big('bin 16 65535', { kind: 'binary', byte: 3, count: 65535 });
big('bin 32 65536', { kind: 'binary', byte: 4, count: 65536 });
jsOnly('Uint8Array (bin 8)', new Uint8Array([9, 8, 7]));
jsOnly('ArrayBuffer (bin 8)', new Uint8Array([6, 5]).buffer);

// --- arrays: fixarray / array 16 / array 32
both('empty array', []);
both('fixarray 15', Array.from({ length: 15 }, (_, i) => i));
both('array 16 at 16', Array.from({ length: 16 }, (_, i) => i));
big('array 16 65535', { kind: 'array', item: 0, count: 65535 });
big('array 32 65536', { kind: 'array', item: 0, count: 65536 });
both('nested arrays', [[[[]]], [1, [2, [3]]]]);

// --- maps: fixmap / map 16 / map 32, keys in insertion order
both('empty map', {});
both('fixmap 15', Object.fromEntries(Array.from({ length: 15 }, (_, i) => ['k' + i, i])));
both('map 16 at 16', Object.fromEntries(Array.from({ length: 16 }, (_, i) => ['k' + i, i])));
big('map 16 65535', { kind: 'map', count: 65535 });
big('map 32 65536', { kind: 'map', count: 65536 });
both('keys keep their order', { z: 1, a: 2, m: { y: null, b: [true, 'x'] } });
both('key of 40 characters (str 8 key)', { ['k'.repeat(40)]: 1 });
both('key with non-ASCII characters', { 'clé€😀': 'v' });
both('mixed document', { event: 'chat', args: [1, -2, 3.5, 'txt', null, false, { a: [] }], bin: Buffer.from([1, 2, 3]) });

// --- JS-only values: what notepack writes for them
jsOnly('undefined property is left out', { a: undefined, b: 1 });
jsOnly('undefined in an array is nil', [1, undefined, 3]);
jsOnly('top-level undefined is nil', undefined);
jsOnly('function property is left out', { f() {}, b: 2 });
jsOnly('Date, timestamp 32', new Date(Date.UTC(2026, 11, 4, 5, 28, 3)));
jsOnly('Date with milliseconds, timestamp 64', new Date(Date.UTC(2026, 11, 4, 5, 28, 3, 250)));
jsOnly('Date before 1970, timestamp 96', new Date(Date.UTC(1969, 6, 20, 20, 17, 40, 5)));
jsOnly('Date after 2514, timestamp 96', new Date(Date.UTC(2600, 0, 1)));
jsOnly('object with toJSON', { toJSON() { return { replaced: true }; } });

// --- inputs notepack's decoder accepts that its encoder no longer writes
decodes('fixext 1 type 0: undefined (notepack 2.x), as a map value', '82a161d40000a16201');
decodes('fixext 1 type 0: undefined (notepack 2.x), in an array', '9301d4000003');
decodes('ext 8 type 0: ArrayBuffer (notepack 2.x)', 'c703000a0b0c');
decodes('ext 16 type 0: ArrayBuffer (notepack 2.x)', 'c80003000a0b0c');
decodes('ext 32 type 0: ArrayBuffer (notepack 2.x)', 'c900000003000a0b0c');
decodes('fixext 8 type 0: Date in milliseconds (notepack 2.x)', 'd700' + '00000197' + 'e5b3c000');
decodes('float 32', 'ca3fc00000');
decodes('float 32, integral', 'ca40000000');
decodes('float 64, integral', 'cb4000000000000000');
decodes('uint 8 holding a fixint value', 'cc05');
decodes('uint 64 holding a small value', 'cf0000000000000005');
decodes('int 8 holding a positive value', 'd005');
decodes('int 64 holding -1', 'd3ffffffffffffffff');
decodes('str 8 holding 1 byte', 'd90178');
decodes('str 16 holding 1 byte', 'da000178');
decodes('str 32 holding 1 byte', 'db0000000178');
decodes('invalid UTF-8 (lone continuation byte, truncated sequence)', 'a461' + '80' + 'e282');
decodes('array 16 holding 1 element', 'dc000101');
decodes('map 32 holding 1 entry', 'df00000001a16101');
decodes('duplicate key: the last wins', '82a16101a16102');

// --- the real messages of @socket.io/redis-adapter, captured from the adapter with a fake client
const messages = await captureRedisAdapterMessages();

process.stdout.write(JSON.stringify({
  generator: 'conformance/cluster/notepack-vectors.mjs',
  notepack: notepackVersion,
  vectors,
  messages,
}, null, 1) + '\n');

async function captureRedisAdapterMessages() {
  const { Server } = require('socket.io');
  const { createAdapter } = require('@socket.io/redis-adapter');
  const published = [];
  // The ioredis-shaped surface the adapter uses (no pSubscribe: not the `redis` package).
  const fakeClient = {
    psubscribe() {}, subscribe() {}, punsubscribe() {}, unsubscribe() {},
    on() {}, off() {}, listenerCount() { return 0; },
    send_command(command, args, callback) { callback(null, [args[1], 2]); }, // PUBSUB NUMSUB: 2 nodes
    publish(channel, message) { published.push([channel, message]); return Promise.resolve(1); },
  };
  const io = new Server({ adapter: createAdapter(fakeClient, fakeClient) });
  const adapter = io.of('/').adapter;
  Object.defineProperty(adapter, 'uid', { value: 'n0de01' });

  io.to('r').emit('event', 1, { a: true }, Buffer.from([1, 2]));
  const broadcast = published.shift();

  io.timeout(50).to('r').emit('event', 1, { a: true }, Buffer.from([1, 2]), () => {});
  await new Promise((resolve) => setTimeout(resolve, 10));
  const request = published.shift();

  adapter.close();
  const entry = (name, [channel, message]) => ({
    name, channel, json: toVectorJson(notepack.decode(message)), hex: hex(message),
  });
  return [
    entry('redis-adapter broadcast: io.to("r").emit("event", 1, {a: true}, <Buffer 01 02>)', broadcast),
    entry('redis-adapter BROADCAST request: io.timeout(50).to("r").emit(…, ack)', request),
  ];
}
