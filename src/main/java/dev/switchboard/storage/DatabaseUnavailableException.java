package dev.switchboard.storage;

/**
 * The database was lost at run time: the connection broke, the server is restarting or no
 * connection came free within the pool's timeout. Nothing was changed by the failed call (its
 * transaction was rolled back or never began). The caller answers "try again later" (HTTP 503
 * with {@code Retry-After}, an error ack) and carries on: the pool replaces broken connections by
 * itself, so a later call works once the database is back, without reopening the
 * {@link Database}.
 */
public final class DatabaseUnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** {@code message} is already masked; {@code cause} is the driver's or the pool's exception. */
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
