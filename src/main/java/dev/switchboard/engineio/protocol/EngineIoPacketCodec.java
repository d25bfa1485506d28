package dev.switchboard.engineio.protocol;

import java.util.Objects;

/**
 * One Engine.IO packet per WebSocket message (engine.io-protocol §Packet encoding › WebSocket:
 * "Each Engine.IO packet is sent in its own WebSocket frame").
 *
 * <pre>{@code
 * EngineIoPacket p = EngineIoPacketCodec.decodeText("2probe");   // PING "probe"
 * String reply = EngineIoPacketCodec.encodeText(EngineIoPacket.pong(p.text())); // "3probe"
 * }</pre>
 *
 * <p>The record separator has no meaning here: a text frame is one packet whatever it contains.
 */
public final class EngineIoPacketCodec {
  private EngineIoPacketCodec() {}

  /**
   * Decodes a WebSocket text message: the type character, then the data.
   *
   * <p>A text frame starting with {@code b} is a base64 binary message, as in a polling payload:
   * engine.io-parser's {@code decodePacket} reads it that way on every transport, and
   * engine.io-client with {@code forceBase64} sends binary like this over WebSocket.
   *
   * @throws EngineIoProtocolException "Empty packet", "Unknown packet type", "Invalid base64 payload"
   */
  public static EngineIoPacket decodeText(String frame) throws EngineIoProtocolException {
    return decode(frame, 0, frame.length());
  }

  /**
   * Decodes a WebSocket binary message. engine.io-protocol §Packet encoding › WebSocket: "Binary
   * payloads are sent as is" — in v4 the frame is the message's bytes, with no type byte (v3 put a
   * {@code 4} in front). An empty frame is an empty binary message. The array is not copied.
   */
  public static EngineIoPacket decodeBinary(byte[] frame) {
    return EngineIoPacket.message(Objects.requireNonNull(frame, "frame"));
  }

  /**
   * The text frame for {@code p}: type character + text, e.g. {@code "3probe"}, {@code "6"}.
   *
   * @throws IllegalArgumentException if {@code p} is binary; send it with {@link #encodeBinary}
   */
  public static String encodeText(EngineIoPacket p) {
    if (p.isBinary()) throw new IllegalArgumentException("Binary packet has no text frame");
    return p.type().wire() + p.text();
  }

  /**
   * The binary frame for a binary message: its bytes as they are (the packet's own array).
   *
   * @throws IllegalArgumentException if {@code p} is a text packet
   */
  public static byte[] encodeBinary(EngineIoPacket p) {
    if (!p.isBinary()) throw new IllegalArgumentException("Text packet has no binary frame");
    return p.binary();
  }

  /**
   * Decodes the packet {@code s[start, end)}; shared by the WebSocket frame and every record of a
   * polling payload, so both transports accept exactly the same packets.
   */
  static EngineIoPacket decode(String s, int start, int end) throws EngineIoProtocolException {
    // engine.io-protocol §Protocol: a packet is at least its type. engine.io-parser maps "" to
    // its error packet (python-engineio #269 crashed on it instead).
    if (start == end) throw new EngineIoProtocolException("Empty packet");
    char c = s.charAt(start);
    if (c == EngineIoProtocol.BINARY_PREFIX) {
      // engine.io-protocol §Packet encoding › HTTP long-polling: "b" + base64 is a binary message.
      return EngineIoPacket.message(PayloadBase64.decode(s, start + 1, end));
    }
    EngineIoPacketType type = EngineIoPacketType.fromWire(c);
    // Data is never interpreted here: "2probe", "3abc" and "5:hello" (an EIO3 length prefix, which
    // v4 reads as an upgrade packet with data ":hello", as engine.io-parser does) are all just
    // type + text; the session layer decides what each type may carry.
    return EngineIoPacket.of(type, end - start == 1 ? "" : s.substring(start + 1, end));
  }
}
