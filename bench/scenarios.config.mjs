// What `bench/run.sh` measures: every scenario with its parameters (full run and --smoke), the
// metrics the summary shows, and the issue's targets. Counts and durations bound every loop.
const S = 1000;

// Full-run parameters; `smoke` overrides them with small counts (seconds in all, correctness only).
// Warm-ups are long because every scenario starts a fresh server: C2 was still compiling the
// connect path (40-50 % of Switchboard's CPU in the window) after 15 000 connects, and done after
// ~60 000; Node's V8 is warmed up by the same traffic.
export const SCENARIOS = [
  {
    name: "correctness", kind: "correctness", once: true,
    about: "official socket.io-client 4.8.4: refusals, echo (text, binary), broadcast, rooms on every transport",
  },
  {
    name: "correctness-jwt", kind: "correctnessJwt", once: true,
    env: { AUTH_MODE: "jwt", JWT_SECRET: "bench-jwt-secret-0123456789abcdef-0123" },
    about: "official client, AUTH_MODE=jwt: valid HS256 accepted, expired/unsigned/wrong refused",
  },
  ...["websocket", "polling", "upgrade"].flatMap((transport) => {
    const t = transport === "websocket" ? "ws" : transport;
    return [
      {
        name: `connect-${t}-seq`, kind: "connect",
        p: { transport, inflight: 1, warmupCount: 10000, warmupMs: 8 * S, maxCount: 3000, durationMs: 6 * S },
        smoke: { warmupCount: 3, warmupMs: 300, maxCount: 10, durationMs: 500 },
        about: `${transport}: handshake, CONNECT with token${transport === "upgrade" ? ", probe + upgrade, one echo," : ""} close; one at a time`,
      },
      {
        name: `connect-${t}-100`, kind: "connect",
        p: { transport, inflight: 100, warmupCount: 60000, warmupMs: 12 * S, maxCount: 20000, durationMs: 6 * S },
        smoke: { inflight: 10, warmupCount: 10, warmupMs: 300, maxCount: 30, durationMs: 500 },
        about: `${transport}: the same cycle, 100 in flight`,
      },
    ];
  }),
  ...["websocket", "polling"].flatMap((transport) => {
    const t = transport === "websocket" ? "ws" : transport;
    return [1, 100].map((clients) => ({
      name: `echo-${t}-${clients}`, kind: "echo",
      p: { transport, clients, warmupMs: 5 * S, durationMs: 6 * S, maxCount: 5_000_000 },
      smoke: { clients: Math.min(clients, 5), warmupMs: 200, durationMs: 300 },
      about: `${clients} ${transport} client(s), each one echo ack in flight`,
    }));
  }),
  {
    name: "broadcast-1000-seq", kind: "fanout",
    p: { clients: 1000, inflight: 1, warmupCount: 1000, warmupMs: 5 * S, maxCount: 20000, durationMs: 6 * S, payloadBytes: 64 },
    smoke: { clients: 30, warmupCount: 3, maxCount: 10, durationMs: 500 },
    about: "1 000 WebSocket clients; broadcast to all (sender included), one at a time",
  },
  {
    name: "broadcast-1000-10", kind: "fanout",
    p: { clients: 1000, inflight: 10, warmupCount: 1000, warmupMs: 5 * S, maxCount: 20000, durationMs: 6 * S, payloadBytes: 64 },
    smoke: { clients: 30, inflight: 5, warmupCount: 5, maxCount: 20, durationMs: 500 },
    about: "the same, 10 broadcasts in flight",
  },
  {
    name: "room-1000", kind: "fanout",
    p: { clients: 1000, rooms: 10, inflight: 1, warmupCount: 10000, warmupMs: 8 * S, maxCount: 50000, durationMs: 6 * S, payloadBytes: 64 },
    smoke: { clients: 30, rooms: 3, warmupCount: 3, maxCount: 10, durationMs: 500 },
    about: "1 000 clients in 10 rooms of 100; toRoom cycling through the rooms, one at a time",
  },
  // Issue #10: two nodes of one kind on one redis-server (started by the runner, nothing persisted),
  // the classic Redis adapter on both (@socket.io/redis-adapter 8.3.0 on Node, RedisAdapter on
  // Switchboard). 1 000 WebSocket clients connect directly to the nodes, 500 each (no proxy);
  // client 0, on node A, broadcasts to everyone. Opt-in (run.mjs --scenarios ...): not in the
  // default run.
  ...[1, 10].map((inflight) => ({
    name: `cluster-broadcast-1000-${inflight === 1 ? "seq" : inflight}`, kind: "fanout", optIn: true,
    cluster: { nodes: 2, adapter: "redis" },
    // Warm-up: with 6 s, C1/C2 still took 14 % of Switchboard's CPU in the one-at-a-time window (the
    // Redis paths run once per message, not once per delivery, so they get hot late).
    p: { clients: 1000, inflight, warmupCount: 5000, warmupMs: (inflight === 1 ? 12 : 8) * S, maxCount: 20000, durationMs: 6 * S, payloadBytes: 64 },
    smoke: { clients: 30, inflight: Math.min(inflight, 5), warmupCount: 3, warmupMs: 500, maxCount: 10 * Math.min(inflight, 5), durationMs: 500 },
    about: `two nodes + Redis (classic adapter), 500 WebSocket clients on each; a client on node A broadcasts to all 1 000, ${inflight === 1 ? "one at a time" : `${inflight} in flight`}`,
  })),
  // Issue #14: 100 000 authenticated WebSocket clients on one server (c100k.mjs says how). Opt-in
  // (--scenarios c100k): it takes minutes and every descriptor the machine allows. Each client's
  // CONNECT carries its own HS256 token, verified by the server (AUTH_MODE=jwt on both servers).
  // Heartbeats at the servers' defaults (pingInterval 25 s, pingTimeout 20 s): the idle window
  // holds 3.6 intervals. The smoke run (2 000 clients, CI) pings every second to check them too.
  {
    name: "c100k", kind: "c100k", optIn: true,
    env: { AUTH_MODE: "jwt", JWT_SECRET: "bench-jwt-secret-0123456789abcdef-0123" },
    smokeEnv: { PING_INTERVAL_MS: "1000", PING_TIMEOUT_MS: "10000" },
    // the issue's bound: 100 000 held with -Xmx512m; the heap flags of the README's production
    // command (deploy/switchboard.sh says why each)
    jvmHeap: ["-Xms64m", "-Xmx512m", "-XX:MaxNewSize=96m"],
    p: { clients: 100000, perWorker: 15000, inflight: 100, idleMs: 90 * S, detail: true, broadcasts: 5, broadcastTimeoutMs: 30 * S,
      connectMaxMs: 600 * S, hardLimitMs: 1200 * S },
    smoke: { clients: 2000, perWorker: 1000, inflight: 100, idleMs: 3500, detail: false, broadcasts: 3, broadcastTimeoutMs: 15 * S,
      connectMaxMs: 60 * S, hardLimitMs: 150 * S },
    about: "100 000 WebSocket clients with their own JWTs, from 254 loopback addresses, idle through heartbeats, then broadcasts to all",
  },
  // Issue #11: the chat server itself (`java -jar target/switchboard.jar`, no Node counterpart),
  // started fresh with an empty DATA_DIR (SQLite), compared with itself at other commits:
  // run.mjs --chat-jars before=OLD.jar,after=target/switchboard.jar runs each scenario on each jar,
  // the order alternating, and the summary gives after / before (BENCHMARKS.md, "Storage and
  // history"). Opt-in for a full run; the smoke run includes them (one jar: this build's).
  // Users sign up over HTTP (bcrypt cost 4: the login is not what is measured), tokens come from
  // POST /auth/login, and the per-address connection limits are off, as for bench-server.
  ...[
    {
      name: "chat-connect-100", kind: "chatConnect",
      // Warm-up 30 s: with 12 s (about 10 000 connects on a busy machine) C2 still took two thirds
      // of the server's CPU in the window.
      p: { users: 10, inflight: 100, warmupCount: 60000, warmupMs: 30 * S, maxCount: 20000, durationMs: 6 * S },
      smoke: { users: 2, inflight: 10, warmupCount: 10, warmupMs: 300, maxCount: 30, durationMs: 500 },
      about: "chat server: WebSocket handshake, CONNECT with a user's token (10 users), the chat's online-users, close; 100 in flight",
    },
    {
      name: "chat-room-1000", kind: "chatRoom",
      p: { clients: 1000, users: 10, inflight: 10, warmupCount: 2000, warmupMs: 8 * S, maxCount: 20000, durationMs: 6 * S, payloadBytes: 64 },
      smoke: { clients: 30, users: 3, inflight: 5, warmupCount: 5, warmupMs: 300, maxCount: 20, durationMs: 500 },
      about: "chat server: 1 000 clients (10 users) in general; chat-message sent by each client in turn, 10 in flight; new-message to all 1 000",
    },
  ].map((s) => ({
    ...s, chat: true, optIn: true, inSmoke: true,
    env: { BCRYPT_COST: "4", HOST: "127.0.0.1", MAX_CONNECTIONS_PER_ADDRESS: "0", MAX_NEW_CONNECTIONS_PER_SECOND: "0",
      MAX_UNCONNECTED_SESSIONS_PER_ADDRESS: "0" },
  })),
  {
    name: "idle-memory", kind: "idleMemory",
    p: { clients: 10000, step: 1000, maxMs: 120 * S, hardLimitMs: 300 * S },
    smoke: { clients: 200, step: 100 },
    about: "WebSocket clients connected and left idle, in steps of 1 000 up to 10 000; heap after full GC and RSS at each",
  },
];

