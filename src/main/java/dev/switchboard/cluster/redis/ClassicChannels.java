package dev.switchboard.cluster.redis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Redis channels of the classic {@code @socket.io/redis-adapter} 8.3 for one namespace
 * ({@code lib/index.ts} 136–141, 631–634): with the default key {@code socket.io} and the
 * namespace {@code /chat}, {@code socket.io#/chat#} for broadcasts, {@code socket.io#/chat#lobby#}
 * for broadcasts to the one room {@code lobby}, {@code socket.io-request#/chat#} for requests,
 * {@code socket.io-response#/chat#} for answers, {@code socket.io-response#/chat#<uid>#} for
 * answers to one node. A node subscribes to the pattern {@code socket.io#/chat#*} and to the three
 * others.
 *
 * <pre>{@code
 * ClassicChannels ch = new ClassicChannels("socket.io", "/chat");
 * ch.broadcastChannel(opts);          // "socket.io#/chat#lobby#" when opts has exactly the room lobby
 * ch.roomOf("socket.io#/chat#lobby#") // Optional["lobby"]; Optional[""] for "socket.io#/chat#"
 * }</pre>
 *
 * <p>Names are plain concatenations, as upstream: a namespace or room containing {@code #} makes
 * them ambiguous there too.
 *
 * @param key the adapter's {@code key} option (default {@code socket.io})
 * @param nsp the namespace name
 */
public record ClassicChannels(String key, String nsp) {
  /** The adapter's default {@code key}. */
  public static final String DEFAULT_KEY = "socket.io";

  /** Checks that nothing is null. */
  public ClassicChannels {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(nsp, "nsp");
  }

  /** {@code <key>#<nsp>#}: broadcasts to everyone or to several rooms. */
  public String broadcast() {
    return key + "#" + nsp + "#";
  }

  /** {@code <key>#<nsp>#*}: the pattern a node subscribes to for every broadcast channel. */
  public String broadcastPattern() {
    return broadcast() + "*";
  }

  /** {@code <key>#<nsp>#<room>#}: broadcasts to exactly that one room. */
  public String room(String room) {
    return broadcast() + room + "#";
  }

  /**
   * Where a broadcast with these rooms is published: the room's channel when there is exactly one
   * room ({@code opts.rooms.size === 1}), the namespace's otherwise.
   */
  public String broadcastChannel(List<String> rooms) {
    return rooms.size() == 1 ? room(rooms.get(0)) : broadcast();
  }

  /** {@code <key>-request#<nsp>#}: every request, and the channel PUBSUB NUMSUB counts nodes on. */
  public String request() {
    return key + "-request#" + nsp + "#";
  }

  /** {@code <key>-response#<nsp>#}: the shared answer channel. */
  public String response() {
    return key + "-response#" + nsp + "#";
  }

  /**
   * {@code <key>-response#<nsp>#<uid>#}: the answer channel of the node {@code uid}, used with
   * {@code publishOnSpecificResponseChannel} (the option's comment upstream names a request
   * channel; the code, lib/index.ts 480–486, uses this one).
   */
  public String response(String uid) {
    return response() + uid + "#";
  }

  /**
   * The room a broadcast channel is for: {@code ""} for {@link #broadcast()} itself, the room for
   * {@link #room(String)}, empty when the channel is not one of this namespace's broadcast channels
   * (lib/index.ts 202–213 drops those). A receiving node drops a room it has no local member in
   * before decoding the message.
   */
  public Optional<String> roomOf(String channel) {
    String prefix = broadcast();
    if (!channel.startsWith(prefix)) return Optional.empty();
    if (channel.length() == prefix.length()) return Optional.of("");
    if (channel.charAt(channel.length() - 1) != '#') return Optional.empty();
    return Optional.of(channel.substring(prefix.length(), channel.length() - 1));
  }
}
