package dev.switchboard.storage;

/**
 * The database could not be opened: unreachable, refused the credentials, not a database file,
 * or its schema is newer than this build. The message names the database by its
 * {@link DatabaseUrl#masked() masked} form (never the password) and says what went wrong, in one
 * sentence fit for a terminal: the server prints it and exits with code 2, without a stack trace.
 *
 * <pre>{@code
 * try {
 *   db = Database.open(url);
 * } catch (DatabaseOpenException e) {
 *   System.err.println("switchboard: " + e.getMessage());   // no stack trace
 *   System.exit(2);
 * }
 * }</pre>
 */
public final class DatabaseOpenException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** {@code message} is already masked; {@code cause} is kept for debugging (may be null). */
  public DatabaseOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
