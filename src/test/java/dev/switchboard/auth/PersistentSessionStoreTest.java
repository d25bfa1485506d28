package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.storage.Database;
import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.FakeScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SessionStore} written through to the sessions table, and {@link DatabaseUserStore}, on
 * SQLite: a second store on the same database stands for the server after a restart (or another
 * node), with an empty cache.
 */
class PersistentSessionStoreTest {
  private final FakeScheduler clock = new FakeScheduler();
  private final AtomicInteger ids = new AtomicInteger();
  private final List<String> events = new ArrayList<>();
  @TempDir Path dir;
  private Database db;
  private DatabaseUserStore users;

  @BeforeEach
  void open() {
    db = Database.open(DatabaseUrl.sqlite(dir.resolve("switchboard.db")));
    users = new DatabaseUserStore(db);
    users.add(new User("u-alice", "Alice", "$2a$04$" + "a".repeat(53), 0));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private SessionStore store(int perUser) {
    SessionStore s = new SessionStore(clock, AuthOptions.DEFAULTS.toBuilder().sessions(1000, perUser).build(),
        () -> "s" + ids.incrementAndGet(), db.sessions(), new DatabaseUserStore(db));
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

  private User alice() {
    return users.findByName("alice").orElseThrow();
  }

  private long in(Duration d) {
    return clock.currentTimeMillis() + d.toMillis();
  }

  @Test
  void aSessionIsReadBackByAStoreWithAnEmptyCache() {
    Session s = store(20).create(alice(), in(Duration.ofHours(1)));
    SessionStore restarted = store(20);
    assertTrue(restarted.findCached(s.id()).isEmpty(), "a new store's cache is empty");
    Session back = restarted.find(s.id()).orElseThrow();
    assertEquals(s, back, "id, user, name as chosen, created and expiry all come back");
    assertEquals(s, restarted.findCached(s.id()).orElseThrow(), "and it is cached from then on");
  }

  @Test
  void refreshRevokeAndExpiryAreWrittenThrough() {
    SessionStore first = store(20);
    Session a = first.create(alice(), in(Duration.ofHours(1)));
    Session b = first.create(alice(), in(Duration.ofHours(1)));
    first.extend(a.id(), in(Duration.ofHours(2))).orElseThrow();
    assertTrue(first.revoke(b.id(), SessionEnd.LOGOUT));
    SessionStore restarted = store(20);
    assertEquals(in(Duration.ofHours(2)), restarted.find(a.id()).orElseThrow().expiresAtMillis());
    assertTrue(restarted.find(b.id()).isEmpty(), "a logout outlives the restart");
    // Revoked by one store, refused by the other once it asks the database (its cache does not know).
    assertTrue(restarted.revoke(a.id(), SessionEnd.LOGOUT));
    assertTrue(store(20).find(a.id()).isEmpty());
  }

  @Test
  void expiredSessionsAreNotReadBackAndThePurgeDeletesTheirRows() {
    Session s = store(20).create(alice(), in(Duration.ofMinutes(10)));
    clock.advanceBy(Duration.ofMinutes(10).plus(AuthOptions.DEFAULTS.clockSkew()));
    SessionStore restarted = store(20);
    assertTrue(restarted.find(s.id()).isEmpty());
    restarted.purgeExpired();
    assertTrue(db.sessions().find(s.id()).isEmpty(), "the row is gone");
  }

  @Test
  void thePerUserBoundCountsSessionsFromBeforeARestart() {
    Session oldest = store(2).create(alice(), in(Duration.ofHours(1)));
    clock.advanceBy(Duration.ofSeconds(1));
    Session second = store(2).create(alice(), in(Duration.ofHours(1)));
    clock.advanceBy(Duration.ofSeconds(1));
    SessionStore third = store(2);
    third.create(alice(), in(Duration.ofHours(1)));
    assertTrue(third.find(oldest.id()).isEmpty(), "the oldest was revoked to make room");
    assertTrue(third.find(second.id()).isPresent());
  }

  @Test
  void revokingAUserEndsItsSessionsInTheDatabaseAndTheCache() {
    SessionStore store = store(20);
    Session a = store.create(alice(), in(Duration.ofHours(1)));
    Session b = store(20).create(alice(), in(Duration.ofHours(1))); // not in this store's cache
    assertEquals(2, store.revokeUser("u-alice"));
    assertEquals(List.of("revoked " + a.id()), events, "the cached session's sockets are told");
    assertTrue(store.find(a.id()).isEmpty() && store.find(b.id()).isEmpty());
  }

  @Test
  void aRemovedUsersSessionsGoWithIt() {
    Session s = store(20).create(alice(), in(Duration.ofHours(1)));
    assertTrue(users.remove("alice"));
    assertTrue(store(20).find(s.id()).isEmpty());
    assertTrue(db.sessions().find(s.id()).isEmpty(), "ON DELETE CASCADE");
  }

  @Test
  void theUserStoreAnswersTakenNamesAndCachesWhatItFound() {
    IllegalStateException taken = assertThrows(IllegalStateException.class,
        () -> users.add(new User("u-other", "ALICE", "$2a$04$" + "b".repeat(53), 0)));
    assertEquals(UserStore.NAME_TAKEN, taken.getMessage());
    DatabaseUserStore fresh = new DatabaseUserStore(db);
    assertFalse(fresh.answersFromMemory());
    assertTrue(fresh.findCachedById("u-alice").isEmpty(), "nothing read yet");
    assertEquals("Alice", fresh.findById("u-alice").orElseThrow().username());
    assertEquals("Alice", fresh.findCachedById("u-alice").orElseThrow().username());
    assertEquals(1, fresh.count());
    assertEquals(java.util.Set.of("u-alice"), fresh.ids());
  }
}
