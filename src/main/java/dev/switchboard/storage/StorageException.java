package dev.switchboard.storage;

/**
 * A storage operation failed for a reason the caller cannot retry its way out of: a constraint
 * the caller should have checked, a schema the code does not know, a bug. Its message never
 * carries a password. The two faults a caller handles differently are its subclasses:
 * {@link DatabaseOpenException} (at start) and {@link DatabaseUnavailableException} (at run time).
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with {@code message} and its {@code cause} (may be null). */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure with {@code message} only. */
  public StorageException(String message) {
    super(message);
  }
}
