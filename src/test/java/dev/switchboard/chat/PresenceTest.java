package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.auth.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** chat.md §Server → client: user-joined on a user's first connection, user-left after the last. */
class PresenceTest {
  private static final Principal ALICE_1 = new Principal("u-alice", "alice", "s1");
  private static final Principal ALICE_2 = new Principal("u-alice", "alice", "s2");
  private static final Principal BOB = new Principal("u-bob", "bob", "s3");

  /** Appended under the presence lock, so its order is the order presence changed in. */
  private final List<String> events = new ArrayList<>();
  private final Presence presence = new Presence(new Presence.Listener() {
    @Override
    public void firstConnection(OnlineUser user) {
      events.add("joined " + user.userId());
    }

    @Override
    public void lastConnectionGone(OnlineUser user) {
      events.add("left " + user.userId());
    }
  });

  @AfterEach
  void allEventsAsserted() {
    assertEquals(List.of(), events, "events left unasserted");
  }

  private void assertEvents(String... expected) {
    assertEquals(List.of(expected), events);
    events.clear();
  }

  private List<OnlineUser> connect(Principal p) {
    List<List<OnlineUser>> snapshot = new ArrayList<>();
    presence.connect(p, snapshot::add);
    assertEquals(1, snapshot.size());
    return snapshot.get(0);
  }

  @Test
  void aUserJoinsWithTheFirstConnectionAndLeavesWithTheLast() {
    connect(ALICE_1);
    assertEvents("joined u-alice");
    connect(ALICE_2);
    assertEvents();
    assertEquals(2, presence.connections("u-alice"));
    presence.disconnect(ALICE_1);
    assertEvents();
    assertEquals(1, presence.size());
    presence.disconnect(ALICE_2);
    assertEvents("left u-alice");
    assertEquals(0, presence.size());
    assertNull(presence.find("u-alice"));
  }

  @Test
  void theSnapshotIncludesTheConnectingUserSortedByName() {
    connect(BOB);
    List<OnlineUser> seen = connect(ALICE_1);
    assertEquals(List.of(new OnlineUser("u-alice", "alice"), new OnlineUser("u-bob", "bob")), seen);
    assertEquals(seen, presence.users());
    assertEquals(new OnlineUser("u-bob", "bob"), presence.find("u-bob"));
    assertEvents("joined u-bob", "joined u-alice");
    presence.disconnect(BOB);
    presence.disconnect(ALICE_1);
    assertEvents("left u-bob", "left u-alice");
  }

  @Test
  void anUnknownDisconnectChangesNothing() {
    presence.disconnect(BOB);
    assertEquals(0, presence.size());
    assertEvents();
  }

  @Test
  void concurrentConnectionsOfOneUserAreCountedExactly() throws Exception {
    int threads = 8;
    int rounds = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Principal p = new Principal("u" + (t % 3), "n" + (t % 3), "s" + t);
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < rounds; i++) {
            presence.connect(p, users -> { });
            presence.disconnect(p);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, presence.size());
    // Per user, joins and leaves strictly alternate, starting with a join and ending with a leave.
    Map<String, String> last = new HashMap<>();
    for (String e : events) {
      String[] parts = e.split(" ");
      String previous = last.put(parts[1], parts[0]);
      assertEquals(parts[0].equals("joined") ? (previous == null ? null : "left") : "joined", previous, e);
    }
    last.values().forEach(v -> assertEquals("left", v));
    events.clear();
  }

  // ------------------------------------------------------------------ other nodes (chat.md, "Presence across nodes")

  @Test
  void aUserOnAnotherNodeIsOnlineHereAndJoinsOnlyOnce() {
    presence.remoteOnline("node-b", "u-bob", "bob");
    assertEvents("joined u-bob");
    assertEquals(new OnlineUser("u-bob", "bob"), presence.find("u-bob"));
    presence.remoteOnline("node-b", "u-bob", "bob"); // repeated (a snapshot and an event)
    presence.remoteOnline("node-c", "u-bob", "bob");
    connect(BOB);
    assertEvents();
    assertEquals(Map.of("u-bob", "bob"), presence.localUsers());
    presence.remoteOffline("node-b", "u-bob");
    presence.disconnect(BOB);
    assertEvents();
    presence.remoteOffline("node-c", "u-bob");
    assertEvents("left u-bob");
    presence.remoteOffline("node-c", "u-bob"); // repeated: nothing
    assertEvents();
  }

  @Test
  void aReconcileDropsDeadNodesReplacesFreshOnesAndKeepsTheRest() {
    presence.remoteOnline("dead", "u-carol", "carol");
    presence.remoteOnline("stale", "u-dave", "dave");
    presence.remoteOnline("fresh", "u-erin", "erin");
    assertEvents("joined u-carol", "joined u-dave", "joined u-erin");
    presence.reconcile(java.util.Set.of("stale", "fresh"), Map.of("fresh", Map.of("u-bob", "bob")));
    assertEvents("left u-carol", "left u-erin", "joined u-bob");
    assertEquals(Map.of("stale", List.of("u-dave"), "fresh", List.of("u-bob")), presence.remoteUsers());
    assertEquals(Map.of(), presence.localUsers());
    presence.reconcile(java.util.Set.of(), Map.of());
    assertEvents("left u-dave", "left u-bob");
    assertEquals(0, presence.size());
  }
}
