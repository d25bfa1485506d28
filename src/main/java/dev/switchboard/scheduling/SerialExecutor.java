package dev.switchboard.scheduling;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool. Every Engine.IO session owns
 * one, and everything above it shares it: the Socket.IO client and all its sockets, their
 * handlers and timers. That is how "a session's handlers run in order, off the I/O threads" holds
 * without a thread per connection.
 *
 * <pre>{@code
 * SerialExecutor executor = new SerialExecutor(workers);
 * executor.execute(() -> state.apply(event));   // from any thread
 * // inside a task:
 * assert executor.isCurrentThread();            // the guard of an "executor only" method
 * }</pre>
 *
 * <p>Threading: {@link #execute} and {@link #isCurrentThread} may be called from any thread.
 * Tasks never run concurrently with each other, and each task happens-before the next. A task
 * that throws is logged and does not stop the ones after it.
 */
public final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  /** Tasks run per turn before yielding the pool thread, so one busy session cannot starve others. */
  private static final int BATCH = 64;
  /** Updates {@link #pending}: an AtomicInteger would be 16 bytes more for every session. */
  private static final AtomicIntegerFieldUpdater<SerialExecutor> PENDING =
      AtomicIntegerFieldUpdater.newUpdater(SerialExecutor.class, "pending");

  private final Executor pool;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  /** Queued-or-running count; the submitter that moves it from 0 to 1 schedules a drain. */
  private volatile int pending;
  private final Runnable drain = this::drain;
  /**
   * The thread running a task right now, else null. Written only by that thread, around each
   * task and before the count that lets another drain start, so a thread reading it sees itself
   * exactly while it runs a task (a plain field: a thread always sees its own last write, and no
   * other thread ever writes its name here).
   */
  private Thread runner;

  /** An executor whose tasks run on {@code pool}, one turn of at most 64 tasks at a time. */
  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  /** Queues {@code task} after every task submitted before it. Any thread; never blocks. */
  @Override
  public void execute(Runnable task) {
    queue.add(task);
    if (PENDING.getAndIncrement(this) == 0) schedule();
  }

  /**
   * Runs {@code task} on the calling thread at once when the executor is idle (nothing queued,
   * nothing running), else queues it as {@link #execute} does. Either way it runs after every
   * task submitted before it and never beside another of this executor's tasks; tasks submitted
   * while it runs here wait for it and then run on the pool, so the caller runs this one task
   * only. Any thread; the caller must be one that may run the task (the engine's opt-in
   * non-blocking mode, {@code EngineIoOptions.nonBlockingHandlers}, calls it from an I/O loop).
   */
  public void executeHereIfIdle(Runnable task) {
    // pending 0 -> 1 claims the executor exactly as the submitter that would schedule a drain
    // does; a task added meanwhile only counts up and waits for our decrement below.
    if (!PENDING.compareAndSet(this, 0, 1)) {
      execute(task);
      return;
    }
    runner = Thread.currentThread();
    try {
      task.run();
    } catch (Throwable t) {
      LOG.warn("task failed", t);
    } finally {
      runner = null; // before the decrement, as in drain
    }
    if (PENDING.decrementAndGet(this) != 0) schedule();
  }

  /**
   * An executor whose {@code execute} is {@link #executeHereIfIdle}: given to a WebSocket
   * upgrade in the non-blocking mode, so that a message reaching an idle session runs on the
   * I/O thread that read it instead of waking a worker.
   */
  public Executor hereIfIdle() {
    return this::executeHereIfIdle;
  }

  /**
   * Whether the calling thread is running one of this executor's tasks: the check behind every
   * "executor only" method. Two field reads.
   */
  public boolean isCurrentThread() {
    return runner == Thread.currentThread();
  }

  /**
   * Whether nothing is queued or running right now: the condition under which
   * {@link #executeHereIfIdle} runs its task on the caller. A snapshot, stale as soon as it is
   * returned; for tests and diagnostics. Any thread.
   */
  public boolean isIdle() {
    return PENDING.get(this) == 0;
  }

  private void schedule() {
    try {
      pool.execute(drain);
    } catch (RejectedExecutionException e) {
      // The pool is shutting down: nothing more will run. Drop the backlog so memory is freed.
      queue.clear();
      PENDING.set(this, 0);
    }
  }

  private void drain() {
    Thread me = Thread.currentThread();
    for (int i = 0; i < BATCH; i++) {
      Runnable task = queue.poll();
      if (task == null) return; // cannot happen while pending > 0, but stay safe
      runner = me;
      try {
        task.run();
      } catch (Throwable t) {
        LOG.warn("task failed", t);
      } finally {
        // Before the decrement: once the count reaches 0, a submitter may start the next drain
        // on another thread, whose own write must not be overwritten.
        runner = null;
      }
      if (PENDING.decrementAndGet(this) == 0) return;
    }
    schedule();
  }
}
