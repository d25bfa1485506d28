package dev.switchboard.websocket;

import static dev.switchboard.websocket.WebSocketProtocol.B0_FIN;
import static dev.switchboard.websocket.WebSocketProtocol.LENGTH_16_BIT;
import static dev.switchboard.websocket.WebSocketProtocol.LENGTH_64_BIT;
import static dev.switchboard.websocket.WebSocketProtocol.MAX_CLOSE_REASON_BYTES;
import static dev.switchboard.websocket.WebSocketProtocol.MAX_CONTROL_PAYLOAD;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_BINARY;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_CLOSE;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_PING;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_PONG;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_TEXT;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the frames a server sends (RFC 6455 §5). Every frame is final (we never fragment what
 * we send) and unmasked: §5.1 forbids a server to mask. Each method returns a fresh heap buffer
 * positioned at the frame's first byte; it is safe to share read-only duplicates of it.
 *
 * <pre>{@code
 * ByteBuffer frame = WebSocketFrameEncoder.text("42[\"hi\"]");
 * // one encoding, many sockets:
 * byte[] utf8 = packet.getBytes(StandardCharsets.UTF_8);
 * byte[] head = WebSocketFrameEncoder.header(WebSocketProtocol.OPCODE_TEXT, utf8.length);
 * channel.write(new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(utf8)});
 * }</pre>
 */
public final class WebSocketFrameEncoder {
  private WebSocketFrameEncoder() {}

  /** A text frame carrying {@code s} as UTF-8. Unpaired surrogates become '?', keeping it valid. */
  public static ByteBuffer text(String s) {
    return textUtf8(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A text frame carrying {@code utf8}, which the caller guarantees is UTF-8 (§5.6): no second
   * encoding or validation pass, for broadcasts encoded once.
   */
  public static ByteBuffer textUtf8(byte[] utf8) {
    return frame(OPCODE_TEXT, utf8, utf8.length);
  }

  public static ByteBuffer binary(byte[] data) {
    return frame(OPCODE_BINARY, data, data.length);
  }

  /** @throws IllegalArgumentException if {@code payload} is longer than 125 bytes (§5.5) */
  public static ByteBuffer ping(byte[] payload) {
    return frame(OPCODE_PING, payload, payload.length);
  }

  /** The answer to a ping, carrying the ping's payload (§5.5.3). */
  public static ByteBuffer pong(byte[] payload) {
    return frame(OPCODE_PONG, payload, payload.length);
  }

  /**
   * A close frame with a status code and a reason. The reason is cut to its longest prefix of
   * whole UTF-8 characters that fits in 123 bytes, since the frame may hold 125 (§5.5).
   *
   * @throws IllegalArgumentException if {@code code} may not be sent (see {@link CloseCodes#isValidReceived})
   */
  public static ByteBuffer close(int code, String reason) {
    // RFC 6455 §7.4.1: 1005, 1006 and 1015 are reported locally and MUST NOT be put in a frame.
    if (!CloseCodes.isValidReceived(code)) throw new IllegalArgumentException("Close code may not be sent: " + code);
    byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    int reasonLength = Math.min(text.length, MAX_CLOSE_REASON_BYTES);
    // Back off while the cut would fall on a continuation byte (10xxxxxx), i.e. inside a character.
    while (reasonLength < text.length && reasonLength > 0 && (text[reasonLength] & 0xC0) == 0x80) reasonLength--;
    byte[] payload = new byte[2 + reasonLength];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, reasonLength);
    return frame(OPCODE_CLOSE, payload, payload.length);
  }

  /** A close frame with no body, the echo of a peer's close that carried none (§5.5.1). */
  public static ByteBuffer close() {
    return frame(OPCODE_CLOSE, new byte[0], 0);
  }

  /**
   * The header of a final, unmasked frame, so a shared payload can follow it in a gathering write.
   *
   * @throws IllegalArgumentException on a continuation or undefined opcode, a negative length, or a control
   *     frame longer than 125 bytes
   */
  public static byte[] header(int opcode, int payloadLength) {
    byte[] out = new byte[headerSize(opcode, payloadLength)];
    writeHeader(out, opcode, payloadLength);
    return out;
  }

  private static ByteBuffer frame(int opcode, byte[] payload, int length) {
    int headerSize = headerSize(opcode, length);
    byte[] out = new byte[headerSize + length];
    writeHeader(out, opcode, length);
    System.arraycopy(payload, 0, out, headerSize, length);
    return ByteBuffer.wrap(out);
  }

  private static int headerSize(int opcode, int length) {
    // Every frame we send is final, so a continuation opcode is never right either.
    if (opcode == OPCODE_CONTINUATION || !WebSocketProtocol.isDefined(opcode)) {
      throw new IllegalArgumentException("Unsupported opcode: " + opcode);
    }
    if (length < 0) throw new IllegalArgumentException("Negative payload length: " + length);
    if (WebSocketProtocol.isControl(opcode) && length > MAX_CONTROL_PAYLOAD) {
      throw new IllegalArgumentException("Control frame payload longer than 125 bytes: " + length);
    }
    // RFC 6455 §5.2: the shortest length form that fits.
    if (length <= MAX_CONTROL_PAYLOAD) return 2;
    if (length <= 0xFFFF) return 4;
    return 10;
  }

  private static void writeHeader(byte[] out, int opcode, int length) {
    out[0] = (byte) (B0_FIN | opcode);
    if (length <= MAX_CONTROL_PAYLOAD) {
      out[1] = (byte) length;
    } else if (length <= 0xFFFF) {
      out[1] = (byte) LENGTH_16_BIT;
      out[2] = (byte) (length >>> 8);
      out[3] = (byte) length;
    } else {
      out[1] = (byte) LENGTH_64_BIT;
      // An int length leaves the top four bytes of the 64-bit form zero (already so in a new array).
      out[6] = (byte) (length >>> 24);
      out[7] = (byte) (length >>> 16);
      out[8] = (byte) (length >>> 8);
      out[9] = (byte) length;
    }
  }
}
