package dev.switchboard.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every program under {@code examples/} compiles, without a warning, on the test class path
 * without the test classes (so against the production classes and the libraries the jar
 * carries), so the README's commands cannot rot even when the Node scenarios that run them are
 * skipped.
 * {@code conformance.TutorialClientTest} runs them.
 */
class TutorialExamplesCompileTest {
  @TempDir Path out;

  @Test
  void everyExampleCompilesWithoutWarningsOrTheTestClasses() throws Exception {
    List<String> sources;
    try (Stream<Path> files = Files.walk(Path.of("examples"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
    }
    assertEquals(List.of("examples/authenticate/AuthenticateServer.java", "examples/echo/EchoServer.java",
        "examples/jwt/JwtServer.java"), sources.stream().map(s -> s.replace(File.separatorChar, '/')).toList());
    // One compilation for all (the launcher compiles each alone, but they share no class name, so
    // the result is the same and the compiler warms up once).
    List<String> args = new ArrayList<>(List.of("-Xlint:all", "-proc:none", "--release", "17",
        "-cp", productionClassPath(), "-d", out.toString()));
    args.addAll(sources);
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
    assertEquals(0, status, diagnostics.toString());
    assertTrue(diagnostics.toString().isBlank(), "warnings:\n" + diagnostics);
    for (String main : List.of("EchoServer", "AuthenticateServer", "JwtServer")) {
      assertTrue(Files.isRegularFile(out.resolve(main + ".class")), main);
    }
  }

  /** The forked test JVM's class path (surefire's, not its manifest-only jar) without the test classes. */
  private static String productionClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
    List<String> kept = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.isBlank() && !entry.endsWith("test-classes") && !entry.endsWith("test-classes/")) kept.add(entry);
    }
    return String.join(File.pathSeparator, kept);
  }
}
