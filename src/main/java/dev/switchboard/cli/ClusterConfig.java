package dev.switchboard.cli;

import java.util.Locale;

/**
 * Whether, and how, a server joins a cluster: the flags every server command shares (the chat
 * server, {@code bench-server}, {@code conformance socket.io}), read and checked here, so that a
 * mistake stops the command at start with one sentence and exit code 2.
 *
 * <pre>
 * --redis-url U          REDIS_URL          (none: one process, no Redis)  redis://[[user]:password@]host[:port][/db], rediss:// for TLS
 * --adapter A            ADAPTER            redis when a URL is set          redis | redis-sharded | redis-streams
 * --redis-key K          REDIS_KEY          socket.io                        the prefix of every channel (and the stream's name)
 * --subscription-mode M  SUBSCRIPTION_MODE  dynamic                          redis-sharded only: static | dynamic | dynamic-private
 * --presence-heartbeat D PRESENCE_HEARTBEAT 5s                               the chat's presence heartbeat: a dead node's users leave within 1.5 × D
 * </pre>
 *
 * <p>The names and defaults are those of Node's adapters, so a Switchboard node and a Node node
 * given the same values share one cluster: {@code --redis-key} is {@code @socket.io/redis-adapter}'s
 * {@code key} (classic), its {@code channelPrefix} (sharded), and both {@code streamName} and
 * {@code channelPrefix} of {@code @socket.io/redis-streams-adapter} (as
 * {@code conformance/cluster/node-node.mjs --key} sets them); {@code --subscription-mode} is the
 * sharded adapter's {@code subscriptionMode}.
 *
 * <p>This class names no Redis type: a server without {@code REDIS_URL} loads none of them. The
 * connection is {@link RedisCluster}'s business.
 *
 * @param redisUrl the URL, or null for a single process; never printed ({@link #toString} masks it)
 * @param adapter which adapter, null when {@code redisUrl} is
 * @param key the key / channel prefix
 * @param subscriptionMode the sharded adapter's mode by Node's name, null for the default
 * @param presenceHeartbeat the chat's presence heartbeat ({@code chat.RedisPresenceDirectory}):
 *     each node renews a key living this long every half of it; 1 s to 1 min on the command line
 *     (tests go down to 100 ms with {@link #withPresenceHeartbeat})
 */
record ClusterConfig(String redisUrl, AdapterKind adapter, String key, String subscriptionMode,
    java.time.Duration presenceHeartbeat) {
  /** The default presence heartbeat: a dead node's users leave within 7.5 s. */
  static final java.time.Duration DEFAULT_HEARTBEAT = java.time.Duration.ofSeconds(5);
  /** One process, no Redis. */
  static final ClusterConfig NONE = new ClusterConfig(null, null, "socket.io", null, DEFAULT_HEARTBEAT);

  /** The same cluster with another presence heartbeat (tests make it short). */
  ClusterConfig withPresenceHeartbeat(java.time.Duration heartbeat) {
    return new ClusterConfig(redisUrl, adapter, key, subscriptionMode, heartbeat);
  }

  /** The adapters by their command-line names. */
  enum AdapterKind {
    /** {@code RedisAdapter}: {@code @socket.io/redis-adapter}'s {@code createAdapter}. */
    REDIS("redis"),
    /** {@code ShardedRedisAdapter}: {@code @socket.io/redis-adapter}'s {@code createShardedAdapter} (Redis 7). */
    REDIS_SHARDED("redis-sharded"),
    /** {@code RedisStreamsAdapter}: {@code @socket.io/redis-streams-adapter}'s {@code createAdapter}. */
    REDIS_STREAMS("redis-streams");

    final String flagValue;

    AdapterKind(String flagValue) {
      this.flagValue = flagValue;
    }

    static AdapterKind parse(String name) {
      for (AdapterKind k : values()) {
        if (k.flagValue.equals(name.trim().toLowerCase(Locale.ROOT))) return k;
      }
      throw new IllegalArgumentException("--adapter must be redis, redis-sharded or redis-streams, not \"" + name + "\"");
    }
  }

  /** Reads the four flags (see the class comment). Call before {@link Options#rejectUnknown}. */
  static ClusterConfig from(Options o) {
    String url = blankToNull(o.get("redis-url", "REDIS_URL", null));
    String adapterName = blankToNull(o.get("adapter", "ADAPTER", null));
    String key = blankToNull(o.get("redis-key", "REDIS_KEY", null));
    String mode = blankToNull(o.get("subscription-mode", "SUBSCRIPTION_MODE", null));
    String heartbeatText = blankToNull(o.get("presence-heartbeat", "PRESENCE_HEARTBEAT", null));
    if (url == null) {
      if (adapterName != null) {
        throw new IllegalArgumentException("--adapter " + adapterName + " needs --redis-url (or REDIS_URL): "
            + "the nodes of a cluster meet on Redis");
      }
      if (key != null) throw new IllegalArgumentException("--redis-key needs --redis-url (or REDIS_URL)");
      if (mode != null) throw new IllegalArgumentException("--subscription-mode needs --redis-url (or REDIS_URL)");
      if (heartbeatText != null) throw new IllegalArgumentException("--presence-heartbeat needs --redis-url (or REDIS_URL)");
      return NONE;
    }
    // The URL is not repeated in the message: it may carry a password.
    String scheme = url.toLowerCase(Locale.ROOT);
    if (!scheme.startsWith("redis://") && !scheme.startsWith("rediss://")) {
      throw new IllegalArgumentException("--redis-url must be a redis:// or rediss:// URL "
          + "(redis://[[user]:password@]host[:port][/db])");
    }
    AdapterKind kind = adapterName == null ? AdapterKind.REDIS : AdapterKind.parse(adapterName);
    if (mode != null) {
      if (kind != AdapterKind.REDIS_SHARDED) {
        throw new IllegalArgumentException("--subscription-mode applies to --adapter redis-sharded only");
      }
      if (!mode.equals("static") && !mode.equals("dynamic") && !mode.equals("dynamic-private")) {
        throw new IllegalArgumentException("--subscription-mode must be static, dynamic or dynamic-private, not \"" + mode + "\"");
      }
    }
    if (key != null && key.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("--redis-key must not contain spaces or control characters");
    }
    java.time.Duration heartbeat = heartbeatText == null ? DEFAULT_HEARTBEAT
        : ServerConfig.parseDuration(heartbeatText, "--presence-heartbeat", java.time.Duration.ofSeconds(1),
            java.time.Duration.ofMinutes(1));
    return new ClusterConfig(url, kind, key == null ? NONE.key() : key, mode, heartbeat);
  }

  /** Whether the server joins a cluster on Redis. */
  boolean clustered() {
    return redisUrl != null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Without the URL, which may carry a password. */
  @Override
  public String toString() {
    return clustered()
        ? "ClusterConfig{adapter=" + adapter.flagValue + ", key=" + key
            + (subscriptionMode == null ? "" : ", subscriptionMode=" + subscriptionMode) + "}"
        : "ClusterConfig{none}";
  }
}
