package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.RawHttpClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A program whose main ends with {@code io.listen(port)} keeps serving, as a Node program ending in
 * {@code io.listen(3000)} does (the README's example; issue #12's embedding API).
 */
class ListenKeepsTheJvmAliveTest {

  /** The README example's shape: listen, then main returns. */
  public static final class ListenThenReturn {
    public static void main(String[] args) throws Exception {
      SocketIoServer io = new SocketIoServer();
      io.onConnection(socket -> socket.on("ping", (a, ack) -> ack.send("pong")));
      io.listen(dev.switchboard.net.NetOptions.builder().host("127.0.0.1").port(0).build());
      System.out.println("port " + io.port());
      System.out.println("main returns");
    }
  }

  @Test
  void aServerListeningWhenMainReturnsKeepsServing() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ListenThenReturn.class.getName())
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String portLine = out.readLine();
      assertTrue(portLine != null && portLine.startsWith("port "), String.valueOf(portLine));
      assertEquals("main returns", out.readLine());
      // With daemon I/O threads the JVM exited within milliseconds of main returning.
      assertFalse(p.waitFor(2, TimeUnit.SECONDS), "the JVM exited after main returned");
      int port = Integer.parseInt(portLine.substring(5));
      RawHttpClient.Response r = RawHttpClient.request(port, "GET", "/socket.io/?EIO=4&transport=polling", null);
      assertEquals(200, r.status());
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
