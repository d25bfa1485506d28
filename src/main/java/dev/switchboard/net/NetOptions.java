package dev.switchboard.net;

import dev.switchboard.http.HttpLimits;
import dev.switchboard.websocket.WebSocketLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;

/**
 * Transport-level options of a {@link NetServer}. Every limit exists to bound what one peer can
 * cost the server. Immutable; made with a {@link Builder}, every option named:
 *
 * <pre>{@code
 * NetOptions options = NetOptions.builder()
 *     .host("127.0.0.1")
 *     .port(8443)
 *     .sslContext(TlsContexts.fromPem(chain, key))
 *     .maxConnectionsPerAddress(50)
 *     .build();
 * NetOptions loopbackAnyPort = options.toBuilder().port(0).build();
 * }</pre>
 *
 * <p>The options, their defaults and why they exist:
 * <ul>
 *   <li>{@link #host()} — address to bind ("0.0.0.0" for all interfaces, "127.0.0.1" for
 *       loopback only). Default "0.0.0.0".</li>
 *   <li>{@link #port()} — port to bind; 0 picks a free one (tests always do). Default 0.</li>
 *   <li>{@link #ioThreads()} — selector threads; each owns a slice of the connections. Default:
 *       the number of cores.</li>
 *   <li>{@link #httpLimits()} — request-line, header and body caps (the body cap is Engine.IO's
 *       maxHttpBufferSize: a polling POST above it gets 413). Default {@link HttpLimits#DEFAULTS}.</li>
 *   <li>{@link #webSocketLimits()} — message and fragment caps (message cap = maxHttpBufferSize).
 *       Default {@link WebSocketLimits#DEFAULTS}.</li>
 *   <li>{@link #requestTimeout()} — how long a started request may take to arrive whole; defeats
 *       slowloris and slow-body attacks (hostile-inputs.md#A31, hostile-inputs.md#A32). Default 15 s.</li>
 *   <li>{@link #keepAliveTimeout()} — how long an idle keep-alive connection is kept between
 *       requests. Default 30 s.</li>
 *   <li>{@link #closeTimeout()} — how long we wait for the peer to answer our WebSocket close
 *       frame (RFC 6455 §7.1.1), or to close after our last HTTP response, before dropping the
 *       TCP connection. Default 2 s.</li>
 *   <li>{@link #maxOutboundBytes()} — bytes queued for one WebSocket before it is treated as a
 *       slow consumer and dropped (hostile-inputs.md#B63); heap stays bounded by connections × this.
 *       Default 8 MiB.</li>
 *   <li>{@link #maxConnectionsPerAddress()} — open connections one remote address may hold;
 *       empty for no cap. Default: no cap.</li>
 *   <li>{@link #maxNewConnectionsPerSecondPerAddress()} — connections one remote address may open
 *       in one second (a fixed one-second window); empty for no cap. Default: no cap.</li>
 *   <li>{@link #trustedProxies()} — TCP peers whose {@code X-Forwarded-For} names the client
 *       ({@link HttpExchange#clientAddress()}); they are also exempt from the two per-address
 *       connection caps, which would otherwise count every client behind them as one. Default:
 *       none.</li>
 *   <li>{@link #maxBufferedBodyBytes()} — bytes buffered for all request bodies being received at
 *       once; a body whose buffer would cross it gets 503 with {@code Retry-After}. Default 64 MiB.</li>
 *   <li>{@link #minBodyBytesPerSecond()} and {@link #bodyRateGracePeriod()} — a body still arriving
 *       after the grace period must have averaged at least this rate since its head, or it gets
 *       408 and the connection closes (slow-body attacks that stay under the request timeout's
 *       radar for its whole length). Default 1024 B/s after 5 s; 0 turns the rule off.</li>
 *   <li>{@link #sslContext()} — TLS for every connection on the port; empty for plain TCP.
 *       Default: plain TCP.</li>
 * </ul>
 *
 * <p>Threading: immutable, so any thread; the builder is not thread-safe.
 */
