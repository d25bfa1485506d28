package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.FakeScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
  private final FakeScheduler clock = new FakeScheduler();
  private final AtomicInteger ids = new AtomicInteger();
  private final List<String> events = new ArrayList<>();

  private SessionStore store(int total, int perUser) {
    SessionStore s = new SessionStore(clock, AuthOptions.DEFAULTS.toBuilder().sessions(total, perUser).build(),
        () -> "s" + ids.incrementAndGet());
    s.addListener(new SessionListener() {
      @Override
      public void onRefreshed(Session session) {
        events.add("refreshed " + session.id());
      }

      @Override
      public void onEnded(Session session, SessionEnd reason) {
        events.add(reason.wireName() + " " + session.id());
      }
    });
    return s;
  }

  private static User user(String id) {
    return new User(id, id, "h", 0);
  }

  private long in(Duration d) {
    return clock.currentTimeMillis() + d.toMillis();
  }

  @Test
  void aSessionLivesUntilItsExpiryPlusTheSkew() {
    SessionStore s = store(10, 10);
    Session a = s.create(user("u1"), in(Duration.ofMinutes(1)));
    assertTrue(s.find(a.id()).isPresent());
    clock.advanceBy(Duration.ofMinutes(1).plusSeconds(4));
    assertTrue(s.find(a.id()).isPresent());
    clock.advanceBy(Duration.ofSeconds(1));
    assertTrue(s.find(a.id()).isEmpty());
  }

  @Test
  void revokeEndsItOnceAndTellsTheListeners() {
    SessionStore s = store(10, 10);
    Session a = s.create(user("u1"), in(Duration.ofHours(1)));
    assertTrue(s.revoke(a.id(), SessionEnd.LOGOUT));
    assertFalse(s.revoke(a.id(), SessionEnd.LOGOUT));
    assertTrue(s.find(a.id()).isEmpty());
    assertEquals(List.of("logout s1"), events);
  }

  @Test
  void aUsersOldestSessionMakesRoomForTheNewest() {
    SessionStore s = store(10, 2);
    s.create(user("u1"), in(Duration.ofHours(1)));
    s.create(user("u1"), in(Duration.ofHours(1)));
    s.create(user("u2"), in(Duration.ofHours(1)));
    s.create(user("u1"), in(Duration.ofHours(1)));
    // session-ended tells the pushed-out tab why: the same account logged in elsewhere.
    assertEquals(List.of("logged-out-elsewhere s1"), events);
    assertEquals(3, s.size());
  }

  @Test
  void theTableIsBoundedOldestFirst() {
    SessionStore s = store(3, 10);
    for (int i = 0; i < 5; i++) s.create(user("u" + i), in(Duration.ofHours(1)));
    assertEquals(3, s.size());
    assertEquals(List.of("revoked s1", "revoked s2"), events);
  }

  @Test
  void extendMovesTheExpiryOfALiveSessionOnly() {
    SessionStore s = store(10, 10);
    Session a = s.create(user("u1"), in(Duration.ofMinutes(1)));
    assertEquals(in(Duration.ofHours(1)), s.extend(a.id(), in(Duration.ofHours(1))).orElseThrow().expiresAtMillis());
    assertEquals(List.of("refreshed s1"), events);
    clock.advanceBy(Duration.ofHours(2));
    assertTrue(s.extend(a.id(), in(Duration.ofHours(1))).isEmpty());
  }

  @Test
  void purgingRemovesExpiredSessionsOnTheClock() {
    SessionStore s = store(10, 10);
    s.create(user("u1"), in(Duration.ofMinutes(1)));
    s.create(user("u2"), in(Duration.ofHours(1)));
    var purging = s.purgeEvery(Duration.ofMinutes(1));
    clock.advanceBy(Duration.ofMinutes(3));
    assertEquals(1, s.size());
    assertEquals(List.of("expired s1"), events);
    purging.cancel();
    assertEquals(0, clock.pendingTasks());
  }

  @Test
  void removingAUserEndsAllItsSessions() {
    SessionStore s = store(10, 10);
    s.create(user("u1"), in(Duration.ofHours(1)));
    s.create(user("u1"), in(Duration.ofHours(1)));
    s.create(user("u2"), in(Duration.ofHours(1)));
    assertEquals(2, s.revokeUser("u1"));
    assertEquals(1, s.size());
  }

  @Test
  void sessionsOfUsersNoLongerKnownAreRevoked() {
    SessionStore s = store(10, 10);
    s.create(user("u1"), in(Duration.ofHours(1)));
    s.create(user("u1"), in(Duration.ofHours(1)));
    s.create(user("u2"), in(Duration.ofHours(1)));
    assertEquals(2, s.revokeOrphans(id -> id.equals("u2")));
    assertEquals(List.of("revoked s1", "revoked s2"), events);
    assertEquals(1, s.size());
    assertEquals(0, s.revokeOrphans(id -> id.equals("u2")));
  }

  @Test
  void theSweepAsksForTheUsersOncePerRunAndOnlyWithSessions() {
    SessionStore s = store(10, 10);
    AtomicInteger asked = new AtomicInteger();
    java.util.Set<String> known = new java.util.HashSet<>(java.util.Set.of("u1", "u2"));
    var purging = s.purgeEvery(Duration.ofSeconds(10), () -> {
      asked.incrementAndGet();
      return java.util.Set.copyOf(known);
    });
    clock.advanceBy(Duration.ofSeconds(10));
    assertEquals(0, asked.get(), "no sessions: the users file need not be read");
    s.create(user("u1"), in(Duration.ofHours(1)));
    s.create(user("u2"), in(Duration.ofHours(1)));
    clock.advanceBy(Duration.ofSeconds(10));
    assertEquals(1, asked.get());
    assertEquals(2, s.size());
    known.remove("u1");
    clock.advanceBy(Duration.ofSeconds(10));
    assertEquals(2, asked.get());
    assertEquals(List.of("revoked s1"), events);
    assertEquals(1, s.size());
    purging.cancel();
  }

  @Test
  void anUnreadableUsersFileKeepsTheSessionsAndTheSweepGoesOn() {
    SessionStore s = store(10, 10);
    s.create(user("u1"), in(Duration.ofMinutes(1)));
    s.create(user("u2"), in(Duration.ofHours(1)));
    var purging = s.purgeEvery(Duration.ofSeconds(10), () -> {
      throw new java.io.UncheckedIOException(new java.io.IOException("users.json: bad JSON"));
    });
    clock.advanceBy(Duration.ofSeconds(10));
    assertEquals(2, s.size());
    clock.advanceBy(Duration.ofMinutes(2));
    assertEquals(List.of("expired s1"), events); // expiry still swept
    assertTrue(clock.pendingTasks() > 0, "the sweep stopped");
    purging.cancel();
  }
}
