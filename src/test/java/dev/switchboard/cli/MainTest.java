package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line's answers that start no server: help, and refused options. */
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
    assertEquals("switchboard: Unknown option: --prot (see --help)\n", err().replace("\r\n", "\n"));
  }

  @Test
  void theOtherServersRefuseUnknownOptionsToo() throws Exception {
    assertEquals(2, run("bench-server", "--verbose"));
    assertTrue(err().contains("Unknown option: --verbose"), err());
    err.reset();
    assertEquals(2, run("conformance", "socket.io", "--prot", "1"));
    assertTrue(err().contains("Unknown option: --prot"), err());
  }

  @Test
  void anUnknownCommandIsRefusedWithTheUsage() throws Exception {
    assertEquals(2, run("serve-everything"));
    assertTrue(err().startsWith("Unknown command: serve-everything"), err());
    assertTrue(err().contains("Usage:"));
  }
}
