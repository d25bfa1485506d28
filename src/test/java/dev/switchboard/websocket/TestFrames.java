package dev.switchboard.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds raw client frames for tests, legal or not: any FIN/RSV/opcode combination, masked or
 * not, any length form, and a declared length that need not match the payload. Tests only: the
 * server never masks (RFC 6455 §5.1).
 *
 * <pre>{@code TestFrames.text("Hel").fin(false).bytes()}</pre>
 */
final class TestFrames {
  /** The masking key of the RFC 6455 §5.7 examples; fixed so failures are reproducible. */
  static final byte[] RFC_KEY = {0x37, (byte) 0xfa, 0x21, 0x3d};

  private TestFrames() {}

  static Frame frame(int opcode, byte[] payload) {
    return new Frame(opcode, payload);
  }

  static Frame text(String s) {
    return frame(WebSocketProtocol.OPCODE_TEXT, utf8(s));
  }

  static Frame text(byte[] payload) {
    return frame(WebSocketProtocol.OPCODE_TEXT, payload);
  }

  static Frame binary(byte[] payload) {
    return frame(WebSocketProtocol.OPCODE_BINARY, payload);
  }

  static Frame continuation(String s) {
    return continuation(utf8(s));
  }

  static Frame continuation(byte[] payload) {
    return frame(WebSocketProtocol.OPCODE_CONTINUATION, payload);
  }

  static Frame ping(byte[] payload) {
    return frame(WebSocketProtocol.OPCODE_PING, payload);
  }

  static Frame pong(byte[] payload) {
    return frame(WebSocketProtocol.OPCODE_PONG, payload);
  }

  /** A close frame whose body is the 2-byte code followed by {@code reason}. */
  static Frame close(int code, byte[] reason) {
    byte[] body = new byte[2 + reason.length];
    body[0] = (byte) (code >>> 8);
    body[1] = (byte) code;
    System.arraycopy(reason, 0, body, 2, reason.length);
    return frame(WebSocketProtocol.OPCODE_CLOSE, body);
  }

  static Frame closeWithoutBody() {
    return frame(WebSocketProtocol.OPCODE_CLOSE, new byte[0]);
  }

  static Frame close(int code, String reason) {
    return close(code, utf8(reason));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
    return out;
  }

  /** {@code n} bytes counting up from 0, wrapping at 256. */
  static byte[] counting(int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) out[i] = (byte) i;
    return out;
  }

  static byte[] concat(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      byte[] b = p instanceof Frame f ? f.bytes() : (byte[]) p;
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  /** One frame under construction; every setter returns this. */
  static final class Frame {
    private final int opcode;
    private final byte[] payload;
    private boolean fin = true;
    private int rsv;
    private byte[] key = RFC_KEY;
    /** 7, 16 or 64; 0 picks the minimal form. */
    private int lengthForm;
    private Long declaredLength;

    private Frame(int opcode, byte[] payload) {
      this.opcode = opcode;
      this.payload = payload;
    }

    Frame fin(boolean fin) {
      this.fin = fin;
      return this;
    }

    /** RSV bits as a 3-bit number: 4 = RSV1, 2 = RSV2, 1 = RSV3. */
    Frame rsv(int bits) {
      this.rsv = bits;
      return this;
    }

    Frame unmasked() {
      this.key = null;
      return this;
    }

    Frame mask(byte[] key) {
      this.key = key;
      return this;
    }

    /** Forces the 7-, 16- or 64-bit length form, minimal or not. */
    Frame lengthForm(int bits) {
      this.lengthForm = bits;
      return this;
    }

    /** Writes {@code length} in the header whatever the payload really is. */
    Frame declaredLength(long length) {
      this.declaredLength = length;
      return this;
    }

    byte[] bytes() {
      long length = declaredLength != null ? declaredLength : payload.length;
      // Unsigned: a declared length with the top bit set needs the 64-bit form.
      int form = lengthForm != 0 ? lengthForm
          : Long.compareUnsigned(length, 125) <= 0 ? 7 : Long.compareUnsigned(length, 0xFFFF) <= 0 ? 16 : 64;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0x0F));
      int maskBit = key != null ? 0x80 : 0;
      if (form == 7) {
        out.write(maskBit | (int) length);
      } else if (form == 16) {
        out.write(maskBit | 126);
        out.write((int) (length >>> 8));
        out.write((int) length);
      } else {
        out.write(maskBit | 127);
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (length >>> shift));
      }
      if (key != null) out.write(key, 0, 4);
      for (int i = 0; i < payload.length; i++) out.write(key != null ? payload[i] ^ key[i & 3] : payload[i]);
      return out.toByteArray();
    }
  }
}
