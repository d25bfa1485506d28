package dev.switchboard.engineio;

import static dev.switchboard.engineio.EngineIoTestServer.polling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RawWebSocketClient;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The send path's ordering rule (spec-notes/threading.md, "Direct sends"): whatever mix of
 * {@link EngineIoConnection#send(String)} and {@link EngineIoConnection#send(SharedMessage, boolean)}
 * a thread uses, and whether the session is just opening, upgrading from polling or settled on a
 * WebSocket, the client receives each thread's messages in the order that thread sent them, and
 * all of them.
 *
 * <p>A real server and raw clients: the race is between the session's executor, the sending
 * threads and the connection's write path, so nothing here is faked but the clock (which only
 * keeps pings out of the stream). Each burst is {@link #THREADS} threads released together by a
 * barrier, each sending numbered messages through the three entries in turn:
 * a queued text send, a single shared message (written through), a broadcast one (queued for the
 * I/O loop).
 *
 * <p>On the code before commit 1b20c8b ({@code send(String)} did not hold the direct path shut,
 * and the path opened before the write buffer was flushed) every round fails: a shared message
 * overtakes the text message queued just before it. The narrower race at the end of an upgrade
 * alone fails here in roughly one round in five (it depends on the scheduler); its exact
 * interleaving is pinned in {@link EngineIoSessionDirectPathTest}.
 */
class DirectSendOrderingTest {
  private static final int THREADS = 4;
  /** Messages per thread of a burst that sends as fast as it can. */
  private static final int FLOOD = 600;
  /** Messages per thread of a paced burst (a hop to the executor after each). */
  private static final int PACED = 150;
  /** Rounds of the upgrade scenario (about 50 ms each). */
  private static final int UPGRADE_ROUNDS = 10;
  private static final int OPEN_ROUNDS = 3;
  private static final String BURST = "burst";
  private static final String PACED_BURST = "paced";

  private EngineIoHost host;
  private final FakeScheduler clock = new FakeScheduler();

  @BeforeEach
  void start() throws IOException {
    EngineIoListener app = session -> {
      int[] bursts = {0};
      session.setHandler(new SessionHandler() {
        @Override
        public void onMessage(String text) {
          if (BURST.equals(text)) burst(session, bursts[0]++, false);
          else if (PACED_BURST.equals(text)) burst(session, bursts[0]++, true);
        }

        @Override
        public void onBinary(byte[] data) { }

        @Override
        public void onClose(CloseReason reason, String description) { }
      });
      // Across the open: the first burst starts as soon as the application has the session.
      burst(session, bursts[0]++, false);
    };
    host = EngineIoHost.start(NetOptions.builder().host("127.0.0.1").port(0).build(),
        EngineIoOptions.builder().path("/engine.io/").build(), app, null, null, clock);
  }

  @AfterEach
  void stop() {
    host.close();
  }

  /**
   * {@link #THREADS} threads, released together, each sending "burst.thread:n" for n in order.
   * A {@code paced} sender waits after each message until the session's executor has caught up
   * (a task behind it has run), so its next message finds no task of its own queued: the moment
   * the direct path may be taken, and when the executor is busy with something else, such as
   * finishing an upgrade.
   */
  private static void burst(EngineIoConnection session, int burst, boolean paced) {
    // The caller (the session's executor) waits at the barrier too: the senders are running when
    // the handler returns, so a POST that asked for the burst is answered once it has begun.
    CyclicBarrier together = new CyclicBarrier(THREADS + 1);
    for (int t = 0; t < THREADS; t++) {
      String prefix = burst + "." + t + ":";
      Thread sender = new Thread(() -> {
        try {
          together.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        for (int n = 0, count = paced ? PACED : FLOOD; n < count; n++) {
          String text = prefix + n;
          switch (n % 3) {
            case 0 -> session.send(text);
            case 1 -> session.send(new SharedMessage(List.of(EngineIoPacket.message(text)), false), false);
            default -> session.send(new SharedMessage(List.of(EngineIoPacket.message(text)), true), false);
          }
          if (paced) CompletableFuture.runAsync(() -> { }, session.executor()).join();
        }
      }, "sender-" + prefix);
      sender.setDaemon(true);
      sender.start();
    }
    try {
      together.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void eachThreadsMessagesArriveInOrderFromTheOpenOfAWebSocketSession() throws Exception {
    for (int round = 0; round < OPEN_ROUNDS; round++) {
      try (RawWebSocketClient ws = RawWebSocketClient.open(host.port(), "/engine.io/?EIO=4&transport=websocket")) {
        Received received = new Received();
        String open = ws.readText();
        assertTrue(open.startsWith("0{\"sid\""), "the OPEN packet comes first, got " + open);
        received.readWebSocketUntil(ws, THREADS * FLOOD);
        // Settled on the WebSocket: every send may take the direct path now.
        ws.sendText("4" + BURST);
        received.readWebSocketUntil(ws, 2 * THREADS * FLOOD);
      }
    }
  }

  @Test
  void eachThreadsMessagesArriveInOrderAcrossAnUpgradeFromPolling() throws Exception {
    for (int round = 0; round < UPGRADE_ROUNDS; round++) {
      Received received = new Received();
      RawHttpClient.Response handshake = get("EIO=4&transport=polling");
      String open = handshake.bodyText();
      assertTrue(open.startsWith("0{\"sid\":\""), open);
      String sid = open.substring(9, open.indexOf('"', 9));
      // The first burst is under way: take what has been buffered so far over polling.
      received.acceptPayload(get(polling(sid)).bodyText());
      try (RawWebSocketClient ws = RawWebSocketClient.open(host.port(),
          "/engine.io/?EIO=4&transport=websocket&sid=" + sid)) {
        ws.sendText("2probe");
        assertEquals("3probe", ws.readText());
        // engine.io-protocol §Upgrade: polling is paused (no GET out), so what is sent now waits in
        // the write buffer. A paced burst starts, and the upgrade packet follows while it (and
        // maybe the first) is sending: the buffer must leave on the WebSocket before any direct
        // send.
        assertEquals(200, post(polling(sid), "4" + PACED_BURST).status());
        ws.sendText("5");
        received.readWebSocketUntil(ws, THREADS * (FLOOD + PACED));
        ws.sendText("4" + BURST);
        received.readWebSocketUntil(ws, THREADS * (2 * FLOOD + PACED));
      }
    }
  }

  private RawHttpClient.Response get(String query) throws IOException {
    return RawHttpClient.request(host.port(), "GET", "/engine.io/?" + query, null);
  }

  private RawHttpClient.Response post(String query, String body) throws IOException {
    return RawHttpClient.request(host.port(), "POST", "/engine.io/?" + query, body);
  }

  /** What one client received, checked message by message against each sender's sequence. */
  private static final class Received {
    private final Map<String, Integer> next = new HashMap<>();
    private int total;

    /** One polling payload: messages, and nothing else (no pings: the clock stands still). */
    void acceptPayload(String payload) {
      for (String packet : payload.split("\u001e")) accept(packet);
    }

    /** Reads WebSocket frames until {@code expected} messages have arrived in all. */
    void readWebSocketUntil(RawWebSocketClient ws, int expected) throws IOException {
      while (total < expected) {
        try {
          accept(ws.readText());
        } catch (SocketTimeoutException e) {
          fail("only " + total + " of " + expected + " messages arrived; next expected " + next);
        }
      }
    }

    private void accept(String packet) {
      assertTrue(packet.startsWith("4"), "a message packet, got " + packet);
      int colon = packet.indexOf(':');
      String sender = packet.substring(1, colon);
      int n = Integer.parseInt(packet.substring(colon + 1));
      int expected = next.getOrDefault(sender, 0);
      if (n != expected) fail("sender " + sender + ": message " + n + " arrived where " + expected + " was due");
      next.put(sender, n + 1);
      total++;
    }
  }
}
