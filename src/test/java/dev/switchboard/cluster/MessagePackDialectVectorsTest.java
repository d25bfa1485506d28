package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@link NotepackCodec.Dialect#MSGPACK_JS} dialect against the bytes {@code @msgpack/msgpack}
 * 2.8 itself produced, accepted and refused (msgpack-vectors.json, written by
 * conformance/cluster/msgpack-vectors.mjs), and the four places where it differs from notepack.
 */
class MessagePackDialectVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final NotepackCodec msgpack = NotepackCodec.msgpackJs();
  private final NotepackCodec notepack = new NotepackCodec();

  @TestFactory
  Stream<DynamicTest> vectors() throws Exception {
    JsonNode file = NotepackCodecVectorsTest.load("msgpack-vectors.json");
    assertEquals("2.8.0", file.get("msgpack").asText(), "vectors of the @msgpack/msgpack the streams adapter resolves to");
    List<DynamicTest> tests = new ArrayList<>(NotepackCodecVectorsTest.vectorTests(msgpack, file));
    for (JsonNode r : file.get("refused")) {
      tests.add(DynamicTest.dynamicTest("refuse " + r.get("name").asText(), () -> {
        byte[] bytes = HEX.parseHex(r.get("hex").asText());
        assertThrows(ClusterMessageException.class, () -> msgpack.decode(bytes),
            "@msgpack/msgpack refuses it: " + r.get("error").asText());
      }));
    }
    assertTrue(tests.size() > 100, "the table is all there: " + tests.size());
    return tests.stream();
  }

  @Test
  void theDialectIsChosenByTheBuilderAndNotepackIsTheDefault() {
    assertEquals(NotepackCodec.Dialect.NOTEPACK, new NotepackCodec().dialect());
    assertEquals(NotepackCodec.Dialect.MSGPACK_JS, NotepackCodec.msgpackJs().dialect());
    NotepackCodec small = NotepackCodec.builder().dialect(NotepackCodec.Dialect.MSGPACK_JS).maxDepth(3).build();
    assertEquals(NotepackCodec.Dialect.MSGPACK_JS, small.dialect());
    assertEquals(3, small.maxDepth());
  }

  @Test
  void anIntegerBeyondTwoToThe53IsFloat64OnlyInTheMsgpackDialect() {
    JsonNode big = LongNode.valueOf(1L << 53);
    assertEquals("cb4340000000000000", HEX.formatHex(msgpack.encode(big)));
    assertEquals("cf0020000000000000", HEX.formatHex(notepack.encode(big)));
    JsonNode safe = LongNode.valueOf((1L << 53) - 1);
    assertEquals("cf001fffffffffffff", HEX.formatHex(msgpack.encode(safe)));
    assertEquals("cf001fffffffffffff", HEX.formatHex(notepack.encode(safe)));
  }

  @Test
  void anUndefinedPropertyIsNilInTheMsgpackDialectAndLeftOutInNotepack() {
    ObjectNode o = NODES.objectNode();
    o.set("a", MissingNode.getInstance());
    o.put("b", 1);
    assertEquals("82a161c0a16201", HEX.formatHex(msgpack.encode(o)));
    assertEquals("81a16201", HEX.formatHex(notepack.encode(o)));
    assertEquals(NullNode.getInstance(), msgpack.decode(msgpack.encode(o)).get("a"));
  }

  @Test
  void notepacksOldExtTypeZeroIsAnUnknownExtTypeInTheMsgpackDialect() {
    byte[] oldUndefined = HEX.parseHex("9301d4000003");
    assertEquals("[1,null,3]", notepack.decode(oldUndefined).toString());
    ClusterMessageException e = assertThrows(ClusterMessageException.class, () -> msgpack.decode(oldUndefined));
    assertEquals("unknown ext type 0 (fixext1, 1 bytes) at byte 2", e.getMessage());
  }

  @Test
  void theProtoKeyIsRefusedOnlyInTheMsgpackDialect() {
    byte[] proto = HEX.parseHex("81a95f5f70726f746f5f5f01");
    assertEquals(1, notepack.decode(proto).get("__proto__").intValue());
    ClusterMessageException e = assertThrows(ClusterMessageException.class, () -> msgpack.decode(proto));
    assertEquals("map key __proto__ at byte 1 is refused", e.getMessage());
  }
}
