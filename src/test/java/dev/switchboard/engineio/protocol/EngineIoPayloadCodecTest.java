package dev.switchboard.engineio.protocol;

import static dev.switchboard.engineio.protocol.Wire.RS;
import static dev.switchboard.engineio.protocol.Wire.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineIoPayloadCodecTest {

  // Payloads that decode to these packets and that these packets encode back to, byte for byte.
  static Stream<Arguments> payloads() {
    return Stream.of(
        Arguments.of(named("4hello" + RS + "2" + RS + "4world"),
            List.of(EngineIoPacket.message("hello"), EngineIoPacket.ping(), EngineIoPacket.message("world")),
            "§Packet encoding › HTTP long-polling, first example"),
        Arguments.of(named("4hello" + RS + "bAQIDBA=="),
            List.of(EngineIoPacket.message("hello"), EngineIoPacket.message(new byte[] {1, 2, 3, 4})),
            "§Packet encoding › HTTP long-polling, binary example"),
        Arguments.of(named("4hello" + RS + "4€"),
            List.of(EngineIoPacket.message("hello"), EngineIoPacket.message("€")),
            "§From v3 to v4: € is no longer counted, just separated"),
        Arguments.of(named("6"), List.of(EngineIoPacket.noop()), "§Upgrade: noop releasing a GET"),
        Arguments.of(named("1"), List.of(EngineIoPacket.close()), "§Protocol: close"),
        Arguments.of(named("2"), List.of(EngineIoPacket.ping()), "§Heartbeat: ping over polling"),
        Arguments.of(named("3"), List.of(EngineIoPacket.pong("")), "§Heartbeat: pong over polling"),
        Arguments.of(named("4"), List.of(EngineIoPacket.message("")), "engine.io-client send(\"\")"),
        Arguments.of(named("b"), List.of(EngineIoPacket.message(new byte[0])), "engine.io-client encodes an empty buffer as a bare b"),
        Arguments.of(named("4" + RS + "b" + RS + "4"),
            List.of(EngineIoPacket.message(""), EngineIoPacket.message(new byte[0]), EngineIoPacket.message("")),
            "empty messages between separators"),
        Arguments.of(named("440" + RS + "442[\"chat\",\"hi\"]" + RS + "4451-[\"up\",{\"_placeholder\":true,\"num\":0}]" + RS + "b/w=="),
            List.of(EngineIoPacket.message("40"), EngineIoPacket.message("42[\"chat\",\"hi\"]"),
                EngineIoPacket.message("451-[\"up\",{\"_placeholder\":true,\"num\":0}]"), EngineIoPacket.message(new byte[] {(byte) 0xff})),
            "socket.io-client CONNECT, EVENT and BINARY_EVENT with its attachment in one POST"),
        Arguments.of(named("5:hello"), List.of(new EngineIoPacket(EngineIoPacketType.UPGRADE, ":hello", null)),
            "hostile-inputs.md#A21: EIO3 framing has no meaning in v4; engine.io-parser reads an upgrade with data \":hello\""),
        Arguments.of(named("2:4€"), List.of(EngineIoPacket.ping(":4€")), "§From v3 to v4: the v3 form of 4€ is a v4 ping"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloads")
  void decodesPayload(String wire, List<EngineIoPacket> expected, String source) throws Exception {
    assertEquals(expected, EngineIoPayloadCodec.decode(wire), source);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloads")
  void encodesPayload(String wire, List<EngineIoPacket> packets, String source) {
    assertEquals(wire, EngineIoPayloadCodec.encode(packets), source);
  }

  // Each row: the payload, the exact message, and the packets delivered before the failure.
  static Stream<Arguments> malformedPayloads() {
    return Stream.of(
        Arguments.of(named(""), "Empty packet", List.of(), "hostile-inputs.md#A21: empty body"),
        Arguments.of(named(RS), "Empty packet", List.of(), "hostile-inputs.md#A21: separator only"),
        Arguments.of(named("4a" + RS + RS + "4b"), "Empty packet", List.of(EngineIoPacket.message("a")), "hostile-inputs.md#A21: empty packet in the middle"),
        Arguments.of(named("4a" + RS), "Empty packet", List.of(EngineIoPacket.message("a")), "hostile-inputs.md#A21: trailing separator"),
        Arguments.of(named(RS + "4a"), "Empty packet", List.of(), "leading separator"),
        Arguments.of(named("abc"), "Unknown packet type", List.of(), "hostile-inputs.md#A20"),
        Arguments.of(named("7"), "Unknown packet type", List.of(), "hostile-inputs.md#C67"),
        Arguments.of(named("\u0000"), "Unknown packet type", List.of(), "hostile-inputs.md#C67"),
        Arguments.of(named("\uFEFF4hello"), "Unknown packet type", List.of(), "hostile-inputs.md#C67: BOM"),
        Arguments.of(named("4a" + RS + "9" + RS + "4c"), "Unknown packet type", List.of(EngineIoPacket.message("a")), "nothing after the bad packet"),
        Arguments.of(named("b@@@"), "Invalid base64 payload", List.of(), "hostile-inputs.md#A22"),
        Arguments.of(named("bA"), "Invalid base64 payload", List.of(), "a lone final character"),
        Arguments.of(named("bAR=="), "Invalid base64 payload", List.of(), "RFC 4648 §3.5: non-zero pad bits"),
        Arguments.of(named("bAQ==AQ=="), "Invalid base64 payload", List.of(), "padding before the end"),
        Arguments.of(named("b-_8="), "Invalid base64 payload", List.of(), "URL-safe alphabet"),
        Arguments.of(named("bAQ=ID"), "Invalid base64 payload", List.of(), "data after padding"),
        Arguments.of(named("4a" + RS + "bAAAAA" + RS + "4c"), "Invalid base64 payload", List.of(EngineIoPacket.message("a")), "hostile-inputs.md#A22 mid-payload"),
        Arguments.of(named("4a" + RS + "bAQIDBA==" + RS), "Empty packet",
            List.of(EngineIoPacket.message("a"), EngineIoPacket.message(new byte[] {1, 2, 3, 4})), "trailing separator after binary"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPayloads")
  void rejectsMalformedPayloadAfterDeliveringThePacketsBeforeIt(
      String wire, String message, List<EngineIoPacket> deliveredBefore, String source) {
    List<EngineIoPacket> delivered = new ArrayList<>();
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class, () -> EngineIoPayloadCodec.decode(wire, delivered::add));
    assertEquals(message, e.getMessage(), source);
    assertEquals(deliveredBefore, delivered, source);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPayloads")
  void listDecodeRejectsMalformedPayload(String wire, String message, List<EngineIoPacket> deliveredBefore, String source) {
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class, () -> EngineIoPayloadCodec.decode(wire));
    assertEquals(message, e.getMessage(), source);
  }

  @Test
  void handsEachPacketToTheSinkBeforeReadingTheNext() {
    // The sink refuses the first packet; the error is the sink's, not the bad packet's further on,
    // so the decoder cannot have looked past the first separator before delivering.
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class,
        () -> EngineIoPayloadCodec.decode("4a" + RS + "x", p -> {
          throw new EngineIoProtocolException("stop");
        }));
    assertEquals("stop", e.getMessage());
  }

  @Test
  void decodesMegabyteOfNoopsOneByOneWithoutAllocatingPackets() throws Exception {
    // hostile-inputs.md#A23: a 1 MB POST of 6\x1e6\x1e… is ≈500 000 packets. The sink keeps only a count,
    // and every noop is the one shared instance.
    int count = 500_000;
    String payload = (("6" + RS).repeat(count)).substring(0, count * 2 - 1);
    assertEquals(999_999, payload.length());
    int[] seen = {0};
    EngineIoPacket noop = EngineIoPacket.noop();
    EngineIoPayloadCodec.decode(payload, p -> {
      assertSame(noop, p);
      seen[0]++;
    });
    assertEquals(count, seen[0]);
  }

  @Test
  void decodesMegabyteOfPingsOneByOne() throws Exception {
    // hostile-inputs.md#A23, the "2\x1e…" variant: the session layer closes on the first one (a client
    // ping is the wrong heartbeat direction), which the streaming sink lets it do at packet 1.
    String payload = ("2" + RS).repeat(500_000) + "2";
    int[] seen = {0};
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class, () -> EngineIoPayloadCodec.decode(payload, p -> {
      seen[0]++;
      throw new EngineIoProtocolException("Invalid heartbeat direction");
    }));
    assertEquals("Invalid heartbeat direction", e.getMessage());
    assertEquals(1, seen[0]);
  }

  @Test
  void decodesMegabyteBinaryPacket() throws Exception {
    byte[] data = new byte[750_000];
    for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
    String payload = "4a" + RS + "b" + Base64.getEncoder().encodeToString(data) + RS + "4z";
    List<EngineIoPacket> packets = EngineIoPayloadCodec.decode(payload);
    assertEquals(List.of(EngineIoPacket.message("a"), EngineIoPacket.message(data), EngineIoPacket.message("z")), packets);
  }

  @Test
  void rejectsTwoMegabytesOfBase64WithOneBadCharacterAtTheEnd() {
    // hostile-inputs.md#A22: "b" + 2 MB. The transport answers 413 before the codec sees a body over
    // maxPayload; the codec itself must still fail cleanly, not with the JDK's IllegalArgumentException.
    char[] chars = new char[2_000_000];
    Arrays.fill(chars, 'A');
    chars[chars.length - 1] = '@';
    String payload = "b" + new String(chars);
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class, () -> EngineIoPayloadCodec.decode(payload, p -> {}));
    assertEquals("Invalid base64 payload", e.getMessage());
  }

  @Test
  void appendsOnePacketWithoutSeparator() {
    StringBuilder out = new StringBuilder("x");
    EngineIoPayloadCodec.encode(EngineIoPacket.message(new byte[] {1, 2, 3, 4}), out);
    EngineIoPayloadCodec.encode(EngineIoPacket.pong("probe"), out);
    assertEquals("xbAQIDBA==3probe", out.toString());
  }

  @Test
  void refusesToEncodeEmptyPayload() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineIoPayloadCodec.encode(List.of()));
    assertEquals("No packets to encode", e.getMessage());
  }

  @Test
  void refusesToEncodeRecordSeparatorInData() {
    // §From v3 to v4: "this assumes the record separator is not used in the data". Written out,
    // "4a\x1e1" would reach the client as a message and a close.
    EngineIoPacket p = EngineIoPacket.message("a" + RS + "1");
    assertFalse(EngineIoPayloadCodec.fitsPayload(p));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineIoPayloadCodec.encode(List.of(p)));
    assertEquals("Record separator in packet data", e.getMessage());
  }

  @Test
  void binaryAndPlainTextFitAPayload() {
    assertTrue(EngineIoPayloadCodec.fitsPayload(EngineIoPacket.message(new byte[] {0x1e})));
    assertTrue(EngineIoPayloadCodec.fitsPayload(EngineIoPacket.message("42[\"a\\u001e\"]")));
  }

  @Test
  void constantsMatchTheSpec() {
    // §Packet encoding › HTTP long-polling
    assertEquals(0x1e, EngineIoPayloadCodec.RECORD_SEPARATOR);
    assertEquals('b', EngineIoPayloadCodec.BINARY_PREFIX);
  }
}
