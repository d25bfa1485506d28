package dev.switchboard.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The strings parsers share between requests, so that equal header strings are one object.
 *
 * <p>Why: a WebSocket session keeps its handshake's headers for its whole life
 * ({@code socket.handshake}), and their strings were the largest part of an idle connection's
 * heap (BENCHMARKS.md, "Missed: idle memory per 1 000 WebSocket clients"). Most of them are the
 * same for every client: the common field names, and values such as Host, Upgrade, Connection,
 * User-Agent or Origin. Handing out the previous, equal string instead of a new one keeps one copy
 * for thousands of clients.
 *
 * <p>What is shared, as bytes in, string out (the parser asks; it knows nothing of how):
 * <ul>
 *   <li>{@link #knownName}: a field name whose bytes equal a known one (exactly, case included:
 *       names are kept as received) is that constant. Each known name is known as browsers and
 *       Node's clients spell it and in lower case (what proxies and HTTP/2 front ends send).</li>
 *   <li>{@link #value}: the value of a known name whose values are alike across clients is the
 *       previous value seen for that spelling when the bytes are equal. Values that differ per
 *       client or are secrets (Sec-WebSocket-Key, Cookie, Authorization, the client's address
 *       behind a proxy) are never shared.</li>
 *   <li>{@link #target}: the request target, when equal to the previous one.</li>
 *   <li>{@link #method}: the common methods, as constants.</li>
 * </ul>
 *
 * <p>Threading: not thread-safe — one table per thread. The server gives each I/O loop its own,
 * used by the parsers of that loop's connections (so the parser stays free of shared mutable
 * state); a parser made without one gets a private table (it then shares only with itself).
 */
public final class SharedStrings {

  /** One spelling of a header field name the table knows. Immutable, shared by every table. */
  static final class KnownName {
    private final String name;
    /** Index of this spelling's last value in {@link #lastValues}; -1 when values are not shared. */
    private final int valueSlot;

    private KnownName(String name, int valueSlot) {
      this.name = name;
      this.valueSlot = valueSlot;
    }

    /** The name, as the one String every parser hands out for it. */
    String name() {
      return name;
    }
  }

  private static final String[] METHODS = {"GET", "POST", "OPTIONS", "HEAD", "PUT", "DELETE", "PATCH"};

  /** Known names whose values are shared too, as browsers and Node's clients spell them. */
  private static final String[] SHARED_VALUE_NAMES = {
      "Host", "Connection", "Upgrade", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
      "Sec-WebSocket-Protocol", "User-Agent", "Origin", "Accept", "Accept-Encoding", "Accept-Language",
      "Cache-Control", "Pragma", "Referer", "Content-Type", "Expect", "Transfer-Encoding",
      "X-Forwarded-Proto", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest",
  };
  /** Known names whose values differ per client or request, or are secrets. */
  private static final String[] UNSHARED_VALUE_NAMES = {
      "Sec-WebSocket-Key", "Content-Length", "Cookie", "Authorization", "X-Forwarded-For", "X-Real-IP",
  };

  /** Every known spelling, by name length: a look-up compares only names of the right length. */
  private static final KnownName[][] KNOWN_BY_LENGTH;
  /** How many spellings share their values: the size of each table's {@link #lastValues}. */
  private static final int SHARED_VALUE_SPELLINGS;

  static {
    List<KnownName> known = new ArrayList<>();
    int slot = 0;
    for (String n : SHARED_VALUE_NAMES) known.add(new KnownName(n, slot++));
    for (String n : SHARED_VALUE_NAMES) known.add(new KnownName(n.toLowerCase(Locale.ROOT), slot++));
    SHARED_VALUE_SPELLINGS = slot;
    for (String n : UNSHARED_VALUE_NAMES) known.add(new KnownName(n, -1));
    for (String n : UNSHARED_VALUE_NAMES) known.add(new KnownName(n.toLowerCase(Locale.ROOT), -1));
    int longest = 0;
    for (KnownName k : known) longest = Math.max(longest, k.name.length());
    List<List<KnownName>> byLength = new ArrayList<>();
    for (int len = 0; len <= longest; len++) byLength.add(new ArrayList<>());
    for (KnownName k : known) byLength.get(k.name.length()).add(k);
    KNOWN_BY_LENGTH = new KnownName[longest + 1][];
    for (int len = 0; len <= longest; len++) KNOWN_BY_LENGTH[len] = byLength.get(len).toArray(new KnownName[0]);
  }

  /** The last value seen for each spelling whose values are shared. */
  private final String[] lastValues = new String[SHARED_VALUE_SPELLINGS];
  private String lastTarget;

  /** An empty table, for the parsers of one thread. */
  public SharedStrings() {}

  /** The known spelling whose bytes are {@code bytes[offset, offset + length)}, or null. */
  KnownName knownName(byte[] bytes, int offset, int length) {
    if (length >= KNOWN_BY_LENGTH.length) return null;
    for (KnownName k : KNOWN_BY_LENGTH[length]) {
      if (equals(k.name, bytes, offset, length)) return k;
    }
    return null;
  }

  /**
   * The value {@code bytes[offset, offset + length)} of a field named {@code name} (null for a
   * name the table does not know): the previous equal value for a name whose values are shared,
   * else a new string.
   */
  String value(KnownName name, byte[] bytes, int offset, int length) {
    if (name == null || name.valueSlot < 0) return latin1(bytes, offset, length);
    String last = lastValues[name.valueSlot];
    if (last != null && equals(last, bytes, offset, length)) return last;
    String v = latin1(bytes, offset, length);
    lastValues[name.valueSlot] = v;
    return v;
  }

  /**
   * The request target {@code bytes[offset, offset + length)}: the previous one when equal. A
   * WebSocket handshake's target is the same for every client of one application, and the
   * session keeps it.
   */
  String target(byte[] bytes, int offset, int length) {
    String last = lastTarget;
    if (last != null && equals(last, bytes, offset, length)) return last;
    String t = latin1(bytes, offset, length);
    lastTarget = t;
    return t;
  }

  /** The method {@code bytes[offset, offset + length)}: a constant for the common ones. */
  String method(byte[] bytes, int offset, int length) {
    for (String m : METHODS) {
      if (equals(m, bytes, offset, length)) return m;
    }
    return latin1(bytes, offset, length);
  }

  /** Whether {@code s} is the ISO-8859-1 decoding of {@code bytes[offset, offset + length)}. */
  private static boolean equals(String s, byte[] bytes, int offset, int length) {
    if (s.length() != length) return false;
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != (char) (bytes[offset + i] & 0xff)) return false;
    }
    return true;
  }

  /** RFC 9110 §5.5: obs-text bytes carry no defined charset; ISO-8859-1 keeps each byte as one char. */
  private static String latin1(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
  }
}
