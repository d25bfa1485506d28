package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar switchboard.jar} as a process: the log format {@code Main.main} installs, the
 * listening line, and the shutdown lines on SIGTERM.
 */
class MainProcessTest {
  private static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG|TRACE) \\S+: .*";

  @Test
  void aServerLogsOneLinePerRecordAndSaysWhenItStops(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp", testClassPath(), "dev.switchboard.cli.Main",
        "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString(), "--bcrypt-cost", "4"))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      Await.until("the listening line", Duration.ofSeconds(30), () -> read(out).contains("listening on"));
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped");
      assertEquals(143, p.exitValue(), "the JVM's code for SIGTERM");
    } finally {
      p.destroyForcibly();
    }
    List<String> stdout = read(out).lines().toList();
    assertEquals(3, stdout.size(), stdout.toString());
    assertTrue(stdout.get(0).matches("\\S+Z INFO  ChatServer: listening on http://127\\.0\\.0\\.1:\\d+/"), stdout.get(0));
    assertTrue(stdout.get(1).matches("\\S+Z INFO  ChatServer: stopping"), stdout.get(1));
    assertTrue(stdout.get(2).matches("\\S+Z INFO  ChatServer: stopped in \\d+ ms"), stdout.get(2));
    List<String> stderr = read(err).lines().toList();
    assertTrue(stderr.stream().anyMatch(l -> l.matches("\\S+Z INFO  JwtSecret: generated a new JWT signing key in .*")),
        "java.util.logging in the log format: " + stderr);
    assertTrue(stderr.stream().allMatch(l -> l.matches(LINE)), "one line per record: " + stderr);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** The forked test JVM's real class path (surefire puts a manifest-only jar on java.class.path). */
  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }
}
