package dev.switchboard.engineio;

import dev.switchboard.engineio.protocol.EngineIoProtocol.ErrorCode;
import dev.switchboard.engineio.protocol.OpenPacket;
import dev.switchboard.engineio.transport.PollingResponses;
import dev.switchboard.engineio.transport.PollingTransport;
import dev.switchboard.engineio.transport.ResponseDecorator;
import dev.switchboard.engineio.transport.WebSocketTransport;
import dev.switchboard.http.HttpParseException;
import dev.switchboard.http.CorsPolicy;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.http.QueryParameters;
import dev.switchboard.net.HttpExchange;
import dev.switchboard.net.HttpHandler;
import dev.switchboard.net.WebSocketConnection;
import dev.switchboard.net.WebSocketHandler;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.websocket.DeflateOptions;
import dev.switchboard.websocket.PerMessageDeflate;
import dev.switchboard.websocket.WebSocketHandshake;
import dev.switchboard.websocket.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The Engine.IO v4 server (and v3 with {@code allowEIO3}): checks each request on its path (engine.io-protocol §HTTP error
 * codes), opens sessions, and routes requests that carry a sid to their session.
 *
 * <p>Threading: {@link #handle} runs on the I/O thread that parsed the request (it only checks
 * and routes, never blocks); session work is handed to each session's serial executor, the
 * {@link RequestFilter} to a worker. The session map is concurrent.
 */
