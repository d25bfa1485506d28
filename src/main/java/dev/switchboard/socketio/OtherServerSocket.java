package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.adapter.SocketDetails;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A socket of another server of the cluster, as its server described it for {@code fetchSockets}
 * (Node's {@code RemoteSocket} wrapping {@code SocketDetails}): the values are a snapshot, the
 * actions go through the namespace's adapter to the socket's id-room. Immutable; any thread.
 */
final class OtherServerSocket implements RemoteSocket {
  private final Namespace namespace;
  private final String id;
  private final Handshake handshake;
  private final Set<String> rooms;
  private final Map<String, Object> data;

  OtherServerSocket(Namespace namespace, SocketDetails details) {
    this.namespace = namespace;
    this.id = details.id();
    this.handshake = Handshake.fromJson(details.handshake());
    this.rooms = details.rooms();
    this.data = plainValues(details.data());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plainValues(JsonNode data) {
    if (!data.isObject()) return Map.of();
    try {
      return Collections.unmodifiableMap(Json.MAPPER.convertValue(data, LinkedHashMap.class));
    } catch (IllegalArgumentException e) {
      return Map.of(); // nothing a tree cannot become; kept for safety against a peer's odd values
    }
  }

  private BroadcastOperator toIt() {
    return namespace.operator().to(id);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Handshake handshake() {
    return handshake;
  }

  @Override
  public Set<String> rooms() {
    return rooms;
  }

  @Override
  public Map<String, Object> data() {
    return data;
  }

  @Override
  public RemoteSocket emit(String event, Object... args) {
    toIt().emit(event, args);
    return this;
  }

  @Override
  public RemoteSocket join(String... rooms) {
    toIt().socketsJoin(rooms);
    return this;
  }

  @Override
  public RemoteSocket leave(String... rooms) {
    toIt().socketsLeave(rooms);
    return this;
  }

  @Override
  public void disconnect(boolean close) {
    toIt().disconnectSockets(close);
  }

  @Override
  public String toString() {
    return "RemoteSocket{" + namespace.name() + " " + id + "}";
  }
}
