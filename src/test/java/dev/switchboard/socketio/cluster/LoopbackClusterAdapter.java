package dev.switchboard.socketio.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.socketio.adapter.AckSink;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.adapter.SocketDetails;
import dev.switchboard.socketio.cluster.LoopbackMessage.AllRooms;
import dev.switchboard.socketio.cluster.LoopbackMessage.AllRoomsResponse;
import dev.switchboard.socketio.cluster.LoopbackMessage.Broadcast;
import dev.switchboard.socketio.cluster.LoopbackMessage.BroadcastAck;
import dev.switchboard.socketio.cluster.LoopbackMessage.BroadcastClientCount;
import dev.switchboard.socketio.cluster.LoopbackMessage.DisconnectSockets;
import dev.switchboard.socketio.cluster.LoopbackMessage.FetchSockets;
import dev.switchboard.socketio.cluster.LoopbackMessage.FetchSocketsResponse;
import dev.switchboard.socketio.cluster.LoopbackMessage.ServerSideEmit;
import dev.switchboard.socketio.cluster.LoopbackMessage.ServerSideEmitResponse;
import dev.switchboard.socketio.cluster.LoopbackMessage.SocketsJoinOrLeave;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * A cluster adapter over a {@link LoopbackBus}, built the way a Redis adapter is — socket.io-adapter's
 * {@code ClusterAdapter}, in our own words — so that the adapter API is specified by what a real
 * cluster adapter needs of it ({@code AdapterContractTest}), without Redis:
 *
 * <ul>
 *   <li>membership and local delivery are the in-memory adapter's (it extends it, as Node's cluster
 *       adapters extend the in-memory one), connection state recovery included — per node, as with
 *       Node's classic Redis adapter;</li>
 *   <li>what reaches other nodes — broadcasts, joins, leaves, disconnections — is published, unless
 *       the flags say {@code local}, and then done here;</li>
 *   <li>what asks other nodes — {@code fetchSockets}, {@code allRooms}, server-side emits with acks,
 *       broadcast acks — counts them with {@link #serverCount()} (the bus's subscribers, as NUMSUB
 *       does), expects {@code count − 1} answers and fails after the flags' timeout, or
 *       {@code requestsTimeout}, with {@link ClusterRequestTimeoutException};</li>
 *   <li>every message from the bus thread and every timer is handed to the namespace's completion
 *       executor (through one serial executor, so that messages keep their order); every future
 *       completes there.</li>
 * </ul>
 *
 * <p>Threading: any thread; requests are guarded by their own monitor, the rest is the in-memory
 * adapter's.
 */
public final class LoopbackClusterAdapter extends InMemoryAdapter implements LoopbackBus.Subscriber {
  /** Node's default request timeout (socket.io-adapter {@code DEFAULT_TIMEOUT}, Redis {@code requestsTimeout}). */
  public static final Duration DEFAULT_REQUESTS_TIMEOUT = Duration.ofSeconds(5);

  private final LoopbackBus bus;
  private final String uid;
  private final Duration requestsTimeout;
  private final Executor completions;
  /** Messages from the bus, one at a time, in bus order, off the bus thread. */
  private final SerialExecutor incoming;
  private final AtomicLong requestIds = new AtomicLong();
  private final Map<String, Request<?>> requests = new ConcurrentHashMap<>();
  private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private record AckRequest(IntConsumer clientCount, AckSink acks) {}

  /** A factory of adapters on {@code bus} with Node's default request timeout. */
  public static AdapterFactory factory(LoopbackBus bus) {
    return factory(bus, DEFAULT_REQUESTS_TIMEOUT);
  }

  /** A factory of adapters on {@code bus} whose requests wait at most {@code requestsTimeout}. */
  public static AdapterFactory factory(LoopbackBus bus, Duration requestsTimeout) {
    return ns -> new LoopbackClusterAdapter(ns, bus, requestsTimeout);
  }

