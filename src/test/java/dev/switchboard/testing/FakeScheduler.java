package dev.switchboard.testing;

import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose clock only moves when a test calls {@link #advanceBy}. Due tasks run
 * on the calling thread, in deadline order (ties in scheduling order).
 */
public final class FakeScheduler implements Scheduler {
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
  private long now;
  private long wallOffsetMillis = 1_700_000_000_000L;
  private long seq;

  private static final class Task {
    final long due;
    final long seq;
    final Runnable body;
    boolean cancelled;

    Task(long due, long seq, Runnable body) {
      this.due = due;
      this.seq = seq;
      this.body = body;
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable body) {
    Task t = new Task(now + Math.max(0, delay.toNanos()), seq++, body);
    queue.add(t);
    return () -> {
      synchronized (FakeScheduler.this) {
        t.cancelled = true;
        queue.remove(t);
      }
    };
  }

  /** Moves time forward, running every task that falls due, including ones scheduled meanwhile. */
  public void advanceBy(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        queue.poll();
        now = next.due;
      }
      if (!next.cancelled) next.body.run();
    }
  }

  /** Number of tasks still waiting; a test of timer hygiene asserts this returns to zero. */
  public synchronized int pendingTasks() {
    return queue.size();
  }

  public synchronized List<Long> pendingDeadlinesNanos() {
    List<Long> out = new ArrayList<>();
    for (Task t : queue) out.add(t.due - now);
    return out;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return wallOffsetMillis + now / 1_000_000L;
  }
}
