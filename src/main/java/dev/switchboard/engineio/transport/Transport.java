package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import java.util.List;

/**
 * One way of carrying Engine.IO packets (engine.io-protocol §Transports). Threading: every method
 * is called on the owning session's serial executor.
 */
public interface Transport {
  /** "polling" or "websocket", as in the {@code transport} query parameter. */
  String name();

  /** Whether {@link #send} may be called now. WebSocket: while open; polling: while a GET waits. */
  boolean isWritable();

  /** Sends packets in order; only when {@link #isWritable}. */
  void send(List<EngineIoPacket> packets);

  /** Ends the transport; idempotent. */
  void close();

  /** Where the transport reports packets, writability, errors and its end. */
  void setListener(TransportListener listener);
}
