package dev.switchboard.auth;

import java.util.List;
import java.util.Optional;

/**
 * Where users live: {@link DatabaseUserStore} (the server's, SQLite or PostgreSQL) or
 * {@link FileUserStore} (the old {@code users.json}, kept for tests and embedders). Names are
 * looked up by {@link Usernames#canonical} form.
 *
 * <p>Threading: implementations are thread-safe; calls may block on I/O, so the server makes
 * them from the bcrypt pool or a worker, never from an I/O thread.
 */
public interface UserStore {
  /** The message of the IllegalStateException {@link #add} throws for a taken name. */
  String NAME_TAKEN = "Username is already taken";

  Optional<User> findByName(String canonicalName);

  Optional<User> findById(String id);

  /** Adds a user; IllegalStateException({@link #NAME_TAKEN}) when the name (canonically) is taken. */
  void add(User user);

  /** Removes the user with that name; false when there was none. */
  boolean remove(String canonicalName);

  /** Every user, in sign-up order. */
  List<User> list();

  int count();

  /**
   * The user with that id if the store can tell without I/O (the handshake's check runs on a
   * session's executor); empty when it cannot, and then {@link #findById} must be asked from a
   * worker. Stores that hold their users in memory answer like {@link #findById}.
   */
  default Optional<User> findCachedById(String id) {
    return findById(id);
  }

  /** True when {@link #findCachedById} is the whole answer (empty means "no such user"). */
  default boolean answersFromMemory() {
    return true;
  }
}
