package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.NotepackCodec;
import dev.switchboard.cluster.WireFlags;
import dev.switchboard.cluster.WireOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sharded Redis adapter's codec and channels from the Java side: JSON unless the data holds
 * binary, where each message is published in each subscription mode, and what a broken peer's
 * bytes give (the shape of each message type is ClusterMessageTest's).
 */
class ShardedCodecTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private final ShardedCodec codec = new ShardedCodec();

  private static ArrayNode args(Object... values) {
    ArrayNode a = NODES.arrayNode();
    for (Object v : values) {
      if (v instanceof byte[] b) a.add(b);
      else a.add(v.toString());
    }
    return a;
  }

  private static ClusterMessage.Broadcast broadcastTo(String... rooms) {
    return new ClusterMessage.Broadcast("b49e5b1e4eea8dcc", "/", SocketIoPacket.event("/", args("e")),
        new WireOptions(List.of(rooms), List.of(), WireFlags.NONE));
  }

  @Test
  void jsonUnlessATypeThatMayCarryBinaryCarriesSome() {
    ClusterMessage plain = new ClusterMessage.ServerSideEmit("u", "/", args("hello", "x"));
    assertEquals("{\"type\":9,\"data\":{\"packet\":[\"hello\",\"x\"]},\"uid\":\"u\",\"nsp\":\"/\"}",
        new String(codec.encode(plain), StandardCharsets.UTF_8));
    ClusterMessage binary = new ClusterMessage.ServerSideEmit("u", "/", args("hello", new byte[] {(byte) 0xbe}));
    byte[] bytes = codec.encode(binary);
    assertEquals("84a47479706509a46461746181a67061636b657492a568656c6c6fc401bea3756964a175a36e7370a12f", HEX.formatHex(bytes));
    assertEquals(binary, codec.decode(bytes));
    ClusterMessage count = new ClusterMessage.BroadcastClientCount("u", "/", "q", 2);
    assertEquals('{', codec.encode(count)[0]);
  }

  @ParameterizedTest(name = "{0} mode, {1}: {2}")
  @CsvSource({
      "STATIC, one room, socket.io#/#",
      "STATIC, a socket id, socket.io#/#",
      "STATIC, two rooms, socket.io#/#",
      "DYNAMIC, one room, socket.io#/#lobby#",
      "DYNAMIC, a socket id, socket.io#/#",
      "DYNAMIC, two rooms, socket.io#/#",
      "DYNAMIC, with ack, socket.io#/#",
      "DYNAMIC_PRIVATE, one room, socket.io#/#lobby#",
      "DYNAMIC_PRIVATE, a socket id, socket.io#/#68bImaAe7J0xqIO2AAAC#",
      "DYNAMIC_PRIVATE, two rooms, socket.io#/#",
      "DYNAMIC_PRIVATE, with ack, socket.io#/#",
      "DYNAMIC_PRIVATE, a join, socket.io#/#"})
  void aMessageIsPublishedWhereTheModeSays(SubscriptionMode mode, String what, String channel) {
    ClusterMessage m = switch (what) {
      case "one room" -> broadcastTo("lobby");
      case "a socket id" -> broadcastTo("68bImaAe7J0xqIO2AAAC");
      case "two rooms" -> broadcastTo("lobby", "hall");
      case "with ack" -> new ClusterMessage.BroadcastWithAck("u", "/", "q", SocketIoPacket.event("/", args("e")),
          new WireOptions(List.of("lobby"), List.of(), WireFlags.NONE.withTimeout(5)));
      default -> new ClusterMessage.SocketsJoin("u", "/", new WireOptions(List.of("lobby"), List.of(), WireFlags.NONE),
          List.of("x"));
    };
    assertEquals(channel, new ShardedChannels(ShardedChannels.DEFAULT_PREFIX, "/", mode).publishChannel(m));
  }

  @Test
  void channelsAndSubscriptions() {
    ShardedChannels ch = new ShardedChannels("app", "/chat", SubscriptionMode.DYNAMIC);
    assertEquals("app#/chat#", ch.main());
    assertEquals("app#/chat#b49e5b1e4eea8dcc#", ch.response("b49e5b1e4eea8dcc"));
    assertEquals("app#/chat#lobby#", ch.room("lobby"));
    assertTrue(ShardedChannels.looksLikeASocketId("68bImaAe7J0xqIO2AAAC"));
    assertFalse(ShardedChannels.looksLikeASocketId("lobby"));
    assertTrue(SubscriptionMode.DYNAMIC.subscribesToRoom(false));
    assertFalse(SubscriptionMode.DYNAMIC.subscribesToRoom(true));
    assertTrue(SubscriptionMode.DYNAMIC_PRIVATE.subscribesToRoom(true));
    assertFalse(SubscriptionMode.STATIC.subscribesToRoom(false));
    assertEquals("dynamic-private", SubscriptionMode.DYNAMIC_PRIVATE.optionValue());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "''|empty message",
      "7b2274797065223a|malformed JSON at character 8",
      "7b2274797065223a39397d|unknown message type 99",
      "93010203|message is an array, not an object",
      "81a474797065|truncated: the input ends at byte 6 inside the value that starts at byte 6",
      "81a474797065c1|reserved byte 0xc1 at byte 6",
      "dfffffffff|value at byte 0 declares 4294967295 bytes or elements but only 5 bytes remain"})
  void bytesThatAreNoMessageFail(String hex, String message) {
    byte[] bytes = HEX.parseHex(hex);
    assertEquals(message, assertThrows(ClusterMessageException.class, () -> codec.decode(bytes)).getMessage());
  }

  @Test
  void onlyTheNotepackDialectFits() {
    assertThrows(IllegalArgumentException.class, () -> new ShardedCodec(NotepackCodec.msgpackJs()));
  }
}