public final class EngineIoServer implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(EngineIoServer.class);

  private final EngineIoOptions options;
  private final Scheduler scheduler;
  private final Executor workers;
  private final SessionIdGenerator ids;
  private final EngineIoListener listener;
  private final RequestFilter filter;
  private final CorsPolicy corsPolicy;
  private final ResponseDecorator cors;
  private final PollingResponses pollingResponses;
  private final Map<String, EngineIoSession> sessions = new ConcurrentHashMap<>();
  /**
   * Sessions not yet {@linkplain EngineIoConnection#established() established}, with the client
   * address they count against, and the counts by address ({@link EngineIoOptions#maxUnconnectedSessionsPerAddress()});
   * only filled when that cap is on. A map beside the sessions, not a field in each, so that an
   * established session costs nothing.
   */
  private final Map<EngineIoSession, java.net.InetAddress> unconnected = new ConcurrentHashMap<>();
  private final Map<java.net.InetAddress, Integer> unconnectedByAddress = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.LongAdder unconnectedRefusals = new java.util.concurrent.atomic.LongAdder();
  private final dev.switchboard.scheduling.RateLimitedLog unconnectedLog;
  private volatile boolean shuttingDown;
  /** Requests refused with each {@link ErrorCode}, by ordinal ({@link #errorCounts()}). */
  private final java.util.concurrent.atomic.LongAdder[] errorCounts = newErrorCounters();
  /** Where {@link #onConnectionError}'s observer runs: its own serial executor on the workers. */
  private final SerialExecutor errorReports;
  /** Reports handed to the workers and not yet run; at most {@link #MAX_PENDING_ERROR_REPORTS}. */
  private final java.util.concurrent.atomic.AtomicInteger pendingErrorReports = new java.util.concurrent.atomic.AtomicInteger();
  /** Reports that may wait for the observer at once; past it a refusal is only counted. */
  public static final int MAX_PENDING_ERROR_REPORTS = 1024;
  /** {@link #onConnectionError}'s observer, or null. */
  private volatile java.util.function.Consumer<ConnectionError> connectionErrors;

  /**
   * A server with its options, the clock for its timers, the worker pool its sessions' serial
   * executors run on, the sid generator, an optional {@code allowRequest} hook (null: none) and
   * the listener told of each new session.
   */
  public EngineIoServer(EngineIoOptions options, Scheduler scheduler, Executor workers,
      SessionIdGenerator ids, RequestFilter filter, EngineIoListener listener) {
    this.options = options;
    this.scheduler = scheduler;
    this.workers = workers;
    this.ids = ids;
    this.filter = filter;
    this.listener = listener;
    this.errorReports = new SerialExecutor(workers);
    this.corsPolicy = new CorsPolicy(options.allowedOrigins(), options.corsCredentials(), "GET, POST");
    this.cors = corsPolicy::decorate;
    this.pollingResponses = new PollingResponses(cors, options.httpCompression(), options.httpCompressionThreshold());
    this.unconnectedLog = new dev.switchboard.scheduling.RateLimitedLog(LOG, Level.INFO,
        "refused_unconnected_sessions_per_address", scheduler);
  }

  /** Handshakes refused by {@link EngineIoOptions#maxUnconnectedSessionsPerAddress()} so far. */
  public long unconnectedSessionRefusals() {
    return unconnectedRefusals.sum();
  }

  /**
   * Requests refused with an Engine.IO protocol error since the start, by error (lower-case names:
   * {@code transport_unknown}, {@code session_id_unknown}, {@code bad_handshake_method},
   * {@code bad_request}, {@code forbidden}, {@code unsupported_protocol_version}), every one listed.
   * What {@link #onConnectionError} is told of, counted whether or not an observer is set. Any thread.
   */
  public Map<String, Long> errorCounts() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (ErrorCode e : ErrorCode.values()) out.put(e.name().toLowerCase(java.util.Locale.ROOT), errorCounts[e.ordinal()].sum());
    return out;
  }

  private static java.util.concurrent.atomic.LongAdder[] newErrorCounters() {
    java.util.concurrent.atomic.LongAdder[] a = new java.util.concurrent.atomic.LongAdder[ErrorCode.values().length];
    for (int i = 0; i < a.length; i++) a[i] = new java.util.concurrent.atomic.LongAdder();
    return a;
  }

  /** Sessions open right now that the application has not established (0 when the cap is off). */
  public int unconnectedSessionCount() {
    return unconnected.size();
  }

  /** The options this server runs with. */
  public EngineIoOptions options() {
    return options;
  }

  /** Whether {@code path} (still percent-encoded) is ours: an exact match, no normalisation. */
  public boolean matches(String path) {
    return options.path().equals(path);
  }

  /** Open sessions right now. */
  public int sessionCount() {
    return sessions.size();
  }

  /** The open session with this sid, or null. Any thread. */
  public EngineIoSession session(String sid) {
    return sessions.get(sid);
  }

  @Override
  public void handle(HttpExchange exchange) {
    HttpRequest req = exchange.request();
    String origin = req.header("Origin");
    if (origin != null && !CorsPolicy.isWellFormedOrigin(origin)) {
      // hostile-inputs.md#A35: engine.io answers a malformed Origin with "Bad request".
      reject(exchange, ErrorCode.BAD_REQUEST, "malformed Origin header");
      return;
    }
    if ("OPTIONS".equals(req.method()) && !options.allowedOrigins().isEmpty()) {
      exchange.respond(corsPolicy.preflight(req));
      return;
    }
    QueryParameters query;
    try {
      query = QueryParameters.parse(req.rawQuery());
    } catch (HttpParseException e) {
      reject(exchange, ErrorCode.BAD_REQUEST, "malformed query"); // hostile-inputs.md#A10
      return;
    }
    // hostile-inputs.md#A9: one documented rule for repeated parameters: ambiguity is refused.
    if (query.count("transport") > 1 || query.count("sid") > 1 || query.count("EIO") > 1) {
      reject(exchange, ErrorCode.BAD_REQUEST, "repeated query parameter");
      return;
    }
    String transport = query.first("transport");
    // engine.io-protocol §HTTP error codes, checked in the order engine.io's verify() uses.
    // An exact, case-sensitive list look-up: no enum valueOf, no reflection (CVE-2023-31125).
    if (transport == null || !options.transports().contains(transport)) {
      reject(exchange, ErrorCode.TRANSPORT_UNKNOWN, transport == null ? "no transport" : "transport not enabled");
      return;
    }
    if (origin != null && !options.allowedOrigins().isEmpty() && !options.allowedOrigins().contains(origin)) {
      // hostile-inputs.md#C78: with an allow-list, every request (and every WebSocket, which CORS
      // does not protect) from another browser origin is refused.
      reject(exchange, ErrorCode.FORBIDDEN, "origin not allowed");
      return;
    }
    boolean isUpgrade = WebSocketHandshake.isUpgradeRequest(req);
    String sid = query.first("sid");
    if (sid != null && !sid.isEmpty()) {
      routeToSession(exchange, sid, transport, isUpgrade, base64Only(query));
      return;
    }
    // engine.io-protocol §Handshake: only GET opens a session (hostile-inputs.md#A4).
    if (!"GET".equals(req.method())) {
      reject(exchange, ErrorCode.BAD_HANDSHAKE_METHOD, "handshake not a GET");
      return;
    }
    if ("websocket".equals(transport) && !isUpgrade) {
      reject(exchange, ErrorCode.BAD_REQUEST, "websocket handshake without upgrade"); // hostile-inputs.md#A7
      return;
    }
    if ("polling".equals(transport) && isUpgrade) {
      reject(exchange, ErrorCode.BAD_REQUEST, "transport mismatch"); // hostile-inputs.md#B65
      return;
    }
    // hostile-inputs.md#A1, hostile-inputs.md#A2: only the exact string "4" is protocol v4, and
    // with allowEIO3 only the exact string "3" is protocol 3. Node reads every other value as 3;
    // one spelling per revision here (spec-notes/engine-io.md, "Engine.IO v3").
    String eio = query.first("EIO");
    boolean eio3 = options.allowEIO3() && "3".equals(eio);
    if (!eio3 && !"4".equals(eio)) {
      reject(exchange, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, eio == null ? "no protocol version" : "protocol version not served");
      return;
    }
    if (eio3 && query.first("j") != null) {
      // JSONP polling (EIO3 §Transports › Polling › JSONP) is not served: only a client without
      // XHR or with forceJSONP asks for it, and its script-tag answers need a response shape of
      // their own. Refused plainly rather than answered with a payload it cannot read.
      reject(exchange, ErrorCode.BAD_REQUEST, "JSONP not served");
      return;
    }
    if (shuttingDown) {
      exchange.respond(errorResponse(req, 503, "{\"code\":3,\"message\":\"Server shutting down\"}"));
      return;
    }
    if (sessions.size() >= options.maxSessions()) {
      exchange.respond(errorResponse(req, 503, "{\"code\":3,\"message\":\"Too many sessions\"}"));
      return;
    }
    boolean b64 = eio3 && base64Only(query);
    if (filter == null) {
      handshake(exchange, transport, eio3, b64);
      return;
    }
    // Application code: never on the I/O thread.
    workers.execute(() -> filter.allow(req, exchange.remoteAddress()).whenComplete((ok, err) -> {
      if (err != null || !Boolean.TRUE.equals(ok)) reject(exchange, ErrorCode.FORBIDDEN, "allowRequest refused");
      else handshake(exchange, transport, eio3, b64);
    }));
  }

  /**
   * The head of a POST whose body is still arriving. hostile-inputs.md#A15: a second upload for the
   * same session while one is in progress closes the session, like engine.io's "data request
   * overlap"; both uploads then get 400.
   */
  @Override
  public void onRequestHead(HttpRequest head, Object connection) {
    EngineIoSession session = sessionOfPost(head);
    if (session != null) session.executor().execute(() -> session.onDataRequestStarted(connection));
  }

  @Override
  public void onRequestAbandoned(HttpRequest head, Object connection) {
    EngineIoSession session = sessionOfPost(head);
    if (session != null) session.executor().execute(() -> session.onDataRequestEnded(connection));
  }

  /**
   * Engine.IO's body limit, {@code maxHttpBufferSize} (engine.io-protocol §HTTP long-polling: a
   * payload over it is refused), declared to the HTTP layer so that it answers 413 before buffering.
   */
  @Override
  public long maxBodyBytes(HttpRequest head) {
    return options.maxHttpBufferSize();
  }

  private EngineIoSession sessionOfPost(HttpRequest head) {
    if (!"POST".equals(head.method())) return null;
    try {
      String sid = QueryParameters.parse(head.rawQuery()).first("sid");
      return sid == null ? null : sessions.get(sid);
    } catch (HttpParseException e) {
      return null;
    }
  }

  /**
   * EIO3 §URLs: {@code b64} asks for binary as base64 text. Node tests the value for
   * JavaScript truth, so {@code b64=} (empty) does not count and {@code b64=0} does. v4 ignores it.
   */
  private static boolean base64Only(QueryParameters query) {
    String b64 = query.first("b64");
    return b64 != null && !b64.isEmpty();
  }

  private void routeToSession(HttpExchange exchange, String sid, String transport, boolean isUpgrade,
      boolean base64Only) {
    EngineIoSession session = sessions.get(sid);
    if (session == null) {
      reject(exchange, ErrorCode.SESSION_ID_UNKNOWN, "unknown sid"); // hostile-inputs.md#A8, hostile-inputs.md#C79
      return;
    }
    HttpRequest req = exchange.request();
    if (isUpgrade) {
      if (!"websocket".equals(transport)) {
        reject(exchange, ErrorCode.BAD_REQUEST, "transport mismatch"); // hostile-inputs.md#B65
        return;
      }
      upgrade(exchange, session, base64Only);
      return;
    }
    // The transport mismatch (hostile-inputs.md#A13) is checked on the session's executor, after
    // whatever that session received earlier (a probe and its upgrade) has been handled.
    boolean isGet = "GET".equals(req.method());
    if (!isGet && !"POST".equals(req.method())) {
      reject(exchange, ErrorCode.BAD_REQUEST, "method not GET or POST"); // hostile-inputs.md#A6
      return;
    }
    session.executor().execute(() -> session.onPollingRequest(exchange, isGet));
  }

  private void upgrade(HttpExchange exchange, EngineIoSession session, boolean base64Only) {
    String accept;
    try {
      accept = WebSocketHandshake.validate(exchange.request());
    } catch (WebSocketHandshakeException e) {
      refuseHandshake(exchange, e);
      return;
    }
    session.executor().execute(() -> {
      // hostile-inputs.md#C74, hostile-inputs.md#C77: one probe at a time, and only from polling.
      if (!session.canStartUpgrade()) {
        // Like Node's engine.io: complete the handshake, then close at once. The official suite
        // ("ignores WebSocket connection with same sid after upgrade") waits for a close event.
        WebSocketConnection refused = upgradeOrNull(exchange, accept, IGNORE, session.executor());
        if (refused != null) refused.close(CloseCodes.NORMAL, "");
        return;
      }
      WebSocketTransport ws = new WebSocketTransport(session.protocol() == 3, base64Only);
      WebSocketConnection conn = upgradeOrNull(exchange, accept, ws, messageExecutor(session.executor()));
      if (conn == null) return; // the client left first: no probe
      ws.attach(conn);
      session.startUpgrade(ws);
    });
  }

  private void handshake(HttpExchange exchange, String transport, boolean eio3, boolean base64Only) {
    HttpRequest req = exchange.request();
    String accept = null;
    if ("websocket".equals(transport)) {
      try {
        accept = WebSocketHandshake.validate(req);
      } catch (WebSocketHandshakeException e) {
        refuseHandshake(exchange, e);
        return;
      }
    }
    java.net.InetAddress client = null;
    if (options.maxUnconnectedSessionsPerAddress() > 0) {
      client = exchange.clientAddress();
      if (!takeUnconnectedSlot(client)) {
        unconnectedRefusals.increment();
        java.net.InetAddress refused = client;
        unconnectedLog.event(() -> "handshake refused (unconnected_sessions_per_address): " + refused.getHostAddress());
        exchange.respond(errorResponse(req, 503, "{\"code\":3,\"message\":\"Too many sessions from this address\"}"));
        return;
      }
    }
    String sid = ids.next();
    SerialExecutor executor = new SerialExecutor(workers);
    EngineIoSession session = new EngineIoSession(sid, this, options, scheduler, executor, req,
        clientOf(exchange, client), exchange.isSecure(), eio3);
    if (client != null) unconnected.put(session, client);
    sessions.put(sid, session);
    String acceptKey = accept;
    executor.execute(() -> {
      if ("websocket".equals(transport)) {
        WebSocketTransport ws = new WebSocketTransport(eio3, base64Only);
        WebSocketConnection conn = upgradeOrNull(exchange, acceptKey, ws, messageExecutor(executor),
            options.cookie() == null ? null : options.cookie().headerValue(sid));
        if (conn == null) {
          remove(session); // the client left before its handshake was handled: no session
          return;
        }
        ws.attach(conn);
        session.open(ws);
      } else {
        PollingTransport polling = new PollingTransport(executor, pollingResponses, eio3, base64Only);
        // Node's cookie option: the handshake's answer (the OPEN packet) sets the session cookie
        // (spec-notes/engine-io.md, "Handshake"; engine.io-protocol §Handshake).
        if (options.cookie() != null) polling.setCookieOnNextResponse(options.cookie().headerValue(sid));
        session.open(polling);
        polling.onPoll(exchange);
      }
      try {
        listener.onConnection(session);
      } catch (RuntimeException e) {
        LOG.warn("connection listener failed", e);
      }
    });
  }

  /**
   * The executor a session's WebSocket messages are handed to: its serial executor, or with
   * {@link EngineIoOptions#nonBlockingHandlers} the view that runs a message on the I/O thread
   * when the session is idle.
   */
  private Executor messageExecutor(SerialExecutor executor) {
    return options.nonBlockingHandlers() ? executor.hereIfIdle() : executor;
  }

  /**
   * Switches the exchange to WebSocket, or returns null when the client closed the connection
   * after its upgrade request was routed and before it was handled here (the net layer then
   * aborts the exchange, and an abandoned request needs no answer).
   */
  private WebSocketConnection upgradeOrNull(HttpExchange exchange, String accept, WebSocketHandler handler,
      Executor executor) {
    return upgradeOrNull(exchange, accept, handler, executor, null);
  }

  /** As above; a handshake's 101 also sets {@code setCookie} when it is not null (Node's cookie option). */
  private WebSocketConnection upgradeOrNull(HttpExchange exchange, String accept, WebSocketHandler handler,
      Executor executor, String setCookie) {
    // RFC 7692 §5: with perMessageDeflate on, the first offer we can honour is accepted in the
    // 101; none (or the refused probe's throwaway connection) means plain frames.
    DeflateOptions deflateOptions = options.perMessageDeflate();
    PerMessageDeflate deflate = deflateOptions == null || handler == IGNORE ? null
        : PerMessageDeflate.negotiate(exchange.request().headers().all("Sec-WebSocket-Extensions"), deflateOptions);
    try {
      return exchange.upgradeToWebSocket(
          WebSocketHandshake.response101(accept, deflate == null ? null : deflate.extensionHeader(), setCookie),
          handler, executor, deflate);
    } catch (IllegalStateException aborted) {
      return null;
    }
  }

  private static final WebSocketHandler IGNORE = new WebSocketHandler() {
    @Override
    public void onText(String text) { }

    @Override
    public void onBinary(byte[] data) { }

    @Override
    public void onClose(int code, String reason) { }
  };

  /** The OPEN packet body (engine.io-protocol §Handshake). */
  String openPacketJson(String sid, String transport) {
    List<String> upgrades = "polling".equals(transport) && options.allowUpgrades()
        && options.transports().contains("websocket") ? List.of("websocket") : List.of();
    return new OpenPacket(sid, upgrades, options.pingInterval().toMillis(), options.pingTimeout().toMillis(),
        options.maxHttpBufferSize()).toJson();
  }

  void remove(EngineIoSession session) {
    sessions.remove(session.id(), session);
    established(session);
  }

  /**
   * Counts a new session against its client address's cap (issue #14); false when the address
   * holds {@code maxUnconnectedSessionsPerAddress} already. Counted at the handshake and when a
   * session is established or ends, never per message.
   */
  private boolean takeUnconnectedSlot(java.net.InetAddress client) {
    int max = options.maxUnconnectedSessionsPerAddress();
    boolean[] taken = new boolean[1];
    unconnectedByAddress.compute(client, (a, n) -> {
      int count = n == null ? 0 : n;
      if (count >= max) return n;
      taken[0] = true;
      return count + 1;
    });
    return taken[0];
  }

  /** Any thread: the session no longer counts as unconnected (joined, or gone). Idempotent. */
  void established(EngineIoSession session) {
    java.net.InetAddress client = unconnected.remove(session);
    if (client != null) unconnectedByAddress.computeIfPresent(client, (a, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Answers {@code error} (engine.io-protocol §HTTP error codes) and tells the
   * {@link #onConnectionError} observer, on a worker, which check ({@code context}) refused the
   * request. Any thread.
   */
  void reject(HttpExchange exchange, ErrorCode error, String context) {
    exchange.respond(errorResponse(exchange.request(), error.httpStatus(), error.toJson()));
    errorCounts[error.ordinal()].increment();
    java.util.function.Consumer<ConnectionError> observer = connectionErrors;
    if (observer == null) return;
    // hostile-inputs.md#A115: a flood of bad requests must not queue work without bound for a
    // slow observer; past MAX_PENDING_ERROR_REPORTS waiting reports a refusal is only counted.
    if (pendingErrorReports.incrementAndGet() > MAX_PENDING_ERROR_REPORTS) {
      pendingErrorReports.decrementAndGet();
      return;
    }
    ConnectionError e = new ConnectionError(exchange.request(), exchange.remoteAddress(), error, context);
    // Application code: never on the I/O thread that routed the request. One report at a time,
    // in order, as Node's listener is called: a slow or stuck observer holds one worker, never
    // the pool the sessions run on.
    try {
      errorReports.execute(() -> {
        try {
          observer.accept(e);
        } catch (RuntimeException ex) {
          LOG.warn("connection error observer failed", ex);
        } finally {
          pendingErrorReports.decrementAndGet();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      pendingErrorReports.decrementAndGet();
    }
  }

  /**
   * Node's {@code io.engine.on("connection_error", …)}: {@code observer} is told of every request
   * refused with an Engine.IO error (unknown transport or sid, bad method or request, a refused
   * origin or {@code allowRequest}, an unsupported protocol version), after the answer was sent,
   * on a worker thread, one call per refusal, one at a time and in order (a stuck observer holds
   * one worker, not the pool); while {@value #MAX_PENDING_ERROR_REPORTS} reports
   * wait for a slow observer, further refusals are only counted ({@link #errorCounts}). Null removes it. The 503s for a full server are not
   * protocol errors and are not reported (they are counted in {@code /metrics}). Any thread.
   */
  public void onConnectionError(java.util.function.Consumer<ConnectionError> observer) {
    connectionErrors = observer;
  }

  private HttpResponse errorResponse(HttpRequest req, int status, String json) {
    HttpResponse.Builder b = HttpResponse.status(status)
        .header("Content-Type", "application/json")
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-store");
    return cors.decorate(req, b).body(json.getBytes(StandardCharsets.UTF_8)).build();
  }

  private void refuseHandshake(HttpExchange exchange, WebSocketHandshakeException e) {
    HttpResponse.Builder b = HttpResponse.status(e.status())
        .header("Content-Type", "text/plain; charset=UTF-8");
    List<String> extra = e.extraHeaders();
    for (int i = 0; i + 1 < extra.size(); i += 2) b.header(extra.get(i), extra.get(i + 1));
    exchange.respond(b.body((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8)).build());
  }

  /**
   * The address a session reports ({@link EngineIoConnection#remoteAddress()}, Socket.IO's
   * {@code handshake.address}): the TCP peer, or, when the peer is one of
   * {@code NetOptions.trustedProxies}, the client its {@code X-Forwarded-For} names (http.md,
   * "Trusted proxies"), with port 0 since the client's port is not forwarded. Node's engine.io
   * always reports the TCP peer ({@code req.connection.remoteAddress}) and leaves the header to the
   * application; we read it only from proxies the operator named, as the per-address caps do.
   * {@code known} is the client address already worked out for the cap, or null.
   */
  private static java.net.InetSocketAddress clientOf(HttpExchange exchange, java.net.InetAddress known) {
    java.net.InetSocketAddress peer = exchange.remoteAddress();
    java.net.InetAddress client = known != null ? known : exchange.clientAddress();
    return client.equals(peer.getAddress()) ? peer : new java.net.InetSocketAddress(client, 0);
  }

  /** Closes every session (server shutdown); new handshakes get 503. */
  public void closeAll(CloseReason reason) {
    shuttingDown = true;
    for (EngineIoSession s : sessions.values()) {
      s.executor().execute(() -> s.close(reason, "server closing"));
    }
  }
}
