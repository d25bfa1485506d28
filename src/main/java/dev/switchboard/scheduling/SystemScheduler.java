package dev.switchboard.scheduling;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Scheduler}: one daemon timer thread. Tasks must be short (they usually
 * just submit work to a serial executor); cancelled tasks are removed at once so that a
 * connection that resets its heartbeat a million times holds one timer, not a million.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;

  public SystemScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "switchboard-timer");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (executor.isShutdown()) return Cancellable.NONE;
    ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
