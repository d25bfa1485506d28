package dev.switchboard.socketio.adapter;

/**
 * How a packet is sent. {@code volatile}: may be dropped when the client is not ready (Node's
 * {@code socket.volatile}); {@code compress}: a hint only (we negotiate no compression);
 * {@code local}: stay on this node (the in-memory adapter is always local).
 */
public record BroadcastFlags(boolean isVolatile, boolean compress, boolean local) {
  /** A plain packet: not volatile, compressible, to every node. */
  public static final BroadcastFlags NONE = new BroadcastFlags(false, true, false);

  /** These flags, volatile. */
  public BroadcastFlags withVolatile() {
    return new BroadcastFlags(true, compress, local);
  }

  /** These flags with {@code compress} set to {@code c}. */
  public BroadcastFlags withCompress(boolean c) {
    return new BroadcastFlags(isVolatile, c, local);
  }

  /** These flags, local. */
  public BroadcastFlags withLocal() {
    return new BroadcastFlags(isVolatile, compress, true);
  }
}
