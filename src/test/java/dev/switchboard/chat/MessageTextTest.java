package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** chat.md §Client → server, "Messages". */
class MessageTextTest {
  private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 units
  private static final String TOO_LONG = "Message must be at most 500 characters";
  private static final String INVALID = "Message contains invalid characters";
  private static final String EMPTY = "Message cannot be empty";

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("plain", "hello", "hello"),
        Arguments.of("trimmed", "  hi  ", "hi"),
        Arguments.of("inner newline kept", "line1\nline2", "line1\nline2"),
        Arguments.of("inner tab kept", "a\tb", "a\tb"),
        Arguments.of("outer newlines trimmed", "\n\nhi\n", "hi"),
        Arguments.of("trailing CRLF trimmed (JS trim)", "a\r\n", "a"),
        Arguments.of("vertical tab at the edge is whitespace", "\u000Bhi\f", "hi"),
        Arguments.of("JS trim: NBSP and ideographic space", "\u00A0hi\u3000", "hi"),
        Arguments.of("500 characters", "a".repeat(500), "a".repeat(500)),
        Arguments.of("500 emoji are 500 characters", EMOJI.repeat(500), EMOJI.repeat(500)),
        Arguments.of("500 after trimming", "   " + "a".repeat(500) + "   ", "a".repeat(500)),
        Arguments.of("surrogate pair", "hi " + EMOJI, "hi " + EMOJI),
        Arguments.of("HTML is relayed as typed, not escaped", "<script>alert(1)</script>",
            "<script>alert(1)</script>"),
        Arguments.of("format characters are not control characters", "a\u200Bb\u202Ec", "a\u200Bb\u202Ec"),
        Arguments.of("non-characters are not refused", "a\uFFFEb", "a\uFFFEb"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsTrimmed(String label, String raw, String expected) throws ChatRefusal {
    assertEquals(expected, MessageText.parse(raw, 500), label);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("empty", "", EMPTY),
        Arguments.of("spaces", "   ", EMPTY),
        Arguments.of("newlines and tabs", "\n\t\r\n", EMPTY),
        Arguments.of("NBSP only", "\u00A0", EMPTY),
        Arguments.of("501 characters", "a".repeat(501), TOO_LONG),
        Arguments.of("501 emoji", EMOJI.repeat(501), TOO_LONG),
        Arguments.of("huge", "x".repeat(200_000), TOO_LONG),
        Arguments.of("too long is checked before characters", "\u0001".repeat(600), TOO_LONG),
        Arguments.of("NUL", "a\u0000b", INVALID),
        Arguments.of("inner CR", "a\rb", INVALID),
        Arguments.of("inner vertical tab", "a\u000Bb", INVALID),
        Arguments.of("ESC", "a\u001B[31mred", INVALID),
        Arguments.of("DEL", "a\u007Fb", INVALID),
        Arguments.of("C1 NEL", "a\u0085b", INVALID),
        Arguments.of("C1 CSI", "a\u009Bb", INVALID),
        Arguments.of("control at the edge is not trimmed", "\u0001hi", INVALID),
        Arguments.of("lone high surrogate", "a\uD800b", INVALID),
        Arguments.of("lone low surrogate", "a\uDC00b", INVALID),
        Arguments.of("pair in the wrong order", "\uDE00\uD83D", INVALID),
        Arguments.of("trailing lone high surrogate", "abc\uD83D", INVALID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWithTheExactMessage(String label, String raw, String message) {
    ChatRefusal e = assertThrows(ChatRefusal.class, () -> MessageText.parse(raw, 500), label);
    assertEquals(message, e.getMessage(), label);
  }
}
