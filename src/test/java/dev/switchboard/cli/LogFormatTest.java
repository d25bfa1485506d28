package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The runnable jar's log lines: one line per record, time, level, logger, message. */
class LogFormatTest {
  private static String format(LogFormat f, Level level, String message, Throwable thrown) {
    LogRecord r = new LogRecord(level, message);
    r.setLoggerName("dev.switchboard.cli.ChatServer");
    r.setInstant(Instant.parse("2026-12-04T14:50:01.123Z"));
    r.setThrown(thrown);
    return f.format(r).replace(System.lineSeparator(), "\n");
  }

  @Test
  void oneLineWithTimeLevelAndShortLoggerName() {
    assertEquals("2026-12-04T14:50:01.123Z INFO  ChatServer: listening on http://0.0.0.0:3000\n",
        format(new LogFormat(false), Level.INFO, "listening on http://0.0.0.0:3000", null));
    assertEquals("2026-12-04T14:50:01.123Z WARN  ChatServer: x\n", format(new LogFormat(false), Level.WARNING, "x", null));
    assertEquals("2026-12-04T14:50:01.123Z ERROR ChatServer: x\n", format(new LogFormat(false), Level.SEVERE, "x", null));
    assertEquals("2026-12-04T14:50:01.000Z DEBUG ChatServer: x\n",
        format(new LogFormat(false), Level.FINE, "x", null).replace(".123Z", ".000Z"));
  }

  @Test
  void anExpectedFailureIsNamedOnTheLineAndABugGetsItsStackTraceIndented() {
    IOException gone = new IOException("Broken pipe");
    assertEquals("2026-12-04T14:50:01.123Z WARN  ChatServer: write failed (java.io.IOException: Broken pipe)\n",
        format(new LogFormat(false), Level.WARNING, "write failed", gone));
    List<String> bug = format(new LogFormat(false), Level.SEVERE, "task failed", new IllegalStateException("bad")).lines().toList();
    assertEquals("2026-12-04T14:50:01.123Z ERROR ChatServer: task failed", bug.get(0));
    assertEquals("    java.lang.IllegalStateException: bad", bug.get(1));
    assertTrue(bug.size() > 2 && bug.subList(1, bug.size()).stream().allMatch(l -> l.startsWith("    ")), bug.toString());
    List<String> handler = format(new LogFormat(false), Level.WARNING, "handler failed", new NullPointerException("x"))
        .lines().toList();
    assertEquals("    java.lang.NullPointerException: x", handler.get(1), "a handler that threw is a bug: its trace");
    assertEquals("2026-12-04T14:50:01.123Z WARN  ChatServer: lost (dev.switchboard.storage.DatabaseUnavailableException: "
        + "database away)\n", format(new LogFormat(false), Level.WARNING, "lost",
            new dev.switchboard.storage.DatabaseUnavailableException("database away", null)));
    List<String> debug = format(new LogFormat(true), Level.WARNING, "write failed", gone).lines().toList();
    assertEquals("    java.io.IOException: Broken pipe", debug.get(1), "at LOG_LEVEL=debug every trace is shown");
  }

  @Test
  void aMessagesOwnLineBreaksAreIndentedSoARecordStaysOne() {
    assertEquals("2026-12-04T14:50:01.123Z INFO  ChatServer: first\n    second\n    third\n",
        format(new LogFormat(false), Level.INFO, "first\r\nsecond\nthird", null));
  }

  @Test
  void theLevelComesFromLogLevel() {
    assertEquals(Level.INFO, LogFormat.level(null));
    assertEquals(Level.FINE, LogFormat.level(" Debug "));
    assertEquals(Level.WARNING, LogFormat.level("warn"));
    assertEquals("LOG_LEVEL must be error, warn, info, debug or trace",
        assertThrows(IllegalArgumentException.class, () -> LogFormat.level("loud")).getMessage());
  }

  @Test
  void theCommandsOwnLinesUseTheSameFormat() {
    assertTrue(LogFormat.line(Level.INFO, "ChatServer", "stopping")
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  ChatServer: stopping"));
  }
}
