import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpExchange;
import dev.switchboard.net.HttpHandler;
import dev.switchboard.net.NetOptions;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.SocketIoServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.mindrot.jbcrypt.BCrypt;

/**
 * The tutorial's JWT pattern (README, "Examples"): {@code POST /login {username, password}}
 * answers {@code {token, username}}; the client connects with {@code io(url, {auth: {token}})}; a
 * handshake middleware checks the token before the connection handler ever runs, so every socket
 * there has a name. A refused token is the client's {@code connect_error} with the tutorial's
 * message, {@code "Authentication error"}.
 *
 * <pre>
 * mvn -q -B package -DskipTests
 * java -cp target/switchboard.jar examples/jwt/JwtServer.java     # http://localhost:3000/
 * </pre>
 *
 * The demo users are the tutorial's: {@code alice} / {@code password123} and {@code bob} /
 * {@code secret456}. Written on Switchboard's public API, with nimbus-jose-jwt and jbcrypt (both in
 * the jar; the Java counterparts of the tutorial's {@code jsonwebtoken} and {@code bcrypt}).
 *
 * <p>Fixed against the tutorial, each marked "Fixed:" below: the signing key is not a constant in
 * the source; the token's algorithm is pinned and its expiry checked on our clock; passwords are
 * compared in constant time, unknown users cost the same bcrypt check as known ones, and bcrypt
 * runs on a pool of its own; failed logins are limited per account and per address; the login
 * body is checked; the {@code connect_error} also says why in {@code data.code}
 * ({@code TOKEN_EXPIRED} tells a page to log in again rather than retry).
 *
 * <p>What is still missing, on purpose (the chat server, the complete example, has it): a token
 * cannot be revoked before it expires (no server-side session), there is no refresh or logout
 * endpoint, and a socket stays connected after its token's hour is over. Anywhere but localhost
 * the token needs TLS ({@code --tls-cert}, or a proxy in front).
 *
 * <p>Threading: {@code /login} runs on an HTTP worker and answers from the bcrypt pool; the
 * middleware runs on the connecting client's serial executor and only computes an HMAC.
 */
public final class JwtServer {
  static final int MAX_MESSAGE = 500;
  static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  /** The tutorial's two users, with bcrypt hashes (cost 10) instead of its placeholder strings. */
  static final Map<String, User> USERS = Map.of(
      "alice", new User("1", "alice", "$2a$10$8Q2g2Adyc5pGg.6WFwKwGOP80BRaSxNvaSO5efzcAaCj23KAfM7qe"),  // password123
      "bob", new User("2", "bob", "$2a$10$qfhAm5NyWEwNLjZVRfm8Uu4InKxLPJAEP5NyMGtSW4M1AEmW2tgxe"));    // secret456

  record User(String id, String username, String passwordHash) {}

