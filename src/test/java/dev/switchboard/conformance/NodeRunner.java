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
import dev.switchboard.testing.NodeScripts;

/**
 * Runs the Node side of the conformance scenarios (the project's {@code conformance/} directory,
 * installed by {@link NodeScripts}) and relays their {@code CONTROL} requests to the harness.
 */
final class NodeRunner {
  private NodeRunner() {}

  static Path conformanceDir() {
    return NodeScripts.conformanceDir();
  }

  static List<String> listScenarios(String suite) throws Exception {
    NodeScripts.ensureInstalled();
    String out = NodeScripts.runQuietly(List.of("node", "run.mjs", "--list", suite), conformanceDir(), 60);
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
