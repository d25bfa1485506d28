package dev.switchboard.engineio.protocol;

/**
 * The seven Engine.IO packet types and the single character that stands for each on the wire
 * (engine.io-protocol §Protocol: "Here is the list of available packet types").
 */
public enum EngineIoPacketType {
  /** Server → client handshake data (§Handshake). */
  OPEN('0'),
  /** Either side: the transport can be closed. */
  CLOSE('1'),
  /** v4: server → client heartbeat, and client → server {@code 2probe} during an upgrade. */
  PING('2'),
  /** v4: client → server heartbeat answer, and server → client {@code 3probe}. */
  PONG('3'),
  /** Application data, text or binary. */
  MESSAGE('4'),
  /** Client → server: switch to the probed transport (§Upgrade). */
  UPGRADE('5'),
  /** Server → client: releases a pending poll during an upgrade (§Upgrade). */
  NOOP('6');

  private static final EngineIoPacketType[] BY_DIGIT = values();

  private final char wire;

  EngineIoPacketType(char wire) {
    this.wire = wire;
  }

  /** The type's character on the wire, {@code '0'}…{@code '6'}. */
  public char wire() {
    return wire;
  }

  /**
   * The type whose wire character is {@code c}.
   *
   * @throws EngineIoProtocolException "Unknown packet type" for anything but {@code '0'}…{@code '6'}
   *     ({@code '7'}, {@code 'x'}, NUL, a byte-order mark…)
   */
  public static EngineIoPacketType fromWire(char c) throws EngineIoProtocolException {
    // A range check on the char, not valueOf()/a map look-up: no lookup of peer-chosen names.
    int i = c - '0';
    if (i < 0 || i >= BY_DIGIT.length) throw new EngineIoProtocolException("Unknown packet type");
    return BY_DIGIT[i];
  }
}
