package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterAdapterBase;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.redis.RedisLink.StreamEntry;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.PersistedSession;
import dev.switchboard.socketio.adapter.RestoredSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster adapter of {@code @socket.io/redis-streams-adapter} 0.3.1, on the wire with it: a
 * Switchboard node and Node socket.io nodes with that package share one Redis and deliver each
 * other's broadcasts, acks, {@code fetchSockets}, {@code socketsJoin}/{@code socketsLeave}, {@code
 * disconnectSockets} and server-side events — and a client that drops off one node may come back
 * on any other with its id, rooms, data and the packets it missed (connection state recovery
 * across nodes).
 *
 * <pre>{@code
 * RedisLink link = RedisLink.connect("redis://127.0.0.1:6379");        // one link per server
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder()
 *     .recovery(SocketIoOptions.Recovery.builder().maxDisconnectionDuration(Duration.ofMinutes(2)).build())
 *     .adapter(RedisStreamsAdapter.factory(link, RedisStreamsAdapterOptions.builder().maxLen(50_000).build()))
 *     .build());
 * io.listen(3000);
 * // ...
 * io.close();     // closes the adapters (unsubscribes, stops the readers)
 * link.close();   // the link's owner closes it
 * }</pre>
 *
 * <p><b>How each operation travels</b> (socket.io-adapter's {@code ClusterAdapter} logic is
 * {@link ClusterAdapterBase}'s; this class moves bytes, lib/adapter.ts 261–422):
 * <ul>
 *   <li>Lasting messages — a broadcast without ack, {@code socketsJoin}/{@code socketsLeave},
 *       {@code disconnectSockets} — are entries of the namespace's stream: {@code XADD <stream>
 *       MAXLEN ~ <maxLen> * uid <uid> nsp <nsp> type <n> data <JSON, or base64 MessagePack when it
 *       holds binary>} ({@link StreamsCodec#encodeEntry}). Every node reads every stream from the
 *       moment it starts ({@code XREAD BLOCK} from {@code $}, one reader and one connection per
 *       stream, {@link StreamReader}), so a node that was away misses nothing that is still in
 *       the stream when it reads on; the entry id is the broadcast's offset for recovery.</li>
 *   <li>Ephemeral messages — a broadcast with acks, {@code fetchSockets}, server-side events —
 *       are MessagePack published on {@code <channelPrefix>#<nsp>#}, the answers on the asker's
 *       {@code <channelPrefix>#<nsp>#<uid>#} ({@code PUBLISH}, or {@code SPUBLISH} with {@code
 *       useShardedPubSub}); each node subscribes to both channels of each namespace.</li>
 *   <li>{@link #serverCount()} is {@code PUBSUB NUMSUB} (or {@code SHARDNUMSUB}) of the
 *       namespace's public channel: every node's subscription connection counts once, this one's
 *       included — which is why each server needs a {@link RedisLink} of its own.</li>
 *   <li>Recovery ({@code SocketIoOptions.recovery}): a dropped socket's session is {@code SET
 *       <sessionKeyPrefix><pid> … PX <maxDisconnectionDuration>}; a client coming back with its
 *       pid and last offset on any node gets the session once, with the namespace's broadcasts
 *       after the offset that would have reached its rooms ({@link StreamsSessions}). A kept
 *       broadcast (an event without ack, not volatile) is delivered to this node's sockets once
 *       its entry id is known, with the id appended; every other local delivery is immediate.</li>
 * </ul>
 *
 * <p><b>When Redis goes away</b>: local delivery goes on (a kept broadcast under recovery waits
 * for its {@code XADD} to fail, which the link does at once, and is delivered without offset);
 * what is published meanwhile is lost for the other nodes ({@link dev.switchboard.cluster.ClusterMetrics}
 * counts it); requests to the other nodes fail; the readers wait and retry, the subscriptions are
 * restored by the link, and once Redis is back each reader goes on after the last entry it read
 * — what was written before the outage and is still in the stream is not lost. The link logs one
 * line when Redis is lost and one when it is back. <b>When a node goes away</b>: nothing to clean
 * up — there are no heartbeats; {@code NUMSUB} stops counting it at once, and a request already
 * waiting for its answer fails after its timeout with {@link
 * dev.switchboard.socketio.adapter.ClusterRequestTimeoutException} (Node's {@code timeout
 * reached: only N responses received out of M}).
 *
 * <p><b>Threading</b>: any thread calls the adapter. Lettuce's event loops ({@code
 * switchboard-redis-*}) only hand work over: a pub/sub message is queued on this adapter's serial
 * executor over {@link AdapterNamespace#completions()} (the worker pool), a stream batch is
 * dispatched there by its reader's task, and every future — {@link #serverCount()}, {@link
 * #restoreSession}, the requests — completes there. Application code (server-side event
 * handlers) runs on the namespace's own executor. Nothing here blocks.
 */
