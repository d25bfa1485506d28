package dev.switchboard.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SerialExecutor}: order, one task at a time, turns on the pool, and its thread check. */
class SerialExecutorTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static boolean on(SerialExecutor executor, SerialExecutor asked) {
    return CompletableFuture.supplyAsync(asked::isCurrentThread, executor).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void tasksRunInSubmissionOrderOneAtATimeFromManyThreads() throws Exception {
    SerialExecutor executor = new SerialExecutor(pool);
    int threads = 4;
    int each = 2_000;
    List<int[]> seen = new ArrayList<>(); // touched by tasks only: the executor is its lock
    AtomicInteger running = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    Thread[] submitters = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      submitters[t] = new Thread(() -> {
        for (int n = 0; n < each; n++) {
          int k = n;
          executor.execute(() -> {
            if (running.incrementAndGet() != 1) overlapped.set(true);
            seen.add(new int[] {id, k});
            running.decrementAndGet();
          });
        }
      });
      submitters[t].start();
    }
    for (Thread s : submitters) s.join();
    CompletableFuture.runAsync(() -> { }, executor).orTimeout(10, TimeUnit.SECONDS).join();
    assertFalse(overlapped.get(), "two tasks ran at once");
    List<int[]> all = CompletableFuture.supplyAsync(() -> List.copyOf(seen), executor).join();
    assertEquals(threads * each, all.size());
    int[] next = new int[threads];
    for (int[] e : all) assertEquals(next[e[0]]++, e[1], "submitter " + e[0] + " out of order");
  }

  @Test
  void isCurrentThreadOnlyInsideItsOwnTasks() {
    SerialExecutor a = new SerialExecutor(pool);
    SerialExecutor b = new SerialExecutor(pool);
    assertFalse(a.isCurrentThread(), "the test thread runs no task");
    assertTrue(on(a, a));
    assertFalse(on(b, a), "a task of another executor");
    assertFalse(a.isCurrentThread());
  }

  @Test
  void isCurrentThreadHoldsOnAnInlinePoolAndForTasksQueuedByTasks() {
    SerialExecutor inline = new SerialExecutor(Runnable::run);
    List<Boolean> checks = new ArrayList<>();
    inline.execute(() -> {
      checks.add(inline.isCurrentThread());
      inline.execute(() -> checks.add(inline.isCurrentThread())); // queued, runs after this one
      checks.add(inline.isCurrentThread());
    });
    assertEquals(List.of(true, true, true), checks);
    assertFalse(inline.isCurrentThread(), "after the drain, the thread is its own again");
  }

  @Test
  void aFailingTaskDoesNotStopTheNext() {
    SerialExecutor executor = new SerialExecutor(Runnable::run);
    List<String> ran = new ArrayList<>();
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(SerialExecutor.class.getName());
    java.util.logging.Level level = log.getLevel();
    log.setLevel(java.util.logging.Level.OFF); // the warning is expected here
    try {
      executor.execute(() -> {
        throw new IllegalStateException("boom");
      });
      executor.execute(() -> ran.add("next"));
    } finally {
      log.setLevel(level);
    }
    assertEquals(List.of("next"), ran);
  }

  @Test
  void aLongQueueYieldsThePoolThreadEvery64Tasks() {
    List<Runnable> turns = new ArrayList<>();
    SerialExecutor executor = new SerialExecutor(turns::add); // turns run when the test says
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 150; i++) executor.execute(ran::incrementAndGet);
    assertEquals(1, turns.size());
    turns.get(0).run();
    assertEquals(64, ran.get());
    assertEquals(2, turns.size(), "the rest is a new turn on the pool");
    turns.get(1).run();
    turns.get(2).run();
    assertEquals(150, ran.get());
    assertEquals(3, turns.size());
  }

  @Test
  void aPoolThatRefusesDropsTheBacklogAndTheExecutorRecovers() {
    AtomicBoolean refuse = new AtomicBoolean(true);
    AtomicInteger ran = new AtomicInteger();
    SerialExecutor executor = new SerialExecutor(task -> {
      if (refuse.get()) throw new RejectedExecutionException("shutting down");
      task.run();
    });
    executor.execute(ran::incrementAndGet);
    assertEquals(0, ran.get());
    refuse.set(false);
    executor.execute(ran::incrementAndGet);
    Await.until("the new task ran", () -> ran.get() == 1);
  }
  @Test
  void hereIfIdleRunsOnTheCallerWhenIdleAndHandsWhatCameMeanwhileToThePool() {
    List<Runnable> turns = new ArrayList<>();
    SerialExecutor executor = new SerialExecutor(turns::add); // turns run when the test says
    List<String> ran = new ArrayList<>();
    Thread caller = Thread.currentThread();
    executor.executeHereIfIdle(() -> {
      ran.add("here " + (Thread.currentThread() == caller) + " " + executor.isCurrentThread());
      executor.execute(() -> ran.add("queued by it")); // must wait for this task, then go to the pool
      ran.add("turns while running " + turns.size()); // nothing may start beside the running task
    });
    assertFalse(executor.isCurrentThread(), "the caller is its own again");
    assertEquals(List.of("here true true", "turns while running 0"), ran);
    assertEquals(1, turns.size(), "what was queued meanwhile is one turn on the pool");
    turns.get(0).run();
    assertEquals(List.of("here true true", "turns while running 0", "queued by it"), ran);
  }

  @Test
  void hereIfIdleQueuesBehindWorkThatIsQueuedOrRunning() {
    List<Runnable> turns = new ArrayList<>();
    SerialExecutor executor = new SerialExecutor(turns::add);
    List<String> ran = new ArrayList<>();
    executor.execute(() -> ran.add("first"));
    executor.executeHereIfIdle(() -> ran.add("second")); // not idle: must not overtake "first"
    assertEquals(List.of(), ran, "nothing ran on the caller");
    assertEquals(1, turns.size());
    turns.get(0).run();
    assertEquals(List.of("first", "second"), ran);
    // idle again: runs at once
    executor.hereIfIdle().execute(() -> ran.add("third"));
    assertEquals(List.of("first", "second", "third"), ran);
    assertEquals(1, turns.size(), "no new turn was needed");
  }

  @Test
  void hereIfIdleAndExecuteFromManyThreadsKeepOrderAndNeverOverlap() throws Exception {
    SerialExecutor executor = new SerialExecutor(pool);
    int each = 5_000;
    List<int[]> seen = new ArrayList<>(); // touched by tasks only
    AtomicInteger running = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    Thread[] submitters = new Thread[3];
    for (int t = 0; t < submitters.length; t++) {
      int id = t;
      submitters[t] = new Thread(() -> {
        for (int n = 0; n < each; n++) {
          int k = n;
          Runnable task = () -> {
            if (running.incrementAndGet() != 1) overlapped.set(true);
            seen.add(new int[] {id, k});
            running.decrementAndGet();
          };
          if (id == 0) executor.executeHereIfIdle(task); // as an I/O loop would
          else executor.execute(task);
        }
      });
      submitters[t].start();
    }
    for (Thread s : submitters) s.join();
    CompletableFuture.runAsync(() -> { }, executor).orTimeout(10, TimeUnit.SECONDS).join();
    assertFalse(overlapped.get(), "two tasks ran at once");
    List<int[]> all = CompletableFuture.supplyAsync(() -> List.copyOf(seen), executor).join();
    assertEquals(submitters.length * each, all.size());
    int[] next = new int[submitters.length];
    for (int[] e : all) assertEquals(next[e[0]]++, e[1], "submitter " + e[0] + " out of order");
  }
}
