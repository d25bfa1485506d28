package dev.switchboard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Await;
import dev.switchboard.testing.PostgresPerClass;
import dev.switchboard.testing.PostgresServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/**
 * {@link StorageContract} on a real PostgreSQL (one server for the class, a new database per
 * test); and what only a server has: two nodes on one database, a server that is unreachable at
 * open, and one that goes away and comes back while the database is open.
 */
class PostgresStorageTest extends StorageContract {
  @RegisterExtension static final PostgresPerClass postgres = new PostgresPerClass();

  @Override
  DatabaseUrl freshDatabase() throws Exception {
    return DatabaseUrl.parse(postgres.server().createDatabase());
  }

  @Test
  void twoNodesOnOneDatabaseNeverShareAMessageId() throws Exception {
    try (Database other = Database.open(url, FAST)) {
      assertEquals(Migrations.LATEST, other.schemaVersion(), "the second node found the schema in place");
      // Each node claims its ids at start; the clock stands still, so every id is made in the
      // same millisecond and only the node number and the sequence tell them apart.
      MessageIds second = other.messages().claimIds(idClock::get, idClock.get());
      assertTrue(second.node() != ids.node());
      ExecutorService threads = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          Database node = t % 2 == 0 ? db : other;
          MessageIds nodeIds = t % 2 == 0 ? ids : second;
          Callable<List<Long>> appends = () -> {
            List<Long> made = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
              long id = nodeIds.next();
              assertTrue(made.isEmpty() || id > made.get(made.size() - 1), "increasing within a node");
              node.messages().append(new StoredMessage(id, Conversation.room("general"), "u", "U", "m" + i, i));
              made.add(id);
            }
            return made;
          };
          futures.add(threads.submit(appends));
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> f : futures) all.addAll(f.get(30, TimeUnit.SECONDS));
        assertEquals(400, all.size(), "400 appends, 400 distinct ids");
        assertEquals(400, db.messages().latest(Conversation.room("general"), 1000).size());
      } finally {
        threads.shutdownNow();
      }
    }
  }

  @Test
  void twoNodesOpeningAnEmptyDatabaseAtOnceMigrateItOnce() throws Exception {
    DatabaseUrl empty = DatabaseUrl.parse(postgres.server().createDatabase());
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Database> a = threads.submit(() -> Database.open(empty, FAST));
      Future<Database> b = threads.submit(() -> Database.open(empty, FAST));
      try (Database first = a.get(30, TimeUnit.SECONDS); Database second = b.get(30, TimeUnit.SECONDS)) {
        assertEquals(Migrations.LATEST, first.schemaVersion());
        assertEquals(Migrations.LATEST, second.schemaVersion());
        int rows = first.read("count steps", c -> {
          try (var st = c.prepareStatement("SELECT COUNT(*) FROM schema_version"); var rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
        assertEquals(Migrations.STEPS.size(), rows, "each step applied once");
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anUnreachableServerIsRefusedAtOpenWithThePasswordMasked() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String secret = "s3cret-Passw0rd";
    DatabaseOpenException e = assertThrows(DatabaseOpenException.class, () -> Database.open(
        DatabaseUrl.parse("postgresql://app:" + secret + "@127.0.0.1:" + closedPort + "/chat"), FAST));
    assertTrue(e.getMessage().startsWith("cannot open the database postgresql://app:***@127.0.0.1:" + closedPort + "/chat: "),
        e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void aWrongPasswordIsRefusedAtOpenWithoutShowingIt() {
    String wrong = "not-" + postgres.server().password();
    DatabaseOpenException e = assertThrows(DatabaseOpenException.class, () -> Database.open(
        DatabaseUrl.parse("postgresql://" + PostgresServer.USER + ":" + wrong + "@127.0.0.1:" + postgres.server().port() + "/postgres"),
        FAST));
    assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
    assertFalse(e.getMessage().contains(wrong), e.getMessage());
    assertTrue(e.getMessage().contains(PostgresServer.USER + ":***@"), e.getMessage());
  }

  @Test
  void aServerLostAtRunTimeGivesUnavailableAndIsUsedAgainOnceBack() throws Exception {
    db.users().add(user("u1", "Alice", 1));
    postgres.server().stop();
    try {
      DatabaseUnavailableException read = assertThrows(DatabaseUnavailableException.class,
          () -> db.users().findById("u1"));
      assertTrue(read.getMessage().startsWith("the database " + url.masked() + " is unavailable (find a user): "),
          read.getMessage());
      assertFalse(read.getMessage().contains(postgres.server().password()), read.getMessage());
      assertThrows(DatabaseUnavailableException.class,
          () -> append(Conversation.room("a"), "u1", "Alice", "lost", 1));
    } finally {
      postgres.server().start();
    }
    // The same Database, not reopened: the pool drops the connections the restart broke and makes
    // new ones. Its connection adder backs off (up to 5 s) while the server is away, so the first
    // calls after the restart may still time out: wait for one to succeed.
    Await.until("the pool to reconnect", Duration.ofSeconds(15), () -> {
      try {
        return db.users().findById("u1").isPresent();
      } catch (DatabaseUnavailableException stillAway) {
        return false;
      }
    });
    assertEquals("Alice", db.users().findById("u1").orElseThrow().username());
    append(Conversation.room("a"), "u1", "Alice", "back", 2);
    assertEquals(List.of("back"), texts(db.messages().latest(Conversation.room("a"), 10)), "the lost append left nothing");
  }
}
