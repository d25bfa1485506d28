package dev.switchboard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What {@code DATABASE_URL} may hold, how it reaches the driver, and that the password never shows. */
class DatabaseUrlTest {
  @Test
  void aPostgresUrlIsSplitIntoAJdbcUrlAndCredentials() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s3cret@db.example:6543/chat?sslmode=require");
    assertEquals(Dialect.POSTGRESQL, url.dialect());
    assertEquals("jdbc:postgresql://db.example:6543/chat?sslmode=require", url.jdbcUrl());
    assertEquals("app", url.user());
    assertEquals("s3cret", url.password());
    assertEquals("postgresql://app:***@db.example:6543/chat?sslmode=require", url.masked());
    assertEquals(url.masked(), url.toString());
    assertNull(url.file());
  }

  @Test
  void userPasswordAndDatabaseArePercentDecoded() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://us%40er:p%40ss%3Aw%2Fo+rd@[::1]/my%20db");
    assertEquals("us@er", url.user());
    assertEquals("p@ss:w/o+rd", url.password());
    assertEquals("jdbc:postgresql://[::1]/my%20db", url.jdbcUrl());
    assertEquals("postgres://us%40er:***@[::1]/my%20db", url.masked());
  }

  @Test
  void aUrlWithoutPasswordOrPortIsAccepted() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://app@localhost/chat");
    assertEquals("jdbc:postgresql://localhost/chat", url.jdbcUrl());
    assertEquals("app", url.user());
    assertNull(url.password());
    assertEquals("postgresql://app@localhost/chat", url.masked());
  }

  @Test
  void aJdbcUrlGoesToTheDriverAsItIsAndIsShownMasked() {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h:5432/chat?user=app&password=s3cret&ssl=true");
    assertEquals("jdbc:postgresql://h:5432/chat?user=app&password=s3cret&ssl=true", url.jdbcUrl());
    assertEquals("jdbc:postgresql://h:5432/chat?user=app&password=***&ssl=true", url.masked());
  }

  @Test
  void sqliteIsAFile() {
    DatabaseUrl url = DatabaseUrl.parse("sqlite:/var/lib/sb/switchboard.db");
    assertEquals(Dialect.SQLITE, url.dialect());
    assertEquals(Path.of("/var/lib/sb/switchboard.db"), url.file());
    assertEquals("jdbc:sqlite:/var/lib/sb/switchboard.db", url.jdbcUrl());
    assertEquals(url.file(), DatabaseUrl.parse("jdbc:sqlite:/var/lib/sb/switchboard.db").file());
    assertEquals("sqlite:/var/lib/sb/switchboard.db", DatabaseUrl.sqlite(Path.of("/var/lib/sb/./switchboard.db")).masked());
    assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("sqlite::memory:"));
    assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("jdbc:sqlite:"));
  }

  @Test
  void anythingElseIsRefusedWithoutShowingThePassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DatabaseUrl.parse("mysql://root:hunter2@db/chat"));
    assertEquals("unsupported database URL mysql://root:***@db/chat: use postgresql://user:password@host:port/database,"
        + " jdbc:postgresql://…, or sqlite:/path/to/file.db", e.getMessage());
    IllegalArgumentException noHost = assertThrows(IllegalArgumentException.class,
        () -> DatabaseUrl.parse("postgresql:///chat"));
    assertEquals("database URL postgresql:///chat names no host", noHost.getMessage());
    IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
        () -> DatabaseUrl.parse("postgresql://app:hunter 2@db/chat"));
    assertFalse(malformed.getMessage().contains("hunter"), malformed.getMessage());
    assertTrue(malformed.getMessage().startsWith("malformed database URL postgresql://app:***@db/chat"), malformed.getMessage());
  }

  @Test
  void scrubbingRemovesThePasswordFromADriversMessage() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://app:pa55word@db/chat");
    assertEquals("FATAL: bad *** for postgresql://x:***@y", url.scrub("FATAL: bad pa55word for postgresql://x:z@y"));
  }
}
