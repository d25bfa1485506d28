package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;

/** Converting application values to and from the JSON trees packets carry. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  /** Any value → tree: {@code byte[]} and {@code ByteBuffer} become binary attachments. */
  static JsonNode toNode(Object value) {
    if (value == null) return NODES.nullNode();
    if (value instanceof JsonNode n) return n;
    if (value instanceof byte[] b) return BinaryNode.valueOf(b);
    if (value instanceof ByteBuffer bb) {
      ByteBuffer d = bb.duplicate();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      return BinaryNode.valueOf(b);
    }
    if (value instanceof Args a) return a.asArray();
    return MAPPER.valueToTree(value);
  }

  /** {@code [first, args...]}. */
  static ArrayNode array(Object first, Object[] args) {
    ArrayNode arr = NODES.arrayNode(args.length + 1);
    if (first != null) arr.add(toNode(first));
    for (Object a : args) arr.add(toNode(a));
    return arr;
  }
}
