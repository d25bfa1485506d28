package dev.switchboard.conformance;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.LogLines;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The tutorial's client flows ({@code conformance/scenarios/tutorial.mjs}: {@code message},
 * {@code authenticate}/{@code authenticated}, {@code /login} then {@code auth: {token}}, the
 * complete example's events, and the three cases of its "Testing Your Authentication" section)
 * with the official socket.io-client, against each example under {@code examples/} started as the
 * README's command starts it, and against the chat server (the complete example). Each server is
 * started once for its suite, whose scenarios then run in order in one Node process (issue #13).
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
    // One Node process runs the whole suite (`run.mjs <suite> --all`) when the first test asks; each
    // test then reports its own scenario's line. A suite's scenarios need no CONTROL.
    Map<String, String> results = new HashMap<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : names) {
      tests.add(DynamicTest.dynamicTest(suite + " › " + name, () -> {
        if (results.isEmpty()) results.putAll(runAll(suite, server.url()));
        String result = results.get(name);
        if (result == null || !result.isEmpty()) {
          String why = result == null ? "no result (the run ended early):\n" + results.get(RUN) : result;
          if (server instanceof ExampleProcess p) why += "\nthe example printed:\n" + p.output();
          throw new AssertionError(name + ": " + why);
        }
      }));
    }
    // JUnit closes the stream once every test of the suite has run.
    return tests.stream().onClose(server::close);
  }

  /** The key of the whole run's own output in {@link #runAll}'s answer. */
  private static final String RUN = "";

  /** Scenario → "" (passed) or why it failed; under {@link #RUN}, what the process printed. */
  private static Map<String, String> runAll(String suite, String url) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("node", "run.mjs", suite, "--all")
        .directory(NodeRunner.conformanceDir().toFile()).redirectErrorStream(true);
    pb.environment().put("SERVER_URL", url);
    Process p = pb.start();
    Map<String, String> results = new HashMap<>();
    StringBuilder all = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        all.append(line).append('\n');
        if (line.startsWith("PASS ")) {
          results.put(line.substring(5), "");
        } else if (line.startsWith("FAIL ") && line.indexOf('\t') > 0) {
          int tab = line.indexOf('\t');
          results.put(line.substring(5, tab), JSON.readValue(line.substring(tab + 1), String.class));
        }
      }
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    results.put(RUN, all.toString());
    return results;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
}
