package dev.switchboard.cli;

import dev.switchboard.engineio.EngineIoHost;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code conformance engine.io}: the server the official engine.io-protocol test suite expects
 * (its README, "Test suite"): path {@code /engine.io/}, pingInterval 300 ms, pingTimeout 200 ms,
 * maxPayload 1e6, echoing every message, on http://localhost:3000 by default.
 */
final class ConformanceCommand {
  private ConformanceCommand() {}

  static EngineIoOptions engineIoOptions() {
    return EngineIoOptions.DEFAULTS
        .withPath("/engine.io/")
        .withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200))
        .withMaxHttpBufferSize(1_000_000);
  }

  static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      err.println("Usage: conformance engine.io [--port N]");
      return 2;
    }
    Options opts = new Options(args.subList(1, args.size()), System.getenv());
    int port = opts.getInt("port", "PORT", 3000);
    String host = opts.get("host", "HOST", "localhost");
    switch (args.get(0)) {
      case "engine.io": {
        EngineIoHost host0 = EngineIoHost.start(NetOptions.DEFAULTS.withHost(host).withPort(port),
            engineIoOptions(), new EchoApplication(), null, null);
        out.println("Engine.IO conformance server listening on http://" + host + ":" + host0.port() + "/engine.io/");
        out.flush();
        awaitShutdown(host0);
        return 0;
      }
      default:
        err.println("Unknown conformance target: " + args.get(0) + " (expected engine.io)");
        return 2;
    }
  }

  static void awaitShutdown(AutoCloseable server) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception ignored) {
        // exiting anyway
      }
      done.countDown();
    }));
    done.await();
  }
}
