package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.ClusterMessageType;
import dev.switchboard.cluster.NotepackCodec;
import dev.switchboard.cluster.WireFlags;
import dev.switchboard.cluster.WireOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streams adapter's codec and names from the Java side: stream entries (JSON data, base64
 * MessagePack when binary, plain JSON with onlyPlaintext), pub/sub in the @msgpack/msgpack
 * dialect, persisted sessions, stream hashing and offsets — and one row per malformed entry,
 * message and session from a broken or hostile peer.
 */
class StreamsCodecTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private final StreamsCodec codec = new StreamsCodec();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static ClusterMessage.Broadcast broadcast(Object arg) {
    ArrayNode data = NODES.arrayNode().add("event");
    if (arg instanceof byte[] b) data.add(b);
    else data.add(arg.toString());
    return new ClusterMessage.Broadcast("8b2d1d437b304ac8", "/", SocketIoPacket.event("/", data), WireOptions.ALL);
  }

  @Test
  void aBroadcastIsAnEntryWithJsonDataOrBase64MessagePackWhenItCarriesBinary() {
    Map<String, byte[]> plain = codec.encodeEntry(broadcast("missed"));
    assertEquals(List.of("uid", "nsp", "type", "data"), List.copyOf(plain.keySet()));
    assertEquals("8b2d1d437b304ac8", text(plain.get("uid")));
    assertEquals("3", text(plain.get("type")));
    // As captured: XADD socket.io MAXLEN ~ 10000 * uid … nsp / type 3 data {"packet":…}
    assertEquals("{\"packet\":{\"type\":2,\"data\":[\"event\",\"missed\"]},\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}}",
        text(plain.get("data")));
    Map<String, byte[]> binary = codec.encodeEntry(broadcast(new byte[] {0, 1, (byte) 0xff}));
    assertEquals("gqZwYWNrZXSCpHR5cGUCpGRhdGGSpWV2ZW50xAMAAf+kb3B0c4Olcm9vbXOQpmV4Y2VwdJClZmxhZ3OA", text(binary.get("data")));
    assertEquals(broadcast(new byte[] {0, 1, (byte) 0xff}), codec.decodeEntry(binary));
    StreamsCodec plaintext = new StreamsCodec(NotepackCodec.msgpackJs(), true);
    assertTrue(text(plaintext.encodeEntry(broadcast(new byte[] {7})).get("data"))
        .contains("[\"event\",{\"type\":\"Buffer\",\"data\":[7]}]"), "onlyPlaintext: binary as JSON.stringify writes it");
    Map<String, byte[]> signal = codec.encodeEntry(new ClusterMessage.Signal("u", "/", ClusterMessageType.HEARTBEAT));
    assertEquals(List.of("uid", "nsp", "type"), List.copyOf(signal.keySet()), "no data, no data field");
  }

  @Test
  void ephemeralMessagesAreTheOnesThatWaitForAnswersAndTheAnswers() {
    WireOptions opts = WireOptions.ALL;
    SocketIoPacket p = SocketIoPacket.event("/", NODES.arrayNode().add("e"));
    assertFalse(StreamsCodec.isEphemeral(new ClusterMessage.Broadcast("u", "/", p, opts)));
    assertTrue(StreamsCodec.isEphemeral(new ClusterMessage.BroadcastWithAck("u", "/", "q", p, opts)));
    assertFalse(StreamsCodec.isEphemeral(new ClusterMessage.SocketsJoin("u", "/", opts, List.of("r"))));
    assertFalse(StreamsCodec.isEphemeral(new ClusterMessage.DisconnectSockets("u", "/", opts, false)));
    assertTrue(StreamsCodec.isEphemeral(new ClusterMessage.FetchSockets("u", "/", "q", opts)));
    assertTrue(StreamsCodec.isEphemeral(new ClusterMessage.ServerSideEmit("u", "/", NODES.arrayNode().add("e"))));
    assertTrue(StreamsCodec.isEphemeral(new ClusterMessage.BroadcastClientCount("u", "/", "q", 1)));
  }

  @Test
  void pubSubIsMsgpackWhichKeepsAnUndefinedAckAsNil() {
    ClusterMessage ack = new ClusterMessage.ServerSideEmitResponse("u", "/", "q", MissingNode.getInstance());
    byte[] bytes = codec.encodePubSub(ack);
    assertEquals("84a4747970650aa46461746182a9726571756573744964a171a67061636b6574c0a3756964a175a36e7370a12f",
        HEX.formatHex(bytes));
    assertTrue(((ClusterMessage.ServerSideEmitResponse) codec.decodePubSub(bytes)).packet().isNull());
  }

  @Test
  void aSessionIsTheBase64OfItsMsgpack() {
    // As captured: SET sio:session:L2YZtJw11-9hy7cOAAAN <this> PX 60000
    String stored = "hKNzaWS0YVRwMEJUZjhaVWc2SkxsZkFBQU2jcGlktEwyWVp0SncxMS05aHk3Y09BQUFOpXJvb21zkbRhVHAwQlRmOFpVZzZKTGxmQUFBTaRkYXRhgA==";
    PersistedSession s = codec.decodeSession(utf8(stored));
    assertEquals(new PersistedSession("aTp0BTf8ZUg6JLlfAAAM", "L2YZtJw11-9hy7cOAAAN", List.of("aTp0BTf8ZUg6JLlfAAAM"),
        NODES.objectNode()), s);
    assertEquals(stored, text(codec.encodeSession(s)));
    assertEquals("sio:session:L2YZtJw11-9hy7cOAAAN", StreamsNames.DEFAULTS.sessionKey(s.pid()));
  }

  @Test
  void streamNamesChannelsAndOffsets() {
    StreamsNames three = new StreamsNames("socket.io", 3, "app", "s:");
    assertEquals(List.of("socket.io-0", "socket.io-1", "socket.io-2"), three.streams());
    assertEquals("socket.io--2", three.streamFor("/notifications"), "a negative hash, as upstream");
    assertEquals("socket.io-2", three.streamFor("/"));
    assertEquals(List.of("socket.io"), StreamsNames.DEFAULTS.streams());
    assertEquals("socket.io", StreamsNames.DEFAULTS.streamFor("/anything"));
    assertEquals("app#/chat#", three.publicChannel("/chat"));
    assertEquals("app#/chat#8b2d1d437b304ac8#", three.privateChannel("/chat", "8b2d1d437b304ac8"));
    assertTrue(StreamsNames.isOffset("1796370080355-0"));
    assertFalse(StreamsNames.isOffset("1796370080355"));
    assertFalse(StreamsNames.isOffset("$"));
    assertFalse(StreamsNames.isOffset("1-2\n"));
    assertEquals("1796370080355-1", StreamsNames.nextOffset("1796370080355-0"));
    assertEquals("5-18446744073709551616", StreamsNames.nextOffset("5-18446744073709551615"));
    assertThrows(IllegalArgumentException.class, () -> StreamsNames.nextOffset("0"));
    assertThrows(IllegalArgumentException.class, () -> new StreamsNames("s", 0, "c", "k"));
  }

  @ParameterizedTest(name = "rooms {0} except {1}, session in {2}: {3}")
  @CsvSource(delimiter = '|', value = {
      "''|''|a|true", "b|''|a|false", "a,b|''|b|true", "''|a|a,b|false", "a|b|a,b|false", "a|c|a,b|true", "''|''|''|true"})
  void aStoredBroadcastReachesASessionAsShouldIncludePacketDecides(String rooms, String except, String session,
      boolean reaches) {
    WireOptions opts = new WireOptions(split(rooms), split(except), WireFlags.NONE);
    assertEquals(reaches, StreamsNames.reaches(opts, split(session)));
  }

  private static List<String> split(String s) {
    return s.isEmpty() ? List.of() : List.of(s.split(","));
  }

  // ------------------------------------------------------------------------------- hostile peers

  static Stream<Arguments> malformedEntries() {
    return Stream.of(
        arguments(Map.of("nsp", "/", "type", "4"), "stream entry: field uid is missing"),
        arguments(Map.of("uid", "u", "type", "4"), "stream entry: field nsp is missing"),
        arguments(Map.of("uid", "u", "nsp", "/"), "stream entry: field type is missing"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "3x"), "stream entry: type is not a decimal number"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", ""), "stream entry: type is not a decimal number"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "-3"), "stream entry: type is not a decimal number"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "1234567890"), "stream entry: type is not a decimal number"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "99"), "unknown message type 99"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "4"), "SOCKETS_JOIN message: data is missing, not an object"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "4", "data", "{\"opts\":{}"), "malformed JSON at character 10"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "4", "data", "!!!"), "stream entry: data is neither JSON nor base64"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "3", "data", Base64.getEncoder().encodeToString(new byte[] {(byte) 0x91, 1})),
            "BROADCAST message: data is an array, not an object"),
        arguments(Map.of("uid", "u", "nsp", "/", "type", "3", "data", Base64.getEncoder().encodeToString(new byte[] {(byte) 0x82})),
            "map at byte 0 declares 2 elements but only 0 bytes remain"),
        arguments(Map.of("uid", "", "nsp", "/", "type", "4", "data", "{\"opts\":{},\"rooms\":[]}"),
            "SOCKETS_JOIN message: uid has 0 characters, not 1 to 256"),
        arguments(Map.of("uid", "u", "nsp", "/a,b", "type", "4", "data", "{\"opts\":{},\"rooms\":[]}"),
            "SOCKETS_JOIN message: nsp is not a namespace (\"/\" first, no \",\", at most 256 characters)"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("malformedEntries")
  void aMalformedStreamEntryFailsWithWhatAndWhere(Map<String, String> fields, String message) {
    Map<String, byte[]> raw = new LinkedHashMap<>();
    fields.forEach((k, v) -> raw.put(k, utf8(v)));
    assertEquals(message, assertThrows(ClusterMessageException.class, () -> codec.decodeEntry(raw)).getMessage());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "''|empty message",
      "9101|message is an array, not an object",
      "84a474797065|map at byte 0 declares 4 elements but only 5 bytes remain",
      "81a95f5f70726f746f5f5f01|map key __proto__ at byte 1 is refused",
      "83a47479706509a3756964a175a36e7370a12f|SERVER_SIDE_EMIT message: data is missing, not an object",
      "84a47479706509a464617461d40000a3756964a175a36e7370a12f|unknown ext type 0 (fixext1, 1 bytes) at byte 12"})
  void aMalformedPubSubMessageFails(String hex, String message) {
    byte[] bytes = HEX.parseHex(hex);
    assertEquals(message, assertThrows(ClusterMessageException.class, () -> codec.decodePubSub(bytes)).getMessage());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "not base64!|persisted session is not base64",
      "''|persisted session is empty",
      "kQE=|persisted session is an array, not an object",
      "g6NzaWShc6NwaWShcKVyb29tc5EB|persisted session: rooms[0] is a number, not a string",
      "gqNzaWShc6Vyb29tc5A=|persisted session: pid is missing, not a string"})
  void aMalformedSessionFails(String stored, String message) {
    assertEquals(message, assertThrows(ClusterMessageException.class, () -> codec.decodeSession(utf8(stored))).getMessage());
  }

  @Test
  void onlyTheMsgpackDialectFits() {
    assertThrows(IllegalArgumentException.class, () -> new StreamsCodec(new NotepackCodec(), false));
  }
}
