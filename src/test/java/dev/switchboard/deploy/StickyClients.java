package dev.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.NodeScripts;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code conformance/deploy/sticky-clients.mjs}: the official socket.io-client against
 * a URL (the proxy). {@link #result()} waits for the script's one {@code result} line; its clients
 * stay connected until {@link #close()}, so the test can look at the nodes in between.
 *
 * <pre>{@code
 * try (StickyClients run = StickyClients.start(proxy.url(), "polling-session", 5)) {
 *   JsonNode result = run.result();
 * }
 * }</pre>
 *
 * <p>Called by the test thread only.
 */
final class StickyClients implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String what;
  private final Process process;
  private final BufferedReader stdout;
  private final File stderr;

  private StickyClients(String what, Process process, File stderr) {
    this.what = what;
    this.process = process;
    this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.stderr = stderr;
  }

  /** Starts {@code scenario} (with {@code args}) against {@code url}. */
  static StickyClients start(String url, String scenario, Object... args) throws Exception {
    NodeScripts.ensureInstalled();
    List<String> command = new ArrayList<>(List.of("node", "deploy/sticky-clients.mjs", scenario));
    for (Object a : args) command.add(String.valueOf(a));
    ProcessBuilder pb = new ProcessBuilder(command).directory(NodeScripts.conformanceDir().toFile());
    pb.environment().put("SERVER_URL", url);
    File err = File.createTempFile("sticky-clients-", ".txt");
    pb.redirectError(err);
    return new StickyClients(String.join(" ", command), pb.start(), err);
  }

  /**
   * The script's result, once it has printed it (it gives up by itself after 15 s, which ends
   * its output); fails with the script's own words when it failed instead.
   */
  JsonNode result() throws IOException {
    String line;
    while ((line = stdout.readLine()) != null) {
      if (line.startsWith("result ")) return JSON.readTree(line.substring("result ".length()));
    }
    throw new AssertionError(what + " printed no result: " + Files.readString(stderr.toPath()));
  }

  /** Closes the script's stdin (its clients disconnect) and waits for it to exit. */
  @Override
  public void close() throws Exception {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } finally {
      Files.deleteIfExists(stderr.toPath());
    }
  }
}
