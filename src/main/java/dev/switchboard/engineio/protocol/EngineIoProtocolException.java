package dev.switchboard.engineio.protocol;

/**
 * The peer sent something that is not a valid Engine.IO v4 packet or payload. The message is a
 * short exact sentence ("Empty packet", "Unknown packet type", "Invalid base64 payload", "Invalid
 * UTF-8"); the session layer answers every instance the same way, by closing the session with the
 * reason "parse error", so the exception carries nothing else.
 */
public final class EngineIoProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public EngineIoProtocolException(String message) {
    // No stack trace: the error is the peer's, the stack is always this codec, and a hostile peer
    // should not be able to make us pay for filling one in.
    super(message, null, false, false);
  }
}
