package dev.switchboard.cluster.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * A plain Lettuce connection for tests that look at Redis from the outside — how many clients are
 * blocked in a read, the keys and streams an adapter wrote — without going through the code under
 * test. Test thread only.
 */
public final class RedisProbe implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  public RedisProbe(String url) {
    this.client = RedisClient.create(url);
    this.connection = client.connect();
  }

  /** Synchronous commands on the probe's connection. */
  public io.lettuce.core.api.sync.RedisCommands<String, String> sync() {
    return connection.sync();
  }

  /** How many clients Redis holds blocked in a command now ({@code INFO clients}: {@code blocked_clients}). */
  public int blockedClients() {
    String info = connection.sync().info("clients");
    for (String line : info.split("\\r?\\n")) {
      if (line.startsWith("blocked_clients:")) return Integer.parseInt(line.substring("blocked_clients:".length()).trim());
    }
    throw new AssertionError("no blocked_clients in INFO clients: " + info);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