  LoopbackClusterAdapter(AdapterNamespace namespace, LoopbackBus bus, Duration requestsTimeout) {
    super(namespace);
    this.bus = bus;
    this.uid = bus.nextUid();
    this.requestsTimeout = requestsTimeout;
    this.completions = namespace.completions();
    this.incoming = new SerialExecutor(completions);
    bus.subscribe(namespace.name(), this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Requests and broadcast-ack requests still waiting (the redis-adapter tests check it falls back to 0). */
  public int pendingRequests() {
    return requests.size() + ackRequests.size();
  }

  private String nextRequestId() {
    return uid + ":" + requestIds.incrementAndGet();
  }

  // ------------------------------------------------------------------ what reaches the other nodes

  @Override
  public void broadcast(SocketIoPacket packet, BroadcastOptions options) {
    if (!options.flags().local()) bus.publish(new Broadcast(uid, namespace.name(), packet, options, null));
    super.broadcast(packet, options);
  }

  @Override
  public Cancellable broadcastWithAck(SocketIoPacket packet, BroadcastOptions options, IntConsumer clientCount,
      AckSink acks) {
    Cancellable forget = Cancellable.NONE;
    if (!options.flags().local()) {
      String requestId = nextRequestId();
      ackRequests.put(requestId, new AckRequest(clientCount, acks));
      bus.publish(new Broadcast(uid, namespace.name(), packet, options, requestId));
      forget = () -> ackRequests.remove(requestId);
    }
    super.broadcastWithAck(packet, options, clientCount, acks);
    return forget;
  }

  @Override
  public void addSockets(BroadcastOptions options, Set<String> rooms) {
    if (!options.flags().local()) bus.publish(new SocketsJoinOrLeave(uid, namespace.name(), options, rooms, true));
    super.addSockets(options, rooms);
  }

  @Override
  public void delSockets(BroadcastOptions options, Set<String> rooms) {
    if (!options.flags().local()) bus.publish(new SocketsJoinOrLeave(uid, namespace.name(), options, rooms, false));
    super.delSockets(options, rooms);
  }

  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    if (!options.flags().local()) bus.publish(new DisconnectSockets(uid, namespace.name(), options, close));
    super.disconnectSockets(options, close);
  }

  @Override
  public void serverSideEmit(ArrayNode packet) {
    bus.publish(new ServerSideEmit(uid, namespace.name(), packet, null));
  }

  // ------------------------------------------------------------------ what asks the other nodes

  @Override
  public CompletableFuture<Integer> serverCount() {
    CompletableFuture<Integer> out = new CompletableFuture<>();
    Runnable release = bus.hold(); // what depends on the count (a request's timer, its publication) is in flight too
    bus.subscribers(namespace.name()).whenComplete((n, e) -> completions.execute(() -> {
      try {
        if (e != null) out.completeExceptionally(e);
        else out.complete(n);
      } finally {
        release.run();
      }
    }));
    return out;
  }

  @Override
  public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
    List<SocketDetails> local = super.fetchSockets(options).join();
    if (options.flags().local()) return CompletableFuture.completedFuture(local);
    Duration timeout = options.flags().timeout().orElse(requestsTimeout);
    return ask(timeout, local, false, requestId -> new FetchSockets(uid, namespace.name(), options, requestId));
  }

  @Override
  public CompletableFuture<Set<String>> allRooms() {
    return ask(requestsTimeout, new ArrayList<>(rooms()), false, requestId -> new AllRooms(uid, namespace.name(), requestId))
        .thenApply(LinkedHashSet::new);
  }

  @Override
  public CompletableFuture<List<ArrayNode>> serverSideEmitWithAck(ArrayNode packet, Duration timeout) {
    return ask(timeout, new ArrayList<ArrayNode>(), true, requestId -> new ServerSideEmit(uid, namespace.name(), packet, requestId));
  }

