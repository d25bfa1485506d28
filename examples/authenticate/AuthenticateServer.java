import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpHandler;
import dev.switchboard.net.NetOptions;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Step 3 of the tutorial (README, "Examples"): the socket connects without credentials, sends them
 * in an {@code authenticate} event and is answered {@code authenticated {success, username}};
 * only then are its {@code message}s relayed, as {@code "<username>: <text>"}.
 *
 * <pre>
 * mvn -q -B package -DskipTests
 * java -cp target/switchboard.jar examples/authenticate/AuthenticateServer.java   # http://localhost:3000/
 * </pre>
 *
 * The demo users are the tutorial's: {@code alice} / {@code password123} and {@code bob} /
 * {@code secret456}. Written on Switchboard's public API and jbcrypt (in the jar; the Java
 * counterpart of the tutorial's {@code bcrypt} package).
 *
 * <p>The tutorial's step has weaknesses that this version fixes, each marked "Fixed:" below:
 * passwords kept in plain text and compared with {@code ===} (a leak of every password with the
 * process's memory, and a comparison whose time depends on the input); unknown users answered
 * faster than wrong passwords (which tells a guesser which names exist); no limit on guesses; no
 * check of what a client sends; messages broadcast to sockets that never authenticated (anyone
 * could read the chat without a password); sockets that never authenticate kept open for ever;
 * messages inserted into the page as HTML.
 *
 * <p>What it is fine for: learning, and small trusted setups on one machine. What it is not: the
 * password crosses the network inside the connection, so anywhere but localhost it needs TLS
 * (Switchboard's {@code --tls-cert}, or a proxy in front); it is checked once per connection, so
 * the page must ask for it again after every reconnection (or keep it in memory — don't); and a
 * socket stays authenticated for its whole life, with no expiry and no way to log it out from
 * elsewhere. The JWT example and the chat server (the complete example) address those.
 *
 * <p>Threading: socket handlers run on each client's serial executor; bcrypt runs on a small pool
 * of its own, whose answer is handed back to the socket's executor before any socket state changes.
 */
public final class AuthenticateServer {
  /**
   * Fixed: bcrypt hashes (cost 10) instead of the tutorial's plain-text passwords. A real
   * application keeps them in a database (the chat server does).
   */
  static final Map<String, String> USERS = Map.of(
      "alice", "$2a$10$8Q2g2Adyc5pGg.6WFwKwGOP80BRaSxNvaSO5efzcAaCj23KAfM7qe",  // password123
      "bob", "$2a$10$qfhAm5NyWEwNLjZVRfm8Uu4InKxLPJAEP5NyMGtSW4M1AEmW2tgxe");   // secret456

  static final int MAX_MESSAGE = 500;
  /** How long a socket may stay connected without authenticating. */
  static final Duration AUTHENTICATE_WITHIN = Duration.ofSeconds(60);
  /** Only authenticated sockets are in this room, and only it receives the chat. */
  static final String MEMBERS = "authenticated";
  /** {@code socket.data()} keys: the user's name once authenticated; a check in flight. */
  static final String USER = "username";
  static final String CHECKING = "checking";

  /** Starts the server on {@code PORT} (3000) of {@code HOST} (127.0.0.1) and serves until Ctrl-C. */
  public static void main(String[] args) throws IOException {
    SystemScheduler clock = new SystemScheduler();
    Passwords passwords = new Passwords();
    // Fixed: at most 5 failures per account and 20 per address in 15 minutes, then a refusal
    // without any password check; one account's guesser does not lock out everyone else behind
    // the same address.
    FailedLogins limits = new FailedLogins(clock, 5, 20, Duration.ofMinutes(15));
    SocketIoServer io = new SocketIoServer();

    io.onConnection(socket -> {
      System.out.println("someone connected: " + socket.id());
      socket.on("authenticate", (msg, ack) -> authenticate(socket, msg.isEmpty() ? null : msg.get(0), passwords, limits));
      socket.on("message", (msg, ack) -> {
        Object user = socket.data().get(USER);
        if (user == null) {
          socket.emit("error", "Please authenticate first");
          return;
        }
        // Fixed: only a non-empty string of at most 500 characters is relayed.
        String text = msg.isEmpty() || !msg.get(0).isTextual() ? null : msg.get(0).textValue();
        if (text == null || text.isBlank() || text.codePointCount(0, text.length()) > MAX_MESSAGE) {
          socket.emit("error", "A message is a non-empty string of at most " + MAX_MESSAGE + " characters");
          return;
        }
        // Fixed: the tutorial's io.emit also reaches sockets that never authenticated.
        io.to(MEMBERS).emit("message", user + ": " + text);
      });
      socket.onDisconnect(reason -> System.out.println(
          socket.data().getOrDefault(USER, "an unauthenticated socket") + " disconnected (" + reason + ")"));
      // Fixed: a socket that never authenticates does not hold a connection for ever.
      clock.schedule(AUTHENTICATE_WITHIN, () -> socket.executor().execute(() -> {
        if (socket.isConnected() && !socket.data().containsKey(USER)) {
          socket.emit("error", "Authentication timed out");
          socket.disconnect();
        }
      }));
    });

    Page.serve(io, Path.of("examples", "authenticate"));
    io.listen(NetOptions.builder().host(env("HOST", "127.0.0.1")).port(Integer.parseInt(env("PORT", "3000"))).build());
    System.out.println("listening on http://localhost:" + io.port() + "/");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      io.close();
      passwords.pool.shutdownNow();
      clock.close();
    }));
  }

  /** On the socket's executor. Answers {@code authenticated} exactly once per attempt. */
  static void authenticate(Socket socket, JsonNode credentials, Passwords passwords, FailedLogins limits) {
    // Fixed: the tutorial destructures whatever arrives; here both fields must be strings of a
    // sane length (bcrypt reads at most 72 bytes: a longer password is refused, not truncated).
    String username = credentials == null ? null : text(credentials.get("username"));
    String password = credentials == null ? null : text(credentials.get("password"));
    if (username == null || password == null || username.isEmpty() || username.length() > 64
        || password.isEmpty() || password.getBytes(StandardCharsets.UTF_8).length > 72) {
      socket.emit("authenticated", failure("username and password must be non-empty strings"));
      return;
    }
    // One check at a time per socket: a client cannot queue a thousand bcrypt checks.
    if (socket.data().putIfAbsent(CHECKING, Boolean.TRUE) != null) {
      socket.emit("authenticated", failure("Authentication already in progress"));
      return;
    }
    String account = username.strip().toLowerCase(Locale.ROOT);
    String address = socket.handshake().address();
    if (!limits.begin(address, account)) {
      socket.data().remove(CHECKING);
      socket.emit("authenticated", failure("Too many failed attempts, try again later"));
      return;
    }
    CompletableFuture<Boolean> check;
    try {
      check = passwords.check(password, USERS.get(account));
    } catch (RejectedExecutionException e) { // the pool's queue is full: shed the load
      limits.forgive(address, account);
      socket.data().remove(CHECKING);
      socket.emit("authenticated", failure("Server busy, try again"));
      return;
    }
    // The answer comes on the bcrypt pool; socket state changes only on the socket's executor.
    check.whenComplete((ok, error) -> socket.executor().execute(() -> {
      socket.data().remove(CHECKING);
      if (error != null) {
        limits.forgive(address, account);
        socket.emit("authenticated", failure("Server busy, try again"));
      } else if (ok) {
        limits.succeeded(address, account);
        socket.data().put(USER, account);
        socket.join(MEMBERS);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("username", account);
        socket.emit("authenticated", answer);
        System.out.println(account + " authenticated");
      } else {
        // The same answer for an unknown name and a wrong password (the tutorial's, too).
        socket.emit("authenticated", Map.of("success", false));
        System.out.println("an authentication failed"); // never the password, nor the name tried
      }
    }));
  }

  static Map<String, Object> failure(String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("success", false);
    m.put("error", error);
    return m;
  }

  static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  static String env(String name, String otherwise) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? otherwise : v.strip();
  }

  /**
   * Fixed: bcrypt checks on a small pool of their own (never a socket's executor), a
   * constant-time comparison (jbcrypt's own {@code checkpw} compares strings), and a dummy hash
   * of the same cost for unknown users, so both failures take as long. Thread-safe.
   */
  static final class Passwords {
    final ExecutorService pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64),
        r -> {
          Thread t = new Thread(r, "example-bcrypt");
          t.setDaemon(true);
          return t;
        });
    private final String dummy = BCrypt.hashpw(Long.toString(new SecureRandom().nextLong()), BCrypt.gensalt(10));

    /** Whether {@code password} matches {@code hash} (null: no such user), on the pool. */
    CompletableFuture<Boolean> check(String password, String hash) {
      return CompletableFuture.supplyAsync(() -> {
        String expected = hash == null ? dummy : hash;
        byte[] computed = BCrypt.hashpw(password, expected).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(computed, expected.getBytes(StandardCharsets.US_ASCII)) && hash != null;
      }, pool);
    }
  }

  /**
   * Failed attempts per account and per address in a fixed window. An attempt counts when it
   * begins (so parallel guesses cannot all slip past the check) and is taken back when it
   * succeeds. At most 10 000 keys, the least recently used forgotten first. Thread-safe; time
   * from the injected clock.
   */
  static final class FailedLogins {
    private record Count(long since, int n) {}

    private final Scheduler clock;
    private final int perAccount;
    private final int perAddress;
    private final long windowNanos;
    private final Map<String, Count> counts = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Count> eldest) {
        return size() > 10_000;
      }
    };

    FailedLogins(Scheduler clock, int perAccount, int perAddress, Duration window) {
      this.clock = clock;
      this.perAccount = perAccount;
      this.perAddress = perAddress;
      this.windowNanos = window.toNanos();
    }

    /** False when the account or the address is over its limit; otherwise counts the attempt. */
    synchronized boolean begin(String address, String account) {
      if (count("address " + address) >= perAddress || count("account " + account) >= perAccount) return false;
      add("address " + address, 1);
      add("account " + account, 1);
      return true;
    }

    /** The password was right: the account starts afresh, and this attempt leaves the address's count. */
    synchronized void succeeded(String address, String account) {
      counts.remove("account " + account);
      add("address " + address, -1);
    }

    /** The attempt never reached a password check (server busy): it does not count. */
    synchronized void forgive(String address, String account) {
      add("address " + address, -1);
      add("account " + account, -1);
    }

    private int count(String key) {
      Count c = counts.get(key);
      if (c == null || clock.nanoTime() - c.since() > windowNanos) return 0;
      return c.n();
    }

    private void add(String key, int delta) {
      Count c = counts.get(key);
      long now = clock.nanoTime();
      if (c == null || now - c.since() > windowNanos) c = new Count(now, 0);
      counts.put(key, new Count(c.since(), Math.max(0, c.n() + delta)));
    }
  }

  /** The page: {@code /}, {@code /client.js} from the example's folder, the official client from the jar. */
  static final class Page {
    private Page() {}

    /** Only files of this origin run: no inline script, nothing from elsewhere. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    static void serve(SocketIoServer io, Path folder) throws IOException {
      io.route("/", file(read(folder.resolve("index.html")), "text/html; charset=utf-8"));
      io.route("/client.js", file(read(folder.resolve("client.js")), "text/javascript; charset=utf-8"));
      try (InputStream in = Page.class.getClassLoader().getResourceAsStream("web/vendor/socket.io.min.js")) {
        if (in == null) throw new IOException("the socket.io-client bundle is not on the classpath: build the jar first");
        io.route("/socket.io.min.js", file(in.readAllBytes(), "text/javascript; charset=utf-8"));
      }
    }

    static byte[] read(Path file) throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new IOException(file + " not found: run the example from the repository's root directory");
      }
      return Files.readAllBytes(file);
    }

    static HttpHandler file(byte[] body, String type) {
      return exchange -> {
        if (!exchange.request().method().equals("GET")) {
          exchange.respond(HttpResponse.status(405).header("Allow", "GET").body(new byte[0]).build());
          return;
        }
        exchange.respond(HttpResponse.status(200).header("Content-Type", type).header("Content-Security-Policy", CSP)
            .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-cache").body(body).build());
      };
    }
  }
}
