package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark suite's smoke mode ({@code node bench/run.mjs --smoke}), so the suite cannot rot:
 * every scenario once with small counts against Switchboard's bench-server (this build's classes,
 * started by the orchestrator exactly as {@code java -jar target/switchboard.jar bench-server}) and
 * against Node's socket.io app in {@code bench/}, and the chat server's scenarios against this
 * build's chat server (no subcommand, a fresh data directory). Asserts correctness only — every ack and delivery
 * accounted for, bad tokens refused, the official client's checks — never a timing.
 * Skip locally with {@code -Dbench.skip=true} (CI never does).
 */
class BenchSmokeTest {
  private static final int NPM_CI_TIMEOUT_S = 300;
  private static final int SMOKE_TIMEOUT_S = 240;

  @Test
  void smokeModeAccountsForEveryAckAndDeliveryOnBothServers() throws Exception {
    assumeFalse(Boolean.getBoolean("bench.skip"), "benchmark smoke test skipped (-Dbench.skip=true)");
    Path root = projectDir();
    Path bench = root.resolve("bench");
    ensureNode(bench);
    Path out = root.resolve("target").resolve("bench-smoke");

    List<String> javaCmd = new ArrayList<>();
    javaCmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    javaCmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", testClassPath(),
        "dev.switchboard.cli.Main"));
    String javaCmdJson = new ObjectMapper().writeValueAsString(javaCmd);

    ProcessBuilder pb = new ProcessBuilder("node", "run.mjs", "--smoke", "--out", out.toString(), "--java-cmd", javaCmdJson)
        .directory(bench.toFile())
        .redirectErrorStream(true);
    pb.environment().put("JCMD", Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    File log = File.createTempFile("bench-smoke", ".txt");
    pb.redirectOutput(log);
    Process p = pb.start();
    boolean finished = p.waitFor(SMOKE_TIMEOUT_S, TimeUnit.SECONDS);
    if (!finished) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    log.delete();
    assertTrue(finished, "bench smoke mode did not finish in " + SMOKE_TIMEOUT_S + " s:\n" + output);
    assertEquals(0, p.exitValue(), "bench smoke mode failed:\n" + output);
    assertTrue(output.contains("SMOKE OK"), "no SMOKE OK line:\n" + output);

    // The raw results name every scenario on both servers, each one ok.
    JsonNode raw = new ObjectMapper().readTree(out.resolve("raw.json").toFile());
    List<String> seen = new ArrayList<>();
    for (JsonNode run : raw.path("runs")) {
      assertTrue(run.path("ok").asBoolean(), "run not ok: " + run);
      seen.add(run.path("scenario").asText() + "/" + run.path("server").asText());
    }
    for (String scenario : List.of("correctness", "correctness-jwt", "connect-ws-100", "connect-upgrade-seq",
        "echo-polling-100", "broadcast-1000-10", "room-1000", "idle-memory")) {
      for (String server : List.of("java", "node")) {
        assertTrue(seen.contains(scenario + "/" + server), scenario + " did not run on " + server + ": " + seen);
      }
    }
    // The chat server's scenarios (issue #11) run on the chat server of this build only.
    for (String scenario : List.of("chat-connect-100", "chat-room-1000")) {
      assertTrue(seen.contains(scenario + "/chat:head"), scenario + " did not run on the chat server: " + seen);
    }
  }

  static Path projectDir() {
    String base = System.getProperty("project.basedir");
    return Path.of(base != null ? base : System.getProperty("user.dir")).toAbsolutePath();
  }

  /** The forked test JVM's real class path (surefire puts a manifest-only jar on java.class.path). */
  static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  static void ensureNode(Path bench) throws Exception {
    try {
      run(List.of("node", "--version"), bench, 30);
    } catch (IOException e) {
      throw new AssertionError("Node.js (20 or later) and npm are needed for the benchmark smoke test. Install them, "
          + "e.g. `apt-get install -y nodejs npm`, or skip locally with -Dbench.skip=true.");
    }
    Path lock = bench.resolve("package-lock.json");
    Path marker = bench.resolve("node_modules/.package-lock.json");
    boolean fresh = Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(lock)) >= 0;
    if (!fresh) run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), bench, NPM_CI_TIMEOUT_S);
  }

  private static void run(List<String> command, Path dir, int timeoutSeconds) throws Exception {
    File log = File.createTempFile("bench-cmd", ".txt");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log).start();
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) p.destroyForcibly();
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    log.delete();
    if (!finished || p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
  }
}
