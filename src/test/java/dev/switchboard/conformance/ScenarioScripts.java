package dev.switchboard.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The end of a third-party client's scenario script ({@code conformance/python/client.py},
 * {@code conformance/eio3/client-v2.mjs}): the script prints {@code OK} as its last line and exits
 * 0 when the scenario holds, or says what went wrong.
 */
final class ScenarioScripts {
  private ScenarioScripts() {}

  /**
   * Waits for {@code p} (at most 60 s: every script gives up on its own well before), then asserts
   * it passed. {@code earlierOutput}: what the caller already read from its output (empty if none).
   */
  static void assertPassed(String name, Process p, String earlierOutput) throws IOException, InterruptedException {
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + ": no answer within 60 s\n" + earlierOutput);
    }
    String out = (earlierOutput + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).trim();
    assertEquals("OK", out.isEmpty() ? "(no output)" : out.lines().reduce((a, b) -> b).orElse(""), out);
    assertEquals(0, p.exitValue(), out);
  }
}
