package dev.switchboard.cluster.redis;

/**
 * A Redis command of a {@link RedisLink} that failed: Redis unreachable (the link fails commands
 * at once while it reconnects), no answer within the command timeout, too many commands waiting,
 * or an error reply. The message names the command and the server with its password masked
 * ({@code redis://:***@host:6379}); the password never appears in it nor in its cause chain.
 *
 * <pre>{@code
 * link.publish(channel, bytes).exceptionally(e -> {
 *   // e is a CompletionException whose cause is a RedisLinkException
 *   return 0L;
 * });
 * }</pre>
 */
public final class RedisLinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, against which (masked) server */
  public RedisLinkException(String message) {
    super(message);
  }

  /**
   * @param message what failed, against which (masked) server
   * @param cause Lettuce's exception, already free of the password
   */
  public RedisLinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
