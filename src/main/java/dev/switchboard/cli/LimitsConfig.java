package dev.switchboard.cli;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.net.TrustedProxies;
import dev.switchboard.socketio.SocketIoOptions;

/**
 * The per-address limits and related abuse limits of a server started from the command line
 * (issue #14; README "Limits", spec-notes/operations.md). A flag wins over its variable, which
 * wins over the default; 0 turns a per-address cap off.
 *
 * <pre>
 * --max-connections-per-address N           MAX_CONNECTIONS_PER_ADDRESS           500
 * --max-new-connections-per-second N        MAX_NEW_CONNECTIONS_PER_SECOND        200  (per address)
 * --max-unconnected-sessions-per-address N  MAX_UNCONNECTED_SESSIONS_PER_ADDRESS  50
 * --trusted-proxy LIST                      TRUSTED_PROXY                         (none) addresses/CIDRs
 * --max-failed-connects N                   MAX_FAILED_CONNECTS                   5
 * --max-buffered-body-bytes N               MAX_BUFFERED_BODY_BYTES               67108864 (64 MiB, all bodies at once)
 * --min-body-rate N                         MIN_BODY_RATE                         1024 (bytes/s after 5 s)
 * </pre>
 *
 * <p>The chat server starts from {@link #CHAT_DEFAULTS}; {@code bench-server} from {@link #OFF}
 * (its load generator opens thousands of connections from one address).
 *
 * @param maxConnectionsPerAddress open TCP connections one address may hold (0: no cap)
 * @param maxNewConnectionsPerSecond connections one address may open per second (0: no cap)
 * @param maxUnconnectedSessionsPerAddress Engine.IO sessions one client address may hold before
 *     they join a namespace (0: no cap)
 * @param trustedProxies peers whose {@code X-Forwarded-For} names the client
 * @param maxFailedConnects refused CONNECTs one connection may make before it is closed
 * @param maxBufferedBodyBytes bytes buffered for all request bodies being received at once, the
 *     server-wide budget of spec-notes/http.md "Body limits per route" (0: no budget)
 * @param minBodyBytesPerSecond the average rate a body still arriving 5 s after its head must
 *     have kept since the head (http.md; 0: no rate rule, only the request timeout)
 */
