package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One socket of another node, as a {@code fetchSockets} answer carries it: {@code {id, handshake,
 * rooms, data}} (socket.io-adapter's ClusterAdapter and the classic Redis adapter build it the
 * same way, from {@code socket.id}, {@code socket.handshake} without its sessionStore, {@code
 * [...socket.rooms]} and {@code socket.data}). Immutable but for the trees, which are the decoded
 * ones: read them, do not change them.
 *
 * <pre>{@code
 * SocketDetails s = answer.sockets().get(0);
 * s.id();                         // "68bImaAe7J0xqIO2AAAC"
 * s.rooms();                      // [68bImaAe7J0xqIO2AAAC, room1, room2]
 * s.handshake().auth();           // {"name":"b1"}
 * s.data();                       // {"level":3}, MissingNode when the socket's data was undefined
 * }</pre>
 *
 * @param id the socket id (its own room is among {@code rooms})
 * @param handshake what the client presented when it connected
 * @param rooms the rooms the socket is in, its own id first as Node lists them
 * @param data the application's {@code socket.data}; {@link MissingNode} for undefined
 */
public record SocketDetails(String id, WireHandshake handshake, List<String> rooms, JsonNode data) {
  /** Copies the rooms; checks that nothing is null. */
  public SocketDetails {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(handshake, "handshake");
    rooms = List.copyOf(rooms);
    Objects.requireNonNull(data, "data");
  }

  /**
   * A socket of this node as a {@code fetchSockets} answer carries it: its own room first, then
   * the others, as Node lists {@code [...socket.rooms]} (a socket joins its own room first, and a
   * JS Set iterates in insertion order). Every adapter answers through this, so Node callers see
   * the same shape from any Switchboard node.
   *
   * @throws ClusterMessageException if the socket's handshake cannot travel
   */
  public static SocketDetails ofLocal(dev.switchboard.socketio.adapter.SocketDetails local) {
    String id = local.id();
    List<String> rooms = new ArrayList<>(local.rooms().size());
    if (local.rooms().contains(id)) rooms.add(id);
    for (String r : local.rooms()) if (!r.equals(id)) rooms.add(r);
    return new SocketDetails(id, WireHandshake.fromTree(local.handshake(), "socket " + id), rooms, local.data());
  }

  /**
   * The sockets of a decoded {@code sockets} array.
   *
   * @throws ClusterMessageException if an element is not such a socket
   */
  public static List<SocketDetails> listFromTree(ArrayNode sockets, String what) {
    int n = sockets.size();
    SocketDetails[] out = new SocketDetails[n];
    for (int i = 0; i < n; i++) out[i] = fromTree(sockets.get(i), what + ": sockets[" + i + "]");
    return List.of(out);
  }

  /**
   * One decoded socket.
   *
   * @throws ClusterMessageException if a field is missing or of the wrong type
   */
  public static SocketDetails fromTree(JsonNode node, String what) {
    ObjectNode s = WireFields.object(node, what);
    return new SocketDetails(WireFields.id(s, "id", what), WireHandshake.fromTree(WireFields.field(s, "handshake"), what),
        WireFields.strings(s, "rooms", what), WireFields.field(s, "data"));
  }

  /** {@code {id, handshake, rooms, data}}; {@code data} left out when it is undefined. */
  public ObjectNode toTree() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", id);
    o.set("handshake", handshake.toTree());
    o.set("rooms", WireFields.stringArray(rooms));
    o.set("data", data); // a MissingNode is left out by every encoder (or nil in @msgpack/msgpack)
    return o;
  }

  /** The array of a {@code sockets} field. */
  public static ArrayNode listToTree(List<SocketDetails> sockets) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode(sockets.size());
    for (SocketDetails s : sockets) a.add(s.toTree());
    return a;
  }
}
