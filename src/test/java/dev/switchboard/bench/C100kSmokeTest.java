package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The C100K scenario (issue #14, {@code bench/run.sh --scenarios c100k}) at 2 000 clients, so the
 * scenario cannot rot: {@code node bench/run.mjs --smoke --scenarios c100k} against this build's
 * bench-server and Node's socket.io app. The clients connect from two generator processes and 254
 * loopback source addresses, each with its own JWT; the servers ping every second
 * ({@code smokeEnv} in {@code bench/scenarios.config.mjs}). Asserts what the full run reports and
 * never a timing: every client connected and held, none dropped, every heartbeat in time for the
 * client to keep its connection, every broadcast reached every client. Skip locally with
 * {@code -Dbench.skip=true}, as {@link BenchSmokeTest}.
 */
class C100kSmokeTest {
  private static final int CLIENTS = 2000;
  private static final int TIMEOUT_S = 240;

  @Test
  void twoThousandAuthenticatedClientsHeldThroughHeartbeatsAndReachedByEveryBroadcastOnBothServers() throws Exception {
    assumeFalse(Boolean.getBoolean("bench.skip"), "benchmark smoke test skipped (-Dbench.skip=true)");
    Path root = BenchSmokeTest.projectDir();
    Path bench = root.resolve("bench");
    BenchSmokeTest.ensureNode(bench);
    Path out = root.resolve("target").resolve("c100k-smoke");

    List<String> javaCmd = new ArrayList<>();
    javaCmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    javaCmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp",
        BenchSmokeTest.testClassPath(), "dev.switchboard.cli.Main"));
    ProcessBuilder pb = new ProcessBuilder("node", "run.mjs", "--smoke", "--scenarios", "c100k", "--out", out.toString(),
        "--java-cmd", new ObjectMapper().writeValueAsString(javaCmd))
        .directory(bench.toFile())
        .redirectErrorStream(true);
    pb.environment().put("JCMD", Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    File log = File.createTempFile("c100k-smoke", ".txt");
    pb.redirectOutput(log);
    Process p = pb.start();
    boolean finished = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
    if (!finished) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    log.delete();
    assertTrue(finished, "c100k smoke did not finish in " + TIMEOUT_S + " s:\n" + output);
    assertEquals(0, p.exitValue(), "c100k smoke failed:\n" + output);

    JsonNode raw = new ObjectMapper().readTree(out.resolve("raw.json").toFile());
    List<String> servers = new ArrayList<>();
    for (JsonNode run : raw.path("runs")) {
      String server = run.path("server").asText();
      servers.add(server);
      assertTrue(run.path("ok").asBoolean(), "run not ok: " + run);
      JsonNode r = run.path("result");
      assertEquals(CLIENTS, r.path("connected").asInt(), server + ": connected, " + r.path("connectErrors"));
      assertEquals(0, r.path("failed").asInt(), server + ": failed connects, " + r.path("connectErrors"));
      assertEquals(2, r.path("workers").asInt(), server + ": generator processes");
      assertEquals(CLIENTS, r.path("heldAtEnd").asInt(), server + ": held at the end, " + r.path("errors"));
      assertEquals(0, r.path("dropped").asInt(), server + ": dropped, " + r.path("errors"));
      JsonNode hb = r.path("heartbeats");
      assertEquals(1000, hb.path("pingIntervalMs").asInt(), server + ": the smoke's ping interval");
      assertEquals(0, hb.path("clientsWithoutPing").asInt(), server + ": clients that never got a ping");
      assertEquals(0, hb.path("late").asInt(), server + ": clients whose ping came later than interval + timeout");
      assertTrue(r.path("broadcastReachedAll").asBoolean(), server + ": broadcasts " + r.path("broadcasts"));
      assertEquals(3, r.path("broadcasts").size(), server + ": broadcasts " + r.path("broadcasts"));
      for (JsonNode b : r.path("broadcasts")) assertEquals(CLIENTS, b.path("reached").asInt(), server + ": " + b);
      assertTrue(r.path("errors").isEmpty(), server + ": client errors " + r.path("errors"));
    }
    assertEquals(List.of("java", "node"), servers.stream().sorted().toList(), "both servers ran");
  }
}
