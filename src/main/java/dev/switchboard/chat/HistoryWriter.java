package dev.switchboard.chat;

import dev.switchboard.storage.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the chat's messages off the delivery path (spec-notes/storage.md §Writer): senders
 * {@link #offer} a message to a bounded queue and go on; one thread of its own takes what has
 * queued up, at most {@code maxBatch} at a time, and hands it to the {@link Sink} as one batch
 * (one transaction). A full queue, or a batch the sink fails, drops those messages from the history
 * — they have been delivered — and counts them; the first drop logs one warning, and the first
 * batch stored afterwards with the queue at most half full one line saying how many were lost, so
 * an outage (or an overload) costs two log lines, not one per message or per batch. {@link #flush} lets a reader wait until what was offered before has been stored
 * (read-your-writes); {@link #close} stores what is queued, then stops.
 *
 * <p>Threading: {@link #offer} from any thread, never blocks (the sockets' serial executors call
 * it). {@link #flush} blocks: a worker only. The sink runs on the writer's own thread
 * ({@code switchboard-history-writer}), the only thread that calls it. {@link #close} from the
 * thread that closes the server.
 */
final class HistoryWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);

  /** Where batches go: stores all of the batch or throws (then none of it is stored). */
  @FunctionalInterface
  interface Sink {
    void write(List<StoredMessage> batch);
  }

  /** A marker in the queue: counted down once everything queued before it is stored or dropped. */
  private static final class Barrier {
    final CountDownLatch passed = new CountDownLatch(1);
  }

  private static final Object STOP = new Object();

  private final Sink sink;
  private final int maxBatch;
  private final int capacity;
  private final ArrayBlockingQueue<Object> queue;
  private final Thread thread;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** Dropped messages not yet reported by a "storing again" line. */
  private final AtomicLong droppedInOutage = new AtomicLong();
  /** True from the first drop until a batch is stored with the queue at most half full. */
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * A writer with a queue of {@code capacity} messages and batches of at most {@code maxBatch},
   * its thread started.
   */
  HistoryWriter(Sink sink, int capacity, int maxBatch) {
    if (sink == null) throw new IllegalArgumentException("sink is required");
    if (capacity < 1 || maxBatch < 1) throw new IllegalArgumentException("capacity and maxBatch must be at least 1");
    this.sink = sink;
    this.maxBatch = maxBatch;
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "switchboard-history-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code m} for storing; false (and counted as dropped) when the queue is full or the
   * writer is closed. Never blocks. Any thread.
   */
  boolean offer(StoredMessage m) {
    if (!closed && queue.offer(m)) return true;
    drop(1, closed ? null : "the history queue is full (" + (queue.size()) + " messages waiting)");
    return false;
  }

  /** Counts a message that could not even be made storable (its text has what the database refuses). */
  void dropUnstorable(String reason) {
    drop(1, reason);
  }

  /**
   * Waits until every message offered before this call has been stored or dropped; false when
   * that took longer than {@code timeout}. Blocks: a worker only.
   */
  boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Barrier b = new Barrier();
    if (closed || !queue.offer(b, timeout.toNanos(), TimeUnit.NANOSECONDS)) return false;
    return b.passed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Messages stored since start. Any thread. */
  long written() {
    return written.get();
  }

  /** Messages delivered but not stored since start (queue full, database away). Any thread. */
  long dropped() {
    return dropped.get();
  }

  /**
   * Stops taking messages, stores what is queued, and waits up to {@code timeout} for that; what
   * is still queued then is dropped (counted). Idempotent.
   */
  void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!closed) {
        closed = true;
        // Behind everything queued; waits for room when the queue is full (the writer drains it).
        queue.offer(STOP, timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
      LOG.warn("history: the writer did not finish storing within " + timeout.toSeconds()
          + " s of shutdown; " + queue.size() + " queued messages are not stored");
    }
  }

  /** {@link #close(Duration)} with 10 seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  // ------------------------------------------------------------------ the writer's thread

  private void run() {
    List<Object> taken = new ArrayList<>(maxBatch);
    List<StoredMessage> batch = new ArrayList<>(maxBatch);
    try {
      while (true) {
        taken.add(queue.take());
        queue.drainTo(taken, maxBatch - 1);
        boolean stop = false;
        for (Object o : taken) {
          if (o instanceof StoredMessage m) {
            batch.add(m);
          } else if (o instanceof Barrier b) {
            store(batch); // what came before the barrier, then let the reader through
            b.passed.countDown();
          } else if (o == STOP) {
            stop = true;
          }
        }
        store(batch);
        taken.clear();
        if (stop) return;
      }
    } catch (InterruptedException e) {
      // close() gave up waiting; what is left is reported there.
    } catch (RuntimeException | Error e) {
      LOG.error("history: the writer stopped; messages are no longer stored", e);
    } finally {
      closed = true;
      for (Object o; (o = queue.poll()) != null; ) {
        if (o instanceof Barrier b) b.passed.countDown();
        if (o instanceof StoredMessage) drop(1, null); // offered just as the writer closed
      }
    }
  }

  private void store(List<StoredMessage> batch) {
    if (batch.isEmpty()) return;
    try {
      sink.write(batch);
      written.addAndGet(batch.size());
      // The outage ends with a stored batch and a queue at most half full: under sustained
      // overload the queue stays full between batches, and ending it at each batch would log a
      // pair of lines per batch (measured: thousands a second).
      if (failing.get() && queue.size() <= capacity / 2 && failing.compareAndSet(true, false)) {
        LOG.info("history: messages are stored again; " + droppedInOutage.getAndSet(0)
            + " delivered meanwhile were not stored");
      }
    } catch (RuntimeException e) {
      drop(batch.size(), e.getMessage());
    } finally {
      batch.clear();
    }
  }

  /** Counts {@code n} dropped messages; the first drop of an outage logs {@code reason} (null: no log, shutting down). */
  private void drop(int n, String reason) {
    dropped.addAndGet(n);
    droppedInOutage.addAndGet(n);
    if (reason != null && !failing.get() && failing.compareAndSet(false, true)) {
      LOG.warn("history: messages are delivered but not stored until this clears: " + reason);
    }
  }
}
