package dev.switchboard.engineio.protocol;

import java.util.Arrays;

/**
 * Standard base64 (RFC 4648 §4, alphabet {@code A–Z a–z 0–9 + /}) read straight out of a range of a
 * payload string and written straight into the polling writer's builder, so neither direction
 * copies the text into a temporary string.
 *
 * <p>Encoding always writes the canonical, padded form, which is what Node's
 * {@code Buffer.toString("base64")} writes. Decoding takes what real clients send, and no more
 * (spec-notes/engine-io-codec.md, "Base64", has the table of each decision next to Node's):
 * <ul>
 *   <li>accepted, as Node's {@code Buffer.from(s, "base64")} accepts them: ASCII whitespace
 *       anywhere (Android's {@code Base64.DEFAULT}, which socket.io-client-java uses, ends the text
 *       with a newline and wraps it every 76 characters), and missing or partial {@code =} padding;
 *   <li>refused, where Node silently drops data: any other character (the URL-safe alphabet
 *       included), {@code =} anywhere but at the end, a lone final character (it carries no whole
 *       byte), and non-zero bits left over by the last group (RFC 4648 §3.5 lets a decoder reject
 *       them). No encoder produces these; accepting them would give one payload many spellings.
 * </ul>
 * The canonical form takes a fast path; only text with whitespace or without its padding is
 * compacted first.
 */
final class PayloadBase64 {
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
  private static final byte[] VALUE = new byte[128];
  private static final byte[] NO_BYTES = new byte[0];

  static {
    Arrays.fill(VALUE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET[i]] = (byte) i;
  }

  private PayloadBase64() {}

  /** Decodes {@code s[start, end)}. */
  static byte[] decode(String s, int start, int end) throws EngineIoProtocolException {
    int n = end - start;
    if (n == 0) return NO_BYTES; // the client encodes an empty buffer as a bare "b"
    if ((n & 3) == 0 && !hasWhitespace(s, start, end)) return decodeCanonical(s, start, end);
    String compact = compact(s, start, end);
    return compact.isEmpty() ? NO_BYTES : decodeCanonical(compact, 0, compact.length());
  }

  private static boolean hasWhitespace(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      if (isWhitespace(s.charAt(i))) return true;
    }
    return false;
  }

  // RFC 4648 §3.3 lets the referring specification allow characters outside the alphabet; Node's
  // decoder (engine.io-parser's Buffer.from(s, "base64")) skips all of them, we skip only what
  // line-wrapping encoders insert (§3.1): space, TAB, LF, VT, FF, CR.
  private static boolean isWhitespace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /**
   * The data characters of {@code s[start, end)} without whitespace, padded to a multiple of 4.
   * Present padding must be at the end ({@code AQ=ID} is refused: Node would stop at the {@code =}
   * and drop {@code ID}); characters outside the alphabet are left for the canonical decoder to
   * refuse.
   */
  private static String compact(String s, int start, int end) throws EngineIoProtocolException {
    StringBuilder b = new StringBuilder(end - start + 3);
    int padding = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (isWhitespace(c)) continue;
      if (c == '=') padding++;
      else if (padding > 0) throw invalid();
      else b.append(c);
    }
    int data = b.length();
    if (data == 0 && padding == 0) return ""; // only whitespace: empty, like a bare "b"
    if (data == 0 || (data & 3) == 1 || padding > 2) throw invalid();
    // RFC 4648 §3.2: padding may be omitted where the referring specification says so; Node does.
    int needed = (4 - (data & 3)) & 3;
    if (padding > needed) throw invalid();
    for (int i = 0; i < needed; i++) b.append('=');
    return b.toString();
  }

  /** The canonical form: a multiple of 4, {@code =} only as one or two final characters. */
  private static byte[] decodeCanonical(String s, int start, int end) throws EngineIoProtocolException {
    int n = end - start;
    if ((n & 3) != 0) throw invalid();
    int pad = s.charAt(end - 1) != '=' ? 0 : s.charAt(end - 2) != '=' ? 1 : 2;
    byte[] out = new byte[n / 4 * 3 - pad];
    int o = 0;
    int fullEnd = pad == 0 ? end : end - 4;
    for (int i = start; i < fullEnd; i += 4) {
      int bits = sextet(s.charAt(i)) << 18 | sextet(s.charAt(i + 1)) << 12 | sextet(s.charAt(i + 2)) << 6 | sextet(s.charAt(i + 3));
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
    }
    if (pad == 1) {
      int bits = sextet(s.charAt(end - 4)) << 12 | sextet(s.charAt(end - 3)) << 6 | sextet(s.charAt(end - 2));
      if ((bits & 0x3) != 0) throw invalid(); // RFC 4648 §3.5: non-zero pad bits
      out[o++] = (byte) (bits >> 10);
      out[o] = (byte) (bits >> 2);
    } else if (pad == 2) {
      int bits = sextet(s.charAt(end - 4)) << 6 | sextet(s.charAt(end - 3));
      if ((bits & 0xf) != 0) throw invalid();
      out[o] = (byte) (bits >> 4);
    }
    return out;
  }

  static void encode(byte[] data, StringBuilder out) {
    out.ensureCapacity(out.length() + (data.length + 2) / 3 * 4);
    int full = data.length - data.length % 3;
    for (int i = 0; i < full; i += 3) {
      int bits = (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff);
      out.append(ALPHABET[bits >> 18]).append(ALPHABET[(bits >> 12) & 0x3f])
          .append(ALPHABET[(bits >> 6) & 0x3f]).append(ALPHABET[bits & 0x3f]);
    }
    int rest = data.length - full;
    if (rest == 1) {
      int bits = (data[full] & 0xff) << 16;
      out.append(ALPHABET[bits >> 18]).append(ALPHABET[(bits >> 12) & 0x3f]).append("==");
    } else if (rest == 2) {
      int bits = (data[full] & 0xff) << 16 | (data[full + 1] & 0xff) << 8;
      out.append(ALPHABET[bits >> 18]).append(ALPHABET[(bits >> 12) & 0x3f]).append(ALPHABET[(bits >> 6) & 0x3f]).append('=');
    }
  }

  // '=' is not in the table, so padding anywhere but the end is rejected here.
  private static int sextet(char c) throws EngineIoProtocolException {
    int v = c < 128 ? VALUE[c] : -1;
    if (v < 0) throw invalid();
    return v;
  }

  private static EngineIoProtocolException invalid() {
    return new EngineIoProtocolException("Invalid base64 payload");
  }
}
