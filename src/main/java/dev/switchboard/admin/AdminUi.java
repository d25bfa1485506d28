package dev.switchboard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.PasswordHasher;
import dev.switchboard.engineio.EngineIoHost;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.Ack;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Broadcaster;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.adapter.MembershipListener;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the Socket.IO Admin UI ({@code @socket.io/admin-ui} 0.5): a namespace
 * ({@code /admin} by default) that the UI — hosted at admin.socket.io, or served by this server
 * ({@link AdminUiPage}) — connects to, to list the server's sockets and rooms, follow their
 * events, and join, leave or disconnect them. Node's {@code instrument(io, options)}:
 *
 * <pre>{@code
 * SocketIoServer io = new SocketIoServer();
 * AdminUi admin = AdminUi.instrument(io, AdminUiOptions.builder()
 *     .basicAuth("admin", System.getenv("ADMIN_UI_PASSWORD_HASH")).build());
 * io.listen(3000);
 * }</pre>
 *
 * <p>The protocol (spec-notes/admin-ui.md): the UI connects with {@code auth: {username,
 * password}} (or a {@code sessionId} it got before); it then receives {@code session}, {@code
 * config} (the features it may use), every 2 s {@code server_stats}, and in development mode
 * {@code all_sockets} and the live feed ({@code socket_connected}, {@code socket_updated},
 * {@code socket_disconnected}, {@code room_joined}, {@code room_left}, {@code event_received},
 * {@code event_sent}). It acts with {@code join}, {@code leave}, {@code _disconnect} and
 * {@code emit}.
 *
 * <p>Costs: nothing on the emit path of namespaces the UI does not watch in detail. In
 * production mode a socket's connect and disconnect add one counter update each. In development
 * mode each socket gets a connection, disconnect and any-event listener, its namespace's adapter
 * a membership listener ({@link InMemoryAdapter#membershipListener}), and every event of a watched
 * socket is copied to the admin namespace — the feature's price, as in Node; with the in-memory
 * adapter the copy is skipped while no admin is connected.
 *
 * <p>Threading: {@link #instrument} at configuration time (before or after {@code listen}). The
 * hooks run where the server calls them (a socket's executor, an adapter's monitor held) and only
 * hand work over: the feed and the statistics go out from one thread of this object's own
 * ({@code switchboard-admin-ui}), in order, with a bounded queue (beyond it feed events are
 * dropped and counted); password checks run on a bcrypt pool of one thread; the timer is the
 * server's {@link Scheduler}.
 */
public final class AdminUi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminUi.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The sentence the UI recognises to show "Invalid credentials" (its ConnectionModal). */
  static final String INVALID_CREDENTIALS = "invalid credentials";
  /** bcrypt reads at most 72 bytes; a longer password is refused before any work. */
  private static final int MAX_PASSWORD_BYTES = 72;
  /** Key of the session id between the middleware and the connection handler, in the socket's data. */
  private static final String SESSION_KEY = "_admin.session";
  /** Feed events waiting for the feed thread at most; more are dropped (and counted). */
  static final int FEED_QUEUE = 10_000;
  /** Headers whose values the UI never sees: they carry the users' credentials. */
  private static final Set<String> SECRET_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");
  /** Query parameters whose values the UI never sees (a token some clients send in the query). */
  private static final Set<String> SECRET_QUERY = Set.of("token", "access_token", "auth", "password");

  private final SocketIoServer io;
  private final AdminUiOptions options;
  private final Namespace admin;
  private final Scheduler clock;
  private final boolean development;
  private final ArrayNode features;
  private final AdminSessions sessions;
  private final PasswordHasher hasher;
  private final ThreadPoolExecutor feed;
  private final LongAdder dropped = new LongAdder();
  private final EventCounts events = new EventCounts();
  /** Local sockets that connected over polling and have not been seen on WebSocket yet (socket_updated). */
  private final Map<Socket, Boolean> polling = new ConcurrentHashMap<>();
  /** Namespaces hooked already; weak, so that a dynamic namespace's removed children can go. Guarded by itself. */
  private final Set<Namespace> watched = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
  /** Whether an emit to the admin namespace can be skipped while it has no local socket (in-memory adapter only). */
  private final boolean localOnly;
  private final String serverId;
  private final String hostname;
  private volatile Cancellable timer;
  private volatile boolean closed;

  private AdminUi(SocketIoServer io, AdminUiOptions options) {
    this.io = io;
    this.options = options;
    this.clock = io.scheduler();
    this.development = options.mode() == AdminUiOptions.Mode.DEVELOPMENT;
    this.admin = io.of(options.namespace());
    this.localOnly = admin.adapter().getClass() == InMemoryAdapter.class;
    this.sessions = new AdminSessions(clock);
    // One thread, eight waiting: a guesser gets a few checks a second at a real cost, and
    // beyond the queue "busy" at once, never a growing backlog. Cost 4 is only the pool's own
    // dummy hash; the configured hash keeps its cost.
    this.hasher = options.passwordHash() == null ? null : new PasswordHasher(4, 1, 8);
    this.feed = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(FEED_QUEUE), r -> {
      Thread t = new Thread(r, "switchboard-admin-ui");
      t.setDaemon(true);
      return t;
    }, (task, pool) -> dropped.increment());
    feed.allowCoreThreadTimeOut(true);
    this.features = features(options, development);
    this.hostname = hostname();
    this.serverId = options.serverId() != null ? options.serverId() : hostname;
  }

  /**
   * Sets up the admin namespace on {@code io} and starts reporting to it. Namespaces made later
   * (dynamic ones' children included) are watched as they appear.
   */
  public static AdminUi instrument(SocketIoServer io, AdminUiOptions options) {
    AdminUi ui = new AdminUi(io, options);
    ui.start();
    return ui;
  }

  private void start() {
    admin.use(this::authenticate);
    admin.onConnection(this::onAdminConnected);
    io.onNewNamespace(this::watch);
    for (Namespace ns : io.namespaces()) watch(ns);
    scheduleStats();
  }

  /** Feed events dropped because the feed thread was {@link #FEED_QUEUE} behind. */
  public long droppedEvents() {
    return dropped.sum();
  }

  /** Stops the statistics and the feed; the namespace stays (its sockets are not disconnected). */
  @Override
  public void close() {
    closed = true;
    Cancellable t = timer;
    if (t != null) t.cancel();
    feed.shutdownNow();
    if (hasher != null) hasher.close();
  }

  // ------------------------------------------------------------------ authentication

  /**
   * The admin namespace's handshake: a session id handed out before, or the user name and a
   * password that matches the bcrypt hash. The hash is checked even when the user name is wrong,
   * so that the answer's timing does not tell which of the two was. Socket's executor; the
   * bcrypt check on the pool, answering from there.
   */
  private void authenticate(Socket socket, Middleware.Next next) {
    if (options.passwordHash() == null) {
      next.proceed();
      return;
    }
    JsonNode auth = socket.handshake().auth();
    JsonNode sessionId = auth.path("sessionId");
    if (sessionId.isTextual() && sessions.isValid(sessionId.textValue())) {
      next.proceed();
      return;
    }
    JsonNode user = auth.path("username");
    JsonNode password = auth.path("password");
    if (!user.isTextual() || !password.isTextual()
        || password.textValue().getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      next.fail(new ConnectError(INVALID_CREDENTIALS));
      return;
    }
    boolean userMatches = MessageDigest.isEqual(user.textValue().getBytes(StandardCharsets.UTF_8),
        options.username().getBytes(StandardCharsets.UTF_8));
    CompletableFuture<Boolean> check;
    try {
      check = hasher.verify(password.textValue(), options.passwordHash());
    } catch (RejectedExecutionException e) {
      next.fail(new ConnectError("too many login attempts at once, try again"));
      return;
    }
    check.whenComplete((matches, error) -> {
      if (error == null && matches && userMatches) {
        socket.data().put(SESSION_KEY, sessions.create());
        next.proceed();
      } else {
        if (error != null) LOG.warn("admin UI: the password check failed", error);
        else LOG.debug("admin UI: a connection with wrong credentials was refused");
        next.fail(new ConnectError(INVALID_CREDENTIALS));
      }
    });
  }

  // ------------------------------------------------------------------ the admin's own sockets

  /** Admin socket's executor: the session id, the configuration, the actions, the current state. */
  private void onAdminConnected(Socket socket) {
    Object session = socket.data().remove(SESSION_KEY);
    if (session != null) socket.emit("session", session);
    if (!options.readonly()) registerActions(socket);
    ObjectNode config = NODES.objectNode();
    config.set("supportedFeatures", features.deepCopy());
    socket.emit("config", config);
    if (development) {
      allSockets().whenComplete((list, error) -> {
        if (error != null) LOG.warn("admin UI: listing the sockets failed", error);
        else socket.emit("all_sockets", list);
      });
    }
    feed.execute(() -> socket.emit("server_stats", stats(false)));
  }

  private static ArrayNode features(AdminUiOptions options, boolean development) {
    ArrayNode f = NODES.arrayNode();
    if (!options.readonly()) {
      for (String name : List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT")) f.add(name);
    }
    f.add("AGGREGATED_EVENTS");
    if (development) f.add("ALL_EVENTS");
    return f;
  }

  /**
   * The UI's actions, as admin-ui 0.5 sends them on Socket.IO 4: each names a namespace and
   * optionally a room (a socket id is a room) that narrows it. An unknown namespace, or a value
   * of the wrong type, changes nothing; a requested ack answers {@code {ok: true}} or
   * {@code {ok: false, error}}.
   */
  private void registerActions(Socket socket) {
    socket.on("join", (args, ack) -> {
      String room = text(args, 1);
      if (room == null) answer(ack, "the second argument (room) must be a string");
      else act(args, ack, 2, target -> target.socketsJoin(room));
    });
    socket.on("leave", (args, ack) -> {
      String room = text(args, 1);
      if (room == null) answer(ack, "the second argument (room) must be a string");
      else act(args, ack, 2, target -> target.socketsLeave(room));
    });
    socket.on("_disconnect", (args, ack) -> {
      JsonNode close = args.get(1);
      if (!close.isBoolean()) answer(ack, "the second argument (close) must be a boolean");
      else act(args, ack, 2, target -> target.disconnectSockets(close.booleanValue()));
    });
    socket.on("emit", (args, ack) -> {
      String event = text(args, 2);
      if (event == null) {
        answer(ack, "the third argument (event) must be a string");
        return;
      }
      Object[] rest = new Object[Math.max(0, args.size() - 3)];
      for (int i = 3; i < args.size(); i++) rest[i - 3] = args.get(i);
      act(args, ack, 1, target -> target.emit(event, rest));
    });
  }

  private static String text(Args args, int i) {
    JsonNode v = args.get(i);
    return v.isTextual() ? v.textValue() : null;
  }

  /**
   * Admin socket's executor: the namespace named by the first argument, narrowed to the room at
   * {@code filterAt} when that is a non-empty string (missing, null or "": the whole namespace).
   */
  private void act(Args args, Ack ack, int filterAt, java.util.function.Consumer<Broadcaster> action) {
    String nsp = text(args, 0);
    Namespace ns = nsp == null ? null : existing(nsp);
    if (ns == null) {
      answer(ack, "no such namespace");
      return;
    }
    JsonNode filter = args.get(filterAt); // MissingNode when absent
    if (!filter.isMissingNode() && !filter.isNull() && !filter.isTextual()) {
      answer(ack, "the filter must be a room name");
      return;
    }
    Broadcaster target = !filter.isTextual() || filter.textValue().isEmpty() ? ns : ns.in(filter.textValue());
    try {
      action.accept(target);
      if (ack.isRequested()) ack.send(okAnswer());
    } catch (RuntimeException e) { // e.g. a reserved event name given to emit
      answer(ack, e.getMessage() == null ? "refused" : e.getMessage());
    }
  }

  private static ObjectNode okAnswer() {
    ObjectNode ok = NODES.objectNode();
    ok.put("ok", true);
    return ok;
  }

  private static void answer(Ack ack, String error) {
    if (!ack.isRequested()) return;
    ObjectNode e = NODES.objectNode();
    e.put("ok", false);
    e.put("error", error);
    ack.send(e);
  }

  /** A namespace that exists now, never one made up by the UI's input. */
  private Namespace existing(String name) {
    for (Namespace ns : io.namespaces()) if (ns.name().equals(name)) return ns;
    return null;
  }

  // ------------------------------------------------------------------ watching namespaces

  /** Any thread (configuration, or a dynamic child's creation): hooks on one namespace, once. */
  private void watch(Namespace ns) {
    synchronized (watched) {
      if (!watched.add(ns)) return; // a namespace made while instrument() listed them is offered twice
    }
    String name = ns.name();
    boolean isAdmin = ns == admin;
    ns.onConnection(socket -> onConnected(socket, name, isAdmin));
    if (development && ns.adapter() instanceof InMemoryAdapter adapter) {
      adapter.membershipListener(new MembershipListener() {
        @Override
        public void joined(String room, String socketId) {
          long now = clock.currentTimeMillis();
          toAdmins(() -> admin.emit("room_joined", name, room, socketId, iso(now)));
        }

        @Override
        public void left(String room, String socketId) {
          long now = clock.currentTimeMillis();
          toAdmins(() -> admin.emit("room_left", name, room, socketId, iso(now)));
        }
      });
    }
  }

  /** Socket's executor, after the application's connection handlers. */
  private void onConnected(Socket socket, String nsp, boolean isAdmin) {
    long now = clock.currentTimeMillis();
    if (!isAdmin) events.add(now, "rawConnection", null);
    socket.onDisconnect(reason -> onDisconnected(socket, nsp, isAdmin, reason));
    if (!development) return;
    if ("polling".equals(socket.transport())) polling.put(socket, Boolean.TRUE);
    toAdmins(() -> admin.emit("socket_connected", serialize(socket, nsp), iso(now)));
    if (isAdmin) return;
    String id = socket.id();
    socket.onAny((event, args) -> {
      long at = clock.currentTimeMillis();
      ArrayNode all = withEvent(event, args);
      toAdmins(() -> admin.emit("event_received", nsp, id, all, iso(at)));
    });
    socket.onAnyOutgoing((event, args) -> {
      long at = clock.currentTimeMillis();
      ArrayNode all = withEvent(event, args);
      toAdmins(() -> admin.emit("event_sent", nsp, id, all, iso(at)));
    });
  }

  private void onDisconnected(Socket socket, String nsp, boolean isAdmin, DisconnectReason reason) {
    long now = clock.currentTimeMillis();
    if (!isAdmin) events.add(now, "rawDisconnection", reason.wireName());
    if (!development) return;
    polling.remove(socket);
    String id = socket.id();
    toAdmins(() -> admin.emit("socket_disconnected", nsp, id, reason.wireName(), iso(now)));
  }

  private static ArrayNode withEvent(String event, Args args) {
    ArrayNode all = NODES.arrayNode();
    all.add(event);
    all.addAll(args.asArray());
    return all;
  }

  /** Hands an emit to the admin namespace to the feed thread, unless nobody can hear it. */
  private void toAdmins(Runnable emit) {
    if (closed || (localOnly && admin.sockets().isEmpty())) return;
    feed.execute(() -> {
      try {
        emit.run();
      } catch (RuntimeException e) {
        LOG.warn("admin UI: an event could not be sent", e);
      }
    });
  }

  // ------------------------------------------------------------------ statistics

  private void scheduleStats() {
    if (closed) return;
    timer = clock.schedule(options.statsInterval(), () -> {
      // The timer thread only hands over: the figures are gathered on the feed thread.
      feed.execute(() -> {
        try {
          if (!(localOnly && admin.sockets().isEmpty())) admin.emit("server_stats", stats(true));
          if (development) reportUpgrades();
        } catch (RuntimeException e) {
          LOG.warn("admin UI: the statistics could not be sent", e);
        }
      });
      scheduleStats();
    });
  }

  /**
   * Feed thread: Node's {@code server_stats} with our own figures — uptime of this process,
   * Engine.IO sessions (or, without a listener, distinct clients), those on polling, heap
   * memory, sockets per namespace, and the events counted since the last report ({@code drain}:
   * only the periodic report takes them, so no admin misses a count).
   */
  ObjectNode stats(boolean drain) {
    ObjectNode s = NODES.objectNode();
    s.put("serverId", serverId);
    s.put("hostname", hostname);
    s.put("pid", ProcessHandle.current().pid());
    long started = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(clock.currentTimeMillis());
    s.put("uptime", Math.max(0, clock.currentTimeMillis() - started) / 1000.0);
    EngineIoHost host = io.engineHost();
    Set<String> clients = host == null ? new HashSet<>() : null; // only counted here without a listener
    Set<String> pollingClients = new HashSet<>();
    ArrayNode namespaces = NODES.arrayNode();
    for (Namespace ns : io.namespaces()) {
      Map<String, Socket> sockets = ns.sockets();
      ObjectNode n = namespaces.addObject();
      n.put("name", ns.name());
      n.put("socketsCount", sockets.size());
      for (Socket socket : sockets.values()) {
        if (clients != null) clients.add(socket.connectionId());
        if ("polling".equals(socket.transport())) pollingClients.add(socket.connectionId());
      }
    }
    s.put("clientsCount", host != null ? host.engine().sessionCount() : clients.size());
    s.put("pollingClientsCount", pollingClients.size());
    Runtime rt = Runtime.getRuntime();
    ObjectNode memory = s.putObject("memoryUsage");
    memory.put("heapUsed", rt.totalMemory() - rt.freeMemory());
    memory.put("heapTotal", rt.totalMemory());
    memory.put("heapMax", rt.maxMemory());
    s.set("aggregatedEvents", drain ? events.drain() : NODES.arrayNode());
    s.set("namespaces", namespaces);
    return s;
  }

  /** Feed thread: sockets that were on polling and have upgraded since (Node's {@code upgrade} → socket_updated). */
  private void reportUpgrades() {
    for (Socket socket : List.copyOf(polling.keySet())) {
      if (!socket.isConnected()) {
        polling.remove(socket);
      } else if (!"polling".equals(socket.transport())) {
        polling.remove(socket);
        ObjectNode update = NODES.objectNode();
        update.put("id", socket.id());
        update.put("nsp", socket.namespace().name());
        update.put("transport", socket.transport());
        if (!(localOnly && admin.sockets().isEmpty())) admin.emit("socket_updated", update);
      }
    }
  }

  // ------------------------------------------------------------------ sockets as the UI reads them

  /** Every socket of every namespace, this server's and (through the adapter) the cluster's. */
  private CompletableFuture<ArrayNode> allSockets() {
    List<CompletableFuture<ArrayNode>> parts = new ArrayList<>();
    for (Namespace ns : io.namespaces()) {
      String name = ns.name();
      parts.add(ns.fetchSockets().thenApply(list -> {
        ArrayNode out = NODES.arrayNode();
        for (RemoteSocket s : list) out.add(serialize(s, name));
        return out;
      }));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      ArrayNode all = NODES.arrayNode();
      for (CompletableFuture<ArrayNode> p : parts) all.addAll(p.join());
      return all;
    });
  }

  /**
   * A socket as admin-ui's {@code SerializedSocket}: id, clientId (the first 12 characters of its
   * Engine.IO session id), transport, nsp, data, handshake, rooms. Unlike Node we leave out what
   * carries the users' credentials — the {@code auth} payload (Node does too), the
   * {@code Authorization} and {@code Cookie} headers and token-like query parameters (Node sends
   * those) — and the data keys starting with "_admin".
   */
  ObjectNode serialize(RemoteSocket socket, String nsp) {
    ObjectNode out = NODES.objectNode();
    out.put("id", socket.id());
    if (socket instanceof Socket local) {
      String cid = local.connectionId();
      out.put("clientId", cid.substring(0, Math.min(12, cid.length())));
      out.put("transport", local.transport());
    }
    out.put("nsp", nsp);
    ObjectNode data = out.putObject("data");
    for (Map.Entry<String, Object> e : socket.data().entrySet()) {
      if (e.getKey().startsWith("_admin")) continue;
      try {
        data.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
      } catch (IllegalArgumentException ex) {
        data.put(e.getKey(), "(not serialisable)");
      }
    }
    ObjectNode full = socket.handshake().toJson();
    ObjectNode hs = out.putObject("handshake");
    ObjectNode headers = (ObjectNode) full.get("headers");
    String address = headers.path("cf-connecting-ip").asText(headers.path("x-forwarded-for").asText(full.path("address").asText()));
    hs.put("address", address.isEmpty() ? full.path("address").asText() : address);
    for (String secret : SECRET_HEADERS) if (headers.has(secret)) headers.put(secret, "(hidden)");
    hs.set("headers", headers);
    ObjectNode query = (ObjectNode) full.get("query");
    for (String key : new ArrayList<>(iterable(query))) {
      if (SECRET_QUERY.contains(key.toLowerCase(Locale.ROOT))) query.put(key, "(hidden)");
    }
    hs.set("query", query);
    for (String f : List.of("issued", "secure", "time", "url", "xdomain")) hs.set(f, full.get(f));
    ArrayNode rooms = out.putArray("rooms");
    for (String room : socket.rooms()) rooms.add(room);
    return out;
  }

  private static List<String> iterable(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  private static String hostname() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) return h;
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
