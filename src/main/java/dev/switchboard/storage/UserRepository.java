package dev.switchboard.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code users} table. Every statement is parameterised.
 *
 * <pre>{@code
 * UserRepository users = db.users();
 * if (!users.add(new UserRecord(id, "Alice", "alice", hash, now))) refuse("Username is already taken");
 * Optional<UserRecord> alice = users.findByCanonicalName("alice");
 * }</pre>
 *
 * <p>Threading: thread-safe; blocking JDBC — workers and the bcrypt pool only, never an I/O thread
 * (see {@link Database}).
 */
public final class UserRepository {
  private static final String COLUMNS = "id, username, canonical_name, password_hash, created_at, disabled_at";

  private final Database db;

  UserRepository(Database db) {
    this.db = db;
  }

  /** Adds {@code user}; false (and nothing stored) when its id or canonical name is taken. */
  public boolean add(UserRecord user) {
    return db.read("add a user", c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT DO NOTHING")) {
        bind(st, user);
        return st.executeUpdate() == 1;
      }
    });
  }

  static void bind(PreparedStatement st, UserRecord user) throws SQLException {
    st.setString(1, user.id());
    st.setString(2, user.username());
    st.setString(3, user.canonicalName());
    st.setString(4, user.passwordHash());
    st.setLong(5, user.createdAtMillis());
    if (user.disabledAtMillis().isPresent()) st.setLong(6, user.disabledAtMillis().getAsLong());
    else st.setNull(6, java.sql.Types.BIGINT);
  }

  /** The user whose canonical name is {@code canonicalName}. */
  public Optional<UserRecord> findByCanonicalName(String canonicalName) {
    StoredText.check("canonical username", canonicalName);
    return findOne("find a user", "SELECT " + COLUMNS + " FROM users WHERE canonical_name = ?", canonicalName);
  }

  /** The user with id {@code id}. */
  public Optional<UserRecord> findById(String id) {
    StoredText.check("user id", id);
    return findOne("find a user", "SELECT " + COLUMNS + " FROM users WHERE id = ?", id);
  }

  private Optional<UserRecord> findOne(String what, String sql, String key) {
    return db.read(what, c -> {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setString(1, key);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.<UserRecord>empty();
        }
      }
    });
  }

  /** Every user, in sign-up order (creation time, then id). */
  public List<UserRecord> list() {
    return db.read("list users", c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY created_at, id");
          ResultSet rs = st.executeQuery()) {
        List<UserRecord> out = new ArrayList<>();
        while (rs.next()) out.add(row(rs));
        return out;
      }
    });
  }

  /** How many users there are. */
  public int count() {
    return db.read("count users", c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM users");
          ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  /**
   * Removes the user with that canonical name, and with it every session of theirs (their
   * messages stay, under the name they had); false when there was none.
   */
  public boolean removeByCanonicalName(String canonicalName) {
    StoredText.check("canonical username", canonicalName);
    return db.update("remove a user",
        "DELETE FROM users WHERE canonical_name = ?", canonicalName) == 1;
  }

  /** Disables the user at {@code nowMillis} (kept, but may not log in); false when no such enabled user. */
  public boolean disable(String id, long nowMillis) {
    StoredText.check("user id", id);
    return db.update("disable a user",
        "UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL", nowMillis, id) == 1;
  }

  /** Enables a disabled user again; false when no such disabled user. */
  public boolean enable(String id) {
    StoredText.check("user id", id);
    return db.update("enable a user",
        "UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL", id) == 1;
  }

  private static UserRecord row(ResultSet rs) throws SQLException {
    long disabled = rs.getLong(6);
    OptionalLong disabledAt = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(disabled);
    return new UserRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), disabledAt);
  }
}
