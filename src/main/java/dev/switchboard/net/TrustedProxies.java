package dev.switchboard.net;

import dev.switchboard.http.HttpHeaders;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse proxies whose {@code X-Forwarded-For} we believe, as addresses and CIDR blocks
 * ({@code 10.0.0.0/8, 192.168.1.5, fd00::/8}). Only when the TCP peer is one of them does the
 * client's address come from the header: a client talking to us directly could write any address
 * there, and would then rotate it past every per-address limit.
 *
 * <p>The header is read right to left (each proxy appends the address it received the request
 * from): entries that are themselves trusted proxies are skipped, and the first one that is not
 * is the client (spec-notes/operations.md, "Client address"). An entry that is not an address
 * literal stops the walk at the last hop we could check. No name is ever resolved.
 *
 * <p>Threading: immutable, any thread.
 */
public final class TrustedProxies {
  /** Trust nobody: the client address is always the TCP peer (the default). */
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), "none");

  /** An X-Forwarded-For with more entries than this is read only up to here, from the right. */
  static final int MAX_HOPS = 32;

  private record Block(byte[] network, int prefixBits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) return false;
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
      int rest = prefixBits % 8;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Block> blocks;
  private final String text;

  private TrustedProxies(List<Block> blocks, String text) {
    this.blocks = blocks;
    this.text = text;
  }

  /**
   * Reads a comma-separated list of IPv4/IPv6 addresses and CIDR blocks; an empty list is
   * {@link #NONE}. IllegalArgumentException naming the first entry that is neither.
   */
  public static TrustedProxies parse(String list) {
    List<Block> blocks = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String part : list.split(",")) {
      String entry = part.strip();
      if (entry.isEmpty()) continue;
      int slash = entry.indexOf('/');
      InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (address == null) throw new IllegalArgumentException("not an address or CIDR block: " + entry);
      int max = address.getAddress().length * 8;
      int bits = max;
      if (slash >= 0) {
        String n = entry.substring(slash + 1);
        if (!n.matches("[0-9]{1,3}") || Integer.parseInt(n) > max) {
          throw new IllegalArgumentException("not an address or CIDR block: " + entry);
        }
        bits = Integer.parseInt(n);
      }
      blocks.add(new Block(address.getAddress(), bits));
      if (text.length() > 0) text.append(',');
      text.append(address.getHostAddress()).append('/').append(bits);
    }
    return blocks.isEmpty() ? NONE : new TrustedProxies(List.copyOf(blocks), text.toString());
  }

  /** Whether no proxy is trusted. */
  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether {@code address} is a trusted proxy. */
  public boolean contains(InetAddress address) {
    if (blocks.isEmpty() || address == null) return false;
    byte[] bytes = address.getAddress();
    for (Block b : blocks) if (b.contains(bytes)) return true;
    return false;
  }

  /**
   * The client of a request that reached us from {@code peer} with {@code headers}: {@code peer}
   * itself unless it is trusted; otherwise the right-most {@code X-Forwarded-For} entry that is
   * not a trusted proxy (every field of that name, in order, read as one list).
   */
  public InetAddress clientAddress(InetAddress peer, HttpHeaders headers) {
    if (!contains(peer)) return peer;
    InetAddress client = peer;
    int hops = 0;
    for (int f = headers.size() - 1; f >= 0; f--) {
      if (!headers.name(f).equalsIgnoreCase("X-Forwarded-For")) continue;
      String value = headers.value(f);
      int end = value.length();
      while (end >= 0) {
        int comma = value.lastIndexOf(',', end - 1);
        String entry = value.substring(comma + 1, end).strip();
        end = comma;
        if (entry.isEmpty()) {
          if (comma < 0) break;
          continue;
        }
        if (++hops > MAX_HOPS) return client;
        InetAddress hop = literal(withoutPort(entry));
        if (hop == null) return client; // not an address: the last hop we could check
        client = hop;
        if (!contains(hop)) return hop;
        if (comma < 0) break;
      }
    }
    return client;
  }

  /** {@code [v6]:port} → v6, {@code [v6]} → v6, {@code v4:port} → v4; anything else unchanged. */
  private static String withoutPort(String entry) {
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      return close < 0 ? entry : entry.substring(1, close);
    }
    int colon = entry.indexOf(':');
    if (colon > 0 && entry.indexOf(':', colon + 1) < 0) return entry.substring(0, colon);
    return entry;
  }

  private static final java.util.regex.Pattern IPV4 =
      java.util.regex.Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  /** An IPv4 or IPv6 literal, never a name (so nothing is looked up), or null. */
  static InetAddress literal(String s) {
    if (s.isEmpty() || s.length() > 45) return null;
    boolean colon = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') colon = true;
      else if (!(c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return null;
    }
    // InetAddress.getByName resolves whatever it cannot parse as a literal, so only exact
    // dotted-quads reach it, and IPv6 goes in brackets, which makes a bad literal an error.
    if (!colon && !IPV4.matcher(s).matches()) return null;
    try {
      return InetAddress.getByName(colon ? "[" + s + "]" : s);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
