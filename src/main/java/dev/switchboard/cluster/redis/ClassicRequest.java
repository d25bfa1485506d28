package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.WireFields;
import dev.switchboard.cluster.WireOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.util.List;
import java.util.Objects;

/**
 * A request of the classic {@code @socket.io/redis-adapter} 8.3, published on {@link
 * ClassicChannels#request()} (lib/index.ts 244–471, 690–891): JSON for every type but {@link
 * BroadcastWithAck}, which is notepack. One record per shape; {@link #toTree()} gives the fields
 * in the order Node writes them. {@link ClassicCodec} turns them into bytes and back.
 *
 * <p>Immutable, except the Jackson trees they hold (event arguments, packet data): the decoded
 * message's own; read them, copy one before changing it.
 */
public sealed interface ClassicRequest {
  /** The asking node's id. */
  String uid();

  /** The request type, which fixes the shape. */
  ClassicRequestType type();

  /** The request as Node writes it, keys in Node's order. */
  ObjectNode toTree();

  private static ObjectNode start(String uid, String requestId, ClassicRequestType type) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("uid", uid);
    if (requestId != null) o.put("requestId", requestId);
    o.put("type", type.number());
    return o;
  }

  /**
   * 0 SOCKETS: {@code {uid, requestId, type, rooms}}, answered with {@link ClassicResponse.Sockets}.
   * 8.3 answers it but never sends it (its {@code sockets()} is local only).
   *
   * @param uid the asking node
   * @param requestId the asker's id for the answers
   * @param rooms the rooms whose members are wanted (all sockets when empty)
   */
  record Sockets(String uid, String requestId, List<String> rooms) implements ClassicRequest {
    /** Copies the rooms; checks that nothing is null. */
    public Sockets {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(requestId, "requestId");
      rooms = List.copyOf(rooms);
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.SOCKETS;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, requestId, type());
      o.set("rooms", WireFields.stringArray(rooms));
      return o;
    }
  }

  /**
   * 1 ALL_ROOMS: {@code {uid, requestId, type}}, answered with {@link ClassicResponse.AllRooms}.
   *
   * @param uid the asking node
   * @param requestId the asker's id for the answers
   */
  record AllRooms(String uid, String requestId) implements ClassicRequest {
    /** Checks that nothing is null. */
    public AllRooms {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(requestId, "requestId");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.ALL_ROOMS;
    }

    @Override
    public ObjectNode toTree() {
      return start(uid, requestId, type());
    }
  }

  /**
   * 2 REMOTE_JOIN: {@code {uid, type, opts: {rooms, except}, rooms}}; no answer.
   *
   * @param uid the asking node
   * @param opts which sockets (flags are not sent)
   * @param rooms the rooms they join
   */
  record RemoteJoin(String uid, WireOptions opts, List<String> rooms) implements ClassicRequest {
    /** Copies the rooms; checks that nothing is null. */
    public RemoteJoin {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(opts, "opts");
      rooms = List.copyOf(rooms);
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.REMOTE_JOIN;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, null, type());
      o.set("opts", opts.toTree(false));
      o.set("rooms", WireFields.stringArray(rooms));
      return o;
    }
  }

  /**
   * 3 REMOTE_LEAVE: {@code {uid, type, opts: {rooms, except}, rooms}}; no answer.
   *
   * @param uid the asking node
   * @param opts which sockets (flags are not sent)
   * @param rooms the rooms they leave
   */
  record RemoteLeave(String uid, WireOptions opts, List<String> rooms) implements ClassicRequest {
    /** Copies the rooms; checks that nothing is null. */
    public RemoteLeave {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(opts, "opts");
      rooms = List.copyOf(rooms);
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.REMOTE_LEAVE;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, null, type());
      o.set("opts", opts.toTree(false));
      o.set("rooms", WireFields.stringArray(rooms));
      return o;
    }
  }

  /**
   * 4 REMOTE_DISCONNECT: {@code {uid, type, opts: {rooms, except}, close}}; no answer.
   *
   * @param uid the asking node
   * @param opts which sockets (flags are not sent)
   * @param close whether to close the underlying connections
   */
  record RemoteDisconnect(String uid, WireOptions opts, boolean close) implements ClassicRequest {
    /** Checks that nothing is null. */
    public RemoteDisconnect {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(opts, "opts");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.REMOTE_DISCONNECT;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, null, type());
      o.set("opts", opts.toTree(false));
      o.put("close", close);
      return o;
    }
  }

  /**
   * 2 REMOTE_JOIN as 7.x sent it: {@code {uid, requestId, type, sid, room}}; 8.3 still answers it
   * with {@link ClassicResponse.Done} when the socket is its own.
   *
   * @param uid the asking node
   * @param requestId the asker's id for the answer
   * @param sid the socket
   * @param room the room it joins
   */
  record LegacyRemoteJoin(String uid, String requestId, String sid, String room) implements ClassicRequest {
    /** Checks that nothing is null. */
    public LegacyRemoteJoin {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(sid, "sid");
      Objects.requireNonNull(room, "room");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.REMOTE_JOIN;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, requestId, type());
      o.put("sid", sid);
      o.put("room", room);
      return o;
    }
  }

  /**
   * 3 REMOTE_LEAVE as 7.x sent it: {@code {uid, requestId, type, sid, room}}; answered with {@link
   * ClassicResponse.Done} by the socket's node.
   *
   * @param uid the asking node
   * @param requestId the asker's id for the answer
   * @param sid the socket
   * @param room the room it leaves
   */
  record LegacyRemoteLeave(String uid, String requestId, String sid, String room) implements ClassicRequest {
    /** Checks that nothing is null. */
    public LegacyRemoteLeave {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(sid, "sid");
      Objects.requireNonNull(room, "room");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.REMOTE_LEAVE;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, requestId, type());
      o.put("sid", sid);
      o.put("room", room);
      return o;
    }
  }

  /**
   * 4 REMOTE_DISCONNECT as 7.x sent it: {@code {uid, requestId, type, sid, close}}; answered with
   * {@link ClassicResponse.Done} by the socket's node.
   *
   * @param uid the asking node
   * @param requestId the asker's id for the answer
   * @param sid the socket
   * @param close whether to close its connection (absent: false)
   */
  record LegacyRemoteDisconnect(String uid, String requestId, String sid, boolean close) implements ClassicRequest {
    /** Checks that nothing is null. */
    public LegacyRemoteDisconnect {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(sid, "sid");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.REMOTE_DISCONNECT;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, requestId, type());
      o.put("sid", sid);
      o.put("close", close);
      return o;
    }
  }

  /**
   * 5 REMOTE_FETCH: {@code {uid, requestId, type, opts: {rooms, except}}}, answered with {@link
   * ClassicResponse.FetchSockets}.
   *
   * @param uid the asking node
   * @param requestId the asker's id for the answers
   * @param opts which sockets (flags are not sent)
   */
  record RemoteFetch(String uid, String requestId, WireOptions opts) implements ClassicRequest {
    /** Checks that nothing is null. */
    public RemoteFetch {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(opts, "opts");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.REMOTE_FETCH;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, requestId, type());
      o.set("opts", opts.toTree(false));
      return o;
    }
  }

  /**
   * 6 SERVER_SIDE_EMIT without ack: {@code {uid, type, data}}, data being {@code [event, ...args]}.
   * JSON, so binary arguments travel as {@code {"type":"Buffer","data":[…]}} objects.
   *
   * @param uid the sending node
   * @param data the event name (a string) and its arguments
   */
  record ServerSideEmit(String uid, ArrayNode data) implements ClassicRequest {
    /** Checks that nothing is null. */
    public ServerSideEmit {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.SERVER_SIDE_EMIT;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, null, type());
      o.set("data", data);
      return o;
    }
  }

  /**
   * 6 SERVER_SIDE_EMIT with ack: {@code {uid, requestId, type, data}}, answered with {@link
   * ClassicResponse.ServerSideEmit} on the shared response channel.
   *
   * @param uid the asking node
   * @param requestId the asker's id for the answers
   * @param data the event name (a string) and its arguments
   */
  record ServerSideEmitWithAck(String uid, String requestId, ArrayNode data) implements ClassicRequest {
    /** Checks that nothing is null. */
    public ServerSideEmitWithAck {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.SERVER_SIDE_EMIT;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, requestId, type());
      o.set("data", data);
      return o;
    }
  }

  /**
   * 7 BROADCAST (with ack), notepack: {@code {uid, requestId, type, packet, opts: {rooms, except,
   * flags}}}, answered with one {@link ClassicResponse.BroadcastClientCount} and then a {@link
   * ClassicResponse.BroadcastAck} per client answer.
   *
   * @param uid the asking node
   * @param requestId the asker's id for the answers
   * @param packet the event (its namespace is the packet's {@code nsp})
   * @param opts who receives it, and how (flags.timeout: how long the asker waits)
   */
  record BroadcastWithAck(String uid, String requestId, SocketIoPacket packet, WireOptions opts)
      implements ClassicRequest {
    /** Checks that nothing is null. */
    public BroadcastWithAck {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(packet, "packet");
      Objects.requireNonNull(opts, "opts");
    }

    @Override
    public ClassicRequestType type() {
      return ClassicRequestType.BROADCAST;
    }

    @Override
    public ObjectNode toTree() {
      ObjectNode o = start(uid, requestId, type());
      o.set("packet", WireFields.packetTree(packet, true));
      o.set("opts", opts.toTree(true));
      return o;
    }
  }
}