public record LimitsConfig(int maxConnectionsPerAddress, int maxNewConnectionsPerSecond,
    int maxUnconnectedSessionsPerAddress, TrustedProxies trustedProxies, int maxFailedConnects,
    long maxBufferedBodyBytes, int minBodyBytesPerSecond) {

  /** The transport's defaults for the two body limits ({@code NetOptions}). */
  static final long DEFAULT_MAX_BUFFERED_BODY_BYTES = NetOptions.DEFAULTS.maxBufferedBodyBytes();
  static final int DEFAULT_MIN_BODY_BYTES_PER_SECOND = NetOptions.DEFAULTS.minBodyBytesPerSecond();

  /** The per-address limits with the transport's default body limits. */
  public LimitsConfig(int maxConnectionsPerAddress, int maxNewConnectionsPerSecond,
      int maxUnconnectedSessionsPerAddress, TrustedProxies trustedProxies, int maxFailedConnects) {
    this(maxConnectionsPerAddress, maxNewConnectionsPerSecond, maxUnconnectedSessionsPerAddress, trustedProxies,
        maxFailedConnects, DEFAULT_MAX_BUFFERED_BODY_BYTES, DEFAULT_MIN_BODY_BYTES_PER_SECOND);
  }

  /** The chat server's defaults: none of them reached by the clients of one NAT (operations.md). */
  public static final LimitsConfig CHAT_DEFAULTS = new LimitsConfig(500, 200, 50, TrustedProxies.NONE, 5);

  /** No per-address cap (bench-server); the failed-CONNECT cap stays at its default. */
  public static final LimitsConfig OFF = new LimitsConfig(0, 0, 0, TrustedProxies.NONE, 5);

  /** Checks the ranges. */
  public LimitsConfig {
    check(maxConnectionsPerAddress, 0, 1_000_000, "--max-connections-per-address");
    check(maxNewConnectionsPerSecond, 0, 1_000_000, "--max-new-connections-per-second");
    check(maxUnconnectedSessionsPerAddress, 0, 1_000_000, "--max-unconnected-sessions-per-address");
    check(maxFailedConnects, 1, 100, "--max-failed-connects");
    if (maxBufferedBodyBytes < 0) throw new IllegalArgumentException("--max-buffered-body-bytes must not be negative");
    check(minBodyBytesPerSecond, 0, 1_000_000_000, "--min-body-rate");
    if (trustedProxies == null) throw new IllegalArgumentException("trustedProxies == null");
  }

  /** The limits from flags and variables, each defaulting to {@code defaults}'. */
  static LimitsConfig from(Options o, LimitsConfig defaults) {
    int connections = o.getInt("max-connections-per-address", "MAX_CONNECTIONS_PER_ADDRESS",
        defaults.maxConnectionsPerAddress);
    int rate = o.getInt("max-new-connections-per-second", "MAX_NEW_CONNECTIONS_PER_SECOND",
        defaults.maxNewConnectionsPerSecond);
    int unconnected = o.getInt("max-unconnected-sessions-per-address", "MAX_UNCONNECTED_SESSIONS_PER_ADDRESS",
        defaults.maxUnconnectedSessionsPerAddress);
    String proxies = o.get("trusted-proxy", "TRUSTED_PROXY", null);
    TrustedProxies trusted;
    try {
      trusted = proxies == null ? defaults.trustedProxies : TrustedProxies.parse(proxies);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--trusted-proxy: " + e.getMessage());
    }
    int failed = o.getInt("max-failed-connects", "MAX_FAILED_CONNECTS", defaults.maxFailedConnects);
    int budget = o.getInt("max-buffered-body-bytes", "MAX_BUFFERED_BODY_BYTES",
        (int) Math.min(Integer.MAX_VALUE, defaults.maxBufferedBodyBytes));
    int bodyRate = o.getInt("min-body-rate", "MIN_BODY_RATE", defaults.minBodyBytesPerSecond);
    return new LimitsConfig(connections, rate, unconnected, trusted, failed, budget, bodyRate);
  }

  /**
   * These limits on the transport: the two connection caps, the trusted proxies, the body budget
   * (0: none, i.e. {@code Long.MAX_VALUE}) and the minimum body rate (its 5 s grace is NetOptions').
   */
  NetOptions.Builder applyTo(NetOptions.Builder net) {
    net.maxBufferedBodyBytes(maxBufferedBodyBytes == 0 ? Long.MAX_VALUE : maxBufferedBodyBytes);
    net.minBodyRate(minBodyBytesPerSecond, NetOptions.DEFAULTS.bodyRateGracePeriod());
    if (maxConnectionsPerAddress > 0) net.maxConnectionsPerAddress(maxConnectionsPerAddress);
    else net.unlimitedConnectionsPerAddress();
    if (maxNewConnectionsPerSecond > 0) net.maxNewConnectionsPerSecondPerAddress(maxNewConnectionsPerSecond);
    else net.unlimitedNewConnectionsPerAddress();
    return net.trustedProxies(trustedProxies);
  }

  /** These limits on Engine.IO: the unconnected sessions per client address. */
  EngineIoOptions.Builder applyTo(EngineIoOptions.Builder engine) {
    return engine.maxUnconnectedSessionsPerAddress(maxUnconnectedSessionsPerAddress);
  }

  /** These limits on Socket.IO: the refused CONNECTs per connection. */
  SocketIoOptions.Builder applyTo(SocketIoOptions.Builder io) {
    return io.maxFailedConnects(maxFailedConnects);
  }

  /**
   * The limits' lines in {@code /metrics}: refusals by reason (the net layer's and the unconnected
   * sessions'), bytes buffered for bodies, the requests refused with an Engine.IO error by error
   * (a growing {@code session_id_unknown} is the sign of a load balancer that is not sticky), the
   * Socket.IO layer's closes by cause (among them
   * {@code too_many_failed_connects}), and the client-caused events by kind
   * ({@link dev.switchboard.scheduling.RateLimitedLog}).
   */
  static Metrics addMetrics(Metrics metrics, dev.switchboard.socketio.SocketIoServer io) {
    return metrics
        .labelledCounter("switchboard_limit_refusals_total",
            "Connections, handshakes and requests refused by a limit, by reason.", "reason", () -> refusals(io))
        .gauge("switchboard_request_body_buffered_bytes", "Bytes buffered for request bodies still arriving.",
            () -> io.engineHost() == null ? 0 : io.engineHost().net().bufferedBodyBytes())
        .labelledCounter("switchboard_engineio_errors_total",
            "Requests refused with an Engine.IO protocol error, by error.", "error",
            () -> io.engineHost() == null ? java.util.Map.of() : io.engineHost().engine().errorCounts())
        .labelledCounter("switchboard_socketio_connections_closed_total",
            "Engine.IO connections closed by the Socket.IO layer, by cause.", "cause", io::connectionCloses)
        .labelledCounter("switchboard_client_events_total",
            "Client-caused events (each counted; logged at most once per kind per 10 s), by kind.", "kind",
            dev.switchboard.scheduling.RateLimitedLog::counts);
  }

  private static java.util.Map<String, Long> refusals(dev.switchboard.socketio.SocketIoServer io) {
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    dev.switchboard.engineio.EngineIoHost host = io.engineHost();
    for (dev.switchboard.net.Refusal r : dev.switchboard.net.Refusal.values()) {
      out.put(r.label(), host == null ? 0 : host.net().refusals(r));
    }
    out.put("unconnected_sessions_per_address", host == null ? 0 : host.engine().unconnectedSessionRefusals());
    return out;
  }

  private static void check(int value, int min, int max, String flag) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(flag + " must be between " + min + " and " + max);
    }
  }
}
