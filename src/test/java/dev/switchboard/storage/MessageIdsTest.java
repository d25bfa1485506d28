package dev.switchboard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The layout and the guarantees of {@link MessageIds} (spec-notes/storage.md §Ids), on a hand-moved clock. */
class MessageIdsTest {
  private final AtomicLong clock = new AtomicLong(1_764_000_000_000L);

  @Test
  void anIdCarriesItsTimeAndNode() {
    MessageIds ids = new MessageIds(77, 0, clock::get);
    long id = ids.next();
    assertEquals(1_764_000_000_000L, MessageIds.millisOf(id));
    assertEquals(77, MessageIds.nodeOf(id));
    assertTrue(id > 0);
    clock.addAndGet(5);
    long later = ids.next();
    assertEquals(1_764_000_000_005L, MessageIds.millisOf(later));
    assertTrue(later > id);
  }

  @Test
  void idsIncreaseWhenTheClockStandsStillOrStepsBack() {
    MessageIds ids = new MessageIds(3, 0, clock::get);
    long last = 0;
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) { // more than the 256 of one millisecond
      if (i == 500) clock.addAndGet(-60_000);
      long id = ids.next();
      assertTrue(id > last, i + ": " + id + " after " + last);
      assertEquals(3, MessageIds.nodeOf(id));
      seen.add(id);
      last = id;
    }
    assertEquals(1000, seen.size());
  }

  @Test
  void twoNodesInTheSameMillisecondNeverCollideAndOrderByTime() {
    MessageIds a = new MessageIds(0, 0, clock::get);
    MessageIds b = new MessageIds(MessageIds.NODES - 1, 0, clock::get);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      seen.add(a.next());
      seen.add(b.next());
    }
    assertEquals(600, seen.size());
    clock.addAndGet(10);
    long aLater = a.next();
    assertTrue(seen.stream().allMatch(id -> id < aLater), "a later millisecond sorts after every node's earlier ones");
  }

  @Test
  void theFirstIdIsAboveTheFloorWhateverTheClockSays() {
    long floor = new MessageIds(9000, 0, () -> clock.get() + 3_600_000).next(); // made by a clock an hour ahead
    MessageIds ids = new MessageIds(1, floor, clock::get);
    assertTrue(ids.next() > floor);
    assertTrue(new MessageIds(1, 5, clock::get).next() > 5, "small ids of schema v1 are below every new one");
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MessageIds(-1, 0, clock::get));
    assertThrows(IllegalArgumentException.class, () -> new MessageIds(MessageIds.NODES, 0, clock::get));
    assertThrows(IllegalArgumentException.class, () -> new MessageIds(0, -1, clock::get));
  }
}
