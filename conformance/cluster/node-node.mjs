// One Node socket.io 4.8 node of a mixed Java/Node cluster (issue #10), on Redis with one of the
// adapters pinned in ../package-lock.json. The cluster tests start it, drive it through its
// standard input, and point official clients at it.
//
//   node cluster/node-node.mjs --port 0 --adapter redis|redis-sharded|redis-streams \
//       --redis-url redis://127.0.0.1:6379 [--key socket.io] [--id node-1] \
//       [--subscription-mode dynamic|static|dynamic-private] [--requests-timeout 1000] [--recovery]
//
// Prints `listening <port>` once the server and its adapter are ready. Then reads one JSON command
// per line on stdin, {"id": 1, "op": "...", ...}, and answers each with one line
// `result {"id": 1, "ok": true, "value": ...}` (or "ok": false, "error": "..."). Exits when stdin
// closes or on SIGTERM, closing the server and its Redis clients.
//
// Namespaces "/" and "/custom" exist from the start. On connection, socket.data is
// handshake.auth.data (or {}) unless the socket was recovered, and the socket answers the client event `__settle` with an empty
// ack (the harness's way to know that what the server wrote before has reached the client).
// Server-side events (io.serverSideEmit from other nodes):
//   whoami (ack)   answered with {kind: "node", id}
//   hello (...args[, ack])   recorded (op "serverSideEvents"); an ack is answered with the reply
//                            set by op "helloReply" (default: the node id), or never if "silent"
// Operations (the server-side calls of @socket.io/redis-adapter's test/index.ts; `nsp` defaults to
// "/", `rooms`/`except` to none, `local` to false):
//   emit {nsp, rooms, except, local, event, args}            → null
//   emitWithAck {nsp, rooms, except, timeout, event, args}   → {error, responses}
//   socketsJoin / socketsLeave {nsp, rooms, except, local, room}   → null
//   disconnectSockets {nsp, rooms, except, local, close}     → null
//   fetchSockets {nsp, rooms, except, local}                 → [{id, rooms, data, handshake.auth}]
//   serverSideEmit {event, args, withAck}                    → null | {error, responses}
//   serverSideEvents {}                                      → [[event, ...args], ...] (and clears)
//   helloReply {value | silent: true}                        → null
//   sockets {nsp}          → local socket ids          rooms {nsp, sid} → that socket's rooms
//   join / leave {nsp, sid, room}  → null             allRooms {nsp} → the adapter's rooms, all nodes
//   serverCount {nsp}      → the adapter's count of nodes
//   putData {nsp, sid, key, value} → null (socket.data[key] = value)
//   handshake {nsp, sid}   → that socket's handshake as the adapters send it (without sessionStore)
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const { Server } = require('socket.io');
const { createClient } = require('redis');

const args = parseArgs(process.argv.slice(2));
const id = args.id || `node-${process.pid}`;
const key = args.key || 'socket.io';
const requestsTimeout = Number(args['requests-timeout'] || 5000);

const redisClients = [];
const adapter = await createAdapterFactory(args.adapter || 'redis');
const io = new Server({
  adapter,
  pingInterval: 300,
  pingTimeout: 200,
  ...(args.recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } } : {}),
});

const serverSideEvents = [];
let helloReply = { value: id };

for (const nsp of [io.of('/'), io.of('/custom')]) {
  nsp.on('connection', (socket) => {
    if (!socket.recovered) socket.data = { ...(socket.handshake.auth?.data ?? {}) }; // a recovered socket has its own back
    socket.on('__settle', (ack) => typeof ack === 'function' && ack());
  });
}
io.on('whoami', (ack) => ack({ kind: 'node', id }));
io.on('hello', (...received) => {
  const ack = typeof received[received.length - 1] === 'function' ? received.pop() : null;
  serverSideEvents.push(['hello', ...received]);
  if (ack && !helloReply.silent) ack(helloReply.value);
});

const httpServer = createServer();
io.attach(httpServer);
await new Promise((resolve) => httpServer.listen(Number(args.port || 0), '127.0.0.1', resolve));
process.stdout.write(`listening ${httpServer.address().port}\n`);

const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  if (!line.trim()) return;
  let command;
  try {
    command = JSON.parse(line);
  } catch (e) {
    return reply({ id: null, ok: false, error: 'not JSON: ' + e.message });
  }
  try {
    reply({ id: command.id, ok: true, value: (await run(command)) ?? null });
  } catch (e) {
    reply({ id: command.id, ok: false, error: e.message });
  }
});
lines.on('close', shutdown);
process.on('SIGTERM', shutdown);

function reply(result) {
  process.stdout.write('result ' + JSON.stringify(result) + '\n');
}

/** The broadcast operator a command targets: rooms, except, local. */
function target(c) {
  let op = io.of(c.nsp || '/');
  if (c.local) op = op.local;
  if (c.rooms?.length) op = op.to(c.rooms);
  if (c.except?.length) op = op.except(c.except);
  return op;
}