// Metrics in the summary: [scenario, path into the result, label, unit, better].
export const METRICS = [
  ["connect-ws-seq", "connectsPerSec", "connects/s", "", "higher"],
  ["connect-ws-seq", "connectMs.p50", "connect latency p50", "ms", "lower"],
  ["connect-ws-seq", "serverCpuUsPerConnect", "server CPU per connect", "µs", "lower"],
  ["connect-ws-100", "connectsPerSec", "connects/s", "", "higher"],
  ["connect-ws-100", "connectMs.p99", "connect latency p99", "ms", "lower"],
  ["connect-ws-100", "serverCpuUsPerConnect", "server CPU per connect", "µs", "lower"],
  ["connect-polling-seq", "connectsPerSec", "connects/s", "", "higher"],
  ["connect-polling-seq", "serverCpuUsPerConnect", "server CPU per connect", "µs", "lower"],
  ["connect-polling-100", "connectsPerSec", "connects/s", "", "higher"],
  ["connect-polling-100", "serverCpuUsPerConnect", "server CPU per connect", "µs", "lower"],
  ["connect-upgrade-seq", "connectsPerSec", "connects/s", "", "higher"],
  ["connect-upgrade-seq", "upgradeMs.p50", "time until upgraded p50", "ms", "lower"],
  ["connect-upgrade-seq", "serverCpuUsPerConnect", "server CPU per connect", "µs", "lower"],
  ["connect-upgrade-100", "connectsPerSec", "connects/s", "", "higher"],
  ["connect-upgrade-100", "upgradeMs.p50", "time until upgraded p50", "ms", "lower"],
  ["connect-upgrade-100", "upgradeMs.p99", "time until upgraded p99", "ms", "lower"],
  ["echo-ws-1", "acksPerSec", "acks/s", "", "higher"],
  ["echo-ws-1", "ackMs.p50", "ack latency p50", "ms", "lower"],
  ["echo-ws-1", "serverCpuUsPerAck", "server CPU per ack", "µs", "lower"],
  ["echo-ws-100", "acksPerSec", "acks/s", "", "higher"],
  ["echo-ws-100", "ackMs.p99", "ack latency p99", "ms", "lower"],
  ["echo-ws-100", "serverCpuUsPerAck", "server CPU per ack", "µs", "lower"],
  ["echo-polling-1", "acksPerSec", "acks/s", "", "higher"],
  ["echo-polling-1", "serverCpuUsPerAck", "server CPU per ack", "µs", "lower"],
  ["echo-polling-100", "acksPerSec", "acks/s", "", "higher"],
  ["echo-polling-100", "ackMs.p99", "ack latency p99", "ms", "lower"],
  ["echo-polling-100", "serverCpuUsPerAck", "server CPU per ack", "µs", "lower"],
  ["broadcast-1000-seq", "deliveriesPerSec", "deliveries/s", "", "higher"],
  ["broadcast-1000-seq", "fanoutMs.p50", "fan-out completion p50", "ms", "lower"],
  ["broadcast-1000-seq", "fanoutMs.p99", "fan-out completion p99", "ms", "lower"],
  ["broadcast-1000-seq", "serverCpuUsPerDelivery", "server CPU per delivery", "µs", "lower"],
  ["broadcast-1000-10", "deliveriesPerSec", "deliveries/s", "", "higher"],
  ["broadcast-1000-10", "fanoutMs.p99", "fan-out completion p99", "ms", "lower"],
  ["broadcast-1000-10", "serverCpuUsPerDelivery", "server CPU per delivery", "µs", "lower"],
  ["room-1000", "deliveriesPerSec", "deliveries/s", "", "higher"],
  ["room-1000", "fanoutMs.p99", "fan-out completion p99", "ms", "lower"],
  ["room-1000", "serverCpuUsPerDelivery", "server CPU per delivery", "µs", "lower"],
  ...["cluster-broadcast-1000-seq", "cluster-broadcast-1000-10"].flatMap((c) => [
    [c, "deliveriesPerSec", "deliveries/s", "", "higher"],
    [c, "fanoutMs.p50", "fan-out completion p50", "ms", "lower"],
    [c, "fanoutMs.p99", "fan-out completion p99", "ms", "lower"],
    [c, "serverCpuUsPerDelivery", "CPU per delivery, 2 nodes + Redis", "µs", "lower"],
    [c, "cpuUsPerDeliveryByProcess.node A", "of which node A (the sender's)", "µs", "lower"],
    [c, "cpuUsPerDeliveryByProcess.node B", "of which node B", "µs", "lower"],
    [c, "cpuUsPerDeliveryByProcess.redis", "of which redis-server", "µs", "lower"],
    [c, "cpu.othersOnServerCpuPct", "others' load on the servers' CPU 0 (shared machine)", "%", "lower"],
  ]),
  ["c100k", "connected", "clients connected", "", "higher"],
  ["c100k", "connectsPerSec", "connects/s (JWT verified on each)", "", "higher"],
  ["c100k", "dropped", "clients dropped", "", "lower"],
  ["c100k", "heartbeats.late", "clients with a heartbeat late (> pingInterval + pingTimeout)", "", "lower"],
  ["c100k", "heartbeats.longestWaitMs", "longest wait for a ping", "ms", "lower"],
  ["c100k", "heapAfterGcMB", "heap after GC, all held", "MB", "lower"],
  ["c100k", "rssMB", "RSS, all held", "MB", "lower"],
  ["c100k", "serverCpuUsPerIdleConnPerMin", "server CPU per idle connection per minute", "µs", "lower"],
  ["c100k", "broadcastToAllMs", "one broadcast to all (median)", "ms", "lower"],
  ["c100k", "broadcastToAllMaxMs", "one broadcast to all (slowest)", "ms", "lower"],
  ["c100k", "serverCpuUsPerDelivery", "server CPU per broadcast delivery", "µs", "lower"],
  ["chat-connect-100", "connectsPerSec", "connects/s", "", "higher"],
  ["chat-connect-100", "connectMs.p99", "connect latency p99", "ms", "lower"],
  ["chat-connect-100", "serverCpuUsPerConnect", "server CPU per connect", "µs", "lower"],
  ["chat-connect-100", "serverCpuUsPerConnectWithoutJit", "… without the JIT compiler threads", "µs", "lower"],
  ["chat-room-1000", "deliveriesPerSec", "deliveries/s", "", "higher"],
  ["chat-room-1000", "fanoutMs.p99", "fan-out completion p99", "ms", "lower"],
  ["chat-room-1000", "serverCpuUsPerDelivery", "server CPU per delivery", "µs", "lower"],
  ["chat-room-1000", "serverCpuUsPerDeliveryWithoutJit", "… without the JIT compiler threads", "µs", "lower"],
  ["chat-room-1000", "serverCpuUsPerMessage", "server CPU per message", "µs", "lower"],
  ["chat-room-1000", "historyWriterCpuUsPerMessage", "of which the history writer's thread", "µs", "lower"],
  ["idle-memory", "rssSlopeKBPer1000", "RSS per 1 000 idle clients", "KB", "lower"],
  ["idle-memory", "heapSlopeKBPer1000", "heap after GC per 1 000 idle clients", "KB", "lower"],
  ["idle-memory", "heapAfterGcMB", "heap after GC at 10 000", "MB", "lower"],
  ["idle-memory", "rssMB", "RSS at 10 000", "MB", "lower"],
];

