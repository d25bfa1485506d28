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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps citations of the hostile-input catalogue ({@code spec-notes/hostile-inputs.md}) honest:
 * every {@code hostile-inputs.md#C74} in the code, the tests and the notes names an entry that has
 * an anchor there, and the older ways of citing an entry ({@code hostile-inputs 74}, {@code
 * hostile D89}, {@code Hostile input 101}, {@code hostile-inputs #18}, {@code hostile-inputs entry
 * 61}) cannot come back, since they could not be looked up.
 */
class DocsCitationsTest {
  private static final Path BASE = Path.of(System.getProperty("project.basedir", "."));
  private static final Path CATALOGUE = BASE.resolve("spec-notes/hostile-inputs.md");

  private static final Pattern ANCHOR = Pattern.compile("<a id=\"([A-E]\\d{1,3})\"></a>");
  private static final Pattern CITATION = Pattern.compile("hostile-inputs\\.md#([A-Za-z]*\\d*)");
  /** "hostile-inputs 74", "hostile input 95", "Hostile inputs 82", "hostile-inputs #18", "… entry 61", "hostile D89". */
  private static final Pattern OLD_FORMAT = Pattern.compile(
      "(?i)\\bhostile[- ]inputs?[ \\t]+(?:entry[ \\t]+)?#?[A-E]?\\d+|\\bhostile[ \\t]+[A-E]\\d+");

  @Test
  void everyCitedEntryHasAnAnchorAndNoOldFormatIsLeft() throws IOException {
    Set<String> anchors = anchors(Files.readString(CATALOGUE, StandardCharsets.UTF_8));
    assertTrue(anchors.size() >= 100, "anchors found in " + CATALOGUE + ": " + anchors.size());
    List<String> problems = new ArrayList<>();
    int citations = 0;
    for (Path file : sources()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String name = BASE.relativize(file).toString();
      citations += problems(name, text, anchors, problems);
    }
    assertTrue(citations > 100, "citations found: " + citations);
    assertEquals("", String.join("\n", problems));
  }

  // The checker on small texts, so that it can fail.

  @Test
  void aCitationOfAMissingEntryIsReported() {
    List<String> problems = new ArrayList<>();
    problems("Foo.java", "ok hostile-inputs.md#C74,\n// hostile-inputs.md#C75 and hostile-inputs.md#Z1", Set.of("C74"),
        problems);
    assertEquals(
        List.of("Foo.java:2: hostile-inputs.md#C75 has no anchor in spec-notes/hostile-inputs.md",
            "Foo.java:2: hostile-inputs.md#Z1 has no anchor in spec-notes/hostile-inputs.md"),
        problems);
  }

  @Test
  void everyOldFormatIsReported() {
    String text = String.join("\n",
        "// hostile-inputs D94: the reply", "// (hostile D89)", "// hostile-inputs #18 and more",
        "// hostile-inputs 67", "// Hostile input 95", "// Hostile inputs 82, 83", "// hostile-inputs entry 61",
        "// hostile-inputs.md#D94 is fine, so are hostile-inputs.md group A and a hostile peer");
    List<String> problems = new ArrayList<>();
    problems("Bar.java", text, Set.of("D94"), problems);
    assertEquals(7, problems.size(), String.join("\n", problems));
    assertEquals("Bar.java:1: old citation format \"hostile-inputs D94\": write hostile-inputs.md#<id>", problems.get(0));
  }

  @Test
  void anchorsAreReadFromTheCatalogue() {
    assertEquals(Set.of("A1", "C74"), anchors("<a id=\"A1\"></a>**A1 — x**\n\n<a id=\"C74\"></a>**C74 — y**"));
  }

  private static Set<String> anchors(String catalogue) {
    Set<String> out = new TreeSet<>();
    Matcher m = ANCHOR.matcher(catalogue);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** Adds one line per problem in {@code text}; returns the number of citations seen. */
  private static int problems(String name, String text, Set<String> anchors, List<String> problems) {
    int seen = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher cited = CITATION.matcher(lines[i]);
      while (cited.find()) {
        seen++;
        if (!anchors.contains(cited.group(1))) {
          problems.add(name + ":" + (i + 1) + ": hostile-inputs.md#" + cited.group(1)
              + " has no anchor in spec-notes/hostile-inputs.md");
        }
      }
      Matcher old = OLD_FORMAT.matcher(lines[i]);
      while (old.find()) {
        problems.add(name + ":" + (i + 1) + ": old citation format \"" + old.group() + "\": write hostile-inputs.md#<id>");
      }
    }
    return seen;
  }

  private static List<Path> sources() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String dir : List.of("src/main/java", "src/test/java", "spec-notes")) {
      try (Stream<Path> files = Files.walk(BASE.resolve(dir))) {
        files.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
            // This file spells the old formats out in order to forbid them.
            .filter(p -> !p.getFileName().toString().equals("DocsCitationsTest.java"))
            .sorted()
            .forEach(out::add);
      }
    }
    return out;
  }
}
