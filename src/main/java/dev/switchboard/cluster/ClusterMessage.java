package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.util.List;
import java.util.Objects;

/**
 * One message of socket.io-adapter's {@code ClusterAdapter} (2.5), the protocol of the sharded
 * Redis adapter and of the Redis streams adapter: {@code {uid, nsp, type, data}}, where {@code uid}
 * is the sending node's id (16 hex characters from Node), {@code nsp} the namespace and {@code
 * data} depends on the type (spec-notes/cluster.md §ClusterAdapter messages). One record per shape;
 * the codecs of the two adapters ({@code cluster.redis.ShardedCodec}, {@code StreamsCodec}) turn
 * them into bytes and back, through {@link #toTree()} and {@link #fromParts}.
 *
 * <pre>{@code
 * ClusterMessage m = new ClusterMessage.Broadcast(uid, "/", packet, new WireOptions(List.of("r"), List.of(), WireFlags.NONE));
 * switch (received.type()) {
 *   case BROADCAST -> deliver((ClusterMessage.Broadcast) received);   // or BroadcastWithAck
 *   ...
 * }
 * }</pre>
 *
 * <p>Immutable, except the Jackson trees they hold (packet data, event arguments, ack values,
 * socket data): those are the decoded message's own, shared with no other message; read them,
 * and copy one before changing it (e.g. to append a recovery offset to an event's arguments).
 * Records built by Java code check only that nothing is null; the decoder checks everything
 * ({@link #fromParts}).
 */
public sealed interface ClusterMessage {
  /** The sending node's id. */
  String uid();

  /** The namespace the message is about. */
  String nsp();

  /** The type, which fixes the shape of {@link #dataTree()}. */
  ClusterMessageType type();

  /** The {@code data} field; {@link MissingNode} for the types without one (1, 2, 13). */
  JsonNode dataTree();

