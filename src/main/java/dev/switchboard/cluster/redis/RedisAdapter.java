package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.ClusterMetrics;
import dev.switchboard.cluster.ClusterMetrics.Drop;
import dev.switchboard.cluster.WireFlags;
import dev.switchboard.cluster.WireHandshake;
import dev.switchboard.cluster.WireOptions;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.socketio.adapter.AckSink;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.adapter.SocketDetails;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic Redis adapter, wire-compatible with {@code @socket.io/redis-adapter} 8.3: Switchboard
 * servers and Node socket.io servers on one Redis, with the same {@code key}, deliver each other's
 * broadcasts (binary included), broadcast acks, {@code fetchSockets}, {@code socketsJoin}/{@code
 * socketsLeave}/{@code disconnectSockets}, {@code allRooms} and {@code serverSideEmit} with and
 * without acks. One adapter per namespace, as in Node; every adapter of a server shares the
 * server's one {@link RedisLink}.
 *
 * <pre>{@code
 * RedisLink link = RedisLink.connect("redis://127.0.0.1:6379");        // one per server
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder()
 *     .adapter(RedisAdapter.factory(link, RedisAdapterOptions.builder().key("chat").build()))
 *     .build());
 * io.listen(3000);
 * // ...
 * io.close();     // closes the adapters: they unsubscribe and fail what still waits
 * link.close();   // the link's owner closes it
 * }</pre>
 *
 * <p><b>On the wire</b> (spec-notes/cluster.md §The classic Redis adapter, {@code lib/index.ts} of
 * 8.3.0): broadcasts are the notepack tuple {@code [uid, packet, opts]} on {@code <key>#<nsp>#}, or
 * on {@code <key>#<nsp>#<room>#} for exactly one room; every node subscribes to the pattern {@code
 * <key>#<nsp>#*} and drops, before decoding, a room it has no member in (lib/index.ts 202–213).
 * Requests go to {@code <key>-request#<nsp>#} (JSON, but notepack for a broadcast with acks), answers
 * to {@code <key>-response#<nsp>#} or, with {@code publishOnSpecificResponseChannel}, the asker's
 * {@code <key>-response#<nsp>#<uid>#}; a node subscribes to all three. Servers are counted with
 * {@code PUBSUB NUMSUB} of the request channel; a request waits for {@code count − 1} answers.
 *
 * <p><b>Local first.</b> What the local sockets get never waits for Redis: a broadcast is delivered
 * here as soon as it is published (the publish is asynchronous), joins, leaves and disconnections
 * apply here at once (Node applies its own only when Redis echoes them back), and this node's own
 * messages, echoed by Redis, are ignored by uid or request id.
 *
 * <p><b>When Redis goes away</b>: local delivery goes on; what is published meanwhile is lost for
 * the other nodes (pub/sub keeps nothing) and counted ({@link ClusterMetrics#publishFailures()});
 * the link reconnects and re-subscribes by itself, and remote delivery resumes. {@link
 * #serverCount()} answers the last count Redis gave (at least two when it never gave one: the
 * other nodes are presumably still there, only unreachable), so a request made during the outage
 * — {@code fetchSockets}, {@code allRooms}, {@code serverSideEmitWithAck}, a broadcast with acks —
 * waits for answers that cannot come and fails with its timeout: {@link
 * ClusterRequestTimeoutException} ({@code timeout reached: only 0 responses received out of N}),
 * or the broadcast operator's {@code AckTimeoutException}. The link logs one line per outage.
 *
 * <p><b>Hostile peers</b>: whatever another node publishes is decoded by {@link ClassicCodec},
 * which checks every field; a message that is not one of 8.3's shapes, of an unknown type, or an
 * answer to no pending request is dropped with a FINE log line and counted in the link's {@link
 * ClusterMetrics} by reason. Pending requests are bounded ({@link
 * RedisAdapterOptions#maxPendingRequests()}) and removed on timeout; messages waiting to be
 * handled are bounded in bytes ({@link RedisAdapterOptions#maxQueuedBytes()}), beyond which they
 * are dropped on arrival.
 *
 * <p><b>Threading</b> (spec-notes/threading.md): the public methods may be called from any thread
 * (membership is the {@link InMemoryAdapter}'s, requests are in concurrent maps and guarded by
 * their own monitors). Lettuce calls the subscription handlers on its event loops ({@code
 * switchboard-redis-*}); they only count the message and hand it to this adapter's {@link
 * SerialExecutor} over {@link AdapterNamespace#completions()} (the server's worker pool), which
 * handles messages one at a time in Redis's order — decoding, local delivery, answers, the
 * namespace's server-side event handlers (themselves on the namespace's own executor). Timer
 * tasks only hand work to the completion executor; every future this adapter returns completes
 * there, never on a Lettuce or timer thread.
 */
public final class RedisAdapter extends InMemoryAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RedisAdapter.class);
  private static final ClassicCodec CODEC = new ClassicCodec();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The least a queued message is charged, for the queue's own cost per message. */
  private static final int MIN_CHARGE = 256;
  /** How long before a failed subscription (Redis away when the namespace was made) is tried again. */
  private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(1);
  private static final char[] ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final RedisLink link;
  private final RedisAdapterOptions options;
  private final ClassicChannels channels;
  private final ClusterMetrics metrics;
  private final String uid;
  private final String broadcastChannel;
  private final String requestChannel;
  private final String responseChannel;
  private final String ownResponseChannel;
  /**
   * How this adapter's own broadcasts, JSON requests and notepack requests begin (Redis echoes them
   * back): recognised before decoding, so that a node does not decode every broadcast it sends.
   */
  private final byte[] ownBroadcastPrefix;
  private final byte[] ownJsonRequestPrefix;
  private final byte[] ownNotepackRequestPrefix;
  private final Executor completions;
  /** Messages from Redis, one at a time, in Redis's order, off Lettuce's threads. */
  private final SerialExecutor incoming;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Map<String, Request<?>> requests = new ConcurrentHashMap<>();
  private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  private final BiConsumer<Long, Throwable> publishOutcome;
  /** The last count {@code PUBSUB NUMSUB} gave; 0 while none. */
  private volatile int lastServerCount;
  private volatile Cancellable resubscribe = Cancellable.NONE;
  private volatile boolean closed;

  /** A broadcast with acks this node sent, waiting for the other nodes' counts and answers. */
  private static final class AckRequest {
    final IntConsumer clientCount;
    final AckSink acks;
    volatile Cancellable timer = Cancellable.NONE;

    AckRequest(IntConsumer clientCount, AckSink acks) {
      this.clientCount = clientCount;
      this.acks = acks;
    }
  }

  /** A factory of adapters on {@code link} with Node's defaults ({@link RedisAdapterOptions#DEFAULTS}). */
  public static AdapterFactory factory(RedisLink link) {
    return factory(link, RedisAdapterOptions.DEFAULTS);
  }

  /**
   * A factory of adapters on {@code link} with {@code options}: give it to {@code
   * SocketIoOptions.builder().adapter(...)} or {@code SocketIoServer.adapter(...)}. The link stays
   * the caller's to close, after the server.
   */
  public static AdapterFactory factory(RedisLink link, RedisAdapterOptions options) {
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(options, "options");
    return namespace -> new RedisAdapter(namespace, link, options);
  }

  private RedisAdapter(AdapterNamespace namespace, RedisLink link, RedisAdapterOptions options) {
    super(namespace);
    this.link = link;
    this.options = options;
    this.channels = new ClassicChannels(options.key(), namespace.name());
    this.metrics = link.metrics();
    this.uid = randomId(6); // lib/index.ts 130: uid2(6)
    this.broadcastChannel = channels.broadcast();
    this.requestChannel = channels.request();
    this.responseChannel = channels.response();
    this.ownResponseChannel = channels.response(uid);
    byte[] id = uid.getBytes(StandardCharsets.US_ASCII);
    this.ownBroadcastPrefix = concat(new byte[] {(byte) 0x93, (byte) 0xa6}, id); // [uid, …: fixarray 3, fixstr 6
    this.ownJsonRequestPrefix = concat("{\"uid\":\"".getBytes(StandardCharsets.US_ASCII), id, new byte[] {'"'});
    this.ownNotepackRequestPrefix = concat(new byte[] {(byte) 0x85, (byte) 0xa3, 'u', 'i', 'd', (byte) 0xa6}, id);
    this.completions = namespace.completions();
    this.incoming = new SerialExecutor(completions);
    ClusterMetrics m = metrics;
    this.publishOutcome = (receivers, error) -> {
      if (error != null) m.recordPublishFailure(); // the link logs the outage once; no line per message
    };
    subscribe();
  }

  /** This adapter's id on the wire (6 characters, as Node's); its own messages carry it. */
  public String uid() {
    return uid;
  }

  /** The counters this adapter records into: its link's. */
  public ClusterMetrics metrics() {
    return metrics;
  }

  /**
   * Completes once the adapter's subscriptions are in place (at once in practice; later when Redis
   * was away as the namespace was made). Until then this node does not hear the others.
   */
  public CompletableFuture<Void> subscribed() {
    return subscribed;
  }

  /** Requests and broadcasts with acks still waiting for other nodes (0 once everything is answered). */
  public int pendingRequests() {
    return requests.size() + ackRequests.size();
  }

  /** Messages received but not handled yet, in bytes as charged against {@link RedisAdapterOptions#maxQueuedBytes()}. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  // ------------------------------------------------------------------ subscriptions

  /** Any thread: (re)subscribes; on failure tries again later, until closed. */
  private void subscribe() {
    if (closed) return;
    CompletableFuture<Void> pattern = link.psubscribe(this::onBroadcastMessage, channels.broadcastPattern());
    CompletableFuture<Void> plain = link.subscribe(this::onChannelMessage, requestChannel, responseChannel, ownResponseChannel);
    CompletableFuture.allOf(pattern, plain).whenComplete((ok, error) -> {
      if (error == null) {
        completions.execute(() -> subscribed.complete(null));
        return;
      }
      if (closed) return;
      LOG.debug("subscriptions of {} failed, trying again: {}", namespace.name(), String.valueOf(error));
      resubscribe = namespace.scheduler().schedule(RESUBSCRIBE_DELAY, () -> completions.execute(this::subscribe));
    });
  }

  /** Lettuce's thread: a message of the pattern subscription (a broadcast channel). */
  private void onBroadcastMessage(String channel, byte[] message) {
    arrive(channel, message, true);
  }

  /** Lettuce's thread: a message of the request or a response channel. */
  private void onChannelMessage(String channel, byte[] message) {
    arrive(channel, message, false);
  }

  /** Lettuce's thread: counts the message and hands it to the serial executor, unless the queue is full. */
  private void arrive(String channel, byte[] message, boolean broadcast) {
    metrics.recordReceived();
    if (closed) return;
    long charge = Math.max(message.length, MIN_CHARGE);
    if (queuedBytes.addAndGet(charge) > options.maxQueuedBytes()) {
      queuedBytes.addAndGet(-charge);
      drop(Drop.OVERLOADED, channel, "more than " + options.maxQueuedBytes() + " bytes wait to be handled");
      return;
    }
    incoming.execute(() -> {
      queuedBytes.addAndGet(-charge);
      if (closed) return;
      try {
        if (broadcast) handleBroadcast(channel, message);
        else if (channel.equals(requestChannel)) handleRequest(message);
        else handleResponse(message);
      } catch (ClusterMessageException e) {
        drop(reasonOf(e), channel, e.getMessage());
      } catch (IllegalArgumentException e) {
        // A packet the codec accepts but local delivery refuses (e.g. more binary attachments than
        // a client may be sent): the peer's, not ours.
        drop(Drop.MALFORMED, channel, e.getMessage());
      }
    });
  }

  private static Drop reasonOf(ClusterMessageException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("unknown request type") || m.startsWith("unknown message type")) return Drop.UNKNOWN_TYPE;
    if (m.startsWith("answer to no pending request")) return Drop.UNKNOWN_REQUEST;
    return Drop.MALFORMED;
  }

  private void drop(Drop reason, String channel, String why) {
    metrics.recordDropped(reason);
    if (LOG.isDebugEnabled()) {
      LOG.debug("dropped a message on " + channel + " (" + reason.metricName() + "): " + why);
    }
  }

  // ------------------------------------------------------------------ what other nodes send

  /** Incoming executor: a broadcast (lib/index.ts 202–231). */
  private void handleBroadcast(String channel, byte[] message) {
    Optional<String> room = channels.roomOf(channel);
    if (room.isEmpty()) {
      drop(Drop.MALFORMED, channel, "not a broadcast channel of " + namespace.name());
      return;
    }
    String r = room.get();
    if (!r.isEmpty() && !hasRoom(r)) return; // no local member: not even decoded
    if (startsWith(message, ownBroadcastPrefix)) return; // our own, delivered here already
    ClassicBroadcast b = CODEC.decodeBroadcast(message);
    if (b.uid().equals(uid)) return; // our own, delivered here already
    if (!b.packet().namespace().equals(namespace.name())) {
      drop(Drop.MALFORMED, channel, "a packet of namespace " + b.packet().namespace() + " on " + namespace.name() + "'s channel");
      return;
    }
    super.broadcast(b.packet(), localOptions(b.opts()));
  }

  /** Incoming executor: a request (lib/index.ts 244–471). */
  private void handleRequest(byte[] message) {
    if (startsWith(message, ownJsonRequestPrefix) || startsWith(message, ownNotepackRequestPrefix)) return; // our own
    ClassicRequest request = CODEC.decodeRequest(message);
    if (request.uid().equals(uid)) return; // our own, done here already (or waiting for the others)
    if (request instanceof ClassicRequest.BroadcastWithAck b) {
      if (!b.packet().namespace().equals(namespace.name())) throw new ClusterMessageException("BROADCAST request: packet of another namespace");
      answerBroadcast(b);
    } else if (request instanceof ClassicRequest.RemoteJoin j) {
      super.addSockets(localOptions(j.opts()), Set.copyOf(j.rooms()));
    } else if (request instanceof ClassicRequest.RemoteLeave l) {
      super.delSockets(localOptions(l.opts()), Set.copyOf(l.rooms()));
    } else if (request instanceof ClassicRequest.RemoteDisconnect d) {
      super.disconnectSockets(localOptions(d.opts()), d.close());
    } else if (request instanceof ClassicRequest.RemoteFetch f) {
      publishResponse(f.uid(), new ClassicResponse.FetchSockets(f.requestId(), wireSockets(super.fetchSockets(localOptions(f.opts())).join())));
    } else if (request instanceof ClassicRequest.AllRooms a) {
      publishResponse(a.uid(), new ClassicResponse.AllRooms(a.requestId(), List.copyOf(rooms())));
    } else if (request instanceof ClassicRequest.ServerSideEmit e) {
      namespace.dispatchServerSideEmit(e.data(), null);
    } else if (request instanceof ClassicRequest.ServerSideEmitWithAck e) {
      // Always on the shared response channel, whatever publishOnSpecificResponseChannel says (lib/index.ts 415–422).
      namespace.dispatchServerSideEmit(e.data(), args -> publish(responseChannel,
          CODEC.encode(new ClassicResponse.ServerSideEmit(e.requestId(), first(args)))));
    } else if (request instanceof ClassicRequest.Sockets s) {
      publishResponse(s.uid(), new ClassicResponse.Sockets(s.requestId(),
          List.copyOf(sockets(new BroadcastOptions(Set.copyOf(s.rooms()), Set.of(), BroadcastFlags.NONE)))));
    } else if (request instanceof ClassicRequest.LegacyRemoteJoin j) {
      if (namespace.socket(j.sid()) == null) return; // only the socket's node answers
      namespace.join(j.sid(), Set.of(j.room()));
      publishResponse(j.uid(), new ClassicResponse.Done(j.requestId()));
    } else if (request instanceof ClassicRequest.LegacyRemoteLeave l) {
      if (namespace.socket(l.sid()) == null) return;
      namespace.leave(l.sid(), Set.of(l.room()));
      publishResponse(l.uid(), new ClassicResponse.Done(l.requestId()));
    } else if (request instanceof ClassicRequest.LegacyRemoteDisconnect d) {
      if (namespace.socket(d.sid()) == null) return;
      namespace.disconnect(d.sid(), d.close());
      publishResponse(d.uid(), new ClassicResponse.Done(d.requestId()));
    }
  }

  /**
   * Another node's broadcast with acks: delivered to the local targets, answered with how many
   * they are (type 8) and then each client's first ack argument (type 9), as lib/index.ts 428–467.
   */
  private void answerBroadcast(ClassicRequest.BroadcastWithAck b) {
    String asker = b.uid();
    String requestId = b.requestId();
    super.broadcastWithAck(b.packet(), localOptions(b.opts()),
        count -> publishResponse(asker, new ClassicResponse.BroadcastClientCount(requestId, count)),
        new AckSink() {
          @Override
          public void onAck(String socketId, ArrayNode args) {
            publishResponse(asker, new ClassicResponse.BroadcastAck(requestId, first(args)));
          }

          @Override
          public void onDisconnect(String socketId) {
            // Nothing on the wire says so (Node's neither): the asker's timeout ends its wait.
          }
        });
  }

  /** Incoming executor: an answer to one of this node's requests (lib/index.ts 493–609). */
  private void handleResponse(byte[] message) {
    ClassicResponse response = CODEC.decodeResponse(message, this::pendingType);
    String id = response.requestId();
    if (response instanceof ClassicResponse.BroadcastClientCount c) {
      AckRequest r = ackRequests.get(id);
      if (r != null) r.clientCount.accept((int) Math.min(c.clientCount(), Integer.MAX_VALUE));
    } else if (response instanceof ClassicResponse.BroadcastAck a) {
      AckRequest r = ackRequests.get(id);
      if (r != null) r.acks.onAck(null, asArgs(a.packet()));
    } else if (response instanceof ClassicResponse.FetchSockets f) {
      List<SocketDetails> sockets = new ArrayList<>(f.sockets().size());
      for (dev.switchboard.cluster.SocketDetails s : f.sockets()) {
        sockets.add(SocketDetails.of(s.id(), s.handshake().toTree(), Set.copyOf(s.rooms()), s.data()));
      }
      answer(id, sockets);
    } else if (response instanceof ClassicResponse.AllRooms a) {
      answer(id, a.rooms());
    } else if (response instanceof ClassicResponse.ServerSideEmit s) {
      answer(id, List.of(asArgs(s.data())));
    }
    // Sockets (0) and Done (legacy 2–4) answer requests this node never sends: no request waits.
  }

  /** The type of the request waiting under {@code requestId}, or null: what the codec reads an answer against. */
  private ClassicRequestType pendingType(String requestId) {
    if (ackRequests.containsKey(requestId)) return ClassicRequestType.BROADCAST;
    Request<?> r = requests.get(requestId);
    return r == null ? null : r.type;
  }

  @SuppressWarnings("unchecked")
  private <T> void answer(String requestId, List<T> values) {
    Request<T> r = (Request<T>) requests.get(requestId);
    if (r != null) r.answer(values); // a request that just ended: ignored
  }

  // ------------------------------------------------------------------ what reaches the other nodes

  /**
   * Publishes the broadcast to the other nodes (unless {@code local}) and delivers it to this
   * node's sockets; encoded once for Redis and once for the clients.
   */
  @Override
  public void broadcast(SocketIoPacket packet, BroadcastOptions options) {
    if (!options.flags().local() && !closed) {
      try {
        List<String> rooms = List.copyOf(options.rooms());
        WireOptions wire = new WireOptions(rooms, List.copyOf(options.except()), wireFlags(options.flags()));
        publish(rooms.size() == 1 ? channels.room(rooms.get(0)) : broadcastChannel,
            CODEC.encode(new ClassicBroadcast(uid, packet, wire)));
      } catch (ClusterMessageException e) {
        LOG.warn("a broadcast of " + namespace.name() + " cannot be published (delivered here only)", e);
      }
    }
    super.broadcast(packet, options);
  }

  /**
   * Publishes a BROADCAST request with a request id (unless {@code local}) and delivers to this
   * node's sockets; the other nodes' counts and answers reach {@code clientCount} and {@code acks}
   * until the returned handle is cancelled or the flags' timeout passes (lib/index.ts 641–683).
   */
  @Override
  public Cancellable broadcastWithAck(SocketIoPacket packet, BroadcastOptions options, IntConsumer clientCount,
      AckSink acks) {
    Cancellable forget = Cancellable.NONE;
    if (!options.flags().local() && !closed) {
      if (pendingRequests() >= this.options.maxPendingRequests()) {
        LOG.debug("{}: {} requests pending; a broadcast with acks goes out without collecting the "
            + "other nodes' answers", namespace.name(), pendingRequests());
      } else {
        forget = publishBroadcastWithAck(packet, options, clientCount, acks);
      }
    }
    super.broadcastWithAck(packet, options, clientCount, acks);
    return forget;
  }

  private Cancellable publishBroadcastWithAck(SocketIoPacket packet, BroadcastOptions options, IntConsumer clientCount,
      AckSink acks) {
    String requestId = newRequestId();
    byte[] bytes;
    try {
      bytes = CODEC.encode(new ClassicRequest.BroadcastWithAck(uid, requestId,
          new SocketIoPacket(packet.type(), packet.namespace(), packet.data(), SocketIoPacket.NO_ACK_ID),
          new WireOptions(List.copyOf(options.rooms()), List.copyOf(options.except()), wireFlags(options.flags()))));
    } catch (ClusterMessageException e) {
      LOG.warn("a broadcast with acks of " + namespace.name() + " cannot be published (delivered here only)", e);
      return Cancellable.NONE;
    }
    AckRequest request = new AckRequest(clientCount, acks);
    ackRequests.put(requestId, request);
    // Node forgets the request after flags.timeout (lib/index.ts 675–679); the operator's cancel
    // usually comes first. Without a timeout only the cancel (or close) forgets it.
    options.flags().timeout().ifPresent(t -> request.timer = namespace.scheduler().schedule(t,
        () -> completions.execute(() -> ackRequests.remove(requestId, request))));
    publish(requestChannel, bytes);
    return () -> {
      if (ackRequests.remove(requestId, request)) request.timer.cancel();
    };
  }

  /** REMOTE_JOIN to the other nodes (unless {@code local}), then the local sockets join. */
  @Override
  public void addSockets(BroadcastOptions options, Set<String> rooms) {
    if (!options.flags().local()) {
      publishRequest(new ClassicRequest.RemoteJoin(uid, wireOptions(options), List.copyOf(rooms)));
    }
    super.addSockets(options, rooms);
  }

  /** REMOTE_LEAVE to the other nodes (unless {@code local}), then the local sockets leave. */
  @Override
  public void delSockets(BroadcastOptions options, Set<String> rooms) {
    if (!options.flags().local()) {
      publishRequest(new ClassicRequest.RemoteLeave(uid, wireOptions(options), List.copyOf(rooms)));
    }
    super.delSockets(options, rooms);
  }

  /** REMOTE_DISCONNECT to the other nodes (unless {@code local}), then the local sockets go. */
  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    if (!options.flags().local()) publishRequest(new ClassicRequest.RemoteDisconnect(uid, wireOptions(options), close));
    super.disconnectSockets(options, close);
  }

  /** SERVER_SIDE_EMIT without a request id: the other nodes run their handlers, none answers. */
  @Override
  public void serverSideEmit(ArrayNode packet) {
    publishRequest(new ClassicRequest.ServerSideEmit(uid, packet));
  }

  // ------------------------------------------------------------------ what asks the other nodes

  /**
   * {@code PUBSUB NUMSUB} of the request channel: every node's subscription connection, this one
   * included (lib/index.ts 893–895). While Redis cannot answer, the last count it gave (2 if
   * none): see the class comment. Completes on the completion executor.
   */
  @Override
  public CompletableFuture<Integer> serverCount() {
    CompletableFuture<Integer> out = new CompletableFuture<>();
    link.numsub(requestChannel).whenComplete((n, error) -> completions.execute(() -> {
      if (error == null) {
        int count = (int) Math.max(1, Math.min(n, Integer.MAX_VALUE));
        lastServerCount = count;
        out.complete(count);
      } else {
        LOG.debug("{}: cannot count the servers ({}); assuming the last count", namespace.name(), String.valueOf(error));
        out.complete(assumedServerCount());
      }
    }));
    return out;
  }

  private int assumedServerCount() {
    int last = lastServerCount;
    return last > 0 ? last : 2;
  }

  /**
   * This node's selected sockets, then every other node's (REMOTE_FETCH, lib/index.ts 729–776),
   * unless {@code local}; fails with {@link ClusterRequestTimeoutException} after the flags'
   * timeout, or {@link RedisAdapterOptions#requestsTimeout()}, when a node did not answer.
   */
  @Override
  public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
    List<SocketDetails> local = super.fetchSockets(options).join();
    if (options.flags().local()) return CompletableFuture.completedFuture(local);
    WireOptions wire = wireOptions(options);
    return ask(ClassicRequestType.REMOTE_FETCH, options.flags().timeout().orElse(this.options.requestsTimeout()),
        new ArrayList<>(local), false, requestId -> new ClassicRequest.RemoteFetch(uid, requestId, wire));
  }

  /** Every node's rooms, socket id-rooms included (ALL_ROOMS, lib/index.ts 690–727). */
  @Override
  public CompletableFuture<Set<String>> allRooms() {
    return ask(ClassicRequestType.ALL_ROOMS, options.requestsTimeout(), new ArrayList<>(rooms()), false,
        requestId -> new ClassicRequest.AllRooms(uid, requestId))
        .thenApply(all -> Collections.unmodifiableSet(new LinkedHashSet<>(all)));
  }

  /** SERVER_SIDE_EMIT with a request id; each other node's answer is its handler's first ack argument. */
  @Override
  public CompletableFuture<List<ArrayNode>> serverSideEmitWithAck(ArrayNode packet, Duration timeout) {
    return ask(ClassicRequestType.SERVER_SIDE_EMIT, timeout, new ArrayList<ArrayNode>(), true,
        requestId -> new ClassicRequest.ServerSideEmitWithAck(uid, requestId, packet));
  }

  /**
   * A request to the other nodes: its deadline starts now; once the servers are counted it is
   * published and collects one answer from each other node into {@code collected}; completes with
   * it when all answered, at once when there is no other node, or fails at the deadline.
   */
  private <T> CompletableFuture<List<T>> ask(ClassicRequestType type, Duration timeout, List<T> collected,
      boolean timeoutCarriesAnswers, Function<String, ClassicRequest> make) {
    CompletableFuture<List<T>> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IllegalStateException("the Redis adapter of " + namespace.name() + " is closed"));
      return result;
    }
    if (pendingRequests() >= options.maxPendingRequests()) {
      result.completeExceptionally(new RejectedExecutionException(
          "too many cluster requests pending on " + namespace.name() + " (" + options.maxPendingRequests() + ")"));
      return result;
    }
    String requestId = newRequestId();
    Request<T> request = new Request<>(type, requestId, collected, timeoutCarriesAnswers, result);
    requests.put(requestId, request);
    request.timer = namespace.scheduler().schedule(timeout, () -> completions.execute(request::timeOut));
    serverCount().whenComplete((servers, error) -> {
      if (request.counted(servers)) publishRequest(make.apply(requestId));
    });
    return result;
  }

  /** One request waiting for the other nodes' answers. Guarded by this. */
  private final class Request<T> {
    final ClassicRequestType type;
    final String id;
    final List<T> collected;
    final boolean timeoutCarriesAnswers;
    final CompletableFuture<List<T>> result;
    /** Other nodes to hear from; -1 until counted. */
    int expected = -1;
    int received;
    boolean done;
    volatile Cancellable timer = Cancellable.NONE;

    Request(ClassicRequestType type, String id, List<T> collected, boolean timeoutCarriesAnswers,
        CompletableFuture<List<T>> result) {
      this.type = type;
      this.id = id;
      this.collected = collected;
      this.timeoutCarriesAnswers = timeoutCarriesAnswers;
      this.result = result;
    }

    /** Completion executor: the servers are counted; true when the request must be published. */
    boolean counted(int servers) {
      List<T> all;
      synchronized (this) {
        if (done) return false;
        expected = servers - 1;
        if (expected > 0) return true;
        done = true;
        all = List.copyOf(collected);
      }
      finish();
      result.complete(all);
      return false;
    }

    /** Incoming executor: one node's answer. */
    void answer(List<T> values) {
      List<T> all;
      synchronized (this) {
        if (done || expected < 0) return;
        collected.addAll(values);
        received++;
        if (received < expected) return;
        done = true;
        all = List.copyOf(collected);
      }
      finish();
      result.complete(all);
    }

    /** Completion executor, after the timer fired. */
    @SuppressWarnings("unchecked")
    void timeOut() {
      ClusterRequestTimeoutException e;
      synchronized (this) {
        if (done) return;
        done = true;
        int of = expected >= 0 ? expected : assumedServerCount() - 1;
        e = new ClusterRequestTimeoutException(received, of,
            timeoutCarriesAnswers ? (List<ArrayNode>) List.copyOf(collected) : List.of());
      }
      requests.remove(id, this);
      metrics.recordRequestTimedOut();
      result.completeExceptionally(e);
    }

    /** Any thread: ends the request with {@code error} (the adapter closed). */
    void fail(Exception error) {
      synchronized (this) {
        if (done) return;
        done = true;
      }
      finish();
      result.completeExceptionally(error);
    }

    private void finish() {
      requests.remove(id, this);
      timer.cancel();
    }
  }

  // ------------------------------------------------------------------ publishing

  private void publishRequest(ClassicRequest request) {
    if (closed) return;
    byte[] bytes;
    try {
      bytes = CODEC.encode(request);
    } catch (ClusterMessageException e) {
      LOG.warn("a " + request.type() + " request of " + namespace.name() + " cannot be published", e);
      return;
    }
    publish(requestChannel, bytes);
  }

  /** An answer to {@code askerUid}: the shared response channel, or its own (publishResponse, lib/index.ts 480–486). */
  private void publishResponse(String askerUid, ClassicResponse response) {
    if (closed) return;
    publish(options.publishOnSpecificResponseChannel() ? channels.response(askerUid) : responseChannel, CODEC.encode(response));
  }

  /** Asynchronous: the caller's thread only queues the command. */
  private void publish(String channel, byte[] bytes) {
    metrics.recordPublished();
    link.publish(channel, bytes).whenComplete(publishOutcome);
  }

  // ------------------------------------------------------------------ conversions

  /** How another node's options read here: its rooms and except as sets, its volatile and compress flags. */
  private static BroadcastOptions localOptions(WireOptions wire) {
    WireFlags f = wire.flags();
    BroadcastFlags flags = f.isEmpty() ? BroadcastFlags.NONE : new BroadcastFlags(f.isVolatile(), f.compress(), false);
    return new BroadcastOptions(Set.copyOf(wire.rooms()), Set.copyOf(wire.except()), flags);
  }

  /** Rooms and except as lists; flags are not sent with requests other than broadcasts. */
  private static WireOptions wireOptions(BroadcastOptions options) {
    return new WireOptions(List.copyOf(options.rooms()), List.copyOf(options.except()), WireFlags.NONE);
  }

  /** socket.io's flags object as its broadcast operator sets it: volatile, compress: false, timeout. */
  static WireFlags wireFlags(BroadcastFlags flags) {
    WireFlags w = WireFlags.NONE;
    if (flags.isVolatile()) w = w.with(WireFlags.Flag.VOLATILE, true);
    if (!flags.compress()) w = w.with(WireFlags.Flag.COMPRESS, false);
    if (flags.timeout().isPresent()) w = w.withTimeout(flags.timeout().get().toMillis());
    return w;
  }

  /** This node's sockets as a REMOTE_FETCH answer carries them (lib/index.ts 372–394); a socket whose handshake cannot travel is left out. */
  private List<dev.switchboard.cluster.SocketDetails> wireSockets(List<SocketDetails> local) {
    List<dev.switchboard.cluster.SocketDetails> out = new ArrayList<>(local.size());
    for (SocketDetails d : local) {
      try {
        out.add(dev.switchboard.cluster.SocketDetails.ofLocal(d)); // its own room first, as Node lists them
      } catch (ClusterMessageException e) {
        LOG.debug("socket {} left out of a fetchSockets answer: {}", d.id(), e.getMessage());
      }
    }
    return out;
  }

  /** The first ack argument, as Node's adapters forward it; missing (left out) when there is none. */
  private static JsonNode first(ArrayNode args) {
    return args.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : args.get(0);
  }

  /** One forwarded ack value as the arguments of an answer: [value], or [] when it was left out. */
  private static ArrayNode asArgs(JsonNode value) {
    ArrayNode a = NODES.arrayNode(1);
    if (!value.isMissingNode()) a.add(value);
    return a;
  }

  /** 6 characters, as Node's {@code uid2(6)} (lib/index.ts 652, 699, 743, 861); never one still pending here. */
  private String newRequestId() {
    String id;
    do {
      id = randomId(6);
    } while (requests.containsKey(id) || ackRequests.containsKey(id));
    return id;
  }

  private static boolean startsWith(byte[] message, byte[] prefix) {
    return message.length >= prefix.length && Arrays.equals(message, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** {@code n} characters of [A-Za-z0-9], as uid2 draws them. */
  private static String randomId(int n) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] c = new char[n];
    for (int i = 0; i < n; i++) c[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
    return new String(c);
  }

  // ------------------------------------------------------------------ close

  /**
   * Unsubscribes, forgets the broadcasts with acks and fails every request still waiting
   * ({@code IllegalStateException}, on the completion executor). Idempotent; the link stays open.
   */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    resubscribe.cancel();
    link.punsubscribe(channels.broadcastPattern());
    link.unsubscribe(requestChannel, responseChannel, ownResponseChannel);
    for (AckRequest a : ackRequests.values()) a.timer.cancel();
    ackRequests.clear();
    IllegalStateException closedError = new IllegalStateException("the Redis adapter of " + namespace.name() + " was closed");
    for (Request<?> r : List.copyOf(requests.values())) completions.execute(() -> r.fail(closedError));
  }
}
