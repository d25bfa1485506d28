package dev.switchboard.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed query string, decoded as application/x-www-form-urlencoded ({@code +} is a space),
 * strictly: a broken %-escape or percent-decoded bytes that are not UTF-8 refuse the request
 * (hostile-inputs A10) instead of being guessed at.
 */
public final class QueryParameters {
  /** Our DoS cap: no real client sends more; each parameter costs two strings. */
  public static final int MAX_PARAMETERS = 100;
  private static final QueryParameters EMPTY = new QueryParameters(List.of(), List.of());

  private final List<String> names;
  private final List<String> values;

  private QueryParameters(List<String> names, List<String> values) {
    this.names = names;
    this.values = values;
  }

  public static QueryParameters parse(String rawQuery) throws HttpParseException {
    if (rawQuery == null || rawQuery.isEmpty()) return EMPTY;
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    int start = 0;
    while (start <= rawQuery.length()) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? rawQuery.length() : amp;
      if (end > start) {
        if (names.size() == MAX_PARAMETERS) throw new HttpParseException(400, "Too many query parameters");
        int eq = rawQuery.indexOf('=', start);
        if (eq < 0 || eq > end) {
          names.add(decode(rawQuery, start, end));
          values.add("");
        } else {
          names.add(decode(rawQuery, start, eq));
          values.add(decode(rawQuery, eq + 1, end));
        }
      }
      if (amp < 0) break;
      start = amp + 1;
    }
    return new QueryParameters(List.copyOf(names), List.copyOf(values));
  }

  private static String decode(String s, int from, int to) throws HttpParseException {
    boolean plain = true;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+') {
        plain = false;
        break;
      }
    }
    if (plain) return s.substring(from, to);
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%') {
        if (i + 2 >= to) throw malformed();
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) throw malformed();
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer cb = dec.decode(ByteBuffer.wrap(out.toByteArray()));
      return cb.toString();
    } catch (CharacterCodingException e) {
      throw malformed();
    }
  }

  private static HttpParseException malformed() {
    return new HttpParseException(400, "Malformed query string");
  }

  /** The first value of {@code name}, or null. */
  public String first(String name) {
    for (int i = 0; i < names.size(); i++) if (names.get(i).equals(name)) return values.get(i);
    return null;
  }

  public List<String> all(String name) {
    List<String> out = new ArrayList<>(1);
    for (int i = 0; i < names.size(); i++) if (names.get(i).equals(name)) out.add(values.get(i));
    return out;
  }

  public boolean has(String name) {
    return first(name) != null;
  }

  public int count(String name) {
    int n = 0;
    for (String s : names) if (s.equals(name)) n++;
    return n;
  }

  /** Distinct parameter names, in order of first appearance. */
  public Set<String> names() {
    return new LinkedHashSet<>(names);
  }
}
