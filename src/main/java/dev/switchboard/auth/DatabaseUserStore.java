package dev.switchboard.auth;

import dev.switchboard.storage.Database;
import dev.switchboard.storage.UserRecord;
import dev.switchboard.storage.UserRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users in the database's {@code users} table ({@link UserRepository}): SQLite in the data
 * directory by default, PostgreSQL when {@code DATABASE_URL} is set (spec-notes/storage.md).
 *
 * <pre>{@code
 * UserStore users = new DatabaseUserStore(db);
 * users.add(new User(id, "Alice", bcryptHash, now));   // NAME_TAKEN when "alice" exists
 * }</pre>
 *
 * <p>A taken name is {@link UserStore#NAME_TAKEN}, decided by the table's unique key (two nodes
 * signing up the same name at once: one wins); the user limit ({@link FileUserStore#MAX_USERS})
 * is a count checked before the insert. A disabled user is not found (may not log in).
 *
 * <p>The users found by id are kept in memory (id → user), so that the handshake's "does this
 * token's user still exist" check ({@link #findCachedById}) needs no query. An entry goes when
 * this process removes the user; a removal by another process (`user remove`) is seen by the
 * chat server's 10-second sweep, which asks {@link #ids()} and revokes the orphaned sessions.
 *
 * <p>Threading: thread-safe. Every method but {@link #findCachedById} blocks on JDBC: call it from
 * a worker, the bcrypt pool or the command line, never an I/O thread or a session's serial executor.
 */
public final class DatabaseUserStore implements UserStore {
  private final UserRepository users;
  /** User id → user, for the ones found or added here. Never holds a removed user of ours. */
  private final ConcurrentHashMap<String, User> byId = new ConcurrentHashMap<>();

  public DatabaseUserStore(Database db) {
    this.users = db.users();
  }

  @Override
  public Optional<User> findByName(String canonicalName) {
    return users.findByCanonicalName(canonicalName).filter(r -> !r.disabled()).map(this::remember);
  }

  @Override
  public Optional<User> findById(String id) {
    return users.findById(id).filter(r -> !r.disabled()).map(this::remember);
  }

  /** The user if this store has seen it (no query); empty means "ask {@link #findById}". */
  @Override
  public Optional<User> findCachedById(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public boolean answersFromMemory() {
    return false;
  }

  @Override
  public void add(User user) {
    if (users.count() >= FileUserStore.MAX_USERS) throw new IllegalStateException("The user limit has been reached");
    UserRecord r = new UserRecord(user.id(), user.username(), user.canonicalName(), user.passwordHash(),
        user.createdAtMillis());
    if (!users.add(r)) throw new IllegalStateException(NAME_TAKEN);
    byId.put(user.id(), user);
  }

  /** Removes the user; the database deletes its sessions with it ({@code ON DELETE CASCADE}). */
  @Override
  public boolean remove(String canonicalName) {
    Optional<UserRecord> r = users.findByCanonicalName(canonicalName);
    boolean removed = users.removeByCanonicalName(canonicalName);
    r.ifPresent(u -> byId.remove(u.id()));
    return removed;
  }

  @Override
  public List<User> list() {
    List<User> out = new ArrayList<>();
    for (UserRecord r : users.list()) out.add(user(r));
    return out;
  }

  @Override
  public int count() {
    return users.count();
  }

  /** The ids of every user the table has now (the sweep's check for removed users). */
  public Set<String> ids() {
    Set<String> ids = new java.util.HashSet<>();
    for (UserRecord r : users.list()) if (!r.disabled()) ids.add(r.id());
    byId.keySet().retainAll(ids);
    return ids;
  }

  private User remember(UserRecord r) {
    User u = user(r);
    byId.put(u.id(), u);
    return u;
  }

  private static User user(UserRecord r) {
    return new User(r.id(), r.username(), r.passwordHash(), r.createdAtMillis());
  }

  @Override
  public String toString() {
    return "DatabaseUserStore";
  }
}
