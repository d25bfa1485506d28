package dev.switchboard.socketio.protocol;

import static dev.switchboard.socketio.protocol.SocketIoSpecVectors.bytes;
import static dev.switchboard.socketio.protocol.SocketIoSpecVectors.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.protocol.SocketIoEncoder.Encoded;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SocketIoEncoderTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A {@code depth}-deep chain of arrays, built without recursion. */
  static ArrayNode nestedArrays(int depth) {
    ArrayNode root = NODES.arrayNode();
    ArrayNode current = root;
    for (int i = 1; i < depth; i++) current = current.addArray();
    return root;
  }

  static ObjectNode nestedObjects(int depth) {
    ObjectNode root = NODES.objectNode();
    ObjectNode current = root;
    for (int i = 1; i < depth; i++) current = current.putObject("a");
    return root;
  }

  @Test
  void refusesToReemitA100000DeepArrayWithoutOverflowingTheStack() {
    // hostile-inputs.md#D101, the re-emit path: socket.io-parser's recursive hasBinary crashed here.
    ArrayNode args = NODES.arrayNode().add("relay");
    args.add(nestedArrays(100_000));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SocketIoEncoder.encode(SocketIoPacket.event("/", args)));
    assertEquals("Packet data nested deeper than 256 levels", e.getMessage());
  }

  @Test
  void refusesA100000DeepObjectWithBinaryWithoutOverflowingTheStack() {
    ArrayNode args = NODES.arrayNode().add("relay").add(BinaryNode.valueOf(bytes(1)));
    args.add(nestedObjects(100_000));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SocketIoEncoder.encode(SocketIoPacket.event("/", args)));
    assertEquals("Packet data nested deeper than 256 levels", e.getMessage());
  }

  @Test
  void encodesDataExactlyAtTheDepthCap() throws SocketIoProtocolException {
    ArrayNode args = NODES.arrayNode().add("x");
    args.add(nestedArrays(SocketIoEncoder.MAX_NESTING_DEPTH - 1));
    String text = SocketIoEncoder.encode(SocketIoPacket.event("/", args)).text();
    assertEquals("2[\"x\"," + "[".repeat(255) + "]".repeat(255) + "]", text);
    SocketIoDecoder deep = new SocketIoDecoder(SocketIoLimits.DEFAULTS.withMaxNestingDepth(256));
    assertEquals(args, deep.add(text).data());
  }

  @Test
  void countsABinaryValueAsThePlaceholderObjectItBecomes() {
    ArrayNode args = NODES.arrayNode().add("x");
    ArrayNode deepest = args.addArray();
    for (int depth = 3; depth < SocketIoEncoder.MAX_NESTING_DEPTH; depth++) deepest = deepest.addArray();
    deepest.add(BinaryNode.valueOf(bytes(5)));
    Encoded e = SocketIoEncoder.encode(SocketIoPacket.event("/", args));
    assertEquals("51-[\"x\"," + "[".repeat(254) + "{\"_placeholder\":true,\"num\":0}" + "]".repeat(254) + "]", e.text());

    deepest.addArray().add(BinaryNode.valueOf(bytes(6)));
    IllegalArgumentException tooDeep = assertThrows(IllegalArgumentException.class,
        () -> SocketIoEncoder.encode(SocketIoPacket.event("/", args)));
    assertEquals("Packet data nested deeper than 256 levels", tooDeep.getMessage());
  }

  @Test
  void reemitsTheDeepestArgumentTheDecoderAccepts() throws SocketIoProtocolException {
    // hostile-inputs.md#D101: whatever the decoder lets through, a relay can send on.
    String wire = "2[\"x\"," + "[".repeat(63) + "]".repeat(63) + "]";
    JsonNode argument = new SocketIoDecoder(SocketIoLimits.DEFAULTS).add(wire).data().get(1);
    ArrayNode relayed = NODES.arrayNode().add("relayed").add(NODES.objectNode().set("from", argument));
    String text = SocketIoEncoder.encode(SocketIoPacket.event("/room", relayed)).text();
    assertTrue(text.startsWith("2/room,[\"relayed\",{\"from\":[[["), text);
  }

  @Test
  void replacesBinaryInDocumentOrderWithoutTouchingTheInput() {
    ArrayNode args = (ArrayNode) json("[\"x\",{\"b\":0,\"a\":[0,{\"c\":0}]},0]");
    ((ObjectNode) args.get(1)).set("b", BinaryNode.valueOf(bytes(1)));
    ((ArrayNode) args.get(1).get("a")).set(0, BinaryNode.valueOf(bytes(2)));
    ((ObjectNode) args.get(1).get("a").get(1)).set("c", BinaryNode.valueOf(bytes(3)));
    args.set(2, BinaryNode.valueOf(bytes(4)));
    JsonNode before = args.deepCopy();
    Encoded e = SocketIoEncoder.encode(SocketIoPacket.event("/", args, 9));
    assertEquals("54-9[\"x\",{\"b\":{\"_placeholder\":true,\"num\":0},\"a\":[{\"_placeholder\":true,\"num\":1},"
        + "{\"c\":{\"_placeholder\":true,\"num\":2}}]},{\"_placeholder\":true,\"num\":3}]", e.text());
    for (int i = 0; i < 4; i++) assertArrayEquals(bytes(i + 1), e.attachments().get(i));
    assertEquals(before, args);
  }

  @Test
  void sharesTheBinaryNodesArrays() {
    byte[] payload = bytes(1, 2, 3);
    ArrayNode args = NODES.arrayNode().add("x").add(BinaryNode.valueOf(payload));
    assertSame(payload, SocketIoEncoder.encode(SocketIoPacket.event("/", args)).attachments().get(0));
  }

  /** What the API layer will do: ObjectMapper.valueToTree on a POJO holding byte[]. */
  public record Upload(String name, byte[] content) {}

  @Test
  void encodesBinaryFromValueToTreeOfAPojo() {
    JsonNode upload = new ObjectMapper().valueToTree(new Upload("a.png", bytes(0x89, 0x50)));
    assertTrue(upload.get("content").isBinary());
    ArrayNode args = NODES.arrayNode().add("upload").add(upload);
    Encoded e = SocketIoEncoder.encode(SocketIoPacket.ack("/", args, 4));
    assertEquals("61-4[\"upload\",{\"name\":\"a.png\",\"content\":{\"_placeholder\":true,\"num\":0}}]", e.text());
    assertArrayEquals(bytes(0x89, 0x50), e.attachments().get(0));
  }

  @Test
  void sendsBinaryTypesWithoutBinaryAsPlainTypes() {
    // socket.io-parser 4.2.7 refuses a zero attachment count (hostile-inputs.md#E113), so never send one.
    assertEquals("2[\"x\"]", SocketIoEncoder.encode(
        new SocketIoPacket(SocketIoPacketType.BINARY_EVENT, "/", json("[\"x\"]"), -1)).text());
    assertEquals("31[]", SocketIoEncoder.encode(
        new SocketIoPacket(SocketIoPacketType.BINARY_ACK, "/", json("[]"), 1)).text());
  }

  @Test
  void writesTheTenAttachmentsOfficialClientsAccept() {
    ArrayNode args = NODES.arrayNode().add("x");
    for (int i = 0; i < 10; i++) args.add(BinaryNode.valueOf(bytes(i)));
    assertEquals(10, SocketIoEncoder.encode(SocketIoPacket.event("/", args)).attachments().size());
  }

  static Stream<Arguments> misuse() {
    ArrayNode eleven = NODES.arrayNode().add("x");
    for (int i = 0; i < 11; i++) eleven.add(BinaryNode.valueOf(bytes(i)));
    return Stream.of(
        misuse("CONNECT with array data", "CONNECT data must be an object",
            () -> SocketIoPacket.connect("/", json("[1]"))),
        misuse("CONNECT with an ack id", "CONNECT packets carry no ack id",
            () -> new SocketIoPacket(SocketIoPacketType.CONNECT, "/", null, 1)),
        misuse("DISCONNECT with data", "DISCONNECT carries no data",
            () -> new SocketIoPacket(SocketIoPacketType.DISCONNECT, "/", json("{}"), -1)),
        misuse("EVENT without data", "EVENT data must be a non-empty array", () -> SocketIoPacket.event("/", null)),
        misuse("EVENT with empty array", "EVENT data must be a non-empty array", () -> SocketIoPacket.event("/", json("[]"))),
        misuse("EVENT with object name", "Event name must be a string or a number",
            () -> SocketIoPacket.event("/", json("[{}]"))),
        misuse("EVENT with reserved name", "Reserved event name: disconnecting",
            () -> SocketIoPacket.event("/", json("[\"disconnecting\"]"))),
        misuse("EVENT with 11 attachments", "Too many binary attachments: 11 > 10",
            () -> SocketIoPacket.event("/", eleven)),
        misuse("EVENT with ack id above 2^53-1", "Ack id exceeds 2^53-1",
            () -> SocketIoPacket.event("/", json("[\"x\"]"), SocketIoProtocol.MAX_SAFE_INTEGER + 1)),
        misuse("ACK without ack id", "ACK needs an ack id",
            () -> new SocketIoPacket(SocketIoPacketType.ACK, "/", json("[]"), -1)),
        misuse("ACK with object data", "ACK data must be an array", () -> SocketIoPacket.ack("/", json("{}"), 1)),
        misuse("CONNECT_ERROR without data", "CONNECT_ERROR data must be an object or a string",
            () -> SocketIoPacket.connectError("/", null)),
        misuse("binary data in CONNECT", "Binary data is only allowed in EVENT and ACK packets",
            () -> SocketIoPacket.connect("/", NODES.objectNode().set("k", BinaryNode.valueOf(bytes(1))))));
  }

  private static Arguments misuse(String label, String message, Supplier<SocketIoPacket> packet) {
    return Arguments.of(label, message, packet);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misuse")
  void refusesPacketsThePeerWouldHaveToReject(String label, String message, Supplier<SocketIoPacket> packet) {
    SocketIoPacket p = packet.get();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SocketIoEncoder.encode(p));
    assertEquals(message, e.getMessage());
  }

  @Test
  void encodesConnectErrorWithAStringPayload() {
    assertEquals("4/x,\"Invalid namespace\"",
        SocketIoEncoder.encode(SocketIoPacket.connectError("/x", NODES.textNode("Invalid namespace"))).text());
  }

  @Test
  void encodesTheInvalidNamespaceReply() {
    // hostile-inputs.md#D94: the reply the dispatcher sends for an unknown namespace.
    Encoded e = SocketIoEncoder.encode(SocketIoPacket.connectError("/random", json("{\"message\":\"Invalid namespace\"}")));
    assertEquals("4/random,{\"message\":\"Invalid namespace\"}", e.text());
    assertEquals(List.of(), e.attachments());
  }

  /**
   * The encoder writes common payloads itself rather than through ObjectMapper (the cost of an
   * ack, BENCHMARKS.md); its output must stay byte for byte Jackson's, for every character in
   * strings and keys, every int and long edge, empty and nested containers, and trees holding a
   * node it leaves to Jackson (a double, a BigInteger, a float).
   */
  @Test
  void writesPayloadsExactlyAsJacksonDoes() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> payloads = new java.util.ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    for (int c = 0; c <= 0xFFFF; c++) {
      chunk.append((char) c); // lone surrogates included: Jackson writes them as they are
      if (chunk.length() == 512 || c == 0xFFFF) {
        String text = chunk.toString();
        ObjectNode o = NODES.objectNode().put(text, text);
        payloads.add(NODES.arrayNode().add(text).add(o));
        chunk.setLength(0);
      }
    }
    payloads.add(NODES.arrayNode().add("\"quoted\" \\ back\bspace\ttab\nnew\fform\rret\u0000\u001f\u007f/ é ✓ 😀"));
    payloads.add(NODES.arrayNode().add(0).add(-1).add(Integer.MAX_VALUE).add(Integer.MIN_VALUE)
        .add(Long.MAX_VALUE).add(Long.MIN_VALUE).add(true).add(false).addNull());
    payloads.add(NODES.arrayNode().add(NODES.arrayNode()).add(NODES.objectNode())
        .add(json("{\"a\":{\"b\":[1,{\"c\":null,\"d\":[[],{}]}],\"e\":\"f\"},\"g\":[true]}")));
    payloads.add(NODES.arrayNode().add("x").add(1.5));
    payloads.add(NODES.arrayNode().add(json("{\"big\":123456789012345678901234567890,\"d\":[1,2.25,-0.5e-7]}")));
    payloads.add(NODES.arrayNode().add(NODES.numberNode(1.25f)).add(NODES.numberNode((short) 7)));
    for (JsonNode data : payloads) {
      ArrayNode event = NODES.arrayNode().add("ev").addAll((ArrayNode) data);
      assertEquals("27" + mapper.writeValueAsString(event), SocketIoEncoder.encode(SocketIoPacket.event("/", event, 7)).text());
      assertEquals("3/a,8" + mapper.writeValueAsString(data), SocketIoEncoder.encode(SocketIoPacket.ack("/a", data, 8)).text());
    }
  }
}
