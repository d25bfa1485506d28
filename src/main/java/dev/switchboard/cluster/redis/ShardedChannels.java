package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterMessage;
import java.util.List;
import java.util.Objects;

/**
 * The sharded pub/sub channels of the sharded {@code @socket.io/redis-adapter} 8.3 for one
 * namespace (lib/sharded-adapter.ts 88–111, 142–175): {@code <prefix>#<nsp>#} for every message,
 * {@code <prefix>#<nsp>#<uid>#} for the answers to the node {@code uid}, and in the dynamic modes
 * {@code <prefix>#<nsp>#<room>#} per room. A node subscribes ({@code SSUBSCRIBE}) to the first and
 * to its own answer channel, plus its rooms' channels as {@link SubscriptionMode} says;
 * {@code PUBSUB SHARDNUMSUB <prefix>#<nsp>#} counts the nodes.
 *
 * <pre>{@code
 * ShardedChannels ch = new ShardedChannels("socket.io", "/", SubscriptionMode.DYNAMIC);
 * ch.publishChannel(message);      // "socket.io#/#lobby#" for a broadcast without ack to lobby only
 * ch.response(askerUid);           // "socket.io#/#b49e5b1e4eea8dcc#"
 * }</pre>
 *
 * @param prefix the adapter's {@code channelPrefix} option (default {@code socket.io})
 * @param nsp the namespace name
 * @param mode the subscription mode
 */
public record ShardedChannels(String prefix, String nsp, SubscriptionMode mode) {
  /** The adapter's default {@code channelPrefix}. */
  public static final String DEFAULT_PREFIX = "socket.io";

  /** Checks that nothing is null. */
  public ShardedChannels {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(nsp, "nsp");
    Objects.requireNonNull(mode, "mode");
  }

  /** {@code <prefix>#<nsp>#}: every message but answers and, in the dynamic modes, some broadcasts. */
  public String main() {
    return prefix + "#" + nsp + "#";
  }

  /** {@code <prefix>#<nsp>#<uid>#}: the answers to the node {@code uid}. */
  public String response(String uid) {
    return main() + uid + "#";
  }

  /** {@code <prefix>#<nsp>#<room>#}: a room's channel in the dynamic modes. */
  public String room(String room) {
    return main() + room + "#";
  }

  /**
   * lib/sharded-adapter.ts 14–16: a room of 20 characters "looks like a socket id" (JavaScript
   * counts UTF-16 units, as {@link String#length()} does), so in {@link SubscriptionMode#DYNAMIC}
   * a broadcast to it goes to the namespace's channel.
   */
  public static boolean looksLikeASocketId(String room) {
    return room.length() == 20;
  }

  /**
   * Where {@code message} is published (computeChannel, lib/sharded-adapter.ts 142–158): a
   * broadcast without ack to exactly one room goes to that room's channel in {@link
   * SubscriptionMode#DYNAMIC_PRIVATE}, and in {@link SubscriptionMode#DYNAMIC} unless the room looks
   * like a socket id; everything else to {@link #main()} — a broadcast with ack always, because
   * {@code serverCount()} counts every node, not only the room's subscribers. Answers go to
   * {@link #response(String)} instead.
   */
  public String publishChannel(ClusterMessage message) {
    if (message instanceof ClusterMessage.Broadcast b) {
      List<String> rooms = b.opts().rooms();
      if (rooms.size() == 1 && (mode == SubscriptionMode.DYNAMIC_PRIVATE
          || mode == SubscriptionMode.DYNAMIC && !looksLikeASocketId(rooms.get(0)))) {
        return room(rooms.get(0));
      }
    }
    return main();
  }
}
