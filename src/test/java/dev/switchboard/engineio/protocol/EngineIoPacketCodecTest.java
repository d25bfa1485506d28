package dev.switchboard.engineio.protocol;

import static dev.switchboard.engineio.protocol.Wire.RS;
import static dev.switchboard.engineio.protocol.Wire.named;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineIoPacketCodecTest {

  // Text frames that decode to a packet and that the packet encodes back to, byte for byte.
  static Stream<Arguments> textFrames() {
    return Stream.of(
        Arguments.of(named("4hello"), EngineIoPacket.message("hello"), "§Packet encoding › WebSocket example"),
        Arguments.of(named("2probe"), EngineIoPacket.ping("probe"), "§Upgrade: client probe"),
        Arguments.of(named("3probe"), EngineIoPacket.pong("probe"), "§Upgrade: server probe answer"),
        Arguments.of(named("5"), EngineIoPacket.upgrade(), "§Upgrade: upgrade packet"),
        Arguments.of(named("2"), EngineIoPacket.ping(), "§Heartbeat: ping"),
        Arguments.of(named("3"), EngineIoPacket.pong(""), "§Heartbeat: pong"),
        Arguments.of(named("6"), EngineIoPacket.noop(), "§Upgrade: noop"),
        Arguments.of(named("1"), EngineIoPacket.close(), "§Protocol: close"),
        Arguments.of(named("0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"),
            EngineIoPacket.open("{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"),
            "§Handshake example"),
        Arguments.of(named("4HelloWorld"), EngineIoPacket.message("HelloWorld"), "engine.io-protocol v3 §Packet › 4 message example"),
        Arguments.of(named("4€"), EngineIoPacket.message("€"), "§From v3 to v4: the € example"),
        Arguments.of(named("4"), EngineIoPacket.message(""), "engine.io-client send(\"\")"),
        Arguments.of(named("3abc"), EngineIoPacket.pong("abc"), "hostile-inputs.md#C70: pong with data is still a pong"),
        Arguments.of(named("4a" + RS + "4b"), EngineIoPacket.message("a" + RS + "4b"), "§Packet encoding › WebSocket: one packet per frame"),
        Arguments.of(named("442[\"chat\",\"hi\"]"), EngineIoPacket.message("42[\"chat\",\"hi\"]"), "socket.io-protocol EVENT inside a message"),
        Arguments.of(named("4 \u0000\uFEFF"), EngineIoPacket.message(" \u0000\uFEFF"), "data is opaque"),
        Arguments.of(named("5:hello"), new EngineIoPacket(EngineIoPacketType.UPGRADE, ":hello", null), "EIO3 length framing is an upgrade with data, as engine.io-parser"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textFrames")
  void decodesTextFrame(String wire, EngineIoPacket expected, String source) throws Exception {
    assertEquals(expected, EngineIoPacketCodec.decodeText(wire), source);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textFrames")
  void encodesTextFrame(String wire, EngineIoPacket packet, String source) {
    assertEquals(wire, EngineIoPacketCodec.encodeText(packet), source);
  }

  // engine.io-parser decodePacket reads "b" + base64 on any transport; engine.io-client sends it over
  // WebSocket when forceBase64 is set.
  static Stream<Arguments> base64TextFrames() {
    return Stream.of(
        Arguments.of(named("bAQIDBA=="), new byte[] {1, 2, 3, 4}),
        Arguments.of(named("b"), new byte[0]),
        Arguments.of(named("b/w=="), new byte[] {(byte) 0xff}),
        Arguments.of(named("bAQID\n"), new byte[] {1, 2, 3}),
        Arguments.of(named("b/w"), new byte[] {(byte) 0xff}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("base64TextFrames")
  void decodesBase64TextFrameAsBinaryMessage(String wire, byte[] expected) throws Exception {
    assertEquals(EngineIoPacket.message(expected), EngineIoPacketCodec.decodeText(wire));
  }

  static Stream<Arguments> malformedTextFrames() {
    return Stream.of(
        Arguments.of(named(""), "Empty packet", "hostile-inputs.md#C66"),
        Arguments.of(named("7"), "Unknown packet type", "hostile-inputs.md#C67"),
        Arguments.of(named("9"), "Unknown packet type", "hostile-inputs.md#C67"),
        Arguments.of(named("x"), "Unknown packet type", "hostile-inputs.md#C67"),
        Arguments.of(named("\u0000"), "Unknown packet type", "hostile-inputs.md#C67"),
        Arguments.of(named("\uFEFF"), "Unknown packet type", "hostile-inputs.md#C67: a lone BOM"),
        Arguments.of(named("\uFEFF4hello"), "Unknown packet type", "hostile-inputs.md#C67: BOM before a packet"),
        Arguments.of(named("7hello"), "Unknown packet type", "hostile-inputs.md#C67"),
        Arguments.of(named(" 4hello"), "Unknown packet type", "no leading whitespace"),
        Arguments.of(named(RS + "4hello"), "Unknown packet type", "the separator is not special on WebSocket"),
        Arguments.of(named("-1"), "Unknown packet type", "not a number"),
        Arguments.of(named("b@@@"), "Invalid base64 payload", "hostile-inputs.md#A22 over WebSocket"),
        Arguments.of(named("bAAAAA"), "Invalid base64 payload", "hostile-inputs.md#A22 over WebSocket"),
        Arguments.of(named("b="), "Invalid base64 payload", "hostile-inputs.md#A22 over WebSocket"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedTextFrames")
  void rejectsMalformedTextFrame(String wire, String message, String source) {
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class, () -> EngineIoPacketCodec.decodeText(wire));
    assertEquals(message, e.getMessage(), source);
  }

  @Test
  void binaryFrameIsTheMessagePayloadWithNoTypeByte() {
    // §Packet encoding › WebSocket: "Binary payloads are sent as is". A leading 4 is data in v4.
    byte[] frame = {4, 1, 2, 3};
    EngineIoPacket p = EngineIoPacketCodec.decodeBinary(frame);
    assertEquals(EngineIoPacket.message(new byte[] {4, 1, 2, 3}), p);
    assertSame(frame, p.binary());
  }

  @Test
  void emptyBinaryFrameIsAnEmptyBinaryMessage() {
    assertEquals(EngineIoPacket.message(new byte[0]), EngineIoPacketCodec.decodeBinary(new byte[0]));
  }

  @Test
  void encodesBinaryMessageAsItsBytes() {
    byte[] data = {1, 2, 3, 4};
    assertArrayEquals(new byte[] {1, 2, 3, 4}, EngineIoPacketCodec.encodeBinary(EngineIoPacket.message(data)));
  }

  @Test
  void refusesToEncodeBinaryMessageAsText() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EngineIoPacketCodec.encodeText(EngineIoPacket.message(new byte[] {1})));
    assertEquals("Binary packet has no text frame", e.getMessage());
  }

  @Test
  void refusesToEncodeTextPacketAsBinary() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EngineIoPacketCodec.encodeBinary(EngineIoPacket.message("a")));
    assertEquals("Text packet has no binary frame", e.getMessage());
  }
}
