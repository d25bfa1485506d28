package dev.switchboard.cluster;

/**
 * A message between cluster nodes that cannot be read or written: truncated or malformed
 * MessagePack, a declared length beyond the input, a limit of {@link NotepackCodec} exceeded, or a
 * value with no wire form. Another node on the same Redis may be broken or hostile, so the adapters
 * catch this, count it and drop the message; it never stops a node.
 *
 * <p>The message says what was wrong and at which byte, never the payload itself.
 *
 * <pre>{@code
 * try {
 *   JsonNode message = codec.decode(bytes);
 * } catch (ClusterMessageException e) {
 *   dropped.increment();          // and a debug log line with e.getMessage()
 * }
 * }</pre>
 */
public final class ClusterMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what was wrong, and where */
  public ClusterMessageException(String message) {
    super(message);
  }

  /**
   * @param message what was wrong, and where
   * @param cause the library's own exception, kept for debugging
   */
  public ClusterMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
