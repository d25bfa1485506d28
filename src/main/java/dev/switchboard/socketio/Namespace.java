package dev.switchboard.socketio;

import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.AdapterNamespace;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
  };
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
  final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
  final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
  private final AtomicLong ackIds = new AtomicLong();

  Namespace(String name, SocketIoServer server, ParentNamespace parent) {
    this.name = name;
    this.server = server;
    this.parent = parent;
    this.adapter = newAdapter(server.adapterFactory());
  }

  private Adapter newAdapter(AdapterFactory factory) {
    return Objects.requireNonNull(factory.create(adapterView), "the adapter factory returned null");
  }

  /** Configuration: a new adapter from {@code factory}; the caller checked that no socket is connected. */
  void replaceAdapter(AdapterFactory factory) {
    adapter = newAdapter(factory);
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
