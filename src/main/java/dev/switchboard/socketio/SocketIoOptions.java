package dev.switchboard.socketio;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.protocol.SocketIoLimits;
import java.time.Duration;

/**
 * Socket.IO server options, with Node's defaults.
 *
 * @param engine Engine.IO options (path {@code /socket.io/}, heartbeat, sizes, CORS)
 * @param net transport options (bind address, port, I/O threads, HTTP limits)
 * @param limits codec limits (attachments, nesting depth, ack ids)
 * @param connectTimeout an Engine.IO connection that joins no namespace within this is closed
 *     (socket.io's {@code connectTimeout}; hostile-inputs D100)
 * @param ackTimeout default timeout of {@code emitWithAck} when none is given; null = wait for ever
 *     (until the socket disconnects)
 * @param maxBufferedPackets packets queued for one client before it is treated as a slow consumer
 *     and disconnected; volatile packets are dropped well before that
 * @param recovery connection state recovery, or null when off
 * @param cleanupEmptyChildNamespaces remove a dynamic namespace's child when its last socket leaves
 */
public record SocketIoOptions(
    EngineIoOptions engine,
    NetOptions net,
    SocketIoLimits limits,
    Duration connectTimeout,
    Duration ackTimeout,
    int maxBufferedPackets,
    Recovery recovery,
    boolean cleanupEmptyChildNamespaces) {

  /**
   * Connection state recovery (Node 4.6+): a client that reconnects within
   * {@code maxDisconnectionDuration} gets back its id, rooms, {@code data} and missed packets.
   */
  public record Recovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
    public static final Recovery DEFAULTS = new Recovery(Duration.ofMinutes(2), true);
  }

  public static final SocketIoOptions DEFAULTS = new SocketIoOptions(
      EngineIoOptions.DEFAULTS,
      NetOptions.DEFAULTS,
      SocketIoLimits.DEFAULTS,
      Duration.ofSeconds(45),
      null,
      10_000,
      null,
      false);

  public SocketIoOptions withEngine(EngineIoOptions e) {
    return new SocketIoOptions(e, net, limits, connectTimeout, ackTimeout, maxBufferedPackets, recovery,
        cleanupEmptyChildNamespaces);
  }

  public SocketIoOptions withNet(NetOptions n) {
    return new SocketIoOptions(engine, n, limits, connectTimeout, ackTimeout, maxBufferedPackets, recovery,
        cleanupEmptyChildNamespaces);
  }

  public SocketIoOptions withConnectTimeout(Duration d) {
    return new SocketIoOptions(engine, net, limits, d, ackTimeout, maxBufferedPackets, recovery,
        cleanupEmptyChildNamespaces);
  }

  public SocketIoOptions withAckTimeout(Duration d) {
    return new SocketIoOptions(engine, net, limits, connectTimeout, d, maxBufferedPackets, recovery,
        cleanupEmptyChildNamespaces);
  }

  public SocketIoOptions withRecovery(Recovery r) {
    return new SocketIoOptions(engine, net, limits, connectTimeout, ackTimeout, maxBufferedPackets, r,
        cleanupEmptyChildNamespaces);
  }

  public SocketIoOptions withLimits(SocketIoLimits l) {
    return new SocketIoOptions(engine, net, l, connectTimeout, ackTimeout, maxBufferedPackets, recovery,
        cleanupEmptyChildNamespaces);
  }

  public SocketIoOptions withMaxBufferedPackets(int max) {
    return new SocketIoOptions(engine, net, limits, connectTimeout, ackTimeout, max, recovery,
        cleanupEmptyChildNamespaces);
  }

  public SocketIoOptions withCleanupEmptyChildNamespaces(boolean on) {
    return new SocketIoOptions(engine, net, limits, connectTimeout, ackTimeout, maxBufferedPackets, recovery,
        on);
  }
}
