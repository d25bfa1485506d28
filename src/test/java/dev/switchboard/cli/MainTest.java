package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's answers that start no server: help, refused options, a port already taken. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsTheUsageInsteadOfStartingTheServer() throws Exception {
    for (String flag : List.of("--help", "-h", "help")) {
      out.reset();
      assertEquals(0, run(flag), flag);
      assertTrue(out().startsWith("Usage: java -jar target/switchboard.jar"), flag + ": " + out());
    }
    out.reset();
    assertEquals(0, run("--port", "0", "--help"));
    assertTrue(out().contains("Commands:"));
  }

  @Test
  void aMisspeltOptionIsRefusedByName() throws Exception {
    assertEquals(2, run("--prot", "8080"));
    assertEquals("switchboard: unknown option: --prot (see --help)\n", err().replace("\r\n", "\n"));
  }

  @Test
  void aFlagWithoutItsValueSaysWhatIsMissing() throws Exception {
    assertEquals(2, run("--port"));
    assertEquals("switchboard: --port needs a value: --port N\n", err().replace("\r\n", "\n"));
    err.reset();
    assertEquals(2, run("--data-dir", "--port", "0"));
    assertEquals("switchboard: --data-dir needs a value: --data-dir D\n", err().replace("\r\n", "\n"));
    err.reset();
    assertEquals(2, run("bench-server", "--node-id"));
    assertEquals("switchboard: --node-id needs a value: --node-id ID\n", err().replace("\r\n", "\n"));
  }

  @Test
  void aTakenPortIsNamedAndTheDataDirectoryGetsNoKey(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Path data = dir.resolve("data");
      int code = Main.run(List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--data-dir", data.toString()),
          Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(3, code, err());
      assertEquals("switchboard: cannot listen on 127.0.0.1:" + port + ": address already in use (another process "
          + "listens there; choose another port with --port or PORT)\n", err().replace("\r\n", "\n"));
      assertFalse(Files.exists(data.resolve("jwt-secret")), "the key is written only once the port is bound");
      assertEquals("", out());
    }
  }

  @Test
  void theOtherServersNameATakenPortToo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertEquals(3, run("bench-server", "--port", String.valueOf(port)));
      assertTrue(err().startsWith("switchboard: cannot listen on 127.0.0.1:" + port + ": address already in use"), err());
      err.reset();
      assertEquals(3, run("conformance", "engine.io", "--host", "127.0.0.1", "--port", String.valueOf(port)));
      assertTrue(err().startsWith("switchboard: cannot listen on 127.0.0.1:" + port + ": address already in use"), err());
    }
  }

  @Test
  void theHelpListsEveryFlagTheServerReadsAlignedInColumns() throws Exception {
    Options chat = new Options(List.of(), Map.of());
    ServerConfig.from(chat, Map.of());
    String help = Main.usage();
    for (String flag : chat.asked()) {
      assertTrue(help.contains("--" + flag + " ") || help.contains("--" + flag + "\n"), "--help lacks --" + flag);
    }
    for (String word : List.of("--login-max-failures N", "--login-window D", "--no-registration", "--database-url U",
        "--redis-url U", "--adapter A", "/healthz", "/metrics", "Exit codes:", "LOG_LEVEL")) {
      assertTrue(help.contains(word), "--help lacks " + word);
    }
    List<String> lines = help.lines().toList();
    int port = lines.stream().filter(l -> l.startsWith("  --port N ")).findFirst().orElseThrow().indexOf("PORT");
    String window = lines.stream().filter(l -> l.startsWith("  --login-window D ")).findFirst().orElseThrow();
    assertEquals(port, window.indexOf("LOGIN_WINDOW"), "the variables' column is aligned:\n" + help);
    assertEquals(lines.get(lines.indexOf(window) - 1).indexOf("5 "), window.indexOf("15m "), help);
  }

  @Test
  void theLogFormatIsLeftToTheEmbedderWhenTheCommandLineRunsInProcess() throws Exception {
    Logger root = Logger.getLogger("");
    List<Handler> before = List.of(root.getHandlers());
    assertEquals(0, run("--help"));
    assertEquals(before, List.of(root.getHandlers()), "only Main.main installs LogFormat");
  }

  @Test
  void theOtherServersRefuseUnknownOptionsToo() throws Exception {
    assertEquals(2, run("bench-server", "--verbose"));
    assertTrue(err().contains("unknown option: --verbose"), err());
    err.reset();
    assertEquals(2, run("conformance", "socket.io", "--prot", "1"));
    assertTrue(err().contains("unknown option: --prot"), err());
  }

  @Test
  void anUnknownCommandIsRefusedWithTheUsage() throws Exception {
    assertEquals(2, run("serve-everything"));
    assertEquals("switchboard: unknown command: serve-everything (see --help)\n", err().replace("\r\n", "\n"));
  }
}
