package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.protocol.SocketIoParser;
import dev.switchboard.socketio.adapter.AdapterSocket;
import dev.switchboard.socketio.adapter.SocketDetails;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace: a communication channel multiplexed over the clients' connections
 * (socket.io-protocol §Namespaces), with its own handshake middlewares, connection handlers,
 * rooms and sockets.
 *
 * <pre>{@code
 * Namespace admin = io.of("/admin");
 * admin.use((socket, next) -> isAdmin(socket) ? next.proceed() : next.fail(new ConnectError("forbidden")));
 * admin.onConnection(socket -> socket.emit("hello"));
 * admin.to("ops").emit("alert", "disk full");
 * }</pre>
 *
 * <p>Threading: configure it before clients connect; the broadcast ({@link Broadcaster}) and
 * query methods may be called from any thread.
 */
public final class Namespace implements Broadcaster {
  private static final Logger LOG = LoggerFactory.getLogger(Namespace.class);

  private final String name;
  private final SocketIoServer server;
  /** Replaced only by {@link #replaceAdapter}, while the namespace has no socket. */
  private volatile Adapter adapter;
  private final ParentNamespace parent;
  /** What the adapter sees of this namespace (name, sockets by id, the ack counter). */
  private final AdapterNamespace adapterView = new AdapterNamespace() {
    @Override
    public String name() {
      return name;
    }

    @Override
    public AdapterSocket socket(String id) {
      return Namespace.this.socket(id);
    }

    @Override
    public long nextAckId() {
      return Namespace.this.nextAckId();
    }

    @Override
    public SocketDetails details(String socketId) {
      Socket s = sockets.get(socketId);
      return s == null ? null : new LocalSocketDetails(s);
    }

    @Override
    public void join(String socketId, Set<String> rooms) {
      Socket s = sockets.get(socketId);
      if (s != null) s.join(rooms);
    }

    @Override
    public void leave(String socketId, Set<String> rooms) {
      Socket s = sockets.get(socketId);
      if (s != null) s.leave(rooms);
    }

    @Override
    public void disconnect(String socketId, boolean close) {
      Socket s = sockets.get(socketId);
      if (s != null) s.disconnect(close);
    }

    @Override
    public void dispatchServerSideEmit(ArrayNode packet, Consumer<ArrayNode> ack) {
      serverSideEvents().execute(() -> onServerSideEmit(packet, ack));
    }

    @Override
    public Optional<Duration> maxDisconnectionDuration() {
      return server.options().recovery().map(SocketIoOptions.Recovery::maxDisconnectionDuration);
    }

    @Override
    public Scheduler scheduler() {
      return server.scheduler();
    }

    @Override
    public Executor completions() {
      return server.completions();
    }

    @Override
    public SocketIoParser parser() {
      return server.options().parser();
    }
  };
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
  /** {@code onServerSideEmit} handlers, in registration order. */
  private final List<ServerSideHandler> serverSideHandlers = new CopyOnWriteArrayList<>();
  /**
   * Where other servers' server-side events run: one at a time, in arrival order, on the worker
   * pool. Made on the first such event (most namespaces never get one).
   */
  private volatile SerialExecutor serverSideEvents;
  final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
  final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
  private final AtomicLong ackIds = new AtomicLong();

  private record ServerSideHandler(String event, EventHandler handler) {}

  /**
   * Event names a server-side emit may not use, as in Node ({@code namespace.ts} RESERVED_EVENTS):
   * a Node server would take them for its own lifecycle events.
   */
  private static final Set<String> RESERVED_SERVER_SIDE_EVENTS = Set.of("connect", "connection", "new_namespace");

  /** How long {@link #serverSideEmitWithAck(String, Object...)} waits: Node's cluster default. */
  public static final Duration DEFAULT_SERVER_SIDE_EMIT_TIMEOUT = Duration.ofSeconds(5);

  Namespace(String name, SocketIoServer server, ParentNamespace parent) {
    this.name = name;
    this.server = server;
    this.parent = parent;
    this.adapter = newAdapter(server.adapterFactory());
  }

  private Adapter newAdapter(AdapterFactory factory) {
    return Objects.requireNonNull(factory.create(adapterView), "the adapter factory returned null");
  }

