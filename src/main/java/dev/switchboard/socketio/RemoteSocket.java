package dev.switchboard.socketio;

import java.util.Map;
import java.util.Set;

/**
 * A socket as {@code fetchSockets()} returns it, wherever it is connected (Node's
 * {@code RemoteSocket}): its id, handshake, rooms and data, and the actions that work across a
 * cluster. A socket of this server is returned as the {@link Socket} itself (as Node returns its
 * live socket); a socket of another server is a snapshot of what that server sent, whose actions
 * go through the adapter — an emit is a broadcast to the socket's id-room, {@code join}/{@code
 * leave}/{@code disconnect} are {@code socketsJoin}/{@code socketsLeave}/{@code disconnectSockets}
 * on it — so they reach it on whichever server it lives.
 *
 * <pre>{@code
 * io.in("room1").fetchSockets().thenAccept(sockets -> {
 *   for (RemoteSocket s : sockets) {
 *     if ("admin".equals(s.data().get("role"))) s.join("admins");
 *     else s.emit("welcome", s.handshake().address());
 *   }
 * });
 * }</pre>
 *
 * <p>Threading: any thread. For another server's socket, {@link #rooms()} and {@link #data()} are
 * what they were when it answered (Node's too); the actions are applied there asynchronously.
 */
public interface RemoteSocket {
  /** The socket id (also the name of its own room). */
  String id();

  /** What the client presented when it connected (Node's {@code socket.handshake}). */
  Handshake handshake();

  /** The rooms the socket is in, its own id-room included. */
  Set<String> rooms();

  /**
   * The application's data (Node's {@code socket.data}): for a socket of another server, the JSON
   * it sent as plain values (strings, numbers, booleans, lists, maps), read-only; empty when that
   * server's data was not a JSON object (a Node server may set anything).
   */
  Map<String, Object> data();

  /** Sends an event to this socket's client, wherever it is connected. */
  RemoteSocket emit(String event, Object... args);

  /** Has the socket join {@code rooms}, wherever it is connected. */
  RemoteSocket join(String... rooms);

  /** Has the socket leave {@code rooms}, wherever it is connected. */
  RemoteSocket leave(String... rooms);

  /**
   * Disconnects the socket from its namespace (its client sees "io server disconnect"); with
   * {@code close}, its whole connection too. Wherever it is connected.
   */
  void disconnect(boolean close);

  /** {@code disconnect(false)}. */
  default void disconnect() {
    disconnect(false);
  }
}
