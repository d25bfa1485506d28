package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.cluster.ClusterJson;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.NotepackCodec;
import dev.switchboard.cluster.WireFlags;
import dev.switchboard.cluster.WireOptions;
import dev.switchboard.cluster.WireVectors;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classic Redis adapter's codec from the Java side: what a Java node builds is byte for byte
 * what a Node node publishes for the same operation, the channel names, and one row per malformed
 * shape of each message (broadcast, requests 0–9, answers) from a broken or hostile peer.
 */
class ClassicCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ClusterJson JSON = new ClusterJson();
  private static final NotepackCodec NOTEPACK = new NotepackCodec();
  private final ClassicCodec codec = new ClassicCodec();

  private static JsonNode json(String text) {
    return JSON.decode(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aJavaBroadcastAndBroadcastWithAckAreTheBytesNodePublishes() throws Exception {
    // notepack-vectors.json: io.to("r").emit("event", 1, {a: true}, <Buffer 01 02>) from the adapter itself.
    JsonNode messages = WireVectors.load("notepack-vectors.json").get("messages");
    ArrayNode data = (ArrayNode) json("[\"event\",1,{\"a\":true}]");
    data.add(new byte[] {1, 2});
    SocketIoPacket packet = SocketIoPacket.event("/", data);
    WireOptions toR = new WireOptions(List.of("r"), List.of(), WireFlags.NONE);
    assertEquals(messages.get(0).get("hex").asText(), HEX.formatHex(codec.encode(new ClassicBroadcast("n0de01", packet, toR))));
    ClassicRequest withAck = new ClassicRequest.BroadcastWithAck("n0de01", "d_ZrFs", packet,
        new WireOptions(List.of("r"), List.of(), WireFlags.NONE.withTimeout(50)));
    assertEquals(messages.get(1).get("hex").asText(), HEX.formatHex(codec.encode(withAck)));
    assertEquals("socket.io#/#r#", new ClassicChannels("socket.io", "/").broadcastChannel(toR.rooms()));
  }

  @Test
  void requestsAndAnswersAreJsonButTheBroadcastWithAckAndTheClientAcks() {
    ClassicRequest join = new ClassicRequest.RemoteJoin("u", new WireOptions(List.of("a"), List.of("b"),
        WireFlags.NONE.with(WireFlags.Flag.LOCAL, false)), List.of("c"));
    assertEquals("{\"uid\":\"u\",\"type\":2,\"opts\":{\"rooms\":[\"a\"],\"except\":[\"b\"]},\"rooms\":[\"c\"]}",
        new String(codec.encode(join), StandardCharsets.UTF_8), "the classic adapter sends no flags with a join");
    assertEquals("{\"type\":8,\"requestId\":\"q\",\"clientCount\":2}",
        new String(codec.encode(new ClassicResponse.BroadcastClientCount("q", 2)), StandardCharsets.UTF_8));
    byte[] ack = codec.encode(new ClassicResponse.BroadcastAck("q", JSON.decode(utf8("\"yes\""))));
    assertEquals("83a47479706509a9726571756573744964a171a67061636b6574a3796573", HEX.formatHex(ack));
    assertTrue(ClassicCodec.isJson(utf8("{}")));
    assertTrue(!ClassicCodec.isJson(ack) && !ClassicCodec.isJson(new byte[0]));
  }

  @Test
  void anAnswerIsReadAsTheAnswerToWhatWasAsked() {
    byte[] sockets = utf8("{\"requestId\":\"q\",\"sockets\":[\"s1\",\"s2\"]}");
    assertEquals(new ClassicResponse.Sockets("q", List.of("s1", "s2")),
        codec.decodeResponse(sockets, id -> ClassicRequestType.SOCKETS));
    assertEquals(new ClassicResponse.FetchSockets("q", List.of()),
        codec.decodeResponse(utf8("{\"requestId\":\"q\",\"sockets\":[]}"), id -> ClassicRequestType.REMOTE_FETCH));
    assertEquals(new ClassicResponse.Done("q"), codec.decodeResponse(utf8("{\"requestId\":\"q\"}"),
        id -> ClassicRequestType.REMOTE_DISCONNECT));
    ClassicResponse.ServerSideEmit noArgument = assertInstanceOf(ClassicResponse.ServerSideEmit.class,
        codec.decodeResponse(utf8("{\"type\":6,\"requestId\":\"q\"}"), Map.of("q", ClassicRequestType.SERVER_SIDE_EMIT)::get));
    assertTrue(noArgument.data().isMissingNode(), "an ack without argument");
    assertThrows(IllegalArgumentException.class, () -> codec.decodeResponse(sockets, id -> ClassicRequestType.BROADCAST_ACK));
  }

  @Test
  void channelsAreTheAdaptersAndARoomIsReadBackFromItsChannel() {
    ClassicChannels ch = new ClassicChannels("my-app", "/chat");
    assertEquals("my-app#/chat#", ch.broadcast());
    assertEquals("my-app#/chat#*", ch.broadcastPattern());
    assertEquals("my-app#/chat#lobby#", ch.room("lobby"));
    assertEquals("my-app#/chat#", ch.broadcastChannel(List.of("a", "b")));
    assertEquals("my-app#/chat#", ch.broadcastChannel(List.of()));
    assertEquals("my-app-request#/chat#", ch.request());
    assertEquals("my-app-response#/chat#", ch.response());
    assertEquals("my-app-response#/chat#Ab3_x-#", ch.response("Ab3_x-"));
    assertEquals(Optional.of(""), ch.roomOf("my-app#/chat#"));
    assertEquals(Optional.of("lobby"), ch.roomOf("my-app#/chat#lobby#"));
    assertEquals(Optional.of("a#b"), ch.roomOf("my-app#/chat#a#b#"), "a room with # in it: ambiguous upstream too");
    assertEquals(Optional.empty(), ch.roomOf("my-app#/chat#lobby"));
    assertEquals(Optional.empty(), ch.roomOf("my-app#/other#lobby#"));
    assertEquals(Optional.empty(), ch.roomOf("my-app-request#/chat#"));
  }

  // ------------------------------------------------------------------------------- hostile peers

  static Stream<Arguments> malformedBroadcasts() {
    String packet = "{\"type\":2,\"data\":[\"e\"],\"nsp\":\"/\"}";
    String opts = "{\"rooms\":[],\"except\":[],\"flags\":{}}";
    return Stream.of(
        arguments("{}", "broadcast is an object, not [uid, packet, opts]"),
        arguments("[\"u\"," + packet + "]", "broadcast is an array of 2 elements, not [uid, packet, opts]"),
        arguments("[\"u\"," + packet + "," + opts + ",4]", "broadcast is an array of 4 elements, not [uid, packet, opts]"),
        arguments("[1," + packet + "," + opts + "]", "broadcast: uid is a number, not a string"),
        arguments("[\"\"," + packet + "," + opts + "]", "broadcast: uid has 0 characters, not 1 to 256"),
        arguments("[\"u\",null," + opts + "]", "broadcast: packet is null, not an object"),
        arguments("[\"u\",{\"type\":2,\"data\":[\"e\"],\"nsp\":\"x\"}," + opts + "]",
            "broadcast: packet: nsp is not a namespace (\"/\" first, no \",\", at most 256 characters)"),
        arguments("[\"u\",{\"type\":1,\"nsp\":\"/\"}," + opts + "]", "broadcast: packet type 1 is not an event (2)"),
        arguments("[\"u\"," + packet + ",null]", "broadcast: opts is null, not an object"),
        arguments("[\"u\"," + packet + ",{\"rooms\":[{}]}]", "broadcast: opts: rooms[0] is an object, not a string"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("malformedBroadcasts")
  void aMalformedBroadcastFailsWithWhatAndWhere(String json, String message) {
    byte[] bytes = NOTEPACK.encode(json(json));
    assertEquals(message, assertThrows(ClusterMessageException.class, () -> codec.decodeBroadcast(bytes)).getMessage());
  }

  @Test
  void aBroadcastThatIsNotNotepackFails() {
    assertEquals("empty message", assertThrows(ClusterMessageException.class,
        () -> codec.decodeBroadcast(new byte[0])).getMessage());
    assertEquals("broadcast is a number, not [uid, packet, opts]", assertThrows(ClusterMessageException.class,
        () -> codec.decodeBroadcast(utf8("{"))).getMessage(), "0x7b is the fixint 123 to notepack");
    byte[] real = HEX.parseHex("93a66e306465303183a47479706502a46461746194a56576656e740181a161c3c4020102a36e7370a12f83a5726f"
        + "6f6d7391a172a665786365707490a5666c61677380");
    for (int cut = 1; cut < real.length; cut++) {
      byte[] truncated = java.util.Arrays.copyOf(real, cut);
      String m = assertThrows(ClusterMessageException.class, () -> codec.decodeBroadcast(truncated)).getMessage();
      assertTrue(m.startsWith("truncated") || m.contains(" declares "), "cut at " + cut + ": " + m);
    }
    // A header announcing a 2^31-element array fails before anything is allocated.
    assertTrue(assertThrows(ClusterMessageException.class, () -> codec.decodeBroadcast(HEX.parseHex("dd7fffffff")))
        .getMessage().contains("declares 2147483647 elements"));
  }

  static Stream<Arguments> malformedRequests() {
    String opts = "\"opts\":{\"rooms\":[],\"except\":[]}";
    return Stream.of(
        arguments("[1]", "request is an array, not an object"),
        arguments("{\"uid\":\"u\"}", "request: type is missing, not a number"),
        arguments("{\"uid\":\"u\",\"type\":10}", "unknown request type 10"),
        arguments("{\"uid\":\"u\",\"type\":-1}", "unknown request type -1"),
        arguments("{\"uid\":\"u\",\"type\":8,\"requestId\":\"q\",\"clientCount\":1}", "unknown request type 8"),
        arguments("{\"uid\":\"u\",\"type\":9,\"requestId\":\"q\"}", "unknown request type 9"),
        arguments("{\"type\":1,\"requestId\":\"q\"}", "ALL_ROOMS request: uid is missing, not a string"),
        arguments("{\"uid\":\"u\",\"type\":0}", "SOCKETS request: requestId is missing, not a string"),
        arguments("{\"uid\":\"u\",\"type\":0,\"requestId\":\"q\",\"rooms\":\"r\"}",
            "SOCKETS request: rooms is a string, not an array"),
        arguments("{\"uid\":\"u\",\"type\":1,\"requestId\":[]}", "ALL_ROOMS request: requestId is an array, not a string"),
        arguments("{\"uid\":\"u\",\"type\":2," + opts + "}", "REMOTE_JOIN request: rooms is missing, not an array"),
        arguments("{\"uid\":\"u\",\"type\":2,\"opts\":[],\"rooms\":[]}", "REMOTE_JOIN request: opts is an array, not an object"),
        arguments("{\"uid\":\"u\",\"type\":2,\"requestId\":\"q\",\"room\":\"r\"}",
            "REMOTE_JOIN request: sid is missing, not a string"),
        arguments("{\"uid\":\"u\",\"type\":2,\"sid\":\"s\",\"room\":\"r\"}",
            "REMOTE_JOIN request: requestId is missing, not a string"),
        arguments("{\"uid\":\"u\",\"type\":3,\"requestId\":\"q\",\"sid\":\"s\"}", "REMOTE_LEAVE request: room is missing, not a string"),
        arguments("{\"uid\":\"u\",\"type\":3," + opts + ",\"rooms\":[false]}",
            "REMOTE_LEAVE request: rooms[0] is a boolean, not a string"),
        arguments("{\"uid\":\"u\",\"type\":4," + opts + ",\"close\":1}", "REMOTE_DISCONNECT request: close is a number, not a boolean"),
        arguments("{\"uid\":\"u\",\"type\":5,\"requestId\":\"q\"}", "REMOTE_FETCH request: opts is missing, not an object"),
        arguments("{\"uid\":\"u\",\"type\":5,\"requestId\":\"q\",\"opts\":{\"except\":\"r\"}}",
            "REMOTE_FETCH request: opts: except is a string, not an array"),
        arguments("{\"uid\":\"u\",\"type\":6}", "SERVER_SIDE_EMIT request: data is missing, not an array"),
        arguments("{\"uid\":\"u\",\"type\":6,\"data\":[]}", "SERVER_SIDE_EMIT request: data is empty, not [event, ...args]"),
        arguments("{\"uid\":\"u\",\"type\":6,\"data\":[{}]}", "SERVER_SIDE_EMIT request: data[0] is an object, not an event name"),
        arguments("{\"uid\":\"u\",\"type\":6,\"requestId\":null,\"data\":[\"e\"]}",
            "SERVER_SIDE_EMIT request: requestId is null, not a string"),
        arguments("{\"uid\":\"u\",\"type\":7,\"requestId\":\"q\"," + opts + "}", "BROADCAST request: packet is missing, not an object"),
        arguments("{\"uid\":\"u\",\"type\":7,\"requestId\":\"q\",\"packet\":{\"type\":2,\"data\":[\"e\"]}}",
            "BROADCAST request: opts is missing, not an object"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("malformedRequests")
  void aMalformedRequestFailsWithWhatAndWhereInEitherEncoding(String json, String message) {
    if (json.startsWith("{")) { // a message that does not start with { is notepack
      assertEquals(message, assertThrows(ClusterMessageException.class, () -> codec.decodeRequest(utf8(json))).getMessage());
    }
    byte[] notepack = NOTEPACK.encode(json(json));
    assertEquals(message, assertThrows(ClusterMessageException.class, () -> codec.decodeRequest(notepack)).getMessage());
  }

  @Test
  void aRequestThatIsNeitherJsonNorNotepackFails() {
    assertEquals("empty message", assertThrows(ClusterMessageException.class, () -> codec.decodeRequest(new byte[0]))
        .getMessage());
    assertEquals("malformed JSON at character 9", assertThrows(ClusterMessageException.class,
        () -> codec.decodeRequest(utf8("{\"uid\":\"u"))).getMessage());
    assertEquals("reserved byte 0xc1 at byte 0", assertThrows(ClusterMessageException.class,
        () -> codec.decodeRequest(new byte[] {(byte) 0xc1})).getMessage());
    String deep = "{\"uid\":\"u\",\"type\":6,\"data\":[\"e\"," + "[".repeat(200) + "]".repeat(200) + "]}";
    assertTrue(assertThrows(ClusterMessageException.class, () -> codec.decodeRequest(utf8(deep))).getMessage()
        .startsWith("JSON nests deeper than maxDepth 128"));
  }

  static Stream<Arguments> malformedAnswers() {
    return Stream.of(
        arguments("[]", ClassicRequestType.SOCKETS, "response is an array, not an object"),
        arguments("{\"sockets\":[]}", ClassicRequestType.SOCKETS, "response: requestId is missing, not a string"),
        arguments("{\"requestId\":\"other\",\"sockets\":[]}", ClassicRequestType.SOCKETS, "answer to no pending request"),
        arguments("{\"requestId\":\"q\"}", ClassicRequestType.SOCKETS, "SOCKETS response: sockets is missing, not an array"),
        arguments("{\"requestId\":\"q\",\"sockets\":[1]}", ClassicRequestType.SOCKETS,
            "SOCKETS response: sockets[0] is a number, not a string"),
        arguments("{\"requestId\":\"q\",\"rooms\":{}}", ClassicRequestType.ALL_ROOMS,
            "ALL_ROOMS response: rooms is an object, not an array"),
        arguments("{\"requestId\":\"q\",\"sockets\":[\"s1\"]}", ClassicRequestType.REMOTE_FETCH,
            "REMOTE_FETCH response: sockets[0] is a string, not an object"),
        arguments("{\"requestId\":\"q\",\"sockets\":[{\"id\":\"s1\"}]}", ClassicRequestType.REMOTE_FETCH,
            "REMOTE_FETCH response: sockets[0]: handshake is missing, not an object"),
        arguments("{\"requestId\":\"q\",\"clientCount\":1}", ClassicRequestType.BROADCAST,
            "BROADCAST response: type is missing, not a number"),
        arguments("{\"type\":7,\"requestId\":\"q\"}", ClassicRequestType.BROADCAST,
            "BROADCAST response: type 7 is not 8 (client count) or 9 (ack)"),
        arguments("{\"type\":8,\"requestId\":\"q\",\"clientCount\":-1}", ClassicRequestType.BROADCAST,
            "BROADCAST response: clientCount is not an integer from 0 to 9007199254740991"),
        arguments("{\"type\":8,\"requestId\":\"q\",\"clientCount\":1e300}", ClassicRequestType.BROADCAST,
            "BROADCAST response: clientCount is not an integer from 0 to 9007199254740991"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("malformedAnswers")
  void aMalformedAnswerOrOneToNothingPendingFails(String json, ClassicRequestType pending, String message) {
    Map<String, ClassicRequestType> pendingRequests = Map.of("q", pending);
    byte[] bytes = json.startsWith("{") ? utf8(json) : NOTEPACK.encode(json(json));
    assertEquals(message, assertThrows(ClusterMessageException.class,
        () -> codec.decodeResponse(bytes, pendingRequests::get)).getMessage());
  }

  @Test
  void onlyTheNotepackDialectFits() {
    assertThrows(IllegalArgumentException.class, () -> new ClassicCodec(NotepackCodec.msgpackJs()));
    ClassicCodec small = new ClassicCodec(NotepackCodec.builder().maxBytes(64).build());
    byte[] big = utf8("{\"uid\":\"u\",\"type\":6,\"data\":[\"" + "x".repeat(100) + "\"]}");
    assertEquals("message of 132 bytes exceeds maxBytes 64", assertThrows(ClusterMessageException.class,
        () -> small.decodeRequest(big)).getMessage(), "the JSON side has the notepack codec's limits");
  }
}
