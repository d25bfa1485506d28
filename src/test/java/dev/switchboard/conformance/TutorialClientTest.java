package dev.switchboard.conformance;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.switchboard.testing.LogLines;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The tutorial's client flows ({@code conformance/scenarios/tutorial.mjs}: {@code message},
 * {@code authenticate}/{@code authenticated}, {@code /login} then {@code auth: {token}}, the
 * complete example's events, and the three cases of its "Testing Your Authentication" section)
 * with the official socket.io-client, against each example under {@code examples/} started as the
 * README's command starts it, and against the chat server (the complete example). Each server is
 * started once for its suite, whose scenarios then run in order (issue #13).
 */
class TutorialClientTest {
  @TestFactory
  Stream<DynamicTest> step1Echo() throws Exception {
    return suite("tutorial-echo", () -> ExampleProcess.start("examples/echo/EchoServer.java"));
  }

  @TestFactory
  Stream<DynamicTest> step3Authenticate() throws Exception {
    return suite("tutorial-authenticate", () -> ExampleProcess.start("examples/authenticate/AuthenticateServer.java"));
  }

  @TestFactory
  Stream<DynamicTest> jwtPattern() throws Exception {
    return suite("tutorial-jwt", () -> ExampleProcess.start("examples/jwt/JwtServer.java"));
  }

  @TestFactory
  Stream<DynamicTest> completeExampleIsTheChatServer() throws Exception {
    // The chat server logs each sign-up at INFO; kept out of the build's output for the suite's length.
    LogLines quiet = LogLines.of("dev.switchboard");
    try {
      return suite("tutorial-complete", ChatApp::new).onClose(quiet::close);
    } catch (Exception | Error e) {
      quiet.close();
      throw e;
    }
  }

  private interface Starter {
    TestApps.Running start() throws Exception;
  }

  private Stream<DynamicTest> suite(String suite, Starter starter) throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "conformance scenarios skipped (-Dconformance.skip=true)");
    List<String> names = NodeRunner.listScenarios(suite);
    TestApps.Running server = starter.start();
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : names) {
      tests.add(DynamicTest.dynamicTest(suite + " › " + name, () -> {
        try {
          NodeRunner.runScenario(suite, name, server.url(), command -> server.control(command));
        } catch (AssertionError e) {
          if (server instanceof ExampleProcess p) throw new AssertionError(e.getMessage() + "\nthe example printed:\n" + p.output(), e);
          throw e;
        }
      }));
    }
    // JUnit closes the stream once every test of the suite has run.
    return tests.stream().onClose(server::close);
  }
}
