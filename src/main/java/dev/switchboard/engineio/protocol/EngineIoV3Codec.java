package dev.switchboard.engineio.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Engine.IO protocol 3 encodings (engine.io-protocol, 3rd revision, cited as <em>EIO3
 * §Section</em>), spoken by socket.io-client 2.x and socket.io-client-java 1.x when the server
 * allows it ({@code EngineIoOptions.allowEIO3}). Packets are the same as in v4 (type digit +
 * data); what differs is how they are framed:
 *
 * <ul>
 *   <li>Text payload (EIO3 §Encoding › Payload): {@code <length>:<packet>} repeated, the length counting
 *       the packet's UTF-16 code units as JavaScript's {@code String.length} does
 *       ({@code 2:4€}); a binary message is {@code b4} + base64 and counted the same way.
 *   <li>Binary payload (EIO3 §Encoding › Payload, XHR2): for each packet a kind byte ({@code 0} text,
 *       {@code 1} binary), the length as one byte per decimal digit (0–9), {@code 0xFF}, then the
 *       packet: text as UTF-8 (the length counts its bytes), binary as the type byte {@code 4}
 *       and the data (the length counts both).
 *   <li>WebSocket (EIO3 §Encoding › Packet; §Transports › WebSocket: one packet per frame): a binary frame carries the type byte {@code 4} before the
 *       data; a text frame is the packet as in v4, or {@code b4} + base64.
 * </ul>
 *
 * <p>Decoding is strict where Node's parser 2.x is loose, each choice in spec-notes/engine-io.md
 * ("Engine.IO v3"): lengths are decimal digits only (at most {@link #MAX_LENGTH_DIGITS}) and must
 * fit in the body, a length may not cut a character in two, only messages may be binary, and
 * text is strict UTF-8. The first bad packet stops decoding; the ones before it were delivered.
 *
 * <pre>{@code
 * EngineIoV3Codec.decodeTextPayload("6:4hello1:2", sink);       // message "hello", ping
 * byte[] body = EngineIoV3Codec.encodeBinaryPayload(List.of(EngineIoPacket.message(new byte[] {1})));
 * // {1, 2, 0xFF, 4, 1}
 * }</pre>
 *
 * <p>Threading: stateless, any thread.
 */
public final class EngineIoV3Codec {
  /** Length digits allowed: a body is at most {@code maxHttpBufferSize} (an int) long. */
  public static final int MAX_LENGTH_DIGITS = 10;
  /** The type byte in front of a binary message (EIO3 §Encoding › Packet: the message type, 4). */
  public static final byte MESSAGE_TYPE_BYTE = 4;
  private static final int KIND_TEXT = 0;
  private static final int KIND_BINARY = 1;
  private static final int LENGTH_END = 0xFF;

  private EngineIoV3Codec() {}

  // ------------------------------------------------------------------ packets (WebSocket frames)

  /**
   * Decodes a text packet: {@code 4hello}, {@code 2probe}, or {@code b4} + base64 for a binary
   * message (engine.io-parser 2.x {@code decodeBase64Packet}).
   *
   * @throws EngineIoProtocolException "Empty packet", "Unknown packet type", "Invalid base64 payload"
   */
  public static EngineIoPacket decodeText(String frame) throws EngineIoProtocolException {
    return decode(frame, 0, frame.length());
  }

  static EngineIoPacket decode(String s, int start, int end) throws EngineIoProtocolException {
    if (start == end) throw new EngineIoProtocolException("Empty packet");
    if (s.charAt(start) == EngineIoProtocol.BINARY_PREFIX) {
      // EIO3 §Encoding › Packet: "b" + the packet type + base64. Only a message can carry binary.
      if (end - start < 2 || s.charAt(start + 1) != EngineIoPacketType.MESSAGE.wire()) {
        throw new EngineIoProtocolException("Unknown packet type");
      }
      return EngineIoPacket.message(PayloadBase64.decode(s, start + 2, end));
    }
    return EngineIoPacketCodec.decode(s, start, end);
  }

  /**
   * Decodes a WebSocket binary frame: the type byte {@code 4}, then the message's bytes (EIO3
   * §Encoding). engine.io-parser 2.x would read any first byte as a type; only a message can be
   * binary, so anything else is refused.
   *
   * @throws EngineIoProtocolException "Empty packet", "Unknown packet type"
   */
  public static EngineIoPacket decodeBinary(byte[] frame) throws EngineIoProtocolException {
    Objects.requireNonNull(frame, "frame");
    if (frame.length == 0) throw new EngineIoProtocolException("Empty packet");
    if (frame[0] != MESSAGE_TYPE_BYTE) throw new EngineIoProtocolException("Unknown packet type");
    return EngineIoPacket.message(java.util.Arrays.copyOfRange(frame, 1, frame.length));
  }

  /**
   * The binary WebSocket frame of a binary message: {@code 4} and its bytes.
   *
   * @throws IllegalArgumentException if {@code p} is a text packet
   */
  public static byte[] encodeBinary(EngineIoPacket p) {
    if (!p.isBinary()) throw new IllegalArgumentException("Text packet has no binary frame");
    byte[] data = p.binary();
    byte[] frame = new byte[data.length + 1];
    frame[0] = MESSAGE_TYPE_BYTE;
    System.arraycopy(data, 0, frame, 1, data.length);
    return frame;
  }

  /**
   * The text form of any packet: type + text, or {@code b4} + base64 for a binary message (what
   * a {@code b64=1} client gets, over polling and WebSocket alike).
   */
  public static String encodeText(EngineIoPacket p) {
    if (!p.isBinary()) return p.type().wire() + p.text();
    StringBuilder sb = new StringBuilder(2 + (p.binary().length + 2) / 3 * 4);
    sb.append(EngineIoProtocol.BINARY_PREFIX).append(EngineIoPacketType.MESSAGE.wire());
    PayloadBase64.encode(p.binary(), sb);
    return sb.toString();
  }

  // ------------------------------------------------------------------ text payload

  /**
   * Decodes a text payload, handing each packet to {@code sink} as it is cut out. A length of
   * {@code 0} ({@code 0:}, what an empty payload is) carries no packet and is skipped, as Node
   * does.
   *
   * @throws EngineIoProtocolException "Empty payload", "Invalid length", "Length beyond the
   *     payload", "Length splits a character", or what {@link #decodeText} throws
   */
  public static void decodeTextPayload(String payload, EngineIoPayloadCodec.PacketSink sink)
      throws EngineIoProtocolException {
    Objects.requireNonNull(sink, "sink");
    int n = payload.length();
    if (n == 0) throw new EngineIoProtocolException("Empty payload");
    int i = 0;
    while (i < n) {
      // EIO3 §Encoding › Payload: <length>:<packet>. Decimal digits only; engine.io-parser 2.x compares
      // with Number(), which also takes "1e1", "0x1" and " 1" — refused here.
      int digitsStart = i;
      long length = 0;
      while (i < n && payload.charAt(i) != ':') {
        char c = payload.charAt(i);
        if (c < '0' || c > '9' || i - digitsStart >= MAX_LENGTH_DIGITS) throw invalidLength();
        length = length * 10 + (c - '0');
        i++;
      }
      if (i == n || i == digitsStart) throw invalidLength();
      i++; // ':'
      if (length > n - i) throw new EngineIoProtocolException("Length beyond the payload");
      int end = i + (int) length;
      // The length counts UTF-16 units, so a lying one can end between the two halves of a
      // surrogate pair: both packets would hold half a character.
      if (end < n && Character.isLowSurrogate(payload.charAt(end)) && end > i
          && Character.isHighSurrogate(payload.charAt(end - 1))) {
        throw new EngineIoProtocolException("Length splits a character");
      }
      if (end > i) sink.accept(decode(payload, i, end));
      i = end;
    }
  }

  /** Decodes a whole text payload into a list; for tests and small bodies. */
  public static List<EngineIoPacket> decodeTextPayload(String payload) throws EngineIoProtocolException {
    List<EngineIoPacket> out = new ArrayList<>();
    decodeTextPayload(payload, out::add);
    return out;
  }

  /**
   * The text payload for {@code packets} (binary messages as {@code b4} + base64); {@code 0:} for
   * none, as engine.io-parser 2.x writes it.
   */
  public static String encodeTextPayload(List<EngineIoPacket> packets) {
    if (packets.isEmpty()) return "0:";
    StringBuilder out = new StringBuilder();
    for (EngineIoPacket p : packets) {
      String text = encodeText(p);
      // Java's String.length() counts UTF-16 code units, exactly what JavaScript counts.
      out.append(text.length()).append(':').append(text);
    }
    return out.toString();
  }

  // ------------------------------------------------------------------ binary payload

  /**
   * Decodes a binary (XHR2) payload, handing each packet to {@code sink} as it is cut out.
   *
   * @throws EngineIoProtocolException "Empty payload", "Invalid binary payload" (a kind byte other
   *     than 0 or 1), "Invalid length", "Length beyond the payload", "Empty packet", "Invalid
   *     UTF-8", or what {@link #decodeText} throws
   */
  public static void decodeBinaryPayload(byte[] body, EngineIoPayloadCodec.PacketSink sink)
      throws EngineIoProtocolException {
    Objects.requireNonNull(sink, "sink");
    int n = body.length;
    if (n == 0) throw new EngineIoProtocolException("Empty payload");
    int i = 0;
    while (i < n) {
      int kind = body[i++];
      if (kind != KIND_TEXT && kind != KIND_BINARY) throw new EngineIoProtocolException("Invalid binary payload");
      long length = 0;
      int digits = 0;
      while (true) {
        if (i == n) throw invalidLength();
        int b = body[i++] & 0xFF;
        if (b == LENGTH_END) break;
        // EIO3 §Encoding › Payload: one byte per decimal digit. Node's parser allows 310 of them.
        if (b > 9 || ++digits > MAX_LENGTH_DIGITS) throw invalidLength();
        length = length * 10 + b;
      }
      if (digits == 0) throw invalidLength();
      if (length > n - i) throw new EngineIoProtocolException("Length beyond the payload");
      if (length == 0) throw new EngineIoProtocolException("Empty packet");
      int len = (int) length;
      if (kind == KIND_TEXT) {
        String text = EngineIoPayloadCodec.decodeUtf8Strict(body, i, len);
        sink.accept(decode(text, 0, text.length()));
      } else {
        if (body[i] != MESSAGE_TYPE_BYTE) throw new EngineIoProtocolException("Unknown packet type");
        sink.accept(EngineIoPacket.message(java.util.Arrays.copyOfRange(body, i + 1, i + len)));
      }
      i += len;
    }
  }

  /** Decodes a whole binary payload into a list; for tests and small bodies. */
  public static List<EngineIoPacket> decodeBinaryPayload(byte[] body) throws EngineIoProtocolException {
    List<EngineIoPacket> out = new ArrayList<>();
    decodeBinaryPayload(body, out::add);
    return out;
  }

  /**
   * The binary payload for {@code packets}: what a client that takes binary gets when at least
   * one of them is binary (engine.io-parser 2.x {@code encodePayloadAsBinary}); empty for none.
   */
  public static byte[] encodeBinaryPayload(List<EngineIoPacket> packets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (EngineIoPacket p : packets) {
      if (p.isBinary()) {
        byte[] data = p.binary();
        writeHeader(out, KIND_BINARY, data.length + 1);
        out.write(MESSAGE_TYPE_BYTE);
        out.write(data, 0, data.length);
      } else {
        byte[] text = (p.type().wire() + p.text()).getBytes(StandardCharsets.UTF_8);
        writeHeader(out, KIND_TEXT, text.length);
        out.write(text, 0, text.length);
      }
    }
    return out.toByteArray();
  }

  /** Whether any of {@code packets} is binary (then a binary-capable client gets a binary payload). */
  public static boolean hasBinary(List<EngineIoPacket> packets) {
    for (EngineIoPacket p : packets) {
      if (p.isBinary()) return true;
    }
    return false;
  }

  private static void writeHeader(ByteArrayOutputStream out, int kind, int length) {
    out.write(kind);
    String digits = Integer.toString(length);
    for (int i = 0; i < digits.length(); i++) out.write(digits.charAt(i) - '0');
    out.write(LENGTH_END);
  }

  private static EngineIoProtocolException invalidLength() {
    return new EngineIoProtocolException("Invalid length");
  }
}
