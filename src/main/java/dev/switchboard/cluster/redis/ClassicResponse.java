package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.SocketDetails;
import dev.switchboard.cluster.WireFields;
import java.util.List;
import java.util.Objects;

/**
 * An answer of the classic {@code @socket.io/redis-adapter} 8.3, published on {@link
 * ClassicChannels#response()} (or the asker's own {@link ClassicChannels#response(String)} with
 * {@code publishOnSpecificResponseChannel}): JSON, except {@link BroadcastAck}, which is notepack.
 * An answer carries no uid and, for most shapes, no type: the asker knows what it asked by the
 * request id (lib/index.ts 493–609), so {@link ClassicCodec#decodeResponse} is given that.
 *
 * <p>Immutable, except the Jackson trees they hold (ack values, socket data): the decoded
 * message's own; read them, copy one before changing it.
 */
public sealed interface ClassicResponse {
  /** The request answered. */
  String requestId();

  /** The answer as Node writes it, keys in Node's order. */
  ObjectNode toTree();

  private static ObjectNode start(String requestId) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("requestId", requestId);
    return o;
  }

  private static ObjectNode start(ClassicRequestType type, String requestId) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", type.number());
    o.put("requestId", requestId);
    return o;
  }

  /**
   * The answer to {@link ClassicRequest.Sockets}: {@code {requestId, sockets: [ids]}}.
   *
   * @param requestId the request answered
   * @param sockets the ids of the node's sockets in the rooms asked for
   */
  record Sockets(String requestId, List<String> sockets) implements ClassicResponse {
    /** Copies the ids; checks that nothing is null. */
    public Sockets {
      Objects.requireNonNull(requestId, "requestId");
      sockets = List.copyOf(sockets);
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(requestId);
      o.set("sockets", WireFields.stringArray(sockets));
      return o;
    }
  }

  /**
   * The answer to {@link ClassicRequest.AllRooms}: {@code {requestId, rooms}}, every room of the
   * node (socket-id rooms included, as Node's {@code rooms.keys()}).
   *
   * @param requestId the request answered
   * @param rooms the node's rooms
   */
  record AllRooms(String requestId, List<String> rooms) implements ClassicResponse {
    /** Copies the rooms; checks that nothing is null. */
    public AllRooms {
      Objects.requireNonNull(requestId, "requestId");
      rooms = List.copyOf(rooms);
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(requestId);
      o.set("rooms", WireFields.stringArray(rooms));
      return o;
    }
  }

  /**
   * The answer to a legacy join, leave or disconnect by socket id: {@code {requestId}}, done.
   *
   * @param requestId the request answered
   */
  record Done(String requestId) implements ClassicResponse {
    /** Checks that nothing is null. */
    public Done {
      Objects.requireNonNull(requestId, "requestId");
    }

    @Override
    public ObjectNode toTree() {
      return start(requestId);
    }
  }

  /**
   * The answer to {@link ClassicRequest.RemoteFetch}: {@code {requestId, sockets: [{id, handshake,
   * rooms, data}]}}.
   *
   * @param requestId the request answered
   * @param sockets the node's sockets that match
   */
  record FetchSockets(String requestId, List<SocketDetails> sockets) implements ClassicResponse {
    /** Copies the sockets; checks that nothing is null. */
    public FetchSockets {
      Objects.requireNonNull(requestId, "requestId");
      sockets = List.copyOf(sockets);
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(requestId);
      o.set("sockets", SocketDetails.listToTree(sockets));
      return o;
    }
  }

  /**
   * The answer to {@link ClassicRequest.ServerSideEmitWithAck}: {@code {type: 6, requestId,
   * data}}, data being the first argument of the handler's ack ({@link MissingNode}, left out,
   * when it gave none). Always on the shared response channel (lib/index.ts 415–422).
   *
   * @param requestId the request answered
   * @param data the answer
   */
  record ServerSideEmit(String requestId, JsonNode data) implements ClassicResponse {
    /** Checks that nothing is null. */
    public ServerSideEmit {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(ClassicRequestType.SERVER_SIDE_EMIT, requestId);
      o.set("data", data);
      return o;
    }
  }

  /**
   * The first answer to {@link ClassicRequest.BroadcastWithAck}: {@code {type: 8, requestId,
   * clientCount}}, how many clients the node sent it to.
   *
   * @param requestId the broadcast answered
   * @param clientCount how many acks to expect from that node
   */
  record BroadcastClientCount(String requestId, long clientCount) implements ClassicResponse {
    /** Checks that nothing is null and the count is not negative. */
    public BroadcastClientCount {
      Objects.requireNonNull(requestId, "requestId");
      if (clientCount < 0) throw new IllegalArgumentException("clientCount must not be negative: " + clientCount);
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(ClassicRequestType.BROADCAST_CLIENT_COUNT, requestId);
      o.put("clientCount", clientCount);
      return o;
    }
  }

  /**
   * A client's answer to {@link ClassicRequest.BroadcastWithAck}, notepack: {@code {type: 9,
   * requestId, packet}}, packet being the client's first ack argument ({@link MissingNode}, left
   * out, when it gave none).
   *
   * @param requestId the broadcast answered
   * @param packet the client's answer
   */
  record BroadcastAck(String requestId, JsonNode packet) implements ClassicResponse {
    /** Checks that nothing is null. */
    public BroadcastAck {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(packet, "packet");
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(ClassicRequestType.BROADCAST_ACK, requestId);
      o.set("packet", packet);
      return o;
    }
  }
}
