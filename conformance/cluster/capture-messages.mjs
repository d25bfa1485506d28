// Captures the real messages of Node's Redis adapters, as they cross Redis, for the codec tests of
// dev.switchboard.cluster (issue #10): for each adapter pinned in ../package-lock.json, two Node
// socket.io 4.8 servers on one Redis, official clients on them, and every operation that makes the
// adapters talk (broadcasts, acks, socketsJoin/Leave, disconnectSockets, fetchSockets, allRooms,
// serverSideEmit, connection state recovery). A `MONITOR` connection records every command; each
// scenario keeps the commands that carry adapter messages.
//
//   redis-server --port 6390 --save '' --appendonly no &      (Redis 7: sharded pub/sub)
//   node cluster/capture-messages.mjs --redis-url redis://127.0.0.1:6390 \
//       > ../src/test/resources/dev/switchboard/cluster/captured-messages.json
//
// Run once and commit the output; the Java codec tests read it. Output: {generator, versions,
// variants: [{name, options, scenarios: [{name, commands: [{command, args: [{hex, text?}],
// decoded}]}]}], streamNames}. `decoded` is what the adapter's own decoder makes of the message
// (notepack.io or JSON.parse as the classic/sharded adapters choose by the first byte,
// @msgpack/msgpack for the streams adapter's pub/sub, the stream entry as RedisStreamsAdapter.decode
// reads it, the persisted session), through JSON.stringify with binaries as {"$binary": hex}.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import net from 'node:net';

const require = createRequire(import.meta.url);
const { Server } = require('socket.io');
const { io: connectClient } = require('socket.io-client');
const { createClient } = require('redis');
const notepack = require('notepack.io');
const redisAdapter = require('@socket.io/redis-adapter');
const streamsAdapter = require('@socket.io/redis-streams-adapter');
const streamsRequire = createRequire(require.resolve('@socket.io/redis-streams-adapter'));
const msgpack = streamsRequire('@msgpack/msgpack');
const { hashCode } = streamsRequire('./util');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const redisUrl = args['redis-url'] || 'redis://127.0.0.1:6379';
const deadline = setTimeout(() => {
  process.stderr.write('capture did not finish in 120 s\n');
  process.exit(2);
}, 120_000);

const hex = (buf) => Buffer.from(buf).toString('hex');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** JSON.stringify's view of a value, with binaries tagged (as in notepack-vectors.mjs). */
function toVectorJson(value) {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, function (key, v) {
    const original = this[key];
    if (Buffer.isBuffer(original) || original instanceof ArrayBuffer || ArrayBuffer.isView(original)) {
      return { $binary: hex(Buffer.from(original instanceof ArrayBuffer ? new Uint8Array(original) : original)) };
    }
    return v;
  }));
}

async function until(condition, what, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(5);
  }
}

// ------------------------------------------------------------------------------------ MONITOR

/** Every command Redis executes, as arrays of Buffers, from a raw MONITOR connection. */
async function startMonitor(url) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const commands = [];
  let pending = '';
  socket.setEncoding('latin1'); // MONITOR lines are ASCII: sdscatrepr escapes every other byte
  socket.on('data', (chunk) => {
    pending += chunk;
    let eol;
    while ((eol = pending.indexOf('\r\n')) >= 0) {
      const line = pending.slice(0, eol);
      pending = pending.slice(eol + 2);
      if (line.startsWith('+') && line !== '+OK') commands.push(parseMonitorLine(line.slice(1)));
    }
  });
  socket.write('MONITOR\r\n');
  return { commands, close: () => socket.destroy() };
}

/** `1700000000.123456 [0 127.0.0.1:5555] "PUBLISH" "ch" "\x93..."` → [Buffer, ...]. */
function parseMonitorLine(line) {
  const start = line.indexOf('] "');
  const out = [];
  let i = start + 2;
  while (i < line.length) {
    if (line[i] === ' ') { i++; continue; }
    if (line[i] !== '"') throw new Error('unexpected MONITOR line: ' + line);
    const bytes = [];
    i++;
    while (line[i] !== '"') {
      if (line[i] === '\\') {
        const c = line[i + 1];
        if (c === 'x') {
          bytes.push(parseInt(line.substr(i + 2, 2), 16));
          i += 4;
          continue;
        }
        bytes.push({ n: 10, r: 13, t: 9, a: 7, b: 8 }[c] ?? c.charCodeAt(0));
        i += 2;
        continue;
      }
      bytes.push(line.charCodeAt(i++));
    }
    i++;
    out.push(Buffer.from(bytes));
  }
  return out;
}

