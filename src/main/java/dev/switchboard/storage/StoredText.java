package dev.switchboard.storage;

/**
 * What text the database can hold byte for byte, the same on both dialects. PostgreSQL's
 * {@code text} refuses U+0000 outright, and an unpaired UTF-16 surrogate has no UTF-8 encoding
 * (either driver would store a replacement character). So both are refused here, before any
 * statement, with IllegalArgumentException; everything else — quotes, SQL, emoji and other
 * 4-byte UTF-8 — is stored and read back unchanged (parameters, never concatenation). Pure; any
 * thread.
 */
final class StoredText {
  private StoredText() {}

  /** {@code value}, or IllegalArgumentException naming {@code field} and what is wrong with it. */
  static String check(String field, String value) {
    if (value == null) throw new IllegalArgumentException(field + " is missing");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') throw new IllegalArgumentException(field + " contains U+0000 (NUL), which the database cannot store");
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new IllegalArgumentException(field + " contains an unpaired surrogate, which is not valid UTF-8");
      }
      if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException(field + " contains an unpaired surrogate, which is not valid UTF-8");
      }
    }
    return value;
  }
}
