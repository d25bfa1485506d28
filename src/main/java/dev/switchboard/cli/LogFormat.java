package dev.switchboard.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log format of {@code java -jar switchboard.jar}: one line per record,
 * {@code 2026-12-04T14:50:01.123Z INFO  ChatServer: listening on http://localhost:3000/} — the time
 * in ISO 8601 UTC with milliseconds, the level (ERROR, WARN, INFO, DEBUG, TRACE: java.util.logging's
 * SEVERE, WARNING, INFO/CONFIG, FINE, FINER/FINEST), the logger's short name (its class), the
 * message. A message's own line breaks are indented, so a record never looks like two.
 *
 * <p>An exception attached to a record is shown as one extra indented block (its stack trace) only
 * when it may be a bug — an ERROR record, or an unchecked exception such as a handler that threw
 * ({@link #isBug}) — or at DEBUG and below, or when the log level is DEBUG or lower; otherwise it
 * is named at the end of the line ({@code (java.io.IOException: Broken pipe)}), which is what an
 * operator needs for an expected failure such as a client gone, the database or Redis away.
 *
 * <p>The library logs through SLF4J; in the jar, slf4j-jdk14 hands its records to
 * java.util.logging (error, warn, info, debug, trace → SEVERE, WARNING, INFO, FINE, FINEST), where
 * this formatter prints them, together with HikariCP's and Lettuce's.
 *
 * <p>Installed by {@link #install} from {@link Main#main} only, never by library code or
 * {@link Main#run}: an application embedding Switchboard keeps its own logging configuration. Not
 * installed either when the JVM is given a java.util.logging configuration of its own
 * ({@code -Djava.util.logging.config.file} or {@code .class}).
 *
 * <p>Threading: {@link #format} is called by whichever thread logs, and keeps no state.
 */
final class LogFormat extends Formatter {
  /** The environment variable with the level: error, warn, info (the default), debug, trace. */
  static final String LEVEL_VARIABLE = "LOG_LEVEL";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Stack traces for every record with one: set when the configured level is DEBUG or lower. */
  private final boolean traces;

  LogFormat(boolean traces) {
    this.traces = traces;
  }

  @Override
  public String format(LogRecord r) {
    StringBuilder b = new StringBuilder(128);
    line(b, r.getInstant(), r.getLevel(), shortName(r.getLoggerName()), formatMessage(r));
    Throwable t = r.getThrown();
    if (t != null) {
      if (traces || r.getLevel().intValue() >= Level.SEVERE.intValue() || r.getLevel().intValue() <= Level.FINE.intValue()
          || isBug(t)) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        b.append(System.lineSeparator()).append("    ");
        indent(b, w.toString().stripTrailing());
      } else {
        b.append(" (").append(t).append(')');
      }
    }
    return b.append(System.lineSeparator()).toString();
  }

  /**
   * Whether {@code t} looks like a programming error (an unchecked exception or an Error, such as
   * a handler that threw) rather than a failure the server expects and handles (I/O, a timeout,
   * the database or Redis away — also when wrapped, as in a {@code CompletionException}).
   */
  static boolean isBug(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.io.IOException || c instanceof java.util.concurrent.TimeoutException
          || c instanceof dev.switchboard.storage.StorageException
          // By name: naming the type would load Redis classes in a server without Redis.
          || c.getClass().getName().equals("dev.switchboard.cluster.redis.RedisLinkException")) {
        return false;
      }
      if (c.getCause() == c) break;
    }
    return t instanceof RuntimeException || t instanceof Error;
  }

  /** One line in this format, without a line end: for the lines the commands print themselves. */
  static String line(Level level, String logger, String message) {
    StringBuilder b = new StringBuilder(96);
    line(b, Instant.now(), level, logger, message);
    return b.toString();
  }

  private static void line(StringBuilder b, Instant time, Level level, String logger, String message) {
    TIME.formatTo(time, b);
    String name = levelName(level);
    b.append(' ').append(name);
    for (int i = name.length(); i < 5; i++) b.append(' ');
    b.append(' ').append(logger).append(": ");
    indent(b, message == null ? "" : message);
  }

  /** Appends {@code text} with every line after the first indented by four spaces (a tab: four more). */
  private static void indent(StringBuilder b, String text) {
    int start = 0;
    boolean first = true;
    while (true) {
      int nl = text.indexOf('\n', start);
      String part = nl < 0 ? text.substring(start) : text.substring(start, nl);
      if (part.endsWith("\r")) part = part.substring(0, part.length() - 1);
      if (!first) b.append(System.lineSeparator()).append("    ");
      b.append(part.replace("\t", "    "));
      first = false;
      if (nl < 0) return;
      start = nl + 1;
    }
  }

  static String levelName(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) return "ERROR";
    if (v >= Level.WARNING.intValue()) return "WARN";
    if (v >= Level.CONFIG.intValue()) return "INFO";
    if (v >= Level.FINE.intValue()) return "DEBUG";
    return "TRACE";
  }

  /** {@code dev.switchboard.cli.ChatServer} → {@code ChatServer}; a nested class keeps its outer name. */
  static String shortName(String logger) {
    if (logger == null || logger.isEmpty()) return "root";
    return logger.substring(logger.lastIndexOf('.') + 1);
  }

  /**
   * {@code LOG_LEVEL} ({@code error}, {@code warn}, {@code info}, {@code debug}, {@code trace};
   * unset or empty: info) as a java.util.logging level.
   *
   * @throws IllegalArgumentException any other value
   */
  static Level level(String value) {
    if (value == null || value.isBlank()) return Level.INFO;
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn", "warning" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      default -> throw new IllegalArgumentException(LEVEL_VARIABLE + " must be error, warn, info, debug or trace");
    };
  }

  /**
   * Makes this format, at {@code LOG_LEVEL}, the root logger's only handler, writing to
   * {@code err}; does nothing when the JVM has a logging configuration of its own. Levels that
   * classes set on their own loggers (Hikari's, Lettuce's) are left as they are.
   *
   * @throws IllegalArgumentException a bad {@code LOG_LEVEL}
   */
  static void install(Map<String, String> env, PrintStream err) {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    Level level = level(env.get(LEVEL_VARIABLE));
    LogManager.getLogManager(); // reads the JDK's default configuration first, so it cannot undo ours later
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) root.removeHandler(h);
    root.addHandler(new StreamHandlerNoClose(err, new LogFormat(level.intValue() <= Level.FINE.intValue()), level));
    root.setLevel(level);
  }

  /**
   * Writes each record at once to a stream it does not own ({@code System.err}): closing it, as
   * {@link LogManager} does at shutdown, only flushes.
   */
  private static final class StreamHandlerNoClose extends Handler {
    private final PrintStream out;

    StreamHandlerNoClose(PrintStream out, Formatter format, Level level) {
      this.out = out;
      setFormatter(format);
      setLevel(level);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) return;
      String text;
      try {
        text = getFormatter().format(record);
      } catch (RuntimeException e) { // a message whose parameters throw: still one line
        text = line(record.getLevel(), shortName(record.getLoggerName()), String.valueOf(record.getMessage()))
            + System.lineSeparator();
      }
      out.print(text); // one print per record: records of several threads never interleave within a line
      out.flush();
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
