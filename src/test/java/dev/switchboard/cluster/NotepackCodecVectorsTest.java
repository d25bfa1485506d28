package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bytes notepack.io 3.0.1 itself produced and accepted (notepack-vectors.json, written by
 * conformance/cluster/notepack-vectors.mjs): every "both" and "encode" vector must encode to
 * exactly its bytes, every "both" and "decode" vector must decode to its value, and the real
 * messages of @socket.io/redis-adapter 8.3 must do both.
 *
 * <p>Values compare as JavaScript sees them: two numbers are equal when their doubles are (JSON
 * text above 2^53 is the shortest form of a double, and we decode the exact integer).
 */
class NotepackCodecVectorsTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private final NotepackCodec codec = new NotepackCodec();

  @TestFactory
  Stream<DynamicTest> vectors() throws Exception {
    JsonNode file = load("notepack-vectors.json");
    assertEquals("3.0.1", file.get("notepack").asText(), "vectors of the notepack.io the redis adapter pins");
    List<DynamicTest> tests = vectorTests(codec, file);
    for (JsonNode m : file.get("messages")) {
      JsonNode value = untag(m.get("json"));
      byte[] bytes = HEX.parseHex(m.get("hex").asText());
      tests.add(DynamicTest.dynamicTest("message " + m.get("name").asText(), () -> {
        assertArrayEquals(bytes, codec.encode(value), "Java writes the adapter's message byte for byte");
        assertJsEquals(value, codec.decode(bytes));
      }));
    }
    assertTrue(tests.size() > 150, "the table is all there: " + tests.size());
    return tests.stream();
  }

  /** One test per direction of each vector of {@code file} ("vectors": name, direction, json or gen, hex). */
  static List<DynamicTest> vectorTests(NotepackCodec codec, JsonNode file) {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : file.get("vectors")) {
      String name = v.get("name").asText();
      String direction = v.get("direction").asText();
      JsonNode value = v.has("gen") ? generate(v.get("gen")) : untag(v.get("json"));
      if (!direction.equals("decode")) {
        tests.add(DynamicTest.dynamicTest("encode " + name, () -> {
          byte[] bytes = codec.encode(value);
          if (v.has("hex")) {
            assertEquals(v.get("hex").asText(), HEX.formatHex(bytes));
          } else {
            assertEquals(v.get("length").asInt(), bytes.length);
            assertEquals(v.get("sha256").asText(), sha256(bytes));
          }
        }));
      }
      if (!direction.equals("encode")) {
        tests.add(DynamicTest.dynamicTest("decode " + name, () -> {
          byte[] bytes = v.has("hex") ? HEX.parseHex(v.get("hex").asText()) : codec.encode(value);
          assertJsEquals(value, codec.decode(bytes));
        }));
      }
    }
    return tests;
  }

  static JsonNode load(String resource) throws Exception {
    return WireVectors.load(resource);
  }

  static JsonNode untag(JsonNode node) {
    return WireVectors.untag(node);
  }

  static void assertJsEquals(JsonNode expected, JsonNode actual) {
    WireVectors.assertJsEquals(expected, actual);
  }

  /** The large values, built as the script's generate() builds them. */
  static JsonNode generate(JsonNode gen) {
    int count = gen.get("count").asInt();
    switch (gen.get("kind").asText()) {
      case "string":
        return TextNode.valueOf(gen.get("char").asText().repeat(count));
      case "binary": {
        byte[] b = new byte[count];
        java.util.Arrays.fill(b, (byte) gen.get("byte").asInt());
        return BinaryNode.valueOf(b);
      }
      case "array": {
        ArrayNode a = NODES.arrayNode(count);
        for (int i = 0; i < count; i++) a.add(gen.get("item"));
        return a;
      }
      case "map": {
        ObjectNode o = NODES.objectNode();
        for (int i = 0; i < count; i++) o.put("k" + i, i);
        return o;
      }
      default:
        throw new AssertionError("unknown gen " + gen);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