public final class RedisStreamsAdapter extends ClusterAdapterBase {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsAdapter.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(50);
  private static final Duration MAX_RETRY = Duration.ofSeconds(1);

  private final StreamsHub hub;
  private final RedisLink link;
  private final RedisStreamsAdapterOptions options;
  private final StreamsCodec codec;
  private final String stream;
  private final String publicChannel;
  private final String privateChannel;
  private final byte[] uidBytes;
  private final Executor completions;
  /** Null when connection state recovery is off. */
  private final StreamsSessions sessions;
  private final RedisLink.MessageHandler onPubSub;
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  /** The last count Redis gave, assumed while it cannot be asked (0: none yet). */
  private volatile int lastServerCount;
  private Cancellable retry = Cancellable.NONE; // guarded by this
  private Duration retryDelay = FIRST_RETRY; // guarded by this

  /**
   * A factory of adapters on {@code link} with every option at upstream's default; see {@link
   * #factory(RedisLink, RedisStreamsAdapterOptions)}.
   */
  public static AdapterFactory factory(RedisLink link) {
    return factory(link, RedisStreamsAdapterOptions.DEFAULTS);
  }

  /**
   * A factory of adapters on {@code link} (Node's {@code createAdapter(redisClient, opts)}): one
   * adapter per namespace, sharing the stream readers. Give each server its own link, and one
   * factory per link ({@code serverCount()} counts the link's subscription connection).
   */
  public static AdapterFactory factory(RedisLink link, RedisStreamsAdapterOptions options) {
    StreamsHub hub = new StreamsHub(link, options);
    return ns -> new RedisStreamsAdapter(ns, hub);
  }

  private RedisStreamsAdapter(AdapterNamespace namespace, StreamsHub hub) {
    super(namespace, hub.options().requestsTimeout(), hub.metrics());
    this.hub = hub;
    this.link = hub.link();
    this.options = hub.options();
    this.codec = hub.codec();
    String nsp = namespace.name();
    this.stream = hub.names().streamFor(nsp);
    this.publicChannel = hub.names().publicChannel(nsp);
    this.privateChannel = hub.names().privateChannel(nsp, uid());
    this.uidBytes = uid().getBytes(StandardCharsets.UTF_8);
    this.completions = namespace.completions();
    this.sessions = namespace.maxDisconnectionDuration()
        .map(d -> new StreamsSessions(link, codec, hub.names(), nsp, d, completions,
            reason -> drop(dev.switchboard.cluster.ClusterMetrics.Drop.MALFORMED, () -> reason)))
        .orElse(null);
    this.onPubSub = (channel, message) -> enqueue(() -> onMessage(codec.decodePubSub(message), null));
    hub.register(this, namespace.scheduler(), completions);
    subscribe();
  }

  String namespaceName() {
    return namespace.name();
  }

  /**
   * Completes once this namespace's pub/sub channels are subscribed (at once when Redis is there;
   * after it comes back otherwise): from then on this node is counted by {@link #serverCount()}
   * and hears requests. Never fails; on the worker pool.
   */
  public CompletableFuture<Void> subscribed() {
    return subscribed;
  }

  // ------------------------------------------------------------------ moving bytes

  /** Lasting messages to the stream ({@code XADD}, → the entry id), ephemeral ones to the public channel (→ null). */
  @Override
  protected CompletableFuture<String> publishMessage(ClusterMessage message) {
    if (StreamsCodec.isEphemeral(message)) return pubsubPublish(publicChannel, codec.encodePubSub(message)).thenApply(n -> null);
    Map<String, byte[]> fields = codec.encodeEntry(message);
    return link.xadd(stream, options.maxLen(), fields);
  }

  /** An answer, MessagePack, on the asker's own channel. */
  @Override
  protected CompletableFuture<?> publishResponse(String requesterUid, ClusterMessage response) {
    return pubsubPublish(hub.names().privateChannel(namespace.name(), requesterUid), codec.encodePubSub(response));
  }

