package dev.switchboard.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds back the selector wake-ups a thread's writes would cause until the batch closes, then
 * wakes each I/O loop once. A broadcast queues one write per recipient; without a batch the first
 * write wakes the loop, which on a busy core preempts the broadcasting thread, flushes that one
 * connection and sleeps again before the next write wakes it: a wake-up and two context switches
 * per recipient instead of per broadcast.
 *
 * <pre>{@code
 * try (WakeupBatch batch = WakeupBatch.open()) {
 *   for (Socket s : recipients) s.deliver(frame);
 * }
 * }</pre>
 *
 * <p>Threading: a batch belongs to the thread that opened it, and must be closed on that thread
 * (try-with-resources). Batches nest: only the outermost one wakes the loops. Writes made on an
 * I/O loop's own thread never need a wake-up, so a batch opened there changes nothing.
 */
public final class WakeupBatch implements AutoCloseable {
  private static final ThreadLocal<WakeupBatch> CURRENT = new ThreadLocal<>();
  private static final WakeupBatch NESTED = new WakeupBatch(null);

  /** Loops with tasks queued and no wake-up yet; null for the nested marker. */
  private final List<IoLoop> deferred;

  private WakeupBatch(List<IoLoop> deferred) {
    this.deferred = deferred;
  }

  /** Starts deferring this thread's wake-ups; the outermost batch wakes the loops on close. */
  public static WakeupBatch open() {
    if (CURRENT.get() != null) return NESTED;
    WakeupBatch batch = new WakeupBatch(new ArrayList<>(2));
    CURRENT.set(batch);
    return batch;
  }

  /** The calling thread's open batch, or null. Called by {@link IoLoop#execute}. */
  static WakeupBatch current() {
    return CURRENT.get();
  }

  /** Remembers that {@code loop} must be woken when the batch closes. */
  void defer(IoLoop loop) {
    for (int i = 0; i < deferred.size(); i++) if (deferred.get(i) == loop) return;
    deferred.add(loop);
  }

  /** Whether {@code loop} waits for this batch to close before it is woken (for tests). */
  boolean holds(IoLoop loop) {
    return deferred != null && deferred.contains(loop);
  }

  /** Wakes every loop that got work during the batch, once each. Idempotent. */
  @Override
  public void close() {
    if (deferred == null || CURRENT.get() != this) return;
    CURRENT.remove();
    for (IoLoop loop : deferred) loop.wake();
    deferred.clear();
  }
}
