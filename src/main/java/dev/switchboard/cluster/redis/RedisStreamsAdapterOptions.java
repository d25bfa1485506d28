package dev.switchboard.cluster.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of {@link RedisStreamsAdapter}, with the names and defaults of {@code
 * @socket.io/redis-streams-adapter} 0.3.1 ({@code RedisStreamsAdapterOptions}, lib/adapter.ts
 * 32–88, defaults 183–198) — a Node node and a Switchboard node of one cluster must agree on the
 * first four and on {@code sessionKeyPrefix} — plus {@code requestsTimeout}, socket.io-adapter's
 * request timeout. Immutable; built with {@link #builder()}.
 *
 * <pre>{@code
 * RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.builder()
 *     .streamName("chat-events").maxLen(50_000).build();
 * io.adapter(RedisStreamsAdapter.factory(link, options));
 * }</pre>
 */
public final class RedisStreamsAdapterOptions {
  /** Every option at its default. */
  public static final RedisStreamsAdapterOptions DEFAULTS = builder().build();

  private final String streamName;
  private final int streamCount;
  private final String channelPrefix;
  private final boolean useShardedPubSub;
  private final long maxLen;
  private final int readCount;
  private final long blockTimeInMs;
  private final String sessionKeyPrefix;
  private final boolean onlyPlaintext;
  private final Duration requestsTimeout;

  private RedisStreamsAdapterOptions(Builder b) {
    this.streamName = b.streamName;
    this.streamCount = b.streamCount;
    this.channelPrefix = b.channelPrefix;
    this.useShardedPubSub = b.useShardedPubSub;
    this.maxLen = b.maxLen;
    this.readCount = b.readCount;
    this.blockTimeInMs = b.blockTimeInMs;
    this.sessionKeyPrefix = b.sessionKeyPrefix;
    this.onlyPlaintext = b.onlyPlaintext;
    this.requestsTimeout = b.requestsTimeout;
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.streamName = streamName;
    b.streamCount = streamCount;
    b.channelPrefix = channelPrefix;
    b.useShardedPubSub = useShardedPubSub;
    b.maxLen = maxLen;
    b.readCount = readCount;
    b.blockTimeInMs = blockTimeInMs;
    b.sessionKeyPrefix = sessionKeyPrefix;
    b.onlyPlaintext = onlyPlaintext;
    b.requestsTimeout = requestsTimeout;
    return b;
  }

  /** The stream's name, or the prefix of the streams' names when there are several. Default {@code socket.io}. */
  public String streamName() {
    return streamName;
  }

  /**
   * How many streams the namespaces are spread over (each namespace always goes to the same one,
   * which keeps its messages in order). Default 1.
   */
  public int streamCount() {
    return streamCount;
  }

  /** The prefix of the pub/sub channels. Default {@code socket.io}. */
  public String channelPrefix() {
    return channelPrefix;
  }

  /** Whether pub/sub is sharded ({@code SPUBLISH}/{@code SSUBSCRIBE}, Redis 7). Default false. */
  public boolean useShardedPubSub() {
    return useShardedPubSub;
  }

  /** The stream's length beyond which Redis trims old entries ({@code XADD MAXLEN ~}, almost exact). Default 10 000. */
  public long maxLen() {
    return maxLen;
  }

  /** Entries per {@code XREAD}. Default 100. */
  public int readCount() {
    return readCount;
  }

  /** How long one {@code XREAD} blocks waiting for entries, in milliseconds. Default 5000. */
  public long blockTimeInMs() {
    return blockTimeInMs;
  }

  /** The prefix of the keys of persisted sessions (connection state recovery). Default {@code sio:session:}. */
  public String sessionKeyPrefix() {
    return sessionKeyPrefix;
  }

  /**
   * Whether stream entries are always JSON, without looking for binary (a {@code byte[]} then
   * travels as {@code {"type":"Buffer","data":[…]}} and arrives as that object). Default false.
   */
  public boolean onlyPlaintext() {
    return onlyPlaintext;
  }

  /**
   * How long {@code fetchSockets} without a timeout of its own and {@code allRooms} wait for the
   * other nodes (socket.io-adapter's {@code DEFAULT_TIMEOUT}). Default 5 s.
   */
  public Duration requestsTimeout() {
    return requestsTimeout;
  }

  /** The Redis names these options give. */
  public StreamsNames names() {
    return new StreamsNames(streamName, streamCount, channelPrefix, sessionKeyPrefix);
  }

  @Override
  public String toString() {
    return "RedisStreamsAdapterOptions{streamName=" + streamName + ", streamCount=" + streamCount + ", channelPrefix="
        + channelPrefix + ", useShardedPubSub=" + useShardedPubSub + ", maxLen=" + maxLen + ", readCount=" + readCount
        + ", blockTimeInMs=" + blockTimeInMs + ", sessionKeyPrefix=" + sessionKeyPrefix + ", onlyPlaintext="
        + onlyPlaintext + ", requestsTimeout=" + requestsTimeout + "}";
  }

  /** Builds {@link RedisStreamsAdapterOptions}; each setter checks its value. Not thread-safe. */
  public static final class Builder {
    private String streamName = "socket.io";
    private int streamCount = 1;
    private String channelPrefix = "socket.io";
    private boolean useShardedPubSub;
    private long maxLen = 10_000;
    private int readCount = 100;
    private long blockTimeInMs = 5_000;
    private String sessionKeyPrefix = "sio:session:";
    private boolean onlyPlaintext;
    private Duration requestsTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /** See {@link RedisStreamsAdapterOptions#streamName()}; not empty. */
    public Builder streamName(String name) {
      this.streamName = notEmpty(name, "streamName");
      return this;
    }

    /** See {@link RedisStreamsAdapterOptions#streamCount()}; at least 1. */
    public Builder streamCount(int count) {
      if (count < 1) throw new IllegalArgumentException("streamCount must be at least 1, got " + count);
      this.streamCount = count;
      return this;
    }

    /** See {@link RedisStreamsAdapterOptions#channelPrefix()}; not empty. */
    public Builder channelPrefix(String prefix) {
      this.channelPrefix = notEmpty(prefix, "channelPrefix");
      return this;
    }

    /** See {@link RedisStreamsAdapterOptions#useShardedPubSub()}. */
    public Builder useShardedPubSub(boolean sharded) {
      this.useShardedPubSub = sharded;
      return this;
    }

    /** See {@link RedisStreamsAdapterOptions#maxLen()}; at least 1. */
    public Builder maxLen(long maxLen) {
      if (maxLen < 1) throw new IllegalArgumentException("maxLen must be at least 1, got " + maxLen);
      this.maxLen = maxLen;
      return this;
    }

    /** See {@link RedisStreamsAdapterOptions#readCount()}; at least 1. */
    public Builder readCount(int count) {
      if (count < 1) throw new IllegalArgumentException("readCount must be at least 1, got " + count);
      this.readCount = count;
      return this;
    }

    /**
     * See {@link RedisStreamsAdapterOptions#blockTimeInMs()}; positive (Redis's {@code BLOCK 0},
     * forever, would outlast every command timeout).
     */
    public Builder blockTimeInMs(long millis) {
      if (millis < 1) throw new IllegalArgumentException("blockTimeInMs must be positive, got " + millis);
      this.blockTimeInMs = millis;
      return this;
    }

    /** See {@link RedisStreamsAdapterOptions#sessionKeyPrefix()}; may be empty, not null. */
    public Builder sessionKeyPrefix(String prefix) {
      this.sessionKeyPrefix = Objects.requireNonNull(prefix, "sessionKeyPrefix");
      return this;
    }

    /** See {@link RedisStreamsAdapterOptions#onlyPlaintext()}. */
    public Builder onlyPlaintext(boolean plaintext) {
      this.onlyPlaintext = plaintext;
      return this;
    }

    /** See {@link RedisStreamsAdapterOptions#requestsTimeout()}; positive. */
    public Builder requestsTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "requestsTimeout");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("requestsTimeout must be positive, got " + timeout);
      this.requestsTimeout = timeout;
      return this;
    }

    /** The options. */
    public RedisStreamsAdapterOptions build() {
      return new RedisStreamsAdapterOptions(this);
    }

    private static String notEmpty(String s, String what) {
      Objects.requireNonNull(s, what);
      if (s.isEmpty()) throw new IllegalArgumentException(what + " must not be empty");
      return s;
    }
  }
}
