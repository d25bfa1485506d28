package dev.switchboard.conformance;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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

  @TestFactory
  Stream<DynamicTest> chatServer() throws Exception {
    return scenarios("chat");
  }

  private Stream<DynamicTest> scenarios(String suite) throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "conformance scenarios skipped (-Dconformance.skip=true)");
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : NodeRunner.listScenarios(suite)) {
      tests.add(DynamicTest.dynamicTest(suite + " › " + name, () -> {
        try (TestApps.Running server = TestApps.start(suite, name)) {
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
