package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterJson;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.NotepackCodec;
import dev.switchboard.cluster.WireFields;

/**
 * The messages of the sharded {@code @socket.io/redis-adapter} 8.3 between bytes and {@link
 * ClusterMessage}s (lib/sharded-adapter.ts 177–211): {@code {type, data, uid, nsp}} as JSON text,
 * unless the type may carry binary ({@link
 * dev.switchboard.cluster.ClusterMessageType#mayCarryBinary}) and its data does, then as notepack.
 * The receiver tells them apart by the first byte, <code>&#123;</code> for JSON. Pure and thread-safe.
 *
 * <pre>{@code
 * ShardedCodec codec = new ShardedCodec();
 * link.spublish(channels.publishChannel(m), codec.encode(m));
 * ClusterMessage received = codec.decode(bytes);   // ClusterMessageException: drop and count
 * }</pre>
 *
 * <p>Decoding checks every field ({@link ClusterMessage#fromParts}); an unknown type fails with
 * {@code "unknown message type N"}.
 */
public final class ShardedCodec {
  private final NotepackCodec notepack;
  private final ClusterJson json;

  /** The codec with {@link NotepackCodec}'s default limits. */
  public ShardedCodec() {
    this(new NotepackCodec());
  }

  /** The codec with {@code notepack}'s limits, for MessagePack and JSON alike. */
  public ShardedCodec(NotepackCodec notepack) {
    if (notepack.dialect() != NotepackCodec.Dialect.NOTEPACK) {
      throw new IllegalArgumentException("the sharded adapter speaks notepack.io, not " + notepack.dialect());
    }
    this.notepack = notepack;
    this.json = ClusterJson.withLimitsOf(notepack);
  }

  /** JSON, or notepack when the type may carry binary and the data holds some. */
  public byte[] encode(ClusterMessage message) {
    ObjectNode tree = message.toTree();
    return message.type().mayCarryBinary() && WireFields.hasBinary(message.dataTree()) ? notepack.encode(tree) : json.encode(tree);
  }

  /**
   * The message in a sharded pub/sub message, JSON or notepack by its first byte.
   *
   * @throws ClusterMessageException if it is not a ClusterAdapter message
   */
  public ClusterMessage decode(byte[] message) {
    if (message.length == 0) throw new ClusterMessageException("empty message");
    return ClusterMessage.fromTree(ClassicCodec.isJson(message) ? json.decode(message) : notepack.decode(message));
  }
}
