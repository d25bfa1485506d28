package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;

/**
 * The rules for passwords. bcrypt only reads the first 72 bytes of its input, so a longer
 * password would be silently truncated (auth-pitfalls §4, measured with jbcrypt 0.4): we refuse
 * it instead, counting UTF-8 bytes, not chars.
 */
public final class Passwords {
  public static final int MIN_CHARS = 8;
  public static final int MAX_BYTES = 72;
  public static final String TOO_LONG = "password must be at most 72 bytes";
  public static final String TOO_SHORT = "password must be at least 8 characters";

  private Passwords() {}

  public static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** For sign-up and {@code user add}: IllegalArgumentException with the rule broken. */
  public static void checkNew(String password) {
    if (password.codePointCount(0, password.length()) < MIN_CHARS) throw new IllegalArgumentException(TOO_SHORT);
    if (utf8Length(password) > MAX_BYTES) throw new IllegalArgumentException(TOO_LONG);
    // A NUL ends the input of C bcrypt implementations: such a hash would not travel.
    if (password.indexOf('\0') >= 0) throw new IllegalArgumentException("password must not contain NUL characters");
  }
}
