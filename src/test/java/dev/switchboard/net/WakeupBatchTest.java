package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WakeupBatchTest {
  private IoLoop loop;
  private IoLoop other;

  @BeforeEach
  void start() throws Exception {
    loop = new IoLoop("test-loop", System::nanoTime);
    other = new IoLoop("test-loop-2", System::nanoTime);
    loop.start();
    other.start();
  }

  @AfterEach
  void stop() throws Exception {
    loop.shutdown();
    other.shutdown();
    loop.join(5_000);
    other.join(5_000);
  }

  @Test
  void tasksQueuedInABatchRunOnceItClosesOnEveryLoopTheyWentTo() throws Exception {
    CountDownLatch ran = new CountDownLatch(200);
    try (WakeupBatch batch = WakeupBatch.open()) {
      for (int i = 0; i < 100; i++) {
        loop.execute(ran::countDown);
        other.execute(ran::countDown);
      }
      assertTrue(batch.holds(loop) && batch.holds(other), "the wake-ups were not deferred");
    }
    // Both loops were woken by the close: nothing waits for a later select timeout or sweep.
    assertTrue(ran.await(5, TimeUnit.SECONDS), ran.getCount() + " tasks did not run");
  }

  @Test
  void batchesNestAndOnlyTheOutermostOneEndsTheDeferral() throws Exception {
    CountDownLatch ran = new CountDownLatch(2);
    try (WakeupBatch outer = WakeupBatch.open()) {
      try (WakeupBatch inner = WakeupBatch.open()) {
        loop.execute(ran::countDown);
      }
      assertTrue(outer.holds(loop), "the inner batch woke the loop");
      assertSame(outer, WakeupBatch.current(), "the inner close ended the outer batch");
      loop.execute(ran::countDown);
    }
    assertNull(WakeupBatch.current());
    assertTrue(ran.await(5, TimeUnit.SECONDS), ran.getCount() + " tasks did not run");
  }

  @Test
  void aBatchBelongsToItsThread() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<WakeupBatch> seen = new java.util.concurrent.atomic.AtomicReference<>();
    try (WakeupBatch batch = WakeupBatch.open()) {
      Thread t = new Thread(() -> {
        seen.set(WakeupBatch.current());
        loop.execute(ran::countDown); // woken at once: this thread has no batch
      });
      t.start();
      assertTrue(ran.await(5, TimeUnit.SECONDS), "a task from another thread waited for this batch");
      t.join();
      assertNull(seen.get(), "another thread saw this thread's batch");
    }
  }

  @Test
  void closingTwiceIsHarmless() throws Exception {
    WakeupBatch batch = WakeupBatch.open();
    CountDownLatch ran = new CountDownLatch(1);
    loop.execute(ran::countDown);
    batch.close();
    batch.close();
    assertNull(WakeupBatch.current());
    assertTrue(ran.await(5, TimeUnit.SECONDS));
  }
}
