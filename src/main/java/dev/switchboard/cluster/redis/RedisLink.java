package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterMetrics;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The cluster adapters' connection to Redis: one connection for commands and publishing, one for
 * subscriptions, and a third, opened on first use, for blocking stream reads ({@link #xread}) —
 * plus one per reader that asks for a connection of its own ({@link #openBlockingConnection}: the
 * streams adapter's, one per stream). Binary-safe: channel
 * names and keys are UTF-8 strings, messages and values are {@code byte[]} as they are on the wire.
 *
 * <pre>{@code
 * try (RedisLink link = RedisLink.connect("redis://:s3cret@127.0.0.1:6379/0")) {
 *   link.psubscribe((channel, message) -> executor.execute(() -> onBroadcast(channel, message)),
 *       "socket.io#/#*").join();
 *   link.publish("socket.io#/#", codec.encode(tree));         // asynchronous, never blocks
 *   long nodes = link.numsub("socket.io-request#/#").join();  // PUBSUB NUMSUB
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Lettuce runs the connections on its own event-loop threads
 * ({@code switchboard-redis-*}, two by default, daemon). Every {@link MessageHandler} is called on
 * one of them, and every future this class returns completes on one of them: a handler or a
 * continuation must not block and must not run application code there — hand the work to a
 * session's serial executor or a worker, or chain with the {@code …Async(fn, executor)} variants.
 * The caller's thread only encodes the command and queues it for the event loop; no method but
 * {@link #connect}, {@link Builder#connect} and {@link #close} ever waits. Handlers of one
 * connection are called in the order Redis sent the messages.
 *
 * <p><b>When Redis goes away</b> (issue #10): commands fail at once with a {@link
 * RedisLinkException} ({@code REJECT_COMMANDS}: nothing queues while disconnected), commands
 * already sent fail after {@link Builder#commandTimeout} at the latest, and at most {@link
 * Builder#requestQueueSize} commands wait on a connection that is up. Lettuce reconnects by
 * itself (exponential back-off up to {@link Builder#reconnectDelayMax}) and subscribes again to
 * every channel, pattern and sharded channel that was subscribed; the caller does nothing. One
 * WARNING line when the link loses Redis and one INFO line when every connection is back, per
 * outage — Lettuce's own per-attempt reconnect lines are turned down to SEVERE unless the
 * embedder configured those loggers. A subscribe call made while Redis is unreachable fails and
 * is not remembered: the caller retries it.
 *
 * <p><b>Secrets.</b> The password in the URL never appears in a log line or an exception message
 * of this class: the server is named by {@link #maskedUrl()} ({@code redis://:***@host:6379}).
 *
 * <p>A link does not reconnect if Redis is unreachable when it is first opened: {@link #connect}
 * then fails, so a misconfigured node stops at start-up rather than running alone.
 */
public final class RedisLink implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisLink.class);
  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  /**
   * Lettuce logs every reconnect attempt through netty's logging (java.util.logging here); these
   * loggers are held so that the level we set is not lost when the logger is collected.
   */
  private static final List<Logger> LETTUCE_RECONNECT_LOGGERS = List.of(
      Logger.getLogger("io.lettuce.core.protocol.ConnectionWatchdog"),
      Logger.getLogger("io.lettuce.core.protocol.ReconnectionHandler"));

  static {
    for (Logger l : LETTUCE_RECONNECT_LOGGERS) {
      if (l.getLevel() == null) l.setLevel(Level.SEVERE); // RedisLink logs each outage once itself
    }
  }

  /** Receives the messages of a subscription, on a Lettuce event-loop thread (see the class comment). */
  @FunctionalInterface
  public interface MessageHandler {
    /**
     * One message.
     *
     * @param channel the channel it was published on (for a pattern subscription, the matching
     *     channel, not the pattern)
     * @param message its bytes, exactly as published; the handler owns the array
     */
    void onMessage(String channel, byte[] message);
  }

  /**
   * Hears when the link loses Redis and when every connection is back (the moments of the WARNING
   * and INFO lines below). Called on a Lettuce event-loop thread: it must only hand work off.
   */
  public interface OutageListener {
    /** The first connection of the link dropped: commands fail until {@link #restored}. */
    void lost();

    /** Every connection is up again, subscriptions restored. */
    void restored();
  }

  /**
   * One entry of a Redis stream.
   *
   * @param id its id, {@code <ms>-<seq>}
   * @param fields its fields in order, values as bytes
   */
  public record StreamEntry(String id, Map<String, byte[]> fields) {}

  private final String maskedUrl;
  private final String password; // only to keep it out of messages; null when the URL has none
  private final Duration commandTimeout;
  private final ClientResources resources;
  private final RedisURI uri;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> commands;
  private final StatefulRedisPubSubConnection<String, byte[]> subscriptions;
  private final Object blockingLock = new Object();
  private StatefulRedisConnection<String, byte[]> blocking; // guarded by blockingLock
  private final Set<BlockingConnection> blockingConnections = ConcurrentHashMap.newKeySet();
  private final Map<String, MessageHandler> channelHandlers = new ConcurrentHashMap<>();
  private final Map<String, MessageHandler> patternHandlers = new ConcurrentHashMap<>();
  private final Map<String, MessageHandler> shardHandlers = new ConcurrentHashMap<>();
  private final Outages outages = new Outages();
  private final ClusterMetrics metrics = new ClusterMetrics();
  private final List<OutageListener> outageListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /**
   * Opens a link with the default options.
   *
   * @param url {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://…} for TLS
   *     (the certificate checked against the JVM's trust store; Lettuce's {@code ?verifyPeer=NONE}
   *     turns the check off)
   * @throws RedisLinkException if Redis cannot be reached or refuses the credentials
   * @throws IllegalArgumentException if the URL is not a Redis URL (the message does not repeat it)
   */
  public static RedisLink connect(String url) {
    return builder(url).connect();
  }

  /** Options for a link to {@code url}; see {@link #connect(String)} for the URL's form. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** Options of one link; each has a default. */
  public static final class Builder {
    private final String url;
    private Duration commandTimeout = Duration.ofSeconds(5);
    private int requestQueueSize = 10_000;
    private Duration reconnectDelayMax = Duration.ofSeconds(1);
    private int ioThreads = 2;

    private Builder(String url) {
      this.url = url;
    }

    /**
     * How long a sent command may wait for its answer before its future fails. Default 5 s
     * (Node's {@code requestsTimeout} default); blocking reads get their block time on top.
     */
    public Builder commandTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("commandTimeout must be positive");
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * Commands that may wait on one connection; beyond, a command fails at once. Default 10 000:
     * a publish flood while Redis is slow costs bounded memory.
     */
    public Builder requestQueueSize(int size) {
      if (size < 1) throw new IllegalArgumentException("requestQueueSize must be at least 1");
      this.requestQueueSize = size;
      return this;
    }

    /**
     * The longest pause between two reconnect attempts (they start at 1 ms and double). Default
     * 1 s: delivery resumes within about a second of Redis coming back.
     */
    public Builder reconnectDelayMax(Duration delay) {
      if (delay.isNegative() || delay.isZero()) throw new IllegalArgumentException("reconnectDelayMax must be positive");
      this.reconnectDelayMax = delay;
      return this;
    }

    /** Lettuce event-loop threads. Default 2 (commands and subscriptions on different ones). */
    public Builder ioThreads(int threads) {
      if (threads < 1) throw new IllegalArgumentException("ioThreads must be at least 1");
      this.ioThreads = threads;
      return this;
    }

    /**
     * Opens the command and subscription connections, waiting for both (at most about {@link
     * #commandTimeout} each).
     *
     * @throws RedisLinkException if Redis cannot be reached or refuses the credentials
     */
    public RedisLink connect() {
      return new RedisLink(this);
    }
  }

  private RedisLink(Builder b) {
    ParsedUrl parsed = ParsedUrl.parse(b.url);
    this.maskedUrl = parsed.masked;
    this.password = parsed.password;
    this.commandTimeout = b.commandTimeout;
    RedisURI uri = RedisURI.create(b.url);
    uri.setTimeout(b.commandTimeout);
    this.uri = uri;
    this.resources = DefaultClientResources.builder()
        .ioThreadPoolSize(b.ioThreads)
        .computationThreadPoolSize(2) // Lettuce's minimum
        .threadFactoryProvider(pool -> new DefaultThreadFactory("switchboard-redis-" + pool.replace("lettuce-", ""), true))
        .reconnectDelay(Delay.exponential(Duration.ofMillis(1), b.reconnectDelayMax, 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient c = RedisClient.create(resources, uri);
    c.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(b.requestQueueSize)
        .timeoutOptions(TimeoutOptions.builder().timeoutCommands().connectionTimeout().build()) // per connection: the URI's, or the blocking one's
        .socketOptions(SocketOptions.builder().connectTimeout(b.commandTimeout).keepAlive(true).build())
        .build());
    c.addListener(outages);
    this.client = c;
    StatefulRedisConnection<String, byte[]> cmd = null;
    StatefulRedisPubSubConnection<String, byte[]> sub = null;
    try {
      cmd = c.connect(CODEC);
      sub = c.connectPubSub(CODEC);
    } catch (RuntimeException e) {
      RedisLinkException failure = failure("connect", e);
      if (cmd != null) cmd.close();
      shutdown();
      throw failure;
    }
    this.commands = cmd;
    this.subscriptions = sub;
    sub.addListener(new Dispatcher());
  }

  /** The URL with its password replaced by {@code ***}, as it appears in logs and exceptions. */
  public String maskedUrl() {
    return maskedUrl;
  }

  /**
   * The counters of this link's cluster traffic: the link counts its outages, the adapters that
   * use it count what they publish, receive and drop (one set per server, as a server has one
   * link).
   */
  public ClusterMetrics metrics() {
    return metrics;
  }

  // ----------------------------------------------------------------------------------------- pub/sub

  /** PUBLISH: completes with the number of subscribers that received it (on this shard/server). */
  public CompletableFuture<Long> publish(String channel, byte[] message) {
    return call("PUBLISH", () -> commands.async().publish(channel, message));
  }

  /** SPUBLISH (Redis 7 sharded pub/sub): completes with the number of receivers on the shard. */
  public CompletableFuture<Long> spublish(String channel, byte[] message) {
    return call("SPUBLISH", () -> commands.async().spublish(channel, message));
  }

  /**
   * SUBSCRIBE: {@code handler} receives every message on these channels (replacing an earlier
   * handler of the same channel), also after Redis comes back from an outage.
   */
  public CompletableFuture<Void> subscribe(MessageHandler handler, String... channels) {
    return register("SUBSCRIBE", channelHandlers, handler, channels, () -> subscriptions.async().subscribe(channels));
  }

  /** UNSUBSCRIBE from these channels; their handler is dropped at once. */
  public CompletableFuture<Void> unsubscribe(String... channels) {
    for (String c : channels) channelHandlers.remove(c);
    return call("UNSUBSCRIBE", () -> subscriptions.async().unsubscribe(channels));
  }

  /**
   * PSUBSCRIBE: {@code handler} receives every message on a channel matching one of these glob
   * patterns, with the channel's own name.
   */
  public CompletableFuture<Void> psubscribe(MessageHandler handler, String... patterns) {
    return register("PSUBSCRIBE", patternHandlers, handler, patterns, () -> subscriptions.async().psubscribe(patterns));
  }

  /** PUNSUBSCRIBE from these patterns. */
  public CompletableFuture<Void> punsubscribe(String... patterns) {
    for (String p : patterns) patternHandlers.remove(p);
    return call("PUNSUBSCRIBE", () -> subscriptions.async().punsubscribe(patterns));
  }

  /** SSUBSCRIBE (Redis 7 sharded pub/sub) to these channels. */
  public CompletableFuture<Void> ssubscribe(MessageHandler handler, String... channels) {
    return register("SSUBSCRIBE", shardHandlers, handler, channels, () -> subscriptions.async().ssubscribe(channels));
  }

  /** SUNSUBSCRIBE from these sharded channels. */
  public CompletableFuture<Void> sunsubscribe(String... channels) {
    for (String c : channels) shardHandlers.remove(c);
    return call("SUNSUBSCRIBE", () -> subscriptions.async().sunsubscribe(channels));
  }

  /** PUBSUB NUMSUB for one channel: how many connections subscribe to it (the adapters' node count). */
  public CompletableFuture<Long> numsub(String channel) {
    return call("PUBSUB NUMSUB", () -> commands.async().pubsubNumsub(channel)).thenApply(m -> m.getOrDefault(channel, 0L));
  }

  /** PUBSUB SHARDNUMSUB for one sharded channel. */
  public CompletableFuture<Long> shardnumsub(String channel) {
    return call("PUBSUB SHARDNUMSUB", () -> commands.async().pubsubShardNumsub(channel)).thenApply(m -> m.getOrDefault(channel, 0L));
  }

  // ----------------------------------------------------------------------------------------- scripts

  /**
   * EVAL {@code script} with {@code keys} and {@code args}: the script runs atomically on the
   * server and must return an array (a Lua table). Completes with its elements as Lettuce maps
   * them with our codec: {@code Long} for an integer, {@code byte[]} for a bulk string, a nested
   * {@code List<Object>} for an array, null for a nil. The script's text is sent each time (the
   * scripts of the chat's cluster state are a few hundred bytes).
   */
  @SuppressWarnings("unchecked")
  public CompletableFuture<List<Object>> eval(String script, List<String> keys, List<byte[]> args) {
    String[] k = keys.toArray(new String[0]);
    byte[][] a = args.toArray(new byte[0][]);
    return call("EVAL", () -> commands.async().<List<Object>>eval(script, ScriptOutputType.MULTI, k, a));
  }

  /**
   * Tells {@code listener} of each outage and recovery of this link, on a Lettuce thread (see
   * {@link OutageListener}); nothing is said about the state when it is added.
   */
  public void addOutageListener(OutageListener listener) {
    outageListeners.add(listener);
  }

  private void tellOutage(boolean lost) {
    for (OutageListener l : outageListeners) {
      try {
        if (lost) l.lost();
        else l.restored();
      } catch (RuntimeException e) {
        LOG.warn("outage listener of " + maskedUrl + " threw", e);
      }
    }
  }

  // ----------------------------------------------------------------------------------------- keys and streams

  /** XADD {@code key} MAXLEN ~ {@code maxLen} * fields…: completes with the new entry's id. */
  public CompletableFuture<String> xadd(String key, long maxLen, Map<String, byte[]> fields) {
    return call("XADD", () -> commands.async().xadd(key, XAddArgs.Builder.maxlen(maxLen).approximateTrimming(), fields));
  }

  /**
   * XRANGE {@code key start end} COUNT {@code count}: entries in id order, both ends included
   * ({@code "-"} and {@code "+"} for the stream's ends, {@code "(" + id} to exclude one).
   */
  public CompletableFuture<List<StreamEntry>> xrange(String key, String start, String end, long count) {
    return call("XRANGE", () -> commands.async().xrange(key, Range.create(start, end), Limit.from(count))).thenApply(RedisLink::entries);
  }

  /**
   * XREAD BLOCK {@code block} COUNT {@code count} STREAMS {@code key afterId}: the entries after
   * {@code afterId} ({@code "$"} for only new ones), waiting up to {@code block} for one; an empty
   * list when none came. Runs on the link's own blocking connection so that it never delays a
   * publish; one blocking read at a time (a second one waits behind the first).
   */
  @SuppressWarnings("unchecked") // Lettuce's StreamOffset varargs; one offset, no heap pollution
  public CompletableFuture<List<StreamEntry>> xread(String key, String afterId, long count, Duration block) {
    StatefulRedisConnection<String, byte[]> conn;
    try {
      conn = blockingConnection(block);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure("XREAD", e));
    }
    return call("XREAD", () -> conn.async().xread(XReadArgs.Builder.block(block).count(count), XReadArgs.StreamOffset.from(key, afterId)))
        .thenApply(list -> list == null ? List.of() : entries(list));
  }

  /** SET {@code key value} PX {@code ttl}. */
  public CompletableFuture<Void> set(String key, byte[] value, Duration ttl) {
    return call("SET", () -> commands.async().set(key, value, SetArgs.Builder.px(ttl.toMillis()))).thenApply(ok -> null);
  }

  /** GETDEL {@code key}: its value, deleted at once, or null when there was none. */
  public CompletableFuture<byte[]> getdel(String key) {
    return call("GETDEL", () -> commands.async().getdel(key));
  }

  /**
   * Opens one more connection, for one blocking reader of its own ({@code XREAD BLOCK} in a loop):
   * the streams adapter reads each stream on its own connection so that the readers never wait
   * behind each other, nor behind {@link #xread}'s shared one. Asynchronous — it never waits; the
   * future completes on a Lettuce thread, or fails with a {@link RedisLinkException} when Redis
   * cannot be reached now (the caller tries again later). Once open, the connection reconnects
   * by itself like the others and counts in the link's outages; closing it (or the link) is not
   * an outage.
   */
  public CompletableFuture<BlockingConnection> openBlockingConnection() {
    if (closed) return CompletableFuture.failedFuture(new RedisLinkException("connect on " + maskedUrl + " failed: the link is closed"));
    ConnectionFuture<StatefulRedisConnection<String, byte[]>> connecting;
    try {
      connecting = client.connectAsync(CODEC, uri);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure("connect", e));
    }
    CompletableFuture<BlockingConnection> out = new CompletableFuture<>();
    connecting.whenComplete((conn, e) -> {
      if (e != null) {
        out.completeExceptionally(failure("connect", e));
        return;
      }
      BlockingConnection b = new BlockingConnection(conn);
      blockingConnections.add(b);
      if (closed) { // the link closed while this one was connecting
        b.close();
        out.completeExceptionally(new RedisLinkException("connect on " + maskedUrl + " failed: the link is closed"));
      } else {
        out.complete(b);
      }
    });
    return out;
  }

  /**
   * A connection of the link for one blocking reader ({@link #openBlockingConnection}). Its
   * futures complete on Lettuce's threads, as the link's do; one read at a time.
   */
  public final class BlockingConnection implements AutoCloseable {
    private final StatefulRedisConnection<String, byte[]> connection;
    private volatile boolean connectionClosed;

    private BlockingConnection(StatefulRedisConnection<String, byte[]> connection) {
      this.connection = connection;
    }

    /**
     * XREAD BLOCK {@code block} COUNT {@code count} STREAMS {@code key afterId}, as {@link
     * RedisLink#xread}, on this connection: the entries after {@code afterId} ({@code "$"}: only
     * new ones), or an empty list when none came within {@code block}. Fails once the connection
     * is closed (a read in progress fails then too).
     */
    @SuppressWarnings("unchecked") // Lettuce's StreamOffset varargs; one offset, no heap pollution
    public CompletableFuture<List<StreamEntry>> xread(String key, String afterId, long count, Duration block) {
      if (connectionClosed) return CompletableFuture.failedFuture(new RedisLinkException("XREAD on " + maskedUrl + " failed: the connection is closed"));
      connection.setTimeout(commandTimeout.plus(block));
      return call("XREAD", () -> connection.async().xread(XReadArgs.Builder.block(block).count(count), XReadArgs.StreamOffset.from(key, afterId)))
          .thenApply(list -> list == null ? List.of() : entries(list));
    }

    /** Closes the connection without waiting (a blocked read fails); not reported as an outage. Idempotent. */
    @Override
    public void close() {
      close(false);
    }

    /** {@code wait}: the link is closing, and Lettuce's shutdown must find it closed. */
    private void close(boolean wait) {
      if (connectionClosed) return;
      connectionClosed = true;
      blockingConnections.remove(this);
      outages.retire(connection);
      if (wait) connection.close();
      else connection.closeAsync();
    }
  }

  // ----------------------------------------------------------------------------------------- close

  /**
   * Closes every connection and stops Lettuce's threads, waiting up to a few seconds; pending
   * commands fail. Idempotent.
   */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    subscriptions.close();
    commands.close();
    synchronized (blockingLock) {
      if (blocking != null) blocking.close();
    }
    for (BlockingConnection b : List.copyOf(blockingConnections)) b.close(true);
    shutdown();
  }

  private void shutdown() {
    closed = true;
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    try {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("Lettuce resources of " + maskedUrl + " did not stop in time", e);
    }
  }

  // ----------------------------------------------------------------------------------------- internals

  private StatefulRedisConnection<String, byte[]> blockingConnection(Duration block) {
    synchronized (blockingLock) {
      if (closed) throw new IllegalStateException("link closed");
      if (blocking == null) blocking = client.connect(CODEC);
      blocking.setTimeout(commandTimeout.plus(block));
      return blocking;
    }
  }

  private CompletableFuture<Void> register(String what, Map<String, MessageHandler> handlers, MessageHandler handler,
      String[] names, Supplier<RedisFuture<Void>> command) {
    for (String n : names) handlers.put(n, handler);
    return call(what, command).whenComplete((ok, e) -> {
      if (e != null) for (String n : names) handlers.remove(n, handler);
    });
  }

  /** Sends a command from the caller's thread (it only queues it for the event loop) and maps its failure. */
  private <T> CompletableFuture<T> call(String what, Supplier<RedisFuture<T>> command) {
    if (closed) return CompletableFuture.failedFuture(new RedisLinkException(what + " on " + maskedUrl + " failed: the link is closed"));
    RedisFuture<T> sent;
    try {
      sent = command.get();
    } catch (RuntimeException e) { // Lettuce refuses some commands synchronously (e.g. while closing)
      return CompletableFuture.failedFuture(failure(what, e));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    sent.whenComplete((value, e) -> {
      if (e == null) result.complete(value);
      else result.completeExceptionally(failure(what, e));
    });
    return result;
  }

  /** Our exception for a failed command: the server masked, the password removed from the text and causes. */
  RedisLinkException failure(String what, Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String why;
    if (t instanceof RedisCommandTimeoutException) why = "no answer within " + commandTimeout.toMillis() + " ms";
    else if (closed) why = "the link is closed";
    else why = t.getClass().getSimpleName() + ": " + scrub(String.valueOf(t.getMessage()));
    String message = what + " on " + maskedUrl + " failed: " + why;
    return mentionsPassword(t) ? new RedisLinkException(message) : new RedisLinkException(message, t);
  }

  private String scrub(String text) {
    return password == null || password.isEmpty() ? text : text.replace(password, "***");
  }

  private boolean mentionsPassword(Throwable t) {
    if (password == null || password.isEmpty()) return false;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (String.valueOf(c.getMessage()).contains(password)) return true;
    }
    return false;
  }

  private static List<StreamEntry> entries(List<StreamMessage<String, byte[]>> messages) {
    List<StreamEntry> out = new ArrayList<>(messages.size());
    for (StreamMessage<String, byte[]> m : messages) {
      out.add(new StreamEntry(m.getId(), Collections.unmodifiableMap(m.getBody())));
    }
    return out;
  }

  /** Routes the subscription connection's messages to their handlers (Lettuce event-loop thread). */
  private final class Dispatcher extends RedisPubSubAdapter<String, byte[]> {
    @Override
    public void message(String channel, byte[] message) {
      deliver(channelHandlers.get(channel), channel, message);
    }

    @Override
    public void message(String pattern, String channel, byte[] message) {
      deliver(patternHandlers.get(pattern), channel, message);
    }

    @Override
    public void smessage(String channel, byte[] message) {
      deliver(shardHandlers.get(channel), channel, message);
    }

    private void deliver(MessageHandler handler, String channel, byte[] message) {
      if (handler == null) return; // unsubscribed while the message was on its way
      try {
        handler.onMessage(channel, message);
      } catch (RuntimeException e) {
        // A handler bug must not break the connection's pipeline for every other subscription.
        LOG.warn("message handler for " + channel + " on " + maskedUrl + " threw", e);
      }
    }
  }

  /**
   * One WARNING when the first connection of the link drops, one INFO when all are up again:
   * Lettuce reports each connection's channel going inactive and active, on its event loops
   * (failed reconnect attempts report nothing), so an outage is exactly one pair.
   */
  private final class Outages implements RedisConnectionStateListener {
    private final Set<RedisChannelHandler<?, ?>> down = ConcurrentHashMap.newKeySet();
    /** Connections closed on purpose (a reader's): their going down is no outage. Weak: bounded by the live ones. */
    private final Set<Object> retired = Collections.newSetFromMap(new WeakHashMap<>()); // guarded by this
    private long outageStartNanos; // guarded by this; 0 when up
    private boolean inOutage; // guarded by this

    /** A connection about to be closed on purpose: ignored from now on; an outage waiting for it no longer does. */
    void retire(Object connection) { // the connection is Lettuce's RedisChannelHandler
      long millis;
      synchronized (this) {
        retired.add(connection);
        if (!down.remove(connection) || !inOutage || !down.isEmpty() || closed) return;
        inOutage = false;
        millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStartNanos);
      }
      LOG.info("Redis at " + maskedUrl + " back after " + millis + " ms; subscriptions restored");
      tellOutage(false);
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      if (closed) return;
      synchronized (this) {
        if (retired.contains(connection)) return;
        down.add(connection);
        if (inOutage) return;
        inOutage = true;
        outageStartNanos = System.nanoTime();
      }
      metrics.recordOutage();
      LOG.warn("Redis at " + maskedUrl + " lost: cluster commands fail until it is back; reconnecting");
      tellOutage(true);
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      long millis;
      synchronized (this) {
        if (retired.contains(connection)) return;
        down.remove(connection);
        if (!inOutage || !down.isEmpty() || closed) return;
        inOutage = false;
        millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStartNanos);
      }
      LOG.info("Redis at " + maskedUrl + " back after " + millis + " ms; subscriptions restored");
      tellOutage(false);
    }
  }

  /** The parts of the URL we need before Lettuce parses it: its masked form and its password. */
  private record ParsedUrl(String masked, String password) {
    static ParsedUrl parse(String url) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a redis:// or rediss:// URL (the text is not repeated: it may hold a password)");
      }
      String scheme = uri.getScheme();
      if (!"redis".equals(scheme) && !"rediss".equals(scheme) || uri.getHost() == null) {
        throw new IllegalArgumentException("not a redis://host[:port] or rediss:// URL (the text is not repeated: it may hold a password)");
      }
      String user = null;
      String password = null;
      String info = uri.getRawUserInfo();
      if (info != null) {
        int colon = info.indexOf(':');
        if (colon < 0) {
          password = decode(info); // redis://password@host, as Lettuce reads it
        } else {
          user = colon == 0 ? null : decode(info.substring(0, colon));
          password = decode(info.substring(colon + 1));
        }
      }
      StringBuilder m = new StringBuilder(scheme).append("://");
      if (user != null) m.append(user);
      if (password != null) m.append(":***");
      if (user != null || password != null) m.append('@');
      m.append(uri.getHost()).append(':').append(uri.getPort() < 0 ? 6379 : uri.getPort());
      String path = uri.getPath();
      if (path != null && path.length() > 1) m.append(path);
      return new ParsedUrl(m.toString(), password);
    }

    private static String decode(String s) {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8); // percent-escapes only
    }
  }
}
