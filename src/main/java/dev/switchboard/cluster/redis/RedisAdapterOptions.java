package dev.switchboard.cluster.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of the classic {@link RedisAdapter}, with the names and defaults of
 * {@code @socket.io/redis-adapter} 8.3's {@code RedisAdapterOptions} (lib/index.ts 48-76, 129-141)
 * — {@code key}, {@code requestsTimeout}, {@code publishOnSpecificResponseChannel} — and the
 * bounds that keep a node safe from its peers. Immutable; built with {@link #builder()}.
 *
 * <pre>{@code
 * RedisAdapterOptions options = RedisAdapterOptions.builder()
 *     .key("chat")                                   // channels chat#/#, chat-request#/#, …
 *     .requestsTimeout(Duration.ofSeconds(2))
 *     .build();
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder()
 *     .adapter(RedisAdapter.factory(link, options)).build());
 * }</pre>
 */
public final class RedisAdapterOptions {
  /** Every option at its default (Node's, and ours for the bounds). */
  public static final RedisAdapterOptions DEFAULTS = builder().build();

  private final String key;
  private final Duration requestsTimeout;
  private final boolean publishOnSpecificResponseChannel;
  private final int maxPendingRequests;
  private final long maxQueuedBytes;

  private RedisAdapterOptions(Builder b) {
    this.key = b.key;
    this.requestsTimeout = b.requestsTimeout;
    this.publishOnSpecificResponseChannel = b.publishOnSpecificResponseChannel;
    this.maxPendingRequests = b.maxPendingRequests;
    this.maxQueuedBytes = b.maxQueuedBytes;
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.key = key;
    b.requestsTimeout = requestsTimeout;
    b.publishOnSpecificResponseChannel = publishOnSpecificResponseChannel;
    b.maxPendingRequests = maxPendingRequests;
    b.maxQueuedBytes = maxQueuedBytes;
    return b;
  }

  /** The prefix of every channel; default {@code socket.io} (Node's {@code key}). */
  public String key() {
    return key;
  }

  /**
   * How long {@code fetchSockets} (without a {@code timeout(...)} of its own) and {@code allRooms}
   * wait for the other nodes; default 5 s (Node's {@code requestsTimeout}).
   */
  public Duration requestsTimeout() {
    return requestsTimeout;
  }

  /**
   * Whether this node answers another node's request on that node's own response channel
   * ({@code <key>-response#<nsp>#<uid>#}) rather than the shared one; default false (Node's
   * {@code publishOnSpecificResponseChannel}). Either way it listens on both.
   */
  public boolean publishOnSpecificResponseChannel() {
    return publishOnSpecificResponseChannel;
  }

  /**
   * The most requests one namespace's adapter waits for at a time (requests and broadcasts with
   * acks together); default 10 000. Beyond, a new request fails at once and a broadcast with acks
   * goes out without collecting the other nodes' answers.
   */
  public int maxPendingRequests() {
    return maxPendingRequests;
  }

  /**
   * How many bytes of messages from Redis one namespace's adapter keeps queued before it handles
   * them (each message counted as at least 256 bytes); default 32 MiB. A flood beyond is dropped
   * on arrival and counted ({@code ClusterMetrics.Drop.OVERLOADED}).
   */
  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /** Options to change; {@link #build()} checks them. */
  public static final class Builder {
    private String key = ClassicChannels.DEFAULT_KEY;
    private Duration requestsTimeout = Duration.ofSeconds(5);
    private boolean publishOnSpecificResponseChannel;
    private int maxPendingRequests = 10_000;
    private long maxQueuedBytes = 32L << 20;

    private Builder() {}

    /** The channel prefix (Node's {@code key}); not empty. */
    public Builder key(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) throw new IllegalArgumentException("key must not be empty");
      this.key = key;
      return this;
    }

    /** How long requests to the other nodes wait; positive. */
    public Builder requestsTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "requestsTimeout");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("requestsTimeout must be positive");
      this.requestsTimeout = timeout;
      return this;
    }

    /** Answer on the asker's own response channel (Node's {@code publishOnSpecificResponseChannel}). */
    public Builder publishOnSpecificResponseChannel(boolean specific) {
      this.publishOnSpecificResponseChannel = specific;
      return this;
    }

    /** The most requests waiting at a time per namespace; at least 1. */
    public Builder maxPendingRequests(int max) {
      if (max < 1) throw new IllegalArgumentException("maxPendingRequests must be at least 1");
      this.maxPendingRequests = max;
      return this;
    }

    /** The most bytes of arrived messages queued per namespace; at least 64 KiB. */
    public Builder maxQueuedBytes(long max) {
      if (max < 64 << 10) throw new IllegalArgumentException("maxQueuedBytes must be at least 64 KiB");
      this.maxQueuedBytes = max;
      return this;
    }

    /** The options. */
    public RedisAdapterOptions build() {
      return new RedisAdapterOptions(this);
    }
  }

  @Override
  public String toString() {
    return "RedisAdapterOptions{key=" + key + ", requestsTimeout=" + requestsTimeout
        + ", publishOnSpecificResponseChannel=" + publishOnSpecificResponseChannel + ", maxPendingRequests="
        + maxPendingRequests + ", maxQueuedBytes=" + maxQueuedBytes + "}";
  }
}
