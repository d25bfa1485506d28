package dev.switchboard.cli;

import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link AuthEndpointsTest} with the chat server on PostgreSQL instead of SQLite
 * (issue #11: the auth suite on both databases): one PostgreSQL for the class, a fresh database
 * per test.
 */
class PostgresAuthEndpointsTest extends AuthEndpointsTest {
  private static PostgresServer pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresServer.create();
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) pg.close();
  }

  private String url;

  @Override
  ServerConfig config() throws Exception {
    url = pg.createDatabase();
    return super.config().withDatabase(DatabaseUrl.parse(url));
  }

  @Override
  java.util.List<String> databaseArgs() {
    return java.util.List.of("--database-url", url);
  }
}