function toBinary(values) {
  // {"$binary": "<hex>"} in a command stands for a Buffer, as in the notepack vectors.
  return JSON.parse(JSON.stringify(values ?? []), (k, v) =>
    v && typeof v === 'object' && Object.keys(v).length === 1 && typeof v.$binary === 'string' ? Buffer.from(v.$binary, 'hex') : v);
}

function fromBinary(value) {
  return JSON.parse(JSON.stringify(value ?? null, function (k, v) {
    const original = this[k];
    return Buffer.isBuffer(original) ? { $binary: original.toString('hex') } : v;
  }));
}

async function run(c) {
  const nsp = io.of(c.nsp || '/');
  switch (c.op) {
    case 'emit':
      target(c).emit(c.event, ...toBinary(c.args));
      return null;
    case 'emitWithAck':
      return new Promise((resolve) => {
        target(c).timeout(c.timeout ?? 1000).emit(c.event, ...toBinary(c.args), (err, responses) =>
          resolve({ error: err ? err.message : null, responses: fromBinary(responses) }));
      });
    case 'socketsJoin':
      target(c).socketsJoin(c.room);
      return null;
    case 'socketsLeave':
      target(c).socketsLeave(c.room);
      return null;
    case 'disconnectSockets':
      target(c).disconnectSockets(!!c.close);
      return null;
    case 'fetchSockets':
      return (await target(c).fetchSockets()).map((s) => ({
        id: s.id, rooms: [...s.rooms], data: s.data, auth: s.handshake.auth,
      }));
    case 'serverSideEmit':
      if (!c.withAck) {
        io.serverSideEmit(c.event, ...toBinary(c.args));
        return null;
      }
      return new Promise((resolve) => io.serverSideEmit(c.event, ...toBinary(c.args), (err, responses) =>
        resolve({ error: err ? err.message : null, responses: fromBinary(responses) })));
    case 'serverSideEvents':
      return fromBinary(serverSideEvents.splice(0));
    case 'helloReply':
      helloReply = c.silent ? { silent: true } : { value: c.value };
      return null;
    case 'sockets':
      return [...nsp.sockets.keys()];
    case 'rooms':
      return [...(nsp.sockets.get(c.sid)?.rooms ?? [])];
    case 'join':
      nsp.sockets.get(c.sid)?.join(c.room);
      return null;
    case 'leave':
      nsp.sockets.get(c.sid)?.leave(c.room);
      return null;
    case 'allRooms':
      return [...(await nsp.adapter.allRooms())];
    case 'serverCount':
      return nsp.adapter.serverCount();
    case 'putData': {
      const socket = nsp.sockets.get(c.sid);
      if (!socket) throw new Error('no socket ' + c.sid + ' in ' + nsp.name);
      socket.data[c.key] = toBinary([c.value])[0];
      return null;
    }
    case 'handshake': {
      const socket = nsp.sockets.get(c.sid);
      if (!socket) throw new Error('no socket ' + c.sid + ' in ' + nsp.name);
      const { sessionStore, ...handshake } = socket.handshake;
      return JSON.parse(JSON.stringify(handshake));
    }
    default:
      throw new Error('unknown op ' + c.op);
  }
}

async function createAdapterFactory(kind) {
  const url = args['redis-url'] || 'redis://127.0.0.1:6379';
  const connected = async (client) => {
    client.on('error', () => {}); // reconnects by itself; the harness watches the results instead
    await client.connect();
    redisClients.push(client);
    return client;
  };
  const pub = await connected(createClient({ url }));
  switch (kind) {
    case 'redis': {
      const { createAdapter } = require('@socket.io/redis-adapter');
      const sub = await connected(pub.duplicate());
      return createAdapter(pub, sub, { key, requestsTimeout, publishOnSpecificResponseChannel: !!args['specific-response-channel'] });
    }
    case 'redis-sharded': {
      const { createShardedAdapter } = require('@socket.io/redis-adapter');
      const sub = await connected(pub.duplicate());
      return createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode: args['subscription-mode'] || 'dynamic' });
    }
    case 'redis-streams': {
      const { createAdapter } = require('@socket.io/redis-streams-adapter');
      return createAdapter(pub, { streamName: key, channelPrefix: key, useShardedPubSub: !!args['sharded-pubsub'] });
    }
    default:
      throw new Error('--adapter must be redis, redis-sharded or redis-streams, not ' + kind);
  }
}

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  io.close();
  await Promise.allSettled(redisClients.map((c) => c.quit()));
  process.exit(0);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) throw new Error('unexpected argument ' + argv[i]);
    const name = argv[i].slice(2);
    if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[name] = argv[++i];
    else out[name] = true;
  }
  return out;
}
