package dev.switchboard.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The database: a pool of JDBC connections to SQLite or PostgreSQL, its schema brought up to date
 * at {@link #open}, and the repositories on top of it. One code path for both databases; what
 * differs is in {@link Dialect}.
 *
 * <pre>{@code
 * try (Database db = Database.open(DatabaseUrl.sqlite(dataDir.resolve("switchboard.db")))) {
 *   db.users().add(new UserRecord(id, "Alice", "alice", bcryptHash, now, OptionalLong.empty()));
 *   MessageIds ids = db.messages().claimIds(System::currentTimeMillis, now);
 *   db.messages().append(new StoredMessage(ids.next(), Conversation.room("general"), id, "Alice", "hi", now));
 *   List<StoredMessage> page = db.messages().latest(Conversation.room("general"), 50);
 * }
 * }</pre>
 *
 * <p>Faults: {@link #open} throws {@link DatabaseOpenException} (URL masked) when the database
 * cannot be reached or its schema is too new. Later, any call throws {@link
 * DatabaseUnavailableException} when the database is lost, and works again once it is back: the
 * pool drops broken connections and validates idle ones before handing them out.
 *
 * <p>Threading: thread-safe. Every method blocks on JDBC (network or disk), for up to the
 * {@link DatabaseOptions#connectionTimeout} when the database is away: call it from a worker or
 * the bcrypt pool, never from an I/O thread or a session's serial executor (spec-notes/threading.md).
 * The pool runs its own housekeeping thread ({@code switchboard-db housekeeper}).
 */
public final class Database implements AutoCloseable {
  /** Kept so the level set below stays set (java.util.logging holds loggers weakly). */
  private static final Logger HIKARI_LOG = Logger.getLogger("com.zaxxer.hikari");

  static {
    // HikariCP announces every pool start and shutdown at INFO, and logs a stack trace at WARNING
    // for every pooled connection a database restart breaks (ten, for one outage). The caller
    // hears of an outage through DatabaseUnavailableException and reports it once; the pool's own
    // errors still show.
    if (HIKARI_LOG.getLevel() == null) HIKARI_LOG.setLevel(Level.SEVERE);
  }

  private final DatabaseUrl url;
  private final HikariDataSource pool;
  private final UserRepository users;
  private final SessionRepository sessions;
  private final MessageRepository messages;

  private Database(DatabaseUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
    this.users = new UserRepository(this);
    this.sessions = new SessionRepository(this);
    this.messages = new MessageRepository(this);
  }

  /** {@link #open(DatabaseUrl, DatabaseOptions)} with {@link DatabaseOptions#DEFAULTS}. */
  public static Database open(DatabaseUrl url) {
    return open(url, DatabaseOptions.DEFAULTS);
  }

  /**
   * Connects, checks that the database answers, applies the pending {@link Migrations}, and
   * returns the open database; or {@link DatabaseOpenException} with a one-sentence reason.
   */
  public static Database open(DatabaseUrl url, DatabaseOptions options) {
    Properties properties = driverProperties(url, options);
    if (url.dialect() == Dialect.SQLITE) prepareFile(url);
    probe(url, properties);
    HikariConfig config = new HikariConfig();
    config.setPoolName("switchboard-db");
    config.setJdbcUrl(url.jdbcUrl());
    config.setDataSourceProperties(properties);
    // SQLite: one connection. The file has one writer at a time anyway; one connection means our
    // own threads queue in the pool instead of meeting SQLITE_BUSY, and no read transaction of
    // ours can block a write of ours (spec-notes/storage.md §Pool).
    int size = url.dialect() == Dialect.SQLITE ? 1 : options.maxConnections();
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(size, 2));
    long timeout = options.connectionTimeout().toMillis();
    config.setConnectionTimeout(timeout);
    config.setValidationTimeout(Math.max(250, Math.min(timeout - 1, 1000)));
    // The probe above has reported an unreachable database in our words; the pool must not fail
    // (and log a stack trace) on its own first attempt.
    config.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(config);
    Database db = new Database(url, pool);
    try {
      Migrations.apply(db);
    } catch (DatabaseOpenException e) {
      pool.close();
      throw e;
    } catch (StorageException e) {
      pool.close();
      throw new DatabaseOpenException("cannot prepare the database " + url.masked() + ": " + e.getMessage(), e);
    }
    return db;
  }

  private static Properties driverProperties(DatabaseUrl url, DatabaseOptions options) {
    Properties p = new Properties();
    long seconds = Math.max(1, (options.connectionTimeout().toMillis() + 999) / 1000);
    if (url.dialect() == Dialect.SQLITE) {
      // WAL: readers (another process's `user list`) never wait for the writer. IMMEDIATE: a
      // transaction takes the write lock at BEGIN, so two processes never deadlock upgrading
      // read locks. busy_timeout: how long a writer waits for another process's write lock.
      p.setProperty("journal_mode", "WAL");
      p.setProperty("synchronous", "NORMAL");
      p.setProperty("foreign_keys", "true");
      p.setProperty("transaction_mode", "IMMEDIATE");
      p.setProperty("busy_timeout", Long.toString(Math.max(1000, options.connectionTimeout().toMillis())));
    } else {
      if (url.user() != null) p.setProperty("user", url.user());
      if (url.password() != null) p.setProperty("password", url.password());
      p.setProperty("connectTimeout", Long.toString(seconds));
      p.setProperty("loginTimeout", Long.toString(seconds));
      p.setProperty("tcpKeepAlive", "true");
      p.setProperty("ApplicationName", "switchboard");
    }
    return p;
  }

  /** The SQLite file and its directory, created owner-only: the file holds password hashes. */
  private static void prepareFile(DatabaseUrl url) {
    Path file = url.file();
    try {
      Path dir = file.getParent();
      if (dir != null && !Files.isDirectory(dir)) Files.createDirectories(dir, ownerOnly("rwx------"));
      if (!Files.exists(file)) {
        try {
          Files.createFile(file, ownerOnly("rw-------"));
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // Another process on the same DATA_DIR (deploy/cluster.sh starts three) created it
          // between our check and our create: the file is there, which is all this wanted.
        }
      }
    } catch (IOException e) {
      throw new DatabaseOpenException("cannot create the database file " + url.masked() + ": " + e, e);
    }
  }

  private static FileAttribute<?>[] ownerOnly(String permissions) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
  }

  /** One connection straight from the driver, and one query that reads the database. */
  private static void probe(DatabaseUrl url, Properties properties) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), properties);
        Statement st = c.createStatement()) {
      st.executeQuery(url.dialect() == Dialect.SQLITE ? "SELECT count(*) FROM sqlite_master" : "SELECT 1").close();
    } catch (SQLException e) {
      throw new DatabaseOpenException("cannot open the database " + url.masked() + ": " + url.scrub(e.getMessage()), e);
    }
  }

  /** Which database this is. */
  public DatabaseUrl url() {
    return url;
  }

  /** SQLite or PostgreSQL. */
  public Dialect dialect() {
    return url.dialect();
  }

  /** The users table. */
  public UserRepository users() {
    return users;
  }

  /** The sessions table. */
  public SessionRepository sessions() {
    return sessions;
  }

  /** The messages table: room and private history. */
  public MessageRepository messages() {
    return messages;
  }

  /** The schema version the database is at (the highest applied {@link Migrations} step). */
  public int schemaVersion() {
    return read("read the schema version", Migrations::currentVersion);
  }

  /** Closes the pool; idempotent. Calls made afterwards fail with {@link StorageException}. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "Database{" + url.masked() + "}";
  }

  /** A unit of JDBC work on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode: for single statements. */
  <T> T read(String what, Work<T> work) {
    try (Connection c = connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs one parameterised statement that changes rows, in auto-commit mode, and returns how many
   * it changed. {@code params} are bound in order: {@code String}, {@code Long} or {@code Integer}
   * (both drivers bind these with {@code setObject} as their own types).
   */
  int update(String what, String sql, Object... params) {
    return read(what, c -> {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) st.setObject(i + 1, params[i]);
        return st.executeUpdate();
      }
    });
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws
   * (then rethrown, mapped: {@link DatabaseUnavailableException} or {@link StorageException}).
   */
  <T> T transaction(String what, Work<T> work) {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        restoreAutoCommit(c);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private Connection connection() throws SQLException {
    if (pool.isClosed()) throw new StorageException("the database " + url.masked() + " is closed");
    return pool.getConnection();
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool evicts it, and the database discards the transaction.
    }
  }

  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // As above: a broken connection, evicted by the pool.
    }
  }

  /** The exception a caller sees for {@code e}: unavailable or not, message masked. */
  StorageException failure(String what, SQLException e) {
    String reason = url.scrub(e.getMessage());
    if (url.dialect().isUnavailable(e)) {
      return new DatabaseUnavailableException("the database " + url.masked() + " is unavailable (" + what + "): " + reason, e);
    }
    return new StorageException("cannot " + what + " in " + url.masked() + ": " + reason, e);
  }
}
