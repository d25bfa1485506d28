package dev.switchboard.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Database} uses its connections. Immutable; any thread.
 *
 * <pre>{@code
 * DatabaseOptions options = DatabaseOptions.builder()
 *     .maxConnections(20)                       // PostgreSQL only; SQLite keeps one
 *     .connectionTimeout(Duration.ofSeconds(2)) // then DatabaseUnavailableException
 *     .build();
 * }</pre>
 *
 * @param maxConnections the PostgreSQL pool's size (SQLite always uses one connection:
 *     spec-notes/storage.md §Pool); at least 1
 * @param connectionTimeout how long a call waits for a connection (to connect, or for one to come
 *     free) before it fails with {@link DatabaseUnavailableException}; also the connect timeout at
 *     open; at least 250 ms
 */
public record DatabaseOptions(int maxConnections, Duration connectionTimeout) {
  /** The defaults: 10 connections, 3 s. */
  public static final DatabaseOptions DEFAULTS = new DatabaseOptions(10, Duration.ofSeconds(3));

  /** Checks the bounds. */
  public DatabaseOptions {
    if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    if (connectionTimeout.toMillis() < 250) throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
  }

  /** A builder starting from {@link #DEFAULTS}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DatabaseOptions}; not thread-safe. */
  public static final class Builder {
    private int maxConnections = DEFAULTS.maxConnections;
    private Duration connectionTimeout = DEFAULTS.connectionTimeout;

    private Builder() {}

    /** See {@link DatabaseOptions#maxConnections()}. */
    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    /** See {@link DatabaseOptions#connectionTimeout()}. */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = timeout;
      return this;
    }

    /** The options, checked. */
    public DatabaseOptions build() {
      return new DatabaseOptions(maxConnections, connectionTimeout);
    }
  }
}