  /**
   * Configuration: a new adapter from {@code factory}, the old one closed; the caller checked that
   * no socket is connected.
   */
  void replaceAdapter(AdapterFactory factory) {
    Adapter old = adapter;
    adapter = newAdapter(factory);
    closeAdapter(old);
  }

  /** The server closes, or this empty child of a dynamic namespace is removed: its adapter lets go. */
  void closeAdapter() {
    closeAdapter(adapter);
  }

  private void closeAdapter(Adapter a) {
    try {
      a.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the adapter of namespace " + name + " failed", e);
    }
  }

  /** The namespace's name, with its leading slash ("/" is the main namespace). */
  public String name() {
    return name;
  }

  SocketIoServer server() {
    return server;
  }

  /**
   * Every room with a member, on any server of the cluster (the classic Redis adapter's
   * {@code allRooms()}; in Node 4.x only {@code io.of("/").adapter.allRooms()} with that adapter):
   * this server's rooms in memory. Socket id-rooms are rooms too. Fails with the adapter's
   * {@code ClusterRequestTimeoutException} when a server does not answer.
   *
   * <pre>{@code io.of("/chat").allRooms().thenAccept(rooms -> log.info(rooms.size() + " rooms"));}</pre>
   */
  public CompletableFuture<Set<String>> allRooms() {
    return adapter.allRooms();
  }

  // ------------------------------------------------------------------ server-side events

  /**
   * Sends an event to the other servers of the cluster — never to this one — whose
   * {@link #onServerSideEmit} handlers for it run (Node's {@code serverSideEmit}). Nothing happens
   * with the in-memory adapter: there is no other server. Arguments are converted as
   * {@code emit} converts them.
   *
   * <pre>{@code io.of("/chat").serverSideEmit("user-banned", userId);}</pre>
   *
   * @throws IllegalArgumentException for the names Node reserves: "connect", "connection",
   *     "new_namespace"
   */
  public void serverSideEmit(String event, Object... args) {
    adapter.serverSideEmit(serverSidePacket(event, args));
  }

