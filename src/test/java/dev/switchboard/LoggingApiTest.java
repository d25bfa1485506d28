package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library logs through SLF4J (issue #12), so that an application embedding it routes the lines
 * into its own logging: no code under {@code src/main/java} names java.util.logging except the few
 * files that configure the runnable jar's backend (README "Logging when embedded"). A failure names
 * the file and line; the fix is an {@code org.slf4j.LoggerFactory.getLogger(X.class)} logger with
 * SLF4J's level methods (warn for WARNING, debug for FINE, …).
 */
class LoggingApiTest {
  /** java.util.logging on purpose: the jar's formatter, and the levels of third-party loggers under it. */
  private static final Set<String> CONFIGURES_THE_BACKEND = Set.of(
      "dev/switchboard/cli/LogFormat.java",
      "dev/switchboard/cli/ConformanceCommand.java",
      "dev/switchboard/cli/BenchServerCommand.java",
      "dev/switchboard/storage/Database.java",
      "dev/switchboard/cluster/redis/RedisLink.java");

  @Test
  void libraryCodeLogsThroughSlf4jOnly() throws IOException {
    Path root = Path.of(System.getProperty("project.basedir", "."), "src", "main", "java");
    List<String> problems = new ArrayList<>();
    int files;
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> sources = paths.filter(p -> p.toString().endsWith(".java")).toList();
      files = sources.size();
      for (Path p : sources) {
        String relative = root.relativize(p).toString().replace('\\', '/');
        if (CONFIGURES_THE_BACKEND.contains(relative)) continue;
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) continue;
          if (line.contains("java.util.logging")) problems.add(relative + ":" + (i + 1) + ": " + line);
        }
      }
    }
    assertTrue(files > 100, "found the sources under " + root);
    assertEquals(List.of(), problems, "java.util.logging in library code; log through SLF4J instead");
  }
}
