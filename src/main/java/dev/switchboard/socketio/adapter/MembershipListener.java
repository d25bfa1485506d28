package dev.switchboard.socketio.adapter;

/**
 * Told when a socket of this node joins or leaves a room (socket.io-adapter's {@code join-room}
 * and {@code leave-room} events): what a monitoring tool such as the Admin UI
 * ({@code dev.switchboard.admin}) follows. Set on an {@link InMemoryAdapter} — or a cluster
 * adapter built on it — with {@link InMemoryAdapter#membershipListener}.
 *
 * <p>Threading: called with the adapter's monitor held, in the order membership changes, on
 * whatever thread changed it; an implementation must be quick, must not block and must not call
 * back into an adapter (hand the work to an executor of its own).
 */
public interface MembershipListener {
  /** {@code socketId} became a member of {@code room} (it was not before). */
  void joined(String room, String socketId);

  /** {@code socketId} is no longer a member of {@code room} (it was before). */
  void left(String room, String socketId);
}
