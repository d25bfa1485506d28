package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.protocol.EngineIoPacket;

/**
 * What a transport reports to its session. Threading: always called on the session's serial
 * executor, in wire order.
 */
public interface TransportListener {
  /** A decoded packet arrived. */
  void onPacket(Transport source, EngineIoPacket packet);

  /** The transport can take packets now (a polling GET is waiting). */
  void onWritable(Transport source);

  /**
   * The peer broke the protocol; the transport is unusable. {@code description} is a short
   * sentence for the log and the application (the close description).
   */
  void onError(Transport source, TransportError error, String description);

  /** The underlying connection ended. */
  void onClosed(Transport source);
}
