package dev.switchboard.socketio.protocol;

import static dev.switchboard.socketio.protocol.SocketIoProtocolException.limitExceeded;
import static dev.switchboard.socketio.protocol.SocketIoProtocolException.malformed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A BINARY_EVENT or BINARY_ACK whose header has been decoded and whose attachments are still
 * arriving. Knows where each placeholder sits, so an attachment replaces its placeholder in O(1)
 * without walking the tree again (socket.io-parser reconstructPacket walks it recursively).
 * Owned by one {@link SocketIoDecoder}; not thread-safe.
 */
final class PendingBinaryPacket {
  private final int attachmentCount;
  // Indexed by placeholder num. Sized by the count, which the decoder has already checked
  // against maxAttachments.
  private final ContainerNode<?>[] parents;
  private final String[] keys;
  private final int[] indexes;
  private int claimed;
  private int received;
  private long receivedBytes;

  private SocketIoPacketType type;
  private String namespace;
  private JsonNode data;
  private long ackId;

  PendingBinaryPacket(int attachmentCount) {
    this.attachmentCount = attachmentCount;
    this.parents = new ContainerNode<?>[attachmentCount];
    this.keys = new String[attachmentCount];
    this.indexes = new int[attachmentCount];
  }

  /**
   * Records a placeholder found while parsing. Called for every object with a {@code _placeholder}
   * key: in a binary packet that key is reserved, so a near-miss is an error rather than data.
   */
  void claim(ObjectNode placeholder, ContainerNode<?> parent, String keyInParent) throws SocketIoProtocolException {
    JsonNode flag = placeholder.get(SocketIoProtocol.PLACEHOLDER_KEY);
    JsonNode num = placeholder.get(SocketIoProtocol.PLACEHOLDER_NUM_KEY);
    // socket.io-parser binary.ts: {_placeholder: true, num: <index>}. CVE-2022-2421: the reference
    // indexed its buffer list with whatever num was ("splice" → a function); accept only an
    // integer token (so not 1e0 or 0.5), nothing else in the object, keys in any order
    // (netty-socketio #326). hostile-inputs.md#E105, hostile-inputs.md#E106.
    if (placeholder.size() != 2 || flag == null || !flag.isBoolean() || !flag.booleanValue()
        || num == null || !num.isIntegralNumber()) {
      throw malformed("Invalid placeholder");
    }
    if (!num.canConvertToInt() || num.intValue() < 0 || num.intValue() >= attachmentCount) {
      throw malformed("Placeholder index out of range");
    }
    int n = num.intValue();
    if (parents[n] != null) throw malformed("Duplicate placeholder index");
    parents[n] = parent;
    keys[n] = keyInParent;
    indexes[n] = parent.size() - 1;
    claimed++;
  }

  /** Completes the header once the payload is parsed and valid. */
  void header(SocketIoPacketType type, String namespace, JsonNode data, long ackId) throws SocketIoProtocolException {
    // Every declared attachment must have a placeholder: otherwise its bytes would be buffered
    // and then dropped, or delivered nowhere (hostile-inputs.md#E106, "declared 2, only num:0").
    if (claimed != attachmentCount) throw malformed("Unreferenced attachment");
    // socket.io-parser Decoder.add: a reconstructed binary packet is delivered as EVENT / ACK.
    this.type = type.isEvent() ? SocketIoPacketType.EVENT : SocketIoPacketType.ACK;
    this.namespace = namespace;
    this.data = data;
    this.ackId = ackId;
  }

  /**
   * Puts the next attachment in place of placeholder {@code num == received}; returns the packet
   * once the last one arrived, else null. The array is kept, not copied.
   */
  SocketIoPacket add(byte[] attachment, long maxBytesTotal) throws SocketIoProtocolException {
    receivedBytes += attachment.length;
    // hostile-inputs.md#E111: each frame is within Engine.IO's limit, but ten of them need not be.
    if (receivedBytes > maxBytesTotal) {
      throw limitExceeded("Attachments too large (max " + maxBytesTotal + " bytes)");
    }
    int n = received++;
    BinaryNode value = BinaryNode.valueOf(attachment);
    if (parents[n].isArray()) {
      ((ArrayNode) parents[n]).set(indexes[n], value);
    } else {
      ((ObjectNode) parents[n]).set(keys[n], value);
    }
    parents[n] = null;
    if (received < attachmentCount) return null;
    return new SocketIoPacket(type, namespace, data, ackId);
  }
}