  /**
   * Counts the servers, then publishes the request {@code make} builds and collects one answer from
   * each other server into {@code collected}; completes with it when all answered, at once when
   * there is no other server, or fails after {@code timeout}.
   */
  private <T> CompletableFuture<List<T>> ask(Duration timeout, List<T> collected, boolean timeoutCarriesAnswers,
      java.util.function.Function<String, LoopbackMessage> make) {
    CompletableFuture<List<T>> result = new CompletableFuture<>();
    serverCount().whenComplete((servers, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
        return;
      }
      int expected = servers - 1;
      if (expected <= 0) {
        result.complete(collected);
        return;
      }
      String requestId = nextRequestId();
      Request<T> request = new Request<>(requestId, expected, collected, timeoutCarriesAnswers, result);
      requests.put(requestId, request);
      request.timer = namespace.scheduler().schedule(timeout, () -> completions.execute(request::timeOut));
      bus.publish(make.apply(requestId));
    });
    return result;
  }

  /** One request waiting for the other servers' answers. Guarded by this. */
  private final class Request<T> {
    final String id;
    final int expected;
    final List<T> collected;
    final boolean timeoutCarriesAnswers;
    final CompletableFuture<List<T>> result;
    int received;
    volatile Cancellable timer = Cancellable.NONE;

    Request(String id, int expected, List<T> collected, boolean timeoutCarriesAnswers, CompletableFuture<List<T>> result) {
      this.id = id;
      this.expected = expected;
      this.collected = collected;
      this.timeoutCarriesAnswers = timeoutCarriesAnswers;
      this.result = result;
    }

    /** The incoming executor: one server's answer. */
    void answer(List<T> values) {
      List<T> all;
      synchronized (this) {
        if (received >= expected) return;
        collected.addAll(values);
        received++;
        if (received < expected) return;
        all = List.copyOf(collected);
      }
      requests.remove(id, this);
      timer.cancel();
      result.complete(all);
    }

    /** The completion executor, after the timer fired. */
    @SuppressWarnings("unchecked")
    void timeOut() {
      if (!requests.remove(id, this)) return;
      ClusterRequestTimeoutException e;
      synchronized (this) {
        e = new ClusterRequestTimeoutException(received, expected,
            timeoutCarriesAnswers ? (List<ArrayNode>) List.copyOf(collected) : List.of());
      }
      result.completeExceptionally(e);
    }

    void fail(Exception e) {
      if (!requests.remove(id, this)) return;
      timer.cancel();
      result.completeExceptionally(e);
    }
  }

  // ------------------------------------------------------------------ what the other nodes send

  /** The bus thread: hands the message to this node's executor, in bus order. */
  @Override
  public void receive(LoopbackMessage message, Runnable handled) {
    incoming.execute(() -> {
      try {
        if (!closed) handle(message);
      } finally {
        handled.run();
      }
    });
  }

  @SuppressWarnings("unchecked")
  private void handle(LoopbackMessage message) {
    String nsp = namespace.name();
    if (message instanceof Broadcast b) {
      if (b.requestId() == null) {
        super.broadcast(b.packet(), b.options());
        return;
      }
      super.broadcastWithAck(b.packet(), b.options(),
          n -> bus.respond(b.uid(), new BroadcastClientCount(uid, nsp, b.requestId(), n)),
          new AckSink() {
            @Override
            public void onAck(String socketId, ArrayNode args) {
              bus.respond(b.uid(), new BroadcastAck(uid, nsp, b.requestId(), args));
            }

            @Override
            public void onDisconnect(String socketId) {
              // Nothing on the wire says so (Node's neither): the asker's timeout ends the wait.
            }
          });
    } else if (message instanceof SocketsJoinOrLeave j) {
      if (j.join()) super.addSockets(j.options(), j.rooms());
      else super.delSockets(j.options(), j.rooms());
    } else if (message instanceof DisconnectSockets d) {
      super.disconnectSockets(d.options(), d.close());
    } else if (message instanceof FetchSockets f) {
      bus.respond(f.uid(), new FetchSocketsResponse(uid, nsp, f.requestId(), super.fetchSockets(f.options()).join()));
    } else if (message instanceof ServerSideEmit e) {
      namespace.dispatchServerSideEmit(e.packet(), e.requestId() == null ? null
          : args -> bus.respond(e.uid(), new ServerSideEmitResponse(uid, nsp, e.requestId(), args)));
    } else if (message instanceof AllRooms a) {
      bus.respond(a.uid(), new AllRoomsResponse(uid, nsp, a.requestId(), rooms()));
    } else if (message instanceof BroadcastClientCount c) {
      AckRequest r = ackRequests.get(c.requestId());
      if (r != null) r.clientCount().accept(c.clientCount());
    } else if (message instanceof BroadcastAck a) {
      AckRequest r = ackRequests.get(a.requestId());
      if (r != null) r.acks().onAck(null, a.args());
    } else if (message instanceof FetchSocketsResponse f) {
      answer(f.requestId(), (List<Object>) (List<?>) f.sockets());
    } else if (message instanceof ServerSideEmitResponse r) {
      answer(r.requestId(), List.of(r.args()));
    } else if (message instanceof AllRoomsResponse r) {
      answer(r.requestId(), new ArrayList<>(r.rooms()));
    }
  }

  @SuppressWarnings("unchecked")
  private void answer(String requestId, List<Object> values) {
    Request<Object> r = (Request<Object>) requests.get(requestId);
    if (r != null) r.answer(values); // an answer to a request that ended (or never was) is ignored
  }

  /** Leaves the bus; what still waits fails at once. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    bus.unsubscribe(namespace.name(), this);
    ackRequests.clear();
    for (Request<?> r : List.copyOf(requests.values())) {
      completions.execute(() -> r.fail(new IllegalStateException("the adapter of " + namespace.name() + " was closed")));
    }
  }
}
