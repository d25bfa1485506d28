package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.websocket.DeflateOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate (RFC 7692) end to end, with a raw client on a real socket: negotiation in
 * the 101, compressed frames both ways, the threshold, a compression bomb and bad deflate data.
 */
class EngineIoPerMessageDeflateTest {
  private static final String WS = EngineIoTestServer.PATH + "?EIO=4&transport=websocket";
  private static final String OFFER = "permessage-deflate; client_max_window_bits";
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
  private EngineIoTestServer server;

  private void start(DeflateOptions deflate, int maxHttpBufferSize) throws Exception {
    server = new EngineIoTestServer(EngineIoOptions.builder().path(EngineIoTestServer.PATH)
        .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
        .maxHttpBufferSize(maxHttpBufferSize).perMessageDeflate(deflate).build(),
        NetOptions.builder().host("127.0.0.1").port(0).maxBodyBytes(maxHttpBufferSize).build());
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void offByDefaultTheOfferIsIgnored() throws Exception {
    start(null, 1_000_000);
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS, null, "Sec-WebSocket-Extensions", OFFER)) {
      assertNull(ws.handshake.header("Sec-WebSocket-Extensions"));
      ws.readText();
      ws.sendText("4" + "x".repeat(5000));
      assertEquals("4" + "x".repeat(5000), ws.readText());
      assertEquals(0, ws.lastFirstByte() & 0x40, "no RSV1");
    }
  }

  @Test
  void compressesBothWaysOverTheThresholdWithContextTakeover() throws Exception {
    start(DeflateOptions.DEFAULTS, 1_000_000);
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS, null, "Sec-WebSocket-Extensions", OFFER)) {
      assertEquals("permessage-deflate", ws.handshake.header("Sec-WebSocket-Extensions"));
      readText(ws, null);
      assertEquals(0, ws.lastFirstByte() & 0x40, "the OPEN packet is under the threshold");
      Deflater clientDeflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      Inflater clientInflater = new Inflater(true);
      String big = "4" + "hello world ".repeat(200);
      for (int i = 0; i < 3; i++) {
        // Context takeover both ways: each side keeps its window across messages.
        ws.sendFrame(0x41, compress(clientDeflater, big.getBytes(StandardCharsets.UTF_8)), true); // RSV1 + text
        assertEquals(big, readText(ws, clientInflater));
        assertEquals(0x40, ws.lastFirstByte() & 0x40, "echo over 1024 bytes is compressed");
      }
      ws.sendText("4small");
      assertEquals("4small", readText(ws, clientInflater));
      assertEquals(0, ws.lastFirstByte() & 0x40, "under the threshold: plain");
      clientDeflater.end();
      clientInflater.end();
    }
  }

  @Test
  void withoutContextTakeoverEachMessageStandsAlone() throws Exception {
    start(new DeflateOptions(0, true, true), 1_000_000);
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS, null, "Sec-WebSocket-Extensions",
        "permessage-deflate; server_max_window_bits=10, permessage-deflate")) {
      assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
          ws.handshake.header("Sec-WebSocket-Extensions"));
      assertTrue(readText(ws, null).startsWith("0{"), "threshold 0: even the OPEN packet is compressed");
      for (int i = 0; i < 2; i++) {
        Deflater fresh = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        ws.sendFrame(0x41, compress(fresh, "4again".getBytes(StandardCharsets.UTF_8)), true);
        fresh.end();
        assertEquals("4again", readText(ws, null)); // a fresh inflater each time: no shared window
        assertEquals(0x40, ws.lastFirstByte() & 0x40);
      }
    }
  }

  @Test
  void aCompressionBombGets1009AndTheServerServesTheNextClient() throws Exception {
    start(DeflateOptions.DEFAULTS, 100_000);
    // 50 MB of '4' inflate from about 50 KB: under the limit on the wire, 500 times over it inflated.
    byte[] bomb = new byte[50_000_000];
    java.util.Arrays.fill(bomb, (byte) '4');
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] compressed = compress(d, bomb);
    d.end();
    assertTrue(compressed.length < 100_000, "compressed: " + compressed.length);
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS, null, "Sec-WebSocket-Extensions", OFFER)) {
      ws.readText();
      ws.sendFrame(0x41, compressed, true);
      assertEquals(1009, ws.readUntilClose());
    }
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS, null, "Sec-WebSocket-Extensions", OFFER)) {
      ws.readText();
      ws.sendText("4still here");
      assertEquals("4still here", ws.readText());
    }
    Await.until("the bomb's session is gone", () -> server.sessions() <= 1);
  }

  @Test
  void badDeflateDataGets1007() throws Exception {
    start(DeflateOptions.DEFAULTS, 1_000_000);
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), WS, null, "Sec-WebSocket-Extensions", OFFER)) {
      ws.readText();
      ws.sendFrame(0x42, new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, true);
      assertEquals(1007, ws.readUntilClose());
    }
  }

  /** RFC 7692 §7.2.1: sync flush, tail removed. */
  static byte[] compress(Deflater d, byte[] data) {
    d.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    int n;
    do {
      n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
      out.write(buf, 0, n);
    } while (n == buf.length);
    byte[] all = out.toByteArray();
    return java.util.Arrays.copyOf(all, all.length - 4);
  }

  /** Reads a text frame, inflating it (RFC 7692 §7.2.2) with {@code inflater}, or a fresh one if null. */
  private static String readText(RawWebSocketClient ws, Inflater inflater) throws Exception {
    RawWebSocketClient.Frame f = ws.read();
    assertEquals(1, f.opcode());
    if ((ws.lastFirstByte() & 0x40) == 0) return f.text();
    Inflater inf = inflater != null ? inflater : new Inflater(true);
    byte[] in = java.util.Arrays.copyOf(f.payload(), f.payload().length + 4);
    System.arraycopy(TAIL, 0, in, f.payload().length, 4);
    inf.setInput(in);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    try {
      int n;
      while ((n = inf.inflate(buf)) > 0) out.write(buf, 0, n);
    } catch (DataFormatException e) {
      throw new AssertionError(e);
    }
    if (inflater == null) inf.end();
    return out.toString(StandardCharsets.UTF_8);
  }
}
