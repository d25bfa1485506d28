package dev.switchboard.conformance;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official clients (engine.io-client, socket.io-client, pinned in conformance/package-lock.json)
 * against Switchboard: one JUnit test per scenario of {@code conformance/run.mjs}, each against a
 * fresh server on a free port. The scenarios were validated against Node's own servers
 * ({@code conformance/run-against-reference.sh}), so a failure here is ours.
 */
class ClientConformanceTest {
  @TestFactory
  Stream<DynamicTest> engineIoClient() throws Exception {
    return scenarios("engine.io");
  }

  @TestFactory
  Stream<DynamicTest> socketIoClient() throws Exception {
    return scenarios("socket.io");
  }

  /** socket.io-client 4.8 with socket.io-msgpack-parser, against the test app with parser msgpack (issue #12). */
  @TestFactory
  Stream<DynamicTest> socketIoClientMsgpack() throws Exception {
    return scenarios("socket.io-msgpack");
  }

  /** socket.io-client 3.1, the older EIO4 client (issue #12), callback-style scenarios. */
  @TestFactory
  Stream<DynamicTest> socketIoClientV3() throws Exception {
    return scenarios("socket.io-v3");
  }

  @TestFactory
  Stream<DynamicTest> chatServer() throws Exception {
    return scenarios("chat");
  }

  /**
   * The chat suite again with the chat server on PostgreSQL (issue #11: the auth and chat suite on
   * both databases), one fresh database per scenario on one PostgreSQL for the lot.
   */
  @TestFactory
  Stream<DynamicTest> chatServerOnPostgres() throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "conformance scenarios skipped (-Dconformance.skip=true)");
    postgres = PostgresServer.create();
    return scenarios("chat", name -> new ChatApp(DatabaseUrl.parse(postgres.createDatabase())), "chat on PostgreSQL");
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) postgres.close();
  }

  private static PostgresServer postgres;

  /** How a scenario's server starts. */
  private interface Starter {
    TestApps.Running start(String scenario) throws Exception;
  }

  private Stream<DynamicTest> scenarios(String suite) throws Exception {
    return scenarios(suite, name -> TestApps.start(suite, name), suite);
  }

  private Stream<DynamicTest> scenarios(String suite, Starter starter, String label) throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "conformance scenarios skipped (-Dconformance.skip=true)");
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : NodeRunner.listScenarios(suite)) {
      tests.add(DynamicTest.dynamicTest(label + " › " + name, () -> {
        try (TestApps.Running server = starter.start(name)) {
          NodeRunner.runScenario(suite, name, server.url(), command -> {
            if (command.equals("restart-server")) server.restart();
            else server.control(command);
          });
        }
      }));
    }
    return tests.stream();
  }
}
