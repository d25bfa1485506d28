package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ClusterAdapter message model: what Java code builds is what Node writes, and a message from
 * a broken or hostile node fails with a ClusterMessageException naming the message and the field —
 * one row per malformed shape of each type.
 */
class ClusterMessageTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ClusterJson JSON = new ClusterJson();
  private static final String HANDSHAKE = "{\"headers\":{\"host\":\"h\",\"set-cookie\":[\"a\",\"b\"]},\"time\":\"t\","
      + "\"address\":\"127.0.0.1\",\"xdomain\":false,\"secure\":true,\"issued\":1796370077236,\"url\":\"/socket.io/\","
      + "\"query\":{\"EIO\":\"4\"},\"auth\":{}}";

  private static JsonNode json(String text) {
    return JSON.decode(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(ClusterMessage m) {
    return new String(JSON.encode(m.toTree()), StandardCharsets.UTF_8);
  }

  @Test
  void aBroadcastBuiltInJavaIsWhatClusterAdapterPublishes() {
    SocketIoPacket packet = SocketIoPacket.event("/", json("[\"event\",\"two rooms\"]"));
    WireOptions opts = new WireOptions(List.of("room1", "room2"), List.of("room3"), WireFlags.NONE);
    // As captured from socket.io-adapter 2.5.8 (redis-sharded, "broadcast to two rooms except a third").
    assertEquals("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"event\",\"two rooms\"]},\"opts\":{\"rooms\":"
        + "[\"room1\",\"room2\"],\"except\":[\"room3\"],\"flags\":{}}},\"uid\":\"b49e5b1e4eea8dcc\",\"nsp\":\"/\"}",
        text(new ClusterMessage.Broadcast("b49e5b1e4eea8dcc", "/", packet, opts)));
  }

  @Test
  void everyTypeReadsBackToAnEqualRecord() {
    SocketIoPacket packet = SocketIoPacket.event("/chat", json("[\"e\",1]"), 7);
    WireOptions opts = new WireOptions(List.of("r"), List.of(), WireFlags.NONE.withTimeout(50));
    SocketDetails socket = SocketDetails.fromTree(json("{\"id\":\"s1\",\"handshake\":" + HANDSHAKE
        + ",\"rooms\":[\"s1\",\"r\"],\"data\":{\"x\":1}}"), "socket");
    List<ClusterMessage> all = List.of(
        new ClusterMessage.Signal("u", "/chat", ClusterMessageType.INITIAL_HEARTBEAT),
        new ClusterMessage.Signal("u", "/chat", ClusterMessageType.HEARTBEAT),
        new ClusterMessage.Signal("u", "/chat", ClusterMessageType.ADAPTER_CLOSE),
        new ClusterMessage.Broadcast("u", "/chat", packet, opts),
        new ClusterMessage.BroadcastWithAck("u", "/chat", "q", packet, opts),
        new ClusterMessage.SocketsJoin("u", "/chat", opts, List.of("a", "b")),
        new ClusterMessage.SocketsLeave("u", "/chat", opts, List.of("a")),
        new ClusterMessage.DisconnectSockets("u", "/chat", opts, true),
        new ClusterMessage.FetchSockets("u", "/chat", "q", opts),
        new ClusterMessage.FetchSocketsResponse("u", "/chat", "q", List.of(socket)),
        new ClusterMessage.ServerSideEmit("u", "/chat", (ArrayNode) json("[\"hi\",2]")),
        new ClusterMessage.ServerSideEmitWithAck("u", "/chat", "q",
            (ArrayNode) json("[\"hi\"]")),
        new ClusterMessage.ServerSideEmitResponse("u", "/chat", "q", json("{\"ok\":true}")),
        new ClusterMessage.BroadcastClientCount("u", "/chat", "q", 3),
        new ClusterMessage.BroadcastAck("u", "/chat", "q", NODES.binaryNode(new byte[] {1})));
    for (ClusterMessage m : all) {
      ClusterMessage back = ClusterMessage.fromTree(m.toTree());
      assertEquals(m, back, m.type().toString());
      assertEquals(m.type(), back.type());
    }
    assertEquals(13, all.stream().map(ClusterMessage::type).distinct().count(), "every type");
  }

  @Test
  void anUndefinedAckValueIsLeftOutAndReadBackAsUndefined() {
    ClusterMessage m = new ClusterMessage.BroadcastAck("u", "/", "q", MissingNode.getInstance());
    assertEquals("{\"type\":12,\"data\":{\"requestId\":\"q\"},\"uid\":\"u\",\"nsp\":\"/\"}", text(m));
    assertTrue(((ClusterMessage.BroadcastAck) ClusterMessage.fromTree(json(text(m)))).packet().isMissingNode());
  }

  @Test
  void aBinaryEventFromAnOldEmitterIsAnEventAndAPacketNamespaceIsTheMessages() {
    ClusterMessage m = ClusterMessage.fromTree(json("{\"type\":3,\"data\":{\"packet\":{\"type\":5,\"data\":[\"e\"],"
        + "\"nsp\":\"/\"},\"opts\":{\"rooms\":[],\"except\":[]}},\"uid\":\"u\",\"nsp\":\"/\"}"));
    SocketIoPacket p = ((ClusterMessage.Broadcast) m).packet();
    assertEquals(SocketIoPacketType.EVENT, p.type());
    assertEquals("/", p.namespace());
    assertEquals(WireFlags.NONE, ((ClusterMessage.Broadcast) m).opts().flags(), "absent flags are none");
  }

  @Test
  void absentRoomsAndCloseReadAsNodeReadsThem() {
    ClusterMessage m = ClusterMessage.fromTree(json("{\"type\":6,\"data\":{\"opts\":{}},\"uid\":\"u\",\"nsp\":\"/\"}"));
    ClusterMessage.DisconnectSockets d = assertInstanceOf(ClusterMessage.DisconnectSockets.class, m);
    assertEquals(WireOptions.ALL, d.opts());
    assertFalse(d.close());
  }

  @Test
  void flagsKeepTheOrderTheyWereSetInAndSocketIosMeaning() {
    WireFlags f = WireFlags.NONE.with(WireFlags.Flag.COMPRESS, false).with(WireFlags.Flag.VOLATILE, true);
    assertEquals("{\"compress\":false,\"volatile\":true}", f.toString());
    assertEquals("{\"compress\":true,\"volatile\":true}", f.with(WireFlags.Flag.COMPRESS, true).toString(),
        "set again in place, as Object.assign");
    assertTrue(f.isVolatile());
    assertFalse(f.compress());
    assertTrue(WireFlags.NONE.compress(), "compression unless compress:false");
    assertFalse(f.local());
    assertEquals(OptionalLong.empty(), f.timeout());
    assertEquals(OptionalLong.of(5000), f.withTimeout(5000).timeout());
    assertEquals(List.of(WireFlags.Flag.COMPRESS, WireFlags.Flag.VOLATILE), f.flags());
    WireFlags read = WireFlags.fromTree(json("{\"expectSingleResponse\":true,\"timeout\":100,\"future\":\"x\"}"), "m");
    assertTrue(read.expectSingleResponse());
    assertEquals("{\"expectSingleResponse\":true,\"timeout\":100}", read.toString(), "an unknown flag is dropped");
    assertThrows(IllegalArgumentException.class, () -> WireFlags.NONE.with(WireFlags.Flag.TIMEOUT, true));
    assertThrows(IllegalArgumentException.class, () -> WireFlags.NONE.withTimeout(-1));
  }

  @Test
  void binaryIsFoundWhereverItIs() {
    assertFalse(WireFields.hasBinary(json("{\"a\":[1,{\"b\":\"c\"}]}")));
    ObjectNode o = (ObjectNode) json(
        "{\"a\":[1,{\"b\":\"c\"}]}");
    ((ObjectNode) o.get("a").get(1)).put("bin", new byte[] {1});
    assertTrue(WireFields.hasBinary(o));
    assertTrue(WireFields.hasBinary(NODES.pojoNode(new byte[0])));
  }

  // ------------------------------------------------------------------------------- hostile peers

  static Stream<Arguments> malformed() {
    String p = "\"packet\":{\"type\":2,\"data\":[\"e\"]}";
    String o = "\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}";
    String end = ",\"uid\":\"u\",\"nsp\":\"/\"}";
    return Stream.of(
        arguments("[]", "message is an array, not an object"),
        arguments("{\"uid\":\"u\",\"nsp\":\"/\"}", "message: type is missing, not a number"),
        arguments("{\"type\":\"3\"" + end, "message: type is a string, not a number"),
        arguments("{\"type\":3.5" + end, "message: type is not an integer from -2147483648 to 2147483647"),
        arguments("{\"type\":0" + end, "unknown message type 0"),
        arguments("{\"type\":14" + end, "unknown message type 14"),
        arguments("{\"type\":9,\"data\":{\"packet\":[\"e\"]},\"nsp\":\"/\"}",
            "SERVER_SIDE_EMIT message: uid is missing, not a string"),
        arguments("{\"type\":9,\"data\":{\"packet\":[\"e\"]},\"uid\":\"\",\"nsp\":\"/\"}",
            "SERVER_SIDE_EMIT message: uid has 0 characters, not 1 to 256"),
        arguments("{\"type\":9,\"data\":{\"packet\":[\"e\"]},\"uid\":\"" + "u".repeat(257) + "\",\"nsp\":\"/\"}",
            "SERVER_SIDE_EMIT message: uid has 257 characters, not 1 to 256"),
        arguments("{\"type\":9,\"data\":{\"packet\":[\"e\"]},\"uid\":\"u\",\"nsp\":\"chat\"}",
            "SERVER_SIDE_EMIT message: nsp is not a namespace (\"/\" first, no \",\", at most 256 characters)"),
        arguments("{\"type\":9,\"data\":{\"packet\":[\"e\"]},\"uid\":\"u\",\"nsp\":7}",
            "SERVER_SIDE_EMIT message: nsp is a number, not a string"),
        arguments("{\"type\":3" + end, "BROADCAST message: data is missing, not an object"),
        arguments("{\"type\":3,\"data\":[]" + end, "BROADCAST message: data is an array, not an object"),
        arguments("{\"type\":3,\"data\":{" + o + "}" + end, "BROADCAST message: packet is missing, not an object"),
        arguments("{\"type\":3,\"data\":{\"packet\":{\"type\":0,\"data\":[\"e\"]}," + o + "}" + end,
            "BROADCAST message: packet type 0 is not an event (2)"),
        arguments("{\"type\":3,\"data\":{\"packet\":{\"type\":7,\"data\":[\"e\"]}," + o + "}" + end,
            "BROADCAST message: packet: type is not an integer from 0 to 6"),
        arguments("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":{}}," + o + "}" + end,
            "BROADCAST message: packet: data is an object, not an array"),
        arguments("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[]}," + o + "}" + end,
            "BROADCAST message: packet data is empty, not [event, ...args]"),
        arguments("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[{}]}," + o + "}" + end,
            "BROADCAST message: packet: data[0] is an object, not an event name"),
        arguments("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"disconnect\"]}," + o + "}" + end,
            "BROADCAST message: packet event name is reserved"),
        arguments("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"e\"],\"nsp\":3}," + o + "}" + end,
            "BROADCAST message: packet: nsp is a number, not a string"),
        arguments("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"e\"],\"id\":-1}," + o + "}" + end,
            "BROADCAST message: packet: id is not an integer from 0 to 9007199254740991"),
        arguments("{\"type\":3,\"data\":{" + p + "}" + end, "BROADCAST message: opts is missing, not an object"),
        arguments("{\"type\":3,\"data\":{" + p + ",\"opts\":{\"rooms\":\"r\"}}" + end,
            "BROADCAST message: opts: rooms is a string, not an array"),
        arguments("{\"type\":3,\"data\":{" + p + ",\"opts\":{\"rooms\":[\"r\",1]}}" + end,
            "BROADCAST message: opts: rooms[1] is a number, not a string"),
        arguments("{\"type\":3,\"data\":{" + p + ",\"opts\":{\"except\":[null]}}" + end,
            "BROADCAST message: opts: except[0] is null, not a string"),
        arguments("{\"type\":3,\"data\":{" + p + ",\"opts\":{\"flags\":[]}}" + end,
            "BROADCAST message: opts: flags is an array, not an object"),
        arguments("{\"type\":3,\"data\":{" + p + ",\"opts\":{\"flags\":{\"volatile\":\"yes\"}}}" + end,
            "BROADCAST message: opts: flags: volatile is a string, not a boolean"),
        arguments("{\"type\":3,\"data\":{" + p + ",\"opts\":{\"flags\":{\"timeout\":-1}}}" + end,
            "BROADCAST message: opts: flags: timeout is not an integer from 0 to 9007199254740991"),
        arguments("{\"type\":3,\"data\":{" + p + ",\"requestId\":5," + o + "}" + end,
            "BROADCAST message: requestId is a number, not a string"),
        arguments("{\"type\":4,\"data\":{" + o + "}" + end, "SOCKETS_JOIN message: rooms is missing, not an array"),
        arguments("{\"type\":5,\"data\":{" + o + ",\"rooms\":[[]]}" + end,
            "SOCKETS_LEAVE message: rooms[0] is an array, not a string"),
        arguments("{\"type\":6,\"data\":{" + o + ",\"close\":\"true\"}" + end,
            "DISCONNECT_SOCKETS message: close is a string, not a boolean"),
        arguments("{\"type\":7,\"data\":{" + o + "}" + end, "FETCH_SOCKETS message: requestId is missing, not a string"),
        arguments("{\"type\":8,\"data\":{\"requestId\":\"q\",\"sockets\":{}}" + end,
            "FETCH_SOCKETS_RESPONSE message: sockets is an object, not an array"),
        arguments("{\"type\":8,\"data\":{\"requestId\":\"q\",\"sockets\":[1]}" + end,
            "FETCH_SOCKETS_RESPONSE message: sockets[0] is a number, not an object"),
        arguments("{\"type\":8,\"data\":{\"requestId\":\"q\",\"sockets\":[{\"id\":\"s\",\"rooms\":[]}]}" + end,
            "FETCH_SOCKETS_RESPONSE message: sockets[0]: handshake is missing, not an object"),
        arguments("{\"type\":8,\"data\":{\"requestId\":\"q\",\"sockets\":[{\"id\":\"s\",\"handshake\":"
            + HANDSHAKE.replace("\"host\":\"h\"", "\"host\":1") + ",\"rooms\":[]}]}" + end,
            "FETCH_SOCKETS_RESPONSE message: sockets[0]: handshake: headers.host is a number, not a string or an array of strings"),
        arguments("{\"type\":8,\"data\":{\"requestId\":\"q\",\"sockets\":[{\"id\":\"s\",\"handshake\":"
            + HANDSHAKE.replace("1796370077236", "\"now\"") + ",\"rooms\":[]}]}" + end,
            "FETCH_SOCKETS_RESPONSE message: sockets[0]: handshake: issued is a string, not a number"),
        arguments("{\"type\":8,\"data\":{\"requestId\":\"q\",\"sockets\":[{\"id\":\"s\",\"handshake\":" + HANDSHAKE
            + ",\"rooms\":[2]}]}" + end, "FETCH_SOCKETS_RESPONSE message: sockets[0]: rooms[0] is a number, not a string"),
        arguments("{\"type\":9,\"data\":{\"packet\":[]}" + end, "SERVER_SIDE_EMIT message: packet is empty, not [event, ...args]"),
        arguments("{\"type\":9,\"data\":{\"packet\":[1]}" + end, "SERVER_SIDE_EMIT message: packet[0] is a number, not an event name"),
        arguments("{\"type\":9,\"data\":{\"packet\":\"e\"}" + end, "SERVER_SIDE_EMIT message: packet is a string, not an array"),
        arguments("{\"type\":10,\"data\":{\"packet\":1}" + end,
            "SERVER_SIDE_EMIT_RESPONSE message: requestId is missing, not a string"),
        arguments("{\"type\":11,\"data\":{\"requestId\":\"q\",\"clientCount\":-1}" + end,
            "BROADCAST_CLIENT_COUNT message: clientCount is not an integer from 0 to 9007199254740991"),
        arguments("{\"type\":11,\"data\":{\"requestId\":\"q\",\"clientCount\":\"2\"}" + end,
            "BROADCAST_CLIENT_COUNT message: clientCount is a string, not a number"),
        arguments("{\"type\":12,\"data\":{\"packet\":1}" + end, "BROADCAST_ACK message: requestId is missing, not a string"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("malformed")
  void aMalformedMessageFailsWithWhatAndWhere(String json, String message) {
    JsonNode tree = json(json);
    ClusterMessageException e = assertThrows(ClusterMessageException.class, () -> ClusterMessage.fromTree(tree));
    assertEquals(message, e.getMessage());
  }
}
