package dev.switchboard.scheduling;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The log of one kind of client-caused event (a throttled login, a refused connection, a body
 * over its limit): every event is counted, but at most one line is written per interval, and
 * that line says how many were left out since the previous one. A client can make us do the
 * work of refusing it as often as it likes; it cannot make us write a line each time (issue #14:
 * 2 000 throttled logins in 0.7 s wrote 244 KB of log).
 *
 * <pre>{@code
 * RateLimitedLog throttled = new RateLimitedLog(LOG, Level.WARN, "login_throttled", scheduler);
 * throttled.event(() -> "login throttled for an account from " + address);
 * // one line per 10 s at most: "login throttled for an account from 10.0.0.7 (1 999 more since the last line)"
 * }</pre>
 *
 * <p>Counts are kept per kind for the whole JVM ({@link #counts()}, shown in {@code /metrics} as
 * {@code switchboard_client_events_total{kind="…"}}), so two servers in one process add up;
 * the interval is per instance. A count of lines left out that no later event reports is only
 * in the metric.
 *
 * <p>Threading: any thread; {@link #event} takes this object's lock only to decide whether to
 * write, and builds the message only when it does.
 */
public final class RateLimitedLog {
  /** One line per kind at most this often unless told otherwise. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private static final ConcurrentHashMap<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  private final Logger logger;
  private final Level level;
  private final String kind;
  private final long intervalNanos;
  private final Scheduler clock;
  private final LongAdder count;
  /** Guarded by this. */
  private boolean logged;
  /** Guarded by this: when the last line was written. */
  private long lastLine;
  /** Guarded by this: events since the last line. */
  private long suppressed;

  /** One line per {@link #DEFAULT_INTERVAL} at most. */
  public RateLimitedLog(Logger logger, Level level, String kind, Scheduler clock) {
    this(logger, level, kind, DEFAULT_INTERVAL, clock);
  }

  /**
   * Events of {@code kind} (a metric label: lower case, digits and '_') written to {@code logger}
   * (SLF4J) at {@code level}, at most one line per {@code interval} of {@code clock}.
   */
  public RateLimitedLog(Logger logger, Level level, String kind, Duration interval, Scheduler clock) {
    if (!kind.matches("[a-z0-9_]+")) throw new IllegalArgumentException("kind must be [a-z0-9_]+: " + kind);
    if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
    this.logger = logger;
    this.level = level;
    this.kind = kind;
    this.intervalNanos = interval.toNanos();
    this.clock = clock;
    this.count = COUNTS.computeIfAbsent(kind, k -> new LongAdder());
  }

  /** Counts one event and writes {@code message} (one line) unless a line was written within the interval. */
  public void event(Supplier<String> message) {
    count.increment();
    if (!logger.isEnabledForLevel(level)) return;
    long left;
    synchronized (this) {
      long now = clock.nanoTime();
      if (logged && now - lastLine < intervalNanos) {
        suppressed++;
        return;
      }
      logged = true;
      lastLine = now;
      left = suppressed;
      suppressed = 0;
    }
    String line = message.get();
    if (left > 0) line += " (" + left + " more since the last line)";
    logger.atLevel(level).log(line); // on the owner's logger: its name, not this class's, names the line
  }

  /** The kind this log counts. */
  public String kind() {
    return kind;
  }

  /** Events of this kind so far, in the whole JVM. */
  public long count() {
    return count.sum();
  }

  /** Events so far of every kind any instance was made for, in the whole JVM, by kind. */
  public static Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    COUNTS.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
