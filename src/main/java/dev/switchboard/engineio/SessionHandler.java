package dev.switchboard.engineio;

/**
 * Receives one session's messages. Threading: every call runs on the session's serial executor,
 * one at a time, in arrival order; {@link #onClose} runs exactly once and nothing follows it.
 */
public interface SessionHandler {
  /** A text message from the client. */
  void onMessage(String text);

  /** A binary message from the client; the array is the handler's. */
  void onBinary(byte[] data);

  /** The session ended: why, in Node's terms, and a short description for the log. */
  void onClose(CloseReason reason, String description);
}
