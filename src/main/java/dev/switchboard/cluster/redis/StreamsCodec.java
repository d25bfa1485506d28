package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.cluster.ClusterJson;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.ClusterMessageType;
import dev.switchboard.cluster.NotepackCodec;
import dev.switchboard.cluster.WireFields;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messages of {@code @socket.io/redis-streams-adapter} 0.3.1 between bytes and {@link
 * ClusterMessage}s, and its persisted sessions (lib/adapter.ts 261–414, 424–505). Its MessagePack
 * is {@code @msgpack/msgpack} 2.8 ({@link NotepackCodec.Dialect#MSGPACK_JS}), not notepack.
 *
 * <ul>
 *   <li><b>Lasting messages</b> ({@link #isEphemeral} false: broadcasts without ack, SOCKETS_JOIN,
 *       SOCKETS_LEAVE, DISCONNECT_SOCKETS) are stream entries: {@code XADD <stream> MAXLEN ~ <maxLen>
 *       * uid <uid> nsp <nsp> type <type in decimal> data <data>} ({@link #encodeEntry}), where
 *       {@code data} is {@code JSON.stringify(data)}, or — when the type may carry binary and the
 *       data holds some, and the adapter's {@code onlyPlaintext} is off — the base64 of its
 *       MessagePack. Signals (types 1, 2, 13) have no {@code data} field.
 *   <li><b>Ephemeral messages</b> (broadcasts with ack, FETCH_SOCKETS, SERVER_SIDE_EMIT) and all
 *       answers are the MessagePack of the whole {@code {type, data, uid, nsp}} on the pub/sub
 *       channels of {@link StreamsNames} ({@link #encodePubSub}).
 *   <li><b>Sessions</b> ({@link PersistedSession}) are the base64 of their MessagePack.
 * </ul>
 *
 * <pre>{@code
 * StreamsCodec codec = new StreamsCodec();
 * if (StreamsCodec.isEphemeral(m)) link.publish(names.publicChannel(nsp), codec.encodePubSub(m));
 * else link.xadd(names.streamFor(nsp), maxLen, codec.encodeEntry(m));
 * ClusterMessage fromStream = codec.decodeEntry(entry.fields());     // offset: entry.id()
 * }</pre>
 *
 * <p>Pure and thread-safe. Every decoding checks every field ({@link ClusterMessage#fromParts});
 * an entry's {@code type} must be decimal digits, its {@code data} JSON or valid base64.
 */
public final class StreamsCodec {
  private final NotepackCodec msgpack;
  private final ClusterJson json;
  private final boolean onlyPlaintext;

  /** The codec with {@link NotepackCodec}'s default limits, binary sent as MessagePack. */
  public StreamsCodec() {
    this(NotepackCodec.msgpackJs(), false);
  }

  /**
   * The codec with {@code msgpack}'s limits (its dialect must be {@link
   * NotepackCodec.Dialect#MSGPACK_JS}); {@code onlyPlaintext} is the adapter's option of that name:
   * stream entries are always JSON, and binary in them travels as Buffer objects.
   */
  public StreamsCodec(NotepackCodec msgpack, boolean onlyPlaintext) {
    if (msgpack.dialect() != NotepackCodec.Dialect.MSGPACK_JS) {
      throw new IllegalArgumentException("the streams adapter speaks @msgpack/msgpack, not " + msgpack.dialect());
    }
    this.msgpack = msgpack;
    this.json = ClusterJson.withLimitsOf(msgpack);
    this.onlyPlaintext = onlyPlaintext;
  }

  /**
   * Whether {@code message} goes through pub/sub rather than the stream (isEphemeral,
   * lib/adapter.ts 261–272): a broadcast with ack, a FETCH_SOCKETS, a SERVER_SIDE_EMIT — and the
   * answers, which are always published to the asker.
   */
  public static boolean isEphemeral(ClusterMessage message) {
    return message instanceof ClusterMessage.BroadcastWithAck
        || message.type() == ClusterMessageType.FETCH_SOCKETS
        || message.type() == ClusterMessageType.SERVER_SIDE_EMIT
        || message.type().isResponse();
  }

  // ------------------------------------------------------------------------------------ the stream

  /** The fields of the stream entry, in order: uid, nsp, type, then data unless it has none. */
  public Map<String, byte[]> encodeEntry(ClusterMessage message) {
    Map<String, byte[]> fields = new LinkedHashMap<>(8);
    fields.put("uid", utf8(message.uid()));
    fields.put("nsp", utf8(message.nsp()));
    fields.put("type", utf8(Integer.toString(message.type().number())));
    JsonNode data = message.dataTree();
    if (!data.isMissingNode()) {
      boolean binary = !onlyPlaintext && message.type().mayCarryBinary() && WireFields.hasBinary(data);
      fields.put("data", binary
          ? Base64.getEncoder().encode(msgpack.encode(data)) // base64 is ASCII: these are its UTF-8 bytes
          : json.encode(data));
    }
    return fields;
  }

  /**
   * The message of a stream entry (RedisStreamsAdapter.decode): {@code uid}, {@code nsp}, {@code
   * type} as decimal digits, and {@code data} read as JSON when it starts with <code>&#123;</code>, as
   * base64 MessagePack otherwise; other fields are ignored. The reader skips entries without
   * {@code nsp} (lib/adapter.ts 151–153): here they fail.
   *
   * @throws ClusterMessageException if a field is missing or wrong, or the message is not one
   */
  public ClusterMessage decodeEntry(Map<String, byte[]> fields) {
    String what = "stream entry";
    String uid = field(fields, "uid", what);
    String nsp = field(fields, "nsp", what);
    String type = field(fields, "type", what);
    if (type.isEmpty() || type.length() > 9 || !type.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ClusterMessageException(what + ": type is not a decimal number");
    }
    byte[] raw = fields.get("data");
    JsonNode data = MissingNode.getInstance();
    if (raw != null && raw.length > 0) { // lib/adapter.ts 400: "if (rawMessage.data)"
      if (raw[0] == '{') {
        data = json.decode(raw);
      } else {
        byte[] packed;
        try {
          packed = Base64.getDecoder().decode(raw);
        } catch (IllegalArgumentException e) {
          throw new ClusterMessageException(what + ": data is neither JSON nor base64", e);
        }
        data = msgpack.decode(packed);
      }
    }
    return ClusterMessage.fromParts(uid, nsp, Long.parseLong(type), data);
  }

  private static String field(Map<String, byte[]> fields, String name, String what) {
    byte[] v = fields.get(name);
    if (v == null) throw new ClusterMessageException(what + ": field " + name + " is missing");
    return new String(v, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------------ pub/sub

  /** The MessagePack of {@code {type, data, uid, nsp}}, for PUBLISH or SPUBLISH. */
  public byte[] encodePubSub(ClusterMessage message) {
    return msgpack.encode(message.toTree());
  }

  /**
   * The message in a pub/sub message of the streams adapter (MessagePack, lib/adapter.ts 299–306).
   *
   * @throws ClusterMessageException if it is not a ClusterAdapter message
   */
  public ClusterMessage decodePubSub(byte[] message) {
    if (message.length == 0) throw new ClusterMessageException("empty message");
    return ClusterMessage.fromTree(msgpack.decode(message));
  }

  // ------------------------------------------------------------------------------------ sessions

  /** The value of {@code SET <sessionKeyPrefix><pid>}: the base64 (ASCII) of the session's MessagePack. */
  public byte[] encodeSession(PersistedSession session) {
    return Base64.getEncoder().encode(msgpack.encode(session.toTree()));
  }

  /**
   * The session stored under a session key.
   *
   * @throws ClusterMessageException if it is not base64, not MessagePack or not a session
   */
  public PersistedSession decodeSession(byte[] value) {
    byte[] packed;
    try {
      packed = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new ClusterMessageException("persisted session is not base64", e);
    }
    if (packed.length == 0) throw new ClusterMessageException("persisted session is empty");
    return PersistedSession.fromTree(msgpack.decode(packed));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
