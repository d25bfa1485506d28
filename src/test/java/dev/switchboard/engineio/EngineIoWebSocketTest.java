package dev.switchboard.engineio;

import static dev.switchboard.engineio.EngineIoTestServer.polling;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cli.EchoApplication;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RawWebSocketClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transport and the upgrade (engine.io-protocol §WebSocket, §Upgrade),
 * hostile-inputs.md groups B (end-to-end parts) and C.
 */
class EngineIoWebSocketTest {
  private static final String WS = EngineIoTestServer.PATH + "?EIO=4&transport=websocket";
  private EngineIoTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new EngineIoTestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void websocketHandshakeSendsOpenPacketAndEchoes() throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS)) {
      assertEquals(101, ws.handshake.status());
      String open = ws.readText();
      assertTrue(open.startsWith("0{\"sid\":\"") && open.contains("\"upgrades\":[]"), open);
      ws.sendText("4hello");
      assertEquals("4hello", ws.readText());
      ws.sendBinary(new byte[] {1, 2, 3});
      RawWebSocketClient.Frame f = ws.read();
      assertEquals(2, f.opcode());
      assertArrayEquals(new byte[] {1, 2, 3}, f.payload());
    }
  }

  @Test
  void protocolViolationsCloseTheSession() throws Exception {
    // hostile-inputs.md#C66, hostile-inputs.md#C67, hostile-inputs.md#C68
    for (String bad : new String[] {"", "7", "9", "x", "\u0000", "\uFEFF", "2"}) {
      try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS)) {
        ws.readText();
        ws.sendText(bad);
        ws.readUntilClose();
      }
    }
    Await.until("sessions removed", () -> server.sessions() == 0);
  }

  @Test
  void unmaskedFrameGets1002() throws Exception {
    // hostile-inputs.md#B46
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS)) {
      ws.readText();
      ws.sendFrame(0x1, "4x".getBytes(StandardCharsets.UTF_8), false);
      assertEquals(1002, ws.readUntilClose());
    }
    Await.until("session removed", () -> server.sessions() == 0);
  }

  @Test
  void bytesGluedToTheHandshakeAreDecodedAsFrames() throws Exception {
    // hostile-inputs.md#B45 (CVE-2022-21676): "test" parses as a frame with RSV bits set.
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS,
        "test".getBytes(StandardCharsets.US_ASCII))) {
      assertEquals(101, ws.handshake.status());
      assertEquals(1002, ws.readUntilClose());
    }
  }

  @Test
  void messageOverTheLimitGets1009() throws Exception {
    // hostile-inputs.md#B55
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS)) {
      ws.readText();
      ws.sendText("4" + "a".repeat(1_000_000));
      assertEquals(1009, ws.readUntilClose());
    }
  }

  @Test
  void pingFrameIsAnsweredWithSamePayload() throws Exception {
    // hostile-inputs.md#B60
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS)) {
      ws.readText();
      ws.sendFrame(0x9, new byte[] {7, 8, 9}, true);
      RawWebSocketClient.Frame pong = ws.read();
      assertEquals(0xA, pong.opcode());
      assertArrayEquals(new byte[] {7, 8, 9}, pong.payload());
    }
  }

  @Test
  void closeFrameIsEchoed() throws Exception {
    // hostile-inputs.md#B57
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS)) {
      ws.readText();
      ws.sendRaw(RawWebSocketClient.frame(true, 0x8, new byte[] {0x03, (byte) 0xE8}, true, new java.util.Random(2)));
      assertEquals(1000, ws.readUntilClose());
      assertTrue(ws.isClosedByServer());
    }
    Await.until("session removed", () -> server.sessions() == 0);
  }

  @Test
  void serverCloseSendsCloseFrame() throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS)) {
      ws.readText();
      ws.sendText("4" + EchoApplication.CLOSE_COMMAND);
      assertEquals(1000, ws.readUntilClose());
    }
    Await.until("session removed", () -> server.sessions() == 0);
  }

  @Test
  void upgradeFromPollingMovesTheSessionToWebSocket() throws Exception {
    String sid = server.handshake();
    CompletableFuture<RawHttpClient.Response> heldGet = CompletableFuture.supplyAsync(() -> get(polling(sid)));
    // Held before the probe, so the noop timer is armed by the time 3probe is written (a GET that
    // arrived after the clock moved would wait for a timer that is already past).
    Await.until("GET held", () -> waiting(sid));
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS + "&sid=" + sid)) {
      assertEquals(101, ws.handshake.status());
      ws.sendText("2probe");
      assertEquals("3probe", ws.readText());
      // The waiting GET is released with a noop so the client can pause polling.
      server.clock.advanceBy(EngineIoSession.UPGRADE_NOOP_DELAY);
      assertEquals("6", heldGet.join().bodyText());
      // hostile-inputs.md#C76: a POST during the upgrade is delivered once, in order.
      assertEquals(200, server.post(polling(sid), "4during").status());
      ws.sendText("5");
      assertEquals("4during", ws.readText());
      ws.sendText("4after");
      assertEquals("4after", ws.readText());
      // hostile-inputs.md#A13, hostile-inputs.md#C75: the sid no longer works over polling; the WebSocket does.
      RawHttpClient.Response stale = server.get(polling(sid));
      assertEquals(400, stale.status());
      assertTrue(stale.bodyText().contains("\"code\":3"));
      ws.sendText("4still");
      assertEquals("4still", ws.readText());
      // C75: a second WebSocket for the same sid is closed at once (as Node does).
      try (RawWebSocketClient again = RawWebSocketClient.open(server.port(), WS + "&sid=" + sid)) {
        assertEquals(1000, again.readUntilClose());
      }
      ws.sendText("4unaffected");
      assertEquals("4unaffected", ws.readText());
    }
  }

  private RawHttpClient.Response get(String query) {
    try {
      return server.get(query);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void pollRacingTheUpgradePacketIsRefused() throws Exception {
    // official socket.io/engine.io suites "ignore HTTP requests with same sid after upgrade":
    // probe and upgrade sent back to back while a GET is on its way.
    String sid = server.handshake();
    CompletableFuture<RawHttpClient.Response> heldGet = CompletableFuture.supplyAsync(() -> get(polling(sid)));
    Await.until("GET held", () -> waiting(sid));
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS + "&sid=" + sid)) {
      ws.sendText("2probe");
      ws.sendText("5");
      assertEquals("3probe", ws.readText());
      RawHttpClient.Response r = heldGet.join();
      assertEquals(400, r.status());
      ws.sendText("4hello");
      assertEquals("4hello", ws.readText());
    }
  }

  private boolean waiting(String sid) {
    return server.onSession(sid, EngineIoSession::hasWaitingPoll, false);
  }


  @Test
  void anUpgradeWhoseClientLeftBeforeItWasHandledIsDroppedQuietly() throws Exception {
    // The request is routed to the session's executor, then the client closes its connection
    // (the net layer aborts the exchange) before the executor gets to it.
    String sid = server.handshake();
    Await.until("handshake connection closed", () -> server.host.net().connectionCount() == 0);
    CountDownLatch release = new CountDownLatch(1);
    server.host.engine().session(sid).executor().execute(() -> {
      try {
        release.await(10, TimeUnit.SECONDS); // holds the executor: the upgrade queues behind this
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r);
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    Logger executorLog = Logger.getLogger(SerialExecutor.class.getName());
    executorLog.addHandler(capture);
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("GET " + WS + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      c.socket().shutdownOutput(); // read after the request: the connection ends, the exchange is aborted
      Await.until("connection closed", () -> server.host.net().connectionCount() == 0);
      release.countDown();
      assertTrue(server.onSession(sid, session -> true, false), "the upgrade task has run; the session lives");
    } finally {
      executorLog.removeHandler(capture);
    }
    assertEquals(List.of(), warnings.stream().map(r -> r.getMessage() + " " + r.getThrown()).toList());
    assertEquals(200, server.post(polling(sid), "4still-polling").status());
    assertEquals("4still-polling", server.get(polling(sid)).bodyText());
  }

  @Test
  void packetBeforeProbeAbortsTheProbeOnly() throws Exception {
    // hostile-inputs.md#C72
    String sid = server.handshake();
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS + "&sid=" + sid)) {
      ws.sendText("4hello");
      assertTrue(ws.isClosedByServer());
    }
    assertEquals(200, server.post(polling(sid), "4still-polling").status());
    assertEquals("4still-polling", server.get(polling(sid)).bodyText());
  }

  @Test
  void secondProbeIsRefused() throws Exception {
    // hostile-inputs.md#C74
    String sid = server.handshake();
    try (RawWebSocketClient first = RawWebSocketClient.open(server.port(), WS + "&sid=" + sid);
        RawWebSocketClient second = RawWebSocketClient.open(server.port(), WS + "&sid=" + sid)) {
      assertEquals(101, first.handshake.status());
      assertEquals(1000, second.readUntilClose());
      first.sendText("2probe");
      assertEquals("3probe", first.readText());
    }
  }

  @Test
  void upgradeOfAWebSocketSessionIsRefused() throws Exception {
    // hostile-inputs.md#C77
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS)) {
      String open = ws.readText();
      String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\"sid\":\"") + 27);
      try (RawWebSocketClient again = RawWebSocketClient.open(server.port(), WS + "&sid=" + sid)) {
        assertEquals(1000, again.readUntilClose());
      }
      ws.sendText("4ok");
      assertEquals("4ok", ws.readText());
    }
  }

  @Test
  void unfinishedUpgradeTimesOutAndPollingContinues() throws Exception {
    // hostile-inputs.md#C73 (fake clock; default heartbeat so only the upgrade timer can fire)
    try (EngineIoTestServer slow = new EngineIoTestServer(
        EngineIoOptions.builder().path(EngineIoTestServer.PATH).upgradeTimeout(Duration.ofMillis(100)).build(),
        dev.switchboard.net.NetOptions.builder().host("127.0.0.1").port(0).build())) {
      String sid = slow.handshake();
      try (RawWebSocketClient ws = RawWebSocketClient.open(slow.port(), WS + "&sid=" + sid)) {
        ws.sendText("2probe");
        assertEquals("3probe", ws.readText());
        slow.clock.advanceBy(Duration.ofMillis(100));
        assertTrue(ws.isClosedByServer());
      }
      assertEquals(200, slow.post(polling(sid), "4x").status());
      assertEquals("4x", slow.get(polling(sid)).bodyText());
    }
  }

  @Test
  void badWebSocketKeyGets400AndWrongVersion426() throws Exception {
    // hostile-inputs.md#B39, hostile-inputs.md#B40
    RawHttpClient.Response r = RawHttpClient.request(server.port(), "GET", WS, null,
        "Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", "short", "Sec-WebSocket-Version", "13");
    assertEquals(400, r.status());
    RawHttpClient.Response v = RawHttpClient.request(server.port(), "GET", WS, null,
        "Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version", "8");
    assertEquals(426, v.status());
    assertEquals("13", v.header("Sec-WebSocket-Version"));
    assertEquals(0, server.sessions());
  }
}
