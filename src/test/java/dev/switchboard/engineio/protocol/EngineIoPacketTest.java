package dev.switchboard.engineio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineIoPacketTest {

  static Stream<Arguments> factories() {
    return Stream.of(
        Arguments.of(Named.of("message(\"hello\")", (Supplier<EngineIoPacket>) () -> EngineIoPacket.message("hello")), EngineIoPacketType.MESSAGE, "hello"),
        Arguments.of(Named.of("message(\"\")", (Supplier<EngineIoPacket>) () -> EngineIoPacket.message("")), EngineIoPacketType.MESSAGE, ""),
        Arguments.of(Named.of("ping()", (Supplier<EngineIoPacket>) EngineIoPacket::ping), EngineIoPacketType.PING, ""),
        Arguments.of(Named.of("ping(\"probe\")", (Supplier<EngineIoPacket>) () -> EngineIoPacket.ping("probe")), EngineIoPacketType.PING, "probe"),
        Arguments.of(Named.of("pong(\"probe\")", (Supplier<EngineIoPacket>) () -> EngineIoPacket.pong("probe")), EngineIoPacketType.PONG, "probe"),
        Arguments.of(Named.of("pong(\"\")", (Supplier<EngineIoPacket>) () -> EngineIoPacket.pong("")), EngineIoPacketType.PONG, ""),
        Arguments.of(Named.of("noop()", (Supplier<EngineIoPacket>) EngineIoPacket::noop), EngineIoPacketType.NOOP, ""),
        Arguments.of(Named.of("close()", (Supplier<EngineIoPacket>) EngineIoPacket::close), EngineIoPacketType.CLOSE, ""),
        Arguments.of(Named.of("upgrade()", (Supplier<EngineIoPacket>) EngineIoPacket::upgrade), EngineIoPacketType.UPGRADE, ""),
        Arguments.of(Named.of("open(json)", (Supplier<EngineIoPacket>) () -> EngineIoPacket.open("{\"sid\":\"a\"}")), EngineIoPacketType.OPEN, "{\"sid\":\"a\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void factoryBuildsTextPacket(Supplier<EngineIoPacket> factory, EngineIoPacketType type, String text) {
    EngineIoPacket p = factory.get();
    assertEquals(type, p.type());
    assertEquals(text, p.text());
    assertNull(p.binary());
    assertFalse(p.isBinary());
  }

  @Test
  void binaryMessageKeepsTheArrayItWasGiven() {
    byte[] data = {1, 2, 3, 4};
    EngineIoPacket p = EngineIoPacket.message(data);
    assertEquals(EngineIoPacketType.MESSAGE, p.type());
    assertTrue(p.isBinary());
    assertNull(p.text());
    assertSame(data, p.binary());
  }

  @Test
  void packetsWithoutDataAreShared() {
    assertSame(EngineIoPacket.noop(), EngineIoPacket.of(EngineIoPacketType.NOOP, ""));
    assertSame(EngineIoPacket.ping(), EngineIoPacket.ping(""));
    assertSame(EngineIoPacket.message(""), EngineIoPacket.of(EngineIoPacketType.MESSAGE, ""));
  }

  @Test
  void nullTextOnNonMessageMeansNoData() {
    assertEquals(EngineIoPacket.ping(), new EngineIoPacket(EngineIoPacketType.PING, null, null));
  }

  static Stream<Arguments> invalidPackets() {
    return Stream.of(
        Arguments.of("binary ping", EngineIoPacketType.PING, null, new byte[] {1}, "Binary payload for a non-message packet"),
        Arguments.of("binary open", EngineIoPacketType.OPEN, null, new byte[0], "Binary payload for a non-message packet"),
        Arguments.of("text and binary", EngineIoPacketType.MESSAGE, "a", new byte[] {1}, "A packet carries text or binary, not both"),
        Arguments.of("message without data", EngineIoPacketType.MESSAGE, null, null, "A message needs text or binary"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPackets")
  void rejectsInconsistentPacket(String name, EngineIoPacketType type, String text, byte[] binary, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EngineIoPacket(type, text, binary));
    assertEquals(message, e.getMessage());
  }

  @Test
  void rejectsNullType() {
    assertThrows(NullPointerException.class, () -> new EngineIoPacket(null, "x", null));
  }

  @Test
  void equalityComparesBinaryContent() {
    EngineIoPacket a = EngineIoPacket.message(new byte[] {1, 2, 3});
    EngineIoPacket b = EngineIoPacket.message(new byte[] {1, 2, 3});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, EngineIoPacket.message(new byte[] {1, 2, 4}));
    assertNotEquals(a, EngineIoPacket.message(new byte[] {1, 2}));
  }

  @Test
  void textAndBinaryMessagesAreNeverEqual() {
    assertNotEquals(EngineIoPacket.message(""), EngineIoPacket.message(new byte[0]));
    assertNotEquals(EngineIoPacket.message("AQ=="), EngineIoPacket.message(new byte[] {1}));
  }

  @Test
  void equalityComparesTypeAndText() {
    assertEquals(EngineIoPacket.ping("probe"), new EngineIoPacket(EngineIoPacketType.PING, "probe", null));
    assertEquals(EngineIoPacket.ping("probe").hashCode(), new EngineIoPacket(EngineIoPacketType.PING, "probe", null).hashCode());
    assertNotEquals(EngineIoPacket.ping("probe"), EngineIoPacket.pong("probe"));
    assertNotEquals(EngineIoPacket.ping("probe"), EngineIoPacket.ping("probe2"));
  }

  static Stream<Arguments> toStrings() {
    byte[] twenty = new byte[20];
    for (int i = 0; i < twenty.length; i++) twenty[i] = (byte) (0xf0 + i);
    return Stream.of(
        Arguments.of(EngineIoPacket.message("hello"), "EngineIoPacket[MESSAGE \"hello\"]"),
        Arguments.of(EngineIoPacket.noop(), "EngineIoPacket[NOOP]"),
        Arguments.of(EngineIoPacket.ping("probe"), "EngineIoPacket[PING \"probe\"]"),
        Arguments.of(EngineIoPacket.message(new byte[] {1, 2, 3, 4}), "EngineIoPacket[MESSAGE 4 bytes 01020304]"),
        Arguments.of(EngineIoPacket.message(new byte[] {(byte) 0xff}), "EngineIoPacket[MESSAGE 1 byte ff]"),
        Arguments.of(EngineIoPacket.message(new byte[0]), "EngineIoPacket[MESSAGE 0 bytes ]"),
        Arguments.of(EngineIoPacket.message(twenty), "EngineIoPacket[MESSAGE 20 bytes f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff…]"),
        Arguments.of(EngineIoPacket.message("a\u001eb\"\\\n"), "EngineIoPacket[MESSAGE \"a\\u001eb\\\"\\\\\\u000a\"]"),
        Arguments.of(EngineIoPacket.message("a".repeat(100)), "EngineIoPacket[MESSAGE \"" + "a".repeat(64) + "\"…(100 chars)]"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("toStrings")
  void toStringIsReadable(EngineIoPacket p, String expected) {
    assertEquals(expected, p.toString());
  }
}
