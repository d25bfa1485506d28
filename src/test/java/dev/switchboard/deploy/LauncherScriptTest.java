package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.NodeScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/switchboard.sh}, the README's start command: the production JVM flags in front of
 * {@code -jar}, the arguments passed through unchanged, {@code JAVA_OPTS} replacing the flags, the
 * trim option only for a JVM that accepts it, a clear refusal without a jar. A stand-in {@code java}
 * (the {@code JAVA} setting) records the command line it was given; the flags themselves are
 * measured by the idle-memory and c100k benchmarks (BENCHMARKS.md).
 */
class LauncherScriptTest {
  private static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", "-XX:MaxNewSize=96m", "-XX:+ExitOnOutOfMemoryError");
  private static final String TRIM = "-XX:TrimNativeHeapInterval=1000";

  @Test
  void startsTheJarWithTheProductionFlagsAndPassesTheArgumentsThrough(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("switchboard.jar"), "");
    Result r = run(dir, Map.of("JAR", jar.toString()), true, "--port", "8080", "user", "list");
    assertEquals(0, r.exit, r.output);
    List<String> expected = new java.util.ArrayList<>(FLAGS);
    expected.addAll(List.of(TRIM, "-jar", jar.toString(), "--port", "8080", "user", "list"));
    assertEquals(expected, r.javaArgs, r.output);
  }

  @Test
  void leavesTheTrimOptionOutForAJvmThatRefusesIt(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("switchboard.jar"), "");
    Result r = run(dir, Map.of("JAR", jar.toString()), false);
    assertEquals(0, r.exit, r.output);
    List<String> expected = new java.util.ArrayList<>(FLAGS);
    expected.addAll(List.of("-jar", jar.toString()));
    assertEquals(expected, r.javaArgs, r.output);
  }

  @Test
  void javaOptsReplaceTheFlags(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("switchboard.jar"), "");
    Result r = run(dir, Map.of("JAR", jar.toString(), "JAVA_OPTS", "-XX:+UseParallelGC  -Xmx2g"), true, "--port", "1");
    assertEquals(0, r.exit, r.output);
    assertEquals(List.of("-XX:+UseParallelGC", "-Xmx2g", "-jar", jar.toString(), "--port", "1"), r.javaArgs, r.output);
  }

  @Test
  void refusesToStartWithoutTheJar(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nowhere.jar");
    Result r = run(dir, Map.of("JAR", missing.toString()), true);
    assertEquals(2, r.exit, r.output);
    assertTrue(r.output.contains(missing + " is missing: mvn -q -B package -DskipTests"), r.output);
    assertEquals(null, r.javaArgs, "java was not started");
  }

  private record Result(int exit, String output, List<String> javaArgs) {}

  /**
   * Runs the script with a stand-in java that answers {@code -version} (accepting the trim option
   * or not) and writes the arguments of any other call, one a line, to {@code args.txt}.
   */
  private static Result run(Path dir, Map<String, String> env, boolean acceptsTrim, String... args) throws Exception {
    Path record = dir.resolve("args.txt");
    Path java = dir.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\n"
        + "if [[ \" $* \" == *\" -version \"* ]]; then exit " + (acceptsTrim ? 0 : 1) + "; fi\n"
        + "printf '%s\\n' \"$@\" > '" + record + "'\n");
    assertTrue(java.toFile().setExecutable(true));
    List<String> command = new java.util.ArrayList<>(List.of("bash", NodeScripts.projectDir().resolve("deploy/switchboard.sh").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("JAVA", java.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("deploy/switchboard.sh did not finish in 30 s");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.exitValue(), output, Files.exists(record) ? readLines(record) : null);
  }

  private static List<String> readLines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }
}
