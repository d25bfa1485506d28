package dev.switchboard.cli;

import dev.switchboard.admin.AdminUi;
import dev.switchboard.admin.AdminUiPage;
import dev.switchboard.auth.AuthHttpHandler;
import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.DatabaseUserStore;
import dev.switchboard.auth.FileUserStore;
import dev.switchboard.auth.JwtAuthMiddleware;
import dev.switchboard.auth.JwtSecret;
import dev.switchboard.auth.LoginOutcome;
import dev.switchboard.auth.PasswordHasher;
import dev.switchboard.auth.SessionSockets;
import dev.switchboard.auth.SessionStore;
import dev.switchboard.auth.Usernames;
import dev.switchboard.chat.ChatApplication;
import dev.switchboard.chat.ChatHistory;
import dev.switchboard.chat.ChatOptions;
import dev.switchboard.chat.WebPage;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.net.NetOptions;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.storage.Database;
import dev.switchboard.storage.DatabaseOpenException;
import dev.switchboard.storage.DatabaseUnavailableException;
import dev.switchboard.storage.UsersFileImport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * The whole application {@code java -jar switchboard.jar} runs, wired from a {@link ServerConfig}:
 * users, bcrypt, tokens and sessions ({@code dev.switchboard.auth}), the Socket.IO server with the
 * JWT handshake middleware, the chat on the main namespace, the HTTP endpoints ({@code /auth/*},
 * the page, {@code /healthz}, {@code /metrics}). With a Redis URL in its configuration
 * ({@link ClusterConfig}) it joins a cluster: the Socket.IO server gets the configured adapter on
 * one Redis link ({@link RedisCluster}), {@code /metrics} the {@code switchboard_cluster_*} lines,
 * and closing the server closes the link.
 *
 * <p>Storage ({@link ServerConfig#databaseUrl}): users and login sessions live in a database —
 * SQLite in {@code DATA_DIR/switchboard.db} by default, PostgreSQL with {@code DATABASE_URL} —
 * opened at start ({@link Database#open}: unreachable → {@link DatabaseOpenException}, which the
 * command prints and exits 2 on). An old {@code DATA_DIR/users.json} is imported once
 * ({@link UsersFileImport}; a corrupt one stops the start, left untouched). So a restart logs
 * nobody out. The chat's history is kept there too ({@link ChatHistory}: written off the delivery
 * path, read by {@code get-history}, trimmed hourly by {@link ServerConfig#history}). The JWT key
 * is shared through the data directory (or {@code JWT_SECRET}). On a cluster, session revocations,
 * the login limits' counts and presence are shared through Redis ({@link RedisCluster#shareChatState});
 * without one they are this node's. Closing the server stores the queued history, then closes the
 * database.
 *
 * <pre>{@code
 * try (ChatServer chat = ChatServer.start(ServerConfig.forTests(dir))) {
 *   URI page = URI.create(chat.url());
 * }
 * }</pre>
 *
 * <p>With {@link ServerConfig#adminUi()} on ({@code --admin-ui}), the Socket.IO Admin UI's
 * namespace ({@code /admin}, {@link AdminUi}) and its page ({@code /admin/}, {@link AdminUiPage}),
 * and CORS with credentials for the allowed origins (the hosted UI polls with them).
 *
 * <p>Time: the Socket.IO layer always runs on the system clock (heartbeats); the application's
 * clock (token expiry, sessions, rate limits) is {@code appClock}, a fake one in tests.
 */
public final class ChatServer implements AutoCloseable {
  private final SocketIoServer io;
  private final Authenticator auth;
  private final PasswordHasher hasher;
  private final SystemScheduler ownedClock;
  private final Cancellable purging;
  private final String scheme;
  private final RedisCluster cluster; // null when not clustered
  private final Database database;
  private final ExecutorService storageReads;
  private final ChatHistory history;
  /** The Admin UI when {@code --admin-ui} is on, else null; set once by {@code start}. */
  private AdminUi adminUi;

  private ChatServer(SocketIoServer io, Authenticator auth, PasswordHasher hasher, SystemScheduler ownedClock,
      Cancellable purging, String scheme, RedisCluster cluster, Database database, ExecutorService storageReads,
      ChatHistory history) {
    this.history = history;
    this.cluster = cluster;
    this.database = database;
    this.storageReads = storageReads;
    this.io = io;
    this.auth = auth;
    this.hasher = hasher;
    this.ownedClock = ownedClock;
    this.purging = purging;
    this.scheme = scheme;
  }

  public static ChatServer start(ServerConfig config) throws Exception {
    return start(config, System.err);
  }

  /**
   * {@link #start(ServerConfig)}, with the two lines about a Redis unreachable at start
   * ({@link RedisCluster}) and the users file's import written to {@code log}.
   *
   * @throws DatabaseOpenException the database cannot be opened (its message names it, masked)
   * @throws UsersFileImport.CorruptUsersFileException {@code users.json} cannot be imported
   */
  static ChatServer start(ServerConfig config, java.io.PrintStream log) throws Exception {
    SystemScheduler clock = new SystemScheduler();
    try {
      return start(config, clock, clock, log);
    } catch (Exception | Error e) {
      clock.close();
      throw e;
    }
  }

  /** With the application's clock given (tests); the caller owns it. */
  public static ChatServer start(ServerConfig config, Scheduler appClock) throws Exception {
    return start(config, appClock, null, System.err);
  }

  private static ChatServer start(ServerConfig config, Scheduler appClock, SystemScheduler owned, java.io.PrintStream log)
      throws Exception {
    Database db = openDatabase(config, appClock.currentTimeMillis(), log);
    RedisCluster cluster = null;
    try {
      cluster = config.cluster().clustered() ? RedisCluster.open(config.cluster(), log) : null;
      return start(config, appClock, owned, cluster, db);
    } catch (Exception | Error e) {
      if (cluster != null) cluster.close();
      db.close();
      throw e;
    }
  }

  /**
   * Opens the configured database and imports {@code DATA_DIR/users.json} into it if that was
   * never done (one line on {@code log} when it did something). The same for the server and the
   * {@code user} command.
   */
  static Database openDatabase(ServerConfig config, long nowMillis, java.io.PrintStream log) {
    Database db = Database.open(config.databaseUrl());
    try {
      UsersFileImport.Result r = UsersFileImport.run(db, config.dataDir().resolve(FileUserStore.FILE_NAME),
          Usernames::canonical, nowMillis);
      if (r.outcome() == UsersFileImport.Outcome.IMPORTED || r.outcome() == UsersFileImport.Outcome.SKIPPED_NOT_EMPTY) {
        log.println(Main.say(r.message()));
      }
      return db;
    } catch (RuntimeException | Error e) {
      db.close();
      throw e;
    }
  }

  private static ChatServer start(ServerConfig config, Scheduler appClock, SystemScheduler owned, RedisCluster cluster,
      Database db) throws Exception {
    AuthOptions authOptions = AuthOptions.DEFAULTS.toBuilder()
        .tokenTtl(config.tokenTtl())
        .registration(config.registration())
        // Per address ten times the per-account limit (issue #13): one account's failures cannot
        // lock out the other users behind its address (authentication.md, "Rate limiting").
        .loginLimits(config.loginMaxFailures(), config.loginMaxFailures() * 10, config.loginWindow())
        .build();
    DatabaseUserStore users = new DatabaseUserStore(db);
    // Read, or generated in memory: a new key is written only once the port is bound, so a start
    // that fails there (the port taken) leaves the data directory without one.
    JwtSecret secret = JwtSecret.readOrGenerate(config.jwtSecret(), config.dataDir());
    PasswordHasher hasher = PasswordHasher.withDefaultPool(config.bcryptCost());
    SessionIdGenerator ids = SessionIdGenerator.secureRandom();
    SessionStore sessions = new SessionStore(appClock, authOptions, ids, db.sessions(), users);
    Authenticator auth = new Authenticator(users, hasher,
        new dev.switchboard.auth.TokenService(secret, appClock, authOptions), sessions, authOptions, appClock, ids::next);

    NetOptions.Builder netBuilder = config.limits().applyTo(NetOptions.builder().host(config.host()));
    if (config.tls() != null) netBuilder.sslContext(config.tls());
    NetOptions net = netBuilder.build();
    // allowEIO3: socket.io-client 2.x and socket.io-client-java 1.x apps connect too (issue #12);
    // their token comes from a header or the query (JwtAuthMiddleware).
    EngineIoOptions.Builder engineBuilder = config.limits().applyTo(EngineIoOptions.builder().allowedOrigins(config.allowedOrigins()))
        .allowEIO3(true);
    // The hosted Admin UI (admin.socket.io) polls with credentials: its origin in ALLOWED_ORIGINS
    // works only with Access-Control-Allow-Credentials (README, "Admin UI"). No cookie carries
    // anything here (tokens travel in the auth payload), so this grants those origins nothing more.
    if (config.adminUi().enabled()) engineBuilder.corsCredentials(true);
    EngineIoOptions engine = engineBuilder.build();
    SocketIoOptions.Builder options = config.limits().applyTo(SocketIoOptions.builder().net(net).engine(engine));
    if (cluster != null) options.adapter(cluster.adapterFactory());
    SocketIoServer io = new SocketIoServer(options.build());
    SessionSockets live = new SessionSockets(auth, appClock);
    ExecutorService storageReads = storageReads();
    JwtAuthMiddleware.install(io.sockets(), auth, live, storageReads);
    // Chat history: ids claimed from the database now, messages stored off the delivery path.
    ChatHistory history;
    try {
      history = ChatHistory.start(db, appClock, config.history());
    } catch (RuntimeException e) { // the database refused the claim of the message ids
      io.close();
      storageReads.shutdown();
      hasher.close();
      throw e;
    }
    ChatApplication chat = new ChatApplication(appClock, ChatOptions.DEFAULTS, history);
    chat.install(io.sockets());
    // A cluster shares revocations, login counters and presence through its Redis (issue #11).
    if (cluster != null) {
      try {
        cluster.shareChatState(config.cluster(), auth, chat, storageReads);
      } catch (RuntimeException e) { // Redis refused a subscription: nothing is listening yet
        io.close();
        storageReads.shutdown();
        hasher.close();
        throw e;
      }
    }

    io.route(AuthHttpHandler::matches, new AuthHttpHandler(auth, config.allowedOrigins()));
    WebPage page = new WebPage();
    for (String path : WebPage.paths()) io.route(path, page);
    io.route(HealthCheck.PATH, new HealthCheck());
    Metrics metrics = metrics(io, auth, sessions, live, chat)
        .counter("switchboard_history_stored_total", "Chat messages stored in the history.", history::messagesStored)
        .counter("switchboard_history_not_stored_total",
            "Chat messages delivered but not stored (history queue full or database away).", history::messagesNotStored);
    if (cluster != null) cluster.addMetrics(metrics, io.sockets());
    LimitsConfig.addMetrics(metrics, io);
    io.route("/metrics", metrics);
    // Every 10 s: expired sessions go, and so do the sessions of users removed from the database
    // (`user remove`, another process), whose sockets are then disconnected at once.
    Cancellable purging = sessions.purgeEvery(Duration.ofSeconds(10), users::ids);
    // The Admin UI (issue #12): its namespace beside the chat's, and its page at /admin/.
    AdminUi adminUi = null;
    if (config.adminUi().enabled()) {
      adminUi = AdminUi.instrument(io, config.adminUi().options());
      io.route(AdminUiPage::matches, new AdminUiPage());
    }
    boolean saved;
    try {
      io.listen(config.port());
      saved = secret.save(config.dataDir());
    } catch (Exception e) {
      purging.cancel();
      if (adminUi != null) adminUi.close();
      io.close();
      history.close();
      storageReads.shutdown();
      hasher.close();
      throw e;
    }
    if (!saved) {
      // Another server on this data directory wrote its new key first, while we were binding:
      // start again on that key, or the two would refuse each other's tokens.
      purging.cancel();
      if (adminUi != null) adminUi.close();
      io.close();
      storageReads.shutdown();
      hasher.close();
      return start(config, appClock, owned, cluster, db);
    }
    ChatServer server = new ChatServer(io, auth, hasher, owned, purging, config.tls() != null ? "https" : "http", cluster,
        db, storageReads, history);
    server.adminUi = adminUi;
    return server;
  }

  /**
   * The handshake's database reads (a session or user not cached): a few threads of their own, so
   * a slow database delays only handshakes that need it, never a session's executor or the
   * workers. Bounded queue: beyond it a handshake is refused as unavailable.
   */
  private static ExecutorService storageReads() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
      Thread t = new Thread(r, "switchboard-auth-db-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static Metrics metrics(SocketIoServer io, Authenticator auth, SessionStore sessions, SessionSockets live,
      ChatApplication chat) {
    List<String> outcomes = new ArrayList<>();
    List<DoubleSupplier> loginCounts = new ArrayList<>();
    List<DoubleSupplier> signupCounts = new ArrayList<>();
    for (LoginOutcome o : LoginOutcome.values()) {
      outcomes.add(o.label());
      loginCounts.add(() -> auth.logins(o));
      signupCounts.add(() -> auth.signups(o));
    }
    return new Metrics()
        .gauge("switchboard_sockets_connected", "Connected Socket.IO sockets on the main namespace.",
            () -> io.sockets().sockets().size())
        .gauge("switchboard_users_online", "Distinct users with at least one connected socket.", chat::onlineUsers)
        .counter("switchboard_messages_total", "Chat messages relayed (room and private).", chat::messagesRelayed)
        .gauge("switchboard_sessions_active", "Live login sessions.", sessions::size)
        .gauge("switchboard_sessions_connected", "Sessions with at least one connected socket.", live::sessionsWithSockets)
        .gauge("switchboard_users_registered", "Registered users.", () -> registeredUsers(auth))
        .labelledCounter("switchboard_logins_total", "Login attempts by outcome.", "outcome", outcomes, loginCounts)
        .labelledCounter("switchboard_signups_total", "Sign-up attempts by outcome.", "outcome", outcomes, signupCounts)
        .jvm();
  }

  /** A query at each scrape; NaN (Prometheus' "no value") while the database is away, so /metrics still answers. */
  private static double registeredUsers(Authenticator auth) {
    try {
      return auth.users().count();
    } catch (DatabaseUnavailableException e) {
      return Double.NaN;
    }
  }

    public SocketIoServer io() {
    return io;
  }

  public Authenticator auth() {
    return auth;
  }

  public int port() {
    return io.port();
  }

  /** {@code http://host:port} of the server, for tests on 127.0.0.1. */
  public String url() {
    return scheme + "://127.0.0.1:" + port();
  }

  /** Tells every client "server shutting down", stops listening, stops the pools and timers. */
  @Override
  public void close() {
    purging.cancel();
    if (adminUi != null) adminUi.close();
    io.close();
    if (cluster != null) cluster.close(); // after the server: its adapters no longer use the link
    history.close(); // after the server (no more messages), before the database: stores what is queued
    storageReads.shutdown();
    hasher.close();
    database.close(); // last: the pools above may still be finishing a login
    if (ownedClock != null) ownedClock.close();
  }
}
