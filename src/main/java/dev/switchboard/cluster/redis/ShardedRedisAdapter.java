package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterAdapterBase;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMetrics;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sharded Redis adapter, wire-compatible with {@code createShardedAdapter} of
 * {@code @socket.io/redis-adapter} 8.3 ({@code lib/sharded-adapter.ts}, cited as <i>SA</i>): Redis 7
 * sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}), socket.io-adapter's ClusterAdapter
 * messages ({@link ClusterAdapterBase}), JSON text unless the message carries binary, then
 * notepack ({@link ShardedCodec}). A Switchboard node and Node nodes with that adapter, the same
 * {@code channelPrefix} and {@code subscriptionMode}, on one Redis, form one cluster.
 *
 * <pre>{@code
 * RedisLink link = RedisLink.connect("redis://127.0.0.1:6379");
 * ShardedRedisAdapter.Factory adapter = ShardedRedisAdapter.factory(link,
 *     ShardedRedisAdapterOptions.builder().subscriptionMode(SubscriptionMode.STATIC).build());
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder().adapter(adapter).build());
 * // ... io.close() closes the adapters (they unsubscribe); the link's owner closes the link:
 * link.close();
 * }</pre>
 *
 * <p><b>Channels</b> ({@link ShardedChannels}, <i>SA</i> 85–111, 142–175): each namespace's adapter
 * subscribes to {@code <prefix>#<nsp>#} (every message) and {@code <prefix>#<nsp>#<uid>#} (answers
 * to it); in the dynamic modes also to {@code <prefix>#<nsp>#<room>#} while the room has a member
 * here — every room in {@code dynamic-private}, rooms that are not one of this node's socket ids
 * in {@code dynamic} ({@link SubscriptionMode#subscribesToRoom}; the room hook of
 * {@link dev.switchboard.socketio.adapter.InMemoryAdapter#roomCreated}). A broadcast without ack
 * to exactly one room goes to that room's channel in the dynamic modes (in {@code dynamic}, unless
 * the room is 20 characters long: it "looks like a socket id"); everything else to the
 * namespace's channel, answers to the asker's. {@code serverCount()} is {@code PUBSUB SHARDNUMSUB
 * <prefix>#<nsp>#}.
 *
 * <p><b>When Redis goes away</b>: local delivery goes on; what is published meanwhile is lost for
 * the other nodes (pub/sub keeps nothing) and counted as publish failures; requests end by their
 * timeout ({@code ClusterRequestTimeoutException}); {@code serverCount()} answers the last count
 * Redis gave (so that broadcast acks, too, end by their timeout with the answers of this node's
 * clients, instead of failing at once). The link logs the outage once and re-subscribes what was
 * subscribed; a channel this adapter could not (un)subscribe during the outage is tried again
 * every second ({@link #RETRY_DELAY}, on the server's clock) until Redis answers.
 *
 * <p><b>Threading</b>: public methods from any thread, as every adapter's. Lettuce calls the
 * message handler and completes commands on its own threads ({@code switchboard-redis-*}); the
 * handler only hands the bytes to the base class's serial executor on the server's worker pool
 * ({@link ClusterAdapterBase#enqueue}), where they are decoded and acted on; {@code serverCount()}
 * completes on the worker pool too. The room hooks run under the in-memory adapter's monitor and
 * only queue a Lettuce command. Retries fire on the server's timer and hand over to the serial
 * executor.
 */
public final class ShardedRedisAdapter extends ClusterAdapterBase {
  /** How long a (un)subscription that Redis refused waits before it is tried again. */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(ShardedRedisAdapter.class);
  private static final ShardedCodec CODEC = new ShardedCodec();

  private final RedisLink link;
  private final Factory factory;
  private final ShardedChannels channels;
  private final SubscriptionMode mode;
  private final RedisLink.MessageHandler handler = this::onRedisMessage;
  private final Subscriptions subscriptions = new Subscriptions();
  /** The last count Redis gave; what {@link #serverCount()} answers while Redis is away. */
  private volatile int lastServerCount = 1;

  /**
   * An adapter factory on {@code link} with Node's defaults ({@link ShardedRedisAdapterOptions#DEFAULTS}):
   * {@code createShardedAdapter(pubClient, subClient)}.
   */
  public static Factory factory(RedisLink link) {
    return factory(link, ShardedRedisAdapterOptions.DEFAULTS);
  }

  /** An adapter factory on {@code link} with these options: {@code createShardedAdapter(pubClient, subClient, opts)}. */
  public static Factory factory(RedisLink link, ShardedRedisAdapterOptions options) {
    return new Factory(link, options);
  }

  private ShardedRedisAdapter(AdapterNamespace namespace, Factory factory) {
    super(namespace, factory.options.requestsTimeout(), factory.link.metrics());
    this.link = factory.link;
    this.factory = factory;
    this.mode = factory.options.subscriptionMode();
    this.channels = new ShardedChannels(factory.options.channelPrefix(), namespace.name(), mode);
    subscriptions.start(channels.main(), channels.response(uid()));
  }

  /**
   * Completes once Redis confirmed this adapter's two channels (the namespace's and its own
   * answer channel): from then on it receives what other nodes publish, and counts in their
   * {@code serverCount()}. If Redis is away, once it is back. Completes on a Lettuce thread:
   * chain with an executor of your own.
   */
  public CompletableFuture<Void> subscribed() {
    return subscriptions.ready;
  }

  /** The sharded channels this adapter wants subscribed now (for tests and monitoring). */
  Set<String> channels() {
    return subscriptions.wanted();
  }

  // ------------------------------------------------------------------ ClusterAdapterBase

  /** SPUBLISH to the channel <i>SA</i> 142–158 computes; the adapter numbers nothing: no offset. */
  @Override
  protected CompletableFuture<String> publishMessage(ClusterMessage message) {
    return counted(link.spublish(channels.publishChannel(message), CODEC.encode(message))).thenApply(receivers -> null);
  }

  /** SPUBLISH to {@code <prefix>#<nsp>#<asker uid>#} (<i>SA</i> 164–175). */
  @Override
  protected CompletableFuture<?> publishResponse(String requesterUid, ClusterMessage response) {
    return counted(link.spublish(channels.response(requesterUid), CODEC.encode(response)));
  }

  /**
   * {@code PUBSUB SHARDNUMSUB <prefix>#<nsp>#} (<i>SA</i> 213–215): every node's subscription to
   * the namespace's channel, this one's included (at least 1). While Redis is away, the last count
   * it gave. Completes on the worker pool.
   */
  @Override
  public CompletableFuture<Integer> serverCount() {
    CompletableFuture<Integer> out = new CompletableFuture<>();
    link.shardnumsub(channels.main()).whenComplete((n, e) -> namespace.completions().execute(() -> {
      if (e == null) {
        int count = (int) Math.max(1, Math.min(n, Integer.MAX_VALUE));
        lastServerCount = count;
        out.complete(count);
      } else {
        LOG.atDebug().log(() -> channels.main() + ": no server count from Redis (" + e.getMessage() + "); using the last, "
            + lastServerCount);
        out.complete(lastServerCount);
      }
    }));
    return out;
  }

  /** Lettuce thread: the bytes go to the serial executor, where they are decoded and acted on. */
  private void onRedisMessage(String channel, byte[] message) {
    enqueue(() -> onMessage(CODEC.decode(message), null));
  }

  // ------------------------------------------------------------------ rooms (dynamic modes)

  /** <i>SA</i> 100–104: a room's channel when it appears here, if the mode wants one for it. */
  @Override
  protected void roomCreated(String room, boolean isSocketId) {
    if (mode.subscribesToRoom(isSocketId)) subscriptions.add(channels.room(room));
  }

  /** <i>SA</i> 106–110: and no longer once it is gone. */
  @Override
  protected void roomDeleted(String room) {
    if (mode != SubscriptionMode.STATIC) subscriptions.remove(channels.room(room));
  }

  // ------------------------------------------------------------------ close

  /** Unsubscribes every channel (<i>SA</i> 113–131) and fails what still waits. Idempotent. */
  @Override
  public void close() {
    if (isClosed()) return;
    super.close();
    subscriptions.close();
  }

  private <T> CompletableFuture<T> counted(CompletableFuture<T> command) {
    factory.commandsInFlight.incrementAndGet();
    return command.whenComplete((value, error) -> {
      if (value instanceof Long receivers) factory.deliveries.addAndGet(receivers);
      factory.commandsInFlight.decrementAndGet();
    });
  }

  /**
   * The sharded channels this adapter wants, and those Redis has not confirmed (or whose
   * unsubscription it refused) during an outage, to be tried again. Decisions and the commands
   * they send happen under this monitor, so that a room's subscribe and unsubscribe reach Redis
   * in the order the room appeared and went; the commands are only queued, never waited for.
   */
  private final class Subscriptions {
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Guarded by this. */
    private final Set<String> wanted = new LinkedHashSet<>();
    private final Set<String> retry = new HashSet<>();
    private final Set<String> fixed = new HashSet<>();
    private final AtomicInteger fixedConfirmed = new AtomicInteger();
    private Cancellable retryTimer;
    private boolean closed;

    synchronized void start(String main, String response) {
      fixed.add(main);
      fixed.add(response);
      wanted.add(main);
      wanted.add(response);
      subscribe(main);
      subscribe(response);
    }

    synchronized Set<String> wanted() {
      return Set.copyOf(wanted);
    }

    synchronized void add(String channel) {
      if (closed || fixed.contains(channel) || !wanted.add(channel)) return;
      subscribe(channel);
    }

    synchronized void remove(String channel) {
      if (closed || fixed.contains(channel) || !wanted.remove(channel)) return;
      unsubscribe(channel);
    }

    private void subscribe(String channel) {
      counted(link.ssubscribe(handler, channel)).whenComplete((ok, e) -> {
        if (e != null) failed(channel, true, e);
        else if (fixed.contains(channel) && fixedConfirmed.incrementAndGet() == 2) ready.complete(null);
      });
    }

    private void unsubscribe(String channel) {
      counted(link.sunsubscribe(channel)).whenComplete((ok, e) -> {
        if (e != null) failed(channel, false, e);
      });
    }

    /** Any thread: Redis refused a command; try again later if it still matters. */
    private synchronized void failed(String channel, boolean subscribing, Throwable e) {
      if (closed || wanted.contains(channel) != subscribing) return;
      LOG.atDebug().log(() -> (subscribing ? "SSUBSCRIBE " : "SUNSUBSCRIBE ") + channel + " failed, retried in "
          + RETRY_DELAY.toMillis() + " ms: " + e.getMessage());
      retry.add(channel);
      if (retryTimer == null) {
        retryTimer = namespace.scheduler().schedule(RETRY_DELAY, () -> runSerially(this::retry));
      }
    }

    /** The serial executor, after the retry delay. */
    private synchronized void retry() {
      retryTimer = null;
      if (closed) return;
      List<String> again = new ArrayList<>(retry);
      retry.clear();
      for (String channel : again) {
        if (wanted.contains(channel)) subscribe(channel);
        else unsubscribe(channel);
      }
    }

    synchronized void close() {
      if (closed) return;
      closed = true;
      if (retryTimer != null) retryTimer.cancel();
      retry.clear();
      String[] all = wanted.toArray(new String[0]);
      wanted.clear();
      // SA 113-131; if Redis is away the link forgets the handlers anyway, and Redis drops the
      // subscriptions of a connection that is gone.
      counted(link.sunsubscribe(all)).whenComplete((ok, e) -> {
        if (e != null) LOG.atDebug().log(() -> "SUNSUBSCRIBE on close failed: " + e.getMessage());
      });
    }
  }

  // ------------------------------------------------------------------ options and factory

  /**
   * Makes the adapter of each namespace of a server on one {@link RedisLink}, all counting into the
   * link's {@link ClusterMetrics}. One link serves one server: two servers sharing a link would share its
   * subscriptions and count as one node. Any thread; never blocks.
   */
  public static final class Factory implements AdapterFactory {
    private final RedisLink link;
    private final ShardedRedisAdapterOptions options;
    /** For the tests' settling: commands sent and not yet answered, and receivers SPUBLISH reported. */
    final AtomicInteger commandsInFlight = new AtomicInteger();
    final AtomicLong deliveries = new AtomicLong();

    private Factory(RedisLink link, ShardedRedisAdapterOptions options) {
      this.link = Objects.requireNonNull(link, "link");
      this.options = Objects.requireNonNull(options, "options");
    }

    /** A new adapter for {@code namespace}, subscribing to its channels (without waiting). */
    @Override
    public Adapter create(AdapterNamespace namespace) {
      return new ShardedRedisAdapter(namespace, this);
    }

    /**
     * The counters of every adapter this factory made: the link's ({@link RedisLink#metrics()}),
     * where the link also counts its outages.
     */
    public ClusterMetrics metrics() {
      return link.metrics();
    }

    /** The options of its adapters. */
    public ShardedRedisAdapterOptions options() {
      return options;
    }
  }
}
