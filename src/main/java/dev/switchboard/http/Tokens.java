package dev.switchboard.http;

/**
 * RFC 9110 §5.6.2 tokens: {@code token = 1*tchar}, where tchar is an ALPHA, a DIGIT or one of
 * {@code !#$%&'*+-.^_`|~}. The one table behind every check of a method, a header name, an
 * extension parameter or a cookie name. Pure; any thread.
 */
public final class Tokens {
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
    for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
  }

  private Tokens() {}

  /** Whether {@code c} (a char, or a byte as 0–255) is a tchar. */
  public static boolean isTchar(int c) {
    return c >= 0 && c < 128 && TCHAR[c];
  }

  /** Whether {@code s} is a token: not empty, tchars only. */
  public static boolean isToken(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) return false;
    }
    return true;
  }
}
