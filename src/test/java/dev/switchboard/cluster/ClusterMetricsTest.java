package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.cluster.ClusterMetrics.DropReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    m.recordDropped(DropReason.MALFORMED);
    m.recordDropped(DropReason.UNKNOWN_REQUEST);
    m.recordDropped(DropReason.UNKNOWN_REQUEST);
    m.recordRequestTimedOut();
    m.recordOutage();
    assertEquals(2, m.published());
    assertEquals(1, m.publishFailures());
    assertEquals(3, m.received());
    assertEquals(1, m.dropped(DropReason.MALFORMED));
    assertEquals(2, m.dropped(DropReason.UNKNOWN_REQUEST));
    assertEquals(0, m.dropped(DropReason.OVERLOAD));
    assertEquals(3, m.dropped());
    assertEquals(1, m.requestsTimedOut());
    assertEquals(1, m.outages());
    assertEquals(Map.of(DropReason.MALFORMED, 1L, DropReason.UNKNOWN_TYPE, 0L, DropReason.UNKNOWN_REQUEST, 2L,
        DropReason.OVERLOAD, 0L), m.droppedByReason());
  }

  @Test
  void theSnapshotNamesEveryCounterInAStableOrder() {
    ClusterMetrics m = new ClusterMetrics();
    m.recordDropped(DropReason.OVERLOAD);
    assertEquals(List.of("messages_published", "publish_failures", "messages_received", "dropped_malformed",
        "dropped_unknown_type", "dropped_unknown_request", "dropped_overload", "requests_timed_out", "outages"),
        new ArrayList<>(m.snapshot().keySet()));
    assertEquals(1L, m.snapshot().get("dropped_overload"));
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
    assertEquals(40_000, m.received());
  }
}