  /**
   * Sends an event to the other servers and completes with one answer from each (the arguments
   * its handler acknowledged with), within {@link #DEFAULT_SERVER_SIDE_EMIT_TIMEOUT}; see
   * {@link #serverSideEmitWithAck(Duration, String, Object...)}.
   */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Object... args) {
    return serverSideEmitWithAck(DEFAULT_SERVER_SIDE_EMIT_TIMEOUT, event, args);
  }

  /**
   * Sends an event to the other servers and completes with one answer from each, in arrival
   * order, once every server has answered — at once with none when there is no other server. If
   * some have not answered after {@code timeout}, it fails with the adapter's
   * {@code ClusterRequestTimeoutException} ("timeout reached: only N responses received out of
   * M"), which carries the answers received. Completes on the server's worker pool. Across Node's
   * Redis adapters each answer is the handler's first argument only.
   *
   * <pre>{@code
   * io.serverSideEmitWithAck(Duration.ofSeconds(2), "whoami")
   *     .thenAccept(answers -> answers.forEach(a -> log.info(a.get(0).toString())));
   * }</pre>
   */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    return adapter.serverSideEmitWithAck(serverSidePacket(event, args), timeout).thenApply(answers -> {
      List<Args> out = new ArrayList<>(answers.size());
      for (ArrayNode a : answers) out.add(new Args(a, 0));
      return out;
    });
  }

  private static ArrayNode serverSidePacket(String event, Object[] args) {
    Objects.requireNonNull(event, "event");
    if (RESERVED_SERVER_SIDE_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
    return Json.array(event, args);
  }

  /**
   * Handles an event another server sent with {@code serverSideEmit} (Node's
   * {@code io.on(event, ...)} on a namespace). The handler gets the arguments and an {@link Ack}:
   * when the sender waits for answers ({@link Ack#isRequested()}), the first {@code ack.send(...)}
   * of any handler is this server's answer. Handlers run on the namespace's own serial executor on
   * the worker pool, one event at a time, in arrival order.
   *
   * <pre>{@code io.onServerSideEmit("whoami", (args, ack) -> ack.send(Map.of("kind", "java", "id", nodeId)));}</pre>
   *
   * @throws IllegalArgumentException for the names Node reserves: "connect", "connection",
   *     "new_namespace"
   */
  public Namespace onServerSideEmit(String event, EventHandler handler) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(handler, "handler");
    if (RESERVED_SERVER_SIDE_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
    serverSideHandlers.add(new ServerSideHandler(event, handler));
    return this;
  }

  private SerialExecutor serverSideEvents() {
    SerialExecutor e = serverSideEvents;
    if (e != null) return e;
    synchronized (this) {
      if (serverSideEvents == null) serverSideEvents = new SerialExecutor(server.completions());
      return serverSideEvents;
    }
  }

  /** The server-side events' executor: one packet from another server, to its handlers. */
  private void onServerSideEmit(ArrayNode packet, Consumer<ArrayNode> answer) {
    JsonNode name = packet.path(0);
    if (!name.isTextual() || RESERVED_SERVER_SIDE_EVENTS.contains(name.textValue())) {
      LOG.debug("server-side event without a usable name ignored");
      return;
    }
    String event = name.textValue();
    Args args = new Args(packet, 1);
    Ack ack = answer == null ? Ack.NONE : new ServerSideAck(answer);
    for (ServerSideHandler h : serverSideHandlers) {
      if (!h.event().equals(event)) continue;
      try {
        h.handler().handle(args, ack);
      } catch (RuntimeException e) {
        LOG.warn("server-side handler for event '" + event + "' failed", e);
      }
    }
  }

  /** Answers one server-side event: only the first {@code send} goes back (Node's callback guard). */
  private static final class ServerSideAck implements Ack {
    private final Consumer<ArrayNode> answer;
    private final AtomicBoolean sent = new AtomicBoolean();

    ServerSideAck(Consumer<ArrayNode> answer) {
      this.answer = answer;
    }

    @Override
    public void send(Object... args) {
      if (sent.compareAndSet(false, true)) answer.accept(Json.array(null, args));
    }

    @Override
    public boolean isRequested() {
      return true;
    }
  }

  /** Rooms and fan-out of this namespace (Node's {@code nsp.adapter}): who is in which room. */
  public Adapter adapter() {
    return adapter;
  }

  /** The dynamic namespace this one was created from, or null. */
  public ParentNamespace parent() {
    return parent;
  }

  /** Adds a handshake middleware; they run in order for every connecting socket. */
  public Namespace use(Middleware middleware) {
    middlewares.add(middleware);
    return this;
  }

  /**
   * The handshake chain as it is now: a dynamic namespace's parent steps, then this namespace's
   * own (a copy: a middleware may add another meanwhile).
   */
  List<Middleware> handshakeChain() {
    if (parent == null) return List.copyOf(middlewares);
    List<Middleware> all = new ArrayList<>(parent.middlewares);
    all.addAll(middlewares);
    return List.copyOf(all);
  }

  /** Runs for every socket that connects (after the middlewares accepted it). */
  public Namespace onConnection(Consumer<Socket> handler) {
    connectionHandlers.add(handler);
    return this;
  }

  /** Connected sockets by id (a live, read-only view). */
  public Map<String, Socket> sockets() {
    return Collections.unmodifiableMap(sockets);
  }

  /** The connected socket with this id, or null. */
  Socket socket(String id) {
    return sockets.get(id);
  }

  /** Next id from the namespace-wide ack counter, shared by sockets and broadcasts (as in Node). */
  long nextAckId() {
    return ackIds.getAndIncrement();
  }

  void add(Socket socket) {
    sockets.put(socket.id(), socket);
  }

  void remove(Socket socket) {
    sockets.remove(socket.id(), socket);
    if (parent != null && sockets.isEmpty() && server.options().cleanupEmptyChildNamespaces()) {
      server.removeChild(this);
    }
  }

  // ------------------------------------------------------------------ broadcasting

  /** Every socket of this namespace; {@link Broadcaster}'s methods start from it. */
  @Override
  public BroadcastOperator operator() {
    return BroadcastOperator.of(List.of(this));
  }

  @Override
  public String toString() {
    return "Namespace{" + name + "}";
  }
}
