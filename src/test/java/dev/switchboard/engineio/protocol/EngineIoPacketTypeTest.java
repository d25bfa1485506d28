package dev.switchboard.engineio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineIoPacketTypeTest {

  // engine.io-protocol §Protocol: "Here is the list of available packet types".
  static Stream<Arguments> packetTypes() {
    return Stream.of(
        Arguments.of(EngineIoPacketType.OPEN, '0'),
        Arguments.of(EngineIoPacketType.CLOSE, '1'),
        Arguments.of(EngineIoPacketType.PING, '2'),
        Arguments.of(EngineIoPacketType.PONG, '3'),
        Arguments.of(EngineIoPacketType.MESSAGE, '4'),
        Arguments.of(EngineIoPacketType.UPGRADE, '5'),
        Arguments.of(EngineIoPacketType.NOOP, '6'));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packetTypes")
  void mapsEachTypeToItsWireCharacterAndBack(EngineIoPacketType type, char wire) throws Exception {
    assertEquals(wire, type.wire());
    assertEquals(type, EngineIoPacketType.fromWire(wire));
  }

  // hostile-inputs.md#C67, plus the neighbours of the valid range and the binary prefix (which is not a
  // type: "b" is handled by the packet decoder before the type is looked up).
  static Stream<Arguments> unknownTypes() {
    return Stream.of('7', '8', '9', 'x', '\u0000', '\uFEFF', '/', ':', 'b', ' ', '-', '\u0660', '\uFF14')
        .map(c -> Arguments.of(Named.of(String.format("U+%04X", (int) c), c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownTypes")
  void rejectsUnknownTypeCharacter(char c) {
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class, () -> EngineIoPacketType.fromWire(c));
    assertEquals("Unknown packet type", e.getMessage());
  }
}
