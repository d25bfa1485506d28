package dev.switchboard.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.CorsPolicy;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpExchange;
import dev.switchboard.net.HttpHandler;
import dev.switchboard.storage.DatabaseUnavailableException;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of authentication, under {@code /auth/}: register, login, logout, refresh,
 * config (spec-notes/authentication.md, "HTTP API"). Every answer is JSON with
 * {@code Cache-Control: no-store}; a refusal is {@code {"error": sentence}} with the status that
 * says why.
 *
 * <p>Bodies are checked strictly before anything costs CPU: {@code Content-Type:
 * application/json} (415 otherwise — which also keeps cross-site HTML forms out, since they
 * cannot send it without a CORS preflight), at most {@code maxBodyBytes} (413), valid UTF-8
 * JSON without a byte-order mark (RFC 8259 §8.1; see {@link #startsWithByteOrderMark}), one
 * object, no duplicate keys, no trailing data, no field but {@code username} and
 * {@code password}, both strings (400). A 400 never reaches the limiter or bcrypt, so malformed
 * requests neither cost a hash nor count as failed logins.
 *
 * <p>Threading: {@link #handle} runs on an HTTP worker (a non-inline route); login and sign-up
 * answer later from the bcrypt pool. Nothing here blocks an I/O thread.
 */
public final class AuthHttpHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AuthHttpHandler.class);
  public static final String PREFIX = "/auth/";
  /**
   * The login endpoint of the tutorial's JWT pattern: the same check, throttle, limits and CORS as
   * {@code /auth/login}, answering its shape {@code {token, username}} (authentication.md).
   */
  public static final String LOGIN_ALIAS = "/login";
  /** RFC 6750 §2.1 b64token. */
  private static final Pattern BEARER = Pattern.compile("(?i)Bearer ([A-Za-z0-9\\-._~+/]+=*)");

  private final Authenticator auth;
  private final CorsPolicy cors;
  private final ObjectMapper json;

  public AuthHttpHandler(Authenticator auth, Set<String> allowedOrigins) {
    this.auth = auth;
    this.cors = new CorsPolicy(allowedOrigins, false, "GET, POST");
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(4096).build())
        .build();
    this.json = new ObjectMapper(factory)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Whether a request path is ours (register with {@code io.route(AuthHttpHandler::matches, h)}). */
  public static boolean matches(String path) {
    return path.startsWith(PREFIX) || path.equals(LOGIN_ALIAS);
  }

  /**
   * {@code maxBodyBytes} of {@link AuthOptions} (4 KB), declared to the HTTP layer: a larger
   * declared or received body is answered 413 there, before it is buffered (issue #14).
   */
  @Override
  public long maxBodyBytes(HttpRequest head) {
    return auth.options().maxBodyBytes();
  }

  @Override
  public void handle(HttpExchange exchange) {
    HttpRequest req = exchange.request();
    if ("OPTIONS".equals(req.method()) && cors.isEnabled()) {
      exchange.respond(cors.preflight(req));
      return;
    }
    if (req.path().equals(LOGIN_ALIAS)) {
      if (allowed(exchange, "POST")) login(exchange, true);
      return;
    }
    String action = req.path().substring(PREFIX.length());
    switch (action) {
      case "config" -> {
        if (!allowed(exchange, "GET")) return;
        ObjectNode body = json.createObjectNode().put("registration", auth.options().registration());
        exchange.respond(ok(req, 200, body));
      }
      case "login" -> {
        if (allowed(exchange, "POST")) login(exchange, false);
      }
      case "register" -> {
        if (allowed(exchange, "POST")) register(exchange);
      }
      case "logout" -> {
        if (allowed(exchange, "POST")) logout(exchange);
      }
      case "refresh" -> {
        if (allowed(exchange, "POST")) refresh(exchange);
      }
      default -> exchange.respond(error(req, 404, "Not found"));
    }
  }

  // ------------------------------------------------------------------ endpoints

  /** {@code tutorialShape}: the {@link #LOGIN_ALIAS} answer, {@code {token, username}}, on success. */
  private void login(HttpExchange exchange, boolean tutorialShape) {
    HttpRequest req = exchange.request();
    Credentials c;
    try {
      c = credentials(req);
      if (c.username.isEmpty() || c.username.length() > Usernames.MAX_LOGIN_LENGTH) {
        throw new BadRequest(400, "username must be 1-" + Usernames.MAX_LOGIN_LENGTH + " characters");
      }
      if (c.password.isEmpty()) throw new BadRequest(400, "password is required");
      if (Passwords.utf8Length(c.password) > Passwords.MAX_BYTES) throw new BadRequest(400, Passwords.TOO_LONG);
    } catch (BadRequest e) {
      auth.countMalformed();
      exchange.respond(error(req, e.status, e.getMessage()));
      return;
    }
    auth.login(address(exchange), c.username, c.password)
        .whenComplete((r, failure) -> exchange.respond(failure != null ? internalError(req, failure)
            : tutorialShape && r.outcome() == LoginOutcome.SUCCESS ? ok(req, 200, tutorialGrantBody(r.grant()))
            : answer(req, r, 200)));
  }

  private void register(HttpExchange exchange) {
    HttpRequest req = exchange.request();
    if (!auth.options().registration()) {
      exchange.respond(error(req, 403, "Registration is disabled"));
      return;
    }
    Credentials c;
    try {
      c = credentials(req);
    } catch (BadRequest e) {
      exchange.respond(error(req, e.status, e.getMessage()));
      return;
    }
    try {
      auth.register(address(exchange), c.username, c.password)
          .whenComplete((r, failure) -> exchange.respond(failure != null ? internalError(req, failure) : answer(req, r, 201)));
    } catch (IllegalArgumentException e) { // a name or password rule, with its sentence
      exchange.respond(error(req, 400, e.getMessage()));
    }
  }

  private void logout(HttpExchange exchange) {
    HttpRequest req = exchange.request();
    if (refusedByteOrderMark(exchange)) return;
    try {
      // The tutorial's answers (200 with a message, also for a session that had already ended),
      // which keep logout idempotent as before.
      boolean ended = auth.logout(bearer(req));
      exchange.respond(ok(req, 200, json.createObjectNode()
          .put("message", ended ? "Logged out successfully" : "Already logged out")));
    } catch (AuthException e) {
      exchange.respond(unauthorized(req, e.failure()));
    } catch (DatabaseUnavailableException e) { // nothing was revoked: the client may try again
      exchange.respond(unavailable(req, e));
    }
  }

  private void refresh(HttpExchange exchange) {
    HttpRequest req = exchange.request();
    if (refusedByteOrderMark(exchange)) return;
    try {
      Authenticator.Grant g = auth.refresh(bearer(req));
      exchange.respond(ok(req, 200, grantBody(g)));
    } catch (AuthException e) {
      exchange.respond(unauthorized(req, e.failure()));
    } catch (DatabaseUnavailableException e) {
      exchange.respond(unavailable(req, e));
    }
  }

  // ------------------------------------------------------------------ parsing

  private record Credentials(String username, String password) {}

  private static final class BadRequest extends Exception {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private Credentials credentials(HttpRequest req) throws BadRequest {
    String type = req.header("Content-Type");
    if (type == null || !isJson(type)) throw new BadRequest(415, "Content-Type must be application/json");
    if (req.body().length > auth.options().maxBodyBytes()) throw new BadRequest(413, "Request body too large");
    if (startsWithByteOrderMark(req.body())) throw new BadRequest(400, NO_BOM);
    // Jackson would detect UTF-16 and UTF-32 by their NUL bytes and decode them; RFC 8259 §8.1
    // wants UTF-8, where a raw NUL is never valid JSON.
    if (containsNul(req.body())) throw new BadRequest(400, "Request body is not valid JSON");
    JsonNode root;
    try {
      root = json.readTree(req.body());
    } catch (IOException e) {
      throw new BadRequest(400, "Request body is not valid JSON");
    }
    if (root == null || !root.isObject()) throw new BadRequest(400, "Request body must be a JSON object");
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("username") && !f.equals("password")) throw new BadRequest(400, "Unexpected field in request body");
    }
    return new Credentials(field(root, "username"), field(root, "password"));
  }

  static final String NO_BOM = "Request body must not start with a byte-order mark";

  /**
   * RFC 8259 §8.1: a JSON text exchanged between systems is UTF-8, and implementations MUST NOT
   * add a byte-order mark. A parser MAY ignore one — Jackson does, and decodes UTF-16 and UTF-32
   * after theirs — but we refuse it: a body with a BOM was not made by a client that follows the
   * spec, and taking it would give one login body two spellings. So a body starting with the
   * UTF-8 BOM (EF BB BF) or a UTF-16 one (FE FF, FF FE; the UTF-32 ones begin with those or with
   * NUL) is 400, before the body is parsed and long before bcrypt.
   */
  static boolean startsWithByteOrderMark(byte[] body) {
    if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) return true;
    return body.length >= 2 && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF) || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE));
  }

  private static boolean containsNul(byte[] body) {
    for (byte b : body) {
      if (b == 0) return true;
    }
    return false;
  }

  /** Logout and refresh read no body, but one with a BOM is still malformed (400, see above). */
  private boolean refusedByteOrderMark(HttpExchange exchange) {
    if (!startsWithByteOrderMark(exchange.request().body())) return false;
    exchange.respond(error(exchange.request(), 400, NO_BOM));
    return true;
  }

  private static String field(JsonNode root, String name) throws BadRequest {
    JsonNode n = root.get(name);
    if (n == null || n.isNull()) throw new BadRequest(400, name + " is required");
    if (!n.isTextual()) throw new BadRequest(400, name + " must be a string");
    String s = n.textValue();
    if (!isWellFormedUnicode(s)) throw new BadRequest(400, name + " must be valid Unicode");
    return s;
  }

  /** A JSON "\ud800" escape gives a lone surrogate, which UTF-8 encoding would turn into '?'. */
  private static boolean isWellFormedUnicode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isJson(String contentType) {
    String[] parts = contentType.split(";");
    if (!parts[0].strip().equalsIgnoreCase("application/json")) return false;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
      if (!p.equals("charset=utf-8")) return false;
    }
    return true;
  }

  /** The token of {@code Authorization: Bearer <token>} (RFC 6750 §2.1); never from the query. */
  private static String bearer(HttpRequest req) throws AuthException {
    if (req.headers().count("Authorization") > 1) throw new AuthException(AuthFailure.AUTH_FAILED);
    String h = req.header("Authorization");
    if (h == null || h.isBlank()) throw new AuthException(AuthFailure.TOKEN_REQUIRED);
    var m = BEARER.matcher(h.strip());
    if (!m.matches()) throw new AuthException(AuthFailure.AUTH_FAILED);
    return m.group(1);
  }

  private static String address(HttpExchange exchange) {
    // The TCP peer, or the client a trusted proxy names (--trusted-proxy): X-Forwarded-For from
    // anyone else is ignored, or a guesser would rotate it (auth-pitfalls §6).
    return exchange.clientAddress().getHostAddress();
  }

  // ------------------------------------------------------------------ answers

  private boolean allowed(HttpExchange exchange, String method) {
    HttpRequest req = exchange.request();
    if (req.method().equals(method) || (method.equals("GET") && req.method().equals("HEAD"))) return true;
    String allow = cors.isEnabled() ? method + ", OPTIONS" : method;
    exchange.respond(decorate(req, HttpResponse.status(405)).header("Allow", allow)
        .body(body(json.createObjectNode().put("error", "Method not allowed")), "application/json; charset=utf-8")
        .build());
    return false;
  }

  private HttpResponse answer(HttpRequest req, Authenticator.Result r, int successStatus) {
    return switch (r.outcome()) {
      case SUCCESS -> ok(req, successStatus, grantBody(r.grant()));
      case INVALID_CREDENTIALS -> error(req, 401, r.message());
      case TAKEN -> error(req, 409, r.message());
      case DISABLED -> error(req, 403, r.message());
      case THROTTLED -> errorBuilder(req, 429, r.message())
          .header("Retry-After", Long.toString(r.retryAfter().toSeconds())).build();
      case BUSY -> errorBuilder(req, 503, r.message()).header("Retry-After", "1").build();
      case UNAVAILABLE -> errorBuilder(req, 503, r.message())
          .header("Retry-After", Long.toString(r.retryAfter().toSeconds())).build();
      case MALFORMED -> error(req, 400, r.message());
    };
  }

  private ObjectNode grantBody(Authenticator.Grant g) {
    ObjectNode body = json.createObjectNode();
    body.put("token", g.token().token());
    body.putObject("user").put("id", g.user().id()).put("username", g.user().username());
    body.put("expiresAt", Instant.ofEpochMilli(g.token().expiresAtMillis()).toString());
    return body;
  }

  /** The tutorial's JWT-pattern login answer: {@code {token, username}}. */
  private ObjectNode tutorialGrantBody(Authenticator.Grant g) {
    return json.createObjectNode().put("token", g.token().token()).put("username", g.user().username());
  }

  private HttpResponse unauthorized(HttpRequest req, AuthFailure f) {
    return errorBuilder(req, 401, f.message())
        .header("WWW-Authenticate", f == AuthFailure.TOKEN_REQUIRED ? "Bearer" : "Bearer error=\"invalid_token\"")
        .build();
  }

  private HttpResponse internalError(HttpRequest req, Throwable failure) {
    LOG.warn("authentication request failed", failure);
    return error(req, 500, "Internal server error");
  }

  private HttpResponse ok(HttpRequest req, int status, ObjectNode body) {
    return decorate(req, HttpResponse.status(status)).body(body(body), "application/json; charset=utf-8").build();
  }

  /** 503 with {@code Retry-After}: the database is away (RFC 9110 §15.6.4, §10.2.3). */
  private HttpResponse unavailable(HttpRequest req, DatabaseUnavailableException e) {
    org.slf4j.LoggerFactory.getLogger(AuthHttpHandler.class).warn(e.getMessage());
    return errorBuilder(req, 503, AuthFailure.UNAVAILABLE.message())
        .header("Retry-After", Long.toString(Authenticator.UNAVAILABLE_RETRY_AFTER.toSeconds())).build();
  }

  private HttpResponse error(HttpRequest req, int status, String message) {
    return errorBuilder(req, status, message).build();
  }

  private HttpResponse.Builder errorBuilder(HttpRequest req, int status, String message) {
    return decorate(req, HttpResponse.status(status))
        .body(body(json.createObjectNode().put("error", message)), "application/json; charset=utf-8");
  }

  private HttpResponse.Builder decorate(HttpRequest req, HttpResponse.Builder b) {
    b.header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff");
    return cors.decorate(req, b);
  }

  private String body(ObjectNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
