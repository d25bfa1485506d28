package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.storage.Conversation;
import dev.switchboard.storage.DatabaseUnavailableException;
import dev.switchboard.storage.StoredMessage;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.LogLines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HistoryWriter} against a fake sink: batches, the bounded queue, an outage logged once,
 * read-your-writes through {@code flush}, and the drain at close.
 */
class HistoryWriterTest {
  /** Every batch the sink was given, in order. */
  private final List<List<Long>> batches = new CopyOnWriteArrayList<>();
  /** Opened by the test when the sink may return; closed at first. */
  private final CountDownLatch gate = new CountDownLatch(1);
  private final AtomicBoolean holdFirst = new AtomicBoolean();
  private final AtomicBoolean databaseAway = new AtomicBoolean();
  private final CountDownLatch firstBatchStarted = new CountDownLatch(1);
  private HistoryWriter writer;

  private HistoryWriter writer(int capacity, int maxBatch) {
    writer = new HistoryWriter(batch -> {
      firstBatchStarted.countDown();
      if (holdFirst.getAndSet(false)) await(gate);
      if (databaseAway.get()) throw new DatabaseUnavailableException("the database sqlite:x is unavailable (store messages): gone", null);
      batches.add(batch.stream().map(StoredMessage::id).toList());
    }, capacity, maxBatch);
    return writer;
  }

  @AfterEach
  void close() {
    gate.countDown();
    if (writer != null) writer.close();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "the test never opened the gate");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static StoredMessage m(long id) {
    return new StoredMessage(id, Conversation.room("a"), "u1", "Alice", "m" + id, id);
  }

  private List<Long> all() {
    List<Long> out = new ArrayList<>();
    for (List<Long> b : batches) out.addAll(b);
    return out;
  }

  @Test
  void whatQueuesUpWhileABatchIsStoredGoesInTheNextBatchesInOrder() throws Exception {
    holdFirst.set(true);
    HistoryWriter w = writer(100, 4);
    assertTrue(w.offer(m(1)));
    await(firstBatchStarted);
    for (long i = 2; i <= 11; i++) assertTrue(w.offer(m(i)), "offer never waits for the sink");
    gate.countDown();
    Await.until("all stored", () -> w.written() == 11);
    assertEquals(List.of(1L), batches.get(0));
    assertEquals(List.of(List.of(2L, 3L, 4L, 5L), List.of(6L, 7L, 8L, 9L), List.of(10L, 11L)), batches.subList(1, 4),
        "at most maxBatch per transaction");
    assertEquals(0, w.dropped());
  }

  @Test
  void aFullQueueDropsAndCountsAndLogsOnceUntilStoringWorksAgain() throws Exception {
    try (LogLines log = LogLines.of(HistoryWriter.class.getName())) {
      holdFirst.set(true);
      HistoryWriter w = writer(3, 10);
      w.offer(m(1));
      await(firstBatchStarted);
      assertTrue(w.offer(m(2)));
      assertTrue(w.offer(m(3)));
      assertTrue(w.offer(m(4)));
      for (long i = 5; i <= 20; i++) assertFalse(w.offer(m(i)), "the queue holds 3");
      assertEquals(16, w.dropped());
      gate.countDown();
      Await.until("the queued ones stored", () -> w.written() == 4);
      assertEquals(List.of(1L, 2L, 3L, 4L), all());
      assertEquals(1, log.count(Level.WARNING, "history: messages are delivered but not stored until this clears: "
          + "the history queue is full"), log.lines().toString());
      Await.until("the recovery line", () -> log.count(Level.INFO, "16 delivered meanwhile were not stored") == 1);
      assertEquals(2, log.lines().size(), log.lines().toString());
    }
  }

  @Test
  void aDatabaseOutageDropsItsBatchesWithOneWarningAndOneLineWhenItIsBack() throws Exception {
    try (LogLines log = LogLines.of(HistoryWriter.class.getName())) {
      HistoryWriter w = writer(100, 10);
      databaseAway.set(true);
      for (long i = 1; i <= 30; i++) {
        w.offer(m(i));
        if (i % 7 == 0) assertTrue(w.flush(Duration.ofSeconds(10))); // several failed batches
      }
      assertTrue(w.flush(Duration.ofSeconds(10)));
      assertEquals(30, w.dropped());
      assertEquals(0, w.written());
      assertEquals(1, log.count(Level.WARNING, "is unavailable (store messages)"), log.lines().toString());
      databaseAway.set(false);
      w.offer(m(31));
      assertTrue(w.flush(Duration.ofSeconds(10)));
      assertEquals(List.of(31L), all());
      assertEquals(1, log.count(Level.INFO, "messages are stored again; 30 delivered meanwhile were not stored"),
          log.lines().toString());
      assertEquals(2, log.lines().size(), log.lines().toString());
    }
  }

  @Test
  void flushReturnsOnceWhatWasOfferedBeforeIsStored() throws Exception {
    holdFirst.set(true);
    HistoryWriter w = writer(100, 10);
    w.offer(m(1));
    await(firstBatchStarted);
    w.offer(m(2));
    assertFalse(w.flush(Duration.ofMillis(50)), "the batch before it is still being stored");
    gate.countDown();
    assertTrue(w.flush(Duration.ofSeconds(10)));
    assertEquals(List.of(1L, 2L), all());
  }

  @Test
  void closeStoresWhatIsQueuedThenRefusesMore() {
    holdFirst.set(true);
    HistoryWriter w = writer(1000, 50);
    w.offer(m(1));
    await(firstBatchStarted);
    for (long i = 2; i <= 500; i++) w.offer(m(i));
    gate.countDown();
    w.close(Duration.ofSeconds(10));
    assertEquals(500, w.written());
    assertEquals(500, all().size());
    assertFalse(w.offer(m(501)));
    assertEquals(1, w.dropped());
  }

  @Test
  void aSustainedOverloadIsOneOutageNotALinePairPerBatch() throws Exception {
    Semaphore permits = new Semaphore(0);
    AtomicInteger entered = new AtomicInteger();
    try (LogLines log = LogLines.of(HistoryWriter.class.getName())) {
      writer = new HistoryWriter(batch -> {
        entered.incrementAndGet();
        permits.acquireUninterruptibly();
      }, 4, 1);
      long next = 1;
      writer.offer(m(next++));
      Await.until("the writer in its first batch", () -> entered.get() == 1);
      while (writer.offer(m(next))) next++;
      assertEquals(1, log.count(Level.WARNING, "the history queue is full"));
      for (int k = 1; k <= 20; k++) {
        // One batch stored with the queue still full; the test fills the slot it freed.
        permits.release();
        int batch = k + 1;
        Await.until("batch " + batch + " taken", () -> entered.get() == batch);
        assertTrue(writer.offer(m(next++)));
        assertFalse(writer.offer(m(next)));
      }
      assertEquals(21, writer.dropped());
      assertEquals(1, log.lines().size(), "still one outage: " + log.lines());
      permits.release(100);
      long offered = next - 1; // m1..m(next-1) went in; every failed offer was counted as dropped
      Await.until("drained", () -> writer.written() == offered);
      Await.until("one recovery line", () -> log.count(Level.INFO, "21 delivered meanwhile were not stored") == 1);
      assertEquals(2, log.lines().size(), log.lines().toString());
    }
  }
}