// The issue's targets. ratio: Switchboard/Node of the medians; abs: Switchboard's median alone.
export const TARGETS = [
  { id: "cpu-ack", scenario: "echo-ws-100", metric: "serverCpuUsPerAck", ratio: "<=", value: 0.6, text: "server CPU per ack ≤ 0.6× Node" },
  { id: "cpu-delivery", scenario: "broadcast-1000-seq", metric: "serverCpuUsPerDelivery", ratio: "<=", value: 0.6, text: "server CPU per delivered broadcast packet ≤ 0.6× Node (one at a time)" },
  { id: "cpu-delivery-10", scenario: "broadcast-1000-10", metric: "serverCpuUsPerDelivery", ratio: "<=", value: 0.6, text: "server CPU per delivered broadcast packet ≤ 0.6× Node (10 in flight)" },
  { id: "echo-100", scenario: "echo-ws-100", metric: "acksPerSec", ratio: ">=", value: 1.5, text: "echo acks/s with 100 clients ≥ 1.5× Node" },
  { id: "bcast-seq", scenario: "broadcast-1000-seq", metric: "deliveriesPerSec", ratio: ">=", value: 1.5, text: "broadcast to 1 000, one at a time: deliveries/s ≥ 1.5× Node" },
  { id: "bcast-10", scenario: "broadcast-1000-10", metric: "deliveriesPerSec", ratio: ">=", value: 2, text: "broadcast to 1 000, 10 in flight: deliveries/s ≥ 2× Node" },
  { id: "fanout-p99", scenario: "broadcast-1000-seq", metric: "fanoutMs.p99", ratio: "<=", value: 1, text: "fan-out completion p99 ≤ Node's (one at a time)" },
  { id: "fanout-p99-10", scenario: "broadcast-1000-10", metric: "fanoutMs.p99", ratio: "<=", value: 1, text: "fan-out completion p99 ≤ Node's (10 in flight)" },
  { id: "cpu-connect", scenario: "connect-ws-100", metric: "serverCpuUsPerConnect", ratio: "<=", value: 0.5, text: "server CPU per connect ≤ 0.5× Node (WebSocket, 100 in flight)" },
  { id: "upgrade", scenario: "connect-upgrade-seq", metric: "upgradeMs.p50", abs: "<=", value: 25, text: "polling→WebSocket upgrade completes in ≤ 25 ms at p50" },
  { id: "idle-mem", scenario: "idle-memory", metric: "rssSlopeKBPer1000", ratio: "<=", value: 0.5, text: "idle memory (RSS) per 1 000 WebSocket clients ≤ 0.5× Node" },
  { id: "heap-10k", scenario: "idle-memory", metric: "heapAfterGcMB", abs: "<=", value: 256, text: "10 000 idle connections held with a heap of 256 MB or less (-Xmx256m)" },
  // Issue #10's cluster targets, applied to both cluster scenarios.
  ...[["cluster-broadcast-1000-seq", "one at a time"], ["cluster-broadcast-1000-10", "10 in flight"]].flatMap(([c, how]) => [
    { id: `${c}-rate`, scenario: c, metric: "deliveriesPerSec", ratio: ">=", value: 2, text: `cluster broadcast (2 nodes + Redis, ${how}): deliveries/s ≥ 2× Node` },
    { id: `${c}-cpu`, scenario: c, metric: "serverCpuUsPerDelivery", ratio: "<=", value: 0.5, text: `cluster broadcast (2 nodes + Redis, ${how}): CPU per delivery ≤ 0.5× Node` },
  ]),
  // Issue #11, chat scenarios: `variant` is a ratio between jars of --chat-jars, not to Node: the
  // jar named `after` against the first of `base` that ran (run.mjs, chatSummary).
  { id: "chat-connect-cpu", scenario: "chat-connect-100", metric: "serverCpuUsPerConnect", variant: "<=", value: 1.2, base: ["before"], text: "chat connect: server CPU per connect ≤ 1.2× before #11 (issue #11)" },
  { id: "chat-room-rate", scenario: "chat-room-1000", metric: "deliveriesPerSec", variant: ">=", value: 0.9, base: ["nohistory", "before"], text: "chat room broadcast: deliveries/s ≥ 0.9× without history (issue #11: at most 10 % slower)" },
  { id: "chat-room-cpu", scenario: "chat-room-1000", metric: "serverCpuUsPerDelivery", variant: "<=", value: 1.1, base: ["nohistory", "before"], text: "chat room broadcast: server CPU per delivery ≤ 1.1× without history" },
  { id: "polling-echo", scenario: "echo-polling-100", metric: "acksPerSec", ratio: ">=", value: 1.5, text: "polling-only echo (100 clients) ≥ 1.5× Node" },
];
