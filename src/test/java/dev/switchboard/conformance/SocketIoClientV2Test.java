package dev.switchboard.conformance;


import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.NodeScripts;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * socket.io-client 2.5 from npm (Engine.IO protocol 3, Socket.IO protocol 4; the
 * {@code socket.io-client-v2} alias in {@code conformance/package.json}) against a server with
 * {@code allowEIO3} (issue #12): each scenario of {@code conformance/eio3/client-v2.mjs} against a
 * fresh {@link Eio3ClientApp} — polling (in Node this client asks {@code b64=1}, so binary
 * travels as {@code b4} + base64; {@link JavaClientV1Test} covers binary payloads), WebSocket
 * (type-byte frames), the upgrade, forced base64 ({@code forceBase64}) on both transports, the client-driven heartbeat, acks both
 * ways, a second namespace with its CONNECT query, refusals, the token in the query and in an
 * {@code Authorization} header, and reconnection. The scenarios mostly wait on Node starting, so
 * the class runs beside the sequential rest of the suite.
 */
@Execution(ExecutionMode.CONCURRENT)
class SocketIoClientV2Test {
  private SocketIoServer io;

  @BeforeEach
  void start() throws Exception {
    NodeScripts.ensureInstalled();
    io = Eio3ClientApp.start();
  }

  @AfterEach
  void stop() {
    io.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket", "upgrade", "heartbeat", "base64-polling", "base64-websocket",
      "auth-header", "refused", "namespaces", "namespace-refused", "reconnection"})
  void scenario(String name) throws Exception {
    Path script = NodeScripts.conformanceDir().resolve("eio3/client-v2.mjs");
    Process p = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + io.port(), name)
        .directory(NodeScripts.conformanceDir().toFile()).redirectErrorStream(true).start();
    ScenarioScripts.assertPassed(name, p, "");
  }
}
