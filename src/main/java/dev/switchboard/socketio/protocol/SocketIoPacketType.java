package dev.switchboard.socketio.protocol;

import static dev.switchboard.socketio.protocol.SocketIoProtocolException.malformed;

/** Socket.IO packet types with their wire digit (socket.io-protocol §Exchange protocol). */
public enum SocketIoPacketType {
  CONNECT('0'),
  DISCONNECT('1'),
  EVENT('2'),
  ACK('3'),
  CONNECT_ERROR('4'),
  BINARY_EVENT('5'),
  BINARY_ACK('6');

  private static final SocketIoPacketType[] BY_DIGIT = values();

  private final char wire;

  SocketIoPacketType(char wire) {
    this.wire = wire;
  }

  /** The digit that starts an encoded packet of this type. */
  public char wire() {
    return wire;
  }

  /**
   * The type whose digit is {@code c}.
   *
   * @throws SocketIoProtocolException "Unknown packet type" for anything but '0'..'6'
   */
  public static SocketIoPacketType fromWire(char c) throws SocketIoProtocolException {
    int digit = c - '0';
    if (digit < 0 || digit >= BY_DIGIT.length) {
      throw malformed("Unknown packet type");
    }
    return BY_DIGIT[digit];
  }

  /** BINARY_EVENT and BINARY_ACK: an attachment count follows the type digit. */
  public boolean isBinary() {
    return this == BINARY_EVENT || this == BINARY_ACK;
  }

  /** EVENT and BINARY_EVENT. */
  public boolean isEvent() {
    return this == EVENT || this == BINARY_EVENT;
  }

  /** ACK and BINARY_ACK. */
  public boolean isAck() {
    return this == ACK || this == BINARY_ACK;
  }

  /**
   * Whether digits after the namespace are an ack id. socket.io-protocol §Acknowledgement only
   * gives ids to events and acks; for the other types such digits are payload (and invalid).
   */
  public boolean carriesAckId() {
    return isEvent() || isAck();
  }
}
