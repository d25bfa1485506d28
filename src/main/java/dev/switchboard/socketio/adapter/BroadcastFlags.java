package dev.switchboard.socketio.adapter;

/**
 * How a packet is sent. {@code volatile}: may be dropped when the client is not ready (Node's
 * {@code socket.volatile}); {@code compress}: a hint only (we negotiate no compression);
 * {@code local}: stay on this node (the in-memory adapter is always local).
 */
public record BroadcastFlags(boolean isVolatile, boolean compress, boolean local) {
  public static final BroadcastFlags NONE = new BroadcastFlags(false, true, false);

  public BroadcastFlags withVolatile() {
    return new BroadcastFlags(true, compress, local);
  }

  public BroadcastFlags withCompress(boolean c) {
    return new BroadcastFlags(isVolatile, c, local);
  }

  public BroadcastFlags withLocal() {
    return new BroadcastFlags(isVolatile, compress, true);
  }
}
