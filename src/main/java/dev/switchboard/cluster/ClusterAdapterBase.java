package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.socketio.adapter.AckSink;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.adapter.Offsets;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of socket.io-adapter's {@code ClusterAdapter} (2.5, the variant without heartbeats;
 * {@code packages/socket.io-adapter/lib/cluster-adapter.ts}, cited as <i>CA</i>) in our own words,
 * over the {@link ClusterMessage} records: what a node publishes for each operation, how it
 * handles what the others publish, and how it collects their answers. The sharded Redis adapter
 * and the Redis streams adapter extend it and only move bytes: they implement
 * {@link #publishMessage}, {@link #publishResponse} and {@link #serverCount()}, and hand every
 * message they receive to {@link #enqueue} / {@link #onMessage}. spec-notes/cluster.md,
 * "ClusterAdapter messages", has the wire format of each message.
 *
 * <pre>{@code
 * final class MyAdapter extends ClusterAdapterBase {
 *   MyAdapter(AdapterNamespace ns, MyTransport t) {
 *     super(ns, ClusterAdapterBase.DEFAULT_TIMEOUT, new ClusterMetrics());
 *     t.subscribe(bytes -> enqueue(() -> onMessage(codec.decode(bytes), null)));  // transport thread → here
 *   }
 *   protected CompletableFuture<String> publishMessage(ClusterMessage m) { return t.publish(codec.encode(m)).thenApply(x -> null); }
 *   protected CompletableFuture<?> publishResponse(String asker, ClusterMessage m) { return t.publishTo(asker, codec.encode(m)); }
 *   public CompletableFuture<Integer> serverCount() { return t.count().thenApplyAsync(n -> n, namespace.completions()); }
 * }
 * }</pre>
 *
 * <p><b>What each operation does</b> (<i>CA</i> lines):
 * <ul>
 *   <li>{@code broadcast}: publishes BROADCAST {@code {packet, opts}} unless {@code local}, and
 *       delivers to this node's sockets at once — it never waits for the transport, unless the
 *       transport numbers its messages ({@link #offsetFromTransport()}) and recovery is on:
 *       then local delivery waits for the publication, in order, and a kept packet gets the
 *       offset appended to the event's arguments (427–474).</li>
 *   <li>{@code broadcastWithAck}: BROADCAST with a {@code requestId}; every other node answers
 *       BROADCAST_CLIENT_COUNT once and BROADCAST_ACK per client answer, each carrying the
 *       client's first argument (218–262, 476–507). The returned handle forgets the request.</li>
 *   <li>{@code addSockets}/{@code delSockets}/{@code disconnectSockets}: SOCKETS_JOIN/LEAVE,
 *       DISCONNECT_SOCKETS unless {@code local}, then the same here (509–568).</li>
 *   <li>{@code fetchSockets}: this node's sockets, then FETCH_SOCKETS answered by
 *       {@code serverCount() − 1} nodes with FETCH_SOCKETS_RESPONSE, within {@code flags.timeout}
 *       or the request timeout (570–614); {@code allRooms} (which <i>CA</i> lacks) is the union of
 *       the rooms of every socket such a request returns.</li>
 *   <li>{@code serverSideEmit}: SERVER_SIDE_EMIT {@code {packet}}; with ack, a {@code requestId}
 *       and {@code serverCount() − 1} SERVER_SIDE_EMIT_RESPONSEs, each the handler's first ack
 *       argument (616–673).</li>
 *   <li>Received: own messages (by {@link #uid()}) and other namespaces are ignored (197–211);
 *       each type is applied to this node's sockets through the in-memory adapter; answers are
 *       matched to the pending request by id.</li>
 * </ul>
 *
 * <p><b>Requests</b> expect one answer from each of {@code serverCount() − 1} other nodes (a
 * node's second answer is dropped), complete at once when there is no other node, and fail
 * after their timeout ({@link #DEFAULT_TIMEOUT} unless given) with
 * {@link ClusterRequestTimeoutException}, Node's {@code timeout reached: only N responses
 * received out of M} (a server-side emit's carries the answers received). At most
 * {@link #MAX_PENDING_REQUESTS} requests, and as many broadcast-ack requests, wait at once; beyond
 * that a request fails at once and is counted as refused. A request is removed when it completes,
 * times out or the adapter closes; a broadcast-ack request when the broadcast operator cancels
 * the handle {@code broadcastWithAck} returned.
 *
 * <p><b>Hostile peers</b>: a message that cannot be decoded ({@link ClusterMessageException}),
 * concerns another namespace, is a heartbeat, answers no pending request (or a request of another
 * type), or repeats a node's answer, is dropped with a FINE log line and counted in
 * {@link ClusterMetrics}; at most {@link #MAX_QUEUED_MESSAGES} received messages wait to be
 * handled, more are dropped ({@link ClusterMetrics.Drop#OVERLOADED}).
 *
 * <p><b>Threading</b>: the public methods may be called from any thread, as every adapter's.
 * A transport calls {@link #enqueue} on its own thread (Lettuce's event loop): the task — decode,
 * then {@link #onMessage} — runs on this adapter's serial executor over
 * {@link AdapterNamespace#completions()} (the worker pool), in arrival order, never on the
 * transport's thread. Request state is touched only on that serial executor; request timers fire
 * on the timer thread and only hand over to it. Every future this class hands out completes on
 * {@link AdapterNamespace#completions()}, so a dependent stage that blocks stalls neither the
 * transport, the timer, nor the handling of later messages. Server-side events run on the
 * namespace's own executor ({@link AdapterNamespace#dispatchServerSideEmit}).
 */
public abstract class ClusterAdapterBase extends InMemoryAdapter {
  /** How long a request waits for the other nodes unless told otherwise (<i>CA</i> 12, {@code DEFAULT_TIMEOUT}). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(5000);
  /** The most requests (and, separately, broadcast-ack requests) one adapter keeps waiting. */
  public static final int MAX_PENDING_REQUESTS = 10_000;
  /** The most received messages one adapter keeps waiting to be handled; more are dropped. */
  public static final int MAX_QUEUED_MESSAGES = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(ClusterAdapterBase.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String uid = randomId();
  private final String nsp;
  private final boolean recovery;
  private final Duration requestsTimeout;
  private final Executor completions;
  /** Every received message and request event, one at a time, in arrival order. */
  private final SerialExecutor serial;
  private final AtomicInteger queued = new AtomicInteger();
  /** Guarded by {@link #serial} (touched only in its tasks). */
  private final Map<String, Request<?>> requests = new ConcurrentHashMap<>();
  private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The counters this adapter reports to; shared with the other namespaces of its factory. */
  protected final ClusterMetrics metrics;

  /**
   * The adapter of {@code namespace}.
   *
   * @param requestsTimeout how long {@code fetchSockets} (without {@code flags.timeout}) and
   *     {@code allRooms} wait for the other nodes; {@link #DEFAULT_TIMEOUT} in Node
   * @param metrics where this adapter counts what it publishes, receives and drops
   */
  protected ClusterAdapterBase(AdapterNamespace namespace, Duration requestsTimeout, ClusterMetrics metrics) {
    super(namespace);
    Objects.requireNonNull(requestsTimeout, "requestsTimeout");
    if (requestsTimeout.isNegative() || requestsTimeout.isZero()) {
      throw new IllegalArgumentException("requestsTimeout must be positive, got " + requestsTimeout);
    }
    this.nsp = namespace.name();
    this.recovery = namespace.maxDisconnectionDuration().isPresent();
    this.requestsTimeout = requestsTimeout;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.completions = namespace.completions();
    this.serial = new SerialExecutor(completions);
  }

  /** 16 lower-case hex characters from 8 random bytes, as <i>CA</i>'s {@code randomId()}: node ids and request ids. */
  public static String randomId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HEX.formatHex(b);
  }

  /** This node's id in this namespace ({@code uid} on the wire), drawn once. */
  public final String uid() {
    return uid;
  }

  /** Requests and broadcast-ack requests still waiting for other nodes (0 once everything is answered or forgotten). */
  public int pendingRequests() {
    return requests.size() + ackRequests.size();
  }

  /** Whether {@link #close()} was called. */
  protected final boolean isClosed() {
    return closed.get();
  }

  // ------------------------------------------------------------------ what a transport implements

  /**
   * Publishes {@code message} to the other nodes of the namespace (<i>CA</i> {@code doPublish}).
   * Encodes it before returning — its trees are the caller's again afterwards — and never
   * blocks.
   *
   * @return completes with the offset the transport gave the message (a Redis stream entry id),
   *     or with null when it numbers nothing; exceptionally when it could not publish. It may
   *     complete on any thread.
   */
  protected abstract CompletableFuture<String> publishMessage(ClusterMessage message);

  /**
   * Publishes {@code response} — an answer (types 8, 10, 11, 12) — to the node {@code requesterUid}
   * only (<i>CA</i> {@code doPublishResponse}); encodes it before returning and never blocks.
   *
   * @return completes when published, exceptionally when it could not; any thread
   */
  protected abstract CompletableFuture<?> publishResponse(String requesterUid, ClusterMessage response);

  /**
   * How many nodes serve the namespace, this one included. Completes on
   * {@link AdapterNamespace#completions()}, never on the transport's thread.
   */
  @Override
  public abstract CompletableFuture<Integer> serverCount();

  /**
   * Whether local delivery of a broadcast waits for the offset {@link #publishMessage} returns
   * (when recovery is on and the packet is kept, {@link Offsets#isKept}), and received broadcasts
   * carry the transport's offsets: the streams adapter's stream entry ids. False here: this
   * node's in-memory session store numbers what it delivers (recovery per node).
   */
  protected boolean offsetFromTransport() {
    return false;
  }

  // ------------------------------------------------------------------ what reaches the other nodes

  /**
   * Publishes the broadcast unless {@code local}, and delivers it to this node's sockets without
   * waiting for the transport, unless {@link #offsetFromTransport()} and recovery is on: then
   * once published, in publication order, a kept packet ({@link Offsets#isKept}) with the
   * transport's offset (without one if publishing failed).
   */
  @Override
  public void broadcast(SocketIoPacket packet, BroadcastOptions options) {
    boolean local = options.flags().local();
    CompletableFuture<String> published = local ? null
        : publishAndReturnOffset(new ClusterMessage.Broadcast(uid, nsp, packet, wireOptions(options)));
    if (!offsetFromTransport()) {
      super.broadcast(packet, options);
    } else if (published == null || !recovery) {
      broadcastLocally(packet, options);
    } else {
      // CA 427-441: the entry id is the offset the client presents on reconnection. Every
      // broadcast waits for its publication, kept or not, so that they reach this node's clients
      // in the order they were published (the transport answers in that order).
      published.whenComplete((offset, error) -> serial.execute(() -> broadcastLocally(
          offset != null && Offsets.isKept(packet, options) ? Offsets.append(packet, offset) : packet, options)));
    }
  }

  /**
   * Publishes the broadcast with a {@code requestId} unless {@code local}, remembering whom the
   * answers go to until the returned handle is cancelled, then delivers to this node's sockets.
   */
  @Override
  public Cancellable broadcastWithAck(SocketIoPacket packet, BroadcastOptions options, IntConsumer clientCount,
      AckSink acks) {
    Cancellable forget = Cancellable.NONE;
    if (!options.flags().local() && !isClosed()) {
      if (ackRequests.size() >= MAX_PENDING_REQUESTS) {
        metrics.recordRequestRefused();
        LOG.atDebug().log(() -> nsp + ": " + MAX_PENDING_REQUESTS + " broadcasts with acks wait already; this one stays on this node");
      } else {
        String requestId = randomId();
        ackRequests.put(requestId, new AckRequest(clientCount, acks));
        forget = () -> ackRequests.remove(requestId);
        publish(new ClusterMessage.BroadcastWithAck(uid, nsp, requestId, packet, wireOptions(options)));
      }
    }
    super.broadcastWithAck(packet, options, clientCount, acks);
    return forget;
  }

  @Override
  public void addSockets(BroadcastOptions options, Set<String> rooms) {
    if (!options.flags().local()) publish(new ClusterMessage.SocketsJoin(uid, nsp, wireOptions(options), List.copyOf(rooms)));
    super.addSockets(options, rooms);
  }

  @Override
  public void delSockets(BroadcastOptions options, Set<String> rooms) {
    if (!options.flags().local()) publish(new ClusterMessage.SocketsLeave(uid, nsp, wireOptions(options), List.copyOf(rooms)));
    super.delSockets(options, rooms);
  }

  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    if (!options.flags().local()) publish(new ClusterMessage.DisconnectSockets(uid, nsp, wireOptions(options), close));
    super.disconnectSockets(options, close);
  }

  /** SERVER_SIDE_EMIT without {@code requestId}: the other nodes run their handlers; this one does not. */
  @Override
  public void serverSideEmit(ArrayNode packet) {
    publish(new ClusterMessage.ServerSideEmit(uid, nsp, packet));
  }

  // ------------------------------------------------------------------ what asks the other nodes

  /** This node's selected sockets first, then every other node's (unless {@code local}). */
  @Override
  public CompletableFuture<List<dev.switchboard.socketio.adapter.SocketDetails>> fetchSockets(BroadcastOptions options) {
    List<dev.switchboard.socketio.adapter.SocketDetails> local = super.fetchSockets(options).join();
    if (options.flags().local()) return CompletableFuture.completedFuture(local);
    Duration timeout = options.flags().timeout().orElse(requestsTimeout);
    WireOptions wire = wireOptions(options);
    return ask(ClusterMessageType.FETCH_SOCKETS, timeout, new ArrayList<>(local), false,
        requestId -> new ClusterMessage.FetchSockets(uid, nsp, requestId, wire));
  }

  /**
   * Every room with a member on any node, socket-id rooms included. <i>CA</i> has no such
   * request, so this asks every node for all its sockets (FETCH_SOCKETS, which Node nodes answer
   * too) and takes the union of their rooms: heavier than the classic adapter's ALL_ROOMS, as
   * every socket's details cross the wire.
   */
  @Override
  public CompletableFuture<Set<String>> allRooms() {
    Set<String> here = rooms();
    return ask(ClusterMessageType.FETCH_SOCKETS, requestsTimeout, new ArrayList<dev.switchboard.socketio.adapter.SocketDetails>(),
        false, requestId -> new ClusterMessage.FetchSockets(uid, nsp, requestId, WireOptions.ALL))
        .thenApply(sockets -> {
          Set<String> all = new LinkedHashSet<>(here);
          for (dev.switchboard.socketio.adapter.SocketDetails s : sockets) all.addAll(s.rooms());
          return all;
        });
  }

  /** SERVER_SIDE_EMIT with a {@code requestId}; each answer is {@code [first ack argument]}, or {@code []}. */
  @Override
  public CompletableFuture<List<ArrayNode>> serverSideEmitWithAck(ArrayNode packet, Duration timeout) {
    return ask(ClusterMessageType.SERVER_SIDE_EMIT, timeout, new ArrayList<ArrayNode>(), true,
        requestId -> new ClusterMessage.ServerSideEmitWithAck(uid, nsp, requestId, packet));
  }

  /**
   * Counts the nodes, then publishes the request {@code make} builds and collects one answer
   * from each other node into {@code collected}; completes with it when all answered, at once
   * when there is no other node, or fails after {@code timeout}.
   */
  private <T> CompletableFuture<List<T>> ask(ClusterMessageType type, Duration timeout, List<T> collected,
      boolean timeoutCarriesAnswers, Function<String, ClusterMessage> make) {
    CompletableFuture<List<T>> result = new CompletableFuture<>();
    CompletableFuture<Integer> count;
    try {
      count = serverCount();
    } catch (RuntimeException e) {
      count = CompletableFuture.failedFuture(e);
    }
    count.whenComplete((servers, error) -> serial.execute(() -> {
      if (error != null) {
        fail(result, unwrap(error));
        return;
      }
      if (isClosed()) {
        fail(result, closedException());
        return;
      }
      int expected = servers - 1;
      if (expected <= 0) {
        List<T> all = List.copyOf(collected);
        completions.execute(() -> result.complete(all));
        return;
      }
      if (requests.size() >= MAX_PENDING_REQUESTS) {
        metrics.recordRequestRefused();
        fail(result, new IllegalStateException(nsp + ": " + MAX_PENDING_REQUESTS + " cluster requests wait already"));
        return;
      }
      String requestId = randomId();
      Request<T> request = new Request<>(requestId, type, expected, collected, timeoutCarriesAnswers, result);
      requests.put(requestId, request);
      request.timer = namespace.scheduler().schedule(timeout, () -> serial.execute(request::timeOut));
      publish(make.apply(requestId));
    }));
    return result;
  }

  /** One request waiting for the other nodes' answers. Touched only on {@link #serial}. */
  private final class Request<T> {
    final String id;
    final ClusterMessageType type;
    final int expected;
    final List<T> collected;
    final boolean timeoutCarriesAnswers;
    final CompletableFuture<List<T>> result;
    final Set<String> answered = new HashSet<>();
    Cancellable timer = Cancellable.NONE;

    Request(String id, ClusterMessageType type, int expected, List<T> collected, boolean timeoutCarriesAnswers,
        CompletableFuture<List<T>> result) {
      this.id = id;
      this.type = type;
      this.expected = expected;
      this.collected = collected;
      this.timeoutCarriesAnswers = timeoutCarriesAnswers;
      this.result = result;
    }

    void answer(String from, List<T> values) {
      if (!answered.add(from)) {
        drop(ClusterMetrics.Drop.DUPLICATE_ANSWER, () -> "a second answer from " + from + " to " + id);
        return;
      }
      collected.addAll(values);
      if (answered.size() < expected) return;
      requests.remove(id, this);
      timer.cancel();
      List<T> all = List.copyOf(collected);
      completions.execute(() -> result.complete(all));
    }

    @SuppressWarnings("unchecked")
    void timeOut() {
      if (!requests.remove(id, this)) return;
      metrics.recordRequestTimedOut();
      ClusterRequestTimeoutException e = new ClusterRequestTimeoutException(answered.size(), expected,
          timeoutCarriesAnswers ? (List<ArrayNode>) collected : List.of());
      completions.execute(() -> result.completeExceptionally(e));
    }

    void abandon(Throwable why) {
      if (!requests.remove(id, this)) return;
      timer.cancel();
      fail(result, why);
    }
  }

  /** Whom the answers to one of this node's broadcasts with acks go to. */
  private static final class AckRequest {
    final IntConsumer clientCount;
    final AckSink acks;
    /** Nodes that reported their client count; touched only on {@link #serial}. */
    Set<String> counted;

    AckRequest(IntConsumer clientCount, AckSink acks) {
      this.clientCount = clientCount;
      this.acks = acks;
    }
  }

  private <T> void fail(CompletableFuture<T> result, Throwable why) {
    completions.execute(() -> result.completeExceptionally(why));
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("the cluster adapter of " + nsp + " is closed");
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  // ------------------------------------------------------------------ publishing

  /**
   * Has the transport publish {@code message} (<i>CA</i> {@code publishAndReturnOffset}),
   * counting it; a failure is counted and logged at FINE (the transport logs its outages once).
   *
   * @return the offset, or null; never completes exceptionally
   */
  protected final CompletableFuture<String> publishAndReturnOffset(ClusterMessage message) {
    metrics.recordPublished();
    CompletableFuture<String> sent;
    try {
      sent = publishMessage(message);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((offset, error) -> {
      if (error == null) return offset;
      publishFailed(message, error);
      return null;
    });
  }

  /** {@link #publishAndReturnOffset} without waiting for anything. */
  protected final void publish(ClusterMessage message) {
    metrics.recordPublished();
    CompletableFuture<String> sent;
    try {
      sent = publishMessage(message);
    } catch (RuntimeException e) {
      publishFailed(message, e);
      return;
    }
    sent.whenComplete((offset, error) -> {
      if (error != null) publishFailed(message, error);
    });
  }

  private void respond(String requesterUid, ClusterMessage response) {
    metrics.recordPublished();
    CompletableFuture<?> sent;
    try {
      sent = publishResponse(requesterUid, response);
    } catch (RuntimeException e) {
      publishFailed(response, e);
      return;
    }
    sent.whenComplete((ok, error) -> {
      if (error != null) publishFailed(response, error);
    });
  }

  private void publishFailed(ClusterMessage message, Throwable error) {
    metrics.recordPublishFailure();
    LOG.atDebug().log(() -> nsp + ": could not publish " + message.type() + ": " + unwrap(error).getMessage());
  }

  // ------------------------------------------------------------------ what the other nodes send

  /**
   * Any thread (the transport's): runs {@code handle} — typically decode, then
   * {@link #onMessage} — on this adapter's serial executor, after every message received before
   * it. Counts the message as received; drops it when {@link #MAX_QUEUED_MESSAGES} already wait,
   * and ignores it once the adapter is closed. A {@link ClusterMessageException} thrown by
   * {@code handle} drops the message as {@link ClusterMetrics.Drop#MALFORMED}.
   *
   * @return whether {@code handle} was queued (it then runs, even if the adapter closes
   *     meanwhile); false when the message was dropped or the adapter is closed
   */
  protected final boolean enqueue(Runnable handle) {
    if (isClosed()) return false;
    // The backlog grows before the count of received messages: whoever reads the count and
    // then the backlog never sees a message received and not yet waiting (tests settle so).
    metrics.addBacklog(1);
    metrics.recordReceived();
    if (queued.incrementAndGet() > MAX_QUEUED_MESSAGES) {
      queued.decrementAndGet();
      metrics.addBacklog(-1);
      drop(ClusterMetrics.Drop.OVERLOADED, () -> MAX_QUEUED_MESSAGES + " messages wait to be handled already");
      return false;
    }
    serial.execute(() -> {
      try {
        handle.run();
      } catch (ClusterMessageException e) {
        drop(ClusterMetrics.Drop.MALFORMED, e::getMessage);
      } finally {
        queued.decrementAndGet();
        metrics.addBacklog(-1);
      }
    });
    return true;
  }

  /**
   * Runs {@code task} on this adapter's serial executor, after every message and request event
   * queued before it: for a transport's own bookkeeping that must not race the handling of
   * messages (e.g. re-subscribing). Any thread.
   */
  protected final void runSerially(Runnable task) {
    serial.execute(task);
  }

  /** Counts a dropped message and logs why at FINE. */
  protected final void drop(ClusterMetrics.Drop reason, java.util.function.Supplier<String> why) {
    metrics.recordDropped(reason);
    LOG.atDebug().log(() -> nsp + ": dropped a message from another node (" + reason.metricName() + "): " + why.get());
  }

  /**
   * Acts on one message from another node (<i>CA</i> {@code onMessage}/{@code onResponse}): only
   * in a task of {@link #enqueue}. {@code offset}: the transport's number for a broadcast (a
   * stream entry id), appended to the event's arguments when recovery keeps the packet; null
   * when there is none.
   */
  protected final void onMessage(ClusterMessage message, String offset) {
    assert serial.isCurrentThread() : "onMessage runs in a task of enqueue";
    if (isClosed()) return;
    if (message.uid().equals(uid)) return; // CA 197-200: our own, echoed by the transport
    if (!message.nsp().equals(nsp)) {
      drop(ClusterMetrics.Drop.OTHER_NAMESPACE, () -> "about " + message.nsp());
      return;
    }
    switch (message.type()) {
      case BROADCAST -> {
        if (message instanceof ClusterMessage.BroadcastWithAck b) onBroadcastWithAck(b);
        else onBroadcast((ClusterMessage.Broadcast) message, offset);
      }
      case SOCKETS_JOIN -> {
        ClusterMessage.SocketsJoin j = (ClusterMessage.SocketsJoin) message;
        super.addSockets(localOptions(j.opts()), Set.copyOf(j.rooms()));
      }
      case SOCKETS_LEAVE -> {
        ClusterMessage.SocketsLeave l = (ClusterMessage.SocketsLeave) message;
        super.delSockets(localOptions(l.opts()), Set.copyOf(l.rooms()));
      }
      case DISCONNECT_SOCKETS -> {
        ClusterMessage.DisconnectSockets d = (ClusterMessage.DisconnectSockets) message;
        super.disconnectSockets(localOptions(d.opts()), d.close());
      }
      case FETCH_SOCKETS -> onFetchSockets((ClusterMessage.FetchSockets) message);
      case SERVER_SIDE_EMIT -> onServerSideEmit(message);
      case FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT_RESPONSE, BROADCAST_CLIENT_COUNT, BROADCAST_ACK -> onResponse(message);
      default -> drop(ClusterMetrics.Drop.UNSUPPORTED, () -> message.type() + " (heartbeats are not used)");
    }
  }

  /** CA 252-260: delivered here, with the transport's offset when recovery keeps it. */
  private void onBroadcast(ClusterMessage.Broadcast b, String offset) {
    BroadcastOptions options = localOptions(b.opts());
    if (offset != null) {
      SocketIoPacket packet = b.packet();
      broadcastLocally(recovery && Offsets.isKept(packet, options) ? Offsets.append(packet, offset) : packet, options);
    } else if (offsetFromTransport()) {
      broadcastLocally(b.packet(), options);
    } else {
      super.broadcast(b.packet(), options); // numbered by this node's session store when recovery is on
    }
  }

  /** CA 218-251: delivered here; the count, then each client's answer, go back to the asker. */
  private void onBroadcastWithAck(ClusterMessage.BroadcastWithAck b) {
    String asker = b.uid();
    String requestId = b.requestId();
    super.broadcastWithAck(b.packet(), localOptions(b.opts()),
        count -> respond(asker, new ClusterMessage.BroadcastClientCount(uid, nsp, requestId, count)),
        new AckSink() {
          @Override
          public void onAck(String socketId, ArrayNode args) {
            respond(asker, new ClusterMessage.BroadcastAck(uid, nsp, requestId, first(args)));
          }

          @Override
          public void onDisconnect(String socketId) {
            // Nothing on the wire says so (Node's neither): the asker's timeout ends its wait.
          }
        });
  }

  /** CA 279-306: this node's selected sockets, as Node's servers describe them to each other. */
  private void onFetchSockets(ClusterMessage.FetchSockets f) {
    List<dev.switchboard.socketio.adapter.SocketDetails> local = super.fetchSockets(localOptions(f.opts())).join();
    List<SocketDetails> sockets = new ArrayList<>(local.size());
    for (dev.switchboard.socketio.adapter.SocketDetails d : local) {
      try {
        sockets.add(SocketDetails.ofLocal(d));
      } catch (ClusterMessageException e) {
        LOG.atDebug().log(() -> nsp + ": socket " + d.id() + " left out of a fetchSockets answer: " + e.getMessage());
      }
    }
    respond(f.uid(), new ClusterMessage.FetchSocketsResponse(uid, nsp, f.requestId(), sockets));
  }

  /** CA 308-335: the application's handlers; the first ack argument is the answer. */
  private void onServerSideEmit(ClusterMessage message) {
    if (message instanceof ClusterMessage.ServerSideEmitWithAck e) {
      String asker = e.uid();
      namespace.dispatchServerSideEmit(e.packet(),
          args -> respond(asker, new ClusterMessage.ServerSideEmitResponse(uid, nsp, e.requestId(), first(args))));
    } else {
      namespace.dispatchServerSideEmit(((ClusterMessage.ServerSideEmit) message).packet(), null);
    }
  }

  /** CA 337-425: an answer to one of this node's requests. */
  @SuppressWarnings("unchecked")
  private void onResponse(ClusterMessage response) {
    switch (response.type()) {
      case BROADCAST_CLIENT_COUNT -> {
        ClusterMessage.BroadcastClientCount c = (ClusterMessage.BroadcastClientCount) response;
        AckRequest a = ackRequests.get(c.requestId());
        if (a == null) {
          unknownRequest(c.requestId());
          return;
        }
        if (a.counted == null) a.counted = new HashSet<>();
        if (!a.counted.add(c.uid())) {
          drop(ClusterMetrics.Drop.DUPLICATE_ANSWER, () -> "a second client count from " + c.uid());
          return;
        }
        a.clientCount.accept((int) Math.min(c.clientCount(), Integer.MAX_VALUE));
      }
      case BROADCAST_ACK -> {
        ClusterMessage.BroadcastAck ack = (ClusterMessage.BroadcastAck) response;
        AckRequest a = ackRequests.get(ack.requestId());
        if (a == null) unknownRequest(ack.requestId());
        else a.acks.onAck(null, args(ack.packet()));
      }
      case FETCH_SOCKETS_RESPONSE -> {
        ClusterMessage.FetchSocketsResponse f = (ClusterMessage.FetchSocketsResponse) response;
        Request<dev.switchboard.socketio.adapter.SocketDetails> r =
            (Request<dev.switchboard.socketio.adapter.SocketDetails>) pending(f.requestId(), ClusterMessageType.FETCH_SOCKETS);
        if (r == null) return;
        List<dev.switchboard.socketio.adapter.SocketDetails> sockets = new ArrayList<>(f.sockets().size());
        for (SocketDetails s : f.sockets()) sockets.add(localSocket(s));
        r.answer(f.uid(), sockets);
      }
      case SERVER_SIDE_EMIT_RESPONSE -> {
        ClusterMessage.ServerSideEmitResponse e = (ClusterMessage.ServerSideEmitResponse) response;
        Request<ArrayNode> r = (Request<ArrayNode>) pending(e.requestId(), ClusterMessageType.SERVER_SIDE_EMIT);
        if (r != null) r.answer(e.uid(), List.of(args(e.packet())));
      }
      default -> throw new AssertionError(response.type());
    }
  }

  private Request<?> pending(String requestId, ClusterMessageType type) {
    Request<?> r = requests.get(requestId);
    if (r == null || r.type != type) {
      unknownRequest(requestId);
      return null;
    }
    return r;
  }

  private void unknownRequest(String requestId) {
    drop(ClusterMetrics.Drop.UNKNOWN_REQUEST, () -> "an answer to " + requestId + ", which is not waiting");
  }

  // ------------------------------------------------------------------ conversions

  /**
   * The options as they travel: rooms and except as lists, flags as Node sets them — only
   * {@code volatile: true}, {@code compress: false} and {@code timeout} (ms) are ever set by a
   * Switchboard node ({@code local} is never published).
   */
  protected static WireOptions wireOptions(BroadcastOptions options) {
    BroadcastFlags f = options.flags();
    WireFlags flags = WireFlags.NONE;
    if (f.isVolatile()) flags = flags.with(WireFlags.Flag.VOLATILE, true);
    if (!f.compress()) flags = flags.with(WireFlags.Flag.COMPRESS, false);
    if (f.timeout().isPresent()) flags = flags.withTimeout(f.timeout().get().toMillis());
    return new WireOptions(List.copyOf(options.rooms()), List.copyOf(options.except()), flags);
  }

  /** The options of a received message, for this node's sockets ({@code local} does not travel). */
  protected static BroadcastOptions localOptions(WireOptions wire) {
    WireFlags f = wire.flags();
    BroadcastFlags flags = f.isEmpty() ? BroadcastFlags.NONE : new BroadcastFlags(f.isVolatile(), f.compress(), false);
    return new BroadcastOptions(Set.copyOf(wire.rooms()), Set.copyOf(wire.except()), flags);
  }

  /** A socket of another node as {@code fetchSockets} reports it. */
  private static dev.switchboard.socketio.adapter.SocketDetails localSocket(SocketDetails s) {
    return dev.switchboard.socketio.adapter.SocketDetails.of(s.id(), s.handshake().toTree(), Set.copyOf(s.rooms()), s.data());
  }

  /** The one value Node's wire carries for an ack: its first argument ({@link MissingNode} for none). */
  private static JsonNode first(ArrayNode args) {
    return args.isEmpty() ? MissingNode.getInstance() : args.get(0);
  }

  /** An ack's arguments from the one value on the wire: {@code [value]}, or {@code []} when absent. */
  private static ArrayNode args(JsonNode value) {
    ArrayNode a = NODES.arrayNode(1);
    if (!value.isMissingNode()) a.add(value);
    return a;
  }

  // ------------------------------------------------------------------ close

  /**
   * Stops handling messages, forgets the broadcast-ack requests and fails the other requests
   * still waiting ({@code IllegalStateException}). A transport overrides it to unsubscribe, and
   * calls it. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    ackRequests.clear();
    serial.execute(() -> {
      for (Request<?> r : List.copyOf(requests.values())) r.abandon(closedException());
    });
  }
}
