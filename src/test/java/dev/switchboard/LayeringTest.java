package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the architecture honest: a package under {@code src/main/java} may use only the packages
 * before it in {@link #ORDER}. Both kinds of reference count — {@code import} lines and fully
 * qualified names written inline in code (e.g. {@code dev.switchboard.net.HttpExchange} in a
 * signature) — while comments (javadoc links included) and string literals do not. A failure
 * names the file, the line and the two packages; a package missing from the order fails too,
 * so a new package has to be placed before it can be used.
 */
class LayeringTest {
  /**
   * The layers, lowest first: each depends only on those before it (DEVELOPERS.md §Architecture,
   * the package order quoted in issue #15; README.md §Layout lists the same packages). A name
   * ending in {@code .*} is every package under that prefix, all at one rank: the cluster adapters
   * live in their own packages and may use nothing above {@code socketio}. {@code storage} sits
   * under {@code auth}: it stores plain records and knows nothing of users' rules or chat.
   */
  static final List<String> ORDER = List.of(
      "dev.switchboard.scheduling",
      "dev.switchboard.http",
      "dev.switchboard.websocket",
      "dev.switchboard.net",
      "dev.switchboard.engineio.protocol",
      "dev.switchboard.engineio.transport",
      "dev.switchboard.engineio",
      "dev.switchboard.socketio.protocol",
      "dev.switchboard.socketio.adapter",
      "dev.switchboard.socketio",
      "dev.switchboard.cluster.*",
      "dev.switchboard.storage",
      "dev.switchboard.auth",
      "dev.switchboard.admin",
      "dev.switchboard.chat",
      "dev.switchboard.cli");

  private static final Pattern PACKAGE_DECLARATION =
      Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  /** A qualified name under our root, not itself the tail of a longer name ({@code x.dev…}). */
  private static final Pattern OUR_NAME =
      Pattern.compile("(?<![\\w.$])dev\\.switchboard(?:\\.[A-Za-z_$][\\w$]*)+");

  @Test
  void everyPackageDependsOnlyOnThoseBeforeIt() throws IOException {
    Path root = Path.of(System.getProperty("project.basedir", "."), "src", "main", "java");
    List<String> problems = new ArrayList<>();
    int files = 0;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path file : paths.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        if (file.getFileName().toString().equals("module-info.java")) continue; // no package
        files++;
        String source = Files.readString(file, StandardCharsets.UTF_8);
        problems.addAll(violations(root.relativize(file).toString(), source));
      }
    }
    assertTrue(files > 100, "scanned " + files + " files under " + root.toAbsolutePath());
    assertEquals("", String.join("\n", problems));
  }

  // The scanner itself, on sources small enough to read: each case could pass by accident if the
  // scanner were blind, so each one that must be caught is checked for its exact message.

  @Test
  void anUpwardImportIsReportedWithFileLineAndBothPackages() {
    String source = """
        package dev.switchboard.net;

        import dev.switchboard.engineio.EngineIoSession;
        """;
    assertEquals(
        List.of("net/Foo.java:3: dev.switchboard.net uses dev.switchboard.engineio, which is above it"),
        violations("net/Foo.java", source));
  }

  @Test
  void anUpwardStaticImportAndAWildcardImportAreReported() {
    String source = """
        package dev.switchboard.websocket;
        import static dev.switchboard.socketio.protocol.SocketIoProtocol.MAX;
        import dev.switchboard.cli.*;
        """;
    assertEquals(
        List.of(
            "W.java:2: dev.switchboard.websocket uses dev.switchboard.socketio.protocol, which is above it",
            "W.java:3: dev.switchboard.websocket uses dev.switchboard.cli, which is above it"),
        violations("W.java", source));
  }

  @Test
  void anInlineQualifiedNameCountsLikeAnImport() {
    String source = """
        package dev.switchboard.http;

        final class Foo {
          void handle(dev.switchboard.net.HttpExchange exchange) {}
        }
        """;
    assertEquals(
        List.of("Foo.java:4: dev.switchboard.http uses dev.switchboard.net, which is above it"),
        violations("Foo.java", source));
  }

  @Test
  void commentsAndStringLiteralsAreNotDependencies() {
    String source = """
        package dev.switchboard.scheduling;

        /** Like {@link dev.switchboard.engineio.EngineIoSession}, see dev.switchboard.cli.Main. */
        final class Foo { // dev.switchboard.net.Connection calls this
          /* dev.switchboard.socketio.Socket
             dev.switchboard.chat.ChatApplication */
          String a = "dev.switchboard.auth.Principal";
          String b = "\\"dev.switchboard.auth.Principal";
          char quote = '"';
          String c = \"""
              dev.switchboard.cli.Main "quoted" \\\""" dev.switchboard.cli.Main
              \""";
          String d = "/* not a comment */" + "// nor this";
        }
        """;
    assertEquals(List.of(), violations("Foo.java", source));
  }

  @Test
  void aReferenceAfterACommentOrStringOnTheSameLineIsStillSeen() {
    String source = """
        package dev.switchboard.http;
        /* a comment */ final class Foo { String s = "x"; dev.switchboard.websocket.Bar bar; }
        """;
    assertEquals(
        List.of("Foo.java:2: dev.switchboard.http uses dev.switchboard.websocket, which is above it"),
        violations("Foo.java", source));
  }

  @Test
  void downwardAndSamePackageReferencesAreAllowed() {
    String source = """
        package dev.switchboard.socketio;
        import dev.switchboard.socketio.protocol.SocketIoPacket;
        import dev.switchboard.engineio.EngineIoConnection;
        import dev.switchboard.scheduling.Scheduler;
        final class Foo { dev.switchboard.socketio.Socket socket; }
        """;
    assertEquals(List.of(), violations("Foo.java", source));
  }

  @Test
  void clusterAdaptersSitBetweenSocketIoAndTheApplications() {
    String allowed = """
        package dev.switchboard.cluster.redis;
        import dev.switchboard.socketio.adapter.Adapter;
        import dev.switchboard.cluster.ClusterMessage;
        """;
    String upward = """
        package dev.switchboard.cluster.redis;
        import dev.switchboard.auth.Principal;
        """;
    String fromAbove = """
        package dev.switchboard.chat;
        import dev.switchboard.cluster.redis.RedisAdapter;
        """;
    assertEquals(List.of(), violations("A.java", allowed));
    assertEquals(
        List.of("B.java:2: dev.switchboard.cluster.redis uses dev.switchboard.auth, which is above it"),
        violations("B.java", upward));
    assertEquals(List.of(), violations("C.java", fromAbove));
  }

  @Test
  void aPackageMissingFromTheOrderMustBePlacedFirst() {
    String unplacedFile = """
        package dev.switchboard.metrics;
        import dev.switchboard.net.NetServer;
        """;
    String unplacedTarget = """
        package dev.switchboard.chat;
        import dev.switchboard.metrics.Counter;
        """;
    assertEquals(
        List.of("M.java: dev.switchboard.metrics is not in the layer order: place it in LayeringTest.ORDER"
            + " (and DEVELOPERS.md §Architecture)"),
        violations("M.java", unplacedFile));
    assertEquals(
        List.of("C.java:2: dev.switchboard.metrics is not in the layer order: place it in LayeringTest.ORDER"
            + " (and DEVELOPERS.md §Architecture)"),
        violations("C.java", unplacedTarget));
  }

  /** What is wrong with one source file, one line per problem; empty when it keeps the order. */
  static List<String> violations(String fileName, String source) {
    String code = blankCommentsAndLiterals(source);
    Matcher declaration = PACKAGE_DECLARATION.matcher(code);
    if (!declaration.find()) return List.of(fileName + ": no package declaration");
    String own = declaration.group(1);
    int ownRank = rank(own);
    if (ownRank < 0) return List.of(fileName + ": " + notPlaced(own));
    List<String> problems = new ArrayList<>();
    Matcher name = OUR_NAME.matcher(code);
    name.region(declaration.end(), code.length());
    while (name.find()) {
      String used = packageOf(name.group());
      if (used.equals(own)) continue;
      int usedRank = rank(used);
      String where = fileName + ":" + lineOf(code, name.start()) + ": ";
      if (usedRank < 0) {
        problems.add(where + notPlaced(used));
      } else if (usedRank > ownRank) {
        problems.add(where + own + " uses " + used + ", which is above it");
      }
    }
    return problems;
  }

  private static String notPlaced(String pkg) {
    return pkg + " is not in the layer order: place it in LayeringTest.ORDER (and DEVELOPERS.md §Architecture)";
  }

  /** Position of a package in {@link #ORDER}, or -1. Packages under a {@code .*} entry share its rank. */
  static int rank(String pkg) {
    for (int i = 0; i < ORDER.size(); i++) {
      String layer = ORDER.get(i);
      if (layer.endsWith(".*")) {
        String prefix = layer.substring(0, layer.length() - 1);
        if (pkg.startsWith(prefix) || pkg.equals(prefix.substring(0, prefix.length() - 1))) return i;
      } else if (layer.equals(pkg)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The package part of a qualified name: the segments up to the first that starts with a capital
   * (JLS §6.1 naming conventions: packages are lower case, types start with a capital), so
   * {@code dev.switchboard.net.HttpExchange} and {@code dev.switchboard.net.*} both give {@code
   * dev.switchboard.net}.
   */
  static String packageOf(String qualifiedName) {
    String[] segments = qualifiedName.split("\\.");
    StringBuilder pkg = new StringBuilder(segments[0]);
    for (int i = 1; i < segments.length && !Character.isUpperCase(segments[i].charAt(0)); i++) {
      pkg.append('.').append(segments[i]);
    }
    return pkg.toString();
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) if (text.charAt(i) == '\n') line++;
    return line;
  }

  /**
   * The source with every comment, string literal, text block and character literal replaced by
   * spaces, line breaks kept, so that positions and line numbers still match the original (JLS
   * §3.7 comments, §3.10.4–§3.10.6 literals). Unicode escapes are not decoded: our sources do not
   * hide quotes or comment markers in them.
   */
  static String blankCommentsAndLiterals(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = blankUntil(source, out, i, end < 0 ? n : end);
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = blankUntil(source, out, i, end < 0 ? n : end + 2);
      } else if (source.startsWith("\"\"\"", i)) {
        i = blankUntil(source, out, i, endOfLiteral(source, i + 3, "\"\"\""));
      } else if (c == '"') {
        i = blankUntil(source, out, i, endOfLiteral(source, i + 1, "\""));
      } else if (c == '\'') {
        i = blankUntil(source, out, i, endOfLiteral(source, i + 1, "'"));
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Index just after the closing delimiter, skipping backslash escapes; the end if unclosed. */
  private static int endOfLiteral(String source, int from, String delimiter) {
    int i = from;
    while (i < source.length()) {
      if (source.charAt(i) == '\\') {
        i += 2;
      } else if (source.startsWith(delimiter, i)) {
        return i + delimiter.length();
      } else {
        i++;
      }
    }
    return source.length();
  }

  private static int blankUntil(String source, StringBuilder out, int from, int to) {
    int end = Math.min(to, source.length());
    for (int i = from; i < end; i++) out.append(source.charAt(i) == '\n' ? '\n' : ' ');
    return end;
  }
}
