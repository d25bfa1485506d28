package dev.switchboard.cli;

import dev.switchboard.cluster.ClusterMetrics;
import dev.switchboard.cluster.redis.RedisAdapter;
import dev.switchboard.cluster.redis.RedisAdapterOptions;
import dev.switchboard.cluster.redis.RedisLink;
import dev.switchboard.cluster.redis.RedisLinkException;
import dev.switchboard.cluster.redis.RedisStreamsAdapter;
import dev.switchboard.cluster.redis.RedisStreamsAdapterOptions;
import dev.switchboard.cluster.redis.ShardedRedisAdapter;
import dev.switchboard.cluster.redis.ShardedRedisAdapterOptions;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.adapter.AdapterFactory;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server's membership of a cluster, made from a {@link ClusterConfig}: one {@link RedisLink}
 * and the {@link AdapterFactory} of the adapter named, to give to
 * {@code SocketIoOptions.builder().adapter(...)}. Close it after the server (the adapters stop
 * using the link when the server closes them).
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.open(config, System.err)) {
 *   SocketIoServer io = new SocketIoServer(SocketIoOptions.builder().adapter(cluster.adapterFactory()).build());
 * }
 * }</pre>
 *
 * <p><b>Redis unreachable at start.</b> {@link RedisLink#connect} fails when Redis cannot be
 * reached (it reconnects only a link that was once open). {@link #open} then does what a Node
 * server does when it awaits {@code redisClient.connect()} before listening (the setup of the
 * Socket.IO documentation, "Redis adapter"; node-redis retries its first connection until Redis
 * answers): it prints one line saying Redis is unreachable and why, tries again (0.1 s doubling to
 * 2 s) until Redis answers, prints one line when it does, and returns. The server is started only
 * then, so a node never serves clients outside the cluster it was told to join (they would miss
 * every broadcast of the other nodes); behind HAProxy it simply stays out of rotation
 * ({@code /healthz} does not answer) until Redis is there. Redis lost <em>after</em> the start is
 * the link's business: local delivery goes on and the link reconnects by itself
 * (spec-notes/cluster.md, "The Redis link on loss").
 *
 * <p>The URL's password never appears in what this class prints: the link names the server by
 * its masked URL ({@code redis://:***@host:6379}).
 *
 * <p>Threading: {@link #open} runs on the command's main thread and blocks it while Redis is
 * unreachable; the rest may be called from any thread.
 */
final class RedisCluster implements AutoCloseable {
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration MAX_RETRY = Duration.ofSeconds(2);

  private final RedisLink link;
  private final AdapterFactory factory;
  /** The last number of nodes the main namespace's adapter counted; 0 before the first answer. */
  private volatile long lastServerCount;

  private RedisCluster(RedisLink link, AdapterFactory factory) {
    this.link = link;
    this.factory = factory;
  }

  /**
   * Connects to the configured Redis, waiting for it while it is unreachable (see the class
   * comment), and makes the adapter factory.
   *
   * @param log where the two lines about an unreachable Redis go
   * @throws IllegalArgumentException if the URL is not a Redis URL (the message does not repeat it)
   * @throws InterruptedException if the thread is interrupted while waiting for Redis
   */
  static RedisCluster open(ClusterConfig config, PrintStream log) throws InterruptedException {
    if (!config.clustered()) throw new IllegalArgumentException("not clustered: no Redis URL");
    RedisLink link = connect(config.redisUrl(), log);
    try {
      return new RedisCluster(link, factory(config, link));
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
  }

  private static RedisLink connect(String url, PrintStream log) throws InterruptedException {
    Duration delay = FIRST_RETRY;
    boolean waited = false;
    while (true) {
      try {
        RedisLink link = RedisLink.connect(url);
        if (waited) {
          log.println(Main.say("Redis at " + link.maskedUrl() + " reached; joining the cluster"));
          log.flush();
        }
        return link;
      } catch (RedisLinkException e) {
        if (!waited) {
          log.println(Main.say(e.getMessage() + "; waiting for Redis before serving (retrying every "
              + MAX_RETRY.toSeconds() + " s at most)"));
          log.flush();
          waited = true;
        }
      }
      Thread.sleep(delay.toMillis()); // the command's main thread, which has nothing else to do
      delay = delay.multipliedBy(2);
      if (delay.compareTo(MAX_RETRY) > 0) delay = MAX_RETRY;
    }
  }

  private static AdapterFactory factory(ClusterConfig config, RedisLink link) {
    switch (config.adapter()) {
      case REDIS:
        return RedisAdapter.factory(link, RedisAdapterOptions.builder().key(config.key()).build());
      case REDIS_SHARDED: {
        ShardedRedisAdapterOptions.Builder b = ShardedRedisAdapterOptions.builder().channelPrefix(config.key());
        if (config.subscriptionMode() != null) b.subscriptionMode(config.subscriptionMode());
        return ShardedRedisAdapter.factory(link, b.build());
      }
      case REDIS_STREAMS:
        return RedisStreamsAdapter.factory(link,
            RedisStreamsAdapterOptions.builder().streamName(config.key()).channelPrefix(config.key()).build());
      default:
        throw new IllegalStateException("adapter " + config.adapter());
    }
  }

  /** The factory of the configured adapter, for {@code SocketIoOptions.builder().adapter(...)}. */
  AdapterFactory adapterFactory() {
    return factory;
  }

  /** The link's counters (every adapter on it records into them). */
  ClusterMetrics metrics() {
    return link.metrics();
  }

  /**
   * Adds this node's cluster numbers to {@code /metrics}: the link's {@link ClusterMetrics#snapshot()}
   * as {@code switchboard_cluster_<name>} (counters, {@code backlog} a gauge), and
   * {@code switchboard_cluster_server_count}, the number of nodes the main namespace's adapter
   * counted last. That count is never waited for: each scrape shows the last answer and asks for
   * the next one ({@code PUBSUB NUMSUB}, asynchronous: the worker that renders the page only
   * queues the command), and the first is asked for here; it is left out until one arrived.
   */
  void addMetrics(Metrics metrics, Namespace main) {
    refreshServerCount(main);
    metrics.group("switchboard_cluster_", () -> {
      Map<String, Long> values = new LinkedHashMap<>(link.metrics().snapshot());
      long servers = lastServerCount;
      if (servers > 0) values.put("server_count", servers);
      refreshServerCount(main);
      return values;
    }, RedisCluster::help, name -> name.equals("backlog") || name.equals("server_count"));
  }

  private void refreshServerCount(Namespace main) {
    main.adapter().serverCount().whenComplete((n, error) -> {
      if (n != null) lastServerCount = n;
    });
  }

  private static String help(String name) {
    if (name.startsWith("dropped_")) {
      return "Messages from other nodes dropped as " + name.substring("dropped_".length()).replace('_', ' ')
          + " (ClusterMetrics.Drop).";
    }
    switch (name) {
      case "messages_received":
        return "Cluster messages received from Redis, this node's own echoes and the dropped ones included.";
      case "messages_published":
        return "Cluster messages and answers published to Redis.";
      case "publish_failures":
        return "Publications Redis refused or that failed (Redis away).";
      case "requests_timed_out":
        return "Cluster requests (fetchSockets, serverSideEmit with ack, allRooms) that timed out.";
      case "requests_refused":
        return "Cluster requests refused because too many were waiting.";
      case "backlog":
        return "Received cluster messages waiting to be handled.";
      case "outages":
        return "Times the link to Redis was lost.";
      case "server_count":
        return "Nodes in the cluster, this one included, as last counted (PUBSUB NUMSUB).";
      default:
        return "Cluster counter " + name + ".";
    }
  }

  /** The server, with its password masked. */
  String maskedUrl() {
    return link.maskedUrl();
  }

  /** Closes the link (after the server). Idempotent. */
  @Override
  public void close() {
    link.close();
  }
}
