package dev.switchboard.cluster.redis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testing.NodeScripts;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Node script of {@code conformance/cluster/} driven by JSON lines (node-node.mjs,
 * client-host.mjs): it prints one line saying it is ready, then answers each command
 * {@code {"id": n, "op": "...", ...}} with {@code result {"id": n, "ok": true, "value": ...}} (or
 * {@code "ok": false, "error": "..."}). Commands may be in flight together; answers are matched by
 * id. The script's stderr (and any stdout line that is not a result) is kept in a temporary file
 * and shown when something fails.
 *
 * <p>Threading: {@link #call} from any thread; one daemon thread reads the script's output.
 */
class JsonLineProcess implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READY_DEADLINE = Duration.ofSeconds(30);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(20);

  private final String name;
  private final Process process;
  private final OutputStream stdin;
  private final File log;
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private final List<String> otherLines = new ArrayList<>();

  /**
   * Starts {@code node <script> args…} in conformance/ and waits for its first stdout line that
   * starts with {@code readyPrefix}, which {@link #readyLine()} then returns.
   */
  JsonLineProcess(String name, String script, List<String> args, String readyPrefix) throws Exception {
    NodeScripts.ensureInstalled();
    this.name = name;
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(args);
    this.log = File.createTempFile("switchboard-" + name.replaceAll("[^A-Za-z0-9-]", "_") + "-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(NodeScripts.conformanceDir().toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log));
    pb.environment().remove("DEBUG");
    this.process = pb.start();
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(() -> read(readyPrefix), name + "-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(READY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      String why = describe();
      close();
      throw new AssertionError(name + " did not start: " + why, e);
    }
  }

  /** The line that said the script was ready. */
  String readyLine() {
    return ready.join();
  }

  private void read(String readyPrefix) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("result ")) {
          JsonNode result = JSON.readTree(line.substring("result ".length()));
          CompletableFuture<JsonNode> f = pending.remove(result.path("id").asLong(-1));
          if (f != null) f.complete(result);
        } else if (!ready.isDone() && line.startsWith(readyPrefix)) {
          ready.complete(line);
        } else {
          synchronized (otherLines) {
            if (otherLines.size() < 200) otherLines.add(line);
          }
        }
      }
    } catch (IOException e) {
      // the process ended; the checks below fail whatever still waits
    }
    ready.completeExceptionally(new IOException(name + " ended"));
    for (CompletableFuture<JsonNode> f : pending.values()) f.completeExceptionally(new IOException(name + " ended"));
  }

  /**
   * Sends {@code op} with {@code fields} (alternating names and values, any Jackson-writable
   * value) and returns the result's {@code value}; fails with the script's own error message.
   */
  JsonNode call(String op, Object... fields) {
    ObjectNode command = JSON.createObjectNode();
    long id = ids.incrementAndGet();
    command.put("id", id);
    command.put("op", op);
    for (int i = 0; i < fields.length; i += 2) command.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      synchronized (stdin) {
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
      }
      JsonNode result = answer.get(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      if (!result.path("ok").asBoolean()) {
        throw new AssertionError(name + ": " + op + " failed: " + result.path("error").asText());
      }
      return result.path("value");
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new AssertionError(name + ": " + op + " got no answer: " + describe(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      pending.remove(id);
    }
  }

  /** Whether the process still runs. */
  boolean alive() {
    return process.isAlive();
  }

  /** What the script said on stderr and outside results, for a failure message. */
  String describe() {
    StringBuilder sb = new StringBuilder(name).append(process.isAlive() ? " (running)" : " (exited " + exit() + ")");
    synchronized (otherLines) {
      for (String l : otherLines) sb.append("\n  out: ").append(l);
    }
    try {
      String err = Files.readString(log.toPath());
      if (!err.isBlank()) sb.append("\n  err: ").append(err.length() > 4000 ? err.substring(err.length() - 4000) : err);
    } catch (IOException ignored) {
      // no log
    }
    return sb.toString();
  }

  private String exit() {
    try {
      return Integer.toString(process.exitValue());
    } catch (IllegalThreadStateException e) {
      return "?";
    }
  }

  /** Closes stdin (the script exits by itself), then SIGTERM, then SIGKILL. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    log.delete();
  }
}
