package dev.switchboard.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread. It owns its connections: all their reads, writes, parsing and timeout
 * checks happen here, and nothing here ever blocks or runs application code (handlers are handed
 * to worker executors).
 *
 * <p>Other threads talk to the loop only through {@link #execute}, which queues a task and wakes
 * the selector at most once per batch, so many writes queued for the loop's connections between
 * two wake-ups are flushed in one pass.
 */
final class IoLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
  private static final long SWEEP_INTERVAL_NANOS = 250_000_000L;

  final Selector selector;
  /** Shared read buffer: a connection's bytes are parsed before the next connection is read. */
  final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
  /** Scratch array for gathering writes. */
  final ByteBuffer[] gatherBuffers = new ByteBuffer[64];
  /** Header strings shared by the parsers of this loop's connections. Loop thread only. */
  final dev.switchboard.http.SharedStrings sharedStrings = new dev.switchboard.http.SharedStrings();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  /** Only accessed by this loop's thread. */
  private final Set<Connection> connections = new HashSet<>();
  private final LongSupplier clock;
  private final String name;
  private volatile boolean running = true;
  private volatile Thread thread;
  private long nextSweep;
  /** {@link #handle}, made once: the selector calls it for each ready key. */
  private final Consumer<SelectionKey> handler = this::handle;

  IoLoop(String name, LongSupplier clock) throws IOException {
    this.name = name;
    this.clock = clock;
    this.selector = Selector.open();
  }

  /** A loop that was never started: releases its selector (a failed {@link NetServer#start}). */
  void closeUnstarted() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  void start() {
    Thread t = new Thread(this, name);
    // Not a daemon: a listening server keeps the JVM alive until it is closed, as a listening
    // Node server keeps its process alive — `io.listen(3000)` at the end of main must not exit.
    t.setDaemon(false);
    thread = t;
    t.start();
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  long now() {
    return clock.getAsLong();
  }

  /** Queues {@code task} to run on this loop's thread. Safe from any thread. */
  void execute(Runnable task) {
    tasks.add(task);
    if (!inLoop() && wakeupPending.compareAndSet(false, true)) selector.wakeup();
  }

  void add(Connection c) {
    connections.add(c);
  }

  void remove(Connection c) {
    connections.remove(c);
  }

  int connectionCount() {
    return connections.size();
  }

  void shutdown() {
    running = false;
    selector.wakeup();
  }

  void join(long millis) throws InterruptedException {
    Thread t = thread;
    if (t != null) t.join(millis);
  }

  @Override
  public void run() {
    nextSweep = now() + SWEEP_INTERVAL_NANOS;
    try {
      while (running) {
        long waitMillis = Math.max(1, (nextSweep - now()) / 1_000_000L);
        // The action form of select hands each ready key straight to handle: no selected-key
        // set to fill, iterate and empty on every turn (one HashSet add, an iterator and a remove
        // per ready key, on the path of every message).
        if (tasks.isEmpty()) selector.select(handler, waitMillis);
        else selector.selectNow(handler);
        wakeupPending.set(false);
        runTasks();
        long now = now();
        if (now - nextSweep >= 0) {
          nextSweep = now + SWEEP_INTERVAL_NANOS;
          sweep(now);
        }
      }
    } catch (ClosedSelectorException e) {
      // shutting down
    } catch (Throwable t) {
      LOG.error(name + " crashed", t);
    } finally {
      runTasks(); // queued writes and closes from the shutdown
      for (Connection c : new ArrayList<>(connections)) {
        c.flushBeforeShutdown();
        c.closeNow(CloseCause.SERVER_SHUTDOWN);
      }
      runTasks();
      try {
        selector.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  private void handle(SelectionKey key) {
    Object att = key.attachment();
    try {
      if (att instanceof Acceptor a) {
        a.accept();
      } else if (att instanceof Connection c) {
        if (!key.isValid()) return;
        if (key.isWritable()) c.onWritable();
        if (key.isValid() && key.isReadable()) c.onReadable();
      }
    } catch (CancelledKeyException e) {
      // closed meanwhile
    } catch (Throwable t) {
      // One bad connection never takes the loop down (hostile-inputs.md#B62).
      LOG.debug("connection failed", t);
      if (att instanceof Connection c) c.closeNow(CloseCause.ERROR);
    }
  }

  private void runTasks() {
    // Bounded: tasks queued while we run wait for the next turn, so the selector is never starved.
    for (int n = tasks.size(); n > 0; n--) {
      Runnable r = tasks.poll();
      if (r == null) break;
      try {
        r.run();
      } catch (Throwable t) {
        LOG.warn("loop task failed", t);
      }
    }
  }

  private void sweep(long now) {
    List<Connection> expired = null;
    for (Connection c : connections) {
      if (c.isExpired(now)) {
        if (expired == null) expired = new ArrayList<>();
        expired.add(c);
      }
    }
    if (expired != null) for (Connection c : expired) c.onTimeout();
  }

  /** Attachment for the listening socket's key. */
  interface Acceptor {
    void accept() throws IOException;
  }
}
