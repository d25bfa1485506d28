package dev.switchboard.socketio;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.protocol.SocketIoLimits;
import dev.switchboard.socketio.protocol.SocketIoParser;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Socket.IO server options, with Node's defaults. Immutable; made with a {@link Builder}, so
 * every value is named where it is set. Nothing is null: what can be off ({@link #ackTimeout},
 * {@link #recovery}) is an empty {@link Optional}.
 *
 * <pre>{@code
 * SocketIoOptions options = SocketIoOptions.builder()
 *     .ackTimeout(Duration.ofSeconds(10))
 *     .recovery(SocketIoOptions.Recovery.DEFAULTS)
 *     .build();
 * SocketIoOptions patient = options.toBuilder().connectTimeout(Duration.ofMinutes(2)).build();
 * }</pre>
 */
public final class SocketIoOptions {
  private static final AdapterFactory IN_MEMORY = InMemoryAdapter::new;

  /** Node's defaults: {@code builder().build()}. */
  public static final SocketIoOptions DEFAULTS = builder().build();

  private final EngineIoOptions engine;
  private final NetOptions net;
  private final SocketIoLimits limits;
  private final Duration connectTimeout;
  private final int maxFailedConnects;
  private final Optional<Duration> ackTimeout;
  private final Optional<Recovery> recovery;
  private final boolean cleanupEmptyChildNamespaces;
  private final AdapterFactory adapter;
  private final SocketIoParser parser;

  private SocketIoOptions(Builder b) {
    this.engine = b.engine;
    this.net = b.net;
    this.limits = b.limits;
    this.connectTimeout = b.connectTimeout;
    this.maxFailedConnects = b.maxFailedConnects;
    this.ackTimeout = b.ackTimeout;
    this.recovery = b.recovery;
    this.cleanupEmptyChildNamespaces = b.cleanupEmptyChildNamespaces;
    this.adapter = b.adapter;
    this.parser = b.parser;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Engine.IO options (path {@code /socket.io/}, heartbeat, sizes, CORS). */
  public EngineIoOptions engine() {
    return engine;
  }

  /** Transport options (bind address, port, I/O threads, HTTP limits). */
  public NetOptions net() {
    return net;
  }

  /** Codec limits (attachments, nesting depth, ack ids). */
  public SocketIoLimits limits() {
    return limits;
  }

  /**
   * An Engine.IO connection that joins no namespace within this is closed (socket.io's
   * {@code connectTimeout}, default 45 s; hostile-inputs.md#D100).
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * How many CONNECTs one Engine.IO connection may have refused — by a middleware
   * ({@code next.fail}) or for a namespace nobody serves — before the next CONNECT on it closes
   * the connection (default 5; 1 to 100). Node has no such limit; ours bounds the middleware work
   * one connection can ask for (spec-notes/socket-io.md, "Refused CONNECTs";
   * hostile-inputs.md#D94). The official client sends CONNECT again on the same connection only
   * when the application calls {@code socket.connect()} after a {@code connect_error}, and a
   * client over the limit reconnects with a new Engine.IO session and a new count.
   */
  public int maxFailedConnects() {
    return maxFailedConnects;
  }

  /**
   * How long {@code emitWithAck} waits when no {@code timeout(...)} is given; empty (the default):
   * until the answer or the target's disconnection.
   */
  public Optional<Duration> ackTimeout() {
    return ackTimeout;
  }

  /** Connection state recovery; empty (the default) when off. */
  public Optional<Recovery> recovery() {
    return recovery;
  }

  /** Whether a dynamic namespace's child is removed when its last socket leaves (default false). */
  public boolean cleanupEmptyChildNamespaces() {
    return cleanupEmptyChildNamespaces;
  }

  /** Makes each namespace's adapter (default {@link InMemoryAdapter}). */
  public AdapterFactory adapter() {
    return adapter;
  }

  /**
   * How packets are written into Engine.IO messages (Node's {@code parser} option): {@link
   * SocketIoParser#DEFAULT} (the default) or {@link SocketIoParser#MSGPACK}, which every client
   * must then use too (socket.io-msgpack-parser).
   */
  public SocketIoParser parser() {
    return parser;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SocketIoOptions other
        && engine.equals(other.engine) && net.equals(other.net) && limits.equals(other.limits)
        && connectTimeout.equals(other.connectTimeout) && maxFailedConnects == other.maxFailedConnects
        && ackTimeout.equals(other.ackTimeout)
        && recovery.equals(other.recovery) && cleanupEmptyChildNamespaces == other.cleanupEmptyChildNamespaces
        && adapter.equals(other.adapter) && parser.equals(other.parser);
  }

  @Override
  public int hashCode() {
    return Objects.hash(engine, net, limits, connectTimeout, maxFailedConnects, ackTimeout, recovery,
        cleanupEmptyChildNamespaces, adapter, parser);
  }

  @Override
  public String toString() {
    return "SocketIoOptions{connectTimeout=" + connectTimeout + ", maxFailedConnects=" + maxFailedConnects + ", ackTimeout=" + ackTimeout + ", recovery="
        + recovery + ", cleanupEmptyChildNamespaces=" + cleanupEmptyChildNamespaces + ", parser=" + parser + ", limits=" + limits
        + ", engine=" + engine + ", net=" + net + "}";
  }

  /**
   * Builds {@link SocketIoOptions}; starts from the defaults (or from the options it was made
   * from). Each setter refuses null and out-of-range values with the option's name. Not
   * thread-safe; the options it builds are.
   */
  public static final class Builder {
    private EngineIoOptions engine = EngineIoOptions.DEFAULTS;
    private NetOptions net = NetOptions.DEFAULTS;
    private SocketIoLimits limits = SocketIoLimits.DEFAULTS;
    private Duration connectTimeout = Duration.ofSeconds(45);
    private int maxFailedConnects = 5;
    private Optional<Duration> ackTimeout = Optional.empty();
    private Optional<Recovery> recovery = Optional.empty();
    private boolean cleanupEmptyChildNamespaces;
    private AdapterFactory adapter = IN_MEMORY;
    private SocketIoParser parser = SocketIoParser.DEFAULT;

    private Builder() {}

    private Builder(SocketIoOptions o) {
      engine = o.engine;
      net = o.net;
      limits = o.limits;
      connectTimeout = o.connectTimeout;
      maxFailedConnects = o.maxFailedConnects;
      ackTimeout = o.ackTimeout;
      recovery = o.recovery;
      cleanupEmptyChildNamespaces = o.cleanupEmptyChildNamespaces;
      adapter = o.adapter;
      parser = o.parser;
    }

    /** See {@link SocketIoOptions#engine()}. */
    public Builder engine(EngineIoOptions engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** See {@link SocketIoOptions#net()}. */
    public Builder net(NetOptions net) {
      this.net = Objects.requireNonNull(net, "net");
      return this;
    }

    /** See {@link SocketIoOptions#limits()}. */
    public Builder limits(SocketIoLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** See {@link SocketIoOptions#connectTimeout()}; must be positive. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** See {@link SocketIoOptions#maxFailedConnects()}; 1 to 100. */
    public Builder maxFailedConnects(int maxFailedConnects) {
      if (maxFailedConnects < 1 || maxFailedConnects > 100) {
        throw new IllegalArgumentException("maxFailedConnects must be 1 to 100, got " + maxFailedConnects);
      }
      this.maxFailedConnects = maxFailedConnects;
      return this;
    }

    /** Every {@code emitWithAck} without its own timeout fails after this; must be positive. */
    public Builder ackTimeout(Duration ackTimeout) {
      this.ackTimeout = Optional.of(positive(ackTimeout, "ackTimeout"));
      return this;
    }

    /** {@code emitWithAck} without its own timeout waits for the answer or the disconnection. */
    public Builder noAckTimeout() {
      this.ackTimeout = Optional.empty();
      return this;
    }

    /** Turns connection state recovery on with these settings. */
    public Builder recovery(Recovery recovery) {
      this.recovery = Optional.of(Objects.requireNonNull(recovery, "recovery"));
      return this;
    }

    /** Turns connection state recovery off (the default). */
    public Builder noRecovery() {
      this.recovery = Optional.empty();
      return this;
    }

    /** See {@link SocketIoOptions#cleanupEmptyChildNamespaces()}. */
    public Builder cleanupEmptyChildNamespaces(boolean cleanup) {
      this.cleanupEmptyChildNamespaces = cleanup;
      return this;
    }

    /** See {@link SocketIoOptions#adapter()}. */
    public Builder adapter(AdapterFactory adapter) {
      this.adapter = Objects.requireNonNull(adapter, "adapter");
      return this;
    }

    /** See {@link SocketIoOptions#parser()}. */
    public Builder parser(SocketIoParser parser) {
      this.parser = Objects.requireNonNull(parser, "parser");
      return this;
    }

    /** The options as set. */
    public SocketIoOptions build() {
      return new SocketIoOptions(this);
    }
  }

  /**
   * Connection state recovery (Node 4.6+): a client that reconnects within
   * {@link #maxDisconnectionDuration} gets back its socket id, rooms, {@code data} and the packets
   * it missed. Immutable; made with {@link #builder()}.
   *
   * <pre>{@code
   * SocketIoOptions.builder()
   *     .recovery(SocketIoOptions.Recovery.builder().maxDisconnectionDuration(Duration.ofMinutes(5)).build())
   *     .build();
   * }</pre>
   */
  public static final class Recovery {
    private static final Duration DEFAULT_MAX_DISCONNECTION = Duration.ofMinutes(2);

    /** Node's defaults: two minutes, middlewares skipped for a recovered socket. */
    public static final Recovery DEFAULTS = builder().build();

    private final Duration maxDisconnectionDuration;
    private final boolean skipMiddlewares;

    private Recovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
      this.maxDisconnectionDuration = maxDisconnectionDuration;
      this.skipMiddlewares = skipMiddlewares;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
      return new Builder(DEFAULT_MAX_DISCONNECTION, true);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
      return new Builder(maxDisconnectionDuration, skipMiddlewares);
    }

    /** How long a disconnected socket's state and the packets sent since are kept (default 2 min). */
    public Duration maxDisconnectionDuration() {
      return maxDisconnectionDuration;
    }

    /** Whether a recovered socket connects without running the handshake middlewares (default true). */
    public boolean skipMiddlewares() {
      return skipMiddlewares;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Recovery r && maxDisconnectionDuration.equals(r.maxDisconnectionDuration)
          && skipMiddlewares == r.skipMiddlewares;
    }

    @Override
    public int hashCode() {
      return maxDisconnectionDuration.hashCode() * 31 + Boolean.hashCode(skipMiddlewares);
    }

    @Override
    public String toString() {
      return "Recovery{maxDisconnectionDuration=" + maxDisconnectionDuration + ", skipMiddlewares="
          + skipMiddlewares + "}";
    }

    /** Builds {@link Recovery}. Not thread-safe. */
    public static final class Builder {
      private Duration maxDisconnectionDuration;
      private boolean skipMiddlewares;

      private Builder(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
        this.maxDisconnectionDuration = maxDisconnectionDuration;
        this.skipMiddlewares = skipMiddlewares;
      }

      /** See {@link Recovery#maxDisconnectionDuration()}; must be positive. */
      public Builder maxDisconnectionDuration(Duration d) {
        this.maxDisconnectionDuration = positive(d, "maxDisconnectionDuration");
        return this;
      }

      /** See {@link Recovery#skipMiddlewares()}. */
      public Builder skipMiddlewares(boolean skip) {
        this.skipMiddlewares = skip;
        return this;
      }

      /** The settings as set. */
      public Recovery build() {
        return new Recovery(maxDisconnectionDuration, skipMiddlewares);
      }
    }
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    return d;
  }
}
