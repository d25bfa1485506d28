package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.transport.PollingTransport;
import dev.switchboard.engineio.transport.ResponseDecorator;
import dev.switchboard.engineio.transport.WebSocketTransport;
import dev.switchboard.testing.Await;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the direct send path may be taken (spec-notes/threading.md, "Direct sends"), specified
 * with exact interleavings: a real {@link EngineIoSession} on a {@link FakeWebSocketConnection}
 * whose write hook makes another thread send at the one moment that matters. Each test here fails
 * on the code before commit 1b20c8b; {@link DirectSendOrderingTest} checks the same rule under
 * real concurrency on real sockets.
 */
class EngineIoSessionDirectPathTest {
  private final SessionFixture fixture = new SessionFixture();
  private final EngineIoSession session = fixture.session;

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static SharedMessage shared(String text) {
    return new SharedMessage(List.of(EngineIoPacket.message(text)));
  }

  /** Sends from a new thread and waits until that send has returned (a send never blocks). */
  private void sendFromAnotherThread(String text) {
    Thread sender = new Thread(() -> session.send(shared(text), false), "other-sender");
    sender.start();
    try {
      sender.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertFalse(sender.isAlive(), "a send must not block");
  }

  @Test
  void aSendRacingTheOpenPacketLeavesAfterIt() {
    // engine.io-protocol §Handshake: the OPEN packet is the first thing the client receives.
    FakeWebSocketConnection conn = new FakeWebSocketConnection();
    WebSocketTransport ws = fixture.webSocket(conn);
    conn.beforeNextWrite(() -> sendFromAnotherThread("racer"));
    fixture.onExecutor(() -> session.open(ws));
    Await.until("both written", () -> conn.written().size() == 2);
    List<String> written = conn.written();
    assertTrue(written.get(0).startsWith("0{\"sid\":\"" + SessionFixture.SID + "\""), written.toString());
    assertEquals("4racer", written.get(1));
  }

  @Test
  void aSendRacingTheEndOfAnUpgradeLeavesAfterWhatPollingHadBuffered() {
    // engine.io-protocol §Upgrade: polling is paused, so the OPEN packet and two messages wait in
    // the write buffer; the upgrade packet moves them to the WebSocket, and a send from another
    // thread while they are being written must come after them.
    PollingTransport polling = new PollingTransport(fixture.executor, ResponseDecorator.NONE);
    fixture.onExecutor(() -> session.open(polling));
    session.send("a");
    session.send(shared("b"), false);
    FakeWebSocketConnection conn = new FakeWebSocketConnection();
    WebSocketTransport ws = fixture.webSocket(conn);
    fixture.onExecutor(() -> {
      assertTrue(session.canStartUpgrade());
      session.startUpgrade(ws);
      ws.onText("2probe");
    });
    assertEquals(List.of("3probe"), conn.written());
    conn.beforeNextWrite(() -> sendFromAnotherThread("racer"));
    fixture.onExecutor(() -> ws.onText("5"));
    Await.until("all written", () -> conn.written().size() == 5);
    List<String> written = conn.written();
    assertTrue(written.get(1).startsWith("0{"), written.toString());
    assertEquals(List.of("4a", "4b", "4racer"), written.subList(2, 5));
    assertEquals("websocket", session.transportName());
  }

  @Test
  void aQueuedTextSendHoldsTheDirectPathShutUntilItHasGone() throws Exception {
    FakeWebSocketConnection conn = new FakeWebSocketConnection();
    WebSocketTransport ws = fixture.webSocket(conn);
    fixture.onExecutor(() -> session.open(ws));
    CountDownLatch release = new CountDownLatch(1);
    fixture.executor.execute(() -> {
      try {
        release.await(10, TimeUnit.SECONDS); // holds the executor: "a" stays queued behind this
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    session.send("a");
    session.send(shared("b"), false);
    release.countDown();
    Await.until("both written", () -> conn.written().size() == 3);
    assertEquals(List.of("4a", "4b"), conn.written().subList(1, 3));
  }

  @Test
  void onASettledWebSocketASharedMessageIsWrittenFromTheSendingThread() {
    // The fast path itself (BENCHMARKS.md: a hand-off per delivery costs more than the delivery).
    FakeWebSocketConnection conn = new FakeWebSocketConnection();
    WebSocketTransport ws = fixture.webSocket(conn);
    fixture.onExecutor(() -> session.open(ws));
    AtomicReference<Thread> writer = new AtomicReference<>();
    conn.beforeNextWrite(() -> writer.set(Thread.currentThread()));
    session.send(shared("fast"), false);
    assertSame(Thread.currentThread(), writer.get());
    assertEquals("4fast", conn.written().get(1));
  }
}
