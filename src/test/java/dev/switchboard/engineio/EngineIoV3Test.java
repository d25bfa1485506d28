package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoV3Codec;
import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RawWebSocketClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Engine.IO protocol 3 with {@code allowEIO3}, with raw HTTP and raw WebSocket against the echo
 * application, time on the fake clock: the framing of each transport, the client-driven heartbeat,
 * the upgrade, and the hostile-input groups of hostile-inputs.md that have the same shape in v3
 * (A16, A19–A25, C66–C68, C70; spec-notes/engine-io.md, "Engine.IO v3").
 */
class EngineIoV3Test {
  private static final String PATH = EngineIoTestServer.PATH;
  private EngineIoTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new EngineIoTestServer(EngineIoOptions.builder().path(PATH).allowEIO3(true)
        .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200)).build(),
        NetOptions.builder().host("127.0.0.1").port(0).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String polling(String sid) {
    return "EIO=3&transport=polling&sid=" + sid;
  }

  private String handshake(String extraQuery) throws Exception {
    RawHttpClient.Response r = server.get("EIO=3&transport=polling" + extraQuery);
    assertEquals(200, r.status(), r.bodyText());
    List<EngineIoPacket> open = EngineIoV3Codec.decodeTextPayload(r.bodyText());
    String json = open.get(0).text();
    int i = json.indexOf("\"sid\":\"") + 7;
    return json.substring(i, json.indexOf('"', i));
  }

  /** Polls until {@code n} packets arrived, decoding each GET by its Content-Type. */
  private List<EngineIoPacket> collect(String sid, int n) throws Exception {
    List<EngineIoPacket> got = new ArrayList<>();
    while (got.size() < n) {
      RawHttpClient.Response r = server.get(polling(sid));
      assertEquals(200, r.status(), r.bodyText());
      if ("application/octet-stream".equals(r.header("Content-Type"))) {
        got.addAll(EngineIoV3Codec.decodeBinaryPayload(r.body()));
      } else {
        assertEquals("text/plain; charset=UTF-8", r.header("Content-Type"));
        got.addAll(EngineIoV3Codec.decodeTextPayload(r.bodyText()));
      }
    }
    return got;
  }

  private RawHttpClient.Response postBytes(String sid, byte[] body, String contentType) throws Exception {
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("POST " + PATH + "?" + polling(sid) + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + contentType
          + "\r\nContent-Length: " + body.length + "\r\n\r\n");
      c.send(body);
      return c.readResponse();
    }
  }

  // ------------------------------------------------------------------ the handshake

  @Test
  void eio3IsRefusedWhenNotAllowedWithNodesAnswer() throws Exception {
    try (EngineIoTestServer v4only = new EngineIoTestServer()) {
      RawHttpClient.Response r = v4only.get("EIO=3&transport=polling");
      assertEquals(400, r.status());
      assertEquals("application/json", r.header("Content-Type"));
      assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", r.bodyText());
      assertEquals(0, v4only.sessions());
    }
  }

  @ParameterizedTest(name = "EIO={0}")
  @ValueSource(strings = {"03", "3.0", "2", "5", ""})
  void onlyTheExactVersionsAreServed(String eio) throws Exception {
    // hostile-inputs.md#A2 with allowEIO3: Node reads every value but "4" as 3; one spelling each here.
    RawHttpClient.Response r = server.get("EIO=" + eio + "&transport=polling");
    assertEquals(400, r.status());
    assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", r.bodyText());
  }

  @Test
  void jsonpIsRefusedAsABadRequest() throws Exception {
    RawHttpClient.Response r = server.get("EIO=3&transport=polling&j=0");
    assertEquals(400, r.status());
    assertTrue(r.bodyText().contains("\"code\":3"), r.bodyText());
    assertEquals(0, server.sessions());
  }

  @Test
  void theOpenPacketIsLengthPrefixed() throws Exception {
    RawHttpClient.Response r = server.get("EIO=3&transport=polling");
    String body = r.bodyText();
    assertTrue(body.matches("(\\d+):0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"],"
        + "\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}"), body);
    assertEquals(body.length() - body.indexOf(':') - 1, Integer.parseInt(body.substring(0, body.indexOf(':'))));
    assertEquals("text/plain; charset=UTF-8", r.header("Content-Type"));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
  }

  // ------------------------------------------------------------------ polling

  @Test
  void textPostsAreEchoedAsABinaryPayloadWhenOneIsBinary() throws Exception {
    String sid = handshake("");
    RawHttpClient.Response post = server.post(polling(sid), "6:4hello10:b4AQIDBA==2:4€");
    assertEquals("ok", post.bodyText());
    assertEquals(List.of(EngineIoPacket.message("hello"), EngineIoPacket.message(new byte[] {1, 2, 3, 4}),
        EngineIoPacket.message("€")), collect(sid, 3));
  }

  @Test
  void binaryPostsAreRead() throws Exception {
    String sid = handshake("");
    byte[] body = EngineIoV3Codec.encodeBinaryPayload(List.of(EngineIoPacket.message("é"),
        EngineIoPacket.message(new byte[] {9, 8})));
    assertEquals(200, postBytes(sid, body, "application/octet-stream").status());
    assertEquals(List.of(EngineIoPacket.message("é"), EngineIoPacket.message(new byte[] {9, 8})), collect(sid, 2));
  }

  @Test
  void aBase64ClientGetsBinaryAsB4Text() throws Exception {
    String sid = handshake("&b64=1");
    server.post(polling(sid) + "&b64=1", "10:b4AQIDBA==");
    RawHttpClient.Response r = server.get(polling(sid) + "&b64=1");
    assertEquals("text/plain; charset=UTF-8", r.header("Content-Type"));
    assertEquals("10:b4AQIDBA==", r.bodyText());
  }

  // ------------------------------------------------------------------ heartbeat (EIO3 §Timeouts)

  @Test
  void theClientPingsAndTheServerAnswersWithAPong() throws Exception {
    String sid = handshake("");
    assertEquals("ok", server.post(polling(sid), "1:2").bodyText());
    assertEquals("1:3", server.get(polling(sid)).bodyText());
    assertEquals("ok", server.post(polling(sid), "6:2hello").bodyText());
    assertEquals("6:3hello", server.get(polling(sid)).bodyText());
  }

  @Test
  void aClientThatStopsPingingTimesOutAfterPingIntervalPlusPingTimeout() throws Exception {
    String sid = handshake("");
    server.clock.advanceBy(Duration.ofMillis(300));
    server.post(polling(sid), "1:2"); // the wait starts again here
    server.clock.advanceBy(Duration.ofMillis(499));
    assertEquals(1, server.sessions(), "a ping re-arms the whole pingInterval + pingTimeout");
    assertEquals("1:3", server.get(polling(sid)).bodyText());
    server.clock.advanceBy(Duration.ofMillis(1));
    Await.until("session closed by ping timeout", () -> server.sessions() == 0);
    assertEquals(400, server.get(polling(sid)).status());
    Await.until("no timer left", () -> server.clock.pendingTasks() == 0);
  }

  @Test
  void theServerNeverPingsAV3Client() throws Exception {
    String sid = handshake("");
    server.clock.advanceBy(Duration.ofMillis(300));
    server.post(polling(sid), "4:4abc");
    assertEquals("4:4abc", server.get(polling(sid)).bodyText(), "no 2 before the echo");
  }

  @Test
  void aPongFromTheClientIsTheWrongDirection() throws Exception {
    // hostile-inputs.md#A25 turned round: in v3 the client never sends 3.
    String sid = handshake("");
    server.post(polling(sid), "1:3");
    Await.until("session closed", () -> server.sessions() == 0);
  }

  @Test
  void pingSpamIsBoundedByTheWriteBuffer() throws Exception {
    // hostile-inputs.md#C70's v3 shape: every ping asks for a pong, so a client that pings without
    // collecting is a slow consumer (maxBufferedPackets, 10 000) and is closed; one timer at most.
    String sid = handshake("");
    assertEquals(200, server.post(polling(sid), "1:2".repeat(5_000)).status());
    assertEquals(1, server.clock.pendingTasks());
    server.post(polling(sid), "1:2".repeat(5_001));
    Await.until("session closed", () -> server.sessions() == 0);
  }

  // ------------------------------------------------------------------ hostile bodies

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"abc", "4hello", "", "1:", "7:4hello", "1e1:4abcdefghi", "1:x", "1:7", "6:b5AQID",
      "4:b4A@", "1:21:", "2:4\uD83D\uDE00"})
  void malformedTextPayloadsAreRefusedAndCloseTheSession(String body) throws Exception {
    // hostile-inputs.md#A20, #A21, #A22 in v3 framing (EngineIoV3CodecTest has the messages).
    String sid = handshake("");
    RawHttpClient.Response r = server.post(polling(sid), body);
    assertEquals(400, r.status(), body);
    RawHttpClient.Response next = server.get(polling(sid));
    assertEquals(400, next.status(), body);
    assertTrue(next.bodyText().contains("\"code\":1"), body);
  }

  @Test
  void malformedBinaryPayloadsAreRefused() throws Exception {
    for (byte[] body : List.of(new byte[0], new byte[] {2, 1, (byte) 0xff, 0x32}, new byte[] {0, 5, (byte) 0xff, 0x34},
        new byte[] {1, 1, (byte) 0xff, 2}, "1:2".getBytes(StandardCharsets.UTF_8))) {
      String sid = handshake("");
      assertEquals(400, postBytes(sid, body, "application/octet-stream").status());
      Await.until("session closed", () -> server.onSession(sid, s -> false, true));
    }
  }

  @Test
  void invalidUtf8IsRefused() throws Exception {
    // hostile-inputs.md#A24: strict in a text body and in a text entry of a binary payload.
    String sid = handshake("");
    assertEquals(400, postBytes(sid, new byte[] {'2', ':', '4', (byte) 0xC3}, "text/plain;charset=UTF-8").status());
    String sid2 = handshake("");
    assertEquals(400, postBytes(sid2, new byte[] {0, 2, (byte) 0xff, '4', (byte) 0xC3}, "application/octet-stream").status());
    Await.until("sessions closed", () -> server.sessions() == 0);
  }

  @Test
  void aBodyOverMaxPayloadGets413AndTheSessionLives() throws Exception {
    // hostile-inputs.md#A16: the HTTP layer's limit, whatever the framing.
    String sid = handshake("");
    assertEquals(413, server.post(polling(sid), "1000001:4" + "a".repeat(1_000_000)).status());
    assertEquals(1, server.sessions());
  }

  @Test
  void aMegabyteOfTinyPacketsIsRead() throws Exception {
    // hostile-inputs.md#A23 in v3 framing.
    String sid = handshake("");
    assertEquals(200, server.post(polling(sid), "1:6".repeat(333_000)).status());
    assertEquals(1, server.sessions());
  }

  // ------------------------------------------------------------------ WebSocket

  @Test
  void webSocketBinaryFramesCarryTheTypeByte() throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), PATH + "?EIO=3&transport=websocket")) {
      assertEquals(101, ws.handshake.status());
      assertTrue(ws.readText().startsWith("0{\"sid\":"));
      ws.sendBinary(new byte[] {4, 1, 2, 3});
      RawWebSocketClient.Frame echo = ws.read();
      assertEquals(2, echo.opcode());
      assertArrayEquals(new byte[] {4, 1, 2, 3}, echo.payload());
      ws.sendText("4hello");
      assertEquals("4hello", ws.readText());
      ws.sendText("b4AQI=");
      assertArrayEquals(new byte[] {4, 1, 2}, ws.read().payload());
      ws.sendText("2");
      assertEquals("3", ws.readText());
    }
  }

  @Test
  void aBase64WebSocketClientGetsB4TextFrames() throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), PATH + "?EIO=3&transport=websocket&b64=1")) {
      ws.readText();
      ws.sendBinary(new byte[] {4, 1, 2});
      assertEquals("b4AQI=", ws.readText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"no type byte", "type byte 2", "empty"})
  void aBinaryFrameThatIsNoMessageClosesTheSession(String which) throws Exception {
    // hostile-inputs.md#C66, #C67 in v3: what does not decode ends the session (parse error).
    byte[] frame = switch (which) {
      case "no type byte" -> new byte[] {1, 2};
      case "type byte 2" -> new byte[] {2};
      default -> new byte[0];
    };
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), PATH + "?EIO=3&transport=websocket")) {
      ws.readText();
      ws.sendBinary(frame);
      ws.readUntilClose();
      Await.until("session closed", () -> server.sessions() == 0);
    }
  }

  @Test
  void pollingUpgradesToWebSocketWithTheProbe() throws Exception {
    String sid = handshake("");
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), PATH + "?EIO=3&transport=websocket&sid=" + sid)) {
      assertEquals(101, ws.handshake.status());
      ws.sendText("2probe");
      assertEquals("3probe", ws.readText());
      ws.sendText("5");
      Await.until("upgraded", () -> "websocket".equals(server.onSession(sid, EngineIoSession::transportName, null)));
      ws.sendBinary(new byte[] {4, 7});
      assertArrayEquals(new byte[] {4, 7}, ws.read().payload());
      ws.sendText("2");
      assertEquals("3", ws.readText());
      assertEquals(400, server.get(polling(sid)).status(), "polling is discarded after the upgrade");
    }
  }
}
