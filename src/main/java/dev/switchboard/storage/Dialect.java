package dev.switchboard.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * What differs between SQLite and PostgreSQL, all of it, so that every query of the repositories
 * is one SQL text for both (spec-notes/storage.md §Dialects). Both speak {@code INSERT … ON
 * CONFLICT DO NOTHING}, {@code RETURNING}, window functions and {@code LIMIT ?}; what is left is
 * the generated message id, how a migration excludes a concurrent one, and which errors mean that
 * the database is gone rather than that the statement is wrong. Stateless; any thread.
 */
public enum Dialect {
  /** The embedded default: one file, one writer at a time. */
  SQLITE {
    @Override
    String generatedIdColumn() {
      // AUTOINCREMENT: never reuses an id, even one whose row retention deleted (without it,
      // SQLite takes max(rowid)+1, and an emptied conversation would hand out old ids again).
      return "id INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    void lockForMigration(Connection c) {
      // Nothing to do: transactions begin IMMEDIATE (Database's connection settings), which takes
      // the file's write lock at BEGIN, so a second process waits (busy_timeout) and then sees
      // the version the first one wrote.
    }

    @Override
    boolean isUnavailable(SQLException e) {
      // SQLITE_BUSY (5) and SQLITE_LOCKED (6) once busy_timeout has run out (another process
      // holds the write lock), SQLITE_CANTOPEN (14): the file went away or cannot be reopened.
      int code = e.getErrorCode() & 0xff;
      return code == 5 || code == 6 || code == 14 || isPoolTimeout(e);
    }
  },

  /** A server shared by several nodes. */
  POSTGRESQL {
    @Override
    String generatedIdColumn() {
      // An identity column draws from a sequence: unique across every node and restart, never
      // rolled back, so never reused.
      return "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    }

    @Override
    void lockForMigration(Connection c) throws SQLException {
      // A transaction-scoped advisory lock: two nodes starting together migrate one after the
      // other, and the second finds the work done.
      try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        st.setLong(1, MIGRATION_LOCK_KEY);
        st.execute();
      }
    }

    @Override
    boolean isUnavailable(SQLException e) {
      // SQLSTATE class 08: connection exceptions; 57P01-57P03: the server is shutting down,
      // crashed or not yet accepting connections (PostgreSQL manual, Appendix A).
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException s) {
          String state = s.getSQLState();
          if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) return true;
        }
      }
      return isPoolTimeout(e);
    }
  };

  /** "sbmigr" in ASCII: the advisory lock that migrations and the users-file import hold. */
  static final long MIGRATION_LOCK_KEY = 0x73_62_6d_69_67_72L;

  /**
   * The column definition of a database-generated, never-reused 64-bit id: schema v1's message
   * ids, and the node-number counter of {@link MessageIds} claims.
   */
  abstract String generatedIdColumn();

  /** Makes the current transaction exclusive against other migrations and imports, until it ends. */
  abstract void lockForMigration(Connection c) throws SQLException;

  /**
   * Whether {@code e} means the database cannot be reached now (→ {@link
   * DatabaseUnavailableException}), as opposed to a statement that failed on its own.
   */
  abstract boolean isUnavailable(SQLException e);

  /** The pool gave no connection in time, or the driver says the connection is broken. */
  static boolean isPoolTimeout(SQLException e) {
    return e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException
        || e instanceof SQLRecoverableException;
  }
}
