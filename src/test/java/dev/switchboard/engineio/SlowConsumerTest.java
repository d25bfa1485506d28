package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.RawWebSocketClient;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * hostile-inputs.md#B59, hostile-inputs.md#B63: a peer that does not read is dropped once its outbound queue is full,
 * and the others keep receiving.
 */
class SlowConsumerTest {
  private static final String WS = "/engine.io/?EIO=4&transport=websocket";
  private EngineIoHost host;

  @BeforeEach
  void start() throws Exception {
    EngineIoListener app = session -> session.setHandler(new SessionHandler() {
      @Override
      public void onMessage(String text) {
        if (text.equals("flood")) {
          String big = "x".repeat(64 * 1024);
          for (int i = 0; i < 200; i++) session.send(big); // 12.8 MB for a peer that never reads
        } else {
          session.send(text);
        }
      }

      @Override
      public void onBinary(byte[] data) { }

      @Override
      public void onClose(CloseReason reason, String description) { }
    });
    host = EngineIoHost.start(
        NetOptions.builder().host("127.0.0.1").port(0).maxOutboundBytes(1024 * 1024).build(),
        EngineIoOptions.builder().path("/engine.io/").build(), app, null, null, new FakeScheduler());
  }

  @AfterEach
  void stop() {
    host.close();
  }

  @Test
  void peerThatNeverReadsIsDroppedAndOthersAreServed() throws Exception {
    try (RawWebSocketClient good = RawWebSocketClient.open(host.port(), WS);
        RawWebSocketClient slow = RawWebSocketClient.open(host.port(), WS)) {
      good.readText();
      slow.readText();
      slow.sendText("4flood");
      Await.until("slow consumer dropped", () -> host.engine().sessionCount() == 1);
      good.sendText("4still here");
      assertEquals("4still here", good.readText());
    }
  }

  @Test
  void pingFloodFromAPeerThatDoesNotReadIsBounded() throws Exception {
    try (RawWebSocketClient good = RawWebSocketClient.open(host.port(), WS);
        RawWebSocketClient flooder = RawWebSocketClient.open(host.port(), WS)) {
      good.readText();
      flooder.readText();
      byte[] payload = new byte[125];
      Random r = new Random(3);
      byte[] frame = RawWebSocketClient.frame(true, 0x9, payload, true, r);
      byte[] burst = new byte[frame.length * 1000];
      for (int i = 0; i < 1000; i++) System.arraycopy(frame, 0, burst, i * frame.length, frame.length);
      try {
        for (int i = 0; i < 20 && host.engine().sessionCount() == 2; i++) flooder.sendRaw(burst);
      } catch (java.io.IOException dropped) {
        // the server closed us: what this test wants
      }
      good.sendText("4ok");
      assertEquals("4ok", good.readText());
      assertTrue(host.net().connectionCount() >= 1);
    }
  }
}
