package dev.switchboard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link StorageContract} on SQLite, a file in a temporary directory; and what only SQLite has. */
class SqliteStorageTest extends StorageContract {
  private int files;

  @Override
  DatabaseUrl freshDatabase() {
    return DatabaseUrl.sqlite(temp.resolve("data-" + ++files).resolve("switchboard.db"));
  }

  @Test
  void theFileAndItsDirectoryAreCreatedOwnerOnly() throws Exception {
    Path file = url.file();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
  }

  @Test
  void twoDatabasesOnOneFileWriteInTurnWithoutBusyErrors() throws Exception {
    // As `switchboard user add` in another process does while the server runs: two pools on one
    // file. IMMEDIATE transactions and busy_timeout make the second writer wait, not fail.
    db.users().add(user("u1", "Alice", 1));
    try (Database other = Database.open(url, FAST)) {
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (Database node : List.of(db, other)) {
          MessageIds nodeIds = node == db ? ids : other.messages().claimIds(idClock::get, idClock.get());
          Callable<List<Long>> appends = () -> {
            List<Long> made = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
              StoredMessage m = new StoredMessage(nodeIds.next(), Conversation.room("general"), "u1", "Alice", "m" + i, i);
              node.messages().append(m);
              made.add(m.id());
              node.sessions().create(new SessionRecord(node.hashCode() + "-" + i, "u1", i, i + 1));
            }
            return made;
          };
          futures.add(threads.submit(appends));
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> f : futures) all.addAll(f.get(60, TimeUnit.SECONDS));
        assertEquals(200, all.size());
        assertEquals(200, other.sessions().listOfUser("u1").size());
      } finally {
        threads.shutdownNow();
      }
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedAtOpenNamingIt() throws Exception {
    Path notDb = temp.resolve("notes.txt");
    Files.writeString(notDb, "these are not the pages you are looking for ".repeat(200));
    DatabaseOpenException e = assertThrows(DatabaseOpenException.class,
        () -> Database.open(DatabaseUrl.sqlite(notDb), FAST));
    assertTrue(e.getMessage().startsWith("cannot open the database sqlite:" + notDb + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("not a database"), e.getMessage());
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsRefusedAtOpen() throws Exception {
    Path blocker = temp.resolve("blocker");
    Files.writeString(blocker, "a file where a directory should be");
    DatabaseOpenException e = assertThrows(DatabaseOpenException.class,
        () -> Database.open(DatabaseUrl.sqlite(blocker.resolve("switchboard.db")), FAST));
    assertTrue(e.getMessage().startsWith("cannot create the database file sqlite:" + blocker.resolve("switchboard.db")),
        e.getMessage());
  }
}
