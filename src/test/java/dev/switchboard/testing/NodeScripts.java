package dev.switchboard.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Node.js for the tests: the project's {@code conformance/} directory (which pins the official
 * clients and playwright-core in its lock file), installed with {@code npm ci} once per JVM, and
 * scripts run in it with a deadline. Fails with a clear sentence when Node.js is missing.
 */
public final class NodeScripts {
  private static boolean installed;

  private NodeScripts() {}

  public static Path projectDir() {
    String base = System.getProperty("project.basedir");
    return Path.of(base != null ? base : System.getProperty("user.dir")).toAbsolutePath();
  }

  public static Path conformanceDir() {
    return projectDir().resolve("conformance");
  }

  /** {@code npm ci} in conformance/, unless its node_modules is newer than the lock file. */
  public static synchronized void ensureInstalled() throws Exception {
    if (installed) return;
    String version;
    try {
      version = runQuietly(List.of("node", "--version"), conformanceDir(), 30).trim();
    } catch (IOException e) {
      throw new AssertionError("Node.js (20 or later) and npm are needed for the official-client and browser "
          + "scenarios. Install them, e.g. `apt-get install -y nodejs npm`, then run `mvn -B verify` again.");
    }
    if (!version.startsWith("v")) throw new AssertionError("unexpected `node --version` output: " + version);
    Path lock = conformanceDir().resolve("package-lock.json");
    Path marker = conformanceDir().resolve("node_modules/.package-lock.json");
    boolean fresh = Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(lock)) >= 0;
    if (!fresh) runQuietly(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), conformanceDir(), 300);
    installed = true;
  }

  /** Runs a command to completion; returns stdout; throws with stderr on failure. */
  public static String runQuietly(List<String> command, Path dir, int timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    File err = File.createTempFile("node-err", ".txt");
    pb.redirectError(err);
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + Files.readString(err.toPath()));
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(err.toPath());
    }
  }

  /**
   * Runs {@code node <script> args...} in conformance/ with {@code env} added; fails with the
   * script's own output when it exits non-zero or outlives {@code deadlineSeconds}.
   */
  public static void run(String script, List<String> args, Map<String, String> env, int deadlineSeconds) throws Exception {
    ensureInstalled();
    List<String> command = new java.util.ArrayList<>(List.of("node", script));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(conformanceDir().toFile());
    pb.environment().putAll(env);
    File out = File.createTempFile("node-out-", ".txt");
    pb.redirectErrorStream(true).redirectOutput(out);
    try {
      Process p = pb.start();
      if (!p.waitFor(deadlineSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in " + deadlineSeconds + " s:\n" + read(out));
      }
      if (p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " failed:\n" + read(out));
    } finally {
      Files.deleteIfExists(out.toPath());
    }
  }

  private static String read(File f) {
    try {
      return Files.readString(f.toPath(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }
}
