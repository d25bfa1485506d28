package dev.switchboard.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the nodes of a cluster tell each other who is connected to them, so that presence is
 * cluster-wide (spec-notes/chat.md, "Presence across nodes"): the chat tells its directory of this
 * node's users (a user's first and last connection <em>on this node</em>), and the directory tells
 * the chat's {@link View} what the other nodes have.
 *
 * <p>{@link #LOCAL}, the default, has no other nodes: one node, or no Redis. The Redis one is
 * {@link RedisPresenceDirectory}, loaded only when {@code REDIS_URL} is set.
 *
 * <p>Threading: {@link #userOnline} and {@link #userOffline} are called under the chat's presence
 * lock (from sockets' executors), so they must only queue work, never block or call back.
 */
public interface PresenceDirectory {
  /** No other nodes. */
  PresenceDirectory LOCAL = new PresenceDirectory() {
    @Override
    public void start(View view) { }

    @Override
    public void userOnline(String userId, String username) { }

    @Override
    public void userOffline(String userId) { }

    @Override
    public void close() { }
  };

  /**
   * The chat's side: what other nodes have. Thread-safe; each call may emit presence events to
   * this node's sockets (which only queues packets).
   */
  interface View {
    /** {@code userId} connected to {@code node} (its first connection there). */
    void remoteOnline(String node, String userId, String username);

    /** {@code userId}'s last connection to {@code node} is gone. */
    void remoteOffline(String node, String userId);

    /**
     * The other nodes as Redis has them: {@code liveNodes} are alive (the others are gone: their
     * users leave unless connected elsewhere), and each node in {@code replaced} has exactly those
     * users (id → name); a live node not in {@code replaced} keeps what this view has.
     */
    void reconcile(Set<String> liveNodes, Map<String, Map<String, String>> replaced);

    /** This node's users, id → name, for rewriting this node's entry. */
    Map<String, String> localUsers();

    /** The other nodes' users right now, for tests: node → user ids. */
    Map<String, List<String>> remoteUsers();
  }

  /** Starts telling {@code view} about the other nodes. Called once, before clients connect. */
  void start(View view);

  /** This node has its first connection of {@code userId}. */
  void userOnline(String userId, String username);

  /** This node's last connection of {@code userId} is gone. */
  void userOffline(String userId);

  /** Leaves the cluster: the other nodes drop this node's users at once. */
  void close();
}
