package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import dev.switchboard.socketio.protocol.SocketIoProtocol;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * Reading the fields of a decoded message tree with their types checked, for every cluster codec:
 * a field of the wrong type, a missing one, an id or namespace out of bounds, a packet that no
 * client could be sent, each fails with a {@link ClusterMessageException} that says which message,
 * which field, what it was and what it should be ({@code "REMOTE_JOIN request: rooms[1] is a
 * number, not a string"}), never its value. Stateless.
 *
 * <pre>{@code
 * ObjectNode request = WireFields.object(tree, "request");
 * String uid = WireFields.id(request, "uid", "REMOTE_JOIN request");
 * List<String> rooms = WireFields.strings(request, "rooms", "REMOTE_JOIN request");
 * }</pre>
 *
 * <p>A field that is absent reads as {@link MissingNode}; so does one holding {@code null} where
 * the reader says absent and null mean the same (JavaScript's {@code undefined} travels as nil in
 * {@code @msgpack/msgpack}).
 */
public final class WireFields {
  /**
   * Characters of a node uid, a request id or a socket id. Node's are 6 (classic adapter), 16
   * (ClusterAdapter) and 20 (socket ids); the bound only keeps a hostile peer's ids out of logs
   * and maps.
   */
  public static final int MAX_ID_LENGTH = 256;

  /** Characters of a namespace name, slash included: SocketIoLimits' default. */
  public static final int MAX_NAMESPACE_LENGTH = 256;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final double MAX_SAFE_INTEGER = SocketIoProtocol.MAX_SAFE_INTEGER;

  private WireFields() {}

  /**
   * {@code node} as an object.
   *
   * @throws ClusterMessageException if it is anything else
   */
  public static ObjectNode object(JsonNode node, String what) {
    if (!node.isObject()) throw new ClusterMessageException(what + " is " + describe(node) + ", not an object");
    return (ObjectNode) node;
  }

  /** The field's value, {@link MissingNode} when absent. */
  public static JsonNode field(ObjectNode o, String key) {
    JsonNode v = o.get(key);
    return v == null ? MissingNode.getInstance() : v;
  }

  /** Whether the field is absent or null (JavaScript's undefined in either encoding). */
  public static boolean absent(ObjectNode o, String key) {
    JsonNode v = o.get(key);
    return v == null || v.isNull();
  }

  /**
   * A required string field.
   *
   * @throws ClusterMessageException if it is absent or not a string
   */
  public static String string(ObjectNode o, String key, String what) {
    JsonNode v = field(o, key);
    if (!v.isTextual()) throw wrong(what, key, v, "a string");
    return v.textValue();
  }

  /**
   * A required id (node uid, request id, socket id): a string of 1 to {@link #MAX_ID_LENGTH}
   * characters.
   *
   * @throws ClusterMessageException if it is absent, not a string, empty or too long
   */
  public static String id(ObjectNode o, String key, String what) {
    return checkId(string(o, key, what), key, what);
  }

  /** {@code id} if it has 1 to {@link #MAX_ID_LENGTH} characters; {@code key} names it in the error. */
  public static String checkId(String id, String key, String what) {
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new ClusterMessageException(what + ": " + key + " has " + id.length() + " characters, not 1 to "
          + MAX_ID_LENGTH);
    }
    return id;
  }

  /**
   * A required namespace name: a string starting with "/", without ",", of at most {@link
   * #MAX_NAMESPACE_LENGTH} characters (socket.io-protocol §Format: what a packet can carry).
   *
   * @throws ClusterMessageException otherwise
   */
  public static String namespace(ObjectNode o, String key, String what) {
    return checkNamespace(string(o, key, what), key, what);
  }

  /** {@code nsp} if it is a namespace name (see {@link #namespace}); {@code key} names it in the error. */
  public static String checkNamespace(String nsp, String key, String what) {
    if (nsp.isEmpty() || nsp.charAt(0) != '/' || nsp.indexOf(',') >= 0 || nsp.length() > MAX_NAMESPACE_LENGTH) {
      throw new ClusterMessageException(what + ": " + key + " is not a namespace (\"/\" first, no \",\", at most "
          + MAX_NAMESPACE_LENGTH + " characters)");
    }
    return nsp;
  }

  /**
   * A required boolean field.
   *
   * @throws ClusterMessageException if it is absent or not a boolean
   */
  public static boolean bool(ObjectNode o, String key, String what) {
    JsonNode v = field(o, key);
    if (!v.isBoolean()) throw wrong(what, key, v, "a boolean");
    return v.booleanValue();
  }

  /**
   * A boolean field that may be absent or null, then {@code otherwise}.
   *
   * @throws ClusterMessageException if it is present and not a boolean
   */
  public static boolean bool(ObjectNode o, String key, String what, boolean otherwise) {
    return absent(o, key) ? otherwise : bool(o, key, what);
  }

  /**
   * A required integral number in {@code [min, max]} (a JavaScript number: {@code 3.0} counts).
   *
   * @throws ClusterMessageException if it is absent, not a number, not integral or out of range
   */
  public static long integer(ObjectNode o, String key, String what, long min, long max) {
    JsonNode v = field(o, key);
    if (!v.isNumber()) throw wrong(what, key, v, "a number");
    double d = v.doubleValue();
    if (!(d == Math.rint(d) && d >= min && d <= max)) { // NaN fails too
      throw new ClusterMessageException(what + ": " + key + " is not an integer from " + min + " to " + max);
    }
    return v.isIntegralNumber() ? v.longValue() : (long) d;
  }

  /** A required non-negative integer up to 2^53 − 1 (Number.MAX_SAFE_INTEGER). */
  public static long count(ObjectNode o, String key, String what) {
    return integer(o, key, what, 0, (long) MAX_SAFE_INTEGER);
  }

  /**
   * A required array field.
   *
   * @throws ClusterMessageException if it is absent or not an array
   */
  public static ArrayNode array(ObjectNode o, String key, String what) {
    JsonNode v = field(o, key);
    if (!v.isArray()) throw wrong(what, key, v, "an array");
    return (ArrayNode) v;
  }

  /**
   * A required object field.
   *
   * @throws ClusterMessageException if it is absent or not an object
   */
  public static ObjectNode object(ObjectNode o, String key, String what) {
    JsonNode v = field(o, key);
    if (!v.isObject()) throw wrong(what, key, v, "an object");
    return (ObjectNode) v;
  }

  /**
   * A required array of strings (room names, socket ids), as an immutable list.
   *
   * @throws ClusterMessageException if it is absent, not an array, or holds anything but strings
   */
  public static List<String> strings(ObjectNode o, String key, String what) {
    return strings(array(o, key, what), key, what);
  }

  /**
   * An array of strings that may be absent or null, then empty: socket.io-adapter turns {@code
   * opts.rooms} into {@code new Set(opts.rooms)}, for which undefined is the empty set.
   *
   * @throws ClusterMessageException if it is present and not an array of strings
   */
  public static List<String> stringsOrEmpty(ObjectNode o, String key, String what) {
    return absent(o, key) ? List.of() : strings(o, key, what);
  }

  /** The elements of {@code array}, each a string. */
  public static List<String> strings(ArrayNode array, String key, String what) {
    int n = array.size();
    if (n == 0) return List.of();
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      JsonNode e = array.get(i);
      if (!e.isTextual()) throw wrong(what, key + "[" + i + "]", e, "a string");
      out[i] = e.textValue();
    }
    return List.of(out);
  }

  /** An array node holding {@code strings}. */
  public static ArrayNode stringArray(List<String> strings) {
    ArrayNode a = NODES.arrayNode(strings.size());
    for (String s : strings) a.add(s);
    return a;
  }

  // -------------------------------------------------------------------------------------- packets

  /**
   * The Socket.IO packet inside a broadcast: {@code {type, data, nsp?, id?}}, as socket.io-adapter
   * hands it to the adapter. Only events travel between nodes (BroadcastOperator.emit makes them;
   * type 5, BINARY_EVENT, from old emitters, is read as an EVENT like every decoded packet, see
   * {@link SocketIoPacket}); {@code data} is a non-empty array whose first element, the event
   * name, is a string or a number and not a reserved name (socket.io-protocol §Sending and
   * receiving data, the rules a client's parser applies); an absent {@code nsp} is {@code
   * namespace}, an absent {@code id} no ack id. The data array is the decoded tree itself, not a
   * copy.
   *
   * @throws ClusterMessageException if the packet is not such an event
   */
  public static SocketIoPacket packet(JsonNode node, String what, String namespace) {
    ObjectNode p = object(node, what + ": packet");
    long type = integer(p, "type", what + ": packet", 0, 6);
    if (type != 2 && type != 5) {
      throw new ClusterMessageException(what + ": packet type " + type + " is not an event (2)");
    }
    ArrayNode data = array(p, "data", what + ": packet");
    if (data.isEmpty()) throw new ClusterMessageException(what + ": packet data is empty, not [event, ...args]");
    JsonNode name = data.get(0);
    if (!name.isTextual() && !name.isNumber()) throw wrong(what + ": packet", "data[0]", name, "an event name");
    if (name.isTextual() && SocketIoProtocol.RESERVED_EVENT_NAMES.contains(name.textValue())) {
      throw new ClusterMessageException(what + ": packet event name is reserved");
    }
    String nsp = absent(p, "nsp") ? namespace : namespace(p, "nsp", what + ": packet");
    long id = absent(p, "id") ? SocketIoPacket.NO_ACK_ID : count(p, "id", what + ": packet");
    return new SocketIoPacket(SocketIoPacketType.EVENT, nsp, data, id);
  }

  /**
   * The tree of {@code packet} as socket.io-adapter publishes it: {@code {type: 2, data}}, then
   * {@code nsp} when {@code withNamespace} (the classic adapter sets it before publishing,
   * ClusterAdapter does not), then {@code id} when the packet has an ack id.
   */
  public static ObjectNode packetTree(SocketIoPacket packet, boolean withNamespace) {
    if (!packet.type().isEvent()) {
      throw new IllegalArgumentException("only events travel between nodes, not " + packet.type());
    }
    ObjectNode p = NODES.objectNode();
    p.put("type", 2);
    p.set("data", packet.data());
    if (withNamespace) p.put("nsp", packet.namespace());
    if (packet.hasAckId()) p.put("id", packet.ackId());
    return p;
  }

  /**
   * Whether {@code node} holds binary anywhere (a {@code BinaryNode}, or a {@code POJONode} of a
   * {@code byte[]}): the adapters' {@code hasBinary} (redis-adapter lib/util.ts 1–30), which decides
   * between JSON and MessagePack. Walked without recursion.
   */
  public static boolean hasBinary(JsonNode node) {
    if (isBinary(node)) return true;
    if (!node.isContainerNode()) return false;
    ArrayDeque<Iterator<JsonNode>> stack = new ArrayDeque<>();
    stack.push(node.elements());
    while (!stack.isEmpty()) {
      Iterator<JsonNode> it = stack.peek();
      if (!it.hasNext()) {
        stack.pop();
        continue;
      }
      JsonNode child = it.next();
      if (isBinary(child)) return true;
      if (child.isContainerNode()) stack.push(child.elements());
    }
    return false;
  }

  private static boolean isBinary(JsonNode node) {
    return node.isBinary() || node.isPojo() && ((POJONode) node).getPojo() instanceof byte[];
  }

  // -------------------------------------------------------------------------------------- errors

  /** The error for a field that is {@code actual} instead of {@code expected}. */
  public static ClusterMessageException wrong(String what, String key, JsonNode actual, String expected) {
    return new ClusterMessageException(what + ": " + key + " is " + describe(actual) + ", not " + expected);
  }

  /** "a string", "a number", "missing", … — the kind of a value, never the value. */
  public static String describe(JsonNode v) {
    return switch (v.getNodeType()) {
      case MISSING -> "missing";
      case NULL -> "null";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case STRING -> "a string";
      case BINARY -> "binary";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case POJO -> "an object";
    };
  }
}
