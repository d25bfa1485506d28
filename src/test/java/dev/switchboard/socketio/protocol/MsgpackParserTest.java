package dev.switchboard.socketio.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.switchboard.socketio.protocol.SocketIoDecoder.Sender;
import dev.switchboard.socketio.protocol.SocketIoProtocolException.Kind;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * {@link MsgpackParser}: hostile input from a client (each row one message, refused with the exact
 * message and kind, the decoder left corrupt), and what the encoder writes.
 */
class MsgpackParserTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final String MALFORMED = "MALFORMED";
  private static final String LIMIT = "LIMIT_EXCEEDED";

  /** Raw bytes inside a packed value. */
  private record Raw(String hex) {}

  /** Packs Java values: String, Integer/Long/Double, Boolean, null, byte[], List, Map, Raw. */
  static byte[] pack(Object value) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      write(p, value);
      return p.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void write(MessagePacker p, Object v) throws IOException {
    if (v == null) p.packNil();
    else if (v instanceof String s) p.packString(s);
    else if (v instanceof Integer i) p.packInt(i);
    else if (v instanceof Long l) p.packLong(l);
    else if (v instanceof Double d) p.packDouble(d);
    else if (v instanceof Boolean b) p.packBoolean(b);
    else if (v instanceof byte[] b) p.packBinaryHeader(b.length).writePayload(b);
    else if (v instanceof Raw r) p.writePayload(HEX.parseHex(r.hex()));
    else if (v instanceof List<?> list) {
      p.packArrayHeader(list.size());
      for (Object o : list) write(p, o);
    } else if (v instanceof Map<?, ?> map) {
      p.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        write(p, e.getKey());
        write(p, e.getValue());
      }
    } else throw new IllegalArgumentException(String.valueOf(v));
  }

  /** An ordered map from alternating keys and values. */
  static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static Map<Object, Object> event(Object... data) {
    return map("type", 2, "data", List.of(data), "nsp", "/");
  }

  private static List<Object> nested(int depth) {
    Object v = 1;
    for (int i = 0; i < depth; i++) v = List.of(v);
    @SuppressWarnings("unchecked") List<Object> list = (List<Object>) v;
    return list;
  }

  private static Arguments row(String label, String message, String kind, Object input) {
    return Arguments.of(label, input instanceof String s ? s : pack(input), message, Kind.valueOf(kind));
  }

  private static Arguments bytes(String label, String message, String kind, String hex) {
    return Arguments.of(label, HEX.parseHex(hex), message, Kind.valueOf(kind));
  }

  static Stream<Arguments> hostile() {
    SocketIoLimits d = SocketIoLimits.DEFAULTS;
    return Stream.of(
        row("text message", "Text message, but the msgpack parser sends every packet as one binary message", MALFORMED,
            "2[\"x\"]"),
        bytes("empty message", "Empty message", MALFORMED, ""),
        row("root is an array", "Packet is not a MessagePack map", MALFORMED, List.of(2, "/")),
        row("root is an integer", "Packet is not a MessagePack map", MALFORMED, 2),
        Arguments.of("root is a string", pack("2[\"x\"]"), "Packet is not a MessagePack map", Kind.MALFORMED),
        bytes("root is nil", "Packet is not a MessagePack map", MALFORMED, "c0"),
        bytes("reserved byte 0xc1", "Invalid MessagePack", MALFORMED, "c1"),
        bytes("0xc1 inside the data", "Invalid MessagePack", MALFORMED, "83a474797065 02 a464617461 92a178c1 a36e7370a12f".replace(" ", "")),
        bytes("trailing bytes", "Trailing bytes after the packet", MALFORMED, "82a47479706501a36e7370a12f00"),
        bytes("truncated map", "Truncated MessagePack", MALFORMED, "83a47479706501"),
        bytes("map 32 declaring 2^31-1 entries", "Truncated MessagePack", MALFORMED, "df7fffffff"),
        bytes("array 32 declaring 2^32-1 elements", "Invalid MessagePack", MALFORMED,
            "83a47479706502a464617461dd ffffffff a36e7370a12f".replace(" ", "")),
        bytes("str 32 declaring 2 GB", "Truncated MessagePack", MALFORMED,
            "83a47479706502a46461746191db7ffffff0".replace(" ", "")),
        bytes("bin 32 declaring 2 GB", "Truncated MessagePack", MALFORMED,
            "83a47479706502a46461746192a178c67ffffff0".replace(" ", "")),
        row("no type", "Invalid packet type", MALFORMED, map("data", List.of("x"), "nsp", "/")),
        row("type 5 (BINARY_EVENT has no msgpack form)", "Invalid packet type", MALFORMED, map("type", 5, "data", List.of("x"), "nsp", "/")),
        row("type 6", "Invalid packet type", MALFORMED, map("type", 6, "data", List.of(), "id", 1, "nsp", "/")),
        row("type 7", "Invalid packet type", MALFORMED, map("type", 7, "nsp", "/")),
        row("type -1", "Invalid packet type", MALFORMED, map("type", -1, "nsp", "/")),
        row("type 2.5", "Invalid packet type", MALFORMED, map("type", 2.5, "data", List.of("x"), "nsp", "/")),
        row("type \"2\"", "Invalid packet type", MALFORMED, map("type", "2", "data", List.of("x"), "nsp", "/")),
        row("type nil", "Invalid packet type", MALFORMED, map("type", null, "nsp", "/")),
        row("type 2^64-1", "Invalid packet type", MALFORMED, map("type", new Raw("cfffffffffffffffff"), "nsp", "/")),
        row("D99 CONNECT_ERROR from a client", "CONNECT_ERROR is sent only by servers", MALFORMED,
            map("type", 4, "data", map("message", "x"), "nsp", "/")),
        row("no nsp", "Invalid namespace", MALFORMED, map("type", 2, "data", List.of("x"))),
        row("nsp is a number", "Invalid namespace", MALFORMED, map("type", 2, "data", List.of("x"), "nsp", 1)),
        row("nsp nil", "Invalid namespace", MALFORMED, map("type", 2, "data", List.of("x"), "nsp", null)),
        row("nsp without '/'", "Invalid namespace", MALFORMED, map("type", 0, "nsp", "admin")),
        row("nsp empty", "Invalid namespace", MALFORMED, map("type", 0, "nsp", "")),
        row("nsp with ','", "Invalid namespace", MALFORMED, map("type", 0, "nsp", "/a,b")),
        row("D95 nsp too long", "Namespace too long (max 256)", LIMIT, map("type", 0, "nsp", "/" + "a".repeat(256))),
        row("D93 CONNECT data is an array", "Invalid CONNECT payload", MALFORMED, map("type", 0, "data", List.of(), "nsp", "/")),
        row("D93 CONNECT data is a string", "Invalid CONNECT payload", MALFORMED, map("type", 0, "data", "tok", "nsp", "/")),
        row("D98 DISCONNECT with data", "Invalid DISCONNECT payload", MALFORMED, map("type", 1, "data", map(), "nsp", "/")),
        row("D84 EVENT without data", "Invalid EVENT payload", MALFORMED, map("type", 2, "nsp", "/")),
        row("D84 EVENT data nil", "Invalid EVENT payload", MALFORMED, map("type", 2, "data", null, "nsp", "/")),
        row("D84 EVENT data object", "Invalid EVENT payload", MALFORMED, map("type", 2, "data", map("a", 1), "nsp", "/")),
        row("D84 EVENT empty array", "Invalid EVENT payload", MALFORMED, map("type", 2, "data", List.of(), "nsp", "/")),
        row("D85 event name is a map", "Invalid event name", MALFORMED, event(map("toString", "x"))),
        row("D85 event name is binary", "Invalid event name", MALFORMED, event(new byte[] {1})),
        row("D85 event name is true", "Invalid event name", MALFORMED, event(true, "x")),
        row("D86 reserved event name", "Reserved event name: connect", MALFORMED, event("connect")),
        row("D86 reserved newListener", "Reserved event name: newListener", MALFORMED, event("newListener", 1)),
        row("event name too long", "Event name too long (max 256)", LIMIT, event("e".repeat(257))),
        row("D90 ACK data object", "Invalid ACK payload", MALFORMED, map("type", 3, "data", map(), "id", 1, "nsp", "/")),
        row("ACK without id", "ACK without ack id", MALFORMED, map("type", 3, "data", List.of(), "nsp", "/")),
        row("D87 id is a string", "Invalid ack id", MALFORMED, map("type", 2, "data", List.of("x"), "id", "1", "nsp", "/")),
        row("D87 id is negative", "Invalid ack id", MALFORMED, map("type", 2, "data", List.of("x"), "id", -1, "nsp", "/")),
        row("D87 id is 1.5", "Invalid ack id", MALFORMED, map("type", 2, "data", List.of("x"), "id", 1.5, "nsp", "/")),
        row("D87 id nil", "Invalid ack id", MALFORMED, map("type", 2, "data", List.of("x"), "id", null, "nsp", "/")),
        row("D88 id over maxAckId", "Ack id too large (max 2147483647)", LIMIT,
            map("type", 2, "data", List.of("x"), "id", 2147483648L, "nsp", "/")),
        row("id on CONNECT", "CONNECT packets carry no ack id", MALFORMED, map("type", 0, "id", 1, "nsp", "/")),
        row("duplicate packet key", "Duplicate key in packet map", MALFORMED,
            map("type", 2, "data", List.of("x"), "nsp", "/", new Raw("a474797065"), 1)),
        row("duplicate key in data", "Duplicate key in map", MALFORMED,
            event("x", map("a", 1, new Raw("a161"), 2))),
        row("integer map key", "Map key is not a string", MALFORMED, event("x", map(1, 2))),
        row("integer packet key", "Map key is not a string", MALFORMED, map(1, 2, "type", 0, "nsp", "/")),
        row("D101 data nested one level too deep", "MessagePack nesting too deep (max 64)", LIMIT,
            event("x", nested(d.maxNestingDepth()))),
        row("D101 deep nesting in an ignored key", "MessagePack nesting too deep (max 64)", LIMIT,
            map("type", 0, "nsp", "/", "options", nested(100))),
        row("D101 10 000 nested arrays", "MessagePack nesting too deep (max 64)", LIMIT,
            map("type", 2, "data", new Raw("91".repeat(10_000) + "01"), "nsp", "/")),
        row("string over maxStringLength", "String too long (max 10)", LIMIT, event("x", "y".repeat(11))),
        row("E111 binary over maxAttachmentBytesTotal", "Binary data too large (max 8 bytes)", LIMIT,
            event("x", new byte[5], new byte[4])),
        row("ext type 5", "Unsupported MessagePack ext type 5", MALFORMED, event("x", new Raw("d40501"))),
        row("timestamp ext -1 (notepack 3, not written by 2.2)", "Unsupported MessagePack ext type -1", MALFORMED,
            event("x", new Raw("d6ff00000001"))),
        row("ext type 0 of fixext 2", "Unsupported MessagePack ext type 0", MALFORMED, event("x", new Raw("d5000102"))));
  }

  /** Limits small enough for the string and binary rows. */
  private static SocketIoLimits limitsFor(String label) {
    if (label.startsWith("string over")) return SocketIoLimits.DEFAULTS.withMaxStringLength(10);
    if (label.startsWith("E111")) return SocketIoLimits.DEFAULTS.withMaxAttachmentBytesTotal(8);
    return SocketIoLimits.DEFAULTS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void refusesAndStaysCorruptUntilReset(String label, Object input, String message, Kind kind) throws Exception {
    PacketDecoder decoder = SocketIoParser.MSGPACK.newDecoder(limitsFor(label));
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class,
        () -> feed(decoder, input));
    assertEquals(message, e.getMessage());
    assertEquals(kind, e.kind());
    assertThrows(IllegalStateException.class, () -> decoder.add(pack(event("ok"))));
    decoder.reset();
    assertEquals(SocketIoPacket.event("/", JSON.readTree("[\"ok\"]")), decoder.add(pack(event("ok"))));
  }

  private static SocketIoPacket feed(PacketDecoder decoder, Object input) throws SocketIoProtocolException {
    return input instanceof String s ? decoder.add(s) : decoder.add((byte[]) input);
  }

  /**
   * socket.io-msgpack-parser's own test "throws an error upon invalid format" (test/index.js),
   * row for row, decoded as a client decodes (so CONNECT_ERROR is a server's packet): each is
   * refused here too, with our message for the reason the parser gives. Its other tests
   * (connection, binary, acks, multiplexing, namespace error, broadcasting) are scenarios of the
   * {@code socket.io-msgpack} conformance suite.
   */
  static Stream<Arguments> theParsersOwnInvalidFormats() {
    return Stream.of(
        Arguments.of("Could not parse: empty", new byte[0], "Empty message"),
        Arguments.of("invalid packet type: {}", pack(map()), "Invalid packet type"),
        Arguments.of("invalid packet type: type \"a\"", pack(map("type", "a")), "Invalid packet type"),
        Arguments.of("invalid packet type: type 7", pack(map("type", 7)), "Invalid packet type"),
        Arguments.of("invalid packet type: a Buffer", pack(new byte[] {1}), "Packet is not a MessagePack map"),
        Arguments.of("invalid namespace: none", pack(map("type", 2)), "Invalid namespace"),
        Arguments.of("invalid namespace: 2", pack(map("type", 2, "nsp", 2)), "Invalid namespace"),
        Arguments.of("invalid payload: none", pack(map("type", 2, "nsp", "/")), "Invalid EVENT payload"),
        Arguments.of("invalid payload: 4", pack(map("type", 2, "nsp", "/", "data", 4)), "Invalid EVENT payload"),
        Arguments.of("invalid payload: CONNECT_ERROR []", pack(map("type", 4, "nsp", "/", "data", List.of())),
            "Invalid CONNECT_ERROR payload"),
        Arguments.of("invalid packet id: \"a\"", pack(map("type", 2, "nsp", "/", "data", List.of(), "id", "a")),
            "Invalid ack id"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("theParsersOwnInvalidFormats")
  void refusesTheParsersOwnInvalidFormats(String label, byte[] input, String message) {
    PacketDecoder decoder = MsgpackParser.newDecoder(SocketIoLimits.DEFAULTS, Sender.SERVER);
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class, () -> decoder.add(input));
    assertEquals(message, e.getMessage());
  }

  @Test
  void acceptsWhatTheLimitsAllowAndIgnoresUnknownKeys() throws Exception {
    PacketDecoder decoder = SocketIoParser.MSGPACK.newDecoder(SocketIoLimits.DEFAULTS);
    SocketIoPacket deep = decoder.add(pack(event("x", nested(SocketIoLimits.DEFAULTS.maxNestingDepth() - 1))));
    assertEquals(SocketIoPacketType.EVENT, deep.type());
    // Keys in any order, an unknown key (socket.io-client's options), type 2.0 (Number.isInteger).
    SocketIoPacket p = decoder.add(pack(map("nsp", "/chat", "options", map("compress", true), "id", 7,
        "data", List.of("m", new byte[] {1, 2}), "type", 2.0)));
    assertEquals("/chat", p.namespace());
    assertEquals(7, p.ackId());
    assertArrayEquals(new byte[] {1, 2}, p.data().get(1).binaryValue());
    // A CONNECT whose data is undefined (fixext 1, type 0) has no auth.
    assertNull(decoder.add(pack(map("type", 0, "data", new Raw("d40000"), "nsp", "/"))).data());
  }

  @Test
  void encodesEachTypeAsNodesServerDoes() throws Exception {
    ArrayNode args = (ArrayNode) JSON.readTree("[\"ev\",1]");
    assertEquals("83a47479706502a46461746192a2657601a36e7370a12f", hex(SocketIoPacket.event("/", args)));
    assertEquals("84a47479706502a46461746192a2657601a269640ba36e7370a22f61", hex(SocketIoPacket.event("/a", args, 11)));
    assertEquals("84a47479706503a46461746190a2696400a36e7370a12f",
        hex(SocketIoPacket.ack("/", NODES.arrayNode(), 0)));
    assertEquals("82a47479706501a36e7370a12f", hex(SocketIoPacket.disconnect("/")));
    // BINARY_EVENT / BINARY_ACK have no msgpack type: 2 and 3, the binary inline as bin 8.
    ArrayNode withBinary = NODES.arrayNode().add("b").add(BinaryNode.valueOf(new byte[] {9}));
    assertEquals("83a47479706502a46461746192a162c40109a36e7370a12f",
        hex(new SocketIoPacket(SocketIoPacketType.BINARY_EVENT, "/", withBinary, -1)));
    assertEquals("84a47479706503a46461746191c40109a2696401a36e7370a12f",
        hex(new SocketIoPacket(SocketIoPacketType.BINARY_ACK, "/", NODES.arrayNode().add(BinaryNode.valueOf(new byte[] {9})), 1)));
  }

  @Test
  void writesNumbersAsNotepackAndStringsAsNodesBuffer() throws Exception {
    ArrayNode args = NODES.arrayNode().add("n").add(DoubleNode.valueOf(1.0)).add(DoubleNode.valueOf(-0.0))
        .add(LongNode.valueOf(1L << 53)).add(DoubleNode.valueOf(0.5)).add(NODES.numberNode(new java.math.BigInteger("18446744073709551615")))
        .add("a\ud800b");
    byte[] wire = SocketIoParser.MSGPACK.encode(SocketIoPacket.event("/", args)).attachments().get(0);
    String h = HEX.formatHex(wire);
    // 1.0 → 01, -0.0 → 00, 2^53 → uint 64, 0.5 → float 64, 2^64-1 → uint 64, lone surrogate → EF BF BD.
    assertTrue(h.contains("97a16e0100cf0020000000000000cb3fe0000000000000cfffffffffffffffffa561efbfbd62"), h);
  }

  @Test
  void refusesWhatTheClientWouldRefuse() {
    MsgpackParser p = MsgpackParser.INSTANCE;
    assertThrows(IllegalArgumentException.class, () -> p.encode(SocketIoPacket.event("/", NODES.arrayNode())));
    assertThrows(IllegalArgumentException.class,
        () -> p.encode(SocketIoPacket.event("/", NODES.arrayNode().add("connect"))));
    assertThrows(IllegalArgumentException.class,
        () -> p.encode(new SocketIoPacket(SocketIoPacketType.DISCONNECT, "/", NODES.objectNode(), -1)));
    JsonNode tooDeep = NODES.arrayNode().add("x");
    JsonNode inner = tooDeep;
    for (int i = 0; i < SocketIoEncoder.MAX_NESTING_DEPTH; i++) inner = ((ArrayNode) inner).addArray();
    JsonNode deep = tooDeep;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.encode(SocketIoPacket.event("/", deep)));
    assertEquals("Packet data nested deeper than 256 levels", e.getMessage());
  }

  @Test
  void roundTripsThroughItsOwnDecoder() throws Exception {
    PacketDecoder client = MsgpackParser.newDecoder(SocketIoLimits.DEFAULTS, Sender.SERVER);
    List<SocketIoPacket> packets = List.of(
        SocketIoPacket.connect("/", JSON.readTree("{\"sid\":\"abc\",\"pid\":\"p\"}")),
        SocketIoPacket.connectError("/x", JSON.readTree("{\"message\":\"no\",\"data\":{\"code\":1}}")),
        SocketIoPacket.event("/r", JSON.readTree("[\"é😀\",{\"a\":[true,null,-7,3000000000]},\"\"]"), 2147483647),
        SocketIoPacket.ack("/", NODES.arrayNode().add(BinaryNode.valueOf(new byte[300])), 3),
        SocketIoPacket.disconnect("/r"));
    for (SocketIoPacket packet : packets) {
      SocketIoEncoder.Encoded e = SocketIoParser.MSGPACK.encode(packet);
      assertNull(e.text());
      assertEquals(packet, client.add(e.attachments().get(0)));
    }
  }

  @Test
  void parserIsChosenByName() {
    assertSame(SocketIoParser.MSGPACK, SocketIoParser.named("msgpack"));
    assertSame(SocketIoParser.DEFAULT, SocketIoParser.named("Default"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SocketIoParser.named("json"));
    assertEquals("Unknown parser \"json\" (default or msgpack)", e.getMessage());
  }

  private static String hex(SocketIoPacket packet) {
    return HEX.formatHex(SocketIoParser.MSGPACK.encode(packet).attachments().get(0));
  }
}
