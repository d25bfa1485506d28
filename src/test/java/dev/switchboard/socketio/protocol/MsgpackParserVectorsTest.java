package dev.switchboard.socketio.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.protocol.SocketIoDecoder.Sender;
import dev.switchboard.socketio.protocol.SocketIoProtocolException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes npm socket.io-msgpack-parser 3.0.2 writes (msgpack-parser-vectors.json, made by
 * conformance/msgpack/parser-vectors.mjs from the library itself): what a client sends decodes to
 * the packet its own Decoder sees, and our server packets are the very bytes Node's server writes.
 */
class MsgpackParserVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> vectors() throws IOException {
    try (InputStream in = MsgpackParserVectorsTest.class.getResourceAsStream("msgpack-parser-vectors.json")) {
      JsonNode root = JSON.readTree(in);
      List<Arguments> out = new ArrayList<>();
      for (JsonNode v : root.get("vectors")) out.add(Arguments.of(v.get("name").asText(), v));
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesWhatTheLibraryWrites(String name, JsonNode vector) throws Exception {
    byte[] bytes = HEX.parseHex(vector.get("hex").asText());
    Sender from = vector.get("from").asText().equals("client") ? Sender.CLIENT : Sender.SERVER;
    SocketIoPacket packet = MsgpackParser.newDecoder(SocketIoLimits.DEFAULTS, from).add(bytes);
    assertEquals(expected(vector.get("packet")), packet);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodesNodesServerBytes(String name, JsonNode vector) {
    if (!vector.get("sameBytes").asBoolean()) return;
    SocketIoPacket packet = expected(vector.get("packet"));
    SocketIoEncoder.Encoded e = SocketIoParser.MSGPACK.encode(packet);
    assertEquals(null, e.text());
    assertEquals(vector.get("hex").asText(), HEX.formatHex(e.attachments().get(0)));
  }

  /**
   * The decoder is not streaming: one Engine.IO message is one whole packet. Fed the message cut
   * short at every byte, it refuses each prefix (and so cannot be fed a byte at a time); a byte
   * more is refused as trailing.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void refusesEveryPrefixAndTrailingBytes(String name, JsonNode vector) {
    byte[] bytes = HEX.parseHex(vector.get("hex").asText());
    for (int n = 0; n < bytes.length; n++) {
      byte[] prefix = java.util.Arrays.copyOf(bytes, n);
      SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class,
          () -> MsgpackParser.newDecoder(SocketIoLimits.DEFAULTS, Sender.SERVER).add(prefix), "prefix " + n);
      assertEquals(Kind.MALFORMED, e.kind());
    }
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class,
        () -> MsgpackParser.newDecoder(SocketIoLimits.DEFAULTS, Sender.SERVER).add(longer));
    assertEquals("Trailing bytes after the packet", e.getMessage());
  }

  private static SocketIoPacket expected(JsonNode p) {
    JsonNode data = p.has("data") ? untag(p.get("data")) : null;
    long id = p.has("id") ? p.get("id").asLong() : SocketIoPacket.NO_ACK_ID;
    return new SocketIoPacket(SocketIoPacketType.values()[p.get("type").asInt()], p.get("nsp").asText(), data, id);
  }

  /** {"$binary": hex} → BinaryNode, recursively. */
  private static JsonNode untag(JsonNode node) {
    if (node.isObject() && node.size() == 1 && node.has("$binary")) {
      return BinaryNode.valueOf(HEX.parseHex(node.get("$binary").asText()));
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, untag(node.get(i)));
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      it.forEachRemaining(entries::add);
      for (Map.Entry<String, JsonNode> e : entries) ((ObjectNode) node).set(e.getKey(), untag(e.getValue()));
    }
    return node;
  }
}
