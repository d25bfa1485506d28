package dev.switchboard.engineio;

/**
 * Receives one session's messages. Threading: every call runs on the session's serial executor,
 * one at a time, in arrival order; {@link #onClose} runs exactly once and nothing follows it.
 */
public interface SessionHandler {
  void onMessage(String text);

  void onBinary(byte[] data);

  void onClose(CloseReason reason, String description);
}
