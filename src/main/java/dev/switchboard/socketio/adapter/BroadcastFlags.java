package dev.switchboard.socketio.adapter;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a packet is sent (Node's {@code BroadcastFlags}). {@code volatile}: may be dropped when the
 * client is not ready (Node's {@code socket.volatile}); {@code compress}: false keeps the packet
 * uncompressed (no permessage-deflate; no gzip for a polling response of such packets only, as
 * in Node); {@code local}: stay on this node — a cluster adapter neither publishes it nor
 * asks the other nodes; {@code timeout}: how long the operation waits for answers, when the
 * application gave one ({@code timeout(...)}, or the server's {@code ackTimeout} for a broadcast
 * with acks). A cluster adapter forwards the flags with a broadcast, as Node's adapters do, and
 * bounds what it waits for — {@code fetchSockets} answers, broadcast acks — by {@code timeout},
 * or by its own request timeout when there is none.
 *
 * <pre>{@code
 * BroadcastFlags f = BroadcastFlags.NONE.withVolatile().withTimeout(Duration.ofSeconds(5));
 * }</pre>
 */
public record BroadcastFlags(boolean isVolatile, boolean compress, boolean local, Optional<Duration> timeout) {
  /** A plain packet: not volatile, compressible, to every node, no timeout. */
  public static final BroadcastFlags NONE = new BroadcastFlags(false, true, false);

  /** Checks that the timeout is an Optional (empty: none) of a positive duration. */
  public BroadcastFlags {
    Objects.requireNonNull(timeout, "timeout");
    timeout.ifPresent(t -> {
      if (t.isNegative() || t.isZero()) throw new IllegalArgumentException("timeout must be positive, got " + t);
    });
  }

  /** Flags without a timeout. */
  public BroadcastFlags(boolean isVolatile, boolean compress, boolean local) {
    this(isVolatile, compress, local, Optional.empty());
  }

  /** These flags, volatile. */
  public BroadcastFlags withVolatile() {
    return new BroadcastFlags(true, compress, local, timeout);
  }

  /** These flags with {@code compress} set to {@code c}. */
  public BroadcastFlags withCompress(boolean c) {
    return new BroadcastFlags(isVolatile, c, local, timeout);
  }

  /** These flags, local. */
  public BroadcastFlags withLocal() {
    return new BroadcastFlags(isVolatile, compress, true, timeout);
  }

  /** These flags with this timeout (positive). */
  public BroadcastFlags withTimeout(Duration t) {
    return new BroadcastFlags(isVolatile, compress, local, Optional.of(Objects.requireNonNull(t, "timeout")));
  }
}
