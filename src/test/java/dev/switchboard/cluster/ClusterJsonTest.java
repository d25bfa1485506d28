package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ClusterJson writes what Node's JSON.stringify writes (the expected strings below were printed
 * by Node 20 for the same values) and reads what JSON.parse reads, with limits for hostile peers.
 */
class ClusterJsonTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ClusterJson json = new ClusterJson();

  private String encode(JsonNode node) {
    return new String(json.encode(node), StandardCharsets.UTF_8);
  }

  private JsonNode decode(String text) {
    return json.decode(text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource(delimiter = '|', value = {
      "1e21|1e+21", "1e-7|1e-7", "123456789012345680000|123456789012345680000", "1152921504606846976|1152921504606847000",
      "0.1|0.1", "-0.0|0", "5e-324|5e-324", "1.7976931348623157e308|1.7976931348623157e+308", "2e23|2e+23",
      "0.3333333333333333|0.3333333333333333", "100|100", "1e20|100000000000000000000", "12345600|12345600",
      "1e-6|0.000001", "0.000001234|0.000001234", "-1.5e-10|-1.5e-10", "9007199254740994|9007199254740994",
      "4.35|4.35", "5e-7|5e-7", "1.2345678e13|12345678000000", "NaN|null", "Infinity|null", "-Infinity|null"})
  void numbersAreWrittenAsNumberToStringPrintsThem(double value, String js) {
    assertEquals(js, encode(DoubleNode.valueOf(value)));
  }

  @Test
  void integersBeyondTwoToThe53AreWrittenAsTheDoubleJavaScriptHolds() {
    assertEquals("9007199254740992", encode(LongNode.valueOf((1L << 53) + 1)));
    assertEquals("9007199254740991", encode(LongNode.valueOf((1L << 53) - 1)));
    assertEquals("-9223372036854776000", encode(LongNode.valueOf(Long.MIN_VALUE)));
    assertEquals("1.2676506002282294e+30", encode(BigIntegerNode.valueOf(BigInteger.TWO.pow(100))));
  }

  @Test
  void stringsEscapeWhatJsonStringifyEscapesAndNothingElse() {
    String s = "a\u0000\b\t\n\f\r\"\\\u001f\u007f\u2028é😀\ud800x\udc00";
    assertEquals("\"a\\u0000\\b\\t\\n\\f\\r\\\"\\\\\\u001f\u007f\u2028é😀\\ud800x\\udc00\"", encode(TextNode.valueOf(s)));
  }

  @Test
  void undefinedIsLeftOutOfObjectsAndNullInArraysAndBinaryIsABuffersJson() {
    ArrayNode a = NODES.arrayNode();
    a.add(MissingNode.getInstance());
    a.add(DoubleNode.valueOf(Double.NaN));
    ObjectNode o = a.addObject();
    o.set("a", MissingNode.getInstance());
    o.set("b", BinaryNode.valueOf(new byte[] {1, 2, (byte) 255}));
    o.putPOJO("c", new byte[] {7});
    assertEquals("[null,null,{\"b\":{\"type\":\"Buffer\",\"data\":[1,2,255]},\"c\":{\"type\":\"Buffer\",\"data\":[7]}}]",
        encode(a));
  }

  @Test
  void aPojoWithNoJsonFormIsRefused() {
    ClusterMessageException e = assertThrows(ClusterMessageException.class, () -> encode(new POJONode(new Object())));
    assertTrue(e.getMessage().startsWith("cannot encode a POJONode holding java.lang.Object"), e.getMessage());
  }

  @Test
  void readingGivesExactIntegersDoublesAndTheLastDuplicateInTheFirstPlace() {
    JsonNode v = decode(" {\"i\":7,\"l\":9007199254740993,\"b\":18446744073709551616,\"d\":-1.5e-3,\"z\":-0,"
        + "\"i\":8} ");
    assertEquals(IntNode.valueOf(8), v.get("i"));
    assertEquals(LongNode.valueOf(9007199254740993L), v.get("l"));
    assertEquals(BigIntegerNode.valueOf(BigInteger.TWO.pow(64)), v.get("b"));
    assertEquals(DoubleNode.valueOf(-1.5e-3), v.get("d"));
    assertEquals("[\"i\",\"l\",\"b\",\"d\",\"z\"]", NODES.arrayNode().addAll(
        java.util.stream.StreamSupport.stream(((Iterable<String>) v::fieldNames).spliterator(), false)
            .map(TextNode::valueOf).toList()).toString());
  }

  @Test
  void invalidUtf8AndLoneSurrogateEscapesBecomeTheReplacementCharacter() {
    byte[] bytes = {'[', '"', 'a', (byte) 0x80, '"', ',', '"', '\\', 'u', 'd', '8', '0', '0', '"', ']'};
    assertEquals("[\"a\uFFFD\",\"\uFFFD\"]", json.decode(bytes).toString());
  }

  @Test
  void whatWasReadIsWrittenBackByteForByte() {
    String text = "{\"uid\":\"H57LfC\",\"type\":6,\"data\":[\"hello\",\"world\",1,-2.5,{\"a\":[2,null,true]},\"é😀\"]}";
    assertEquals(text, encode(decode(text)));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "''|empty message: no JSON value",
      "'{\"a\":1'|malformed JSON at character 6",
      "'{\"a\":1}x'|malformed JSON at character 7",
      "'{\"a\":1} {}'|trailing data after the JSON value, at character 8",
      "'[1,]'|malformed JSON at character 3",
      "'{a:1}'|malformed JSON at character 1",
      "'[NaN]'|malformed JSON at character 4"})
  void malformedJsonIsRefusedWithItsPosition(String text, String message) {
    ClusterMessageException e = assertThrows(ClusterMessageException.class, () -> decode(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void aControlCharacterInsideAStringIsRefusedAsJsonParseRefusesIt() {
    assertTrue(assertThrows(ClusterMessageException.class, () -> decode("[\"a\u0001b\"]")).getMessage()
        .startsWith("malformed JSON at character "));
  }

  @Test
  void limitsHoldBeforeAnythingIsBuilt() {
    ClusterJson small = ClusterJson.withLimitsOf(NotepackCodec.builder().maxDepth(3).maxElements(5).maxBytes(100).build());
    assertEquals(3, small.maxDepth());
    assertEquals("[[[]]]", small.decode("[[[]]]".getBytes(StandardCharsets.UTF_8)).toString());
    assertEquals("JSON nests deeper than maxDepth 3 at character 3",
        assertThrows(ClusterMessageException.class, () -> small.decode("[[[[]]]]".getBytes(StandardCharsets.UTF_8)))
            .getMessage());
    assertEquals("JSON brings the message over maxElements 5 at character 11",
        assertThrows(ClusterMessageException.class, () -> small.decode("[1,2,3,4,5,6]".getBytes(StandardCharsets.UTF_8)))
            .getMessage());
    assertEquals("message of 101 bytes exceeds maxBytes 100",
        assertThrows(ClusterMessageException.class, () -> small.decode(new byte[101])).getMessage());
    assertTrue(assertThrows(ClusterMessageException.class, () -> decode("[" + "1".repeat(101) + "]"))
        .getMessage().startsWith("JSON number of more than 100 characters"));
    ArrayNode deep = NODES.arrayNode();
    deep.addArray().addArray().addArray();
    assertEquals("cannot encode: nesting deeper than maxDepth 3",
        assertThrows(ClusterMessageException.class, () -> small.encode(deep)).getMessage());
  }

  @Test
  void deepNestingNeverOverflowsTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertTrue(assertThrows(ClusterMessageException.class, () -> decode(deep)).getMessage()
        .startsWith("JSON nests deeper than maxDepth 128"));
  }

  @Test
  void randomAndMutatedInputsNeverThrowAnythingElse() {
    Random random = new Random(10);
    byte[] real = "{\"uid\":\"a\",\"requestId\":\"b\",\"type\":5,\"opts\":{\"rooms\":[\"r\"],\"except\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 5_000; i++) {
      byte[] input = real.clone();
      for (int m = random.nextInt(4); m >= 0; m--) input[random.nextInt(input.length)] = (byte) random.nextInt(256);
      try {
        json.decode(input);
      } catch (ClusterMessageException expected) {
        // the only exception allowed
      }
    }
  }
}
