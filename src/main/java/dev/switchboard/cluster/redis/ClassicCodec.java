package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterJson;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.NotepackCodec;
import dev.switchboard.cluster.SocketDetails;
import dev.switchboard.cluster.WireFields;
import dev.switchboard.cluster.WireOptions;
import java.util.Objects;
import java.util.function.Function;

/**
 * The messages of the classic {@code @socket.io/redis-adapter} 8.3 between bytes and records:
 * broadcasts ({@link ClassicBroadcast}, always notepack), requests ({@link ClassicRequest}) and
 * answers ({@link ClassicResponse}), JSON but for the broadcast with ack and the client acks,
 * which are notepack. Decoding tells the two apart as Node does, by the first byte: <code>&#123;</code>
 * (0x7b) is JSON, anything else notepack (lib/index.ts 255–265, 496–506; a notepack map never
 * starts with 0x7b, which is the fixint 123). Pure and thread-safe.
 *
 * <pre>{@code
 * ClassicCodec codec = new ClassicCodec();
 * link.publish(channels.broadcastChannel(opts.rooms()), codec.encode(new ClassicBroadcast(uid, packet, opts)));
 *
 * // on a message of the pattern subscription
 * ClassicBroadcast b = codec.decodeBroadcast(bytes);     // ClusterMessageException: drop and count
 * ClassicRequest r = codec.decodeRequest(bytes);         // on the request channel
 * ClassicResponse a = codec.decodeResponse(bytes, pending::typeOf);  // on a response channel
 * }</pre>
 *
 * <p>Every field is checked (spec-notes/cluster.md §What decoding checks): a message from another
 * node that is not one of these shapes fails with a {@link ClusterMessageException} saying which
 * message and which field — never a ClassCastException or a NullPointerException — and so does a
 * MessagePack or JSON error, a limit of the underlying codecs, an unknown request type ({@code
 * "unknown request type 12"}) and an answer to no pending request.
 */
public final class ClassicCodec {
  private static final byte JSON_FIRST_BYTE = '{';

  private final NotepackCodec notepack;
  private final ClusterJson json;

  /** The codec with {@link NotepackCodec}'s default limits. */
  public ClassicCodec() {
    this(new NotepackCodec());
  }

  /** The codec with {@code notepack}'s limits, for MessagePack and JSON alike. */
  public ClassicCodec(NotepackCodec notepack) {
    if (notepack.dialect() != NotepackCodec.Dialect.NOTEPACK) {
      throw new IllegalArgumentException("the classic adapter speaks notepack.io, not " + notepack.dialect());
    }
    this.notepack = notepack;
    this.json = ClusterJson.withLimitsOf(notepack);
  }

  /** Whether {@code message} is JSON by the adapter's rule: it starts with <code>&#123;</code>. */
  public static boolean isJson(byte[] message) {
    return message.length > 0 && message[0] == JSON_FIRST_BYTE;
  }

  private JsonNode parse(byte[] message) {
    if (message.length == 0) throw new ClusterMessageException("empty message");
    return isJson(message) ? json.decode(message) : notepack.decode(message);
  }

  // ------------------------------------------------------------------------------------- broadcast

  /** The notepack bytes of {@code [uid, packet, opts]}, packet with its {@code nsp}. */
  public byte[] encode(ClassicBroadcast broadcast) {
    ArrayNode tuple = JsonNodeFactory.instance.arrayNode(3);
    tuple.add(broadcast.uid());
    tuple.add(WireFields.packetTree(broadcast.packet(), true));
    tuple.add(broadcast.opts().toTree(true));
    return notepack.encode(tuple);
  }

