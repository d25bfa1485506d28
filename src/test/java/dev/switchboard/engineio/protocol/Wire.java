package dev.switchboard.engineio.protocol;

import org.junit.jupiter.api.Named;

/** Test display names for wire strings, with control characters made visible. */
final class Wire {
  static final String RS = "\u001e";

  private Wire() {}

  static Named<String> named(String wire) {
    return Named.of(show(wire), wire);
  }

  static String show(String s) {
    StringBuilder sb = new StringBuilder("\"");
    int n = Math.min(s.length(), 80);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\u001e') sb.append("\\x1e");
      else if (c < 0x20 || c == '\uFEFF') sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    if (n < s.length()) sb.append("…(").append(s.length()).append(" chars)");
    return sb.append('"').toString();
  }
}