// The commands that carry adapter messages or show how the adapters use Redis; the rest (XREAD
// polls, client setup, our own markers) are left out.
const KEPT = new Set(['PUBLISH', 'SPUBLISH', 'XADD', 'SET', 'GET', 'DEL', 'MULTI', 'EXEC', 'XRANGE', 'PUBSUB',
  'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE']);

const isText = (buf) => {
  const s = buf.toString('utf8');
  return Buffer.from(s, 'utf8').equals(buf) && !/[\u0000-\u001f\u007f]/.test(s);
};

// ------------------------------------------------------------------------------------ nodes

const redisClients = [];
async function redis() {
  const client = createClient({ url: redisUrl });
  client.on('error', () => {});
  await client.connect();
  redisClients.push(client);
  return client;
}

async function startNode(name, adapter, extra = {}) {
  const http = createServer();
  const io = new Server(http, { adapter, ...extra });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const node = { name, io, port: http.address().port, sse: [] };
  io.of('/custom');
  // Server-side events: recorded; acked with "<name>-ack", or with binary when asked.
  io.on('hello', (...received) => {
    const ack = typeof received[received.length - 1] === 'function' ? received.pop() : null;
    node.sse.push(received);
    if (ack) ack(received[0] === 'binary' ? Buffer.from([0xb1, 0x0a]) : { from: name });
  });
  return node;
}

