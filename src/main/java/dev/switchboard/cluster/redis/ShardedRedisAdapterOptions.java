package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterAdapterBase;
import java.time.Duration;
import java.util.Objects;

/**
 * The options of {@link ShardedRedisAdapter}, with Node's names and defaults
 * ({@code ShardedRedisAdapterOptions}, {@code lib/sharded-adapter.ts} 18–47), plus {@code requestsTimeout}, which Node's sharded adapter does not have
 * (its requests wait {@code DEFAULT_TIMEOUT}, 5 s).
 *
 * <pre>{@code
 * ShardedRedisAdapterOptions o = ShardedRedisAdapterOptions.builder()
 *     .channelPrefix("app").subscriptionMode("dynamic-private").build();
 * }</pre>
 */
public final class ShardedRedisAdapterOptions {
  /** {@code channelPrefix} "socket.io", {@code subscriptionMode} dynamic, {@code requestsTimeout} 5 s. */
  public static final ShardedRedisAdapterOptions DEFAULTS = builder().build();

  private final String channelPrefix;
  private final SubscriptionMode subscriptionMode;
  private final Duration requestsTimeout;

  private ShardedRedisAdapterOptions(Builder b) {
    this.channelPrefix = b.channelPrefix;
    this.subscriptionMode = b.subscriptionMode;
    this.requestsTimeout = b.requestsTimeout;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The prefix of every channel name. */
  public String channelPrefix() {
    return channelPrefix;
  }

  /** Which rooms get a channel of their own. */
  public SubscriptionMode subscriptionMode() {
    return subscriptionMode;
  }

  /** How long {@code fetchSockets} (without a timeout of its own) and {@code allRooms} wait for the other nodes. */
  public Duration requestsTimeout() {
    return requestsTimeout;
  }

  @Override
  public String toString() {
    return "ShardedRedisAdapterOptions{channelPrefix=" + channelPrefix + ", subscriptionMode="
        + subscriptionMode.optionValue() + ", requestsTimeout=" + requestsTimeout + "}";
  }

  /** ShardedRedisAdapterOptions, one setter each; every value has a default. */
  public static final class Builder {
    private String channelPrefix = ShardedChannels.DEFAULT_PREFIX;
    private SubscriptionMode subscriptionMode = SubscriptionMode.DYNAMIC;
    private Duration requestsTimeout = ClusterAdapterBase.DEFAULT_TIMEOUT;

    private Builder() {}

    /** {@code channelPrefix}; default {@code "socket.io"}. Every node of the cluster uses the same. */
    public Builder channelPrefix(String prefix) {
      this.channelPrefix = Objects.requireNonNull(prefix, "channelPrefix");
      return this;
    }

    /** {@code subscriptionMode}; default {@link SubscriptionMode#DYNAMIC}. Every node of the cluster uses the same. */
    public Builder subscriptionMode(SubscriptionMode mode) {
      this.subscriptionMode = Objects.requireNonNull(mode, "subscriptionMode");
      return this;
    }

    /**
     * {@code subscriptionMode} by Node's name: {@code "static"}, {@code "dynamic"} or
     * {@code "dynamic-private"}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public Builder subscriptionMode(String mode) {
      Objects.requireNonNull(mode, "subscriptionMode");
      for (SubscriptionMode m : SubscriptionMode.values()) {
        if (m.optionValue().equals(mode)) return subscriptionMode(m);
      }
      throw new IllegalArgumentException("subscriptionMode must be static, dynamic or dynamic-private, not \"" + mode + "\"");
    }

    /** How long requests without a timeout of their own wait; positive; default 5 s. */
    public Builder requestsTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "requestsTimeout");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("requestsTimeout must be positive");
      this.requestsTimeout = timeout;
      return this;
    }

    /** The options. */
    public ShardedRedisAdapterOptions build() {
      return new ShardedRedisAdapterOptions(this);
    }
  }
}