  private CompletableFuture<Long> pubsubPublish(String channel, byte[] message) {
    return options.useShardedPubSub() ? link.spublish(channel, message) : link.publish(channel, message);
  }

  /**
   * {@code PUBSUB NUMSUB} (or {@code SHARDNUMSUB}) of the public channel, at least 1 (this node),
   * on the worker pool. While Redis cannot be asked, the last count it gave (2 before any): a
   * request to the other nodes then waits for them and fails with its timeout ({@link
   * dev.switchboard.socketio.adapter.ClusterRequestTimeoutException}), as it would when a node
   * does not answer, rather than with the link's error.
   */
  @Override
  public CompletableFuture<Integer> serverCount() {
    CompletableFuture<Long> counted = options.useShardedPubSub() ? link.shardnumsub(publicChannel) : link.numsub(publicChannel);
    CompletableFuture<Integer> out = new CompletableFuture<>();
    counted.whenComplete((n, e) -> completions.execute(() -> {
      if (e == null) {
        int count = (int) Math.max(1, Math.min(n, Integer.MAX_VALUE));
        lastServerCount = count;
        out.complete(count);
      } else {
        LOG.atDebug().log(() -> namespace.name() + ": cannot count the servers (" + e.getMessage() + "); assuming the last count");
        int last = lastServerCount;
        out.complete(last > 0 ? last : 2);
      }
    }));
    return out;
  }

  /** The stream numbers every broadcast: its entry id is the offset recovery appends. */
  @Override
  protected boolean offsetFromTransport() {
    return true;
  }

  // ------------------------------------------------------------------ receiving

  /**
   * A reader's task: queues one entry of this namespace for the serial executor, where it is
   * decoded and acted on with its id as offset; this node's own entries are passed over unread.
   */
  void onStreamEntry(StreamEntry entry) {
    if (Arrays.equals(entry.fields().get("uid"), uidBytes)) {
      metrics.recordReceived(); // our own, echoed by the stream (CA 197-200): normal filtering
      return;
    }
    enqueue(() -> onMessage(codec.decodeEntry(entry.fields()), entry.id()));
  }

  /** Completes once everything queued so far on the serial executor was handled (a reader's back-pressure). */
  CompletableFuture<Void> afterQueued() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    runSerially(() -> done.complete(null));
    return done;
  }

  private void subscribe() {
    if (isClosed()) return;
    CompletableFuture<Void> sent = options.useShardedPubSub()
        ? link.ssubscribe(onPubSub, publicChannel, privateChannel)
        : link.subscribe(onPubSub, publicChannel, privateChannel);
    sent.whenComplete((ok, e) -> {
      if (e == null) {
        completions.execute(() -> subscribed.complete(null));
        return;
      }
      synchronized (this) {
        if (isClosed()) return;
        LOG.atDebug().log(() -> namespace.name() + ": subscribing failed, trying again: " + e.getMessage());
        Duration delay = retryDelay;
        retryDelay = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
        retry = namespace.scheduler().schedule(delay, () -> completions.execute(this::subscribe));
      }
    });
  }

  // ------------------------------------------------------------------ connection state recovery

  /** {@code SET <sessionKeyPrefix><pid> … PX <maxDisconnectionDuration>}, asynchronously. */
  @Override
  public void persistSession(PersistedSession session) {
    if (sessions != null) sessions.persist(session);
  }

  /** The session from Redis with what it missed from the stream; see {@link StreamsSessions#restore}. */
  @Override
  public CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset) {
    if (sessions == null) return CompletableFuture.completedFuture(Optional.empty());
    return sessions.restore(pid, offset);
  }

  // ------------------------------------------------------------------ close

  /**
   * Unsubscribes this namespace's channels (the public one only if no newer adapter of the
   * namespace took it over), leaves the readers (which stop with the last namespace), and fails
   * what still waits. Idempotent; does not close the link.
   */
  @Override
  public void close() {
    if (isClosed()) return;
    super.close();
    synchronized (this) {
      retry.cancel();
    }
    boolean current = hub.unregister(this);
    String[] channels = current ? new String[] {publicChannel, privateChannel} : new String[] {privateChannel};
    CompletableFuture<Void> done = options.useShardedPubSub() ? link.sunsubscribe(channels) : link.unsubscribe(channels);
    done.whenComplete((ok, e) -> {
      if (e != null) LOG.atDebug().log(() -> namespace.name() + ": unsubscribing failed: " + e.getMessage());
    });
  }
}
