// Official socket.io-client instances for the mixed-cluster tests (issue #10): one Node process
// hosts any number of clients, of any node of the cluster, and the JUnit harness drives them
// through its standard input, one JSON command per line, as it drives node-node.mjs:
//
//   node cluster/client-host.mjs
//
// Prints `ready` once it reads commands. Each command {"id": 1, "op": "...", ...} is answered with
// one line `result {"id": 1, "ok": true, "value": ...}` (or "ok": false, "error": "..."), in the
// order the commands complete. Exits when stdin closes or on SIGTERM, closing every client.
//
// A client records every event it receives (arguments as JSON, a Buffer/ArrayBuffer as
// {"$binary": "<hex>"}), answers the acks of the events it was told to answer (`answer`), and
// stays silent otherwise; it never reconnects by itself, so the harness sees exactly what the
// server did. Every server the harness starts answers the event `__settle` with an empty ack.
//
// Operations:
//   connect {url, nsp, auth, transports, withCredentials}   → {client, id, transport}   a new client
//       connected to url + nsp (auth: the CONNECT payload; transports default ["websocket"];
//       withCredentials default false: true makes the Node.js client keep cookies, such as a load
//       balancer's sticky-session cookie, as a browser does); fails on connect_error
//   received {client, event}               → [[...args], ...] what it received of event, in order
//   answer {client, event, value}          → null   from now on it acks event with value
//   emit {client, event, args}             → null
//   emitWithAck {client, event, args, timeout}  → {error, value}   the server's first ack argument
//   state {client}                         → {id, connected, disconnectReason, transport, pings}
//       transport: the engine's current transport ("polling" or "websocket"); pings: how many
//       heartbeats (server pings) the client has answered
//   upgraded {client, timeout}             → transport   waits until the engine runs on WebSocket
//       (at once if it already does); fails on timeout (default 5000 ms) or a failed upgrade
//   settle {timeout}                       → null   each connected client sends __settle and waits
//       for its ack (or its disconnection): everything its server wrote to it before has arrived
//   disconnect {client}                    → null   the client leaves
//   drop {client}                          → reason  its connection is cut under it: the engine
//       closes (the client's reason: "forced close"; the server's: "transport close", one it may
//       recover from); the socket keeps its pid and last offset (connection state recovery)
//   reconnect {client, url}                → {id, recovered}   the dropped socket connects again,
//       to url (any node), presenting its pid and last offset; recovered: socket.recovered
//   closeAll {}                            → null   every client leaves; the handles are forgotten
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');

/** handle → {socket, events: Map<event, args[]>, answers: Map<event, value>, disconnectReason} */
const clients = new Map();
let nextHandle = 1;

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
process.stdout.write('ready\n');

function reply(result) {
  process.stdout.write('result ' + JSON.stringify(result) + '\n');
}

function toBinary(values) {
  return JSON.parse(JSON.stringify(values ?? null), (k, v) =>
    v && typeof v === 'object' && Object.keys(v).length === 1 && typeof v.$binary === 'string' ? Buffer.from(v.$binary, 'hex') : v);
}

