package dev.switchboard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The INFO-and-above records of some java.util.logging loggers (our classes' and libraries' such as
 * {@code io.lettuce}), kept off the console while captured, for rules such as "one log line per
 * outage". Records may arrive on any thread (Lettuce's event loops included).
 *
 * <pre>{@code
 * try (LogLines log = LogLines.of(RedisLink.class.getName(), "io.lettuce")) {
 *   ... // Redis stopped and restarted
 *   assertEquals(1, log.count(Level.WARNING, "lost"), log.lines().toString());
 * }
 * }</pre>
 */
public final class LogLines extends Handler implements AutoCloseable {
  private final List<Logger> loggers = new ArrayList<>();
  private final List<Boolean> parents = new ArrayList<>();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogLines() {
    setLevel(Level.INFO);
  }

  /** Starts capturing the loggers with these names. */
  public static LogLines of(String... names) {
    LogLines c = new LogLines();
    for (String n : names) {
      Logger l = Logger.getLogger(n);
      l.addHandler(c);
      c.loggers.add(l);
      c.parents.add(l.getUseParentHandlers());
      l.setUseParentHandlers(false);
    }
    return c;
  }

  @Override
  public void publish(LogRecord r) {
    if (isLoggable(r)) records.add(r);
  }

  /** How many records at exactly {@code level} have a message containing {@code text}. */
  public int count(Level level, String text) {
    return (int) records.stream().filter(r -> r.getLevel().equals(level) && r.getMessage().contains(text)).count();
  }

  /** Every record as {@code LEVEL logger: message}, for assertion messages. */
  public List<String> lines() {
    return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()).toList();
  }

  @Override
  public void flush() {}

  /** Stops capturing; the loggers print to the console again as before. */
  @Override
  public void close() {
    for (int i = 0; i < loggers.size(); i++) {
      loggers.get(i).removeHandler(this);
      loggers.get(i).setUseParentHandlers(parents.get(i));
    }
  }
}
