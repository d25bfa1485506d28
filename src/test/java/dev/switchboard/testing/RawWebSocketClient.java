package dev.switchboard.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * A minimal WebSocket client over {@link RawHttpClient}: it masks what it sends (or not, when a
 * test wants to misbehave), reads server frames, and exposes the raw socket for hand-made bytes.
 */
public final class RawWebSocketClient implements AutoCloseable {
  private final RawHttpClient http;
  private final DataInputStream in;
  private final Random random = new Random(0);
  public final RawHttpClient.Response handshake;

  private RawWebSocketClient(RawHttpClient http, RawHttpClient.Response handshake) {
    this.http = http;
    this.in = new DataInputStream(http.input());
    this.handshake = handshake;
  }

  /** Opens a WebSocket to {@code target}; {@code glued} bytes are sent in the same write. */
  public static RawWebSocketClient open(int port, String target, byte[] glued) throws IOException {
    return openWithHeaderLines(port, target, glued, "");
  }

  /** Opens a WebSocket with extra request headers given as name, value, name, value… */
  public static RawWebSocketClient open(int port, String target, byte[] glued, String... headerPairs)
      throws IOException {
    StringBuilder extra = new StringBuilder();
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      extra.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
    }
    return openWithHeaderLines(port, target, glued, extra.toString());
  }

  /** {@code extraHeaders} are complete header lines, each ending in CRLF. */
  static RawWebSocketClient openWithHeaderLines(int port, String target, byte[] glued, String extraHeaders)
      throws IOException {
    RawHttpClient http = new RawHttpClient(port);
    byte[] key = new byte[16];
    new Random(1).nextBytes(key);
    String req = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders + "\r\n";
    byte[] head = req.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + (glued == null ? 0 : glued.length)];
    System.arraycopy(head, 0, all, 0, head.length);
    if (glued != null) System.arraycopy(glued, 0, all, head.length, glued.length);
    http.send(all);
    RawHttpClient.Response r = http.readResponse();
    return new RawWebSocketClient(http, r);
  }

  public static RawWebSocketClient open(int port, String target) throws IOException {
    return open(port, target, null);
  }

  public void sendText(String s) throws IOException {
    sendFrame(0x1, s.getBytes(StandardCharsets.UTF_8), true);
  }

  public void sendBinary(byte[] b) throws IOException {
    sendFrame(0x2, b, true);
  }

  public void sendFrame(int opcode, byte[] payload, boolean mask) throws IOException {
    http.send(frame(true, opcode, payload, mask, random));
  }

  public void sendRaw(byte[] bytes) throws IOException {
    http.send(bytes);
  }

  /** Encodes one client frame. */
  public static byte[] frame(boolean fin, int opcode, byte[] payload, boolean mask, Random random) {
    int len = payload.length;
    int headerLen = 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + (mask ? 4 : 0);
    byte[] out = new byte[headerLen + len];
    out[0] = (byte) ((fin ? 0x80 : 0) | opcode);
    int i = 1;
    if (len < 126) {
      out[i++] = (byte) ((mask ? 0x80 : 0) | len);
    } else if (len < 65536) {
      out[i++] = (byte) ((mask ? 0x80 : 0) | 126);
      out[i++] = (byte) (len >>> 8);
      out[i++] = (byte) len;
    } else {
      out[i++] = (byte) ((mask ? 0x80 : 0) | 127);
      for (int s = 56; s >= 0; s -= 8) out[i++] = (byte) (((long) len) >>> s);
    }
    byte[] key = new byte[4];
    if (mask) {
      random.nextBytes(key);
      System.arraycopy(key, 0, out, i, 4);
      i += 4;
    }
    for (int j = 0; j < len; j++) out[i + j] = (byte) (payload[j] ^ (mask ? key[j & 3] : 0));
    return out;
  }

  /** One server frame: opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or 1005 when it has none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  /** The first byte (FIN, RSV1-3, opcode) of the frame {@link #read} returned last. */
  public int lastFirstByte() {
    return lastFirstByte;
  }

  private int lastFirstByte;

  /** Reads the next frame; throws EOFException when the server closed the connection. */
  public Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    lastFirstByte = b0;
    int b1 = in.readUnsignedByte();
    if ((b1 & 0x80) != 0) throw new IOException("server frames must not be masked");
    long len = b1 & 0x7f;
    if (len == 126) len = in.readUnsignedShort();
    else if (len == 127) len = in.readLong();
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  /** Reads frames until a text frame; skips nothing else silently (returns pings too). */
  public String readText() throws IOException {
    Frame f = read();
    if (f.opcode() != 0x1) throw new IOException("expected a text frame, got opcode " + f.opcode());
    return f.text();
  }

  /** Reads until the close frame and returns its code; EOF without one → 1006. */
  public int readUntilClose() throws IOException {
    try {
      while (true) {
        Frame f = read();
        if (f.opcode() == 0x8) return f.closeCode();
      }
    } catch (EOFException | SocketTimeoutException e) {
      return 1006;
    }
  }

  public boolean isClosedByServer() {
    return http.isClosedByServer();
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
