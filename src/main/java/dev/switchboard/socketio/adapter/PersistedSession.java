package dev.switchboard.socketio.adapter;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The state of a socket that disconnected for a recoverable reason, kept by the adapter so that
 * its client can take it back (connection state recovery; Node's {@code SessionToPersist}): the
 * socket id, the private session id ({@code pid}) the client presents when it reconnects, the
 * rooms it was in (its own id-room included) and its application {@code data}.
 *
 * <p>Immutable: the sets and maps are copied. {@code data}'s values are the application's (any
 * value Jackson can write, for an adapter that keeps sessions elsewhere).
 */
public record PersistedSession(String id, String pid, Set<String> rooms, Map<String, Object> data) {
  /** Copies the rooms and the data. */
  public PersistedSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pid, "pid");
    rooms = Set.copyOf(rooms);
    data = Map.copyOf(data);
  }

  /**
   * Whether a broadcast with these options would have reached this socket: it was in one of the
   * rooms (or the broadcast went to everyone) and in none of the excluded ones (Node's
   * {@code shouldIncludePacket}). What a restore uses to pick the packets the client missed.
   */
  public boolean isReachedBy(BroadcastOptions options) {
    boolean included = options.rooms().isEmpty();
    for (String r : options.rooms()) {
      if (rooms.contains(r)) {
        included = true;
        break;
      }
    }
    if (!included) return false;
    for (String r : options.except()) if (rooms.contains(r)) return false;
    return true;
  }
}
