package dev.switchboard.scheduling;

import java.time.Duration;

/**
 * Time as a dependency. Every timeout in Switchboard (heartbeat, upgrade, connect, token expiry,
 * rate-limit windows, HTTP read timeouts) goes through this interface so that tests drive time
 * with {@code FakeScheduler.advanceBy(...)} instead of sleeping.
 *
 * <p>Threading: implementations are thread-safe. Tasks run on a timer thread; a task that
 * touches per-connection state must hand itself to that connection's serial executor.
 */
public interface Scheduler {
  /** Runs {@code task} once after {@code delay}. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Monotonic time in nanoseconds, for measuring intervals only. */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch, for timestamps and token expiry. */
  long currentTimeMillis();
}
