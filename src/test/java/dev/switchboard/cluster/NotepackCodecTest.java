package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * NotepackCodec's own decisions (what a tree means in JavaScript, what a JavaScript-only value
 * means in a tree) and its answers to a broken or hostile peer. The bytes notepack.io produces are
 * checked against the library itself in {@link NotepackCodecVectorsTest}.
 */
class NotepackCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final NotepackCodec codec = new NotepackCodec();

  private String encode(JsonNode node) {
    return HEX.formatHex(codec.encode(node));
  }

  private JsonNode decode(String hex) {
    return codec.decode(HEX.parseHex(hex));
  }

  private ClusterMessageException refused(String hex) {
    return assertThrows(ClusterMessageException.class, () -> decode(hex), hex);
  }

  // ------------------------------------------------------------------ numbers are JavaScript numbers

  @Test
  void integralDoublesAreWrittenAsIntegersAsJavaScriptCannotTellThemApart() {
    assertEquals("01", encode(DoubleNode.valueOf(1.0)));
    assertEquals("00", encode(DoubleNode.valueOf(-0.0)));
    assertEquals("cd0100", encode(FloatNode.valueOf(256f)));
    assertEquals("ff", encode(DecimalNode.valueOf(new BigDecimal("-1.000"))));
    assertEquals("cb3ff8000000000000", encode(FloatNode.valueOf(1.5f)));
  }

  @Test
  void integersBeyondTwoToThe53LoseWhatJavaScriptWouldLose() {
    // 2^53 + 1 is no double: JavaScript holds 2^53, and notepack writes that.
    assertEquals("cf0020000000000000", encode(LongNode.valueOf((1L << 53) + 1)));
    assertEquals("cf8000000000000000", encode(LongNode.valueOf(Long.MAX_VALUE)));
    assertEquals("d38000000000000000", encode(LongNode.valueOf(Long.MIN_VALUE)));
    assertEquals("cfffffffffffff0000", encode(BigIntegerNode.valueOf(BigInteger.TWO.pow(64).subtract(BigInteger.TWO.pow(16)))));
  }

  @Test
  void decodingKeepsEverySixtyFourBitIntegerExact() {
    assertEquals(LongNode.valueOf((1L << 53) + 1), decode("cf0020000000000001"));
    assertEquals(LongNode.valueOf(Long.MIN_VALUE), decode("d38000000000000000"));
    assertEquals(BigIntegerNode.valueOf(BigInteger.TWO.pow(64).subtract(BigInteger.ONE)), decode("cfffffffffffffffff"));
    assertEquals(LongNode.valueOf(4294967295L), decode("ceffffffff"));
  }

  @Test
  void float32IsReadAsTheDoubleItWidensTo() {
    assertEquals(DoubleNode.valueOf(0.1f), decode("ca3dcccccd"));
  }

  // ------------------------------------------------------------------ strings, binary, undefined

  @Test
  void aLoneSurrogateIsWrittenAsTheReplacementCharacter() {
    assertEquals("a3efbfbd", encode(TextNode.valueOf("\ud800")));
    assertEquals("a6efbfbdefbfbd", encode(TextNode.valueOf("\udc00\ud800")));
    assertEquals("a4f09f9880", encode(TextNode.valueOf("\ud83d\ude00")));
  }

  @Test
  void binaryIsBinaryBothWaysAndAByteArrayPojoToo() {
    assertEquals("c403000102", encode(BinaryNode.valueOf(new byte[] {0, 1, 2})));
    assertEquals("c401ff", encode(new POJONode(new byte[] {(byte) 0xff})));
    assertEquals(BinaryNode.valueOf(new byte[] {0, 1, 2}), decode("c403000102"));
  }

  @Test
  void aPojoWithNoWireFormIsRefusedByName() {
    ClusterMessageException e = assertThrows(ClusterMessageException.class,
        () -> codec.encode(NODES.arrayNode().add(new POJONode(new Object()))));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
  }

  @Test
  void aMissingPropertyIsLeftOutAsNotepackLeavesOutUndefined() {
    ObjectNode o = NODES.objectNode();
    o.set("gone", MissingNode.getInstance());
    o.put("b", 1);
    assertEquals("81a16201", encode(o));
    assertEquals("c0", encode(MissingNode.getInstance()));
  }

  @Test
  void oldUndefinedAloneIsNull() {
    assertTrue(decode("d40000").isNull());
  }

  @Test
  void oldUndefinedOverwritesAnEarlierValueOfTheSameKey() {
    // {"a": 1, "a": undefined} is {a: undefined} in JavaScript, which JSON.stringify shows as {}.
    assertEquals(NODES.objectNode(), decode("82a16101a161d40000"));
  }

  // ------------------------------------------------------------------ dates

  @ParameterizedTest
  @CsvSource({
    // legacy fixext 8 type 0, milliseconds: the extremes of JavaScript's range
    "d700001eb208c2dc0000, +275760-09-13T00:00:00.000Z",
    "d700ffe14df73d240000, -271821-04-20T00:00:00.000Z",
    "d7000000000000000000, 1970-01-01T00:00:00.000Z",
    // timestamp 32 and 64 (nanoseconds truncated to milliseconds, as new Date() does)
    "d6ff00000000, 1970-01-01T00:00:00.000Z",
    "d7ff003d090000000001, 1970-01-01T00:00:01.001Z",
    // timestamp 96 with a negative second count and a year before 0
    "c70cff00000000ffffffa80f054b80, -009999-01-01T00:00:00.000Z",
  })
  void datesDecodeToTheStringDateToJsonGives(String hex, String iso) {
    assertEquals(TextNode.valueOf(iso), decode(hex));
  }

  @Test
  void aDateOutOfJavaScriptsRangeIsNullAsToJsonMakesIt() {
    assertTrue(decode("d700001eb208c2dc0001").isNull(), "8.64e15 + 1 ms");
    assertTrue(decode("c70cff000000000000080000000000").isNull(), "2^43 s");
  }

  // ------------------------------------------------------------------ hostile input

  @Test
  void everyTruncationOfARealMessageIsRefusedAsTruncated() throws Exception {
    byte[] full = HEX.parseHex(NotepackCodecVectorsTest.load("notepack-vectors.json").get("messages").get(1).get("hex").asText());
    assertEquals(7, codec.decode(full).get("type").asInt());
    for (int n = 0; n < full.length; n++) {
      int length = n;
      ClusterMessageException e = assertThrows(ClusterMessageException.class, () -> codec.decode(full, 0, length));
      String m = e.getMessage();
      assertTrue(m.startsWith("truncated") || m.contains("declares") || m.startsWith("empty"), length + ": " + m);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "dbffffffff, value at byte 0 declares 4294967295 bytes or elements but only 5 bytes remain",
    "db7ffffff0, string at byte 0 declares 2147483632 bytes but only 0 remain",
    "c67ffffff0, bin32 at byte 0 declares 2147483632 bytes but only 0 remain",
    "c97ffffff000, ext at byte 0 declares 2147483632 bytes but only 0 remain",
    "dd7ffffff0, array at byte 0 declares 2147483632 elements but only 0 bytes remain",
    "df7ffffff0c0c0, map at byte 0 declares 2147483632 elements but only 2 bytes remain",
    "dcffff01, array at byte 0 declares 65535 elements but only 1 bytes remain",
    "9181a161d9ff61, string at byte 4 declares 255 bytes but only 1 remain",
  })
  void aDeclaredLengthBeyondTheInputFailsBeforeAnythingIsAllocated(String hex, String message) {
    // The message names the check that runs before readPayload: an allocation of 2 GB first would
    // have failed differently (OutOfMemoryError, or "truncated" after the copy).
    ClusterMessageException e = refused(hex);
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void nestingBeyondTheLimitIsRefusedBeforeRecursing() {
    String deep = "91".repeat(100_000) + "c0";
    assertEquals("array at byte 128 nests deeper than maxDepth 128", refused(deep).getMessage());
    String ok = "91".repeat(127) + "c0";
    assertTrue(decode(ok).isArray());
    NotepackCodec shallow = NotepackCodec.builder().maxDepth(2).build();
    assertTrue(shallow.decode(HEX.parseHex("9190")).isArray());
    assertThrows(ClusterMessageException.class, () -> shallow.decode(HEX.parseHex("919190")));
    assertThrows(ClusterMessageException.class, () -> shallow.encode(NODES.arrayNode().add(NODES.arrayNode().add(NODES.arrayNode()))));
  }

  @Test
  void elementsAreCountedAcrossTheWholeMessage() {
    NotepackCodec small = NotepackCodec.builder().maxElements(10).build();
    assertEquals(10, small.decode(HEX.parseHex("92" + "94c0c0c0c0" + "94c0c0c0c0")).size() * 5);
    ClusterMessageException e = assertThrows(ClusterMessageException.class,
        () -> small.decode(HEX.parseHex("92" + "94c0c0c0c0" + "95c0c0c0c0c0")));
    assertEquals("array at byte 6 brings the message over maxElements 10", e.getMessage());
    ArrayNode eleven = NODES.arrayNode();
    for (int i = 0; i < 11; i++) eleven.add(i);
    assertThrows(ClusterMessageException.class, () -> small.encode(eleven));
  }

  @Test
  void theSizeLimitHoldsBothWays() {
    NotepackCodec tiny = NotepackCodec.builder().maxBytes(4).build();
    assertEquals("message of 5 bytes exceeds maxBytes 4", assertThrows(ClusterMessageException.class,
        () -> tiny.decode(HEX.parseHex("a461626364"))).getMessage());
    assertEquals("cannot encode: 5 bytes exceed maxBytes 4",
        assertThrows(ClusterMessageException.class, () -> tiny.encode(TextNode.valueOf("abcd"))).getMessage());
    assertEquals(TextNode.valueOf("abc"), tiny.decode(HEX.parseHex("a3616263")));
  }

  @Test
  void limitsBelowOneAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> NotepackCodec.builder().maxBytes(0));
    assertThrows(IllegalArgumentException.class, () -> NotepackCodec.builder().maxDepth(0));
    assertThrows(IllegalArgumentException.class, () -> NotepackCodec.builder().maxElements(-1));
    NotepackCodec defaults = new NotepackCodec();
    assertEquals(NotepackCodec.DEFAULT_MAX_BYTES, defaults.maxBytes());
    assertEquals(NotepackCodec.DEFAULT_MAX_DEPTH, defaults.maxDepth());
    assertEquals(NotepackCodec.DEFAULT_MAX_ELEMENTS, defaults.maxElements());
  }

  @ParameterizedTest
  @CsvSource({
    "8101c0, 'map key at byte 1 is integer, not a string'",
    "81c0c0, 'map key at byte 1 is nil, not a string'",
    "81c40161c0, 'map key at byte 1 is binary, not a string'",
    "819090, 'map key at byte 1 is array, not a string'",
    "c0c0, '1 trailing bytes after the value, at byte 1'",
    "a161ffff, '2 trailing bytes after the value, at byte 2'",
    "c1, reserved byte 0xc1 at byte 0",
    "9201c1, reserved byte 0xc1 at byte 2",
    "'', empty message: no MessagePack value",
    "d40500, 'unknown ext type 5 (fixext1, 1 bytes) at byte 0'",
    "d5000102, 'unknown ext type 0 (fixext2, 2 bytes) at byte 0'",
    "d8ff00000000000000000000000000000000, 'unknown ext type -1 (fixext16, 16 bytes) at byte 0'",
    "c708ff0000000000000000, 'unknown ext type -1 (ext8, 8 bytes) at byte 0'",
    "c8000cff000000000000000000000000, 'unknown ext type -1 (ext16, 12 bytes) at byte 0'",
    "c70112ff, 'unknown ext type 18 (ext8, 1 bytes) at byte 0'",
  })
  void malformedInputGetsOneExceptionTypeWithASpecificMessage(String hex, String message) {
    assertEquals(message, refused(hex).getMessage());
  }

  @Test
  void randomBytesAndMutatedMessagesNeverThrowAnythingElse() throws Exception {
    Random random = new Random(20261204);
    byte[] real = HEX.parseHex(NotepackCodecVectorsTest.load("notepack-vectors.json").get("messages").get(0).get("hex").asText());
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = new byte[1 + random.nextInt(40)];
        random.nextBytes(input);
      } else {
        input = real.clone();
        for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) input[random.nextInt(input.length)] = (byte) random.nextInt(256);
      }
      try {
        JsonNode decoded = codec.decode(input);
        codec.encode(decoded); // whatever decodes can be written again
      } catch (ClusterMessageException e) {
        refused++;
      } catch (Throwable t) {
        fail("input " + HEX.formatHex(input) + " threw " + t, t);
      }
    }
    assertTrue(refused > 10_000, "most random inputs are refused: " + refused);
  }

  @Test
  void theRefusalKeepsTheLibrarysExceptionAsCause() {
    ClusterMessageException e = refused("a5616263");
    assertTrue(e.getMessage().startsWith("string at byte 0 declares 5 bytes"), e.getMessage());
    ClusterMessageException t = refused("cd01");
    assertInstanceOf(org.msgpack.core.MessageInsufficientBufferException.class, t.getCause());
    assertEquals("truncated: the input ends at byte 2 inside the value that starts at byte 0", t.getMessage());
  }
}