  /**
   * The broadcast in a message of a broadcast channel: notepack {@code [uid, packet, opts]}, where
   * the packet is an event ({@link WireFields#packet}, namespace "/" when absent as lib/index.ts
   * 220–222 reads it) and opts {@link WireOptions#fromTree} reads.
   *
   * @throws ClusterMessageException if it is anything else
   */
  public ClassicBroadcast decodeBroadcast(byte[] message) {
    if (message.length == 0) throw new ClusterMessageException("empty message");
    JsonNode tree = notepack.decode(message);
    String what = "broadcast";
    if (!tree.isArray() || tree.size() != 3) {
      throw new ClusterMessageException(what + " is " + (tree.isArray() ? "an array of " + tree.size() + " elements"
          : WireFields.describe(tree)) + ", not [uid, packet, opts]");
    }
    JsonNode uid = tree.get(0);
    if (!uid.isTextual()) throw WireFields.wrong(what, "uid", uid, "a string");
    return new ClassicBroadcast(WireFields.checkId(uid.textValue(), "uid", what),
        WireFields.packet(tree.get(1), what, "/"), WireOptions.fromTree(tree.get(2), what));
  }

  // -------------------------------------------------------------------------------------- requests

  /** The bytes Node publishes for {@code request}: JSON, or notepack for a broadcast with ack. */
  public byte[] encode(ClassicRequest request) {
    ObjectNode tree = request.toTree();
    return request.type() == ClassicRequestType.BROADCAST ? notepack.encode(tree) : json.encode(tree);
  }

  /**
   * The request in a message of the request channel (JSON or notepack, whatever its type, as Node
   * accepts both).
   *
   * @throws ClusterMessageException "unknown request type N" for types other than 0 to 7, or what
   *     is wrong and where
   */
  public ClassicRequest decodeRequest(byte[] message) {
    ObjectNode r = WireFields.object(parse(message), "request");
    ClassicRequestType type = ClassicRequestType.of(WireFields.integer(r, "type", "request", Integer.MIN_VALUE,
        Integer.MAX_VALUE));
    String what = type + " request";
    String uid = WireFields.id(r, "uid", what);
    return switch (type) {
      case SOCKETS -> new ClassicRequest.Sockets(uid, WireFields.id(r, "requestId", what),
          WireFields.stringsOrEmpty(r, "rooms", what));
      case ALL_ROOMS -> new ClassicRequest.AllRooms(uid, WireFields.id(r, "requestId", what));
      case REMOTE_JOIN, REMOTE_LEAVE, REMOTE_DISCONNECT -> remoteOperation(r, type, uid, what);
      case REMOTE_FETCH -> new ClassicRequest.RemoteFetch(uid, WireFields.id(r, "requestId", what),
          WireOptions.fromTree(WireFields.field(r, "opts"), what));
      case SERVER_SIDE_EMIT -> {
        ArrayNode data = WireFields.array(r, "data", what);
        if (data.isEmpty()) throw new ClusterMessageException(what + ": data is empty, not [event, ...args]");
        if (!data.get(0).isTextual()) throw WireFields.wrong(what, "data[0]", data.get(0), "an event name");
        // lib/index.ts 402: "withAck = request.requestId !== undefined".
        yield r.has("requestId")
            ? new ClassicRequest.ServerSideEmitWithAck(uid, WireFields.id(r, "requestId", what), data)
            : new ClassicRequest.ServerSideEmit(uid, data);
      }
      case BROADCAST -> new ClassicRequest.BroadcastWithAck(uid, WireFields.id(r, "requestId", what),
          WireFields.packet(WireFields.field(r, "packet"), what, "/"), WireOptions.fromTree(WireFields.field(r, "opts"), what));
      // 8 and 9 are answers; on the request channel they mean nothing (lib/index.ts 469–470).
      case BROADCAST_CLIENT_COUNT, BROADCAST_ACK -> throw new ClusterMessageException("unknown request type "
          + type.number());
    };
  }

