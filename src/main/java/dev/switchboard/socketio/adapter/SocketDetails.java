package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/**
 * One socket as {@link Adapter#fetchSockets} reports it, on this node or another: its id, its
 * handshake and its {@code data} as JSON — the shape Node's servers send each other
 * (socket.io-adapter {@code FETCH_SOCKETS_RESPONSE}: {@code {id, handshake, rooms, data}}, the
 * handshake with {@code headers}, {@code time}, {@code address}, {@code xdomain}, {@code secure},
 * {@code issued}, {@code url}, {@code query}, {@code auth}) — and the rooms it is in, its own
 * id-room included.
 *
 * <p>A socket of this node is reported by {@link AdapterNamespace#details}, whose JSON is only
 * built when asked for (the server hands the application its live socket instead); a socket of
 * another node is a {@link #of snapshot} of what that node sent.
 */
public interface SocketDetails {
  /** The socket id. */
  String id();

  /** The handshake, as Node's {@code socket.handshake} serialises to JSON. */
  JsonNode handshake();

  /** The rooms the socket is in, its own id-room included. */
  Set<String> rooms();

  /** The application's {@code socket.data}, as JSON (an object for a Switchboard socket). */
  JsonNode data();

  /** Details received from another node (not copied: the caller hands over trees it no longer changes). */
  static SocketDetails of(String id, JsonNode handshake, Set<String> rooms, JsonNode data) {
    return new Snapshot(id, handshake, rooms, data);
  }

  /** Details as another node sent them. */
  record Snapshot(String id, JsonNode handshake, Set<String> rooms, JsonNode data) implements SocketDetails {
    /** Copies the rooms. */
    public Snapshot {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(handshake, "handshake");
      Objects.requireNonNull(data, "data");
      rooms = Set.copyOf(rooms);
    }
  }
}
