package dev.switchboard.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.websocket.PerMessageDeflate;
import dev.switchboard.websocket.WebSocketFrameDecoder;
import dev.switchboard.websocket.WebSocketLimits;
import dev.switchboard.websocket.WebSocketListener;
import dev.switchboard.websocket.WebSocketProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes as the payload of a compressed message (RFC 7692 §7.2.2), in 1 to 4 fragments
 * and cut into reads of any size: the decoder's verdict — the inflated bytes, 1009 past the limit,
 * or 1007 for bad deflate data — must equal a one-shot reference inflation, whatever the cuts
 * (see {@link #assertSameVerdict} for the one latitude), and the decoder never holds more than the
 * limit (plus its 8 KiB scratch array). Stored inputs:
 * {@code src/test/resources/dev/switchboard/fuzz/DeflateDecoderFuzzTestInputs/}.
 */
class DeflateDecoderFuzzTest {
  private static final int LIMIT = 4096;
  private static final WebSocketLimits LIMITS = new WebSocketLimits(LIMIT, 8);
  private static final PerMessageDeflate DEFLATE = new PerMessageDeflate(false, false, 0, "permessage-deflate");
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Input format: byte 0 picks the fragment count (1 + bits 6-7) and the read size (1 + bits
   * 0-5); the rest, cut to the limit so the wire-size check never decides, is the payload.
   */
  @FuzzTest(maxDuration = "3m")
  void inflatesLikeTheReferenceWhateverTheBytesAndReads(byte[] data) {
    check(data);
  }

  @Test
  void seeds() {
    check(withControl(0x00, deflate(new byte[] {'h', 'i'})));
    check(withControl(0xC0, deflate("hello ".repeat(500).getBytes()))); // 4 fragments, 1-byte reads
    check(withControl(0x45, deflate(new byte[LIMIT]))); // exactly the limit
    check(withControl(0x3F, deflate(new byte[LIMIT + 1]))); // one byte over: 1009
    check(withControl(0x81, deflate(new byte[1_000_000]))); // a bomb
    check(withControl(0x02, new byte[] {(byte) 0xff, (byte) 0xff})); // reserved block type: 1007
    check(withControl(0x00, HEX.parseHex("f348cdc9c90700"))); // BFINAL (§7.2.3.4)
    check(withControl(0x00, HEX.parseHex("f348cdc9c9070000"))); // …and a byte after it: 1007
    check(withControl(0x00, new byte[] {0x03})); // a final block completed by the appended tail
    check(new byte[0]);
  }

  private static void check(byte[] data) {
    int control = data.length == 0 ? 0 : data[0] & 0xff;
    byte[] payload = data.length == 0 ? data : Arrays.copyOfRange(data, 1, Math.min(data.length, 1 + LIMIT));
    int fragments = 1 + (control >>> 6);
    int read = 1 + (control & 63);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int f = 0; f < fragments; f++) {
      int from = payload.length * f / fragments;
      int to = payload.length * (f + 1) / fragments;
      // RSV1 on the first frame only (RFC 7692 §6).
      writeFrame(wire, f == fragments - 1, f == 0 ? 0x42 : 0x0, payload, from, to);
    }
    byte[] bytes = wire.toByteArray();
    String expected = reference(payload);
    assertSameVerdict(expected, decode(bytes, bytes.length), "in one read");
    assertSameVerdict(expected, decode(bytes, read), "in reads of " + read);
  }

  /**
   * Equal, except that a message both bad and over the limit may get either code: zlib writes
   * some output before it reports an error in the same call (and Java's {@code Inflater} then
   * loses the count), and how much depends on how much input it had — a stored input found by
   * fuzzing (crash-f5d2…) is 1007 in one read and 1009 in one-byte reads. A message the
   * reference inflates within the limit, or finds over it with no error, must match exactly.
   */
  private static void assertSameVerdict(String expected, String actual, String how) {
    if ("refused 1007".equals(expected) && "refused 1009".equals(actual)) return;
    assertEquals(expected, actual, how);
  }

  private static String decode(byte[] wire, int read) {
    String[] result = {null};
    WebSocketListener listener = new WebSocketListener() {
      @Override
      public void onText(String text) {
        throw new AssertionError("text");
      }

      @Override
      public void onBinary(byte[] d) {
        assertTrue(d.length <= LIMIT);
        result[0] = "binary:" + HEX.formatHex(d);
      }

      @Override
      public void onPing(byte[] payload) { }

      @Override
      public void onPong(byte[] payload) { }

      @Override
      public void onClose(int code, String reason) { }
    };
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(LIMITS, listener, DEFLATE);
    try {
      for (int i = 0; i < wire.length; i += read) {
        decoder.feed(ByteBuffer.wrap(wire, i, Math.min(read, wire.length - i)));
        assertTrue(Memory.largestBuffer(decoder) <= Math.max(LIMIT, 8192), "holds " + Memory.largestBuffer(decoder));
      }
    } catch (WebSocketProtocolException e) {
      return "refused " + e.closeCode();
    } finally {
      decoder.release();
    }
    return result[0];
  }

  /**
   * One-shot inflation with an output cap of one byte over the limit; the tail is appended unless
   * the stream already ended (§7.2.2, §7.2.3.4); bytes after the end are an error.
   */
  private static String reference(byte[] payload) {
    Inflater inf = new Inflater(true);
    byte[] out = new byte[LIMIT + 1];
    int n = 0;
    try {
      inf.setInput(payload);
      n = drain(inf, out, n);
      if (n > LIMIT) return "refused 1009";
      if (inf.finished() && inf.getRemaining() > 0) return "refused 1007";
      if (!inf.finished()) {
        inf.setInput(TAIL);
        n = drain(inf, out, n);
        if (n > LIMIT) return "refused 1009";
        if (inf.finished() && inf.getRemaining() > 0) return "refused 1007";
      }
      if (inf.needsDictionary()) return "refused 1007";
    } catch (DataFormatException e) {
      return n > LIMIT ? "refused 1009" : "refused 1007";
    } finally {
      inf.end();
    }
    return "binary:" + HEX.formatHex(out, 0, n);
  }

  private static int drain(Inflater inf, byte[] out, int n) throws DataFormatException {
    while (n < out.length) {
      int k = inf.inflate(out, n, out.length - n);
      if (k == 0) break;
      n += k;
    }
    return n;
  }

  private static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    d.setInput(data);
    byte[] buf = new byte[data.length + 1024];
    int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
    d.end();
    return Arrays.copyOf(buf, n - 4);
  }

  private static byte[] withControl(int control, byte[] payload) {
    byte[] out = new byte[payload.length + 1];
    out[0] = (byte) control;
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }

  private static void writeFrame(ByteArrayOutputStream out, boolean fin, int firstByte, byte[] p, int from, int to) {
    int n = to - from;
    byte[] key = {0x11, 0x22, 0x33, 0x44};
    out.write((fin ? 0x80 : 0) | firstByte);
    if (n <= 125) {
      out.write(0x80 | n);
    } else {
      out.write(0x80 | 126);
      out.write(n >>> 8);
      out.write(n);
    }
    out.write(key, 0, 4);
    for (int i = 0; i < n; i++) out.write(p[from + i] ^ key[i & 3]);
  }
}
