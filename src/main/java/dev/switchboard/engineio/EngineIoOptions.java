package dev.switchboard.engineio;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Engine.IO server options, with Node's engine.io defaults.
 *
 * @param path the request path the server answers on, with a trailing slash; anything else is
 *     someone else's (hostile-inputs A12: exact match, no normalisation)
 * @param pingInterval engine.io-protocol §Heartbeat: how often the server pings
 * @param pingTimeout how long the server waits for the pong before closing "ping timeout";
 *     also how long a gracefully closing polling session waits for its last GET
 * @param upgradeTimeout how long a probe WebSocket may take to finish the upgrade
 *     (hostile-inputs C73)
 * @param maxHttpBufferSize the largest message or POST body in bytes, advertised to the client as
 *     {@code maxPayload}; bounds the memory one peer can make us hold (CVE-2020-36048)
 * @param transports the transports accepted ("polling", "websocket")
 * @param allowUpgrades whether polling sessions may upgrade to WebSocket
 * @param allowedOrigins CORS allow-list (exact origins); empty = CORS off and no Origin check
 * @param corsCredentials whether CORS responses allow credentials
 * @param maxSessions global cap on open sessions; handshakes above it get 503
 *     (hostile-inputs C80)
 * @param maxBufferedPackets packets one session may have waiting for its transport; beyond it
 *     the client is a slow consumer and the session closes (hostile-inputs B63)
 */
public record EngineIoOptions(
    String path,
    Duration pingInterval,
    Duration pingTimeout,
    Duration upgradeTimeout,
    int maxHttpBufferSize,
    List<String> transports,
    boolean allowUpgrades,
    Set<String> allowedOrigins,
    boolean corsCredentials,
    int maxSessions,
    int maxBufferedPackets) {

  public static final EngineIoOptions DEFAULTS = new EngineIoOptions(
      "/socket.io/",
      Duration.ofMillis(25_000),
      Duration.ofMillis(20_000),
      Duration.ofMillis(10_000),
      1_000_000,
      List.of("polling", "websocket"),
      true,
      Set.of(),
      false,
      100_000,
      10_000);

  public EngineIoOptions {
    if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with /");
    if (!path.endsWith("/")) path = path + "/";
    transports = List.copyOf(transports);
    allowedOrigins = Set.copyOf(allowedOrigins);
  }

  public EngineIoOptions withPath(String p) {
    return new EngineIoOptions(p, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, transports,
        allowUpgrades, allowedOrigins, corsCredentials, maxSessions, maxBufferedPackets);
  }

  public EngineIoOptions withHeartbeat(Duration interval, Duration timeout) {
    return new EngineIoOptions(path, interval, timeout, upgradeTimeout, maxHttpBufferSize, transports,
        allowUpgrades, allowedOrigins, corsCredentials, maxSessions, maxBufferedPackets);
  }

  public EngineIoOptions withUpgradeTimeout(Duration t) {
    return new EngineIoOptions(path, pingInterval, pingTimeout, t, maxHttpBufferSize, transports,
        allowUpgrades, allowedOrigins, corsCredentials, maxSessions, maxBufferedPackets);
  }

  public EngineIoOptions withMaxHttpBufferSize(int max) {
    return new EngineIoOptions(path, pingInterval, pingTimeout, upgradeTimeout, max, transports,
        allowUpgrades, allowedOrigins, corsCredentials, maxSessions, maxBufferedPackets);
  }

  public EngineIoOptions withTransports(List<String> t) {
    return new EngineIoOptions(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, t,
        allowUpgrades, allowedOrigins, corsCredentials, maxSessions, maxBufferedPackets);
  }

  public EngineIoOptions withAllowUpgrades(boolean allow) {
    return new EngineIoOptions(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, transports,
        allow, allowedOrigins, corsCredentials, maxSessions, maxBufferedPackets);
  }

  public EngineIoOptions withCors(Set<String> origins, boolean credentials) {
    return new EngineIoOptions(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, transports,
        allowUpgrades, origins, credentials, maxSessions, maxBufferedPackets);
  }

  public EngineIoOptions withMaxSessions(int max) {
    return new EngineIoOptions(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, transports,
        allowUpgrades, allowedOrigins, corsCredentials, max, maxBufferedPackets);
  }

  public EngineIoOptions withMaxBufferedPackets(int max) {
    return new EngineIoOptions(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, transports,
        allowUpgrades, allowedOrigins, corsCredentials, maxSessions, max);
  }
}
