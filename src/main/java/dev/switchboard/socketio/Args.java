package dev.switchboard.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Iterator;

/**
 * The arguments of an event or an ack, as JSON trees (binary attachments are
 * {@link com.fasterxml.jackson.databind.node.BinaryNode}s). Immutable view.
 *
 * <pre>{@code
 * socket.on("chat", (args, ack) -> {
 *   String text = args.getString(0);
 *   Message m = args.as(1, Message.class);
 * });
 * }</pre>
 */
public final class Args implements Iterable<JsonNode> {
  private final ArrayNode array;
  private final int offset;

  Args(ArrayNode array, int offset) {
    this.array = array;
    this.offset = offset;
  }

  /** Arguments made from application values, converted as {@code emit} converts them. */
  public static Args of(Object... values) {
    return new Args(Json.array(null, values), 0);
  }

  /** How many arguments there are. */
  public int size() {
    return Math.max(0, array.size() - offset);
  }

  /** Whether there is no argument. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /** Argument {@code i}, or a {@code MissingNode} when absent (never null). */
  public JsonNode get(int i) {
    return array.path(offset + i);
  }

  /** Argument {@code i} if it is a JSON string, else null. */
  public String getString(int i) {
    JsonNode n = get(i);
    return n.isTextual() ? n.textValue() : null;
  }

  /** Argument {@code i} if it is binary, else null. */
  public byte[] getBytes(int i) {
    JsonNode n = get(i);
    return n.isBinary() ? ((com.fasterxml.jackson.databind.node.BinaryNode) n).binaryValue() : null;
  }

  /** Argument {@code i} converted to {@code type}; IllegalArgumentException when it does not fit. */
  public <T> T as(int i, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(get(i), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("argument " + i + " is not a " + type.getSimpleName(), e);
    }
  }

  /** The arguments as a new JSON array. */
  public ArrayNode asArray() {
    ArrayNode out = Json.NODES.arrayNode(size());
    for (int i = 0; i < size(); i++) out.add(get(i));
    return out;
  }

  /** The arguments as plain values for re-emitting: {@code socket.emit("x", args.toArray())}. */
  public Object[] toArray() {
    Object[] out = new Object[size()];
    for (int i = 0; i < out.length; i++) out[i] = get(i);
    return out;
  }

  @Override
  public Iterator<JsonNode> iterator() {
    return asArray().iterator();
  }

  @Override
  public String toString() {
    return asArray().toString();
  }
}
