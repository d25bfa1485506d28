package dev.switchboard.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every storage backend must do, run against SQLite ({@link SqliteStorageTest}) and
 * PostgreSQL ({@link PostgresStorageTest}): migrations, the three repositories, hostile text, the
 * users-file import. Each test gets a new, empty database from {@link #freshDatabase()}.
 */
abstract class StorageContract {
  static final DatabaseOptions FAST = DatabaseOptions.builder().connectionTimeout(Duration.ofSeconds(1)).build();
  /** A syntactically valid bcrypt hash (jBCrypt's format), never checked against a password here. */
  static final String HASH = "$2a$12$" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";
  static final UnaryOperator<String> CANONICAL = s -> s.strip().toLowerCase(Locale.ROOT);

  @TempDir Path temp;
  DatabaseUrl url;
  Database db;

  /** A new, empty database of the backend under test. */
  abstract DatabaseUrl freshDatabase() throws Exception;

  /** The clock of the message ids: epoch milliseconds, moved by the tests. */
  final AtomicLong idClock = new AtomicLong(1_764_000_000_000L);
  MessageIds ids;

  @BeforeEach
  void open() throws Exception {
    url = freshDatabase();
    db = Database.open(url, FAST);
    ids = db.messages().claimIds(idClock::get, idClock.get());
  }

  /** Stores a message with the next id and returns it. */
  StoredMessage append(Conversation c, String senderId, String senderName, String text, long sentAt) {
    StoredMessage m = new StoredMessage(ids.next(), c, senderId, senderName, text, sentAt);
    db.messages().append(m);
    return m;
  }

  @AfterEach
  void close() {
    if (db != null) db.close();
  }

  static UserRecord user(String id, String name, long created) {
    return new UserRecord(id, name, CANONICAL.apply(name), HASH, created);
  }

  // Migrations

  @Test
  void anEmptyDatabaseIsMigratedToTheLatestSchema() {
    assertEquals(Migrations.LATEST, db.schemaVersion());
    assertEquals(0, db.users().count());
    assertEquals(List.of(), db.messages().latest(Conversation.room("general"), 10));
  }

  @Test
  void reopeningAppliesNothingTwiceAndKeepsTheData() {
    db.users().add(user("u1", "Alice", 1));
    db.close();
    db = Database.open(url, FAST);
    db.close();
    db = Database.open(url, FAST);
    assertEquals(Migrations.LATEST, db.schemaVersion());
    assertEquals(List.of("u1"), db.users().list().stream().map(UserRecord::id).toList());
    int rows = db.read("count steps", c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM schema_version");
          ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    });
    assertEquals(Migrations.STEPS.size(), rows, "one row per step, however often opened");
  }

  @Test
  void aSchemaNewerThanThisBuildIsRefusedAtOpen() {
    db.read("pretend a newer build ran", c -> {
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'from the future', 0)")) {
        st.setInt(1, Migrations.LATEST + 1);
        return st.executeUpdate();
      }
    });
    db.close();
    DatabaseOpenException e = assertThrows(DatabaseOpenException.class, () -> Database.open(url, FAST));
    assertTrue(e.getMessage().contains("has schema version " + (Migrations.LATEST + 1) + ", newer than this build knows"),
        e.getMessage());
    db = null;
  }

  // Users

  @Test
  void usersAreAddedFoundListedDisabledAndRemoved() {
    UserRepository users = db.users();
    assertTrue(users.add(user("u1", "Alice", 10)));
    assertTrue(users.add(user("u2", "bob", 5)));
    assertFalse(users.add(user("u3", " ALICE", 20)), "the canonical name is taken");
    assertFalse(users.add(user("u1", "carol", 20)), "the id is taken");
    assertEquals(2, users.count());

    UserRecord alice = users.findByCanonicalName("alice").orElseThrow();
    assertEquals("Alice", alice.username());
    assertEquals(HASH, alice.passwordHash());
    assertEquals(10, alice.createdAtMillis());
    assertFalse(alice.disabled());
    assertEquals("bob", users.findById("u2").orElseThrow().username());
    assertTrue(users.findByCanonicalName("Alice").isEmpty(), "lookups are by the canonical form, exactly");
    assertEquals(List.of("u2", "u1"), users.list().stream().map(UserRecord::id).toList(), "sign-up order");

    assertTrue(users.disable("u1", 99));
    assertFalse(users.disable("u1", 100), "already disabled");
    assertEquals(OptionalLong.of(99), users.findById("u1").orElseThrow().disabledAtMillis());
    assertTrue(users.enable("u1"));
    assertFalse(users.findById("u1").orElseThrow().disabled());

    assertTrue(users.removeByCanonicalName("alice"));
    assertFalse(users.removeByCanonicalName("alice"));
    assertTrue(users.findById("u1").isEmpty());
    assertEquals(1, users.count());
  }

  @Test
  void theHashNeverAppearsInToString() {
    assertFalse(user("u1", "Alice", 1).toString().contains(HASH));
  }

  // Sessions

  @Test
  void sessionsAreCreatedFoundExtendedRevokedAndPurged() {
    db.users().add(user("u1", "Alice", 1));
    db.users().add(user("u2", "Bob", 1));
    SessionRepository sessions = db.sessions();
    sessions.create(new SessionRecord("s1", "u1", 100, 1_000));
    sessions.create(new SessionRecord("s2", "u1", 110, 2_000));
    sessions.create(new SessionRecord("s3", "u2", 120, 3_000));

    SessionRecord s1 = sessions.find("s1").orElseThrow();
    assertEquals(new SessionRecord("s1", "u1", 100, 1_000), s1);
    assertTrue(s1.isLive(999));
    assertFalse(s1.isLive(1_000), "expired at its expiry");
    assertTrue(sessions.find("nope").isEmpty());

    assertTrue(sessions.extend("s1", 5_000));
    assertEquals(5_000, sessions.find("s1").orElseThrow().expiresAtMillis());

    assertTrue(sessions.revoke("s2", 500));
    assertFalse(sessions.revoke("s2", 600), "already revoked");
    assertFalse(sessions.extend("s2", 9_000), "a revoked session is not extended");
    SessionRecord s2 = sessions.find("s2").orElseThrow();
    assertEquals(OptionalLong.of(500), s2.revokedAtMillis());
    assertFalse(s2.isLive(501));

    assertEquals(List.of("s1"), sessions.revokeAllOf("u1", 700), "only the ones not yet revoked");
    assertEquals(List.of(), sessions.revokeAllOf("u1", 800));
    assertEquals(List.of("s1", "s2"), sessions.listOfUser("u1").stream().map(SessionRecord::id).toList());

    assertEquals(2, sessions.deleteExpired(2_500), "the two revoked ones; s3 lives until 3000");
    assertEquals(List.of("s3"), sessions.listOfUser("u2").stream().map(SessionRecord::id).toList());
    assertEquals(1, sessions.deleteExpired(3_000));
    assertTrue(sessions.find("s3").isEmpty());
  }

  @Test
  void aSessionNeedsItsUserAndDiesWithIt() {
    assertThrows(StorageException.class, () -> db.sessions().create(new SessionRecord("s1", "ghost", 1, 2)));
    db.users().add(user("u1", "Alice", 1));
    db.sessions().create(new SessionRecord("s1", "u1", 1, 2));
    assertThrows(StorageException.class, () -> db.sessions().create(new SessionRecord("s1", "u1", 1, 2)),
        "a session id is unique");
    db.users().removeByCanonicalName("alice");
    assertTrue(db.sessions().find("s1").isEmpty());
  }

  // Messages

  @Test
  void historyPagesAreOldestFirstAndWalkBackwards() {
    Conversation a = Conversation.room("a");
    Conversation b = Conversation.room("b");
    List<Long> inA = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      inA.add(append(a, "u1", "Alice", "a" + i, i).id());
      append(b, "u2", "Bob", "b" + i, i);
    }
    List<StoredMessage> last = db.messages().latest(a, 3);
    assertEquals(List.of("a5", "a6", "a7"), texts(last));
    assertEquals(inA.subList(4, 7), last.stream().map(StoredMessage::id).toList());
    assertEquals(new StoredMessage(inA.get(6), a, "u1", "Alice", "a7", 7), last.get(2));

    List<StoredMessage> older = db.messages().before(a, last.get(0).id(), 3);
    assertEquals(List.of("a2", "a3", "a4"), texts(older));
    assertEquals(List.of("a1"), texts(db.messages().before(a, older.get(0).id(), 3)));
    assertEquals(List.of(), db.messages().before(a, inA.get(0), 3));
    assertEquals(List.of("a1", "a2", "a3", "a4", "a5", "a6", "a7"), texts(db.messages().latest(a, 1000)));
    assertEquals(List.of(), db.messages().latest(Conversation.room("A"), 10), "room names are exact");

    assertThrows(IllegalArgumentException.class, () -> db.messages().latest(a, 0));
    assertThrows(IllegalArgumentException.class, () -> db.messages().latest(a, MessageRepository.MAX_PAGE + 1));
  }

  @Test
  void aPrivateConversationIsOneWhicheverSideSpeaks() {
    append(Conversation.between("u1", "u2"), "u1", "Alice", "hi Bob", 1);
    append(Conversation.between("u2", "u1"), "u2", "Bob", "hi Alice", 2);
    append(Conversation.between("u1", "u3"), "u1", "Alice", "hi Carol", 3);
    append(Conversation.room("u1"), "u1", "Alice", "a room named like an id", 4);
    List<StoredMessage> page = db.messages().latest(Conversation.between("u2", "u1"), 10);
    assertEquals(List.of("hi Bob", "hi Alice"), texts(page));
    assertEquals(Conversation.between("u1", "u2"), page.get(0).conversation());
  }

  @Test
  void retentionKeepsTheNewestPerConversationAndDropsTheOld() {
    Conversation a = Conversation.room("a");
    Conversation b = Conversation.room("b");
    Conversation dm = Conversation.between("u1", "u2");
    for (int i = 1; i <= 5; i++) {
      append(a, "u1", "Alice", "a" + i, 100 + i);
      append(b, "u1", "Alice", "b" + i, 200 + i);
      append(dm, "u1", "Alice", "d" + i, 300 + i);
    }
    assertEquals(9, db.messages().deleteBeyond(2));
    assertEquals(List.of("a4", "a5"), texts(db.messages().latest(a, 10)));
    assertEquals(List.of("b4", "b5"), texts(db.messages().latest(b, 10)));
    assertEquals(List.of("d4", "d5"), texts(db.messages().latest(dm, 10)));
    assertEquals(0, db.messages().deleteBeyond(2));

    assertEquals(3, db.messages().deleteOlderThan(205), "a4, a5 and b4 were sent before 205");
    assertEquals(List.of(), texts(db.messages().latest(a, 10)));
    assertEquals(List.of("b5"), texts(db.messages().latest(b, 10)));
  }

  @Test
  void retentionAppliesBothRulesAtOnce() {
    Conversation a = Conversation.room("a");
    Conversation dm = Conversation.between("u1", "u2");
    long day = Duration.ofDays(1).toMillis();
    long now = 100 * day;
    for (int i = 1; i <= 4; i++) {
      append(a, "u1", "Alice", "old a" + i, now - 40 * day + i);
      append(a, "u1", "Alice", "new a" + i, now - day + i);
      append(dm, "u1", "Alice", "new d" + i, now - day + i);
    }
    assertEquals(4 + 1 + 1, db.messages().applyRetention(new Retention(3, Duration.ofDays(30)), now));
    assertEquals(List.of("new a2", "new a3", "new a4"), texts(db.messages().latest(a, 10)));
    assertEquals(List.of("new d2", "new d3", "new d4"), texts(db.messages().latest(dm, 10)));
    assertThrows(IllegalArgumentException.class, () -> new Retention(0, Duration.ofDays(1)));
    assertEquals(new Retention(10_000, Duration.ofDays(30)), Retention.DEFAULT);
  }

  @Test
  void messageIdsAreNeverReusedAcrossRetentionAndRestarts() {
    Conversation a = Conversation.room("a");
    long first = append(a, "u1", "Alice", "one", 1).id();
    long second = append(a, "u1", "Alice", "two", 2).id();
    assertTrue(second > first);
    db.close();
    db = Database.open(url, FAST);
    // The clock went back an hour across the restart: the new node still numbers above the floor.
    idClock.addAndGet(-3_600_000);
    MessageIds again = db.messages().claimIds(idClock::get, idClock.get());
    assertTrue(again.node() != ids.node(), "a new node number for every start");
    ids = again;
    long third = append(a, "u1", "Alice", "three", 3).id();
    assertTrue(third > second, third + " after " + second);
    assertEquals(List.of("one", "two", "three"), texts(db.messages().latest(a, 10)));
    assertEquals(3, db.messages().deleteOlderThan(Long.MAX_VALUE), "the table is empty again");
    long fourth = append(a, "u1", "Alice", "four", 4).id();
    assertTrue(fourth > third, "ids keep growing after retention emptied the table");
  }

  @Test
  void anIdAlreadyStoredFailsTheWholeBatch() {
    Conversation a = Conversation.room("a");
    StoredMessage kept = append(a, "u1", "Alice", "kept", 1);
    StoredMessage fresh = new StoredMessage(ids.next(), a, "u1", "Alice", "fresh", 2);
    StoredMessage clash = new StoredMessage(kept.id(), a, "u1", "Alice", "clash", 3);
    assertThrows(StorageException.class, () -> db.messages().appendAll(List.of(fresh, clash)));
    assertEquals(List.of(kept), db.messages().latest(a, 10), "one transaction: nothing of the batch stored");
    db.messages().appendAll(List.of(fresh, new StoredMessage(ids.next(), a, "u1", "Alice", "later", 3)));
    assertEquals(List.of("kept", "fresh", "later"), texts(db.messages().latest(a, 10)));
  }

  @Test
  void aPrivateMessageKeepsItsRecipientsName() {
    StoredMessage m = new StoredMessage(ids.next(), Conversation.between("u2", "u1"), "u2", "Bob", "hi", 5, "Alice");
    db.messages().append(m);
    assertEquals(List.of(m), db.messages().latest(Conversation.between("u1", "u2"), 10));
    assertEquals("u1", m.recipientId());
    assertEquals("u1", new StoredMessage(1, Conversation.between("u1", "u1"), "u1", "A", "note", 1).recipientId());
  }

  // Hostile text

  static final List<String> HOSTILE = List.of(
      "O'Brien",
      "'; DROP TABLE users; --",
      "Robert\"); DROP TABLE messages;--",
      "' OR '1'='1",
      "%_ like wildcards \\ backslash",
      "tab\tnew\nline\r\n",
      "😀 emoji, 👩‍👩‍👧 a family (ZWJ)",
      "𝄞 a 4-byte UTF-8 character, \uD83D\uDE00 written as a surrogate pair",
      "\u202Eright-to-left override",
      "ＡＢＣ fullwidth, é composed, e\u0301 decomposed",
      "$1 $$ ? :name ${x}");

  @Test
  void injectionShapedTextIsStoredAndReturnedByteForByte() {
    int n = 0;
    for (String s : HOSTILE) {
      n++;
      String id = "id-" + n + "-" + s;
      UserRecord u = new UserRecord(id, s, "canon " + s, HASH, n);
      assertTrue(db.users().add(u), s);
      assertEquals(u, db.users().findByCanonicalName("canon " + s).orElseThrow());
      assertEquals(u, db.users().findById(id).orElseThrow());
      StoredMessage room = append(Conversation.room(s), id, s, s, n);
      StoredMessage dm = append(Conversation.between(id, s), id, s, s + "!", n);
      StoredMessage readRoom = db.messages().latest(Conversation.room(s), 10).get(0);
      assertEquals(room, readRoom);
      assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), readRoom.text().getBytes(StandardCharsets.UTF_8));
      assertEquals(List.of(dm), db.messages().latest(Conversation.between(s, id), 10));
    }
    assertEquals(HOSTILE.size(), db.users().count(), "every table is still there, nothing else matched");
    assertTrue(db.users().findByCanonicalName("%").isEmpty(), "no pattern matching");
    assertTrue(db.users().findByCanonicalName("' OR '1'='1").isEmpty());
  }

  @Test
  void nulAndUnpairedSurrogatesAreRefusedBeforeAnyStatement() {
    IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
        () -> append(Conversation.room("a"), "u1", "Alice", "a\0b", 1));
    assertEquals("message text contains U+0000 (NUL), which the database cannot store", nul.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Conversation.room("a\0"));
    assertThrows(IllegalArgumentException.class, () -> user("u\0", "Alice", 1));
    IllegalArgumentException lone = assertThrows(IllegalArgumentException.class,
        () -> append(Conversation.room("a"), "u1", "Alice", "half \uD83D", 1));
    assertEquals("message text contains an unpaired surrogate, which is not valid UTF-8", lone.getMessage());
    assertThrows(IllegalArgumentException.class, () -> user("u1", "\uDE00x", 1));
    assertEquals(List.of(), db.messages().latest(Conversation.room("a"), 10));
    assertEquals(0, db.users().count());
  }

  // The users-file import

  static final String USERS_FILE = """
      {
        "version" : 1,
        "users" : [ {
          "id" : "id-alice",
          "username" : "Alice",
          "passwordHash" : "%1$s",
          "createdAt" : 1764000000000
        }, {
          "id" : "id-bob",
          "username" : "bob.b",
          "passwordHash" : "%1$s",
          "createdAt" : 1764000000001
        }, {
          "id" : "id-old",
          "username" : "old_timer",
          "passwordHash" : "%1$s"
        } ]
      }
      """.formatted(HASH);

  @Test
  void theUsersFileIsImportedOnceWithItsIdsAndHashes() throws Exception {
    Path file = temp.resolve("users.json");
    Files.writeString(file, USERS_FILE);
    UsersFileImport.Result r = UsersFileImport.run(db, file, CANONICAL, 42);
    assertEquals(UsersFileImport.Outcome.IMPORTED, r.outcome());
    assertEquals(3, r.users());
    assertEquals(List.of(
            new UserRecord("id-old", "old_timer", "old_timer", HASH, 0),
            new UserRecord("id-alice", "Alice", "alice", HASH, 1764000000000L),
            new UserRecord("id-bob", "bob.b", "bob.b", HASH, 1764000000001L)),
        db.users().list());
    assertEquals(USERS_FILE, Files.readString(file), "left as it was");

    // Never again: not after a user is removed, not after the file changes, not after a restart.
    db.users().removeByCanonicalName("bob.b");
    Files.writeString(file, USERS_FILE.replace("id-alice", "id-new"));
    db.close();
    db = Database.open(url, FAST);
    assertEquals(UsersFileImport.Outcome.ALREADY_DONE, UsersFileImport.run(db, file, CANONICAL, 43).outcome());
    assertEquals(List.of("id-old", "id-alice"), db.users().list().stream().map(UserRecord::id).toList());
  }

  @Test
  void noFileIsNotRecordedAndAFileThatTurnsUpLaterIsImported() throws Exception {
    Path file = temp.resolve("users.json");
    assertEquals(UsersFileImport.Outcome.NO_FILE, UsersFileImport.run(db, file, CANONICAL, 1).outcome());
    Files.writeString(file, USERS_FILE);
    assertEquals(UsersFileImport.Outcome.IMPORTED, UsersFileImport.run(db, file, CANONICAL, 2).outcome());
  }

  @Test
  void aFileIsNotMergedIntoUsersTheDatabaseAlreadyHas() throws Exception {
    Path file = temp.resolve("users.json");
    Files.writeString(file, USERS_FILE);
    db.users().add(user("id-zed", "zed", 1));
    UsersFileImport.Result r = UsersFileImport.run(db, file, CANONICAL, 1);
    assertEquals(UsersFileImport.Outcome.SKIPPED_NOT_EMPTY, r.outcome());
    assertTrue(r.message().contains("already has 1 users"), r.message());
    assertEquals(List.of("id-zed"), db.users().list().stream().map(UserRecord::id).toList());
    db.users().removeByCanonicalName("zed");
    assertEquals(UsersFileImport.Outcome.ALREADY_DONE, UsersFileImport.run(db, file, CANONICAL, 2).outcome(),
        "the skip is recorded: an emptied table does not bring the file back");
  }

  @Test
  void aCorruptUsersFileIsRefusedWithAClearMessageAndLeftUntouched() throws Exception {
    String secondUser = "\"id\" : \"id-bob\"";
    List<List<String>> cases = List.of(
        List.of("{\"users\": [", "is not valid JSON"),
        List.of("[]", "is not a JSON object"),
        List.of("{\"version\": 1}", "has no \"users\" array"),
        List.of("{\"version\": 2, \"users\": []}", "its \"version\" is 2, and only 1 is known"),
        List.of("{\"users\": [{\"id\": \"x\", \"passwordHash\": \"" + HASH + "\"}]}",
            "user #1 has no \"username\""),
        List.of("{\"users\": [{\"id\": \"x\", \"username\": \"x\", \"username\": \"y\"}]}", "is not valid JSON"),
        List.of(USERS_FILE.replace("\"" + HASH + "\",\n    \"createdAt\" : 1764000000001", "\"plain-text\",\n    \"createdAt\" : 1764000000001"),
            "user #2 (bob.b) has a passwordHash that is not a bcrypt hash"),
        List.of(USERS_FILE.replace(secondUser, "\"id\" : \"id-alice\""), "user #2 repeats the id id-alice"),
        List.of(USERS_FILE.replace("bob.b", "ALICE"), "user #2 repeats the name ALICE"),
        List.of(USERS_FILE.replace("bob.b", "bob\\u0000"), "user #2: username contains U+0000"),
        List.of(USERS_FILE.replace("\"createdAt\" : 1764000000001", "\"createdAt\" : \"yesterday\""),
            "user #2 (bob.b) has a createdAt that is not a number"));
    Path file = temp.resolve("users.json");
    for (List<String> c : cases) {
      String content = c.get(0);
      Files.writeString(file, content);
      FileTime modified = FileTime.fromMillis(1_000_000_000_000L);
      Files.setLastModifiedTime(file, modified);
      UsersFileImport.CorruptUsersFileException e = assertThrows(UsersFileImport.CorruptUsersFileException.class,
          () -> UsersFileImport.run(db, file, CANONICAL, 1), content);
      assertTrue(e.getMessage().startsWith(file + " cannot be imported: "), e.getMessage());
      assertTrue(e.getMessage().contains(c.get(1)), e.getMessage());
      assertTrue(e.getMessage().endsWith("It was left as it is: repair it, or move it away to start without its users"),
          e.getMessage());
      assertEquals(content, Files.readString(file));
      assertEquals(modified, Files.getLastModifiedTime(file));
      assertEquals(0, db.users().count(), "nothing imported: " + c.get(1));
    }
    Files.writeString(file, USERS_FILE);
    assertEquals(UsersFileImport.Outcome.IMPORTED, UsersFileImport.run(db, file, CANONICAL, 2).outcome(),
        "a refusal is not recorded: the repaired file is imported");
  }

  static List<String> texts(List<StoredMessage> page) {
    return page.stream().map(StoredMessage::text).toList();
  }
}
