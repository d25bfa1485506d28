package dev.switchboard.socketio.protocol;

/** {@link SocketIoParser#DEFAULT}: {@link SocketIoEncoder} and {@link SocketIoDecoder}. Stateless. */
final class DefaultParser implements SocketIoParser {
  static final DefaultParser INSTANCE = new DefaultParser();

  private DefaultParser() {}

  @Override
  public SocketIoEncoder.Encoded encode(SocketIoPacket packet) {
    return SocketIoEncoder.encode(packet);
  }

  @Override
  public PacketDecoder newDecoder(SocketIoLimits limits) {
    return new SocketIoDecoder(limits);
  }

  @Override
  public String name() {
    return "default";
  }

  @Override
  public String toString() {
    return name();
  }
}