/** An official client on `node`; it answers `ask` with its name, or binary when asked. */
async function client(node, name, nsp = '/', options = {}) {
  const socket = connectClient(`http://127.0.0.1:${node.port}${nsp}`, {
    transports: ['websocket'], forceNew: true, reconnection: false, auth: { name }, ...options,
  });
  socket.received = [];
  socket.onAny((event, ...rest) => socket.received.push([event, ...rest]));
  socket.on('ask', (question, ack) => ack(question === 'binary' ? Buffer.from([0xac, 0x01]) : name + '-answer'));
  socket.name = name;
  if (options.autoConnect !== false) await new Promise((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  return socket;
}

function serverSocket(node, clientSocket, nsp = '/') {
  return node.io.of(nsp).sockets.get(clientSocket.id);
}

// ------------------------------------------------------------------------------------ capture

const monitor = await startMonitor(redisUrl);
const marker = await redis();
let markerCount = 0;

/** Runs `fn` and returns the kept commands Redis executed meanwhile, decoded by `decode`. */
async function scenario(list, name, decode, fn) {
  const token = 'capture:' + ++markerCount;
  await marker.sendCommand(['ECHO', token + ':start']);
  await fn();
  await sleep(30); // let fire-and-forget publishes of the last step reach Redis
  await marker.sendCommand(['ECHO', token + ':end']);
  await until(() => monitor.commands.some((c) => c[0].toString() === 'ECHO' && c[1]?.toString() === token + ':end'), 'marker');
  const from = monitor.commands.findIndex((c) => c[0].toString() === 'ECHO' && c[1]?.toString() === token + ':start');
  const to = monitor.commands.findIndex((c) => c[0].toString() === 'ECHO' && c[1]?.toString() === token + ':end');
  const commands = monitor.commands.slice(from + 1, to)
    .filter((c) => KEPT.has(c[0].toString().toUpperCase()))
    .map((c) => {
      const command = c[0].toString().toUpperCase();
      const entry = { command, args: c.slice(1).map((a) => (isText(a) ? { text: a.toString(), hex: hex(a) } : { hex: hex(a) })) };
      const decoded = decode(command, c.slice(1));
      if (decoded !== undefined) entry.decoded = decoded;
      return entry;
    });
  list.push({ name, commands });
  return commands;
}

/** notepack or JSON by the first byte, as both Redis adapters (RA 255–265, SA 194–211) decide. */
function decodePubSub(command, a) {
  if (command !== 'PUBLISH' && command !== 'SPUBLISH') return undefined;
  const msg = a[1];
  return toVectorJson(msg[0] === 0x7b ? JSON.parse(msg.toString()) : notepack.decode(msg));
}

/** The streams adapter: MessagePack pub/sub, stream entries, the persisted session. */
function decodeStreams(command, a) {
  if (command === 'PUBLISH' || command === 'SPUBLISH') return toVectorJson(msgpack.decode(a[1]));
  if (command === 'XADD') {
    const fields = {};
    const star = a.findIndex((x) => x.toString() === '*');
    for (let i = star + 1; i < a.length; i += 2) fields[a[i].toString()] = a[i + 1].toString();
    const message = { uid: fields.uid, nsp: fields.nsp, type: parseInt(fields.type, 10) };
    if (fields.data) {
      message.data = fields.data.startsWith('{') ? JSON.parse(fields.data) : msgpack.decode(Buffer.from(fields.data, 'base64'));
    }
    return toVectorJson(message);
  }
  if (command === 'SET') return toVectorJson(msgpack.decode(Buffer.from(a[1].toString(), 'base64')));
  return undefined;
}

const variants = [];

async function withPair(name, options, makeAdapter, serverOptions, decode, body) {
  const scenarios = [];
  let a;
  let b;
  await scenario(scenarios, 'two nodes start: what they subscribe to', decode, async () => {
    a = await startNode('node-a', await makeAdapter(), serverOptions);
    b = await startNode('node-b', await makeAdapter(), serverOptions);
    await sleep(100); // subscriptions settle
  });
  try {
    await body({ a, b, run: (n, fn) => scenario(scenarios, n, decode, fn) });
  } finally {
    a.io.close();
    b.io.close();
    await sleep(50);
  }
  variants.push({ name, options, scenarios });
}

/** The operations every adapter carries; `ack` is whether broadcasts with acks are supported. */
async function common({ a, b, run }, { allRooms = false } = {}) {
  const a1 = await client(a, 'a1');
  const b1 = await client(b, 'b1');
  const b2 = await client(b, 'b2');
  const b3 = await client(b, 'b3', '/custom');
  // Long-polling, with a query and a header of its own: another shape of handshake.
  const b4 = await client(b, 'b4', '/', {
    transports: ['polling'], query: { tag: 'x', n: '1' }, extraHeaders: { 'x-custom': 'v' },
  });
  serverSocket(b, b1).join(['room1', 'room2']);
  serverSocket(b, b2).join('room1');
  serverSocket(a, a1).join('room2');
  serverSocket(b, b1).data = { level: 3, tags: ['x'] };

  /** Resolves when each of `sockets` has received one more event than now. */
  const nextEvent = (...sockets) => {
    const base = sockets.map((s) => s.received.length);
    return () => Promise.all(sockets.map((s, i) => until(() => s.received.length > base[i], s.name + ' receiving')));
  };

  await run('broadcast to every socket of the namespace', async () => {
    const received = nextEvent(a1, b1, b2);
    a.io.emit('event', 'text', 42, -1.5, { nested: [true, null] });
    await received();
  });
  await run('broadcast to one room, with binary', async () => {
    const received = nextEvent(b1, b2);
    a.io.to('room1').emit('event', Buffer.from([0x00, 0x01, 0xff]), 'x');
    await received();
  });
  await run('broadcast to two rooms except a third', async () => {
    const received = nextEvent(a1, b1, b2);
    a.io.to(['room1', 'room2']).except('room3').emit('event', 'two rooms');
    await received();
  });
  await run('volatile broadcast without compression', async () => {
    const received = nextEvent(a1, b1, b2);
    a.io.volatile.compress(false).emit('event', 'volatile');
    await received();
  });
  await run('broadcast to one socket id', async () => {
    const received = nextEvent(b1);
    a.io.to(b1.id).emit('event', 'private');
    await received();
  });
  await run('local broadcast (publishes nothing)', async () => {
    const received = nextEvent(a1);
    a.io.local.emit('event', 'local only');
    await received();
  });
  await run('broadcast in another namespace', async () => {
    const received = nextEvent(b3);
    a.io.of('/custom').emit('event', 'custom');
    await received();
  });
  await run('broadcast with acks, one answered with binary', async () => {
    const responses = await a.io.timeout(3000).to('room1').emitWithAck('ask', 'binary');
    if (responses.length !== 2) throw new Error('acks: ' + responses.length);
  });
  await run('broadcast with acks answered with strings', async () => {
    const responses = await a.io.timeout(3000).to(b1.id).emitWithAck('ask', 'plain');
    if (responses.length !== 1) throw new Error('acks: ' + responses.length);
  });
  await run('socketsJoin', async () => {
    a.io.in('room1').socketsJoin(['room4', 'room5']);
    await until(() => serverSocket(b, b2).rooms.has('room5'), 'join');
  });
  await run('socketsLeave', async () => {
    a.io.in('room1').except('room2').socketsLeave('room4');
    await until(() => !serverSocket(b, b2).rooms.has('room4'), 'leave');
  });
  await run('fetchSockets of one room', async () => {
    const sockets = await a.io.in('room1').fetchSockets();
    if (sockets.length !== 2) throw new Error('fetched ' + sockets.length);
  });
  await run('fetchSockets of every socket except a room', async () => {
    await a.io.except('room2').fetchSockets();
  });
  if (allRooms) {
    await run('allRooms', async () => {
      await a.io.of('/').adapter.allRooms();
    });
  }
  await run('serverSideEmit', async () => {
    a.io.serverSideEmit('hello', 'world', 1, { a: [2] });
    await until(() => b.sse.length >= 1, 'server-side event');
  });
  await run('serverSideEmit with binary', async () => {
    a.io.serverSideEmit('hello', 'bytes', Buffer.from([0xbe, 0xef]));
    await until(() => b.sse.length >= 2, 'server-side event');
  });
  await run('serverSideEmit with ack', async () => {
    const answers = await a.io.serverSideEmitWithAck('hello', 'question');
    if (answers.length !== 1) throw new Error('answers: ' + answers.length);
  });
  await run('serverSideEmit with ack answered with binary', async () => {
    await a.io.serverSideEmitWithAck('hello', 'binary');
  });
  await run('disconnectSockets without closing the connection', async () => {
    a.io.in(b2.id).disconnectSockets();
    await until(() => !b2.connected, 'disconnect');
  });
  await run('disconnectSockets closing the connection', async () => {
    a.io.in('room2').disconnectSockets(true);
    await until(() => !b1.connected, 'disconnect');
  });
  for (const s of [a1, b1, b2, b3, b4]) s.close();
  return { a1, b1, b2 };
}

// --- the classic adapter
{
  const opts = { key: 'socket.io' };
  await withPair('redis', opts, async () => redisAdapter.createAdapter(await redis(), await redis(), opts), {},
    decodePubSub, async (pair) => {
      const { a, b, run } = pair;
      // Hand-made requests (8.3 no longer sends them) and 8.3's real answers.
      const c1 = await client(b, 'c1');
      serverSocket(b, c1).join('room1');
      await run('SOCKETS request (hand-made, as 7.x sent it) and the answer', async () => {
        await marker.publish('socket.io-request#/#', JSON.stringify({ uid: 'hndmde', requestId: 'req000', type: 0, rooms: ['room1'] }));
      });
      await run('REMOTE_JOIN by sid (hand-made, as 7.x sent it) and the answer', async () => {
        await marker.publish('socket.io-request#/#', JSON.stringify({ uid: 'hndmde', requestId: 'req002', type: 2, sid: c1.id, room: 'legacy' }));
        await until(() => serverSocket(b, c1).rooms.has('legacy'), 'legacy join');
      });
      await run('REMOTE_LEAVE by sid (hand-made, as 7.x sent it) and the answer', async () => {
        await marker.publish('socket.io-request#/#', JSON.stringify({ uid: 'hndmde', requestId: 'req003', type: 3, sid: c1.id, room: 'legacy' }));
        await until(() => !serverSocket(b, c1).rooms.has('legacy'), 'legacy leave');
      });
      await run('REMOTE_DISCONNECT by sid (hand-made, as 7.x sent it) and the answer', async () => {
        await marker.publish('socket.io-request#/#', JSON.stringify({ uid: 'hndmde', requestId: 'req004', type: 4, sid: c1.id, close: false }));
        await until(() => !c1.connected, 'legacy disconnect');
      });
      await common(pair, { allRooms: true });
    });
}
{
  const opts = { key: 'socket.io', publishOnSpecificResponseChannel: true };
  await withPair('redis, publishOnSpecificResponseChannel', opts,
    async () => redisAdapter.createAdapter(await redis(), await redis(), opts), {}, decodePubSub, async ({ a, b, run }) => {
      const b1 = await client(b, 'b1');
      await run('fetchSockets, answered on the asker\'s own channel', async () => {
        await a.io.fetchSockets();
      });
      await run('serverSideEmit with ack (answered on the shared channel whatever the option)', async () => {
        await a.io.serverSideEmitWithAck('hello', 'question');
      });
      b1.close();
    });
}

// --- the sharded adapter
for (const subscriptionMode of ['dynamic', 'static', 'dynamic-private']) {
  const opts = { channelPrefix: 'socket.io', subscriptionMode };
  await withPair('redis-sharded ' + subscriptionMode, opts,
    async () => redisAdapter.createShardedAdapter(await redis(), await redis(), opts), {}, decodePubSub, async (pair) => {
      if (subscriptionMode === 'dynamic') {
        await common(pair);
        return;
      }
      const { a, b, run } = pair;
      const b1 = await client(b, 'b1');
      await run('a socket joins a room', async () => {
        serverSocket(b, b1).join('room1');
        await sleep(50);
      });
      await run('broadcast to one room', async () => {
        a.io.to('room1').emit('event', 'room');
        await until(() => b1.received.length >= 1, 'room broadcast');
      });
      await run('broadcast to one socket id', async () => {
        a.io.to(b1.id).emit('event', 'private');
        await until(() => b1.received.length >= 2, 'private broadcast');
      });
      b1.close();
    });
}

// --- the streams adapter, with connection state recovery
{
  const opts = { streamName: 'socket.io', channelPrefix: 'socket.io', blockTimeInMs: 500 };
  const recovery = { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } };
  await withPair('redis-streams', opts, async () => streamsAdapter.createAdapter(await redis(), opts), recovery,
    decodeStreams, async (pair) => {
      const { a, b, run } = pair;
      const r1 = await client(a, 'r1');
      await until(() => r1._pid, 'a recoverable session');
      await run('broadcast stamped with its stream offset', async () => {
        a.io.emit('event', 'before the drop');
        await until(() => r1.received.length >= 1, 'offset broadcast');
      });
      const pid = r1._pid;
      const offset = r1._lastOffset;
      await run('a recoverable socket drops: its session is persisted', async () => {
        r1.io.engine.close();
        await until(() => !r1.connected, 'drop');
        await sleep(50);
      });
      await run('broadcast the dropped socket misses', async () => {
        a.io.emit('event', 'missed');
        await sleep(50);
      });
      await run('the socket comes back on the other node: the session is restored', async () => {
        const back = await client(b, 'r1-again', '/', { autoConnect: false });
        back._pid = pid;
        back._lastOffset = offset;
        back.connect();
        await new Promise((resolve) => back.once('connect', resolve));
        await until(() => back.received.length >= 1, 'missed packet');
        if (!back.recovered) throw new Error('not recovered');
        back.close();
      });
      await common(pair);
    });
}
{
  const opts = { streamName: 'socket.io', channelPrefix: 'socket.io', useShardedPubSub: true, blockTimeInMs: 500 };
  await withPair('redis-streams, useShardedPubSub', opts, async () => streamsAdapter.createAdapter(await redis(), opts), {},
    decodeStreams, async ({ a, b, run }) => {
      const b1 = await client(b, 'b1');
      await run('fetchSockets over sharded pub/sub', async () => {
        await a.io.fetchSockets();
      });
      b1.close();
    });
}

// The streams adapter's stream for a namespace when streamCount > 1: its own hashCode, ST util.
const streamNames = [];
for (const nsp of ['/', '/custom', '/chat', '/notifications', '/a-much-longer-namespace-name', '/é€😀', '/dyn-12']) {
  for (const count of [2, 3, 7]) {
    streamNames.push({ nsp, streamCount: count, hashCode: hashCode(nsp), stream: 'socket.io-' + (hashCode(nsp) % count) });
  }
}

monitor.close();
for (const c of redisClients) await c.quit().catch(() => {});
await marker.quit().catch(() => {});
clearTimeout(deadline);

const version = (p) => require(p + '/package.json').version;
process.stdout.write(JSON.stringify({
  generator: 'conformance/cluster/capture-messages.mjs',
  versions: {
    'socket.io': version('socket.io'),
    'socket.io-adapter': require(createRequire(require.resolve('socket.io')).resolve('socket.io-adapter/package.json')).version,
    '@socket.io/redis-adapter': version('@socket.io/redis-adapter'),
    '@socket.io/redis-streams-adapter': version('@socket.io/redis-streams-adapter'),
    'notepack.io': version('notepack.io'),
    '@msgpack/msgpack': streamsRequire('@msgpack/msgpack/package.json').version,
    redis: version('redis'),
  },
  variants,
  streamNames,
}, null, 1) + '\n');
process.exit(0);
