package dev.switchboard.conformance;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node side of the conformance scenarios (the project's {@code conformance/} directory,
 * which pins the official clients in its lock file). Installs it with {@code npm ci} once per
 * JVM, and fails with a clear message when Node.js is missing.
 */
final class NodeRunner {
  private static boolean installed;

  private NodeRunner() {}

  static Path projectDir() {
    String base = System.getProperty("project.basedir");
    return Path.of(base != null ? base : System.getProperty("user.dir")).toAbsolutePath();
  }

  static Path conformanceDir() {
    return projectDir().resolve("conformance");
  }

  static synchronized void ensureInstalled() throws Exception {
    if (installed) return;
    String version;
    try {
      version = runQuietly(List.of("node", "--version"), conformanceDir(), 30).trim();
    } catch (IOException e) {
      throw new AssertionError("Node.js (18 or later) and npm are needed for the official-client conformance "
          + "scenarios. Install them, e.g. `apt-get install -y nodejs npm`, then run `mvn -B verify` again.");
    }
    if (!version.startsWith("v")) throw new AssertionError("unexpected `node --version` output: " + version);
    Path lock = conformanceDir().resolve("package-lock.json");
    Path marker = conformanceDir().resolve("node_modules/.package-lock.json");
    boolean fresh = Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(lock)) >= 0;
    if (!fresh) {
      runQuietly(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), conformanceDir(), 300);
    }
    installed = true;
  }

  /** Runs a command to completion; returns stdout; throws with stderr on failure. */
  static String runQuietly(List<String> command, Path dir, int timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    File err = File.createTempFile("node-err", ".txt");
    pb.redirectError(err);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " timed out");
    }
    String stderr = Files.readString(err.toPath());
    err.delete();
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + stderr);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  static List<String> listScenarios(String suite) throws Exception {
    ensureInstalled();
    String out = runQuietly(List.of("node", "run.mjs", "--list", suite), conformanceDir(), 60);
    List<String> names = new ArrayList<>();
    for (String line : out.split("\n")) if (!line.isBlank()) names.add(line.trim());
    return names;
  }

  /** What the harness does when a scenario asks for it ({@code CONTROL <command>} on stdout). */
  interface Control {
    void handle(String command) throws Exception;
  }

  /** Runs one scenario against {@code url}; throws AssertionError with the scenario's own words. */
  static void runScenario(String suite, String scenario, String url, Control control) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("node", "run.mjs", suite, scenario).directory(conformanceDir().toFile());
    pb.environment().put("SERVER_URL", url);
    File err = File.createTempFile("scenario-err", ".txt");
    pb.redirectError(err);
    Process p = pb.start();
    StringBuilder stdout = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = p.getOutputStream()) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("CONTROL ")) {
          control.handle(line.substring("CONTROL ".length()).trim());
          in.write("CONTROL-DONE\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
        } else {
          stdout.append(line).append('\n');
        }
      }
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(scenario + " did not finish in 30 s");
    }
    String stderr = Files.readString(err.toPath());
    err.delete();
    if (p.exitValue() != 0) {
      throw new AssertionError(scenario + " failed (exit " + p.exitValue() + "):\n" + stderr + stdout);
    }
  }
}
