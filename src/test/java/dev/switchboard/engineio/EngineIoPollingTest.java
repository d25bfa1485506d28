package dev.switchboard.engineio;

import static dev.switchboard.engineio.EngineIoTestServer.polling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP long-polling sessions (engine.io-protocol §HTTP long-polling), hostile-inputs.md groups A and C. */
class EngineIoPollingTest {
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
  void handshakeAnswersOpenPacketWithSessionParameters() throws Exception {
    RawHttpClient.Response r = server.get("EIO=4&transport=polling");
    assertEquals(200, r.status());
    String body = r.bodyText();
    assertTrue(body.matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"],"
        + "\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}"), body);
    // hostile-inputs.md#A28
    assertEquals("text/plain; charset=UTF-8", r.header("Content-Type"));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    assertEquals("no-store", r.header("Cache-Control"));
    assertEquals(1, server.sessions());
  }

  @Test
  void echoesTextAndBinaryMessages() throws Exception {
    String sid = server.handshake();
    RawHttpClient.Response post = server.post(polling(sid), "4hello\u001ebAQIDBA==\u001e4€");
    assertEquals(200, post.status());
    assertEquals("ok", post.bodyText());
    String got = collect(sid, 3);
    assertEquals("4hello\u001ebAQIDBA==\u001e4€", got);
  }

  /** Polls until {@code n} packets arrived (the echo may be split over several GETs). */
  private String collect(String sid, int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    int count = 0;
    while (count < n) {
      String body = server.get(polling(sid)).bodyText();
      if (sb.length() > 0) sb.append('\u001e');
      sb.append(body);
      count += body.split("\u001e").length;
    }
    return sb.toString();
  }

  @Test
  void secondConcurrentGetIsRefusedAndClosesTheSession() throws Exception {
    // hostile-inputs.md#A14; engine.io-protocol test suite "overlapping GET requests".
    String sid = server.handshake();
    CompletableFuture<RawHttpClient.Response> first = CompletableFuture.supplyAsync(() -> {
      try {
        return server.get(polling(sid));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Await.until("first GET is held", () -> heldGets(sid));
    RawHttpClient.Response second = server.get(polling(sid));
    assertEquals(400, second.status());
    assertEquals("1", first.get(5, TimeUnit.SECONDS).bodyText());
    RawHttpClient.Response later = server.get(polling(sid));
    assertEquals(400, later.status());
    assertTrue(later.bodyText().contains("\"code\":1"));
  }

  private boolean heldGets(String sid) {
    return server.onSession(sid, EngineIoSession::hasWaitingPoll, false);
  }


  @Test
  void overlappingUploadsCloseTheSession() throws Exception {
    // hostile-inputs.md#A15: a second POST while the first one's body is still arriving.
    String sid = server.handshake();
    try (RawHttpClient slow = new RawHttpClient(server.port())) {
      slow.send("POST /engine.io/?" + polling(sid) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n4ab");
      Await.until("upload announced", () -> uploads(sid) == 1);
      RawHttpClient.Response second = server.post(polling(sid), "4second");
      assertEquals(400, second.status());
      slow.send("cdefghi");
      assertEquals(400, slow.readResponse().status());
    }
    Await.until("session closed", () -> server.sessions() == 0);
  }

  @Test
  void droppedUploadReleasesItsSlot() throws Exception {
    // hostile-inputs.md#A32: the "upload in progress" mark does not outlive its connection.
    String sid = server.handshake();
    RawHttpClient slow = new RawHttpClient(server.port());
    slow.send("POST /engine.io/?" + polling(sid) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n4ab");
    Await.until("upload announced", () -> uploads(sid) == 1);
    slow.close();
    Await.until("slot released", () -> uploads(sid) == 0);
    assertEquals(200, server.post(polling(sid), "4next").status());
    assertEquals(1, server.sessions());
  }

  private int uploads(String sid) {
    return server.onSession(sid, EngineIoSession::uploadsInProgress, -1);
  }


  @Test
  void octetStreamPostIsRefusedAndClosesTheSession() throws Exception {
    // hostile-inputs.md#A19
    String sid = server.handshake();
    RawHttpClient.Response r = server.post(polling(sid), "4hello", "Content-Type", "application/octet-stream");
    assertEquals(400, r.status());
    assertEquals(400, server.get(polling(sid)).status());
    Await.until("session removed", () -> server.sessions() == 0);
  }

  @Test
  void malformedPayloadIsRefusedAndClosesTheSession() throws Exception {
    // hostile-inputs.md#A20, hostile-inputs.md#A21
    for (String body : new String[] {"abc", "4a\u001e\u001e4b", "4a\u001e", "\u001e", "b@@@"}) {
      String sid = server.handshake();
      RawHttpClient.Response r = server.post(polling(sid), body);
      assertEquals(400, r.status(), body);
      RawHttpClient.Response next = server.get(polling(sid));
      assertEquals(400, next.status(), body);
      assertTrue(next.bodyText().contains("\"code\":1"), body);
    }
    Await.until("sessions removed", () -> server.sessions() == 0);
  }

  @Test
  void invalidUtf8BodyIsRefused() throws Exception {
    // hostile-inputs.md#A24
    String sid = server.handshake();
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      byte[] body = {'4', (byte) 0xC3, 0x28};
      c.send("POST /engine.io/?" + polling(sid) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n");
      c.send(body);
      assertEquals(400, c.readResponse().status());
    }
    Await.until("session removed", () -> server.sessions() == 0);
  }

  @Test
  void clientPingOverPollingClosesTheSession() throws Exception {
    // hostile-inputs.md#A25: v4 clients never ping.
    String sid = server.handshake();
    server.post(polling(sid), "2");
    Await.until("session removed", () -> server.sessions() == 0);
    assertEquals(400, server.get(polling(sid)).status());
  }

  @Test
  void clientCloseReleasesTheWaitingPollWithNoop() throws Exception {
    // official engine.io-protocol suite "forcefully closes the session" (polling).
    String sid = server.handshake();
    CompletableFuture<RawHttpClient.Response> held = CompletableFuture.supplyAsync(() -> {
      try {
        return server.get(polling(sid));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Await.until("GET held", () -> heldGets(sid));
    assertEquals(200, server.post(polling(sid), "1").status());
    assertEquals("6", held.get(5, TimeUnit.SECONDS).bodyText());
    assertEquals(400, server.get(polling(sid)).status());
  }

  @Test
  void closeWithoutALaterPollExpiresAfterPingTimeout() throws Exception {
    String sid = server.handshake();
    assertEquals(200, server.post(polling(sid), "1").status());
    Await.until("closing timer set", () -> server.clock.pendingTasks() == 1);
    server.clock.advanceBy(Duration.ofMillis(200));
    Await.until("session removed", () -> server.sessions() == 0);
    assertEquals(400, server.get(polling(sid)).status());
  }

  @Test
  void clientClosePacketEndsTheSessionForEver() throws Exception {
    // hostile-inputs.md#C71, hostile-inputs.md#C79
    String sid = server.handshake();
    assertEquals(200, server.post(polling(sid), "1").status());
    // The client's GET may have been overtaken by its close: the next one still gets the noop.
    assertEquals("6", server.get(polling(sid)).bodyText());
    Await.until("session removed", () -> server.sessions() == 0);
    assertEquals(400, server.get(polling(sid)).status());
    assertEquals(400, server.post(polling(sid), "4x").status());
    assertEquals(400, server.get(polling(sid)).status());
  }

  @Test
  void bodyOverMaxPayloadGets413AndTheSessionLives() throws Exception {
    // hostile-inputs.md#A16: limit counted in bytes; exactly the limit is accepted.
    String sid = server.handshake();
    RawHttpClient.Response tooBig = server.post(polling(sid), "4" + "a".repeat(1_000_000));
    assertEquals(413, tooBig.status());
    RawHttpClient.Response exact = server.post(polling(sid), "4" + "a".repeat(999_999));
    assertEquals(200, exact.status());
    String echoed = server.get(polling(sid)).bodyText();
    assertEquals(1_000_000, echoed.length());
  }

  @Test
  void serverCloseReachesTheWaitingPoll() throws Exception {
    String sid = server.handshake();
    server.post(polling(sid), "4" + dev.switchboard.cli.EchoApplication.CLOSE_COMMAND);
    RawHttpClient.Response r = server.get(polling(sid));
    assertEquals("1", r.bodyText());
    Await.until("session removed", () -> server.sessions() == 0);
  }

  @Test
  void aServerCloseDeliversWhatIsBufferedBeforeTheClosePacketInALaterPoll() throws Exception {
    // As Node's engine.io waits for "drain": socket.io-client would drop Socket.IO packets that
    // share a payload with the close packet (it handles them a tick after the close).
    String sid = server.handshake();
    server.post(polling(sid), "4bye\u001e4" + dev.switchboard.cli.EchoApplication.CLOSE_COMMAND);
    assertEquals("4bye", server.get(polling(sid)).bodyText());
    assertEquals("1", server.get(polling(sid)).bodyText());
    Await.until("session removed", () -> server.sessions() == 0);
  }

  @Test
  void abortedHeldPollClosesTheSession() throws Exception {
    // hostile-inputs.md#A26
    String sid = server.handshake();
    RawHttpClient c = new RawHttpClient(server.port());
    c.send("GET /engine.io/?" + polling(sid) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    Await.until("GET held", () -> heldGets(sid));
    c.socket().setSoLinger(true, 0);
    c.close(); // RST
    Await.until("session removed", () -> server.sessions() == 0);
  }

  @Test
  void heartbeatPingsAndClosesWithoutPong() throws Exception {
    // engine.io-protocol §Heartbeat; hostile-inputs.md#C69 (fake clock, no sleeps).
    String sid = server.handshake();
    server.clock.advanceBy(Duration.ofMillis(300));
    assertEquals("2", server.get(polling(sid)).bodyText());
    assertEquals(200, server.post(polling(sid), "3").status());
    Await.until("next ping scheduled", () -> server.clock.pendingTasks() >= 1 && heldPongCleared(sid));
    server.clock.advanceBy(Duration.ofMillis(300));
    assertEquals("2", server.get(polling(sid)).bodyText());
    server.clock.advanceBy(Duration.ofMillis(200));
    Await.until("session closed by ping timeout", () -> server.sessions() == 0);
  }

  private boolean heldPongCleared(String sid) {
    return server.onSession(sid, session -> !session.isAwaitingPong(), false);
  }


  @Test
  void pongSpamCreatesNoTimers() throws Exception {
    // hostile-inputs.md#C70
    String sid = server.handshake();
    int before = server.clock.pendingTasks();
    server.post(polling(sid), "3\u001e3\u001e3abc\u001e3");
    assertEquals(200, server.post(polling(sid), "3").status());
    assertEquals(before, server.clock.pendingTasks());
    assertEquals(1, server.sessions());
  }

  @Test
  void abandonedSessionExpiresAndLeavesNoTimers() throws Exception {
    // hostile-inputs.md#A27, hostile-inputs.md#C80 (MEM)
    for (int i = 0; i < 20; i++) server.handshake();
    assertEquals(20, server.sessions());
    server.clock.advanceBy(Duration.ofMillis(300));
    Await.until("pings sent", () -> server.clock.pendingTasks() == 20); // one pong timer each
    server.clock.advanceBy(Duration.ofMillis(200));
    Await.until("sessions expired", () -> server.sessions() == 0);
    Await.until("timers cancelled", () -> server.clock.pendingTasks() == 0);
  }
}
