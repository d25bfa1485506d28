package dev.switchboard.chat;

import dev.switchboard.auth.Principal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who is online: live connections counted per user id on this node, plus the users the other
 * nodes of a cluster report through the {@link PresenceDirectory} (chat.md §Server → client: a
 * user joins with their first connection anywhere and leaves with their last).
 *
 * <p>Threading: every method may be called from any thread (each socket's executor, the
 * directory's executor). The listener, the snapshot sink and the directory's
 * {@code userOnline}/{@code userOffline} run <em>under this object's lock</em>, unlike the usual
 * "callbacks outside locks" rule: they only enqueue packets or tasks (an emit never blocks and
 * never calls back in here), and holding the lock is what makes every client see the presence
 * changes, and its own snapshot, in the order they happened. Otherwise a user-left for a first
 * connection could overtake the user-joined of the second and leave a user shown offline while
 * online.
 */
final class Presence implements PresenceDirectory.View {
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
  /** Other node → the user ids it reports. Guarded by this. */
  private final Map<String, Set<String>> byNode = new HashMap<>();
  private volatile PresenceDirectory directory = PresenceDirectory.LOCAL;

  private static final class Entry {
    final OnlineUser user;
    /** Connections on this node. */
    int connections;
    /** Other nodes reporting the user. */
    int nodes;

    Entry(OnlineUser user) {
      this.user = user;
    }

    boolean online() {
      return connections > 0 || nodes > 0;
    }
  }

  Presence(Listener listener) {
    this.listener = listener;
  }

  /** Tells {@code directory} of this node's users from now on (before clients connect). */
  void shareThrough(PresenceDirectory directory) {
    this.directory = directory;
  }

  /**
   * Counts a new connection of {@code principal}'s user. {@code snapshotSink} receives the users
   * online afterwards (this one included); then, for the user's first connection anywhere, the
   * listener hears of it.
   */
  synchronized void connect(Principal principal, Consumer<List<OnlineUser>> snapshotSink) {
    Entry e = users.computeIfAbsent(principal.userId(),
        id -> new Entry(new OnlineUser(id, principal.username())));
    boolean wasOnline = e.online();
    e.connections++;
    if (e.connections == 1) directory.userOnline(e.user.userId(), e.user.username());
    snapshotSink.accept(snapshotLocked());
    if (!wasOnline) listener.firstConnection(e.user);
  }

  /** Counts a connection gone; the listener hears when it was the user's last anywhere. */
  synchronized void disconnect(Principal principal) {
    Entry e = users.get(principal.userId());
    if (e == null || e.connections == 0) return;
    if (--e.connections > 0) return;
    directory.userOffline(e.user.userId());
    leaveIfOfflineLocked(e);
  }

  // ------------------------------------------------------------------ other nodes (PresenceDirectory.View)

  @Override
  public synchronized void remoteOnline(String node, String userId, String username) {
    if (!byNode.computeIfAbsent(node, k -> new HashSet<>()).add(userId)) return;
    Entry e = users.computeIfAbsent(userId, id -> new Entry(new OnlineUser(id, username)));
    boolean wasOnline = e.online();
    e.nodes++;
    if (!wasOnline) listener.firstConnection(e.user);
  }

  @Override
  public synchronized void remoteOffline(String node, String userId) {
    Set<String> of = byNode.get(node);
    if (of == null || !of.remove(userId)) return;
    if (of.isEmpty()) byNode.remove(node);
    Entry e = users.get(userId);
    if (e == null) return;
    e.nodes--;
    leaveIfOfflineLocked(e);
  }

  @Override
  public synchronized void reconcile(Set<String> liveNodes, Map<String, Map<String, String>> replaced) {
    for (String node : List.copyOf(byNode.keySet())) {
      if (liveNodes.contains(node) && !replaced.containsKey(node)) continue;
      Map<String, String> now = replaced.getOrDefault(node, Map.of());
      for (String userId : List.copyOf(byNode.getOrDefault(node, Set.of()))) {
        if (!now.containsKey(userId)) remoteOffline(node, userId);
      }
    }
    for (Map.Entry<String, Map<String, String>> n : replaced.entrySet()) {
      for (Map.Entry<String, String> u : n.getValue().entrySet()) remoteOnline(n.getKey(), u.getKey(), u.getValue());
    }
  }

  @Override
  public synchronized Map<String, String> localUsers() {
    Map<String, String> out = new HashMap<>();
    for (Entry e : users.values()) if (e.connections > 0) out.put(e.user.userId(), e.user.username());
    return out;
  }

  @Override
  public synchronized Map<String, List<String>> remoteUsers() {
    Map<String, List<String>> out = new HashMap<>();
    for (Map.Entry<String, Set<String>> n : byNode.entrySet()) out.put(n.getKey(), List.copyOf(n.getValue()));
    return out;
  }

  private void leaveIfOfflineLocked(Entry e) {
    assert Thread.holdsLock(this);
    if (e.online()) return;
    users.remove(e.user.userId());
    listener.lastConnectionGone(e.user);
  }

  // ------------------------------------------------------------------ queries

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

  /** Live connections of {@code userId} on this node (0 when none here). */
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
