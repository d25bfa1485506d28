package dev.switchboard.engineio.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP long-polling body: packets joined by the record separator, binary ones as {@code b} +
 * base64 (engine.io-protocol §Packet encoding › HTTP long-polling).
 *
 * <pre>{@code
 * EngineIoPayloadCodec.decode(EngineIoPayloadCodec.decodeUtf8Strict(body, 0, body.length), session::onPacket);
 * StringBuilder body = new StringBuilder();
 * EngineIoPayloadCodec.encode(EngineIoPacket.message(new byte[] {1, 2, 3, 4}), body); // "bAQIDBA=="
 * }</pre>
 *
 * <p>Decoding is a single left-to-right pass: each packet is handed to the sink as soon as it is
 * cut out, and nothing is kept, so the work and the memory are linear in the body whatever the
 * number of packets (hostile-inputs.md#A23).
 */
public final class EngineIoPayloadCodec {
  public static final char RECORD_SEPARATOR = EngineIoProtocol.RECORD_SEPARATOR;
  public static final char BINARY_PREFIX = EngineIoProtocol.BINARY_PREFIX;

  private EngineIoPayloadCodec() {}

  /** Receives decoded packets in order; may itself throw to stop decoding. */
  @FunctionalInterface
  public interface PacketSink {
    void accept(EngineIoPacket p) throws EngineIoProtocolException;
  }

  /**
   * Decodes {@code payload}, handing each packet to {@code sink} as soon as it is parsed. When a
   * packet is malformed, the packets before it have been delivered and none after it will be
   * (engine.io-parser's {@code decodePayload} also stops at the first bad packet).
   *
   * @throws EngineIoProtocolException "Empty packet" (empty body, two separators in a row, a
   *     trailing separator), "Unknown packet type", "Invalid base64 payload"
   */
  public static void decode(String payload, PacketSink sink) throws EngineIoProtocolException {
    Objects.requireNonNull(sink, "sink");
    int length = payload.length();
    int start = 0;
    while (true) {
      // engine.io-protocol §Packet encoding › HTTP long-polling: records are separated by \x1e and
      // carry no length (§From v3 to v4), so the next separator is the only boundary. indexOf
      // resumes where the last packet ended: each char is looked at once.
      int end = payload.indexOf(RECORD_SEPARATOR, start);
      if (end < 0) end = length;
      // An empty record (empty body, "\x1e\x1e", trailing "\x1e") fails here as "Empty packet".
      sink.accept(EngineIoPacketCodec.decode(payload, start, end));
      if (end == length) return;
      start = end + 1;
    }
  }

  /** Decodes a whole payload into a list; for tests and small bodies. */
  public static List<EngineIoPacket> decode(String payload) throws EngineIoProtocolException {
    List<EngineIoPacket> out = new ArrayList<>();
    decode(payload, out::add);
    return out;
  }

  /**
   * The response body for {@code packets}, in order.
   *
   * @throws IllegalArgumentException for an empty list (an empty body is not a valid payload: the
   *     client would read it as an empty packet), or see {@link #encode(EngineIoPacket, StringBuilder)}
   */
  public static String encode(List<EngineIoPacket> packets) {
    if (packets.isEmpty()) throw new IllegalArgumentException("No packets to encode");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < packets.size(); i++) {
      if (i > 0) out.append(RECORD_SEPARATOR);
      encode(packets.get(i), out);
    }
    return out.toString();
  }

  /**
   * Appends one packet (without a separator) to {@code out}: type character + text, or {@code b} +
   * base64 for a binary message.
   *
   * @throws IllegalArgumentException if the text contains the record separator: the protocol has
   *     no escape for it, so the client would cut the packet in two (§From v3 to v4: "this assumes
   *     the record separator is not used in the data"). Check with {@link #fitsPayload} before
   *     queuing a packet that may go out over polling.
   */
  public static void encode(EngineIoPacket p, StringBuilder out) {
    if (p.isBinary()) {
      // engine.io-protocol §Packet encoding › HTTP long-polling: "Binary payloads MUST be
      // base64-encoded and prefixed with a b character".
      out.append(BINARY_PREFIX);
      PayloadBase64.encode(p.binary(), out);
      return;
    }
    if (!fitsPayload(p)) throw new IllegalArgumentException("Record separator in packet data");
    out.append(p.type().wire()).append(p.text());
  }

  /** Whether {@code p} can be written into a polling payload: binary, or text without {@code \x1e}. */
  public static boolean fitsPayload(EngineIoPacket p) {
    return p.isBinary() || p.text().indexOf(RECORD_SEPARATOR) < 0;
  }

  /**
   * Decodes a POST body as UTF-8, refusing anything that is not well-formed: overlong forms,
   * encoded surrogates (CESU-8), code points above U+10FFFF, stray continuation bytes and a
   * sequence cut off at the end (engine.io-protocol §Packet encoding: "The character encoding is
   * UTF-8"; hostile-inputs.md#A24). A byte-order mark is kept as U+FEFF, so a body starting with one
   * then fails as "Unknown packet type".
   *
   * @throws EngineIoProtocolException "Invalid UTF-8"
   */
  public static String decodeUtf8Strict(byte[] body, int off, int len) throws EngineIoProtocolException {
    Objects.checkFromIndexSize(off, len, body.length);
    int end = off + len;
    int i = off;
    while (i < end && body[i] >= 0) i++;
    // All ASCII (the usual Socket.IO JSON body): a Latin-1 read is the same text and is a plain copy.
    if (i == end) return new String(body, off, len, StandardCharsets.ISO_8859_1);
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body, off, len));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new EngineIoProtocolException("Invalid UTF-8");
    }
  }
}
