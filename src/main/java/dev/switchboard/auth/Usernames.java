package dev.switchboard.auth;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for user names. A name is chosen once, at sign-up, from a small alphabet; every later
 * comparison (login, the rate limiter's per-account key, uniqueness) goes through
 * {@link #canonical}, so {@code Alice}, {@code alice } and fullwidth {@code ａｌｉｃｅ} are one
 * account (auth-pitfalls §6: key normalisation).
 */
public final class Usernames {
  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 32;
  /** Letters, digits, '_', '-', '.': no spaces, no look-alikes, nothing a page must escape. */
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");
  /** What a login may carry; anything longer is malformed before any lookup. */
  static final int MAX_LOGIN_LENGTH = 64;

  public static final String RULE =
      "username must be 3-32 characters: letters, digits, '_', '-' or '.'";

  private Usernames() {}

  /** NFKC, trimmed, lower-cased: the key of an account. */
  public static String canonical(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
  }

  /** The name as stored at sign-up (trimmed), or IllegalArgumentException with {@link #RULE}. */
  public static String validForRegistration(String name) {
    String n = name.strip();
    if (!ALLOWED.matcher(n).matches()) throw new IllegalArgumentException(RULE);
    return n;
  }
}
