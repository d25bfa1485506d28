package dev.switchboard.bench.jmh;

import dev.switchboard.websocket.WebSocketFrameDecoder;
import dev.switchboard.websocket.WebSocketFrameEncoder;
import dev.switchboard.websocket.WebSocketLimits;
import dev.switchboard.websocket.WebSocketListener;
import dev.switchboard.websocket.WebSocketProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * RFC 6455 frames: decoding masked client frames (one, and a read of 100 back to back, as the I/O
 * loop sees them) with UTF-8 validation, and encoding server frames. Run with {@code bench/jmh.sh WebSocket}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WebSocketFrameBenchmark {
  @Param({"64", "4096"})
  int payloadBytes;

  String text;
  byte[] oneFrame;
  byte[] hundredFrames;
  WebSocketFrameDecoder decoder;
  Sink sink;

  /** Counts what the decoder delivers. */
  static final class Sink implements WebSocketListener {
    Blackhole bh;

    @Override public void onText(String t) { bh.consume(t); }
    @Override public void onBinary(byte[] data) { bh.consume(data); }
    @Override public void onPing(byte[] payload) { bh.consume(payload); }
    @Override public void onPong(byte[] payload) { bh.consume(payload); }
    @Override public void onClose(int code, String reason) { bh.consume(code); }
  }

  @Setup
  public void setUp() {
    StringBuilder sb = new StringBuilder("42[\"echo\",\"");
    while (sb.length() < payloadBytes - 2) sb.append((char) ('a' + sb.length() % 26));
    text = sb.append("\"]").toString();
    oneFrame = maskedText(text.getBytes(StandardCharsets.UTF_8), 0x1234abcd);
    ByteBuffer all = ByteBuffer.allocate(oneFrame.length * 100);
    for (int i = 0; i < 100; i++) all.put(maskedText(text.getBytes(StandardCharsets.UTF_8), 0x9e3779b9 * (i + 1)));
    hundredFrames = all.array();
    sink = new Sink();
    decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, sink);
  }

  /** A client frame: FIN + text opcode, MASK bit, 7/16-bit length, masking key, masked payload. */
  static byte[] maskedText(byte[] payload, int key) {
    int n = payload.length;
    int header = n < 126 ? 2 : 4;
    ByteBuffer b = ByteBuffer.allocate(header + 4 + n);
    b.put((byte) 0x81);
    if (n < 126) {
      b.put((byte) (0x80 | n));
    } else {
      b.put((byte) (0x80 | 126)).putShort((short) n);
    }
    byte[] mask = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
    b.put(mask);
    for (int i = 0; i < n; i++) b.put((byte) (payload[i] ^ mask[i & 3]));
    return b.array();
  }

  @Benchmark
  public void decodeOneFrame(Blackhole bh) throws WebSocketProtocolException {
    sink.bh = bh;
    decoder.feed(ByteBuffer.wrap(oneFrame));
  }

  @Benchmark
  public void decodeHundredFrames(Blackhole bh) throws WebSocketProtocolException {
    sink.bh = bh;
    decoder.feed(ByteBuffer.wrap(hundredFrames));
  }

  @Benchmark
  public ByteBuffer encodeTextFrame() {
    return WebSocketFrameEncoder.text(text);
  }
}
