package dev.switchboard.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.LogLines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One line per interval per kind, the count of lines left out on the next one, every event counted.
 * The lines go through SLF4J, bound on the test class path to java.util.logging (slf4j-jdk14), where
 * {@link LogLines} reads them: WARN arrives as JUL's WARNING.
 */
class RateLimitedLogTest {
  private static final String NAME = RateLimitedLogTest.class.getName();
  private final FakeScheduler clock = new FakeScheduler();

  @Test
  void oneLinePerIntervalAndTheNextSaysHowManyWereLeftOut() {
    RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(NAME), Level.WARN, "test_flood", Duration.ofSeconds(10),
        clock);
    long before = log.count();
    AtomicInteger built = new AtomicInteger();
    try (LogLines lines = LogLines.of(NAME)) {
      for (int i = 0; i < 2000; i++) {
        int n = i;
        log.event(() -> {
          built.incrementAndGet();
          return "event " + n;
        });
      }
      clock.advanceBy(Duration.ofSeconds(9));
      log.event(() -> "late");
      assertEquals(List.of("WARNING " + NAME + ": event 0"), lines.lines());
      clock.advanceBy(Duration.ofSeconds(1));
      log.event(() -> "next");
      assertEquals("WARNING " + NAME + ": next (2000 more since the last line)", lines.lines().get(1));
      assertEquals(2, lines.lines().size());
    }
    assertEquals(1, built.get(), "of the 2 000, only the message written was built");
    assertEquals(before + 2002, log.count());
    assertEquals(before + 2002, RateLimitedLog.counts().get("test_flood"));
  }

  @Test
  void eventsAreCountedEvenWhenTheLevelIsOff() {
    java.util.logging.Logger quiet = java.util.logging.Logger.getLogger(NAME + ".quiet"); // held: JUL keeps loggers weakly
    quiet.setLevel(java.util.logging.Level.OFF);
    RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(NAME + ".quiet"), Level.WARN, "test_quiet", clock);
    long before = log.count();
    log.event(() -> {
      throw new AssertionError("not built");
    });
    assertEquals(before + 1, log.count());
  }

  @Test
  void aKindIsAMetricLabel() {
    assertThrows(IllegalArgumentException.class,
        () -> new RateLimitedLog(LoggerFactory.getLogger(NAME), Level.INFO, "Bad kind\"", clock));
  }
}
