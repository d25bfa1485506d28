package dev.switchboard.engineio;

import dev.switchboard.websocket.DeflateOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Engine.IO server options, with Node's engine.io defaults. Immutable; built with named setters,
 * so no two arguments of one type can be swapped, and no option uses {@code null} to mean "off"
 * (an empty {@link #allowedOrigins} is CORS off).
 *
 * <pre>{@code
 * EngineIoOptions options = EngineIoOptions.builder()
 *     .path("/engine.io/")
 *     .pingInterval(Duration.ofSeconds(10))
 *     .pingTimeout(Duration.ofSeconds(5))
 *     .allowedOrigins(Set.of("https://chat.example"))
 *     .build();
 * EngineIoOptions noUpgrades = options.toBuilder().allowUpgrades(false).build();
 * }</pre>
 *
 * <p>Threading: immutable, any thread.
 */
public final class EngineIoOptions {
  /** Node's engine.io defaults, on the Socket.IO path {@code /socket.io/}. */
  public static final EngineIoOptions DEFAULTS = builder().build();

  private final String path;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final Duration upgradeTimeout;
  private final int maxHttpBufferSize;
  private final List<String> transports;
  private final boolean allowUpgrades;
  private final Set<String> allowedOrigins;
  private final boolean corsCredentials;
  private final int maxSessions;
  private final int maxBufferedPackets;
  private final boolean httpCompression;
  private final int httpCompressionThreshold;
  private final DeflateOptions perMessageDeflate;
  private final int maxUnconnectedSessionsPerAddress;
  private final boolean allowEIO3;
  private final boolean nonBlockingHandlers;
  private final SessionCookie cookie;

  private EngineIoOptions(Builder b) {
    this.path = b.path;
    this.pingInterval = b.pingInterval;
    this.pingTimeout = b.pingTimeout;
    this.upgradeTimeout = b.upgradeTimeout;
    this.maxHttpBufferSize = b.maxHttpBufferSize;
    this.transports = b.transports;
    this.allowUpgrades = b.allowUpgrades;
    this.allowedOrigins = b.allowedOrigins;
    this.corsCredentials = b.corsCredentials;
    this.maxSessions = b.maxSessions;
    this.maxBufferedPackets = b.maxBufferedPackets;
    this.httpCompression = b.httpCompression;
    this.httpCompressionThreshold = b.httpCompressionThreshold;
    this.perMessageDeflate = b.perMessageDeflate;
    this.maxUnconnectedSessionsPerAddress = b.maxUnconnectedSessionsPerAddress;
    this.allowEIO3 = b.allowEIO3;
    this.nonBlockingHandlers = b.nonBlockingHandlers;
    this.cookie = b.cookie;
  }

  /** A builder holding the {@linkplain #DEFAULTS defaults}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.path = path;
    b.pingInterval = pingInterval;
    b.pingTimeout = pingTimeout;
    b.upgradeTimeout = upgradeTimeout;
    b.maxHttpBufferSize = maxHttpBufferSize;
    b.transports = transports;
    b.allowUpgrades = allowUpgrades;
    b.allowedOrigins = allowedOrigins;
    b.corsCredentials = corsCredentials;
    b.maxSessions = maxSessions;
    b.maxBufferedPackets = maxBufferedPackets;
    b.httpCompression = httpCompression;
    b.httpCompressionThreshold = httpCompressionThreshold;
    b.perMessageDeflate = perMessageDeflate;
    b.maxUnconnectedSessionsPerAddress = maxUnconnectedSessionsPerAddress;
    b.allowEIO3 = allowEIO3;
    b.nonBlockingHandlers = nonBlockingHandlers;
    b.cookie = cookie;
    return b;
  }

  /**
   * The request path the server answers on, with a trailing slash; anything else is someone
   * else's (hostile-inputs.md#A12: exact match, no normalisation). Default
   * {@code /socket.io/}.
   */
  public String path() {
    return path;
  }

  /** engine.io-protocol §Heartbeat: how often the server pings. Default 25 s. */
  public Duration pingInterval() {
    return pingInterval;
  }

  /**
   * How long the server waits for the pong before closing with "ping timeout"; also how long a
   * gracefully closing polling session waits for its last GET. Default 20 s.
   */
  public Duration pingTimeout() {
    return pingTimeout;
  }

  /** How long a probe WebSocket may take to finish the upgrade (hostile-inputs.md#C73). Default 10 s. */
  public Duration upgradeTimeout() {
    return upgradeTimeout;
  }

  /**
   * The largest message or POST body in bytes, advertised to the client as {@code maxPayload};
   * bounds the memory one peer can make us hold (CVE-2020-36048). Default 1 000 000.
   */
  public int maxHttpBufferSize() {
    return maxHttpBufferSize;
  }

  /** The transports accepted, among "polling" and "websocket". Default both. */
  public List<String> transports() {
    return transports;
  }

  /** Whether polling sessions may upgrade to WebSocket. Default true. */
  public boolean allowUpgrades() {
    return allowUpgrades;
  }

  /** The CORS allow-list (exact origins); empty = CORS off and no Origin check. Default empty. */
  public Set<String> allowedOrigins() {
    return allowedOrigins;
  }

  /** Whether CORS responses allow credentials. Default false. */
  public boolean corsCredentials() {
    return corsCredentials;
  }

  /**
   * The global cap on open sessions; handshakes above it get 503 (hostile-inputs.md#C80). Default
   * 100 000.
   */
  public int maxSessions() {
    return maxSessions;
  }

  /**
   * Packets one session may have waiting for its transport; beyond it the client is a slow
   * consumer and the session closes (hostile-inputs.md#B63). Default 10 000.
   */
  public int maxBufferedPackets() {
    return maxBufferedPackets;
  }

  /**
   * Sessions one client address ({@code HttpExchange.clientAddress()}: the TCP peer, or the
   * client a trusted proxy names) may hold that the application has not yet
   * {@linkplain EngineIoConnection#established() established} — for Socket.IO, sessions that have
   * joined no namespace. A handshake above it gets 503 (issue #14: 600 sessions that never
   * CONNECT were held for the 45 s connect timeout). 0 = no cap, the default.
   */
  public int maxUnconnectedSessionsPerAddress() {
    return maxUnconnectedSessionsPerAddress;
  }

  /**
   * Whether clients that speak Engine.IO protocol 3 ({@code EIO=3}: socket.io-client 2.x,
   * socket.io-client-java 1.x) are served, as Node's {@code allowEIO3} does: the v3 payload
   * framing, binary payloads, {@code b64=1}, the client-driven heartbeat and, above it, Socket.IO
   * protocol 4 (spec-notes/engine-io.md, "Engine.IO v3"). Off by default, as in Node: a v3
   * handshake then gets 400 code 5 "Unsupported protocol version".
   */
  public boolean allowEIO3() {
    return allowEIO3;
  }

  /**
   * The application's promise that none of its handlers (event handlers, middlewares, listeners)
   * ever blocks or runs long. With it, a WebSocket message that reaches a session with nothing
   * queued or running is handled on the I/O thread that read it, instead of being handed to a
   * worker (spec-notes/threading.md, "Non-blocking handlers"): on a server that is not saturated
   * that hand-off — a futex wake and two context switches — costs more than the handler. A
   * handler that blocks in this mode stalls every connection of its I/O loop. Only WebSocket
   * messages are affected; polling requests, timers and sends from other threads still go
   * through the session's executor on the workers. Default off.
   */
  public boolean nonBlockingHandlers() {
    return nonBlockingHandlers;
  }

  /**
   * Node's {@code cookie} option: the cookie set on every handshake's answer with the new session's
   * id, for load balancers that route by cookie ({@link SessionCookie}), or null for none. Default
   * none, as in Engine.IO v4.
   */
  public SessionCookie cookie() {
    return cookie;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EngineIoOptions other
        && path.equals(other.path)
        && pingInterval.equals(other.pingInterval)
        && pingTimeout.equals(other.pingTimeout)
        && upgradeTimeout.equals(other.upgradeTimeout)
        && maxHttpBufferSize == other.maxHttpBufferSize
        && transports.equals(other.transports)
        && allowUpgrades == other.allowUpgrades
        && allowedOrigins.equals(other.allowedOrigins)
        && corsCredentials == other.corsCredentials
        && maxSessions == other.maxSessions
        && maxBufferedPackets == other.maxBufferedPackets
        && httpCompression == other.httpCompression
        && httpCompressionThreshold == other.httpCompressionThreshold
        && Objects.equals(perMessageDeflate, other.perMessageDeflate)
        && maxUnconnectedSessionsPerAddress == other.maxUnconnectedSessionsPerAddress
        && allowEIO3 == other.allowEIO3
        && nonBlockingHandlers == other.nonBlockingHandlers
        && Objects.equals(cookie, other.cookie);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, transports,
        allowUpgrades, allowedOrigins, corsCredentials, maxSessions, maxBufferedPackets, httpCompression,
        httpCompressionThreshold, maxUnconnectedSessionsPerAddress, perMessageDeflate, allowEIO3,
        nonBlockingHandlers, cookie);
  }

  @Override
  public String toString() {
    return "EngineIoOptions[path=" + path + ", pingInterval=" + pingInterval + ", pingTimeout=" + pingTimeout
        + ", upgradeTimeout=" + upgradeTimeout + ", maxHttpBufferSize=" + maxHttpBufferSize
        + ", transports=" + transports + ", allowUpgrades=" + allowUpgrades + ", allowedOrigins="
        + allowedOrigins + ", corsCredentials=" + corsCredentials + ", maxSessions=" + maxSessions
        + ", maxBufferedPackets=" + maxBufferedPackets + ", httpCompression=" + httpCompression
        + ", httpCompressionThreshold=" + httpCompressionThreshold
        + ", maxUnconnectedSessionsPerAddress=" + maxUnconnectedSessionsPerAddress
        + ", perMessageDeflate=" + perMessageDeflate + ", allowEIO3=" + allowEIO3 + ", nonBlockingHandlers=" + nonBlockingHandlers
        + ", cookie=" + cookie + "]";
  }

  /**
   * Whether the data of a polling GET is compressed (gzip or deflate, as the request's
   * {@code Accept-Encoding} prefers) once it reaches {@link #httpCompressionThreshold()}: Node's
   * {@code httpCompression}, on by default as there. Errors and {@code ok} answers never are, nor
   * a GET whose packets were all sent with Socket.IO's {@code compress(false)} (Node's rule).
   * WebSocket frames: {@link #perMessageDeflate()}.
   */
  public boolean httpCompression() {
    return httpCompression;
  }

  /** The smallest polling payload, in bytes, that is compressed; default 1024, as in Node. */
  public int httpCompressionThreshold() {
    return httpCompressionThreshold;
  }

  /**
   * permessage-deflate (RFC 7692) on WebSocket connections, or null when off — the default, as in
   * Node's engine.io: with it on, a connection with context takeover costs about 300 KiB of native
   * memory once it has compressed and inflated a message (spec-notes/websocket.md). When on and
   * the client offers it, messages of at least {@link DeflateOptions#threshold()} bytes (1024, as
   * in Node) are sent compressed unless sent with Socket.IO's {@code compress(false)}, and
   * compressed client messages are inflated within {@link #maxHttpBufferSize()}.
   */
  public DeflateOptions perMessageDeflate() {
    return perMessageDeflate;
  }

  /**
   * Collects options for {@link EngineIoOptions}; starts from the defaults. Each setter checks
   * its value at once (no nulls, positive sizes and durations).
   *
   * <p>Threading: one thread; the built options are immutable.
   */
  public static final class Builder {
    private String path = "/socket.io/";
    private Duration pingInterval = Duration.ofMillis(25_000);
    private Duration pingTimeout = Duration.ofMillis(20_000);
    private Duration upgradeTimeout = Duration.ofMillis(10_000);
    private int maxHttpBufferSize = 1_000_000;
    private List<String> transports = List.of("polling", "websocket");
    private boolean allowUpgrades = true;
    private Set<String> allowedOrigins = Set.of();
    private boolean corsCredentials;
    private int maxSessions = 100_000;
    private int maxBufferedPackets = 10_000;
    private boolean httpCompression = true;
    private int httpCompressionThreshold = 1024;
    private DeflateOptions perMessageDeflate;
    private int maxUnconnectedSessionsPerAddress;
    private boolean allowEIO3;
    private boolean nonBlockingHandlers;
    private SessionCookie cookie;

    private Builder() {}

    /** See {@link EngineIoOptions#path()}; must start with "/", a trailing "/" is added. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with /: " + path);
      this.path = path.endsWith("/") ? path : path + "/";
      return this;
    }

    /** See {@link EngineIoOptions#pingInterval()}. */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = positive(interval, "pingInterval");
      return this;
    }

    /** See {@link EngineIoOptions#pingTimeout()}. */
    public Builder pingTimeout(Duration timeout) {
      this.pingTimeout = positive(timeout, "pingTimeout");
      return this;
    }

    /** See {@link EngineIoOptions#upgradeTimeout()}. */
    public Builder upgradeTimeout(Duration timeout) {
      this.upgradeTimeout = positive(timeout, "upgradeTimeout");
      return this;
    }

    /** See {@link EngineIoOptions#maxHttpBufferSize()}. */
    public Builder maxHttpBufferSize(int bytes) {
      this.maxHttpBufferSize = positive(bytes, "maxHttpBufferSize");
      return this;
    }

    /** See {@link EngineIoOptions#transports()}: a non-empty list of "polling" and "websocket". */
    public Builder transports(List<String> transports) {
      List<String> copy = List.copyOf(transports);
      if (copy.isEmpty()) throw new IllegalArgumentException("transports must not be empty");
      for (String t : copy) {
        if (!t.equals("polling") && !t.equals("websocket")) {
          throw new IllegalArgumentException("unknown transport: " + t);
        }
      }
      this.transports = copy;
      return this;
    }

    /** See {@link EngineIoOptions#allowUpgrades()}. */
    public Builder allowUpgrades(boolean allow) {
      this.allowUpgrades = allow;
      return this;
    }

    /** See {@link EngineIoOptions#allowedOrigins()}; empty turns CORS off. */
    public Builder allowedOrigins(Set<String> origins) {
      this.allowedOrigins = Set.copyOf(origins);
      return this;
    }

    /** See {@link EngineIoOptions#corsCredentials()}. */
    public Builder corsCredentials(boolean credentials) {
      this.corsCredentials = credentials;
      return this;
    }

    /** See {@link EngineIoOptions#maxSessions()}. */
    public Builder maxSessions(int max) {
      this.maxSessions = positive(max, "maxSessions");
      return this;
    }

    /** See {@link EngineIoOptions#maxUnconnectedSessionsPerAddress()}; 0 for no cap. */
    public Builder maxUnconnectedSessionsPerAddress(int max) {
      if (max < 0) throw new IllegalArgumentException("maxUnconnectedSessionsPerAddress < 0: " + max);
      this.maxUnconnectedSessionsPerAddress = max;
      return this;
    }

    /** See {@link EngineIoOptions#maxBufferedPackets()}. */
    public Builder maxBufferedPackets(int max) {
      this.maxBufferedPackets = positive(max, "maxBufferedPackets");
      return this;
    }

    /** See {@link EngineIoOptions#httpCompression()}. */
    public Builder httpCompression(boolean compress) {
      this.httpCompression = compress;
      return this;
    }

    /** See {@link EngineIoOptions#httpCompressionThreshold()}; 0 or more bytes. */
    public Builder httpCompressionThreshold(int bytes) {
      if (bytes < 0) throw new IllegalArgumentException("httpCompressionThreshold must not be negative: " + bytes);
      this.httpCompressionThreshold = bytes;
      return this;
    }

    /** See {@link EngineIoOptions#perMessageDeflate()}: on with Node's settings, or off. */
    public Builder perMessageDeflate(boolean on) {
      this.perMessageDeflate = on ? DeflateOptions.DEFAULTS : null;
      return this;
    }

    /** See {@link EngineIoOptions#perMessageDeflate()}: on with these settings, or off with null. */
    public Builder perMessageDeflate(DeflateOptions options) {
      this.perMessageDeflate = options;
      return this;
    }

    /** See {@link EngineIoOptions#allowEIO3()}. */
    public Builder allowEIO3(boolean allow) {
      this.allowEIO3 = allow;
      return this;
    }

    /** See {@link EngineIoOptions#nonBlockingHandlers()}. */
    public Builder nonBlockingHandlers(boolean nonBlocking) {
      this.nonBlockingHandlers = nonBlocking;
      return this;
    }

    /** See {@link EngineIoOptions#cookie()}; null for none. */
    public Builder cookie(SessionCookie cookie) {
      this.cookie = cookie;
      return this;
    }

    /** The options collected so far. */
    public EngineIoOptions build() {
      return new EngineIoOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
      return d;
    }

    private static int positive(int n, String name) {
      if (n <= 0) throw new IllegalArgumentException(name + " must be positive: " + n);
      return n;
    }
  }
}
