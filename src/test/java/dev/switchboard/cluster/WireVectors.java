package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Map;

/**
 * The test vectors' conventions, shared by the codec tests of {@code cluster} and {@code
 * cluster.redis}: files under src/test/resources/dev/switchboard/cluster/, values as JSON with
 * {@code {"$binary": "<hex>"}} for binary and {@code {"$double": "NaN"}} for numbers JSON has no
 * text for, compared as JavaScript compares them.
 */
public final class WireVectors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  private WireVectors() {}

  /** A vector file of src/test/resources/dev/switchboard/cluster/. */
  public static JsonNode load(String resource) throws Exception {
    try (InputStream in = WireVectors.class.getResourceAsStream(resource)) {
      if (in == null) throw new AssertionError("no test resource " + resource);
      return JSON.readTree(in);
    }
  }

  /** {"$binary": hex} → binary, {"$double": "NaN"} → the double; everything else as it is. */
  public static JsonNode untag(JsonNode node) {
    if (node.isObject() && node.size() == 1 && node.has("$binary")) {
      return BinaryNode.valueOf(HEX.parseHex(node.get("$binary").asText()));
    }
    if (node.isObject() && node.size() == 1 && node.has("$double")) {
      return DoubleNode.valueOf(Double.parseDouble(node.get("$double").asText()));
    }
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) copy.set(e.getKey(), untag(e.getValue()));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      for (JsonNode element : node) copy.add(untag(element));
      return copy;
    }
    return node;
  }

  /** What JSON.stringify shows of a tree: a MissingNode (undefined) property left out, null in an array. */
  public static JsonNode asStringified(JsonNode node) {
    if (node.isMissingNode()) return NullNode.getInstance();
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isMissingNode()) copy.set(e.getKey(), asStringified(e.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      for (JsonNode element : node) copy.add(asStringified(element));
      return copy;
    }
    return node;
  }

  /** Equal as JavaScript values: numbers compare as doubles, undefined properties are absent. */
  public static void assertJsEquals(JsonNode expected, JsonNode actual) {
    JsonNode a = asStringified(actual);
    boolean equal = expected.equals((x, y) -> {
      if (x.equals(y)) return 0;
      if (x.isNumber() && y.isNumber()) return Double.compare(x.doubleValue(), y.doubleValue());
      return 1;
    }, a);
    assertTrue(equal, () -> "expected " + abbreviate(expected) + " but decoded " + abbreviate(a));
  }

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }
}
