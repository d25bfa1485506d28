package dev.switchboard.conformance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the tutorial's examples ({@code examples/<name>/<Main>.java}) started as the README says,
 * with Java's single-file source launcher — {@code java -cp <classes and dependencies> <file>} —
 * from the project's root, on a free port ({@code PORT=0}, {@code HOST=127.0.0.1}). The test
 * classes are left off the class path, so an example that used one would not start. Its output (stdout and stderr) is kept for failure messages, never printed.
 *
 * <p>Threading: one reader thread drains the process's output; the rest is the test's thread.
 */
final class ExampleProcess implements TestApps.Running {
  private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)/");

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private ExampleProcess(Path source) throws Exception {
    if (!Files.isRegularFile(source)) throw new AssertionError("no example " + source.toAbsolutePath());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Start-up cost only (a small test server): no effect on what the example does.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        "-cp", productionClassPath(), source.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PORT", "0");
    pb.environment().put("HOST", "127.0.0.1");
    pb.environment().remove("JWT_SECRET");
    process = pb.start();
    Thread reader = new Thread(this::drain, "example-output-" + source.getFileName());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the example and waits (up to 120 s: the launcher compiles it first) until it listens. */
  static ExampleProcess start(String source) throws Exception {
    ExampleProcess p = new ExampleProcess(Path.of(source));
    try {
      p.port.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.close();
      throw new AssertionError(source + " did not start listening:\n" + p.output(), e);
    }
    return p;
  }

  private void drain() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (output) {
          if (output.size() < 2000) output.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) port.complete(Integer.parseInt(m.group(1)));
      }
    } catch (java.io.IOException e) {
      // the process is gone; its exit is reported below
    }
    port.completeExceptionally(new IllegalStateException("its output ended (the process exited)"));
  }

  /** What the example printed so far. */
  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  @Override
  public String url() {
    return "http://127.0.0.1:" + port.join();
  }

  @Override
  public void restart() {
    throw new AssertionError("the tutorial scenarios do not restart an example");
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the example's shutdown hook closes its server
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The forked test JVM's class path (surefire's, not its manifest-only jar) without the test classes. */
  private static String productionClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
    List<String> kept = new ArrayList<>();
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      if (!entry.isBlank() && !entry.endsWith("test-classes") && !entry.endsWith("test-classes/")) kept.add(entry);
    }
    return String.join(java.io.File.pathSeparator, kept);
  }
}
