package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.protocol.MsgpackParser;
import dev.switchboard.socketio.protocol.PacketDecoder;
import dev.switchboard.socketio.protocol.SocketIoDecoder.Sender;
import dev.switchboard.socketio.protocol.SocketIoLimits;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import dev.switchboard.socketio.protocol.SocketIoParser;
import dev.switchboard.testing.RawWebSocketClient;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server with {@code parser(SocketIoParser.MSGPACK)} seen through raw WebSocket frames: every
 * packet is one binary message both ways, a broadcast reaches each client as the same bytes, and a
 * message the parser refuses closes that connection only (as a bad packet does with the default
 * parser). The official client's view is the {@code socket.io-msgpack} conformance suite.
 */
class MsgpackServerTest {
  private static final String WS = "/socket.io/?EIO=4&transport=websocket";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private SocketIoServer io;

  @BeforeEach
  void start() throws Exception {
    io = new SocketIoServer(SocketIoOptions.builder()
        .parser(SocketIoParser.MSGPACK)
        .net(NetOptions.builder().host("127.0.0.1").build())
        .build());
    io.onConnection(socket -> {
      socket.emit("auth", socket.handshake().auth());
      socket.on("echo", (args, ack) -> ack.send(args.toArray()));
      socket.on("shout", (args, ack) -> io.emit("shouted", args.toArray()));
    });
    io.listen(0);
  }

  @AfterEach
  void stop() {
    io.close();
  }

  private static byte[] encode(SocketIoPacket p) {
    return MsgpackParser.INSTANCE.encode(p).attachments().get(0);
  }

  /** Reads one binary message and decodes it as a client would. */
  private static SocketIoPacket read(RawWebSocketClient ws) throws Exception {
    RawWebSocketClient.Frame f = ws.read();
    assertEquals(2, f.opcode(), "a binary frame");
    PacketDecoder d = MsgpackParser.newDecoder(SocketIoLimits.DEFAULTS, Sender.SERVER);
    return d.add(f.payload());
  }

  private RawWebSocketClient connected(String authJson) throws Exception {
    RawWebSocketClient ws = RawWebSocketClient.open(io.port(), WS);
    assertTrue(ws.readText().startsWith("0{"), "Engine.IO open stays text");
    ws.sendBinary(encode(SocketIoPacket.connect("/", authJson == null ? null : JSON.readTree(authJson))));
    SocketIoPacket connect = read(ws);
    assertEquals(SocketIoPacketType.CONNECT, connect.type());
    assertTrue(connect.data().get("sid").isTextual());
    SocketIoPacket auth = read(ws);
    assertEquals(JSON.readTree("[\"auth\"," + (authJson == null ? "{}" : authJson) + "]"), auth.data());
    return ws;
  }

  @Test
  void eventsAcksAndBinaryAreBinaryMessages() throws Exception {
    try (RawWebSocketClient ws = connected("{\"token\":\"t\"}")) {
      ArrayNode args = JSON.createArrayNode().add("echo").add(BinaryNode.valueOf(new byte[] {1, 2, 3})).add(2.5);
      ws.sendBinary(encode(SocketIoPacket.event("/", args, 4)));
      SocketIoPacket ack = read(ws);
      assertEquals(SocketIoPacketType.ACK, ack.type());
      assertEquals(4, ack.ackId());
      assertArrayEquals(new byte[] {1, 2, 3}, ack.data().get(0).binaryValue());
      assertEquals(2.5, ack.data().get(1).doubleValue());
    }
  }

  @Test
  void aBroadcastIsTheSameBytesForEveryone() throws Exception {
    try (RawWebSocketClient a = connected(null); RawWebSocketClient b = connected(null)) {
      a.sendBinary(encode(SocketIoPacket.event("/", JSON.readTree("[\"shout\",\"hi\"]"))));
      RawWebSocketClient.Frame fa = a.read();
      RawWebSocketClient.Frame fb = b.read();
      assertArrayEquals(fa.payload(), fb.payload());
      // {type: 2, data: ["shouted", "hi"], nsp: "/"}
      assertEquals("83a47479706502a46461746192a773686f75746564a26869a36e7370a12f", HEX.formatHex(fa.payload()));
    }
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("a text message", List.of("t:42[\"echo\",1]")),
        Arguments.of("not a map", List.of("b:92a165a178")),
        Arguments.of("BINARY_EVENT type 5", List.of("b:83a47479706505a46461746191a178a36e7370a12f")),
        Arguments.of("trailing byte", List.of("b:83a47479706502a46461746191a178a36e7370a12f00")),
        Arguments.of("reserved event name", List.of("b:83a47479706502a46461746191a7636f6e6e656374a36e7370a12f")),
        Arguments.of("10 000 nested arrays", List.of("b:83a47479706502a464617461" + "91".repeat(10_000) + "01a36e7370a12f")),
        Arguments.of("event on a namespace not joined", List.of("b:83a47479706502a46461746191a178a36e7370a62f61646d696e")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aRefusedMessageClosesThatConnectionOnly(String name, List<String> frames) throws Exception {
    try (RawWebSocketClient bystander = connected(null); RawWebSocketClient attacker = connected(null)) {
      for (String f : frames) {
        if (f.startsWith("t:")) attacker.sendText("4" + f.substring(2));
        else attacker.sendBinary(HEX.parseHex(f.substring(2)));
      }
      attacker.readUntilClose();
      assertTrue(attacker.isClosedByServer(), name);
      bystander.sendBinary(encode(SocketIoPacket.event("/", JSON.readTree("[\"echo\",\"still here\"]"), 1)));
      JsonNode answer = read(bystander).data();
      assertEquals(JSON.readTree("[\"still here\"]"), answer);
    }
  }

  @Test
  void theDefaultParserIsUnchanged() {
    assertEquals(SocketIoParser.DEFAULT, SocketIoOptions.DEFAULTS.parser());
    assertNull(MsgpackParser.INSTANCE.encode(SocketIoPacket.disconnect("/")).text());
  }
}
