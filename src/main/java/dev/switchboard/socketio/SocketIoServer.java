package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engineio.EngineIoHost;
import dev.switchboard.engineio.RequestFilter;
import dev.switchboard.engineio.EngineIoListener;
import dev.switchboard.engineio.EngineIoConnection;
import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.net.HttpHandler;
import dev.switchboard.net.HttpRouter;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.PersistedSession;
import dev.switchboard.socketio.adapter.RestoredSession;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO v5 server (socket.io-protocol revision 5 over Engine.IO v4), with the API of Node's
 * {@code socket.io} 4.x in Java form.
 *
 * <pre>{@code
 * SocketIoServer io = new SocketIoServer();
 * io.onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0))));
 * io.listen(3000);
 * }</pre>
 *
 * <p>Lifecycle: configure (namespaces, middlewares, handlers, extra HTTP routes) → {@link #listen}
 * → {@link #close}. Threading: configuration before {@code listen}; broadcasting and queries
 * from any thread afterwards.
 */
public final class SocketIoServer implements Broadcaster, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SocketIoServer.class);

  private final SocketIoOptions options;
  private final Scheduler scheduler;
  private final SystemScheduler ownedScheduler;
  private final SessionIdGenerator ids;
  private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
  private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
  /** {@link #onNewNamespace} listeners. */
  private final List<Consumer<Namespace>> newNamespaceListeners = new CopyOnWriteArrayList<>();
  /** Connection state recovery's settings; null when it is off. */
  private final SocketIoOptions.Recovery recovery;
  private final List<Consumer<HttpRouter>> routeRegistrations = new ArrayList<>();
  private volatile RequestFilter allowRequest;
  /** {@link #onConnectionError}'s observer (guarded by this, with {@link #host}), or null. */
  private java.util.function.Consumer<dev.switchboard.engineio.ConnectionError> connectionErrors;
  private volatile AdapterFactory adapterFactory;
  private volatile EngineIoHost host;
  private final Executor completions = this::complete;
  /** See {@link #completions()}; created on first use when not listening. */
  private volatile ExecutorService ownedCompletions;
  /** Connections closed by the Socket.IO layer, by {@link ClientCloseCause} ordinal. */
  private final java.util.concurrent.atomic.LongAdder[] closes = newCloseCounters();

  /** A server with Node's defaults ({@link SocketIoOptions#DEFAULTS}). */
  public SocketIoServer() {
    this(SocketIoOptions.DEFAULTS);
  }

  /** A server with these options, its own timer thread and random socket ids. */
  public SocketIoServer(SocketIoOptions options) {
    this(options, SessionIdGenerator.secureRandom(), null);
  }

  /**
   * A server on a clock and an id source of the caller's: tests pass a fake clock
   * ({@code FakeScheduler}) and predictable ids; the caller keeps ownership of the scheduler.
   */
  public SocketIoServer(SocketIoOptions options, Scheduler scheduler, SessionIdGenerator ids) {
    this(options, ids, Objects.requireNonNull(scheduler, "scheduler"));
  }

  /** {@code scheduler} null: the server runs (and closes) a timer thread of its own. */
  private SocketIoServer(SocketIoOptions options, SessionIdGenerator ids, Scheduler scheduler) {
    this.options = Objects.requireNonNull(options, "options");
    this.ownedScheduler = scheduler == null ? new SystemScheduler() : null;
    this.scheduler = scheduler == null ? ownedScheduler : scheduler;
    this.ids = Objects.requireNonNull(ids, "ids");
    this.adapterFactory = options.adapter();
    this.recovery = options.recovery().orElse(null);
    of("/");
  }

  /** The options this server was made with. */
  public SocketIoOptions options() {
    return options;
  }

  /** The clock and timer this server runs its heartbeats and timeouts on (the one given, or its own). */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Where the futures a broadcast hands out complete, so that their dependent stages never run on
   * the timer thread (a blocking {@code thenAccept} there would stall every heartbeat) nor on a
   * session's executor: the engine's worker pool while listening; otherwise (in memory, or on an
   * Engine.IO server of the embedder's) two daemon threads of this server's own, started on first
   * use and stopped by {@link #close}. Work handed over once the pool is shut down runs on the
   * caller's thread.
   */
  Executor completions() {
    return completions;
  }

  private void complete(Runnable task) {
    EngineIoHost h = host;
    Executor pool = h != null ? h.workers() : ownCompletions();
    try {
      pool.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // shutting down: completing here beats leaving the future pending for ever
    }
  }

  private ExecutorService ownCompletions() {
    ExecutorService pool = ownedCompletions;
    if (pool != null) return pool;
    synchronized (this) {
      if (ownedCompletions == null) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "switchboard-sio-completions-" + n.getAndIncrement());
          t.setDaemon(true);
          return t;
        });
        p.allowCoreThreadTimeOut(true);
        ownedCompletions = p;
      }
      return ownedCompletions;
    }
  }

  /** Whether connection state recovery is on (the adapters keep sessions and packets). */
  boolean recoveryOn() {
    return recovery != null;
  }

  /**
   * Replaces the adapter implementation (Node's {@code io.adapter(...)}): every namespace made
   * from now on gets one from {@code factory}, and every existing namespace — "/" included,
   * which the constructor made — gets a new one now. Configuration time only: once a namespace
   * has connected sockets their rooms live in the old adapter, so this refuses with
   * {@link IllegalStateException}. (Setting {@link SocketIoOptions.Builder#adapter} instead
   * avoids the question.)
   *
   * <pre>{@code
   * SocketIoServer io = new SocketIoServer().adapter(ns -> new MyAdapter(ns));
   * }</pre>
   */
  public synchronized SocketIoServer adapter(AdapterFactory factory) {
    Objects.requireNonNull(factory, "factory");
    for (Namespace ns : namespaces.values()) {
      if (!ns.sockets().isEmpty()) {
        throw new IllegalStateException("cannot replace the adapter: namespace " + ns.name() + " has "
            + ns.sockets().size() + " connected socket(s) whose rooms live in the current adapter; call "
            + "adapter(...) before clients connect, or set it with SocketIoOptions.builder().adapter(...)");
      }
    }
    adapterFactory = factory;
    for (Namespace ns : namespaces.values()) ns.replaceAdapter(factory);
    return this;
  }

  AdapterFactory adapterFactory() {
    return adapterFactory;
  }

  // ------------------------------------------------------------------ namespaces

  /** The namespace {@code name} ("/" is the main one), created on first use. */
  public Namespace of(String name) {
    String n = name.startsWith("/") ? name : "/" + name;
    Namespace ns = namespaces.get(n);
    if (ns != null) return ns;
    boolean[] made = new boolean[1];
    ns = namespaces.computeIfAbsent(n, k -> {
      made[0] = true;
      return new Namespace(k, this, null);
    });
    if (made[0]) namespaceCreated(ns);
    return ns;
  }

  /**
   * The namespaces that exist now: the static ones and the children dynamic namespaces made so
   * far (Node's {@code io._nsps}). A snapshot; any thread.
   */
  public List<Namespace> namespaces() {
    return List.copyOf(namespaces.values());
  }

  /**
   * Runs {@code listener} for every namespace created from now on — by {@link #of(String)} or as
   * the child of a dynamic namespace when its first client connects (Node's {@code new_namespace}
   * event). It runs on the thread that creates the namespace (for a child, the connecting
   * client's executor, before that client's socket connects), so it must be quick.
   */
  public SocketIoServer onNewNamespace(Consumer<Namespace> listener) {
    newNamespaceListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  private void namespaceCreated(Namespace ns) {
    for (Consumer<Namespace> l : newNamespaceListeners) {
      try {
        l.accept(ns);
      } catch (RuntimeException e) {
        LOG.warn("new-namespace listener failed", e);
      }
    }
  }

  /** A dynamic namespace for every name matching {@code pattern}. */
  public ParentNamespace of(Pattern pattern) {
    return of(name -> pattern.matcher(name).matches());
  }

  /** A dynamic namespace for every name the predicate accepts. */
  public ParentNamespace of(Predicate<String> rule) {
    ParentNamespace p = new ParentNamespace(rule, this);
    parents.add(p);
    return p;
  }

  /** The main namespace "/". */
  public Namespace sockets() {
    return of("/");
  }

  /** Adds a handshake middleware to the main namespace. */
  public SocketIoServer use(Middleware middleware) {
    sockets().use(middleware);
    return this;
  }

  /** Runs for every socket connecting to the main namespace. */
  public SocketIoServer onConnection(Consumer<Socket> handler) {
    sockets().onConnection(handler);
    return this;
  }

  /** Every socket of the main namespace; {@link Broadcaster}'s methods start from it. */
  @Override
  public BroadcastOperator operator() {
    return sockets().operator();
  }

  /** Namespace {@code name}: static first, then the first dynamic rule that matches. */
  Namespace lookupNamespace(String name) {
    Namespace ns = namespaces.get(name);
    if (ns != null) return ns;
    for (ParentNamespace p : parents) {
      if (p.matches(name)) {
        Namespace child = p.createChild(name);
        if (namespaces.putIfAbsent(name, child) == null) namespaceCreated(child);
        return namespaces.get(name);
      }
    }
    return null;
  }

  /** An empty child of a dynamic namespace goes, and its adapter is closed (as Node's parent namespace does). */
  void removeChild(Namespace child) {
    namespaces.remove(child.name(), child);
    if (child.parent() != null) child.parent().removeChild(child);
    child.closeAdapter(); // adapters' close is idempotent: a second last socket leaving is harmless
  }

  // ------------------------------------------------------------------ server-side events (main namespace)

  /** {@link Namespace#serverSideEmit} on the main namespace (Node's {@code io.serverSideEmit}). */
  public void serverSideEmit(String event, Object... args) {
    sockets().serverSideEmit(event, args);
  }

  /** {@link Namespace#serverSideEmitWithAck(String, Object...)} on the main namespace. */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Object... args) {
    return sockets().serverSideEmitWithAck(event, args);
  }

  /** {@link Namespace#serverSideEmitWithAck(Duration, String, Object...)} on the main namespace. */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
    return sockets().serverSideEmitWithAck(timeout, event, args);
  }

  /** {@link Namespace#onServerSideEmit} on the main namespace (Node's {@code io.on(event, ...)}). */
  public SocketIoServer onServerSideEmit(String event, EventHandler handler) {
    sockets().onServerSideEmit(event, handler);
    return this;
  }

  // ------------------------------------------------------------------ HTTP

  /** Adds an HTTP route served on the same port (before {@link #listen}). */
  public SocketIoServer route(String exactPath, HttpHandler handler) {
    routeRegistrations.add(r -> r.exact(exactPath, handler));
    return this;
  }

  /** Adds an HTTP route for every path the predicate accepts (before {@link #listen}). */
  public SocketIoServer route(Predicate<String> path, HttpHandler handler) {
    routeRegistrations.add(r -> r.matching(path, handler));
    return this;
  }

  /**
   * Node's {@code allowRequest}: decides, before any session exists, whether an Engine.IO
   * handshake may open one — by its headers, query, cookies or address. A refusal (false, or a
   * stage that fails) answers 403 with Engine.IO error {@code {"code":4,"message":"Forbidden"}},
   * which the official client reports as {@code connect_error}. The filter runs on a worker
   * thread, never on an I/O thread, and may complete later. Set it before {@link #listen}.
   *
   * <pre>{@code
   * io.allowRequest((request, remote) -> CompletableFuture.completedFuture(
   *     "https://chat.example".equals(request.header("Origin"))));
   * }</pre>
   */
  public SocketIoServer allowRequest(RequestFilter filter) {
    Objects.requireNonNull(filter, "filter");
    if (host != null) throw new IllegalStateException("allowRequest must be set before listen");
    allowRequest = filter;
    return this;
  }

  /**
   * Node's {@code io.engine.on("connection_error", err => …)}: {@code observer} is told of every
   * request the Engine.IO server refused with one of its HTTP errors — a {@code sid} it does not
   * know (the sign of a load balancer without sticky sessions), an unknown transport, a bad
   * handshake method or request, a refused origin or {@link #allowRequest}, an unsupported
   * protocol version — with the request, the peer's address, the code and message the client was
   * sent, and which check refused it. It runs on a worker thread, after the answer was sent. May be
   * set before or after {@link #listen}; null removes it.
   *
   * <pre>{@code
   * io.onConnectionError(e -> log.info("refused {} from {}: {} {} ({})",
   *     e.request().path(), e.remoteAddress(), e.code(), e.message(), e.context()));
   * }</pre>
   */
  public SocketIoServer onConnectionError(java.util.function.Consumer<dev.switchboard.engineio.ConnectionError> observer) {
    synchronized (this) {
      connectionErrors = observer;
      if (host != null) host.engine().onConnectionError(observer);
    }
    return this;
  }

  /** Starts listening on {@code port} (0 picks a free one) of the configured host. */
  public SocketIoServer listen(int port) throws IOException {
    return listen(options.net().toBuilder().port(port).build());
  }

  /** Starts listening with these transport options (address, port, TLS, I/O threads) instead of {@code options().net()}. */
  public SocketIoServer listen(dev.switchboard.net.NetOptions net) throws IOException {
    if (host != null) throw new IllegalStateException("already listening");
    EngineIoHost started = EngineIoHost.start(net, options.engine(), engineListener(), allowRequest,
        router -> routeRegistrations.forEach(r -> r.accept(router)), scheduler);
    synchronized (this) {
      started.engine().onConnectionError(connectionErrors);
      host = started;
    }
    return this;
  }

  /**
   * Node's {@code io.attach(httpServer)}: serves Socket.IO on an application's own server instead
   * of one {@link #listen} would make. Requests for {@link dev.switchboard.engineio.EngineIoOptions#path()}
   * ({@code /socket.io/}), HTTP long-polling and the WebSocket upgrade alike, go to Socket.IO ahead
   * of the router's routes; every other path stays the application's, and routes added with
   * {@link #route} before this call are added to {@code router} after them. The sessions run on
   * the router's {@link HttpRouter#workers()}, the timers on this server's scheduler.
   * {@code server} is the application's server whose handler is {@code router}; it may be started
   * before or after this call. {@link #port()} then reports its port, and {@link #close()} ends
   * the Socket.IO sessions and takes the route off the router but leaves the application's server,
   * routes and worker pool running (Node's {@code io.close()} would close the HTTP server too).
   *
   * <pre>{@code
   * ExecutorService workers = Executors.newFixedThreadPool(8);
   * HttpRouter router = new HttpRouter(workers).exact("/hello", ex -> ex.respond(
   *     HttpResponse.status(200).body("hi", "text/plain").build()));
   * NetServer server = new NetServer(NetOptions.builder().port(8080).build(), router, workers,
   *     new SystemScheduler()).start();
   * SocketIoServer io = new SocketIoServer().attach(server, router);
   * }</pre>
   */
  public SocketIoServer attach(dev.switchboard.net.NetServer server, HttpRouter router) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(router, "router");
    synchronized (this) {
      if (host != null) throw new IllegalStateException("already listening or attached");
      host = EngineIoHost.attach(server, router, options.engine(), engineListener(), allowRequest, scheduler);
      host.engine().onConnectionError(connectionErrors);
    }
    routeRegistrations.forEach(r -> r.accept(router));
    return this;
  }

  /**
   * The running Engine.IO host (its net server's refusal counts, the Engine.IO server's), or null
   * before {@link #listen} and when running in memory.
   */
  public EngineIoHost engineHost() {
    return host;
  }

  /**
   * Engine.IO connections the Socket.IO layer closed since the start, by cause (lower-case names:
   * {@code too_many_failed_connects}, {@code connect_timeout}, {@code protocol_error}, …). Any thread.
   */
  public Map<String, Long> connectionCloses() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (ClientCloseCause c : ClientCloseCause.values()) {
      out.put(c.name().toLowerCase(java.util.Locale.ROOT), closes[c.ordinal()].sum());
    }
    return out;
  }

  /** Client's one close path counts here. Any thread. */
  void countClose(ClientCloseCause cause) {
    closes[cause.ordinal()].increment();
  }

  private static java.util.concurrent.atomic.LongAdder[] newCloseCounters() {
    java.util.concurrent.atomic.LongAdder[] a = new java.util.concurrent.atomic.LongAdder[ClientCloseCause.values().length];
    for (int i = 0; i < a.length; i++) a[i] = new java.util.concurrent.atomic.LongAdder();
    return a;
  }

  /** The port we listen on (attached: the application's server's port). */
  public int port() {
    EngineIoHost h = host;
    if (h == null) throw new IllegalStateException("not listening");
    return h.port();
  }

  /** The seam to an Engine.IO server: one {@link Client} per Engine.IO session. */
  public EngineIoListener engineListener() {
    return session -> {
      Client client = new Client(this, session);
      session.setHandler(client);
      if (session.protocol() == 3) client.connectMainNamespaceImplicitly(); // socket.io-protocol v4 §Exchange protocol › Connection to the default namespace
    };
  }

  // ------------------------------------------------------------------ connecting sockets

  /**
   * How a CONNECT ended: the socket, the refusal (null: accepted), and for a socket that restores
   * a disconnected one (connection state recovery) its rooms and the packets it missed (else null
   * and empty).
   */
  record ConnectResult(Socket socket, ConnectError error, Set<String> restoredRooms, List<SocketIoPacket> missedPackets) {}

  /**
   * Session executor: builds the socket and runs the namespace's middlewares; {@code done} runs
   * on the session executor too (at once when nothing waits). A client presenting {@code pid}
   * and {@code offset} with recovery on first asks the namespace's adapter for its session
   * (socket.io {@code Namespace._createSocket}); an adapter that answers later (a cluster's
   * store) is waited for off the I/O threads, and the connect continues on the session executor.
   */
  void connect(Client client, Namespace ns, JsonNode auth, Consumer<ConnectResult> done) {
    Handshake handshake = handshake(client.session(), auth);
    if (recovery != null) {
      String pid = auth.path("pid").isTextual() ? auth.path("pid").textValue() : null;
      String offset = auth.path("offset").isTextual() ? auth.path("offset").textValue() : null;
      if (pid != null && offset != null) {
        CompletableFuture<Optional<RestoredSession>> restoring;
        try {
          restoring = ns.adapter().restoreSession(pid, offset);
        } catch (RuntimeException e) {
          restoring = CompletableFuture.failedFuture(e);
        }
        if (restoring.isDone()) {
          connectRestoring(client, ns, handshake, restoring, done); // the in-memory adapter: no hop
        } else {
          CompletableFuture<Optional<RestoredSession>> r = restoring;
          restoring.whenComplete((session, error) ->
              client.session().executor().execute(() -> connectRestoring(client, ns, handshake, r, done)));
        }
        return;
      }
    }
    connectFresh(client, ns, handshake, done);
  }

  /** Session executor: the adapter answered (maybe with nothing, maybe with an error). */
  private void connectRestoring(Client client, Namespace ns, Handshake handshake,
      CompletableFuture<Optional<RestoredSession>> restoring, Consumer<ConnectResult> done) {
    Optional<RestoredSession> restored;
    try {
      restored = restoring.join();
    } catch (RuntimeException e) {
      // Node logs and gives the client a fresh session; so do we (at FINE: a client may send anything).
      LOG.debug("restoring a session failed; the client gets a new one", e);
      restored = Optional.empty();
    }
    if (restored.isEmpty()) {
      connectFresh(client, ns, handshake, done);
      return;
    }
    PersistedSession session = restored.get().session();
    List<SocketIoPacket> missed = new ArrayList<>(restored.get().missedPackets().size());
    for (ArrayNode data : restored.get().missedPackets()) {
      missed.add(new SocketIoPacket(SocketIoPacketType.EVENT, ns.name(), data, -1));
    }
    Socket socket = new Socket(session.id(), ns, client, handshake, session.pid(), session.data());
    Set<String> rooms = session.rooms();
    if (recovery.skipMiddlewares()) {
      done.accept(new ConnectResult(socket, null, rooms, missed));
    } else {
      runMiddlewares(client, ns, socket, err -> done.accept(new ConnectResult(socket, err, rooms, missed)));
    }
  }

  private void connectFresh(Client client, Namespace ns, Handshake handshake, Consumer<ConnectResult> done) {
    String pid = recovery != null ? ids.next() + ids.next() : null;
    Socket socket = new Socket(freshSocketId(client, ns), ns, client, handshake, pid, null);
    runMiddlewares(client, ns, socket, err -> done.accept(new ConnectResult(socket, err, null, List.of())));
  }

  /**
   * A new socket's id: random, unless the client speaks Engine.IO 3 (socket.io-client 2.x), which
   * never hears its id from the server (SIO4 §Packet types › 0 - CONNECT has no payload) and takes
   * the Engine.IO session id as {@code socket.id}, {@code <nsp>#<sid>} outside {@code /}; Node gives
   * such a socket that same id, so that an application passing {@code socket.id} around works as it
   * does on Node (socket-io.md, "Socket ids of 2.x clients", says what that exposes).
   */
  private String freshSocketId(Client client, Namespace ns) {
    if (client.session().protocol() != 3) return ids.next();
    String sid = client.session().id();
    return ns.name().equals("/") ? sid : ns.name() + "#" + sid;
  }

  /** Session executor: the middlewares accepted; the socket joins and the app hears of it. */
  void completeConnect(Client client, Namespace ns, ConnectResult result) {
    Socket socket = result.socket();
    Set<String> restoredRooms = result.restoredRooms();
    ns.add(socket);
    Set<String> rooms = new HashSet<>();
    rooms.add(socket.id());
    if (restoredRooms != null) rooms.addAll(restoredRooms);
    ns.adapter().addAll(socket.id(), rooms);
    socket.markConnected(restoredRooms != null);
    ObjectNode body = null;
    // socket.io-protocol §CONNECT: the server answers with the socket id; in protocol 4 (a 2.x
    // client over Engine.IO 3) the CONNECT carries nothing (socket.io-protocol v4 §Packet types ›
    // 0 - CONNECT: "It does not contain any payload").
    if (client.session().protocol() != 3) {
      body = Json.NODES.objectNode();
      body.put("sid", socket.id());
      if (socket.pid() != null) body.put("pid", socket.pid());
    }
    // socket.io-protocol §Exchange protocol › Connection to a namespace: the answer to CONNECT.
    // It leaves after this task, so after the connection handlers below: a client that hears its
    // CONNECT is already in the rooms they join, as on Node, where they run in the send's tick
    // (spec-notes/socket-io.md, "Connection to a namespace").
    client.sendConnectAnswer(new SocketIoPacket(SocketIoPacketType.CONNECT, ns.name(), body, -1));
    for (SocketIoPacket p : result.missedPackets()) client.send(p, BroadcastFlags.NONE);
    // A dynamic namespace's child runs its parent's handlers first, then any of its own.
    if (ns.parent() != null) runConnectionHandlers(ns.parent().connectionHandlers, socket);
    runConnectionHandlers(ns.connectionHandlers, socket);
  }

  private static void runConnectionHandlers(List<Consumer<Socket>> handlers, Socket socket) {
    for (Consumer<Socket> h : handlers) {
      try {
        h.accept(socket);
      } catch (RuntimeException e) {
        LOG.warn("connection handler failed", e);
      }
    }
  }

  /**
   * Session executor: runs the namespace's handshake chain (a dynamic namespace's parent steps
   * first) for {@code socket}; {@code done} gets null when every step proceeded, else the refusal.
   * A step that throws refuses with "Internal server error"; a client gone meanwhile stops it.
   */
  private void runMiddlewares(Client client, Namespace ns, Socket socket, Consumer<ConnectError> done) {
    new MiddlewareChain<Middleware, ConnectError>(ns.handshakeChain(), socket.executor(), client::isOpen,
        (step, link) -> step.handle(socket, new HandshakeNext(link)),
        e -> {
          LOG.warn("handshake middleware failed", e);
          return new ConnectError("Internal server error");
        },
        new MiddlewareChain.Outcome<>() {
          @Override
          public void accepted() {
            done.accept(null);
          }

          @Override
          public void refused(ConnectError error) {
            done.accept(error);
          }
        }).start();
  }

  /** What a handshake middleware answers through: one step's link of the chain. */
  private static final class HandshakeNext implements Middleware.Next {
    private final MiddlewareChain.Link<ConnectError> link;

    HandshakeNext(MiddlewareChain.Link<ConnectError> link) {
      this.link = link;
    }

    @Override
    public void proceed() {
      link.proceed();
    }

    @Override
    public void fail(ConnectError error) {
      link.fail(error == null ? new ConnectError("unauthorized") : error);
    }
  }

  private Handshake handshake(EngineIoConnection session, JsonNode auth) {
    return new Handshake(session.handshakeHeaders(), session.remoteAddress(), session.isSecure(),
        scheduler.currentTimeMillis(), session.handshakeTarget(), auth);
  }

  /**
   * Executor: a socket is disconnecting, still in its rooms; its adapter keeps its state if the
   * client may come back (Node's {@code persistSession} in {@code Socket._onclose}).
   */
  void onSocketClosing(Socket socket, DisconnectReason reason) {
    if (recovery != null && socket.pid() != null && reason.isRecoverable()) {
      socket.namespace().adapter().persistSession(
          new PersistedSession(socket.id(), socket.pid(), socket.rooms(), socket.data()));
    }
  }

  // ------------------------------------------------------------------ closing

  /**
   * Disconnects every client ("server shutting down"), stops listening and closes every
   * namespace's adapter (a cluster adapter unsubscribes and fails what it still waits for).
   */
  @Override
  public void close() {
    EngineIoHost h = host;
    host = null;
    if (h != null) h.close();
    for (Namespace ns : namespaces.values()) ns.closeAdapter();
    ExecutorService completions = ownedCompletions;
    if (completions != null) completions.shutdown();
    if (ownedScheduler != null) ownedScheduler.close();
  }
}
