package dev.switchboard.socketio.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes over one class's logger for the length of a test: its records are kept for the test to
 * assert on instead of being printed, so a test that makes a handler throw on purpose leaves the
 * build output clean.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of(Socket.class)) {
 *   c.receive("2[\"boom\"]");
 *   assertEquals(List.of("handler for event 'boom' failed"), log.messages(Level.WARNING));
 * }
 * }</pre>
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final boolean useParentHandlers;
  private final Level level;
  private final List<LogRecord> records = new ArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.useParentHandlers = logger.getUseParentHandlers();
    this.level = logger.getLevel();
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  /** Captures the logger named after {@code type} (the convention of every class here). */
  public static LogCapture of(Class<?> type) {
    return new LogCapture(Logger.getLogger(type.getName()));
  }

  /** The messages (unformatted) logged at exactly {@code level}, in order. */
  public synchronized List<String> messages(Level level) {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) if (r.getLevel().equals(level)) out.add(r.getMessage());
    return out;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() { }

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(level);
    logger.setUseParentHandlers(useParentHandlers);
  }
}
