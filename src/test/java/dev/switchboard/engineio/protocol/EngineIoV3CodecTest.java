package dev.switchboard.engineio.protocol;

import static dev.switchboard.engineio.protocol.Wire.named;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Engine.IO protocol 3 encodings, from the examples of the protocol's {@code v3} README
 * (cited as §Section), and what the decoder refuses where engine.io-parser 2.x is loose.
 */
class EngineIoV3CodecTest {
  private static final EngineIoPacket BYTES_1234 = EngineIoPacket.message(new byte[] {1, 2, 3, 4});

  // Text payloads that decode to these packets and that these packets encode back to.
  static Stream<Arguments> textPayloads() {
    return Stream.of(
        Arguments.of(named("6:4hello2:4€"), List.of(EngineIoPacket.message("hello"), EngineIoPacket.message("€")),
            "§Encoding › Payload, example without binary: characters, not bytes"),
        Arguments.of(named("2:4€10:b4AQIDBA=="), List.of(EngineIoPacket.message("€"), BYTES_1234),
            "§Encoding › Payload, example with binary as base64"),
        Arguments.of(named("6:2probe"), List.of(EngineIoPacket.ping("probe")), "§Encoding › Packet, 2 ping"),
        Arguments.of(named("1:21:3"), List.of(EngineIoPacket.ping(), EngineIoPacket.pong("")), "§Timeouts: ping and pong"),
        Arguments.of(named("1:6"), List.of(EngineIoPacket.noop()), "§Encoding › Packet, 6 noop"),
        Arguments.of(named("1:4"), List.of(EngineIoPacket.message("")), "an empty message"),
        Arguments.of(named("2:b4"), List.of(EngineIoPacket.message(new byte[0])), "an empty binary message"),
        Arguments.of(named("3:4😀"), List.of(EngineIoPacket.message("😀")), "a character outside the BMP counts 2, as in JavaScript"),
        Arguments.of(named("3:4:14:4a:b"), List.of(EngineIoPacket.message(":1"), EngineIoPacket.message("a:b")),
            "colons inside packets are data"),
        Arguments.of(named("2:4\u001e"), List.of(EngineIoPacket.message("\u001e")), "the v4 separator is plain data in v3"),
        Arguments.of(named("2:40"), List.of(EngineIoPacket.message("0")), "socket.io-client 2.x: a CONNECT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textPayloads")
  void decodesTextPayload(String wire, List<EngineIoPacket> expected, String source) throws Exception {
    assertEquals(expected, EngineIoV3Codec.decodeTextPayload(wire), source);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textPayloads")
  void encodesTextPayload(String wire, List<EngineIoPacket> packets, String source) {
    assertEquals(wire, EngineIoV3Codec.encodeTextPayload(packets), source);
  }

  @Test
  void anEmptyPayloadIsZeroColonAndZeroLengthsCarryNothing() throws Exception {
    assertEquals("0:", EngineIoV3Codec.encodeTextPayload(List.of()));
    assertEquals(List.of(), EngineIoV3Codec.decodeTextPayload("0:"));
    assertEquals(List.of(EngineIoPacket.noop()), EngineIoV3Codec.decodeTextPayload("0:1:60:"));
  }

  // Binary (XHR2) payloads and their packets, both ways.
  static Stream<Arguments> binaryPayloads() {
    byte[] big = new byte[300];
    for (int i = 0; i < big.length; i++) big[i] = (byte) i;
    byte[] bigWire = new byte[5 + 301];
    bigWire[0] = 1;
    bigWire[1] = 3;
    bigWire[2] = 0;
    bigWire[3] = 1;
    bigWire[4] = (byte) 0xff;
    bigWire[5] = 4;
    System.arraycopy(big, 0, bigWire, 6, 300);
    return Stream.of(
        Arguments.of(hex("0004ff34e282ac0105ff0401020304"), List.of(EngineIoPacket.message("€"), BYTES_1234),
            "§Encoding › Payload, example with binary: bytes, not characters"),
        Arguments.of(hex("0001ff32"), List.of(EngineIoPacket.ping()), "a text packet alone"),
        Arguments.of(hex("0101ff04"), List.of(EngineIoPacket.message(new byte[0])), "an empty binary message"),
        Arguments.of(Named.of("301-byte binary packet", bigWire), List.of(EngineIoPacket.message(big)),
            "a length of three digits"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaryPayloads")
  void decodesBinaryPayload(byte[] wire, List<EngineIoPacket> expected, String source) throws Exception {
    assertEquals(expected, EngineIoV3Codec.decodeBinaryPayload(wire), source);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaryPayloads")
  void encodesBinaryPayload(byte[] wire, List<EngineIoPacket> packets, String source) {
    assertArrayEquals(wire, EngineIoV3Codec.encodeBinaryPayload(packets), source);
  }

  @Test
  void webSocketFramesCarryTheTypeByteBeforeBinary() throws Exception {
    // §Encoding › Packet: "4|0|1|2|3|4|5" is a message holding the bytes 0..5.
    byte[] frame = {4, 0, 1, 2, 3, 4, 5};
    EngineIoPacket p = EngineIoV3Codec.decodeBinary(frame);
    assertEquals(EngineIoPacket.message(new byte[] {0, 1, 2, 3, 4, 5}), p);
    assertArrayEquals(frame, EngineIoV3Codec.encodeBinary(p));
    assertEquals(EngineIoPacket.message(new byte[0]), EngineIoV3Codec.decodeBinary(new byte[] {4}));
    assertEquals("b4AQIDBA==", EngineIoV3Codec.encodeText(BYTES_1234));
    assertEquals(BYTES_1234, EngineIoV3Codec.decodeText("b4AQIDBA=="));
    assertEquals(EngineIoPacket.message("HelloWorld"), EngineIoV3Codec.decodeText("4HelloWorld"));
    assertEquals(EngineIoPacket.ping("probe"), EngineIoV3Codec.decodeText("2probe"));
    assertEquals("3probe", EngineIoV3Codec.encodeText(EngineIoPacket.pong("probe")));
  }

  static Stream<Arguments> malformedFrames() {
    return Stream.of(
        Arguments.of(Named.of("empty binary frame", new byte[0]), "Empty packet"),
        Arguments.of(Named.of("binary frame of type 2", new byte[] {2, 1}), "Unknown packet type"),
        Arguments.of(Named.of("binary frame of type 0x34 (a text '4')", new byte[] {0x34, 1}), "Unknown packet type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFrames")
  void refusesBinaryFramesThatAreNoMessage(byte[] frame, String message) {
    assertEquals(message, assertThrows(EngineIoProtocolException.class, () -> EngineIoV3Codec.decodeBinary(frame)).getMessage());
  }

  @Test
  void refusesBase64TextFramesOfOtherTypesOrBrokenBase64() {
    for (String frame : List.of("b", "b2AQID", "bAQID")) {
      assertEquals("Unknown packet type",
          assertThrows(EngineIoProtocolException.class, () -> EngineIoV3Codec.decodeText(frame)).getMessage(), frame);
    }
    assertEquals("Invalid base64 payload",
        assertThrows(EngineIoProtocolException.class, () -> EngineIoV3Codec.decodeText("b4@@@@")).getMessage());
    assertEquals("Empty packet", assertThrows(EngineIoProtocolException.class, () -> EngineIoV3Codec.decodeText("")).getMessage());
  }

  // hostile-inputs.md#A20-A22 in their v3 shape: malformed text payloads, the message, and what
  // was delivered before the bad packet.
  static Stream<Arguments> malformedTextPayloads() {
    return Stream.of(
        Arguments.of(named(""), "Empty payload", List.of(), "A21: an empty body"),
        Arguments.of(named("abc"), "Invalid length", List.of(), "A20: no packet at all"),
        Arguments.of(named("4hello"), "Invalid length", List.of(), "a v4 body sent to a v3 session"),
        Arguments.of(named("1"), "Invalid length", List.of(), "a length and no colon"),
        Arguments.of(named(":4"), "Invalid length", List.of(), "a colon and no length"),
        Arguments.of(named("1e1:4abcdefghi"), "Invalid length", List.of(), "Node's Number() reads 1e1 as 10"),
        Arguments.of(named(" 1:2"), "Invalid length", List.of(), "Node's Number() skips spaces"),
        Arguments.of(named("0x1:2"), "Invalid length", List.of(), "Node's Number() reads hex"),
        Arguments.of(named("-1:2"), "Invalid length", List.of(), "a negative length"),
        Arguments.of(named("12345678901:4"), "Invalid length", List.of(), "eleven digits: more than any body"),
        Arguments.of(named("9999999999:4"), "Length beyond the payload", List.of(), "a lying length, refused before anything is sized by it"),
        Arguments.of(named("7:4hello"), "Length beyond the payload", List.of(), "a length one character too long"),
        Arguments.of(named("1:21:"), "Length beyond the payload", List.of(EngineIoPacket.ping()), "the packets before the bad one are delivered"),
        Arguments.of(named("1:2x"), "Invalid length", List.of(EngineIoPacket.ping()), "junk after the last packet"),
        Arguments.of(named("2:4\uD83D\uDE00"), "Length splits a character", List.of(), "a length ending inside a surrogate pair"),
        Arguments.of(named("1:x"), "Unknown packet type", List.of(), "A20 in v3 framing"),
        Arguments.of(named("1:7"), "Unknown packet type", List.of(), "type 7"),
        Arguments.of(named("6:b5AQID"), "Unknown packet type", List.of(), "base64 of a type that is no message"),
        Arguments.of(named("6:b4AQ=I"), "Invalid base64 payload", List.of(), "A22: data after the padding"),
        Arguments.of(named("4:b4A@"), "Invalid base64 payload", List.of(), "A22: not base64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedTextPayloads")
  void refusesMalformedTextPayloads(String wire, String message, List<EngineIoPacket> deliveredBefore, String source) {
    List<EngineIoPacket> delivered = new ArrayList<>();
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class,
        () -> EngineIoV3Codec.decodeTextPayload(wire, delivered::add), source);
    assertEquals(message, e.getMessage(), source);
    assertEquals(deliveredBefore, delivered, source);
  }

  static Stream<Arguments> malformedBinaryPayloads() {
    return Stream.of(
        Arguments.of(hex(""), "Empty payload", "an empty body"),
        Arguments.of(hex("0201ff32"), "Invalid binary payload", "a kind byte that is neither 0 nor 1"),
        Arguments.of(hex("3132ff34"), "Invalid binary payload", "a v3 text payload sent as octet-stream"),
        Arguments.of(hex("0001"), "Invalid length", "no 0xFF after the digits"),
        Arguments.of(hex("00ff34"), "Invalid length", "no digits"),
        Arguments.of(hex("000aff34"), "Invalid length", "a 'digit' of 10"),
        Arguments.of(hex("000102030405060708090001ff34"), "Invalid length", "eleven digits"),
        Arguments.of(hex("0005ff34"), "Length beyond the payload", "a lying length"),
        Arguments.of(hex("0000ff"), "Empty packet", "a zero length"),
        Arguments.of(hex("0101ff02"), "Unknown packet type", "binary of a type that is no message"),
        Arguments.of(hex("0002ff34c3"), "Invalid UTF-8", "A24: a cut UTF-8 sequence"),
        Arguments.of(hex("0001ff78"), "Unknown packet type", "a text packet of type x"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBinaryPayloads")
  void refusesMalformedBinaryPayloads(byte[] wire, String message, String source) {
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class,
        () -> EngineIoV3Codec.decodeBinaryPayload(wire), source);
    assertEquals(message, e.getMessage(), source);
  }

  /**
   * A body cut at every index (a payload arriving short): each cut either decodes to the packets
   * wholly before it or is refused; nothing else comes out and nothing else is thrown.
   */
  @Test
  void everyTruncationOfAPayloadIsAPrefixOrAnError() throws Exception {
    List<EngineIoPacket> packets = List.of(EngineIoPacket.message("héllo 😀"), BYTES_1234, EngineIoPacket.ping(),
        EngineIoPacket.message("42[\"chat\",\"x\"]"));
    String text = EngineIoV3Codec.encodeTextPayload(packets);
    for (int cut = 0; cut <= text.length(); cut++) {
      List<EngineIoPacket> got = new ArrayList<>();
      try {
        EngineIoV3Codec.decodeTextPayload(text.substring(0, cut), got::add);
        assertEquals(packets.subList(0, got.size()), got, "cut at " + cut);
      } catch (EngineIoProtocolException e) {
        assertEquals(packets.subList(0, got.size()), got, "cut at " + cut);
      }
    }
    byte[] binary = EngineIoV3Codec.encodeBinaryPayload(packets);
    for (int cut = 0; cut <= binary.length; cut++) {
      List<EngineIoPacket> got = new ArrayList<>();
      try {
        EngineIoV3Codec.decodeBinaryPayload(java.util.Arrays.copyOf(binary, cut), got::add);
      } catch (EngineIoProtocolException e) {
        // refused: fine
      }
      assertEquals(packets.subList(0, got.size()), got, "cut at " + cut);
    }
  }

  @Test
  void randomPacketsSurviveBothPayloadEncodings() throws Exception {
    Random random = new Random(3);
    for (int round = 0; round < 300; round++) {
      List<EngineIoPacket> packets = new ArrayList<>();
      int n = 1 + random.nextInt(5);
      for (int i = 0; i < n; i++) {
        if (random.nextBoolean()) {
          byte[] data = new byte[random.nextInt(40)];
          random.nextBytes(data);
          packets.add(EngineIoPacket.message(data));
        } else {
          StringBuilder sb = new StringBuilder();
          int len = random.nextInt(20);
          for (int c = 0; c < len; c++) {
            int cp = switch (random.nextInt(4)) {
              case 0 -> 0x20 + random.nextInt(0x5f);
              case 1 -> 0xa0 + random.nextInt(0x700);
              case 2 -> 0x1f600 + random.nextInt(0x40);
              default -> ':';
            };
            sb.appendCodePoint(cp);
          }
          packets.add(EngineIoPacket.message(sb.toString()));
        }
      }
      assertEquals(packets, EngineIoV3Codec.decodeTextPayload(EngineIoV3Codec.encodeTextPayload(packets)));
      assertEquals(packets, EngineIoV3Codec.decodeBinaryPayload(EngineIoV3Codec.encodeBinaryPayload(packets)));
    }
  }

  /** hostile-inputs.md#A23 in v3 framing: a megabyte of noops is linear and keeps no packet. */
  @Test
  void decodesAMegabyteOfNoopsAndEmptyRecords() throws Exception {
    String noops = "1:6".repeat(350_000);
    int[] count = {0};
    EngineIoV3Codec.decodeTextPayload(noops, p -> count[0]++);
    assertEquals(350_000, count[0]);
    count[0] = 0;
    EngineIoV3Codec.decodeTextPayload("0:".repeat(500_000), p -> count[0]++);
    assertEquals(0, count[0]);
  }

  @Test
  void hasBinarySaysWhetherABinaryPayloadIsNeeded() {
    assertTrue(EngineIoV3Codec.hasBinary(List.of(EngineIoPacket.ping(), BYTES_1234)));
    assertEquals(false, EngineIoV3Codec.hasBinary(List.of(EngineIoPacket.message("x"))));
  }

  private static Named<byte[]> hex(String hex) {
    return Named.of("<" + hex + ">", HexFormat.of().parseHex(hex));
  }
}
