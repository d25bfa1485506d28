package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** "Trimmed" in chat.md is JavaScript's String.prototype.trim (ECMA-262 WhiteSpace, LineTerminator). */
class JsWhitespaceTest {
  static Stream<Arguments> characters() {
    return Stream.of(
        Arguments.of("TAB", '\t', true),
        Arguments.of("LF", '\n', true),
        Arguments.of("VT", '\u000B', true),
        Arguments.of("FF", '\f', true),
        Arguments.of("CR", '\r', true),
        Arguments.of("SPACE", ' ', true),
        Arguments.of("NBSP", '\u00A0', true),
        Arguments.of("OGHAM SPACE MARK", '\u1680', true),
        Arguments.of("EN QUAD", '\u2000', true),
        Arguments.of("HAIR SPACE", '\u200A', true),
        Arguments.of("LINE SEPARATOR", '\u2028', true),
        Arguments.of("PARAGRAPH SEPARATOR", '\u2029', true),
        Arguments.of("NARROW NBSP", '\u202F', true),
        Arguments.of("MEDIUM MATHEMATICAL SPACE", '\u205F', true),
        Arguments.of("IDEOGRAPHIC SPACE", '\u3000', true),
        Arguments.of("BOM", '\uFEFF', true),
        Arguments.of("NUL (Java's trim() would eat it)", '\u0000', false),
        Arguments.of("unit separator (Java's strip() would eat it)", '\u001F', false),
        Arguments.of("NEL", '\u0085', false),
        Arguments.of("MONGOLIAN VOWEL SEPARATOR (format since Unicode 6.3)", '\u180E', false),
        Arguments.of("ZERO WIDTH SPACE", '\u200B', false),
        Arguments.of("letter", 'a', false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("characters")
  void trimsExactlyWhatJavaScriptTrims(String label, char c, boolean trimmed) {
    assertEquals(trimmed, JsWhitespace.isWhitespace(c), label);
    String s = c + "x" + c;
    assertEquals(trimmed ? "x" : s, JsWhitespace.trim(s), label);
  }
}
