package dev.switchboard.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a raw query string, decoded by the application/x-www-form-urlencoded rules
 * that Node's {@code querystring} (and so engine.io) applies: pairs split on {@code &}, name and
 * value on the first {@code =}, {@code +} is a space, {@code %XX} is a byte, and the bytes are
 * UTF-8 (WHATWG URL §5.1). Unlike Node we refuse what Node silently passes through: broken
 * percent-encoding ({@code %zz}, {@code %4}, {@code %u0041}) and bytes that are not valid UTF-8
 * (overlong {@code %C0%AF}, lone surrogates) answer 400, so every layer sees the same values.
 *
 * <pre>{@code
 * QueryParameters q = QueryParameters.parse(request.rawQuery());
 * if (!"4".equals(q.first("EIO"))) ...
 * }</pre>
 *
 * <p>Empty pairs ({@code a&&b}) are skipped; a pair without {@code =} has the value "". Names are
 * case-sensitive.
 */
public final class QueryParameters {
  /**
   * Our DoS limit: an Engine.IO URL carries about five parameters; 64 leaves room for an
   * application's own while bounding the objects one request line can make us create.
   */
  public static final int MAX_PARAMETERS = 64;

  private static final QueryParameters EMPTY = new QueryParameters(List.of(), List.of());

  private final List<String> names;
  private final List<String> values;

  private QueryParameters(List<String> names, List<String> values) {
    this.names = names;
    this.values = values;
  }

  /** Decodes {@code rawQuery} (the part after '?', may be null or empty). */
  public static QueryParameters parse(String rawQuery) throws HttpParseException {
    if (rawQuery == null || rawQuery.isEmpty()) return EMPTY;
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    int start = 0;
    int length = rawQuery.length();
    while (start <= length) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? length : amp;
      if (end > start) {
        if (names.size() == MAX_PARAMETERS) throw new HttpParseException(400, "Too many query parameters");
        int eq = rawQuery.indexOf('=', start);
        if (eq < 0 || eq > end) eq = end;
        names.add(decode(rawQuery, start, eq));
        values.add(eq == end ? "" : decode(rawQuery, eq + 1, end));
      }
      if (amp < 0) break;
      start = amp + 1;
    }
    return new QueryParameters(List.copyOf(names), List.copyOf(values));
  }

  /** The first value of {@code name}, or null. */
  public String first(String name) {
    int i = names.indexOf(name);
    return i < 0 ? null : values.get(i);
  }

  /** Every value of {@code name}, in order. */
  public List<String> all(String name) {
    List<String> out = new ArrayList<>(1);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(name)) out.add(values.get(i));
    }
    return out;
  }

  /** Whether {@code name} occurs at all, even with an empty value. */
  public boolean has(String name) {
    return names.contains(name);
  }

  /** How often {@code name} occurs, so callers can refuse ambiguous repeats ({@code sid=A&sid=B}). */
  public int count(String name) {
    int n = 0;
    for (String s : names) if (s.equals(name)) n++;
    return n;
  }

  /** Number of parameters. */
  public int size() {
    return names.size();
  }

  /** The decoded name of parameter {@code i}, in order of appearance. */
  public String name(int i) {
    return names.get(i);
  }

  /** The decoded value of parameter {@code i}. */
  public String value(int i) {
    return values.get(i);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) sb.append('&');
      sb.append(names.get(i)).append('=').append(values.get(i));
    }
    return sb.toString();
  }

  private static String decode(String s, int from, int to) throws HttpParseException {
    boolean plain = true;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      // The parser hands us ASCII only; anything else did not come off the wire as a URL.
      if (c >= 0x80) throw new HttpParseException(400, "Malformed query string");
      if (c == '%' || c == '+') plain = false;
    }
    if (plain) return s.substring(from, to);
    byte[] bytes = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes[n++] = ' ';
      } else if (c == '%') {
        int hi = i + 2 < to ? hexValue(s.charAt(i + 1)) : -1;
        int lo = hi >= 0 ? hexValue(s.charAt(i + 2)) : -1;
        if (lo < 0) throw new HttpParseException(400, "Malformed query string");
        bytes[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else {
        bytes[n++] = (byte) c;
      }
    }
    // A fresh decoder REPORTs malformed input (overlong forms, surrogates, truncation) instead of
    // replacing it with U+FFFD as new String(bytes, UTF_8) would.
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, n));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new HttpParseException(400, "Malformed query string");
    }
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
