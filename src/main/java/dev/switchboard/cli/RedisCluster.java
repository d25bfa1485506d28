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
  /** This process in the cluster's shared chat state (revocations, presence). */
  private final String nodeId = java.util.UUID.randomUUID().toString();
  /** The presence heartbeat's timer and the cluster state's thread; made by {@link #shareChatState}. */
  private dev.switchboard.scheduling.SystemScheduler heartbeats;
  private java.util.concurrent.ExecutorService stateThread;
  private dev.switchboard.chat.RedisPresenceDirectory presence;
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

  /**
   * Shares the chat's state through this cluster's Redis (issue #11, "Shared through Redis"):
   * session revocations and refreshes ({@code auth.RedisRevocationBus}; the recheck after an
   * outage reads the database on {@code storagePool}), the login and sign-up counters
   * ({@code auth.RedisThrottleCounters}) and presence ({@code chat.RedisPresenceDirectory}, its
   * heartbeat every half {@code config.presenceHeartbeat()}). Messages from the other nodes are
   * applied on one daemon thread of this cluster's ({@code switchboard-cluster-state}). Called
   * once, on the starting thread, before the server listens; waits for the two subscriptions.
   */
  void shareChatState(ClusterConfig config, dev.switchboard.auth.Authenticator auth, dev.switchboard.chat.ChatApplication chat,
      java.util.concurrent.Executor storagePool) {
    stateThread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "switchboard-cluster-state");
      t.setDaemon(true);
      return t;
    });
    heartbeats = new dev.switchboard.scheduling.SystemScheduler();
    dev.switchboard.auth.RedisRevocationBus.start(link, config.key(), nodeId, auth.sessions(), stateThread, storagePool);
    dev.switchboard.auth.AuthOptions o = auth.options();
    auth.loginThrottle().sharedThrough(new dev.switchboard.auth.RedisThrottleCounters(link, config.key(), "login",
        o.maxFailuresPerAccount(), o.maxFailuresPerAddress(), o.failureWindow()));
    auth.signupThrottle().sharedThrough(new dev.switchboard.auth.RedisThrottleCounters(link, config.key(), "signup",
        Integer.MAX_VALUE, o.registrationsPerAddress(), o.failureWindow()));
    presence = new dev.switchboard.chat.RedisPresenceDirectory(link, config.key(), nodeId, config.presenceHeartbeat(),
        heartbeats, stateThread);
    chat.sharePresence(presence);
  }

  /**
   * {@code user remove} with {@code --redis-url} / {@code REDIS_URL}: tells the running nodes
   * ({@code auth.RedisRevocationBus#announceUserRemoved}) so that they end the user's sockets at
   * once rather than at their next sweep. Without a URL, nothing. Redis unreachable: one line on
   * {@code err} (the URL masked) — the user is removed anyway and the sweeps catch up.
   */
  static void announceUserRemoved(Options opts, String userId, PrintStream err) {
    String url = opts.get("redis-url", "REDIS_URL", null);
    if (url == null || url.isBlank()) return;
    String key = opts.get("redis-key", "REDIS_KEY", ClusterConfig.NONE.key());
    try (RedisLink link = RedisLink.connect(url.trim())) {
      dev.switchboard.auth.RedisRevocationBus.announceUserRemoved(link, key.trim(), userId).join();
    } catch (RuntimeException e) {
      String why = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause().getMessage()
          : e.getMessage();
      err.println("switchboard: could not tell the running nodes (" + why + "); they end the user's sessions within 10 s");
    }
  }

  /** This node's id in the cluster's shared chat state. */
  String nodeId() {
    return nodeId;
  }

  /** The server, with its password masked. */
  String maskedUrl() {
    return link.maskedUrl();
  }

  /** Closes the link (after the server). Idempotent. */
  @Override
  public void close() {
    if (presence != null) presence.close(); // the others drop this node's users at once
    link.close();
    if (heartbeats != null) heartbeats.close();
    if (stateThread != null) stateThread.shutdown();
  }
}
