package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.cluster.ClusterMetrics.Drop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster counters: each counts on its own, drops by reason, a snapshot with stable names. */
class ClusterMetricsTest {
  @Test
  void eachCounterCountsOnItsOwn() {
    ClusterMetrics m = new ClusterMetrics();
    m.recordPublished();
    m.recordPublished();
    m.recordPublishFailure();
    m.recordReceived();
    m.recordReceived();
    m.recordReceived();
    m.recordDropped(Drop.MALFORMED);
    m.recordDropped(Drop.UNKNOWN_REQUEST);
    m.recordDropped(Drop.UNKNOWN_REQUEST);
    m.recordRequestTimedOut();
    m.recordRequestRefused();
    m.recordOutage();
    m.addBacklog(3);
    m.addBacklog(-1);
    assertEquals(2, m.messagesPublished());
    assertEquals(1, m.publishFailures());
    assertEquals(3, m.messagesReceived());
    assertEquals(1, m.dropped(Drop.MALFORMED));
    assertEquals(2, m.dropped(Drop.UNKNOWN_REQUEST));
    assertEquals(0, m.dropped(Drop.OVERLOADED));
    assertEquals(3, m.droppedTotal());
    assertEquals(1, m.requestsTimedOut());
    assertEquals(1, m.requestsRefused());
    assertEquals(1, m.outages());
    assertEquals(2, m.backlog());
  }

  @Test
  void theSnapshotNamesEveryCounterInAStableOrder() {
    ClusterMetrics m = new ClusterMetrics();
    m.recordDropped(Drop.OVERLOADED);
    assertEquals(List.of("messages_received", "messages_published", "publish_failures", "requests_timed_out",
        "requests_refused", "backlog", "outages", "dropped_malformed", "dropped_other_namespace", "dropped_unsupported",
        "dropped_unknown_request", "dropped_duplicate_answer", "dropped_overloaded"),
        new ArrayList<>(m.snapshot().keySet()));
    assertEquals(1L, m.snapshot().get("dropped_overloaded"));
    assertEquals(0L, m.snapshot().get("outages"));
  }

  @Test
  void countsFromManyThreadsAddUp() throws Exception {
    ClusterMetrics m = new ClusterMetrics();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) m.recordReceived();
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) th.join();
    assertEquals(40_000, m.messagesReceived());
  }
}
