// Writes the MessagePack test vectors of the @msgpack/msgpack dialect of
// dev.switchboard.cluster.NotepackCodec: the bytes that @msgpack/msgpack (the version
// @socket.io/redis-streams-adapter 0.3.1 resolves to in ../package-lock.json) produces for a table
// of values, and what it decodes from inputs it accepts.
//
//   node cluster/msgpack-vectors.mjs > ../src/test/resources/dev/switchboard/cluster/msgpack-vectors.json
//
// Run once and commit the output; MessagePackDialectVectorsTest reads it. The format is the one of
// notepack-vectors.mjs (name, direction "both" / "encode" / "decode", json, hex or gen + length +
// sha256), so the same Java reader serves both. Where the two libraries differ, the vector's name
// says so; the differences themselves are listed in spec-notes/cluster.md.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);
// The copy the streams adapter itself loads, whatever the hoisting.
const streamsRequire = createRequire(require.resolve('@socket.io/redis-streams-adapter'));
const msgpack = streamsRequire('@msgpack/msgpack');
const msgpackVersion = streamsRequire('@msgpack/msgpack/package.json').version;

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

const encode = (value) => Buffer.from(msgpack.encode(value));
const vectors = [];

/** A value msgpack encodes; checks that it decodes its own bytes back to the same JSON. */
function both(name, value, direction = 'both') {
  const bytes = encode(value);
  const json = toVectorJson(value);
  if (direction === 'both' && JSON.stringify(toVectorJson(msgpack.decode(bytes))) !== JSON.stringify(json)) {
    throw new Error(name + ': @msgpack/msgpack does not round-trip it');
  }
  vectors.push({ name, direction, json, hex: hex(bytes) });
}

/** Hand-made bytes msgpack accepts; json is what JSON.stringify makes of what it decodes. */
function decodes(name, hexBytes) {
  const value = msgpack.decode(Buffer.from(hexBytes, 'hex'));
  vectors.push({ name, direction: 'decode', json: toVectorJson(value), hex: hexBytes });
}

/** A value only JavaScript has (Date, undefined, …): what msgpack writes for it, read back. */
function jsOnly(name, value) {
  const bytes = encode(value);
  vectors.push({ name, direction: 'decode', json: toVectorJson(msgpack.decode(bytes)), hex: hex(bytes) });
}

/** A tree value Java writes; the bytes are msgpack's, but its own decoder reads them differently. */
function encodeOnly(name, value) {
  vectors.push({ name, direction: 'encode', json: toVectorJson(value), hex: hex(encode(value)) });
}

function big(name, gen) {
  const bytes = encode(generate(gen));
  if (sha256(encode(msgpack.decode(bytes))) !== sha256(bytes)) throw new Error(name + ': no round trip');
  vectors.push({ name, direction: 'both', gen, length: bytes.length, sha256: sha256(bytes), prefix: hex(bytes.subarray(0, 8)) });
}

// --- scalars
both('null', null);
both('true', true);
both('false', false);

// --- integers at every format boundary, up to Number.MAX_SAFE_INTEGER
for (const n of [0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2 ** 53 - 1]) {
  both('uint ' + n, n);
}
for (const n of [-1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1]) {
  both('int ' + n, n);
}
// Differs from notepack: an integral number beyond 2^53 - 1 is not a safe integer, so it is float 64.
for (const n of [2 ** 53, 2 ** 62, 2 ** 63, 2 ** 64, 1e20, 1e300, -(2 ** 53), -(2 ** 63), -1e20]) {
  both('integral ' + n + ' beyond 2^53 (float 64, unlike notepack)', n);
}

// --- floats: every non-integral or non-finite number is float 64, never float 32
for (const n of [0.5, -1.5, 3.141592653589793, 1e-7, 5e-324, -2.2250738585072014e-308, 123456.789]) {
  both('float ' + n, n);
}
both('-0 (a safe integer: fixint 0)', -0, 'encode');
both('NaN', NaN);
both('Infinity', Infinity);
both('-Infinity', -Infinity);

// --- strings: fixstr / str 8 / str 16 / str 32 by UTF-8 length; msgpack counts bytes by hand and
// writes strings of more than 200 UTF-16 units with TextEncoder
both('empty string', '');
both('fixstr 31', 'a'.repeat(31));
both('str 8 at 32', 'a'.repeat(32));
both('str 8 255', 'a'.repeat(255));
both('str 16 256', 'a'.repeat(256));
both('two-byte UTF-8', 'é');
both('three-byte UTF-8', '€');
both('surrogate pair (four-byte UTF-8)', '😀');
both('mixed, 201 UTF-16 units (TextEncoder)', 'é€😀' + 'x'.repeat(197));
both('NUL inside', 'a\u0000b');
// TextEncoder writes a lone surrogate as U+FFFD; the short-string path would write its raw
// three-byte form (ED A0 80), which we never write.
encodeOnly('lone surrogate, 240 UTF-16 units (TextEncoder writes U+FFFD)', '\ud800' + 'x'.repeat(239));
big('str 16 65535', { kind: 'string', char: 'a', count: 65535 });
big('str 32 65536', { kind: 'string', char: 'a', count: 65536 });

