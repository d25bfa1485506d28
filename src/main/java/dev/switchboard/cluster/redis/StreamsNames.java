package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.WireOptions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Redis names of the streams adapter ({@code @socket.io/redis-streams-adapter} 0.3.1,
 * lib/adapter.ts 32–88, 249–259, 286–309, 424–510): the stream each namespace writes to, the
 * pub/sub channels, the session keys, and the stream offsets connection state recovery reads
 * from.
 *
 * <pre>{@code
 * StreamsNames names = StreamsNames.DEFAULTS;           // socket.io, 1 stream, socket.io, sio:session:
 * names.streamFor("/chat");                              // "socket.io"
 * new StreamsNames("socket.io", 3, "socket.io", "sio:session:").streamFor("/notifications");  // "socket.io--2"
 * names.publicChannel("/");                              // "socket.io#/#"
 * names.privateChannel("/", uid);                        // "socket.io#/#<uid>#"
 * }</pre>
 *
 * @param streamName the {@code streamName} option: the stream, or the streams' prefix
 * @param streamCount the {@code streamCount} option: how many streams share the namespaces
 * @param channelPrefix the {@code channelPrefix} option of the pub/sub channels
 * @param sessionKeyPrefix the {@code sessionKeyPrefix} option of the persisted sessions' keys
 */
public record StreamsNames(String streamName, int streamCount, String channelPrefix, String sessionKeyPrefix) {
  /** The adapter's defaults: {@code socket.io}, 1, {@code socket.io}, {@code sio:session:}. */
  public static final StreamsNames DEFAULTS = new StreamsNames("socket.io", 1, "socket.io", "sio:session:");

  /** lib/adapter.ts 443: what a stream entry id looks like. */
  private static final Pattern OFFSET = Pattern.compile("[0-9]+-[0-9]+");

  /** Checks that nothing is null and there is at least one stream. */
  public StreamsNames {
    Objects.requireNonNull(streamName, "streamName");
    Objects.requireNonNull(channelPrefix, "channelPrefix");
    Objects.requireNonNull(sessionKeyPrefix, "sessionKeyPrefix");
    if (streamCount < 1) throw new IllegalArgumentException("streamCount must be at least 1: " + streamCount);
  }

  /**
   * The stream the namespace's lasting messages go to (computeStreamName): {@code streamName}
   * with one stream, else {@code streamName-i} with {@code i = hashCode(nsp) % streamCount} — a
   * signed remainder, so a namespace whose hash is negative goes to {@code socket.io--2}, as
   * upstream (every node computes the same name, which is all that matters).
   */
  public String streamFor(String nsp) {
    return streamCount == 1 ? streamName : streamName + "-" + hashCode(nsp) % streamCount;
  }

  /** The streams a node reads, one reader each: {@code streamName}, or {@code streamName-0} to {@code -(n-1)}. */
  public List<String> streams() {
    if (streamCount == 1) return List.of(streamName);
    List<String> out = new ArrayList<>(streamCount);
    for (int i = 0; i < streamCount; i++) out.add(streamName + "-" + i);
    return List.copyOf(out);
  }

  /**
   * The streams adapter's hashCode (lib/util.ts 202–210): {@code hash = hash * 31 + charCode},
   * kept to 32 bits at each step — which is exactly Java's {@link String#hashCode()} (both count
   * UTF-16 units).
   */
  public static int hashCode(String nsp) {
    return nsp.hashCode();
  }

  /** {@code <channelPrefix>#<nsp>#}: requests and broadcasts with ack; {@code NUMSUB} counts nodes on it. */
  public String publicChannel(String nsp) {
    return channelPrefix + "#" + nsp + "#";
  }

  /** {@code <channelPrefix>#<nsp>#<uid>#}: the answers to the node {@code uid}. */
  public String privateChannel(String nsp, String uid) {
    return publicChannel(nsp) + uid + "#";
  }

  /** {@code <sessionKeyPrefix><pid>}: where a dropped socket's session waits. */
  public String sessionKey(String pid) {
    return sessionKeyPrefix + pid;
  }

  /** Whether {@code offset} looks like a stream entry id ({@code ^[0-9]+-[0-9]+$}); recovery fails otherwise. */
  public static boolean isOffset(String offset) {
    return OFFSET.matcher(offset).matches();
  }

  /**
   * The id right after {@code offset}, for an exclusive XRANGE start (nextOffset, lib/adapter.ts
   * 507–510: sequence + 1; computed exactly here, where JavaScript's parseInt would round a
   * sequence beyond 2^53).
   *
   * @throws IllegalArgumentException if it is not an offset
   */
  public static String nextOffset(String offset) {
    if (!isOffset(offset)) throw new IllegalArgumentException("not a stream offset");
    int dash = offset.indexOf('-');
    return offset.substring(0, dash) + "-" + new BigInteger(offset.substring(dash + 1)).add(BigInteger.ONE);
  }

  /**
   * Whether a stored broadcast reaches a session with these rooms (shouldIncludePacket,
   * lib/adapter.ts 513–521): no room was targeted or the session was in one of them, and it was
   * in none of the excepted rooms.
   */
  public static boolean reaches(WireOptions opts, List<String> sessionRooms) {
    boolean included = opts.rooms().isEmpty();
    for (String room : sessionRooms) {
      if (opts.except().contains(room)) return false;
      if (!included && opts.rooms().contains(room)) included = true;
    }
    return included;
  }
}