function fromBinary(value) {
  const walk = (v) => {
    if (Buffer.isBuffer(v)) return { $binary: v.toString('hex') };
    if (v instanceof ArrayBuffer) return { $binary: Buffer.from(v).toString('hex') };
    if (ArrayBuffer.isView(v)) return { $binary: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v === undefined ? null : v;
  };
  return walk(value);
}

function transportOf(socket) {
  const engine = socket.io.engine;
  return engine && engine.transport ? engine.transport.name : null;
}

/** Resolves with "websocket" once the client's engine has upgraded (engine.io-protocol §Upgrade). */
function upgraded(e, ms) {
  const engine = e.socket.io.engine;
  if (transportOf(e.socket) === 'websocket') return Promise.resolve('websocket');
  return new Promise((resolve, reject) => {
    const done = (f) => {
      clearTimeout(timer);
      engine.off('upgrade', onUpgrade);
      engine.off('upgradeError', onError);
      f();
    };
    const onUpgrade = () => done(() => resolve(transportOf(e.socket)));
    const onError = (err) => done(() => reject(new Error('upgrade failed: ' + (err && err.message))));
    const timer = setTimeout(() => done(() => reject(new Error('no upgrade within ' + ms + ' ms (transport '
      + transportOf(e.socket) + ')'))), ms);
    engine.on('upgrade', onUpgrade);
    engine.on('upgradeError', onError);
  });
}

function client(handle) {
  const c = clients.get(handle);
  if (!c) throw new Error('no client ' + handle);
  return c;
}

function connect(c) {
  const socket = io(c.url + (c.nsp && c.nsp !== '/' ? c.nsp : ''), {
    transports: c.transports ?? ['websocket'],
    withCredentials: c.withCredentials ?? false,
    reconnection: false,
    forceNew: true,
    auth: c.auth ?? {},
  });
  const entry = { socket, events: new Map(), answers: new Map(), disconnectReason: null, pings: 0 };
  socket.io.on('ping', () => {
    entry.pings++;
  });
  socket.onAny((event, ...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    if (!entry.events.has(event)) entry.events.set(event, []);
    entry.events.get(event).push(fromBinary(args));
    if (ack && entry.answers.has(event)) ack(toBinary(entry.answers.get(event)));
  });
  socket.on('disconnect', (reason) => {
    entry.disconnectReason = reason;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no connection to ' + c.url + ' ' + (c.nsp ?? '/') + ' within 10 s'));
    }, 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      const handle = nextHandle++;
      clients.set(handle, entry);
      resolve({ client: handle, id: socket.id, transport: transportOf(socket) });
    });
    socket.once('connect_error', (e) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error('connect_error: ' + e.message));
    });
  });
}

async function run(c) {
  switch (c.op) {
    case 'connect':
      return connect(c);
    case 'received':
      return client(c.client).events.get(c.event) ?? [];
    case 'answer':
      client(c.client).answers.set(c.event, c.value);
      return null;
    case 'emit':
      client(c.client).socket.emit(c.event, ...toBinary(c.args ?? []));
      return null;
    case 'emitWithAck':
      try {
        const value = await client(c.client).socket.timeout(c.timeout ?? 5000).emitWithAck(c.event, ...toBinary(c.args ?? []));
        return { error: null, value: fromBinary(value) };
      } catch (e) {
        return { error: e.message, value: null };
      }
    case 'state': {
      const e = client(c.client);
      return { id: e.socket.id ?? null, connected: e.socket.connected, disconnectReason: e.disconnectReason,
        transport: transportOf(e.socket), pings: e.pings };
    }
    case 'upgraded':
      return await upgraded(client(c.client), c.timeout ?? 5000);
    case 'settle':
      await Promise.all([...clients.values()].filter((e) => e.socket.connected).map((e) =>
        e.socket.timeout(c.timeout ?? 5000).emitWithAck('__settle').catch(() => null)));
      return null;
    case 'disconnect':
      client(c.client).socket.disconnect();
      return null;
    case 'drop': {
      const e = client(c.client);
      if (!e.socket.connected) throw new Error('client ' + c.client + ' is not connected');
      const gone = new Promise((resolve) => e.socket.once('disconnect', resolve));
      e.socket.io.engine.close();
      return await gone;
    }
    case 'reconnect': {
      const e = client(c.client);
      if (e.socket.connected) throw new Error('client ' + c.client + ' is still connected');
      e.disconnectReason = null;
      e.socket.io.uri = c.url; // the Manager opens its next engine there
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reconnection to ' + c.url + ' within 10 s')), 10_000);
        e.socket.once('connect', () => {
          clearTimeout(timer);
          resolve({ id: e.socket.id, recovered: e.socket.recovered });
        });
        e.socket.once('connect_error', (err) => {
          clearTimeout(timer);
          reject(new Error('connect_error: ' + err.message));
        });
        e.socket.connect();
      });
    }
    case 'closeAll':
      for (const e of clients.values()) e.socket.disconnect();
      clients.clear();
      return null;
    default:
      throw new Error('unknown op ' + c.op);
  }
}

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  for (const e of clients.values()) e.socket.disconnect();
  process.exit(0);
}