// --- binary: bin 8 / 16 / 32
both('bin 8 empty', Buffer.alloc(0));
both('bin 8 bytes 00 ff 80 7f', Buffer.from([0x00, 0xff, 0x80, 0x7f]));
both('bin 8 255', Buffer.alloc(255, 1));
both('bin 16 256', Buffer.alloc(256, 2));
big('bin 32 65536', { kind: 'binary', byte: 4, count: 65536 });
jsOnly('Uint8Array (bin 8)', new Uint8Array([9, 8, 7]));
// Differs from notepack: a bare ArrayBuffer is no ArrayBufferView, so it is written as an empty map.
jsOnly('ArrayBuffer (an empty map, unlike notepack)', new Uint8Array([6, 5]).buffer);

// --- arrays and maps
both('empty array', []);
both('fixarray 15', Array.from({ length: 15 }, (_, i) => i));
both('array 16 at 16', Array.from({ length: 16 }, (_, i) => i));
big('array 32 65536', { kind: 'array', item: 0, count: 65536 });
both('nested arrays', [[[[]]], [1, [2, [3]]]]);
both('empty map', {});
both('fixmap 15', Object.fromEntries(Array.from({ length: 15 }, (_, i) => ['k' + i, i])));
both('map 16 at 16', Object.fromEntries(Array.from({ length: 16 }, (_, i) => ['k' + i, i])));
big('map 32 65536', { kind: 'map', count: 65536 });
both('keys keep their order', { z: 1, a: 2, m: { y: null, b: [true, 'x'] } });
both('key with non-ASCII characters', { 'clé€😀': 'v' });
both('mixed document', { event: 'chat', args: [1, -2, 3.5, 'txt', null, false, { a: [] }], bin: Buffer.from([1, 2, 3]) });

// --- JS-only values
// Differs from notepack: a property holding undefined is kept, as nil (ignoreUndefined is off).
jsOnly('undefined property is nil (kept, unlike notepack)', { a: undefined, b: 1 });
jsOnly('undefined in an array is nil', [1, undefined, 3]);
jsOnly('top-level undefined is nil', undefined);
jsOnly('Date, timestamp 32', new Date(Date.UTC(2026, 11, 4, 5, 28, 3)));
jsOnly('Date with milliseconds, timestamp 64', new Date(Date.UTC(2026, 11, 4, 5, 28, 3, 250)));
jsOnly('Date before 1970, timestamp 96', new Date(Date.UTC(1969, 6, 20, 20, 17, 40, 5)));

// --- inputs msgpack's decoder accepts that its encoder does not write
decodes('float 32', 'ca3fc00000');
decodes('float 64, integral', 'cb4000000000000000');
decodes('uint 8 holding a fixint value', 'cc05');
decodes('uint 64 holding a small value', 'cf0000000000000005');
decodes('int 64 holding -1', 'd3ffffffffffffffff');
decodes('str 32 holding 1 byte', 'db0000000178');
decodes('array 16 holding 1 element', 'dc000101');
decodes('map 32 holding 1 entry', 'df00000001a16101');
decodes('duplicate key: the last wins', '82a16101a16102');

// What the decoder refuses: MessagePackDialectVectorsTest checks that we refuse them too.
const refused = [];
function refuses(name, hexBytes) {
  try {
    msgpack.decode(Buffer.from(hexBytes, 'hex'));
  } catch (e) {
    refused.push({ name, hex: hexBytes, error: e.message });
    return;
  }
  throw new Error(name + ': @msgpack/msgpack accepts it');
}
refuses('reserved byte c1', 'c1');
refuses('truncated str 8', 'd905616263');
refuses('trailing bytes', 'c0c0');
refuses('map key __proto__', '81a95f5f70726f746f5f5f01');
refuses('timestamp ext of 5 bytes', 'c705ff0000000000');

process.stdout.write(JSON.stringify({
  generator: 'conformance/cluster/msgpack-vectors.mjs',
  msgpack: msgpackVersion,
  vectors,
  refused,
}, null, 1) + '\n');
