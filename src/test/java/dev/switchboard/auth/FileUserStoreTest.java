package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUserStoreTest {
  private static final String HASH = "$2a$04$TihjWD9eKMnqZuN7a8ADwe4zJHtb412TRUD.IhGqKQT9nVx4YaZB6";
  @TempDir Path dir;

  private static User user(String id, String name) {
    return new User(id, name, HASH, 1_700_000_000_000L);
  }

  @Test
  void addedUsersAreFoundByCanonicalNameAndIdAndSurviveARestart() {
    FileUserStore store = new FileUserStore(dir);
    store.add(user("u1", "Alice"));
    store.add(user("u2", "bob"));
    FileUserStore reopened = new FileUserStore(dir);
    assertEquals("Alice", reopened.findByName("alice").orElseThrow().username());
    assertEquals("u2", reopened.findByName("bob").orElseThrow().id());
    assertEquals("bob", reopened.findById("u2").orElseThrow().username());
    assertEquals(List.of("Alice", "bob"), reopened.list().stream().map(User::username).toList());
    assertEquals(2, reopened.count());
  }

  @Test
  void aNameIsTakenWhateverItsCase() {
    FileUserStore store = new FileUserStore(dir);
    store.add(user("u1", "Alice"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.add(user("u2", "ALICE")));
    assertEquals("Username is already taken", e.getMessage());
  }

  @Test
  void removeDeletesAndReportsWhetherThereWasOne() {
    FileUserStore store = new FileUserStore(dir);
    store.add(user("u1", "alice"));
    assertTrue(store.remove("alice"));
    assertFalse(store.remove("alice"));
    assertTrue(new FileUserStore(dir).findByName("alice").isEmpty());
  }

  @Test
  void theFileIsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
    FileUserStore store = new FileUserStore(dir);
    store.add(user("u1", "alice"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    try (var files = Files.list(dir)) {
      assertEquals(List.of("users.json", "users.json.lock"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(Files.readString(store.file()).contains("\"passwordHash\""));
  }

  @Test
  void aWriteByAnotherProcessIsSeenWithoutARestart() {
    FileUserStore server = new FileUserStore(dir);
    assertTrue(server.findByName("carol").isEmpty());
    new FileUserStore(dir).add(user("u3", "carol")); // `switchboard user add carol`
    assertEquals("u3", server.findByName("carol").orElseThrow().id());
  }

  @Test
  void twoStoresWritingAtOnceLoseNothing() throws Exception {
    FileUserStore a = new FileUserStore(dir);
    FileUserStore b = new FileUserStore(dir);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        fs.add(pool.submit(() -> (n % 2 == 0 ? a : b).add(user("id" + n, "user" + n))));
      }
      for (Future<?> f : fs) f.get();
    } finally {
      pool.shutdown();
    }
    assertEquals(20, new FileUserStore(dir).count());
  }

  @Test
  void aCorruptFileIsReportedWithItsName() throws Exception {
    Files.writeString(dir.resolve("users.json"), "{\"users\": [ {\"id\": ");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new FileUserStore(dir));
    assertTrue(e.getCause().getMessage().contains("users.json is not valid JSON"), e.getCause().getMessage());
  }

  @Test
  void theDataDirectoryIsCreatedOwnerOnly() throws Exception {
    Path nested = dir.resolve("a/b");
    new FileUserStore(nested).add(user("u1", "alice"));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
  }
}