  /**
   * The whole message as ClusterAdapter publishes it: {@code {type, data, uid, nsp}} — in that
   * order, as {@code publishAndReturnOffset} adds uid and nsp to the {type, data} object it is
   * given. The data subtrees (packet data, arguments) are this message's own, not copies.
   */
  default ObjectNode toTree() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", type().number());
    JsonNode data = dataTree();
    if (!data.isMissingNode()) o.set("data", data);
    o.put("uid", uid());
    o.put("nsp", nsp());
    return o;
  }

  /**
   * The message of a decoded {@code {uid, nsp, type, data}} tree (any key order).
   *
   * @throws ClusterMessageException as {@link #fromParts}, or if the tree is not an object
   */
  static ClusterMessage fromTree(JsonNode tree) {
    ObjectNode o = WireFields.object(tree, "message");
    long type = WireFields.integer(o, "type", "message", Integer.MIN_VALUE, Integer.MAX_VALUE);
    ClusterMessageType t = ClusterMessageType.of(type);
    String what = t + " message";
    return fromParts(WireFields.id(o, "uid", what), WireFields.namespace(o, "nsp", what), type,
        WireFields.field(o, "data"));
  }

  /**
   * The message of type {@code type} with this {@code data} field ({@link MissingNode} when
   * absent), every field checked: ids of 1 to 256 characters, rooms as arrays of strings, a
   * broadcast packet a client could be sent ({@link WireFields#packet}), counts as non-negative
   * integers, and so on.
   *
   * @throws ClusterMessageException "unknown message type N", or what is wrong and where
   */
  static ClusterMessage fromParts(String uid, String nsp, long type, JsonNode data) {
    ClusterMessageType t = ClusterMessageType.of(type);
    String what = t + " message";
    WireFields.checkId(uid, "uid", what);
    WireFields.checkNamespace(nsp, "nsp", what);
    if (t == ClusterMessageType.INITIAL_HEARTBEAT || t == ClusterMessageType.HEARTBEAT
        || t == ClusterMessageType.ADAPTER_CLOSE) {
      return new Signal(uid, nsp, t); // any data is ignored, as ClusterAdapterWithHeartbeat ignores it
    }
    ObjectNode d = WireFields.object(data, what + ": data");
    return switch (t) {
      case BROADCAST -> {
        SocketIoPacket packet = WireFields.packet(WireFields.field(d, "packet"), what, nsp);
        WireOptions opts = WireOptions.fromTree(WireFields.field(d, "opts"), what);
        // ClusterAdapter.onMessage: "withAck = message.data.requestId !== undefined".
        yield d.has("requestId")
            ? new BroadcastWithAck(uid, nsp, WireFields.id(d, "requestId", what), packet, opts)
            : new Broadcast(uid, nsp, packet, opts);
      }
      case SOCKETS_JOIN -> new SocketsJoin(uid, nsp, WireOptions.fromTree(WireFields.field(d, "opts"), what),
          WireFields.strings(d, "rooms", what));
      case SOCKETS_LEAVE -> new SocketsLeave(uid, nsp, WireOptions.fromTree(WireFields.field(d, "opts"), what),
          WireFields.strings(d, "rooms", what));
      // ClusterMessage declares close?: boolean; the in-memory adapter reads undefined as false.
      case DISCONNECT_SOCKETS -> new DisconnectSockets(uid, nsp,
          WireOptions.fromTree(WireFields.field(d, "opts"), what), WireFields.bool(d, "close", what, false));
      case FETCH_SOCKETS -> new FetchSockets(uid, nsp, WireFields.id(d, "requestId", what),
          WireOptions.fromTree(WireFields.field(d, "opts"), what));
      case FETCH_SOCKETS_RESPONSE -> new FetchSocketsResponse(uid, nsp, WireFields.id(d, "requestId", what),
          SocketDetails.listFromTree(WireFields.array(d, "sockets", what), what));
      case SERVER_SIDE_EMIT -> {
        ArrayNode packet = eventArguments(d, what);
        yield d.has("requestId")
            ? new ServerSideEmitWithAck(uid, nsp, WireFields.id(d, "requestId", what), packet)
            : new ServerSideEmit(uid, nsp, packet);
      }
      case SERVER_SIDE_EMIT_RESPONSE -> new ServerSideEmitResponse(uid, nsp, WireFields.id(d, "requestId", what),
          WireFields.field(d, "packet"));
      case BROADCAST_CLIENT_COUNT -> new BroadcastClientCount(uid, nsp, WireFields.id(d, "requestId", what),
          WireFields.count(d, "clientCount", what));
      case BROADCAST_ACK -> new BroadcastAck(uid, nsp, WireFields.id(d, "requestId", what),
          WireFields.field(d, "packet"));
      default -> throw new AssertionError(t); // the signals returned above
    };
  }

  /**
   * A server-side event's {@code [event, ...args]}: a non-empty array whose first element is the
   * event name, a string (socket.io's {@code serverSideEmit} refuses anything else).
   */
  private static ArrayNode eventArguments(ObjectNode d, String what) {
    ArrayNode packet = WireFields.array(d, "packet", what);
    if (packet.isEmpty()) throw new ClusterMessageException(what + ": packet is empty, not [event, ...args]");
    if (!packet.get(0).isTextual()) throw WireFields.wrong(what, "packet[0]", packet.get(0), "an event name");
    return packet;
  }

  private static ObjectNode data() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * 1 INITIAL_HEARTBEAT, 2 HEARTBEAT or 13 ADAPTER_CLOSE: {@code {type, uid, nsp}}, no data. Only
   * {@code ClusterAdapterWithHeartbeat} sends them; neither Redis adapter does.
   *
   * @param uid the sending node
   * @param nsp the namespace
   * @param type one of the three
   */
  record Signal(String uid, String nsp, ClusterMessageType type) implements ClusterMessage {
    /** Checks the type is one of the three. */
    public Signal {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      if (type != ClusterMessageType.INITIAL_HEARTBEAT && type != ClusterMessageType.HEARTBEAT
          && type != ClusterMessageType.ADAPTER_CLOSE) {
        throw new IllegalArgumentException(type + " carries data: it is not a signal");
      }
    }

    @Override
    public JsonNode dataTree() {
      return MissingNode.getInstance();
    }
  }

  /**
   * 3 BROADCAST without ack: {@code {packet, opts}}. The packet's namespace is the message's (the
   * packet itself carries none on the wire: ClusterAdapter publishes it before the in-memory
   * adapter sets {@code packet.nsp}).
   *
   * @param uid the sending node
   * @param nsp the namespace
   * @param packet the event to deliver
   * @param opts who receives it, and how
   */
  record Broadcast(String uid, String nsp, SocketIoPacket packet, WireOptions opts) implements ClusterMessage {
    /** Checks that nothing is null. */
    public Broadcast {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(packet, "packet");
      Objects.requireNonNull(opts, "opts");
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.BROADCAST;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.set("packet", WireFields.packetTree(packet, false));
      d.set("opts", opts.toTree(true));
      return d;
    }
  }

  /**
   * 3 BROADCAST with ack: {@code {packet, requestId, opts}}; every node answers with a {@link
   * BroadcastClientCount}, then a {@link BroadcastAck} per client answer, to the asker.
   *
   * @param uid the sending node
   * @param nsp the namespace
   * @param requestId the asker's id for the answers
   * @param packet the event to deliver
   * @param opts who receives it, and how (flags.timeout: how long the asker waits)
   */
  record BroadcastWithAck(String uid, String nsp, String requestId, SocketIoPacket packet, WireOptions opts)
      implements ClusterMessage {
    /** Checks that nothing is null. */
    public BroadcastWithAck {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(packet, "packet");
      Objects.requireNonNull(opts, "opts");
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.BROADCAST;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.set("packet", WireFields.packetTree(packet, false));
      d.put("requestId", requestId);
      d.set("opts", opts.toTree(true));
      return d;
    }
  }

  /**
   * 4 SOCKETS_JOIN: {@code {opts, rooms}}; the selected sockets join {@code rooms}.
   *
   * @param uid the sending node
   * @param nsp the namespace
   * @param opts which sockets
   * @param rooms the rooms they join
   */
  record SocketsJoin(String uid, String nsp, WireOptions opts, List<String> rooms) implements ClusterMessage {
    /** Copies the rooms; checks that nothing is null. */
    public SocketsJoin {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(opts, "opts");
      rooms = List.copyOf(rooms);
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.SOCKETS_JOIN;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.set("opts", opts.toTree(true));
      d.set("rooms", WireFields.stringArray(rooms));
      return d;
    }
  }

  /**
   * 5 SOCKETS_LEAVE: {@code {opts, rooms}}; the selected sockets leave {@code rooms}.
   *
   * @param uid the sending node
   * @param nsp the namespace
   * @param opts which sockets
   * @param rooms the rooms they leave
   */
  record SocketsLeave(String uid, String nsp, WireOptions opts, List<String> rooms) implements ClusterMessage {
    /** Copies the rooms; checks that nothing is null. */
    public SocketsLeave {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(opts, "opts");
      rooms = List.copyOf(rooms);
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.SOCKETS_LEAVE;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.set("opts", opts.toTree(true));
      d.set("rooms", WireFields.stringArray(rooms));
      return d;
    }
  }

  /**
   * 6 DISCONNECT_SOCKETS: {@code {opts, close}}; the selected sockets are disconnected, and their
   * connections closed too when {@code close} (an absent close is read as false).
   *
   * @param uid the sending node
   * @param nsp the namespace
   * @param opts which sockets
   * @param close whether to close the underlying connection
   */
  record DisconnectSockets(String uid, String nsp, WireOptions opts, boolean close) implements ClusterMessage {
    /** Checks that nothing is null. */
    public DisconnectSockets {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(opts, "opts");
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.DISCONNECT_SOCKETS;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.set("opts", opts.toTree(true));
      d.put("close", close);
      return d;
    }
  }

  /**
   * 7 FETCH_SOCKETS: {@code {opts, requestId}}; every node answers with a {@link
   * FetchSocketsResponse}.
   *
   * @param uid the asking node
   * @param nsp the namespace
   * @param requestId the asker's id for the answers
   * @param opts which sockets
   */
  record FetchSockets(String uid, String nsp, String requestId, WireOptions opts) implements ClusterMessage {
    /** Checks that nothing is null. */
    public FetchSockets {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(opts, "opts");
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.FETCH_SOCKETS;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.set("opts", opts.toTree(true));
      d.put("requestId", requestId);
      return d;
    }
  }

  /**
   * 8 FETCH_SOCKETS_RESPONSE: {@code {requestId, sockets}}, one node's selected sockets.
   *
   * @param uid the answering node
   * @param nsp the namespace
   * @param requestId the request answered
   * @param sockets the node's sockets that match
   */
  record FetchSocketsResponse(String uid, String nsp, String requestId, List<SocketDetails> sockets)
      implements ClusterMessage {
    /** Copies the sockets; checks that nothing is null. */
    public FetchSocketsResponse {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(requestId, "requestId");
      sockets = List.copyOf(sockets);
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.FETCH_SOCKETS_RESPONSE;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.put("requestId", requestId);
      d.set("sockets", SocketDetails.listToTree(sockets));
      return d;
    }
  }

  /**
   * 9 SERVER_SIDE_EMIT without ack: {@code {packet}}, where packet is {@code [event, ...args]}.
   *
   * @param uid the sending node
   * @param nsp the namespace
   * @param packet the event name (a string) and its arguments
   */
  record ServerSideEmit(String uid, String nsp, ArrayNode packet) implements ClusterMessage {
    /** Checks that nothing is null. */
    public ServerSideEmit {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(packet, "packet");
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.SERVER_SIDE_EMIT;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.set("packet", packet);
      return d;
    }
  }

  /**
   * 9 SERVER_SIDE_EMIT with ack: {@code {requestId, packet}}; every node answers with a {@link
   * ServerSideEmitResponse}.
   *
   * @param uid the asking node
   * @param nsp the namespace
   * @param requestId the asker's id for the answers
   * @param packet the event name (a string) and its arguments
   */
  record ServerSideEmitWithAck(String uid, String nsp, String requestId, ArrayNode packet) implements ClusterMessage {
    /** Checks that nothing is null. */
    public ServerSideEmitWithAck {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(packet, "packet");
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.SERVER_SIDE_EMIT;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.put("requestId", requestId);
      d.set("packet", packet);
      return d;
    }
  }

  /**
   * 10 SERVER_SIDE_EMIT_RESPONSE: {@code {requestId, packet}}, where packet is the first argument
   * the handler acknowledged with ({@link MissingNode} when it gave none).
   *
   * @param uid the answering node
   * @param nsp the namespace
   * @param requestId the request answered
   * @param packet the answer
   */
  record ServerSideEmitResponse(String uid, String nsp, String requestId, JsonNode packet) implements ClusterMessage {
    /** Checks that nothing is null. */
    public ServerSideEmitResponse {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(packet, "packet");
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.SERVER_SIDE_EMIT_RESPONSE;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.put("requestId", requestId);
      d.set("packet", packet);
      return d;
    }
  }

  /**
   * 11 BROADCAST_CLIENT_COUNT: {@code {requestId, clientCount}}, how many clients one node sent a
   * broadcast with ack to.
   *
   * @param uid the answering node
   * @param nsp the namespace
   * @param requestId the broadcast answered
   * @param clientCount how many acks to expect from that node
   */
  record BroadcastClientCount(String uid, String nsp, String requestId, long clientCount) implements ClusterMessage {
    /** Checks that nothing is null and the count is not negative. */
    public BroadcastClientCount {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(requestId, "requestId");
      if (clientCount < 0) throw new IllegalArgumentException("clientCount must not be negative: " + clientCount);
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.BROADCAST_CLIENT_COUNT;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.put("requestId", requestId);
      d.put("clientCount", clientCount);
      return d;
    }
  }

  /**
   * 12 BROADCAST_ACK: {@code {requestId, packet}}, one client's answer (its first argument;
   * {@link MissingNode} when it gave none).
   *
   * @param uid the answering node
   * @param nsp the namespace
   * @param requestId the broadcast answered
   * @param packet the client's answer
   */
  record BroadcastAck(String uid, String nsp, String requestId, JsonNode packet) implements ClusterMessage {
    /** Checks that nothing is null. */
    public BroadcastAck {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(packet, "packet");
    }

    @Override
    public ClusterMessageType type() {
      return ClusterMessageType.BROADCAST_ACK;
    }

    @Override
    public JsonNode dataTree() {
      ObjectNode d = data();
      d.put("requestId", requestId);
      d.set("packet", packet);
      return d;
    }
  }
}
