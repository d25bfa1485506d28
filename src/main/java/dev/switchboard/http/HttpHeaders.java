package dev.switchboard.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * An ordered, case-insensitive multi-map of header fields (RFC 9110 §5). Names are kept as
 * received; look-ups ignore ASCII case. Immutable once built by the parser.
 */
public final class HttpHeaders {
  private final List<String> names;
  private final List<String> values;

  private HttpHeaders(List<String> names, List<String> values) {
    this.names = names;
    this.values = values;
  }

  /** Fields from alternating names and values, e.g. {@code of(List.of("Host", "a", "Accept", "text/plain"))}. */
  public static HttpHeaders of(List<String> namesAndValues) {
    if (namesAndValues.size() % 2 != 0) throw new IllegalArgumentException("odd number of items");
    Builder b = new Builder();
    for (int i = 0; i < namesAndValues.size(); i += 2) b.add(namesAndValues.get(i), namesAndValues.get(i + 1));
    return b.build();
  }

  /** Fields from alternating names and values, e.g. {@code of("Host", "a")}. */
  public static HttpHeaders of(String... namesAndValues) {
    return of(List.of(namesAndValues));
  }

  /** The first value of {@code name}, or null. */
  public String first(String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) return values.get(i);
    }
    return null;
  }

  /** Every value of {@code name}, in order. */
  public List<String> all(String name) {
    List<String> out = new ArrayList<>(1);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) out.add(values.get(i));
    }
    return out;
  }

  /** Whether a field named {@code name} (any case) was received. */
  public boolean contains(String name) {
    return first(name) != null;
  }

  /** How many fields named {@code name} were received. */
  public int count(String name) {
    int n = 0;
    for (String s : names) if (s.equalsIgnoreCase(name)) n++;
    return n;
  }

  /**
   * Whether any field named {@code name} holds {@code token} in its comma-separated list,
   * ignoring ASCII case and optional whitespace (RFC 9110 §5.6.1), e.g. {@code Connection:
   * keep-alive, Upgrade} has the token {@code upgrade}.
   */
  public boolean hasToken(String name, String token) {
    for (int i = 0; i < names.size(); i++) {
      if (!names.get(i).equalsIgnoreCase(name)) continue;
      String v = values.get(i);
      int start = 0;
      while (start <= v.length()) {
        int comma = v.indexOf(',', start);
        int end = comma < 0 ? v.length() : comma;
        if (v.substring(start, end).trim().equalsIgnoreCase(token)) return true;
        if (comma < 0) break;
        start = comma + 1;
      }
    }
    return false;
  }

  /** How many fields, repeated names counted each time. */
  public int size() {
    return names.size();
  }

  /** The name of field {@code i} (0 to {@code size() - 1}), as received. */
  public String name(int i) {
    return names.get(i);
  }

  /** The value of field {@code i} (0 to {@code size() - 1}), trimmed of surrounding whitespace. */
  public String value(int i) {
    return values.get(i);
  }

  /** Every field name in order, as received; unmodifiable. */
  public List<String> names() {
    return Collections.unmodifiableList(names);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      sb.append(names.get(i)).append(": ").append(values.get(i)).append('\n');
    }
    return sb.toString();
  }

  /** Accumulates fields in order. Not thread-safe. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    /** An empty set of fields; {@link #build} makes the immutable {@link HttpHeaders}. */
    public Builder() {}

    /** Appends a field; repeated names stay separate fields. */
    public Builder add(String name, String value) {
      names.add(name);
      values.add(value);
      return this;
    }

    /** How many fields were added so far. */
    public int size() {
      return names.size();
    }

    /** The fields added so far, immutable. */
    public HttpHeaders build() {
      return new HttpHeaders(List.copyOf(names), List.copyOf(values));
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
