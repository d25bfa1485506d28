package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.RawWebSocketClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hostile-inputs.md groups D and E at the server: a malformed packet closes that connection only; the
 * server and the other clients carry on. (The codec's own tables check every entry's exact error.)
 */
class SocketIoServerHostileTest {
  private static final String WS = "/socket.io/?EIO=4&transport=websocket";
  private final FakeScheduler clock = new FakeScheduler();
  private SocketIoServer io;
  private final AtomicInteger errorEvents = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    AtomicInteger ids = new AtomicInteger();
    io = new SocketIoServer(SocketIoOptions.builder()
        .engine(EngineIoOptions.DEFAULTS)
        .connectTimeout(Duration.ofSeconds(5))
        .net(NetOptions.builder().host("127.0.0.1").build())
        .build(),
        clock, () -> "id" + ids.incrementAndGet() + "xxxxxxxxxxxxxxxx");
    io.onConnection(socket -> {
      socket.on("echo", (args, ack) -> {
        if (ack.isRequested()) ack.send(args.toArray());
        else socket.emit("echo", args.toArray());
      });
      socket.on("twice", (args, ack) -> {
        ack.send(1);
        ack.send(2);
      });
      socket.on("error", (args, ack) -> errorEvents.incrementAndGet());
    });
    io.of("/admin").onConnection(socket -> { });
    io.listen(0);
  }

  @AfterEach
  void stop() {
    io.close();
  }

  /** A raw client that finished the Engine.IO handshake and joined "/". */
  private RawWebSocketClient connected() throws Exception {
    RawWebSocketClient ws = RawWebSocketClient.open(io.port(), WS);
    assertTrue(ws.readText().startsWith("0{"));
    ws.sendText("40");
    assertTrue(ws.readText().startsWith("40{\"sid\":\""));
    return ws;
  }

  private static void assertEcho(RawWebSocketClient ws, String arg) throws Exception {
    ws.sendText("421[\"echo\",\"" + arg + "\"]");
    assertEquals("431[\"" + arg + "\"]", ws.readText());
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("D82 unknown type", List.of("4abc")),
        Arguments.of("D83 type 7", List.of("47[\"x\"]")),
        Arguments.of("D84 object payload", List.of("42{}")),
        Arguments.of("D84 empty array", List.of("42[]")),
        Arguments.of("D85 object event name", List.of("42[{\"toString\":\"foo\"}]")),
        Arguments.of("D86 reserved name", List.of("42[\"disconnect\"]")),
        Arguments.of("D87 bad ack id", List.of("42abc[\"x\"]")),
        Arguments.of("D88 huge ack id", List.of("4299999999999999999999[\"x\"]")),
        Arguments.of("D90 ack without array", List.of("431{}")),
        Arguments.of("D93 connect with a string", List.of("40/admin,\"token\"")),
        Arguments.of("D96 namespace not joined", List.of("42/admin,[\"x\"]")),
        Arguments.of("D97 second connect", List.of("40")),
        Arguments.of("D98 disconnect with payload", List.of("41/admin,{}")),
        Arguments.of("D99 client connect_error", List.of("44{\"message\":\"x\"}")),
        Arguments.of("D101 deep nesting", List.of("42[\"x\"," + "[".repeat(100_000) + "]")),
        Arguments.of("D102 number bomb", List.of("42[\"x\",1e999999999]")),
        Arguments.of("D104 trailing junk", List.of("42[\"x\"]garbage")),
        Arguments.of("E105 string placeholder", List.of("451-[\"hello\",{\"_placeholder\":true,\"num\":\"splice\"}]")),
        Arguments.of("E107 too many attachments", List.of("4511-[\"x\"]")),
        Arguments.of("E108 text while reconstructing", List.of("452-[\"x\",{\"_placeholder\":true,\"num\":0},"
            + "{\"_placeholder\":true,\"num\":1}]", "bin", "42[\"x\"]")),
        Arguments.of("E109 binary without header", List.of("bin")),
        Arguments.of("E113 zero attachments", List.of("450-[\"x\"]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedPacketClosesOnlyThatConnection(String name, List<String> frames) throws Exception {
    try (RawWebSocketClient bystander = connected(); RawWebSocketClient attacker = connected()) {
      for (String f : frames) {
        if (f.equals("bin")) attacker.sendBinary(new byte[] {1, 2, 3});
        else attacker.sendText(f);
      }
      attacker.readUntilClose();
      assertTrue(attacker.isClosedByServer(), name);
      assertEcho(bystander, "still here");
    }
    try (RawWebSocketClient fresh = connected()) {
      assertEcho(fresh, "up");
    }
  }

  @Test
  void errorIsAnOrdinaryEvent() throws Exception {
    // D86: "error" is not reserved.
    try (RawWebSocketClient ws = connected()) {
      ws.sendText("42[\"error\",\"boom\"]");
      assertEcho(ws, "after");
      Await.until("handler ran", () -> errorEvents.get() == 1);
    }
  }

  @Test
  void placeholderInAPlainEventIsOrdinaryData() throws Exception {
    // E112: never resolved to a buffer.
    try (RawWebSocketClient ws = connected()) {
      ws.sendText("42[\"echo\",{\"_placeholder\":true,\"num\":0}]");
      assertEquals("42[\"echo\",{\"_placeholder\":true,\"num\":0}]", ws.readText());
    }
  }

  @Test
  void binaryEventIsReassembledAndEchoed() throws Exception {
    try (RawWebSocketClient ws = connected()) {
      ws.sendText("451-[\"echo\",{\"num\":0,\"_placeholder\":true}]"); // E106: keys in any order
      ws.sendBinary(new byte[] {7, 8});
      assertEquals("451-[\"echo\",{\"_placeholder\":true,\"num\":0}]", ws.readText());
      RawWebSocketClient.Frame f = ws.read();
      assertEquals(2, f.opcode());
      org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {7, 8}, f.payload());
    }
  }

  @Test
  void ackForAnUnknownIdIsIgnored() throws Exception {
    // D89
    try (RawWebSocketClient ws = connected()) {
      ws.sendText("43999[]");
      assertEcho(ws, "ok");
    }
  }

  @Test
  void handlerAckingTwiceSendsOneAck() throws Exception {
    // D91
    try (RawWebSocketClient ws = connected()) {
      ws.sendText("427[\"twice\"]");
      assertEquals("437[1]", ws.readText());
      assertEcho(ws, "next"); // the second ack never reached the wire
    }
  }

  @Test
  void unknownNamespaceGetsConnectErrorAndTheConnectionStaysUsable() throws Exception {
    // D94, D95
    try (RawWebSocketClient ws = connected()) {
      for (String nsp : new String[] {"/random", "/admin?x=1", "/../admin", "//"}) {
        ws.sendText("40" + nsp + ",");
        assertEquals("44" + nsp + ",{\"message\":\"Invalid namespace\"}", ws.readText());
      }
      assertEcho(ws, "fine");
    }
  }

  @Test
  void refusedConnectsPastTheLimitCloseTheConnection() throws Exception {
    // D94, issue #14: 200 refused CONNECTs on one connection, which used to stay open.
    io.of("/locked").use((socket, next) -> next.fail(new ConnectError("unauthorized")));
    try (RawWebSocketClient bystander = connected(); RawWebSocketClient attacker = connected()) {
      int refusals = 0;
      int attempts = 0;
      attack:
      while (attempts < 200) {
        attempts++;
        try {
          attacker.sendText("40/locked,{\"token\":\"guess" + attempts + "\"}");
          while (true) {
            RawWebSocketClient.Frame f = attacker.read();
            if (f.opcode() == 0x8) break attack;
            if (f.opcode() != 0x1) continue;
            if (f.text().equals("1")) continue; // the Engine.IO close packet before the WebSocket close
            assertEquals("44/locked,{\"message\":\"unauthorized\"}", f.text());
            refusals++;
            break;
          }
        } catch (java.io.IOException closed) {
          break;
        }
        assertEcho(bystander, "during " + attempts);
      }
      assertEquals(SocketIoOptions.DEFAULTS.maxFailedConnects(), refusals);
      assertEquals(SocketIoOptions.DEFAULTS.maxFailedConnects() + 1, attempts, "the CONNECT after the limit closed it");
      attacker.readUntilClose();
      assertTrue(attacker.isClosedByServer());
      assertEcho(bystander, "after");
    }
    try (RawWebSocketClient fresh = connected()) {
      assertEcho(fresh, "up");
    }
  }

  @Test
  void disconnectOfOneNamespaceLeavesTheOthers() throws Exception {
    // D98
    try (RawWebSocketClient ws = connected()) {
      ws.sendText("40/admin,");
      assertTrue(ws.readText().startsWith("40/admin,{\"sid\":"));
      ws.sendText("41/admin,");
      assertEcho(ws, "main still works");
      Await.until("admin socket gone", () -> io.of("/admin").sockets().isEmpty());
    }
  }

  @Test
  void noConnectWithinConnectTimeoutClosesTheConnection() throws Exception {
    // D100 (fake clock)
    try (RawWebSocketClient ws = RawWebSocketClient.open(io.port(), WS)) {
      assertTrue(ws.readText().startsWith("0{"));
      Await.until("connect timer armed", () -> clock.pendingTasks() >= 2);
      clock.advanceBy(Duration.ofSeconds(5));
      ws.readUntilClose();
      assertTrue(ws.isClosedByServer());
    }
  }

  @Test
  void pendingServerAcksFailWhenTheClientGoes() throws Exception {
    // D92
    try (RawWebSocketClient ws = connected()) {
      Await.until("socket registered", () -> io.sockets().sockets().size() == 1);
      Socket s = io.sockets().sockets().values().iterator().next();
      var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Args>>();
      for (int i = 0; i < 100; i++) futures.add(s.emitWithAck("question", i));
      ws.close();
      for (var f : futures) {
        Await.until("ack failed", f::isDone);
        assertTrue(f.isCompletedExceptionally());
      }
    }
  }
}
