package dev.switchboard.conformance;

import dev.switchboard.cli.EchoApplication;
import dev.switchboard.engineio.EngineIoHost;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.protocol.SocketIoParser;
import java.time.Duration;

/**
 * The test applications the Node scenarios talk to, as conformance/README.md specifies them.
 * Each runs on a free port; {@link Running#restart()} stops it and starts a fresh one on the same
 * port (for the reconnection scenarios).
 */
final class TestApps {
  private TestApps() {}

  interface Running extends AutoCloseable {
    String url();

    void restart() throws Exception;

    /** A {@code CONTROL} command other than restart-server. */
    default void control(String command) throws Exception {
      throw new AssertionError("unknown CONTROL command: " + command);
    }

    @Override
    void close();
  }

  static Running start(String suite, String scenario) throws Exception {
    return switch (suite) {
      case "engine.io" -> new EngineIo(0);
      // Recovery appends an offset to every event, so only its scenario runs with it (as on Node).
      case "socket.io" -> SocketIoApp.start(0, scenario.contains("state recovery"));
      case "chat" -> new ChatApp();
      // socket.io-client 4.8 with socket.io-msgpack-parser: the same application, parser msgpack.
      case "socket.io-msgpack" -> SocketIoApp.start(0, scenario.contains("state recovery"), SocketIoParser.MSGPACK);
      // socket.io-client 3.1: the same application as for 4.8.
      case "socket.io-v3" -> SocketIoApp.start(0, false);
      default -> throw new IllegalArgumentException(suite);
    };
  }

  /** The engine.io-protocol suite's echo server, plus {@code __server_close__}. */
  static final class EngineIo implements Running {
    private EngineIoHost host;
    private final int port;

    EngineIo(int port) throws Exception {
      host = startHost(port);
      this.port = host.port();
    }

    private static EngineIoHost startHost(int port) throws Exception {
      return EngineIoHost.start(NetOptions.builder().host("127.0.0.1").port(port).build(),
          EngineIoOptions.builder().path("/engine.io/")
              .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200)).build(),
          new EchoApplication(), null, null);
    }

    @Override
    public String url() {
      return "http://127.0.0.1:" + port;
    }

    @Override
    public void restart() throws Exception {
      host.close();
      host = startHost(port);
    }

    @Override
    public void close() {
      host.close();
    }
  }
}
