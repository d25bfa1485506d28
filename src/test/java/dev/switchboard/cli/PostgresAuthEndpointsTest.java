package dev.switchboard.cli;

import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.PostgresPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every test of {@link AuthEndpointsTest} with the chat server on PostgreSQL instead of SQLite
 * (issue #11: the auth suite on both databases): one PostgreSQL for the class, a fresh database
 * per test.
 */
class PostgresAuthEndpointsTest extends AuthEndpointsTest {
  @RegisterExtension static final PostgresPerClass postgres = new PostgresPerClass();

  private String url;

  @Override
  ServerConfig config() throws Exception {
    url = postgres.server().createDatabase();
    return super.config().withDatabase(DatabaseUrl.parse(url));
  }

  @Override
  java.util.List<String> databaseArgs() {
    return java.util.List.of("--database-url", url);
  }
}
