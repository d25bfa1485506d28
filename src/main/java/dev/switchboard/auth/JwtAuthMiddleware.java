package dev.switchboard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import java.util.Map;

/**
 * The Socket.IO handshake check: the token travels in the CONNECT packet's auth payload
 * ({@code io(url, {auth: {token}})}, socket.io-protocol §CONNECT), never in the URL — query
 * strings end up in logs, history and Referer headers (auth-pitfalls §3), so
 * {@code handshake.query} is not even looked at. A refusal is {@code connect_error} with the
 * contract's message and {@code data.code} ({@link AuthFailure}); an accepted socket carries its
 * {@link Principal} in {@code socket.data()}.
 *
 * <pre>{@code
 * SessionSockets live = new SessionSockets(auth, clock);
 * JwtAuthMiddleware.install(io.sockets(), auth, live);   // before the application's handlers
 * }</pre>
 *
 * <p>Threading: runs on the connecting socket's serial executor; the check is an HMAC and a map
 * lookup, so it answers at once.
 */
public final class JwtAuthMiddleware implements Middleware {
  private final Authenticator auth;

  public JwtAuthMiddleware(Authenticator auth) {
    this.auth = auth;
  }

  /** Checks every CONNECT to {@code ns}, and hands accepted sockets to {@code live}. */
  public static void install(Namespace ns, Authenticator auth, SessionSockets live) {
    ns.use(new JwtAuthMiddleware(auth));
    ns.onConnection(live::add);
  }

  @Override
  public void handle(Socket socket, Next next) {
    JsonNode t = socket.handshake().auth().get("token");
    String token = t != null && t.isTextual() ? t.textValue() : "";
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
    try {
      Principal p = auth.authenticate(token);
      socket.data().put(Principal.DATA_KEY, p);
      next.proceed();
    } catch (AuthException e) {
      next.fail(refusal(e.failure()));
    }
  }

  static ConnectError refusal(AuthFailure f) {
    return new ConnectError(f.message(), Map.of("code", f.code()));
  }
}