  /** Starts the server on {@code PORT} (3000) of {@code HOST} (127.0.0.1) and serves until Ctrl-C. */
  public static void main(String[] args) throws Exception {
    SystemScheduler clock = new SystemScheduler();
    // Fixed: the tutorial signs with 'your-secret-key' written in the source. Here the key is
    // JWT_SECRET (at least 32 bytes) or 32 random bytes, so tokens die with the process.
    String configured = System.getenv("JWT_SECRET");
    byte[] key = configured != null ? configured.getBytes(StandardCharsets.UTF_8) : new byte[32];
    if (configured == null) new SecureRandom().nextBytes(key);
    if (key.length < 32) throw new IllegalArgumentException("JWT_SECRET must be at least 32 bytes");
    Tokens tokens = new Tokens(key, clock);
    Login login = new Login(tokens, new FailedLogins(clock, 5, 20, Duration.ofMinutes(15)));
    SocketIoServer io = new SocketIoServer();

    io.route("/login", login);

    // The tutorial's io.use((socket, next) => { jwt.verify(...) }).
    io.use((socket, next) -> {
      JsonNode token = socket.handshake().auth().path("token");
      if (!token.isTextual() || token.textValue().isEmpty()) {
        next.fail(new ConnectError("Authentication error", Map.of("code", "TOKEN_REQUIRED")));
        return;
      }
      JWTClaimsSet claims;
      try {
        claims = tokens.verify(token.textValue());
      } catch (TokenException e) {
        next.fail(new ConnectError("Authentication error", Map.of("code", e.code)));
        return;
      }
      socket.data().put("userId", claims.getSubject());
      socket.data().put("username", String.valueOf(claims.getClaim("username")));
      next.proceed();
    });

    io.onConnection(socket -> {
      Object username = socket.data().get("username");
      System.out.println(username + " connected");
      socket.on("message", (msg, ack) -> {
        String text = msg.isEmpty() || !msg.get(0).isTextual() ? null : msg.get(0).textValue();
        if (text == null || text.isBlank() || text.codePointCount(0, text.length()) > MAX_MESSAGE) {
          socket.emit("error", "A message is a non-empty string of at most " + MAX_MESSAGE + " characters");
          return;
        }
        io.emit("message", username + ": " + text); // every socket here has passed the middleware
      });
      socket.onDisconnect(reason -> System.out.println(username + " disconnected (" + reason + ")"));
    });

    Page.serve(io, Path.of("examples", "jwt"));
    io.listen(NetOptions.builder().host(env("HOST", "127.0.0.1")).port(Integer.parseInt(env("PORT", "3000"))).build());
    System.out.println("listening on http://localhost:" + io.port() + "/");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      io.close();
      login.pool.shutdownNow();
      clock.close();
    }));
  }

  static String env(String name, String otherwise) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? otherwise : v.strip();
  }

  /** A refused token; {@code code} goes to the client in {@code connect_error}'s {@code data}. */
  static final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;
    final String code;

    TokenException(String code) {
      super(code, null, false, false);
      this.code = code;
    }
  }

  /** Signs and checks HS256 tokens {@code {sub, username, iat, exp, jti}}. Thread-safe. */
  static final class Tokens {
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Scheduler clock;

    Tokens(byte[] key, Scheduler clock) throws JOSEException {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
      this.clock = clock;
    }

    String issue(User user) throws JOSEException {
      long now = clock.currentTimeMillis();
      JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user.id()).claim("username", user.username())
          .issueTime(new Date(now)).expirationTime(new Date(now + TOKEN_LIFETIME.toMillis()))
          .jwtID(UUID.randomUUID().toString()).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    }

    JWTClaimsSet verify(String token) throws TokenException {
      if (token.length() > 1024) throw new TokenException("AUTH_FAILED"); // before any parsing (RFC 8725 §3.3)
      try {
        // SignedJWT.parse, never JWTParser: the generic parser also returns unsigned "alg: none" tokens.
        SignedJWT jwt = SignedJWT.parse(token);
        // Fixed: the algorithm is ours, whatever the header says (RFC 8725 §2.1, §3.1).
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
          throw new TokenException("AUTH_FAILED");
        }
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        Date exp = claims.getExpirationTime();
        if (claims.getSubject() == null || !(claims.getClaim("username") instanceof String) || exp == null) {
          throw new TokenException("AUTH_FAILED");
        }
        // Only a token with our MAC learns that it expired.
        if (exp.getTime() <= clock.currentTimeMillis()) throw new TokenException("TOKEN_EXPIRED");
        return claims;
      } catch (ParseException | JOSEException | IllegalStateException e) {
        throw new TokenException("AUTH_FAILED");
      }
    }
  }

  /**
   * {@code POST /login}: {@code {username, password}} → 200 {@code {token, username}}, or
   * {@code {error}} with 400, 401 {@code Invalid credentials}, 415, 429 or 503. Runs on an HTTP
   * worker; answers from the bcrypt pool.
   */
  static final class Login implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    final ExecutorService pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64),
        r -> {
          Thread t = new Thread(r, "example-bcrypt");
          t.setDaemon(true);
          return t;
        });
    /** Unknown users are checked against this hash of the same cost, so they take as long. */
    private final String dummy = BCrypt.hashpw(Long.toString(new SecureRandom().nextLong()), BCrypt.gensalt(10));
    private final Tokens tokens;
    private final FailedLogins limits;

    Login(Tokens tokens, FailedLogins limits) {
      this.tokens = tokens;
      this.limits = limits;
    }

    @Override
    public void handle(HttpExchange exchange) {
      HttpRequest req = exchange.request();
      if (!req.method().equals("POST")) {
        exchange.respond(HttpResponse.status(405).header("Allow", "POST")
            .body("{\"error\":\"Method not allowed\"}", "application/json; charset=utf-8").build());
        return;
      }
      // Fixed: the body is checked before it costs anything (the tutorial takes any JSON).
      String type = req.header("Content-Type");
      if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
        exchange.respond(json(415, Map.of("error", "Content-Type must be application/json")));
        return;
      }
      String username;
      String password;
      try {
        if (req.body().length > 4096) throw new IOException();
        JsonNode body = JSON.readTree(req.body());
        username = body.path("username").isTextual() ? body.get("username").textValue() : null;
        password = body.path("password").isTextual() ? body.get("password").textValue() : null;
      } catch (IOException e) {
        username = null;
        password = null;
      }
      if (username == null || password == null || username.isEmpty() || username.length() > 64
          || password.isEmpty() || password.getBytes(StandardCharsets.UTF_8).length > 72) {
        exchange.respond(json(400, Map.of("error", "Username and password required")));
        return;
      }
      String account = username.strip().toLowerCase(Locale.ROOT);
      String address = exchange.remoteAddress() == null ? "" : exchange.remoteAddress().getAddress().getHostAddress();
      if (!limits.begin(address, account)) {
        exchange.respond(json(429, Map.of("error", "Too many failed attempts, try again later")));
        return;
      }
      User user = USERS.get(account);
      String pw = password;
      try {
        CompletableFuture.runAsync(() -> {
          // Fixed: a constant-time comparison (jbcrypt's checkpw compares strings), and the same
          // work and answer for an unknown user as for a wrong password.
          String expected = user == null ? dummy : user.passwordHash();
          boolean ok = MessageDigest.isEqual(BCrypt.hashpw(pw, expected).getBytes(StandardCharsets.US_ASCII),
              expected.getBytes(StandardCharsets.US_ASCII)) && user != null;
          if (!ok) {
            exchange.respond(json(401, Map.of("error", "Invalid credentials")));
            return;
          }
          limits.succeeded(address, account);
          try {
            Map<String, String> body = new LinkedHashMap<>(); // {token, username}, in the tutorial's order
            body.put("token", tokens.issue(user));
            body.put("username", user.username());
            exchange.respond(json(200, body));
          } catch (JOSEException e) {
            exchange.respond(json(500, Map.of("error", "Internal server error")));
          }
        }, pool).whenComplete((done, failure) -> {
          if (failure != null) exchange.respond(json(500, Map.of("error", "Internal server error"))); // never left unanswered
        });
      } catch (RejectedExecutionException e) { // the pool's queue is full: shed the load
        limits.forgive(address, account);
        exchange.respond(json(503, Map.of("error", "Server busy, try again")));
      }
    }

    private static HttpResponse json(int status, Map<String, String> body) {
      try {
        return HttpResponse.status(status).header("Cache-Control", "no-store")
            .body(JSON.writeValueAsString(body), "application/json; charset=utf-8").build();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
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
