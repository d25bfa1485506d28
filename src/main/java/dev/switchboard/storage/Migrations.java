package dev.switchboard.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;

/**
 * The schema, as numbered steps, and the runner that brings a database up to the last one
 * (spec-notes/storage.md §Migrations says why this and not Flyway). Applied steps are rows of
 * {@code schema_version}; each pending step runs in its own transaction together with its row,
 * under {@link Dialect#lockForMigration}, so a step is applied entirely or not at all, and two
 * nodes starting at once apply it once. A step, once released, is never edited: a change is a new
 * step. Stateless; called by {@link Database#open} on the opening thread.
 */
final class Migrations {
  /** One step: its number, what it does, and its statements in the dialect at hand. */
  record Step(int version, String description, Function<Dialect, List<String>> statements) {}

  static final List<Step> STEPS = List.of(
      new Step(1, "users, sessions, messages, imports", d -> List.of(
          // Users keep the id the application gave them (tokens and the users file name it), the
          // name as chosen for display, and its canonical form, unique (spec-notes/authentication.md).
          """
          CREATE TABLE users (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL,
            canonical_name TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            disabled_at BIGINT
          )""",
          // A session dies with its user.
          """
          CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            revoked_at BIGINT
          )""",
          "CREATE INDEX sessions_by_user ON sessions (user_id)",
          "CREATE INDEX sessions_by_expiry ON sessions (expires_at)",
          // Exactly one of: a room, or a private pair (the two user ids, lower first). The sender
          // is not a foreign key: history outlives a removed user, under the name it had.
          "CREATE TABLE messages (\n  " + d.generatedIdColumn() + """
          ,
            room TEXT,
            pair_low TEXT,
            pair_high TEXT,
            sender_id TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            body TEXT NOT NULL,
            sent_at BIGINT NOT NULL,
            CHECK ((room IS NOT NULL AND pair_low IS NULL AND pair_high IS NULL)
                OR (room IS NULL AND pair_low IS NOT NULL AND pair_high IS NOT NULL AND pair_low <= pair_high))
          )""",
          "CREATE INDEX messages_by_room ON messages (room, id)",
          "CREATE INDEX messages_by_pair ON messages (pair_low, pair_high, id)",
          "CREATE INDEX messages_by_time ON messages (sent_at)",
          // One-time jobs done on this database (the users-file import): never again.
          """
          CREATE TABLE storage_imports (
            name TEXT PRIMARY KEY,
            done_at BIGINT NOT NULL,
            outcome TEXT NOT NULL
          )""")),
      // Message ids are assigned by the application before delivery (MessageIds), so the
      // database no longer generates them; every start claims a node number from a counter of
      // its own (spec-notes/storage.md §Ids). A private message keeps its recipient's name, as it
      // keeps the sender's: history outlives a removed user.
      new Step(2, "application-assigned message ids, node number claims, recipient names", d -> {
        List<String> sql = new java.util.ArrayList<>();
        // SQLite's INTEGER PRIMARY KEY takes the id given; PostgreSQL's GENERATED ALWAYS
        // identity would refuse it.
        if (d == Dialect.POSTGRESQL) sql.add("ALTER TABLE messages ALTER COLUMN id DROP IDENTITY");
        sql.add("ALTER TABLE messages ADD COLUMN recipient_name TEXT");
        sql.add("CREATE TABLE message_id_claims (\n  " + d.generatedIdColumn() + ",\n  claimed_at BIGINT NOT NULL\n)");
        return sql;
      }));

  /** The newest schema this build knows. */
  static final int LATEST = STEPS.get(STEPS.size() - 1).version();

  private Migrations() {}

  /** Applies every pending step; {@link DatabaseOpenException} if the database is newer than this build. */
  static void apply(Database db) {
    for (Step step : STEPS) {
      db.transaction("apply schema step " + step.version(), c -> {
        db.dialect().lockForMigration(c);
        createVersionTable(c);
        int current = currentVersion(c);
        if (current > LATEST) {
          throw new DatabaseOpenException("the database " + db.url().masked() + " has schema version " + current
              + ", newer than this build knows (" + LATEST + "): run the newer Switchboard, or restore a backup", null);
        }
        if (current >= step.version()) return null;
        if (current != step.version() - 1) {
          throw new DatabaseOpenException("the database " + db.url().masked() + " is at schema version " + current
              + " and cannot take step " + step.version(), null);
        }
        try (Statement st = c.createStatement()) {
          for (String sql : step.statements().apply(db.dialect())) st.execute(sql);
        }
        try (PreparedStatement st = c.prepareStatement(
            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
          st.setInt(1, step.version());
          st.setString(2, step.description());
          st.setLong(3, System.currentTimeMillis());
          st.executeUpdate();
        }
        return null;
      });
    }
  }

  private static void createVersionTable(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_version ("
          + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    }
  }

  /** The highest applied step, 0 for an empty database. */
  static int currentVersion(Connection c) throws SQLException {
    createVersionTable(c);
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
