package dev.switchboard.testing;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link PostgresServer} for a test class, created before its first test and closed after
 * its last (each test then takes a fresh database with {@code createDatabase()}):
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresPerClass postgres = new PostgresPerClass();
 * ... DatabaseUrl.parse(postgres.server().createDatabase()) ...
 * }</pre>
 *
 * <p>Called by JUnit's thread for the class.
 */
public final class PostgresPerClass implements BeforeAllCallback, AfterAllCallback {
  private PostgresServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = PostgresServer.create();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) server.close();
    server = null;
  }

  /** The class's server; only between its first test's start and its last test's end. */
  public PostgresServer server() {
    if (server == null) throw new IllegalStateException("no PostgreSQL outside the test class's lifetime");
    return server;
  }
}
