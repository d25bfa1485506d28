package dev.switchboard.socketio.adapter;

import java.util.Set;

/**
 * Who receives a broadcast: members of any of {@code rooms} (every socket of the namespace when
 * empty), minus members of any of {@code except}.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {
  /** Copies the room sets, so the options stay immutable. */
  public BroadcastOptions {
    rooms = Set.copyOf(rooms);
    except = Set.copyOf(except);
  }

  /** Every socket of the namespace, plain flags. */
  public static BroadcastOptions all() {
    return new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE);
  }
}
