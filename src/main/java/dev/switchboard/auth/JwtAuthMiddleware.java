package dev.switchboard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.storage.DatabaseUnavailableException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO handshake check: the token travels in the CONNECT packet's auth payload
 * ({@code io(url, {auth: {token}})}, socket.io-protocol §CONNECT), never in the URL — query
 * strings end up in logs, history and Referer headers (auth-pitfalls §3), so
 * {@code handshake.query} is not even looked at. A refusal is {@code connect_error} with the
 * contract's message and {@code data.code} ({@link AuthFailure}); an accepted socket carries its
 * {@link Principal} in {@code socket.data()}.
 *
 * <p>A socket.io-client 2.x socket (Engine.IO protocol 3, {@code allowEIO3}) has no auth payload:
 * for it, and only for it, the token may also come from the handshake's {@code Authorization:
 * Bearer} header ({@code extraHeaders}, outside browsers) or, last, from the handshake query's
 * {@code token} ({@code io(url, {query: {token}})}) — a URL, with the costs
 * spec-notes/authentication.md lists ("Clients without an auth payload").
 *
 * <pre>{@code
 * SessionSockets live = new SessionSockets(auth, clock);
 * JwtAuthMiddleware.install(io.sockets(), auth, live);   // before the application's handlers
 * }</pre>
 *
 * <p>Threading: runs on the connecting socket's serial executor. The check is an HMAC and two
 * map lookups ({@link Authenticator#authenticateCached}), so it answers at once. When the session
 * or its user is not in memory and the sessions live in a database (the first connection after a
 * restart, or on another node), the database is read on {@code blocking} — never on the
 * executor, which a stalled database would stall — and the answer comes from there
 * ({@link Middleware.Next} may be called from any thread). The database away → refused with
 * {@link AuthFailure#UNAVAILABLE}; sockets already connected are not touched.
 */
public final class JwtAuthMiddleware implements Middleware {
  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthMiddleware.class);

  private final Authenticator auth;
  /** Where a database read for a cache miss runs; null: on the caller (in-memory stores only). */
  private final Executor blocking;

  /** For in-memory stores: every answer is made on the socket's executor. */
  public JwtAuthMiddleware(Authenticator auth) {
    this(auth, null);
  }

  /** {@code blocking} runs the database reads of a cache miss (a worker pool, not an I/O thread). */
  public JwtAuthMiddleware(Authenticator auth, Executor blocking) {
    this.auth = auth;
    this.blocking = blocking;
  }

  /** Checks every CONNECT to {@code ns}, and hands accepted sockets to {@code live}. */
  public static void install(Namespace ns, Authenticator auth, SessionSockets live) {
    install(ns, auth, live, null);
  }

  /** {@link #install(Namespace, Authenticator, SessionSockets)}, cache misses read on {@code blocking}. */
  public static void install(Namespace ns, Authenticator auth, SessionSockets live, Executor blocking) {
    ns.use(new JwtAuthMiddleware(auth, blocking));
    ns.onConnection(live::add);
  }

  @Override
  public void handle(Socket socket, Next next) {
    JsonNode t = socket.handshake().auth().get("token");
    String token = t != null && t.isTextual() ? t.textValue() : "";
    if (token.isEmpty() && socket.engineIoProtocol() == 3) token = protocol3Token(socket.handshake());
    // Some clients send the HTTP form "Bearer <token>" (RFC 6750 §2.1: the scheme, 1*SP); the
    // prefix carries nothing. The token itself is not trimmed: a JSON string has no transport
    // whitespace to forgive, and a token has one spelling (RFC 7515 §7.1), so " <token>\n" is
    // refused like a TAB inside it (TokenService#isCanonicalCompactHs256).
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      int start = 7;
      while (start < token.length() && token.charAt(start) == ' ') start++;
      token = token.substring(start);
    }
    if (token.isBlank()) {
      next.fail(refusal(AuthFailure.TOKEN_REQUIRED));
      return;
    }
    Principal p;
    try {
      p = auth.authenticateCached(token);
    } catch (AuthException e) {
      next.fail(refusal(e.failure()));
      return;
    }
    if (p != null) {
      socket.data().put(Principal.DATA_KEY, p);
      next.proceed();
      return;
    }
    String checked = token;
    if (blocking == null) {
      check(socket, checked, next);
      return;
    }
    try {
      blocking.execute(() -> check(socket, checked, next));
    } catch (RejectedExecutionException e) {
      next.fail(refusal(AuthFailure.UNAVAILABLE));
    }
  }

  /**
   * Where a 2.x client can put its token (issue #12): one {@code Authorization} header with the
   * Bearer scheme (RFC 6750 §2.1), else the query's {@code token}. Two Authorization headers are
   * ambiguous and count as none. Never logged.
   */
  private static String protocol3Token(dev.switchboard.socketio.Handshake handshake) {
    dev.switchboard.http.HttpHeaders headers = handshake.headers();
    if (headers.count("Authorization") == 1) {
      String value = headers.first("Authorization");
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) return value;
    }
    String fromQuery = handshake.query().get("token");
    return fromQuery == null ? "" : fromQuery;
  }

  /** The full check, which may read the database. */
  private void check(Socket socket, String token, Next next) {
    try {
      Principal p = auth.authenticate(token);
      socket.data().put(Principal.DATA_KEY, p);
      next.proceed();
    } catch (AuthException e) {
      next.fail(refusal(e.failure()));
    } catch (DatabaseUnavailableException e) {
      LOG.warn(e.getMessage());
      next.fail(refusal(AuthFailure.UNAVAILABLE));
    }
  }

  static ConnectError refusal(AuthFailure f) {
    return new ConnectError(f.message(), Map.of("code", f.code()));
  }
}