  /**
   * REMOTE_JOIN / LEAVE / DISCONNECT: with {@code opts} the 8.x form, without it the 7.x form by
   * socket id (lib/index.ts 300–367: {@code if (request.opts)}).
   */
  private static ClassicRequest remoteOperation(ObjectNode r, ClassicRequestType type, String uid, String what) {
    if (!WireFields.absent(r, "opts")) {
      WireOptions opts = WireOptions.fromTree(WireFields.field(r, "opts"), what);
      return switch (type) {
        case REMOTE_JOIN -> new ClassicRequest.RemoteJoin(uid, opts, WireFields.strings(r, "rooms", what));
        case REMOTE_LEAVE -> new ClassicRequest.RemoteLeave(uid, opts, WireFields.strings(r, "rooms", what));
        default -> new ClassicRequest.RemoteDisconnect(uid, opts, WireFields.bool(r, "close", what, false));
      };
    }
    String requestId = WireFields.id(r, "requestId", what);
    String sid = WireFields.id(r, "sid", what);
    return switch (type) {
      case REMOTE_JOIN -> new ClassicRequest.LegacyRemoteJoin(uid, requestId, sid, WireFields.string(r, "room", what));
      case REMOTE_LEAVE -> new ClassicRequest.LegacyRemoteLeave(uid, requestId, sid, WireFields.string(r, "room", what));
      default -> new ClassicRequest.LegacyRemoteDisconnect(uid, requestId, sid, WireFields.bool(r, "close", what, false));
    };
  }

  // ------------------------------------------------------------------------------------- responses

  /** The bytes Node publishes for {@code response}: JSON, or notepack for a client's ack. */
  public byte[] encode(ClassicResponse response) {
    ObjectNode tree = response.toTree();
    return response instanceof ClassicResponse.BroadcastAck ? notepack.encode(tree) : json.encode(tree);
  }

  /**
   * The answer in a message of a response channel. Its shape depends on what was asked, which
   * only the asker knows: {@code pendingRequests} gives the type of the request still waiting
   * under a request id, or null when none is (lib/index.ts 508–609 looks its maps up the same
   * way). A SERVER_SIDE_EMIT answer's {@code data} and a client ack's {@code packet} may be any
   * value; a BROADCAST is answered by type 8 (client count) or 9 (ack).
   *
   * @throws ClusterMessageException if no request waits under the id ("answer to no pending
   *     request"), or the answer does not have the shape of one to that request
   * @throws IllegalArgumentException if {@code pendingRequests} names an answer type (8 or 9)
   */
  public ClassicResponse decodeResponse(byte[] message, Function<String, ClassicRequestType> pendingRequests) {
    Objects.requireNonNull(pendingRequests, "pendingRequests");
    ObjectNode r = WireFields.object(parse(message), "response");
    String requestId = WireFields.id(r, "requestId", "response");
    ClassicRequestType asked = pendingRequests.apply(requestId);
    if (asked == null) throw new ClusterMessageException("answer to no pending request");
    String what = asked + " response";
    return switch (asked) {
      case SOCKETS -> new ClassicResponse.Sockets(requestId, WireFields.strings(r, "sockets", what));
      case ALL_ROOMS -> new ClassicResponse.AllRooms(requestId, WireFields.strings(r, "rooms", what));
      case REMOTE_JOIN, REMOTE_LEAVE, REMOTE_DISCONNECT -> new ClassicResponse.Done(requestId);
      case REMOTE_FETCH -> new ClassicResponse.FetchSockets(requestId,
          SocketDetails.listFromTree(WireFields.array(r, "sockets", what), what));
      case SERVER_SIDE_EMIT -> new ClassicResponse.ServerSideEmit(requestId, WireFields.field(r, "data"));
      case BROADCAST -> {
        long type = WireFields.integer(r, "type", what, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (type == ClassicRequestType.BROADCAST_CLIENT_COUNT.number()) {
          yield new ClassicResponse.BroadcastClientCount(requestId, WireFields.count(r, "clientCount", what));
        }
        if (type == ClassicRequestType.BROADCAST_ACK.number()) {
          yield new ClassicResponse.BroadcastAck(requestId, WireFields.field(r, "packet"));
        }
        throw new ClusterMessageException(what + ": type " + type + " is not 8 (client count) or 9 (ack)");
      }
      case BROADCAST_CLIENT_COUNT, BROADCAST_ACK -> throw new IllegalArgumentException(
          "no request is of type " + asked + ": it is an answer");
    };
  }
}
