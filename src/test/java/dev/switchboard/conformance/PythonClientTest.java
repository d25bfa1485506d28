package dev.switchboard.conformance;


import dev.switchboard.socketio.SocketIoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * python-socketio, Debian's {@code python3-socketio} (5.7), as a third-party client (issue #12):
 * each scenario of {@code conformance/python/client.py} against a fresh server — polling,
 * WebSocket, the upgrade, auth, binary and acks both ways, a second namespace, a refused
 * handshake with its data, a server-side disconnect, and reconnection to a restarted server. The
 * scenarios mostly wait on a Python
 * interpreter starting, so the class runs beside the sequential rest of the suite.
 */
@Execution(ExecutionMode.CONCURRENT)
class PythonClientTest {
  private static final String INSTALL = "python-socketio is missing: install it with "
      + "`apt-get install python3-socketio python3-websocket python3-requests` (.ci/run does)";
  private SocketIoServer io;

  @BeforeEach
  void start() throws Exception {
    io = ThirdPartyClientApp.start();
  }

  @AfterEach
  void stop() {
    io.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket", "upgrade", "namespaces", "refused", "server-disconnect"})
  void scenario(String name) throws Exception {
    Path script = NodeRunner.conformanceDir().resolve("python/client.py");
    Process p = new ProcessBuilder(python(), script.toString(), "http://127.0.0.1:" + io.port(), name)
        .redirectErrorStream(true).start();
    ScenarioScripts.assertPassed(name, p, "");
  }

  /**
   * Reconnection: the client connects, the server goes away (its sessions closed, no Socket.IO
   * DISCONNECT, as Node's {@code io.close()}) and a new one starts on the same port; the client
   * reconnects by itself into a new session and its acks work again.
   */
  @Test
  void reconnectsAfterTheServerRestartsOnItsPort() throws Exception {
    int port = io.port();
    Path script = NodeRunner.conformanceDir().resolve("python/client.py");
    Process p = new ProcessBuilder(python(), script.toString(), "http://127.0.0.1:" + port, "reconnection")
        .redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    // Not closed here: the rest of the output (after its end, nothing) is read by assertPassed.
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    // The script gives up on its own within its 10 s waits, so this read ends either way.
    for (String line; (line = lines.readLine()) != null; ) {
      out.append(line).append('\n');
      if (line.equals("CONNECTED")) {
        io.close();
        io = ThirdPartyClientApp.start(port);
      }
    }
    ScenarioScripts.assertPassed("reconnection", p, out.toString());
  }

  /** Debian's interpreter, where python3-socketio lives (a pyenv python3 on the PATH may not see it). */
  private static String python() throws IOException, InterruptedException {
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      if (candidate.startsWith("/") && !Files.isExecutable(Path.of(candidate))) continue;
      Process probe = new ProcessBuilder(candidate, "-c", "import socketio, websocket, requests")
          .redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) return candidate;
    }
    throw new AssertionError(INSTALL);
  }
}
