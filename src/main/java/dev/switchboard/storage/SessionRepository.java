package dev.switchboard.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code sessions} table: logins that survive a restart and that every node sees. Times are
 * given by the caller (its injected clock); nothing here reads a clock. Every statement is
 * parameterised.
 *
 * <pre>{@code
 * SessionRepository sessions = db.sessions();
 * sessions.create(new SessionRecord(sid, userId, now, now + ttl));
 * boolean ok = sessions.find(sid).map(s -> s.isLive(now)).orElse(false);
 * List<String> ended = sessions.revokeAllOf(userId, now);   // disconnect their sockets
 * }</pre>
 *
 * <p>Threading: thread-safe; blocking JDBC — workers and the bcrypt pool only, never an I/O thread
 * (see {@link Database}).
 */
public final class SessionRepository {
  private static final String COLUMNS = "id, user_id, created_at, expires_at, revoked_at";

  private final Database db;

  SessionRepository(Database db) {
    this.db = db;
  }

  /**
   * Stores a new session; {@link StorageException} when its id is taken or its user does not
   * exist (a removed user cannot gain a session).
   */
  public void create(SessionRecord session) {
    db.read("create a session", c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
        st.setString(1, session.id());
        st.setString(2, session.userId());
        st.setLong(3, session.createdAtMillis());
        st.setLong(4, session.expiresAtMillis());
        if (session.revokedAtMillis().isPresent()) st.setLong(5, session.revokedAtMillis().getAsLong());
        else st.setNull(5, java.sql.Types.BIGINT);
        return st.executeUpdate();
      }
    });
  }

  /** The session, revoked or expired ones included ({@link SessionRecord#isLive} tells). */
  public Optional<SessionRecord> find(String id) {
    StoredText.check("session id", id);
    return db.read("find a session", c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE id = ?")) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.<SessionRecord>empty();
        }
      }
    });
  }

  /** Every session of the user, oldest first. */
  public List<SessionRecord> listOfUser(String userId) {
    StoredText.check("user id", userId);
    return db.read("list a user's sessions", c -> {
      try (PreparedStatement st = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM sessions WHERE user_id = ? ORDER BY created_at, id")) {
        st.setString(1, userId);
        try (ResultSet rs = st.executeQuery()) {
          List<SessionRecord> out = new ArrayList<>();
          while (rs.next()) out.add(row(rs));
          return out;
        }
      }
    });
  }

  /** Moves the expiry of an unrevoked session (a token refresh); false when none. */
  public boolean extend(String id, long expiresAtMillis) {
    StoredText.check("session id", id);
    return db.update("extend a session",
        "UPDATE sessions SET expires_at = ? WHERE id = ? AND revoked_at IS NULL", expiresAtMillis, id) == 1;
  }

  /** Revokes the session at {@code nowMillis} (logout); false when it was unknown or already revoked. */
  public boolean revoke(String id, long nowMillis) {
    StoredText.check("session id", id);
    return db.update("revoke a session",
        "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", nowMillis, id) == 1;
  }

  /** Revokes every unrevoked session of the user; returns their ids (whose sockets to disconnect). */
  public List<String> revokeAllOf(String userId, long nowMillis) {
    StoredText.check("user id", userId);
    return db.read("revoke a user's sessions", c -> {
      try (PreparedStatement st = c.prepareStatement(
          "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING id")) {
        st.setLong(1, nowMillis);
        st.setString(2, userId);
        try (ResultSet rs = st.executeQuery()) {
          List<String> ids = new ArrayList<>();
          while (rs.next()) ids.add(rs.getString(1));
          return ids;
        }
      }
    });
  }

  /**
   * Deletes the sessions that can no longer be used: expired at {@code nowMillis}, or revoked.
   * Returns how many. A deleted session and a revoked one are refused alike.
   */
  public int deleteExpired(long nowMillis) {
    return db.read("delete expired sessions", c -> {
      try (PreparedStatement st = c.prepareStatement(
          "DELETE FROM sessions WHERE expires_at <= ? OR revoked_at IS NOT NULL")) {
        st.setLong(1, nowMillis);
        return st.executeUpdate();
      }
    });
  }

  private static SessionRecord row(ResultSet rs) throws SQLException {
    long revoked = rs.getLong(5);
    OptionalLong revokedAt = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(revoked);
    return new SessionRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), revokedAt);
  }
}
