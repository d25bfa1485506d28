package dev.switchboard.engineio;

/**
 * The narrow seam between Engine.IO and whatever runs on top (Socket.IO, or the conformance echo
 * server). Threading: called on the new session's serial executor.
 */
@FunctionalInterface
public interface EngineIoListener {
  /**
   * A session finished its handshake. Call {@link EngineIoConnection#setHandler} here to receive its
   * messages; messages arriving before that are dropped.
   */
  void onConnection(EngineIoConnection session);
}
