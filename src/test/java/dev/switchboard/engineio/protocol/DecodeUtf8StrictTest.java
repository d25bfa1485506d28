package dev.switchboard.engineio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.testing.Chunkings;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link EngineIoPayloadCodec#decodeUtf8Strict}: POST bodies are UTF-8 (§Packet encoding). */
class DecodeUtf8StrictTest {

  private static Named<byte[]> hex(String hex) {
    return Named.of(hex.isEmpty() ? "(no bytes)" : hex, HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  static Stream<Arguments> wellFormed() {
    return Stream.of(
        Arguments.of(hex(""), ""),
        Arguments.of(hex("34 68 65 6c 6c 6f"), "4hello"),
        Arguments.of(hex("34 e2 82 ac"), "4€"),
        Arguments.of(hex("34 c3 a9"), "4é"),
        Arguments.of(hex("34 f0 9f 98 80"), "4\uD83D\uDE00"),
        Arguments.of(hex("34 ef bf bf"), "4\uFFFF"),
        Arguments.of(hex("34 f4 8f bf bf"), "4\uDBFF\uDFFF"),
        Arguments.of(hex("34 00 7f"), "4\u0000\u007f"),
        Arguments.of(hex("ef bb bf 34"), "\uFEFF4"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wellFormed")
  void decodesWellFormedUtf8(byte[] body, String expected) throws Exception {
    assertEquals(expected, EngineIoPayloadCodec.decodeUtf8Strict(body, 0, body.length));
  }

  // hostile-inputs.md#A24: every one of these must fail, never be replaced by U+FFFD.
  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(hex("34 c3 28"), "hostile-inputs.md#A24: bad continuation"),
        Arguments.of(hex("34 ed a0 80"), "hostile-inputs.md#A24: CESU-8 high surrogate"),
        Arguments.of(hex("34 ed b0 80"), "encoded low surrogate"),
        Arguments.of(hex("34 ed a0 bd ed b8 80"), "CESU-8 surrogate pair"),
        Arguments.of(hex("34 f4 90 80 80"), "hostile-inputs.md#A24: above U+10FFFF"),
        Arguments.of(hex("34 f5 80 80 80"), "F5 lead byte"),
        Arguments.of(hex("34 c0 af"), "overlong /"),
        Arguments.of(hex("34 c1 bf"), "overlong DEL"),
        Arguments.of(hex("34 e0 80 af"), "3-byte overlong"),
        Arguments.of(hex("34 f0 80 80 af"), "4-byte overlong"),
        Arguments.of(hex("34 f8 88 80 80 80"), "5-byte form"),
        Arguments.of(hex("34 ff"), "FF"),
        Arguments.of(hex("34 fe"), "FE"),
        Arguments.of(hex("34 80"), "lone continuation byte"),
        Arguments.of(hex("34 e2 82"), "hostile-inputs.md#A24: truncated 3-byte sequence at the end"),
        Arguments.of(hex("34 f0 9f 98"), "truncated 4-byte sequence at the end"),
        Arguments.of(hex("34 c3"), "truncated 2-byte sequence at the end"),
        Arguments.of(hex("34 e2 82 34"), "truncated sequence mid-body"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedUtf8(byte[] body, String source) {
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class,
        () -> EngineIoPayloadCodec.decodeUtf8Strict(body, 0, body.length));
    assertEquals("Invalid UTF-8", e.getMessage(), source);
  }

  @Test
  void decodesOnlyTheGivenRange() throws Exception {
    byte[] body = "xx4€yy".getBytes(StandardCharsets.UTF_8);
    assertEquals("4€", EngineIoPayloadCodec.decodeUtf8Strict(body, 2, 4));
  }

  @Test
  void judgesOnlyTheGivenRange() throws Exception {
    byte[] body = {(byte) 0xff, '4', 'a', (byte) 0xe2};
    assertEquals("4a", EngineIoPayloadCodec.decodeUtf8Strict(body, 1, 2));
  }

  @Test
  void rejectsRangeOutsideTheArray() {
    assertThrows(IndexOutOfBoundsException.class, () -> EngineIoPayloadCodec.decodeUtf8Strict(new byte[4], 2, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> EngineIoPayloadCodec.decodeUtf8Strict(new byte[4], -1, 1));
  }

  @Test
  void bodyCutAtEveryIndexIsValidExactlyAtCharacterBoundaries() throws Exception {
    // hostile-inputs.md#A24, "truncated multi-byte at the end", at every possible cut of a body mixing
    // 1-, 2-, 3- and 4-byte characters.
    String text = "4h\u00e9\u20ac\uD83D\uDE00z";
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    boolean[] boundary = new boolean[body.length + 1];
    for (int i = 0, b = 0; i <= text.length(); ) {
      boundary[b] = true;
      if (i == text.length()) break;
      int cp = text.codePointAt(i);
      b += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      i += Character.charCount(cp);
    }
    int checked = 0;
    for (Chunkings.Chunking c : Chunkings.of(body)) {
      if (c.pieces().size() != 2) continue;
      byte[] head = c.pieces().get(0);
      if (boundary[head.length]) {
        String prefix = EngineIoPayloadCodec.decodeUtf8Strict(head, 0, head.length);
        assertEquals(text.substring(0, prefix.length()), prefix, c.name());
      } else {
        EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class,
            () -> EngineIoPayloadCodec.decodeUtf8Strict(head, 0, head.length), c.name());
        assertEquals("Invalid UTF-8", e.getMessage(), c.name());
      }
      checked++;
    }
    assertEquals(body.length - 1, checked);
  }

  @Test
  void invalidUtf8PostNeverReachesThePacketDecoder() {
    // hostile-inputs.md#A24: 4\xC3\x28 as a POST body fails at the UTF-8 step, before packet parsing.
    byte[] body = {'4', (byte) 0xc3, 0x28};
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class,
        () -> EngineIoPayloadCodec.decode(EngineIoPayloadCodec.decodeUtf8Strict(body, 0, body.length), p -> {}));
    assertEquals("Invalid UTF-8", e.getMessage());
  }

  @Test
  void byteOrderMarkIsKeptSoTheBodyFailsAsUnknownType() {
    // hostile-inputs.md#C67: a UTF-8 BOM is not stripped; it is not a packet type.
    byte[] body = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '4', 'a'};
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class,
        () -> EngineIoPayloadCodec.decode(EngineIoPayloadCodec.decodeUtf8Strict(body, 0, body.length), p -> {}));
    assertEquals("Unknown packet type", e.getMessage());
  }
}
