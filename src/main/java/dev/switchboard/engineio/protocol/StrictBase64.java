package dev.switchboard.engineio.protocol;

import java.util.Arrays;

/**
 * Standard base64 (RFC 4648 §4, alphabet {@code A–Z a–z 0–9 + /}, padded) read straight out of a
 * range of a payload string and written straight into the polling writer's builder, so neither
 * direction copies the text into a temporary string.
 *
 * <p>Decoding is canonical-only: the length is a multiple of 4, {@code =} appears only as one or
 * two final padding characters, and the bits the padding leaves unused are zero (RFC 4648 §3.5
 * lets a decoder reject them). Node's {@code Buffer.toString("base64")} and the browser client's
 * {@code readAsDataURL} both produce exactly this form, so strictness costs no real client
 * anything, and it makes decode the inverse of encode. The JDK's {@code Base64.Decoder} would take
 * {@code AAA} without its padding, which is why it is not used.
 */
final class StrictBase64 {
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
  private static final byte[] VALUE = new byte[128];
  private static final byte[] NO_BYTES = new byte[0];

  static {
    Arrays.fill(VALUE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET[i]] = (byte) i;
  }

  private StrictBase64() {}

  /** Decodes {@code s[start, end)}. */
  static byte[] decode(String s, int start, int end) throws EngineIoProtocolException {
    int n = end - start;
    if (n == 0) return NO_BYTES; // the client encodes an empty buffer as a bare "b"
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
