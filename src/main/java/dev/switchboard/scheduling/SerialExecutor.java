package dev.switchboard.scheduling;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on a shared pool. Every Engine.IO session and
 * every Socket.IO socket owns one, which is how "each socket's handlers run in order, off the I/O
 * threads" holds without a thread per connection.
 *
 * <p>Threading: {@link #execute} may be called from any thread. Tasks never run concurrently with
 * each other, and each task happens-before the next. A task that throws is logged and does not
 * stop the ones after it.
 */
public final class SerialExecutor implements Executor {
  private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());
  /** Tasks run per turn before yielding the pool thread, so one busy socket cannot starve others. */
  private static final int BATCH = 64;

  private final Executor pool;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  /** Queued-or-running count; the submitter that moves it from 0 to 1 schedules a drain. */
  private final AtomicInteger pending = new AtomicInteger();
  private final Runnable drain = this::drain;

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    if (pending.getAndIncrement() == 0) schedule();
  }

  private void schedule() {
    try {
      pool.execute(drain);
    } catch (RejectedExecutionException e) {
      // The pool is shutting down: nothing more will run. Drop the backlog so memory is freed.
      queue.clear();
      pending.set(0);
    }
  }

  private void drain() {
    for (int i = 0; i < BATCH; i++) {
      Runnable task = queue.poll();
      if (task == null) return; // cannot happen while pending > 0, but stay safe
      try {
        task.run();
      } catch (Throwable t) {
        LOG.log(Level.WARNING, "task failed", t);
      }
      if (pending.decrementAndGet() == 0) return;
    }
    schedule();
  }
}
