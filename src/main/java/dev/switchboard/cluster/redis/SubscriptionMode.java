package dev.switchboard.cluster.redis;

/**
 * The sharded Redis adapter's {@code subscriptionMode} ({@code @socket.io/redis-adapter} 8.3,
 * lib/sharded-adapter.ts 18–47, 217–225): which rooms get a channel of their own.
 */
public enum SubscriptionMode {
  /** Two channels per namespace; every broadcast goes to the namespace's channel. */
  STATIC,
  /**
   * The default: also one channel per public room (a room that is not a socket id), subscribed to
   * while the room has a local member; a broadcast to one room that does not look like a socket id
   * uses it.
   */
  DYNAMIC,
  /** Like {@link #DYNAMIC}, for socket-id rooms too (many one-to-one emits). */
  DYNAMIC_PRIVATE;

  /** The option's value upstream: {@code static}, {@code dynamic}, {@code dynamic-private}. */
  public String optionValue() {
    return name().toLowerCase().replace('_', '-');
  }

  /**
   * Whether a node in this mode subscribes to the channel of a room when it appears locally
   * ({@code shouldUseASeparateNamespace}): every room in {@link #DYNAMIC_PRIVATE}, a room that is
   * not one of the node's socket ids in {@link #DYNAMIC}, none in {@link #STATIC}.
   */
  public boolean subscribesToRoom(boolean roomIsALocalSocketId) {
    return this == DYNAMIC_PRIVATE || this == DYNAMIC && !roomIsALocalSocketId;
  }
}
