package dev.switchboard.socketio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The packet-type table, the packet record's invariants and the limits' defaults. */
class SocketIoProtocolTypesTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(SocketIoPacketType.class)
  void mapsEachTypeToItsWireDigitAndBack(SocketIoPacketType type) throws SocketIoProtocolException {
    // socket.io-protocol §Exchange protocol: CONNECT 0 … BINARY_ACK 6.
    assertEquals((char) ('0' + type.ordinal()), type.wire());
    assertEquals(type, SocketIoPacketType.fromWire(type.wire()));
  }

  @ParameterizedTest(name = "character #{index}")
  @ValueSource(chars = {'7', '8', '9', '/', 'a', ' ', '-', '\u0660', '\u0000'})
  void refusesCharactersThatAreNotTypeDigits(char c) {
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class, () -> SocketIoPacketType.fromWire(c));
    assertEquals("Unknown packet type", e.getMessage());
  }

  @Test
  void classifiesTypes() {
    assertTrue(SocketIoPacketType.BINARY_EVENT.isBinary() && SocketIoPacketType.BINARY_ACK.isBinary());
    assertFalse(SocketIoPacketType.EVENT.isBinary());
    assertTrue(SocketIoPacketType.ACK.carriesAckId() && SocketIoPacketType.BINARY_EVENT.carriesAckId());
    assertFalse(SocketIoPacketType.CONNECT.carriesAckId() || SocketIoPacketType.DISCONNECT.carriesAckId()
        || SocketIoPacketType.CONNECT_ERROR.carriesAckId());
  }

  static Stream<Arguments> badPackets() {
    return Stream.of(
        Arguments.of("empty namespace", "", -1L, "Namespace must start with '/'"),
        Arguments.of("namespace without slash", "admin", -1L, "Namespace must start with '/'"),
        Arguments.of("namespace with comma", "/a,b", -1L, "Namespace must not contain ','"),
        Arguments.of("ack id -2", "/", -2L, "Ack id must be -1 or non-negative"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPackets")
  void refusesPacketsThatCannotBeFramed(String label, String namespace, long ackId, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SocketIoPacket(SocketIoPacketType.EVENT, namespace, null, ackId));
    assertEquals(message, e.getMessage());
  }

  @Test
  void hasDocumentedDefaults() {
    SocketIoLimits d = SocketIoLimits.DEFAULTS;
    assertEquals(10, d.maxAttachments());
    assertEquals(1_000_000, d.maxAttachmentBytesTotal());
    assertEquals(64, d.maxNestingDepth());
    assertEquals(256, d.maxNamespaceLength());
    assertEquals(2_147_483_647L, d.maxAckId());
    assertEquals(256, d.maxEventNameLength());
    assertEquals(100, d.maxNumberLength());
    assertEquals(1_000_000, d.maxStringLength());
    assertEquals(10, d.maxAckIdDigits());
  }

  @Test
  void refusesLimitsThatBreakTheCodec() {
    assertEquals("maxNestingDepth must be at most 256", assertThrows(IllegalArgumentException.class,
        () -> SocketIoLimits.DEFAULTS.withMaxNestingDepth(257)).getMessage());
    assertEquals("maxAckId must be at most 2^53-1", assertThrows(IllegalArgumentException.class,
        () -> SocketIoLimits.DEFAULTS.withMaxAckId(SocketIoProtocol.MAX_SAFE_INTEGER + 1)).getMessage());
    assertEquals("maxAttachments must be at least 0", assertThrows(IllegalArgumentException.class,
        () -> SocketIoLimits.DEFAULTS.withMaxAttachments(-1)).getMessage());
    assertEquals("maxNestingDepth must be at least 1", assertThrows(IllegalArgumentException.class,
        () -> SocketIoLimits.DEFAULTS.withMaxNestingDepth(0)).getMessage());
  }

  @Test
  void acceptsTheLargestJavaScriptSafeAckId() throws SocketIoProtocolException {
    SocketIoLimits limits = SocketIoLimits.DEFAULTS.withMaxAckId(SocketIoProtocol.MAX_SAFE_INTEGER);
    SocketIoPacket p = new SocketIoDecoder(limits).add("29007199254740991[\"x\"]");
    assertEquals(SocketIoProtocol.MAX_SAFE_INTEGER, p.ackId());
    assertEquals("Ack id too large (max 9007199254740991)", assertThrows(SocketIoProtocolException.class,
        () -> new SocketIoDecoder(limits).add("29007199254740992[\"x\"]")).getMessage());
  }
}
