package dev.switchboard.socketio;

import java.util.List;
import java.util.Set;

/**
 * Sockets an {@code emitWithAck} waited for disconnected before answering, so their answers can
 * never come. A socket's own {@code emitWithAck} fails with it when the socket disconnects; a
 * broadcast's fails with it once every target has either answered or disconnected and at least
 * one disconnected — without it, a broadcast with no timeout would wait for ever. It carries the
 * answers that did arrive and the ids of the sockets that disconnected; see {@link AckException}.
 */
public final class AckDisconnectedException extends AckException {
  /** {@code responses}: the answers that arrived; {@code disconnected}: who left without answering. */
  AckDisconnectedException(List<Args> responses, Set<String> disconnected) {
    super(disconnected.size() == 1 ? "socket has been disconnected"
        : disconnected.size() + " sockets have been disconnected", responses, disconnected, disconnected.size());
  }
}
