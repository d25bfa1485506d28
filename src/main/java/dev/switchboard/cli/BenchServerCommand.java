package dev.switchboard.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * {@code bench-server}: the benchmark application, the same as {@code bench/node-server.js} does on
 * Node's socket.io, so both are measured doing the same work. Binds 127.0.0.1:{@code PORT}.
 * With {@code --redis-url} (and {@code --adapter}, {@code --redis-key}, {@code
 * --subscription-mode}: {@link ClusterConfig}) it joins a cluster on Redis, as
 * {@code bench/node-server.js} does with {@code REDIS_URL}.
 *
 * <ul>
 *   <li>Handshake: {@code auth.token} must equal {@code bench-secret} (env {@code TOKEN}), or with
 *       {@code AUTH_MODE=jwt} be an HS256 JWT signed with {@code JWT_SECRET} whose {@code exp} is in
 *       the future; otherwise {@code connect_error} "unauthorized".</li>
 *   <li>{@code echo(payload, ack)} acks the payload; {@code broadcast(payload, ack)} emits
 *       {@code bcast} to every socket, then acks {@code true}; {@code join(room, ack)} joins and acks
 *       {@code true}; {@code toRoom(room, payload, ack)} emits {@code roomMsg} to the room, then acks
 *       {@code true}; {@code whoami(ack)} acks {@code {kind: "switchboard", id}}.</li>
 *   <li>Server-side event {@code whoami} (another node's {@code serverSideEmit("whoami", ack)}):
 *       answered with the same {@code {kind: "switchboard", id}}, as
 *       {@code conformance/cluster/node-node.mjs} answers {@code {kind: "node", id}}. The id is
 *       {@code --node-id}/{@code NODE_ID}, or a random {@code bench-<12 hex>} printed at start.</li>
 *   <li>{@code --recovery} ({@code RECOVERY=on}): connection state recovery, one minute.</li>
 *   <li>{@code --non-blocking-handlers on|off} ({@code NON_BLOCKING_HANDLERS}, default on):
 *       {@link EngineIoOptions#nonBlockingHandlers()}. The handlers above never block (no I/O; a
 *       cluster's Redis commands are only queued), so this application may make that promise, as
 *       Node's runs every handler on its one loop; {@code off} measures the default mode.</li>
 *   <li>{@code --ping-interval-ms}/{@code PING_INTERVAL_MS} and {@code --ping-timeout-ms}/{@code
 *       PING_TIMEOUT_MS}: the heartbeat (default 25 000 / 20 000 ms, Node's), as
 *       {@code bench/node-server.js} reads them; the c100k smoke run pings every second. No cap on
 *       Engine.IO sessions below one million (Node has none), so that c100k is not refused at the
 *       default cap of 100 000.</li>
 *   <li>The limits of {@link LimitsConfig} with every per-address cap off ({@link LimitsConfig#OFF}:
 *       a load generator opens thousands of connections from one address); each flag turns one on,
 *       and {@code --max-failed-connects} sets the refused CONNECTs per connection (5).</li>
 *   <li>{@code GET /healthz} ({@link HealthCheck}) and {@code GET /metrics} (sockets, JVM and,
 *       clustered, {@code switchboard_cluster_*}).</li>
 * </ul>
 */
final class BenchServerCommand {
  private BenchServerCommand() {}

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    Running server = open(args, env, err);
    ConformanceCommand.awaitShutdown(server, out, "BenchServer", server.listening());
    return 0;
  }

  /**
   * Parses the flags, joins the cluster if one is configured (waiting for Redis if it is
   * unreachable, see {@link RedisCluster}), starts the server and prints its
   * {@code bench-server listening on …} line.
   *
   * @throws IllegalArgumentException for a bad option or value (exit code 2)
   * @throws Main.CannotListen the port is taken (exit code 3)
   */
  static Running start(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    Running server = open(args, env, err);
    out.println(LogFormat.line(Level.INFO, "BenchServer", server.listening()));
    out.flush();
    return server;
  }

  /** {@link #start} without printing the listening line. */
  private static Running open(List<String> args, Map<String, String> env, PrintStream err) throws Exception {
    Options opts = new Options(args, env);
    int port = opts.getInt("port", "PORT", 3000);
    boolean recovery = ServerConfig.parseSwitch(opts.getSwitch("recovery", "RECOVERY", "off"), "--recovery");
    int pingIntervalMs = opts.getInt("ping-interval-ms", "PING_INTERVAL_MS", 25_000);
    int pingTimeoutMs = opts.getInt("ping-timeout-ms", "PING_TIMEOUT_MS", 20_000);
    boolean nonBlocking = ServerConfig.parseSwitch(
        opts.getSwitch("non-blocking-handlers", "NON_BLOCKING_HANDLERS", "on"), "--non-blocking-handlers");
    EngineIoOptions engine = EngineIoOptions.builder().pingInterval(Duration.ofMillis(pingIntervalMs))
        .pingTimeout(Duration.ofMillis(pingTimeoutMs)).maxSessions(1_000_000).nonBlockingHandlers(nonBlocking).build();
    String nodeId = opts.get("node-id", "NODE_ID", null);
    if (nodeId == null || nodeId.isBlank()) nodeId = randomNodeId();
    ClusterConfig clusterConfig = ClusterConfig.from(opts);
    LimitsConfig limits = LimitsConfig.from(opts, LimitsConfig.OFF); // per-address caps off unless asked for
    opts.rejectUnknown();
    Middleware auth = authMiddleware(env); // a bad AUTH_MODE setting stops us before Redis is waited for
    RedisCluster cluster = clusterConfig.clustered() ? RedisCluster.open(clusterConfig, err) : null;
    SocketIoServer io;
    try {
      io = start(port, auth, recovery, nodeId.trim(), cluster, engine, limits);
    } catch (java.net.BindException e) {
      if (cluster != null) cluster.close();
      throw new Main.CannotListen("127.0.0.1", port, e);
    } catch (Exception | Error e) {
      if (cluster != null) cluster.close();
      throw e;
    }
    String listening = "bench-server listening on http://127.0.0.1:" + io.port()
        + " (node " + nodeId.trim() + (recovery ? ", connection state recovery" : "")
        + (cluster == null ? "" : ", " + clusterConfig.adapter().flagValue + " adapter on " + cluster.maskedUrl()) + ")";
    return new Running(io, cluster, nodeId.trim(), listening);
  }

  /**
   * A started bench-server and the line that says where it listens; closing it closes the server,
   * then its Redis link.
   */
  record Running(SocketIoServer io, RedisCluster cluster, String nodeId, String listening) implements AutoCloseable {
    @Override
    public void close() {
      io.close();
      if (cluster != null) cluster.close();
    }
  }

  /** Six random bytes in hex, as {@code bench-…}: a node without {@code --node-id} still has a name. */
  private static String randomNodeId() {
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    return "bench-" + HexFormat.of().formatHex(b);
  }

  private static SocketIoServer start(int port, Middleware auth, boolean recovery, String nodeId, RedisCluster cluster,
      EngineIoOptions engine, LimitsConfig limits) throws Exception {
    SocketIoOptions.Builder options = limits.applyTo(SocketIoOptions.builder()
        .net(limits.applyTo(NetOptions.builder().host("127.0.0.1")).build())
        .engine(limits.applyTo(engine.toBuilder()).build()));
    // As conformance/cluster/node-node.mjs --recovery: connectionStateRecovery with a one-minute
    // maxDisconnectionDuration, middlewares skipped for a recovered socket (Node's default).
    if (recovery) options.recovery(SocketIoOptions.Recovery.builder().maxDisconnectionDuration(Duration.ofMinutes(1)).build());
    if (cluster != null) options.adapter(cluster.adapterFactory());
    SocketIoServer io = new SocketIoServer(options.build());
    ObjectNode identity = JsonNodeFactory.instance.objectNode().put("kind", "switchboard").put("id", nodeId);
    // The node's identity for a cluster driven from outside: answered to another node's
    // serverSideEmit("whoami", ack) (node-node.mjs answers {kind: "node", id}), and to a client.
    io.onServerSideEmit("whoami", (a, ack) -> ack.send(identity.deepCopy()));
    io.use(auth);
    io.onConnection(socket -> {
      socket.on("echo", (a, ack) -> ack.send(a.get(0)));
      socket.on("broadcast", (a, ack) -> {
        io.emit("bcast", a.get(0));
        ack.send(true);
      });
      socket.on("join", (a, ack) -> {
        String room = a.getString(0);
        if (room != null) socket.join(room);
        ack.send(room != null);
      });
      socket.on("toRoom", (a, ack) -> {
        String room = a.getString(0);
        if (room != null) io.to(room).emit("roomMsg", a.get(1));
        ack.send(room != null);
      });
      socket.on("whoami", (a, ack) -> ack.send(identity.deepCopy()));
    });
    io.route(HealthCheck.PATH, new HealthCheck());
    Metrics metrics = new Metrics()
        .gauge("switchboard_sockets_connected", "Connected Socket.IO sockets on the main namespace.",
            () -> io.sockets().sockets().size())
        .jvm();
    if (cluster != null) cluster.addMetrics(metrics, io.sockets());
    LimitsConfig.addMetrics(metrics, io);
    io.route("/metrics", metrics);
    try {
      return io.listen(port);
    } catch (Exception | Error e) {
      io.close();
      throw e;
    }
  }

  private static Middleware authMiddleware(Map<String, String> env) throws Exception {
    if ("jwt".equalsIgnoreCase(env.getOrDefault("AUTH_MODE", ""))) {
      String secret = env.get("JWT_SECRET");
      if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
        throw new IllegalArgumentException("AUTH_MODE=jwt needs JWT_SECRET of at least 32 bytes");
      }
      MACVerifier verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
      return (socket, next) -> {
        String token = socket.handshake().auth().path("token").asText("");
        try {
          SignedJWT jwt = SignedJWT.parse(token);
          Date exp = jwt.getJWTClaimsSet().getExpirationTime();
          if (JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) && jwt.verify(verifier)
              && exp != null && exp.after(new Date())) {
            next.proceed();
            return;
          }
        } catch (Exception e) {
          // falls through to the refusal
        }
        next.fail(new ConnectError("unauthorized"));
      };
    }
    String expected = env.getOrDefault("TOKEN", "bench-secret");
    return (socket, next) -> {
      if (expected.equals(socket.handshake().auth().path("token").asText(null))) next.proceed();
      else next.fail(new ConnectError("unauthorized"));
    };
  }
}
