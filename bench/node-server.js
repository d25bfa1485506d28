// The benchmark application on Node's socket.io 4.8 — the same app as Switchboard's
// `java -jar target/switchboard.jar bench-server` (src/main/java/dev/switchboard/cli/BenchServerCommand.java),
// so both are measured doing the same work.
//
//   PORT=0 [TOKEN=...] [AUTH_MODE=jwt JWT_SECRET=...] [REDIS_URL=redis://127.0.0.1:6379 [ADAPTER=redis]] \
//       [PING_INTERVAL_MS=25000 PING_TIMEOUT_MS=20000] \
//       node --expose-gc bench/node-server.js
//
// Binds 127.0.0.1:PORT (0 = a free port) and prints `listening on http://127.0.0.1:<port>` when ready.
// Handshake: auth.token must equal TOKEN (default "bench-secret"), or with AUTH_MODE=jwt be an HS256 JWT
// signed with JWT_SECRET (>= 32 bytes) whose exp lies in the future; otherwise connect_error "unauthorized".
// Events: echo(payload, ack) acks the payload; broadcast(payload, ack) emits `bcast` to every socket, then
// acks true; join(room, ack) joins, acks true; toRoom(room, payload, ack) emits `roomMsg` to the room, acks true.
//
// Cluster (issue #10; the cluster broadcast benchmark): with REDIS_URL the server joins a cluster through
// @socket.io/redis-adapter 8.3.0 and the `redis` client 5.10.0 (the versions pinned in conformance/), as
// `bench-server --redis-url` does on Switchboard's side. ADAPTER is `redis` (the classic adapter, the
// default) or `redis-sharded` (createShardedAdapter, Redis 7); the channel prefix is the adapter's
// default key "socket.io", the same as Switchboard's. The server prints its `listening on` line only
// once both Redis clients are connected. Without REDIS_URL: one process, the in-memory adapter.
//
// Measurement hook (the counterpart of `jcmd <pid> GC.run` + `GC.heap_info` for the JVM): GET /bench-stats
// runs a full GC (needs --expose-gc) and answers process.memoryUsage() as JSON. socket.io only looks at
// /socket.io/, so this route costs the measured traffic nothing.
import http from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";
import { Server } from "socket.io";

const env = process.env;
const port = Number(env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad PORT ${env.PORT}`);

function tokenCheck() {
  if ((env.AUTH_MODE ?? "").toLowerCase() === "jwt") {
    const secret = Buffer.from(env.JWT_SECRET ?? "", "utf8");
    if (secret.length < 32) throw new Error("AUTH_MODE=jwt needs JWT_SECRET of at least 32 bytes");
    return (token) => verifyHs256(token, secret);
  }
  const expected = env.TOKEN ?? "bench-secret";
  return (token) => token === expected;
}

function verifyHs256(token, secret) {
  if (typeof token !== "string") return false;
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    if (header?.alg !== "HS256") return false;
    const expectedSig = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
    const sig = Buffer.from(parts[2], "base64url");
    if (sig.length !== expectedSig.length || !timingSafeEqual(sig, expectedSig)) return false;
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof claims?.exp === "number" && claims.exp * 1000 > Date.now();
  } catch {
    return false;
  }
}

const httpServer = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/bench-stats") {
    if (typeof global.gc === "function") {
      global.gc();
      global.gc();
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ gc: typeof global.gc === "function", ...process.memoryUsage() }));
    return;
  }
  res.writeHead(404);
  res.end();
});

const redisClients = [];
const adapter = await clusterAdapter();
// socket.io 4.8 defaults, as Switchboard's bench-server uses its defaults; the heartbeat can be set
// (PING_INTERVAL_MS, PING_TIMEOUT_MS, as bench-server reads them: the c100k smoke run pings every second)
const heartbeat = (name, fallback) => {
  const v = Number(env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`bad ${name} ${env[name]}`);
  return v;
};
const io = new Server(httpServer, {
  ...(adapter ? { adapter } : {}),
  pingInterval: heartbeat("PING_INTERVAL_MS", 25000),
  pingTimeout: heartbeat("PING_TIMEOUT_MS", 20000),
});
const accepts = tokenCheck();

io.use((socket, next) => {
  if (accepts(socket.handshake.auth?.token)) next();
  else next(new Error("unauthorized"));
});

io.on("connection", (socket) => {
  socket.on("echo", (payload, ack) => {
    if (typeof ack === "function") ack(payload);
  });
  socket.on("broadcast", (payload, ack) => {
    io.emit("bcast", payload);
    if (typeof ack === "function") ack(true);
  });
  socket.on("join", (room, ack) => {
    const ok = typeof room === "string";
    if (ok) socket.join(room);
    if (typeof ack === "function") ack(ok);
  });
  socket.on("toRoom", (room, payload, ack) => {
    const ok = typeof room === "string";
    if (ok) io.to(room).emit("roomMsg", payload);
    if (typeof ack === "function") ack(ok);
  });
});

/** The Redis adapter's factory when REDIS_URL is set (both clients connected), otherwise null. */
async function clusterAdapter() {
  const url = env.REDIS_URL ?? "";
  const kind = (env.ADAPTER ?? "").trim().toLowerCase() || (url ? "redis" : "");
  if (!url) {
    if (kind) throw new Error(`ADAPTER=${kind} needs REDIS_URL`);
    return null;
  }
  if (!/^rediss?:\/\//.test(url)) throw new Error("REDIS_URL must be a redis:// or rediss:// URL");
  if (kind !== "redis" && kind !== "redis-sharded") throw new Error(`unknown ADAPTER ${kind}: redis or redis-sharded`);
  const { createClient } = await import("redis");
  const { createAdapter, createShardedAdapter } = await import("@socket.io/redis-adapter");
  const connect = async (client) => {
    // the client reconnects by itself; one line per error, the benchmark fails on what it misses
    client.on("error", (e) => console.error(`redis: ${e.message}`));
    await client.connect();
    redisClients.push(client);
    return client;
  };
  const pub = await connect(createClient({ url }));
  const sub = await connect(pub.duplicate());
  return kind === "redis" ? createAdapter(pub, sub) : createShardedAdapter(pub, sub);
}

httpServer.listen(port, "127.0.0.1", () => {
  console.log(`bench-server (node socket.io) listening on http://127.0.0.1:${httpServer.address().port}`);
});

for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, async () => {
    io.close();
    await Promise.race([Promise.allSettled(redisClients.map((c) => c.quit())), new Promise((r) => setTimeout(r, 2000))]);
    process.exit(0);
  });
}
