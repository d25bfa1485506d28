package dev.switchboard.engineio;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The shared pool that runs handlers (through per-session serial executors), off the I/O threads. */
public final class WorkerPool {
  private WorkerPool() {}

  /** A fixed pool of {@code threads} daemon threads named {@code name-N}. */
  public static ExecutorService create(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, name + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * max(4, 2 × cores): handlers may block for a while (a database call) without stalling every
   * session. {@code -Dswitchboard.workers=N} overrides it (the benchmark measured 1, 2 and 4 on one
   * core: no gain from fewer, BENCHMARKS.md).
   */
  public static int defaultSize() {
    Integer forced = Integer.getInteger("switchboard.workers");
    if (forced != null) return forced;
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }
}
