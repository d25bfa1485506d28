package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Objects;

/**
 * A session an adapter gave back for a reconnecting client ({@link Adapter#restoreSession}; Node's
 * {@code Session}): the persisted state, and the events the client missed since its offset, in
 * the order they were emitted, each as the EVENT's data ({@code [name, ...args, offset]}, its own
 * offset last) for the server to send before anything else.
 */
public record RestoredSession(PersistedSession session, List<ArrayNode> missedPackets) {
  /** Copies the list (the arrays themselves are the adapter's, not to be changed). */
  public RestoredSession {
    Objects.requireNonNull(session, "session");
    missedPackets = List.copyOf(missedPackets);
  }
}
