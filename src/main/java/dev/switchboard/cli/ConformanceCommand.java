package dev.switchboard.cli;

import dev.switchboard.engineio.EngineIoHost;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

/**
 * The servers the official protocol test suites expect (each repository's README, "Test suite"),
 * on http://localhost:3000 by default:
 * <ul>
 *   <li>{@code conformance engine.io}: path {@code /engine.io/}, pingInterval 300 ms, pingTimeout
 *       200 ms, maxPayload 1e6, echoing every message;</li>
 *   <li>{@code conformance socket.io}: path {@code /socket.io/}, the same heartbeat, connectTimeout
 *       1 s; on connection emit {@code auth} with the handshake's auth payload (on "/" and
 *       "/custom"); on "/" answer {@code message} with {@code message-back} and the same arguments,
 *       and ack {@code message-with-ack} with its arguments; {@code GET /healthz}; with
 *       {@code --redis-url} ({@link ClusterConfig}) on a Redis adapter.</li>
 * </ul>
 */
final class ConformanceCommand {
  private ConformanceCommand() {}

  static EngineIoOptions engineIoOptions() {
    return EngineIoOptions.builder()
        .path("/engine.io/")
        .pingInterval(Duration.ofMillis(300))
        .pingTimeout(Duration.ofMillis(200))
        .maxHttpBufferSize(1_000_000)
        .build();
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      err.println(Main.say("conformance needs a target: conformance engine.io|socket.io [--port N]"));
      return Help.USAGE;
    }
    Options opts = new Options(args.subList(1, args.size()), env);
    int port = opts.getInt("port", "PORT", 3000);
    String host = opts.get("host", "HOST", "localhost");
    // Only the Socket.IO server can join a cluster; for engine.io the flags are unknown ones.
    ClusterConfig clusterConfig = args.get(0).equals("socket.io") ? ClusterConfig.from(opts) : ClusterConfig.NONE;
    opts.rejectUnknown();
    switch (args.get(0)) {
      case "engine.io": {
        EngineIoHost host0;
        try {
          host0 = EngineIoHost.start(NetOptions.builder().host(host).port(port).build(),
              engineIoOptions(), new EchoApplication(), null, null);
        } catch (java.net.BindException e) {
          throw new Main.CannotListen(host, port, e);
        }
        awaitShutdown(host0, out, "Conformance",
            "Engine.IO conformance server listening on http://" + host + ":" + host0.port() + "/engine.io/");
        return 0;
      }
      case "socket.io": {
        RedisCluster cluster = clusterConfig.clustered() ? RedisCluster.open(clusterConfig, err) : null;
        SocketIoServer io;
        try {
          io = socketIoServer(host, port, cluster);
        } catch (java.net.BindException e) {
          if (cluster != null) cluster.close();
          throw new Main.CannotListen(host, port, e);
        } catch (Exception | Error e) {
          if (cluster != null) cluster.close();
          throw e;
        }
        awaitShutdown(new Serving(io, cluster), out, "Conformance",
            "Socket.IO conformance server listening on http://" + host + ":" + io.port() + "/socket.io/"
            + (cluster == null ? "" : " (" + clusterConfig.adapter().flagValue + " adapter on " + cluster.maskedUrl() + ")"));
        return 0;
      }
      default:
        err.println(Main.say("unknown conformance target: " + args.get(0) + " (expected engine.io or socket.io)"));
        return Help.USAGE;
    }
  }

  /**
   * The socket.io-protocol suite's reference application, started on {@code host:port}, with
   * {@code /healthz}; on {@code cluster}'s adapter when it is not null (the caller closes it after
   * the server).
   */
  static SocketIoServer socketIoServer(String host, int port, RedisCluster cluster) throws java.io.IOException {
    SocketIoOptions.Builder options = SocketIoOptions.builder()
        .engine(EngineIoOptions.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
            .maxHttpBufferSize(1_000_000).build())
        .connectTimeout(Duration.ofMillis(1000))
        .net(NetOptions.builder().host(host).build());
    if (cluster != null) options.adapter(cluster.adapterFactory());
    SocketIoServer io = new SocketIoServer(options.build());
    io.route(HealthCheck.PATH, new HealthCheck());
    io.onConnection(socket -> {
      socket.emit("auth", socket.handshake().auth());
      socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
      socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
    });
    io.of("/custom").onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
    try {
      return io.listen(port);
    } catch (java.io.IOException | RuntimeException e) {
      io.close();
      throw e;
    }
  }

  /** A Socket.IO server and its Redis link (null when alone), closed in that order. */
  private record Serving(SocketIoServer io, RedisCluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      io.close();
      if (cluster != null) cluster.close();
    }
  }

  /**
   * Prints {@code listening} (the server's address) on {@code out} once the shutdown hook is in
   * place, blocks until the JVM is told to stop (SIGTERM, Ctrl-C), then closes {@code server} and prints
   * {@code stopping} and {@code stopped in N ms} on {@code out} in the log format, as {@code logger}.
   * Written straight to {@code out}, not through java.util.logging: the LogManager's own shutdown
   * hook may already have removed every handler by then (hooks run in no particular order).
   */
  static void awaitShutdown(AutoCloseable server, PrintStream out, String logger, String listening)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long start = System.nanoTime();
      out.println(LogFormat.line(Level.INFO, logger, "stopping"));
      out.flush();
      try {
        server.close();
      } catch (Exception e) {
        out.println(LogFormat.line(Level.WARNING, logger, "stopping: " + e)); // exiting anyway
      }
      out.println(LogFormat.line(Level.INFO, logger, "stopped in " + (System.nanoTime() - start) / 1_000_000 + " ms"));
      out.flush();
      done.countDown();
    }, "switchboard-shutdown"));
    // Only now: a script that stops the server as soon as it reads this line finds the hook in place.
    out.println(LogFormat.line(Level.INFO, logger, listening));
    out.flush();
    done.await();
  }
}
