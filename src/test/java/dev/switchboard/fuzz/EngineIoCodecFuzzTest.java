package dev.switchboard.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoPacketCodec;
import dev.switchboard.engineio.protocol.EngineIoPayloadCodec;
import dev.switchboard.engineio.protocol.EngineIoProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Arbitrary bytes as a polling POST body or a WebSocket text frame must give Engine.IO packets or
 * an {@link EngineIoProtocolException}, and whatever decodes must encode back to the input: the
 * codec writes one canonical form (padded base64, no length prefixes), so encode ∘ decode is the
 * identity on everything it accepts, except that a base64 record read leniently (whitespace or
 * padding missing, as Node accepts it) comes back in its canonical spelling. Input: the raw body;
 * no control byte. Stored inputs:
 * {@code src/test/resources/dev/switchboard/fuzz/EngineIoCodecFuzzTestInputs/}.
 */
class EngineIoCodecFuzzTest {
  private static final Set<String> PACKET_ERRORS = Set.of("Empty packet", "Unknown packet type", "Invalid base64 payload");

  @FuzzTest(maxDuration = "3m")
  void decodesToPacketsThatEncodeBackToTheInput(byte[] data) {
    outcomes(data);
  }

  /**
   * Runs every check on {@code data}; returns one line per view of it (the strict UTF-8 body, then
   * its Latin-1 and UTF-16 readings as text frames), each {@code packets …} or {@code refused …}.
   */
  static List<String> outcomes(byte[] data) {
    List<String> out = new ArrayList<>();
    String body = strictUtf8(data);
    out.add(body == null ? "refused Invalid UTF-8" : payload(body));
    // A frame is already a String when it reaches the codec; these two readings reach every
    // char value, including the record separator, U+FEFF and lone surrogates.
    out.add(payload(new String(data, StandardCharsets.ISO_8859_1)));
    out.add(payload(new String(data, StandardCharsets.UTF_16BE)));
    return out;
  }

  /** decodeUtf8Strict agrees with the JDK's reporting decoder, whole and on a sub-range. */
  private static String strictUtf8(byte[] data) {
    String expected = jdkStrictUtf8(data, 0, data.length);
    String actual;
    try {
      actual = EngineIoPayloadCodec.decodeUtf8Strict(data, 0, data.length);
    } catch (EngineIoProtocolException e) {
      assertEquals("Invalid UTF-8", e.getMessage());
      actual = null;
    }
    assertEquals(expected, actual, "decodeUtf8Strict disagrees with the JDK's strict decoder");
    if (data.length > 2) {
      String inner;
      try {
        inner = EngineIoPayloadCodec.decodeUtf8Strict(data, 1, data.length - 2);
      } catch (EngineIoProtocolException e) {
        inner = null;
      }
      assertEquals(jdkStrictUtf8(data, 1, data.length - 2), inner, "decodeUtf8Strict on a sub-range");
    }
    return actual;
  }

  private static String jdkStrictUtf8(byte[] data, int off, int len) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, off, len))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Checks {@code s} as a polling payload and each of its records as a WebSocket text frame. */
  private static String payload(String s) {
    List<EngineIoPacket> streamed = new ArrayList<>();
    List<EngineIoPacket> packets;
    String refusal = null;
    try {
      EngineIoPayloadCodec.decode(s, streamed::add);
      packets = EngineIoPayloadCodec.decode(s);
      assertEquals(packets, streamed, "the list and sink forms of decode disagree");
    } catch (EngineIoProtocolException e) {
      assertTrue(PACKET_ERRORS.contains(e.getMessage()), e.getMessage());
      packets = null;
      refusal = e.getMessage();
    }

    // engine.io-protocol §Packet encoding › HTTP long-polling: a payload is its records joined by
    // \x1e, and each record is exactly what a WebSocket text frame would carry.
    String[] records = s.split(String.valueOf(EngineIoPayloadCodec.RECORD_SEPARATOR), -1);
    List<EngineIoPacket> framed = new ArrayList<>();
    String frameRefusal = null;
    for (String record : records) {
      EngineIoPacket p = frame(record);
      if (p == null) {
        frameRefusal = "refused";
        break;
      }
      framed.add(p);
    }
    if (packets == null) {
      assertEquals("refused", frameRefusal, "the payload was refused but every record decodes as a frame");
      // The sink saw exactly the records before the first bad one, and nothing after it.
      assertEquals(framed, streamed, "packets delivered before a refusal");
      return "refused " + refusal;
    }
    assertEquals(packets, framed, "the payload and frame decoders disagree");
    String encoded = EngineIoPayloadCodec.encode(packets);
    assertEquals(canonical(s), encoded, "encode(decode(payload)) is not the payload");
    try {
      assertEquals(packets, EngineIoPayloadCodec.decode(encoded));
    } catch (EngineIoProtocolException e) {
      throw new AssertionError("re-encoded payload refused: " + e.getMessage(), e);
    }
    return "packets " + packets;
  }

  /** Decodes one text frame; null when refused. A decoded frame re-encodes to itself. */
  private static EngineIoPacket frame(String text) {
    EngineIoPacket p;
    try {
      p = EngineIoPacketCodec.decodeText(text);
    } catch (EngineIoProtocolException e) {
      assertTrue(PACKET_ERRORS.contains(e.getMessage()), e.getMessage());
      return null;
    }
    String encoded;
    if (p.isBinary()) {
      StringBuilder sb = new StringBuilder();
      EngineIoPayloadCodec.encode(p, sb);
      encoded = sb.toString();
      assertEquals(p, EngineIoPacketCodec.decodeBinary(EngineIoPacketCodec.encodeBinary(p)));
    } else {
      encoded = EngineIoPacketCodec.encodeText(p);
    }
    assertEquals(canonical(text), encoded, "encode(decode(frame)) is not the frame");
    return p;
  }

  /**
   * {@code s} with each base64 record in its canonical spelling: whitespace removed, padded to a
   * multiple of 4 (spec-notes/engine-io-codec.md, "Base64"). Other records are unchanged.
   */
  private static String canonical(String s) {
    String[] records = s.split(String.valueOf(EngineIoPayloadCodec.RECORD_SEPARATOR), -1);
    for (int i = 0; i < records.length; i++) {
      String r = records[i];
      if (r.isEmpty() || r.charAt(0) != 'b') continue;
      String data = r.substring(1).replaceAll("[ \\t\\n\\u000b\\f\\r]", "");
      StringBuilder b = new StringBuilder("b").append(data);
      while ((b.length() - 1) % 4 != 0) b.append('=');
      records[i] = b.toString();
    }
    return String.join(String.valueOf(EngineIoPayloadCodec.RECORD_SEPARATOR), records);
  }
}