public final class NetOptions {

  /** Every option at its default (see the class comment); the same as {@code builder().build()}. */
  public static final NetOptions DEFAULTS = new Builder().build();

  private final String host;
  private final int port;
  private final int ioThreads;
  private final HttpLimits httpLimits;
  private final WebSocketLimits webSocketLimits;
  private final Duration requestTimeout;
  private final Duration keepAliveTimeout;
  private final Duration closeTimeout;
  private final long maxOutboundBytes;
  /** 0 = no cap; the accessor says so with an empty OptionalInt. */
  private final int maxConnectionsPerAddress;
  /** 0 = no cap. */
  private final int maxNewConnectionsPerSecondPerAddress;
  private final TrustedProxies trustedProxies;
  private final long maxBufferedBodyBytes;
  private final int minBodyBytesPerSecond;
  private final Duration bodyRateGracePeriod;
  private final SSLContext sslContext;

  private NetOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.ioThreads = b.ioThreads;
    this.httpLimits = b.httpLimits;
    this.webSocketLimits = b.webSocketLimits;
    this.requestTimeout = b.requestTimeout;
    this.keepAliveTimeout = b.keepAliveTimeout;
    this.closeTimeout = b.closeTimeout;
    this.maxOutboundBytes = b.maxOutboundBytes;
    this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    this.maxNewConnectionsPerSecondPerAddress = b.maxNewConnectionsPerSecondPerAddress;
    this.trustedProxies = b.trustedProxies;
    this.maxBufferedBodyBytes = b.maxBufferedBodyBytes;
    this.minBodyBytesPerSecond = b.minBodyBytesPerSecond;
    this.bodyRateGracePeriod = b.bodyRateGracePeriod;
    this.sslContext = b.sslContext;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some: {@code options.toBuilder().port(0).build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The address to bind. */
  public String host() {
    return host;
  }

  /** The port to bind; 0 = any free port. */
  public int port() {
    return port;
  }

  /** The number of I/O (selector) threads. */
  public int ioThreads() {
    return ioThreads;
  }

  /** What one HTTP request may be. */
  public HttpLimits httpLimits() {
    return httpLimits;
  }

  /** What one WebSocket message may be. */
  public WebSocketLimits webSocketLimits() {
    return webSocketLimits;
  }

  /** How long a started request may take to arrive whole. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** How long an idle keep-alive connection is kept between requests. */
  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  /** How long a closing connection waits for the peer before it is dropped. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** Bytes queued for one WebSocket above which it is dropped as a slow consumer. */
  public long maxOutboundBytes() {
    return maxOutboundBytes;
  }

  /** Open connections one remote address may hold; empty when there is no cap. */
  public OptionalInt maxConnectionsPerAddress() {
    return maxConnectionsPerAddress == 0 ? OptionalInt.empty() : OptionalInt.of(maxConnectionsPerAddress);
  }

  /** Connections one remote address may open per second; empty when there is no cap. */
  public OptionalInt maxNewConnectionsPerSecondPerAddress() {
    return maxNewConnectionsPerSecondPerAddress == 0 ? OptionalInt.empty()
        : OptionalInt.of(maxNewConnectionsPerSecondPerAddress);
  }

  /** The proxies whose {@code X-Forwarded-For} is believed (none by default). */
  public TrustedProxies trustedProxies() {
    return trustedProxies;
  }

  /** Bytes buffered for all request bodies being received, server-wide. */
  public long maxBufferedBodyBytes() {
    return maxBufferedBodyBytes;
  }

  /** The average rate a body still arriving after {@link #bodyRateGracePeriod()} must keep; 0 = no rule. */
  public int minBodyBytesPerSecond() {
    return minBodyBytesPerSecond;
  }

  /** How long a body may arrive at any rate before {@link #minBodyBytesPerSecond()} applies. */
  public Duration bodyRateGracePeriod() {
    return bodyRateGracePeriod;
  }

  /** The TLS context of every connection; empty for plain TCP. */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  @Override
  public String toString() {
    return "NetOptions[host=" + host + ", port=" + port + ", ioThreads=" + ioThreads + ", httpLimits=" + httpLimits
        + ", webSocketLimits=" + webSocketLimits + ", requestTimeout=" + requestTimeout + ", keepAliveTimeout="
        + keepAliveTimeout + ", closeTimeout=" + closeTimeout + ", maxOutboundBytes=" + maxOutboundBytes
        + ", maxConnectionsPerAddress=" + (maxConnectionsPerAddress == 0 ? "none" : maxConnectionsPerAddress)
        + ", maxNewConnectionsPerSecondPerAddress="
        + (maxNewConnectionsPerSecondPerAddress == 0 ? "none" : maxNewConnectionsPerSecondPerAddress)
        + ", trustedProxies=" + trustedProxies + ", maxBufferedBodyBytes=" + maxBufferedBodyBytes
        + ", minBodyBytesPerSecond=" + minBodyBytesPerSecond + ", bodyRateGracePeriod=" + bodyRateGracePeriod
        + ", tls=" + (sslContext != null) + "]";
  }

  /**
   * Collects options and checks them in {@link #build}. Starts from the defaults
   * ({@link NetOptions#builder()}) or from existing options ({@link NetOptions#toBuilder()}).
   */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port;
    private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private HttpLimits httpLimits = HttpLimits.DEFAULTS;
    private WebSocketLimits webSocketLimits = WebSocketLimits.DEFAULTS;
    private Duration requestTimeout = Duration.ofSeconds(15);
    private Duration keepAliveTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(2);
    private long maxOutboundBytes = 8L * 1024 * 1024;
    private int maxConnectionsPerAddress;
    private int maxNewConnectionsPerSecondPerAddress;
    private TrustedProxies trustedProxies = TrustedProxies.NONE;
    private long maxBufferedBodyBytes = 64L * 1024 * 1024;
    private int minBodyBytesPerSecond = 1024;
    private Duration bodyRateGracePeriod = Duration.ofSeconds(5);
    private SSLContext sslContext;

    private Builder() {}

    private Builder(NetOptions o) {
      host = o.host;
      port = o.port;
      ioThreads = o.ioThreads;
      httpLimits = o.httpLimits;
      webSocketLimits = o.webSocketLimits;
      requestTimeout = o.requestTimeout;
      keepAliveTimeout = o.keepAliveTimeout;
      closeTimeout = o.closeTimeout;
      maxOutboundBytes = o.maxOutboundBytes;
      maxConnectionsPerAddress = o.maxConnectionsPerAddress;
      maxNewConnectionsPerSecondPerAddress = o.maxNewConnectionsPerSecondPerAddress;
      trustedProxies = o.trustedProxies;
      maxBufferedBodyBytes = o.maxBufferedBodyBytes;
      minBodyBytesPerSecond = o.minBodyBytesPerSecond;
      bodyRateGracePeriod = o.bodyRateGracePeriod;
      sslContext = o.sslContext;
    }

    /** The address to bind, e.g. "127.0.0.1" for loopback only. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to bind, 0 to 65535; 0 picks a free one ({@link NetServer#port()} tells which). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
      this.port = port;
      return this;
    }

    /** The number of I/O threads, at least 1. */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1) throw new IllegalArgumentException("ioThreads < 1: " + ioThreads);
      this.ioThreads = ioThreads;
      return this;
    }

    /** Request-line, header and body caps. */
    public Builder httpLimits(HttpLimits httpLimits) {
      this.httpLimits = Objects.requireNonNull(httpLimits, "httpLimits");
      return this;
    }

    /** WebSocket message and fragment caps. */
    public Builder webSocketLimits(WebSocketLimits webSocketLimits) {
      this.webSocketLimits = Objects.requireNonNull(webSocketLimits, "webSocketLimits");
      return this;
    }

    /**
     * The largest HTTP request body and the largest WebSocket message, both {@code max} bytes
     * (Engine.IO's maxHttpBufferSize caps a message the same way on either transport).
     */
    public Builder maxBodyBytes(long max) {
      httpLimits = httpLimits.withMaxBodyBytes(max);
      webSocketLimits = new WebSocketLimits((int) Math.min(Integer.MAX_VALUE, max), webSocketLimits.maxFragments());
      return this;
    }

    /** How long a started request may take to arrive whole; positive. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** How long an idle keep-alive connection is kept between requests; positive. */
    public Builder keepAliveTimeout(Duration timeout) {
      this.keepAliveTimeout = positive(timeout, "keepAliveTimeout");
      return this;
    }

    /** How long a closing connection waits for the peer; positive. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive(timeout, "closeTimeout");
      return this;
    }

    /** Bytes queued for one WebSocket above which it is dropped as a slow consumer; positive. */
    public Builder maxOutboundBytes(long max) {
      if (max < 1) throw new IllegalArgumentException("maxOutboundBytes < 1: " + max);
      this.maxOutboundBytes = max;
      return this;
    }

    /** Caps the open connections of one remote address; at least 1. */
    public Builder maxConnectionsPerAddress(int max) {
      if (max < 1) throw new IllegalArgumentException("maxConnectionsPerAddress < 1: " + max);
      this.maxConnectionsPerAddress = max;
      return this;
    }

    /** No cap on the connections of one remote address (the default). */
    public Builder unlimitedConnectionsPerAddress() {
      this.maxConnectionsPerAddress = 0;
      return this;
    }

    /** Caps the connections one remote address may open per second; at least 1. */
    public Builder maxNewConnectionsPerSecondPerAddress(int max) {
      if (max < 1) throw new IllegalArgumentException("maxNewConnectionsPerSecondPerAddress < 1: " + max);
      this.maxNewConnectionsPerSecondPerAddress = max;
      return this;
    }

    /** No cap on how fast one remote address opens connections (the default). */
    public Builder unlimitedNewConnectionsPerAddress() {
      this.maxNewConnectionsPerSecondPerAddress = 0;
      return this;
    }

    /** The proxies whose {@code X-Forwarded-For} is believed ({@link TrustedProxies#parse}). */
    public Builder trustedProxies(TrustedProxies proxies) {
      this.trustedProxies = Objects.requireNonNull(proxies, "trustedProxies (TrustedProxies.NONE for none)");
      return this;
    }

    /** Bytes buffered for all request bodies being received at once; at least 1. */
    public Builder maxBufferedBodyBytes(long max) {
      if (max < 1) throw new IllegalArgumentException("maxBufferedBodyBytes < 1: " + max);
      this.maxBufferedBodyBytes = max;
      return this;
    }

    /**
     * A body still arriving after {@code grace} must average {@code bytesPerSecond} since its head
     * (0: no rate rule, only the request timeout); {@code grace} positive.
     */
    public Builder minBodyRate(int bytesPerSecond, Duration grace) {
      if (bytesPerSecond < 0) throw new IllegalArgumentException("minBodyBytesPerSecond < 0: " + bytesPerSecond);
      this.minBodyBytesPerSecond = bytesPerSecond;
      this.bodyRateGracePeriod = positive(grace, "bodyRateGracePeriod");
      return this;
    }

    /** TLS for every connection on the port (see {@link TlsContexts}). */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "sslContext (use plainTcp() for none)");
      return this;
    }

    /** Plain TCP, no TLS (the default). */
    public Builder plainTcp() {
      this.sslContext = null;
      return this;
    }

    /** The options; every value was checked when it was set. */
    public NetOptions build() {
      return new NetOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
      return d;
    }
  }
}
