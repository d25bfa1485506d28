package dev.switchboard.chat;

import dev.switchboard.auth.Principal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who is online: live connections counted per user id (chat.md §Server → client: a user joins
 * with their first connection and leaves with their last).
 *
 * <p>Threading: every method may be called from any thread (each socket's executor calls it).
 * The listener and the snapshot sink run <em>under this object's lock</em>, unlike the usual
 * "callbacks outside locks" rule: they only enqueue packets (an emit never blocks and never calls
 * back in here), and holding the lock is what makes every client see the presence changes, and
 * its own snapshot, in the order they happened. Otherwise a user-left for a first connection could
 * overtake the user-joined of the second and leave a user shown offline while online.
 */
final class Presence {
  /** Hears about a user's first and last connection; called under the presence lock. */
  interface Listener {
    void firstConnection(OnlineUser user);

    void lastConnectionGone(OnlineUser user);
  }

  private static final Comparator<OnlineUser> ORDER =
      Comparator.comparing(OnlineUser::username).thenComparing(OnlineUser::userId);

  private final Listener listener;
  /** Guarded by this. */
  private final Map<String, Entry> users = new HashMap<>();

  private static final class Entry {
    final OnlineUser user;
    int connections;

    Entry(OnlineUser user) {
      this.user = user;
    }
  }

  Presence(Listener listener) {
    this.listener = listener;
  }

  /**
   * Counts a new connection of {@code principal}'s user. {@code snapshotSink} receives the users
   * online afterwards (this one included); then, for the user's first connection, the listener
   * hears of it.
   */
  synchronized void connect(Principal principal, Consumer<List<OnlineUser>> snapshotSink) {
    Entry e = users.computeIfAbsent(principal.userId(),
        id -> new Entry(new OnlineUser(id, principal.username())));
    e.connections++;
    snapshotSink.accept(snapshotLocked());
    if (e.connections == 1) listener.firstConnection(e.user);
  }

  /** Counts a connection gone; the listener hears when it was the user's last. */
  synchronized void disconnect(Principal principal) {
    Entry e = users.get(principal.userId());
    if (e == null) return;
    if (--e.connections > 0) return;
    users.remove(principal.userId());
    listener.lastConnectionGone(e.user);
  }

  /** The users online, by username then user id. */
  synchronized List<OnlineUser> users() {
    return snapshotLocked();
  }

  /** The online user {@code userId}, or null. */
  synchronized OnlineUser find(String userId) {
    Entry e = users.get(userId);
    return e == null ? null : e.user;
  }

  /** Distinct users online. */
  synchronized int size() {
    return users.size();
  }

  /** Live connections of {@code userId} (0 when offline). */
  synchronized int connections(String userId) {
    Entry e = users.get(userId);
    return e == null ? 0 : e.connections;
  }

  private List<OnlineUser> snapshotLocked() {
    assert Thread.holdsLock(this);
    List<OnlineUser> out = new ArrayList<>(users.size());
    for (Entry e : users.values()) out.add(e.user);
    out.sort(ORDER);
    return out;
  }
}
