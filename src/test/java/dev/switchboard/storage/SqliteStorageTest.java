package dev.switchboard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
