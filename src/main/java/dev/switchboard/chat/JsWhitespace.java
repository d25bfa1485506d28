package dev.switchboard.chat;

/**
 * Trimming as JavaScript's {@code String.prototype.trim} does it (ECMAScript WhiteSpace and
 * LineTerminator), so that the page and the server agree on what "trimmed" means in chat.md.
 * Java's {@code trim()} would also eat control characters that chat.md refuses, and
 * {@code strip()} leaves U+00A0 and U+FEFF. Pure; any thread.
 */
final class JsWhitespace {
  private JsWhitespace() {}

  static boolean isWhitespace(char c) {
    return switch (c) {
      case '\t', '\n', '\u000B', '\f', '\r', '\u00A0', '\u2028', '\u2029', '\uFEFF' -> true;
      default -> Character.getType(c) == Character.SPACE_SEPARATOR;
    };
  }

  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isWhitespace(s.charAt(start))) start++;
    while (end > start && isWhitespace(s.charAt(end - 1))) end--;
    return s.substring(start, end);
  }
}
