package dev.switchboard.websocket;

import static dev.switchboard.websocket.TestFrames.binary;
import static dev.switchboard.websocket.TestFrames.concat;
import static dev.switchboard.websocket.TestFrames.continuation;
import static dev.switchboard.websocket.TestFrames.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** permessage-deflate on the wire (RFC 7692 §6, §7.2): our compressed frames and the decoder's inflation. */
class DeflateCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final PerMessageDeflate TAKEOVER = new PerMessageDeflate(false, false, 0, "permessage-deflate");
  private static final PerMessageDeflate NO_TAKEOVER = new PerMessageDeflate(true, true, 0, "permessage-deflate");
  private final RecordingListener events = new RecordingListener();

  // ------------------------------------------------------------------ sending

  @Test
  void compressesHelloAsRfc7692Section7_2_3_1() {
    // §7.2.3.1: "Hello" in one compressed frame is c1 07 f2 48 cd c9 c9 07 00 (tail removed).
    ByteBuffer frame = MessageDeflater.compressAlone(WebSocketFrameEncoder.text("Hello"));
    assertEquals("c107f248cdc9c90700", hex(frame));
    assertTrue(MessageDeflater.isCompressed(frame));
  }

  @Test
  void contextTakeoverMakesTheSecondMessageSmaller() {
    // §7.2.3.2: the same message again, with the window of the first, is a 5-byte back-reference.
    Deflater d = MessageDeflater.newDeflater();
    assertEquals("c107f248cdc9c90700", hex(MessageDeflater.compress(d, WebSocketFrameEncoder.text("Hello"))));
    assertEquals("c105f200110000", hex(MessageDeflater.compress(d, WebSocketFrameEncoder.text("Hello"))));
    d.end();
  }

  @Test
  void largeFramesKeepTheShortestLengthFormAndRoundTrip() {
    byte[] data = new byte[300_000];
    new java.util.Random(7).nextBytes(data); // incompressible: the output outgrows the first guess
    ByteBuffer frame = MessageDeflater.compressAlone(WebSocketFrameEncoder.binary(data));
    assertEquals(0xC2, frame.get(0) & 0xFF, "FIN, RSV1, binary");
    assertEquals(127, frame.get(1) & 0x7F);
    assertArrayEquals(data, inflateServerFrame(frame));
    ByteBuffer small = MessageDeflater.compressAlone(WebSocketFrameEncoder.text("a".repeat(1000)));
    assertEquals(2, small.remaining() - MessageDeflater.payloadLength(small), "7-bit length form");
    assertEquals("a".repeat(1000), new String(inflateServerFrame(small)));
  }

  // ------------------------------------------------------------------ receiving

  @Test
  void inflatesACompressedClientMessageAndKeepsTheContext() throws Exception {
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, events, TAKEOVER);
    Deflater client = MessageDeflater.newDeflater();
    decoder.feed(ByteBuffer.wrap(text(clientPayload(client, "Hello")).rsv(4).bytes()));
    decoder.feed(ByteBuffer.wrap(text(clientPayload(client, "Hello")).rsv(4).bytes())); // back-reference
    decoder.feed(ByteBuffer.wrap(text("plain").bytes())); // §6: uncompressed messages may be mixed in
    assertEquals(List.of("text:Hello", "text:Hello", "text:plain"), events.events);
  }

  @Test
  void inflatesFragmentsWithRsv1OnTheFirstOnly() throws Exception {
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, events, NO_TAKEOVER);
    byte[] payload = clientPayload(MessageDeflater.newDeflater(), "fragmented héllo");
    byte[] wire = concat(
        binary(Arrays.copyOfRange(payload, 0, 3)).rsv(4).fin(false),
        TestFrames.ping(new byte[] {1}),
        continuation(Arrays.copyOfRange(payload, 3, payload.length)));
    for (byte b : wire) decoder.feed(ByteBuffer.wrap(new byte[] {b})); // any chunking
    assertEquals(List.of("ping:01", "binary:" + HEX.formatHex("fragmented héllo".getBytes())), events.events);
  }

  @Test
  void acceptsAFinalBlockAsRfc7692Section7_2_3_4AndNothingAfterIt() throws Exception {
    // §7.2.3.4: "Hello" in a block with BFINAL set; the tail is then not needed (nor appended).
    byte[] bfinal = HEX.parseHex("f348cdc9c90700");
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, events, TAKEOVER);
    decoder.feed(ByteBuffer.wrap(text(bfinal).rsv(4).bytes()));
    decoder.feed(ByteBuffer.wrap(text(bfinal).rsv(4).bytes())); // a new stream: the ended one was reset
    assertEquals(List.of("text:Hello", "text:Hello"), events.events);
    // Bytes after the final block fail the same whether they arrive with it or later (1007).
    byte[] after = Arrays.copyOf(bfinal, bfinal.length + 1);
    assertClose(1007, TAKEOVER, text(after).rsv(4).bytes());
    WebSocketFrameDecoder split = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, new RecordingListener(), TAKEOVER);
    byte[] wire = concat(text(bfinal).rsv(4).fin(false), continuation(new byte[] {0}));
    assertEquals(1007, assertThrows(WebSocketProtocolException.class, () -> split.feed(ByteBuffer.wrap(wire))).closeCode());
  }

  @Test
  void rsv1IsAProtocolErrorWhereRfc7692DoesNotAllowIt() {
    // Without the extension, RSV1 stays RFC 6455 §5.2's error.
    assertClose(1002, null, text("x").rsv(4).bytes());
    // §6: never on a control frame, never on a continuation; RSV2/RSV3 are still undefined.
    assertClose(1002, TAKEOVER, TestFrames.ping(new byte[0]).rsv(4).bytes());
    assertClose(1002, TAKEOVER, concat(text("a").fin(false), continuation("b").rsv(4)));
    assertClose(1002, TAKEOVER, text("x").rsv(6).bytes());
    assertClose(1002, TAKEOVER, text("x").rsv(2).bytes());
  }

  @Test
  void badDeflateDataIs1007() {
    // RFC 1951 §3.2.3: block type 11 is reserved, an error.
    assertClose(1007, TAKEOVER, binary(new byte[] {(byte) 0xFF, (byte) 0xFF}).rsv(4).bytes());
    // Inflates to bad UTF-8 in a text message: RFC 6455 §8.1.
    assertClose(1007, TAKEOVER, text(clientPayload(MessageDeflater.newDeflater(), new byte[] {(byte) 0xC0, (byte) 0xAF})).rsv(4).bytes());
  }

  @Test
  void aBombIs1009OnceItPassesTheLimitAndNeverHoldsMore() throws Exception {
    // 10 MB of zeros deflate to about 10 KB, well under a 100 000-byte limit on the wire.
    WebSocketLimits limits = new WebSocketLimits(100_000, 1024);
    byte[] bomb = clientPayload(MessageDeflater.newDeflater(), new byte[10_000_000]);
    assertTrue(bomb.length < 20_000, "compressed: " + bomb.length);
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(limits, events, TAKEOVER);
    WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class,
        () -> decoder.feed(ByteBuffer.wrap(binary(bomb).rsv(4).bytes())));
    assertEquals(1009, e.closeCode());
    assertEquals(List.of(), events.events);
    java.lang.reflect.Field f = WebSocketFrameDecoder.class.getDeclaredField("message");
    f.setAccessible(true);
    assertEquals(100_000, ((byte[]) f.get(decoder)).length, "grew to the limit, not past it");
    decoder.release();
  }

  @Test
  void aMessageInflatingToExactlyTheLimitPasses() throws Exception {
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(new WebSocketLimits(5000, 1024), events, TAKEOVER);
    decoder.feed(ByteBuffer.wrap(binary(clientPayload(MessageDeflater.newDeflater(), new byte[5000])).rsv(4).bytes()));
    assertEquals(1, events.events.size());
    assertEquals(5000, events.lastBinary.length);
  }

  @Test
  void compressedWireBytesAreLimitedToo() {
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(new WebSocketLimits(100, 1024), events, TAKEOVER);
    WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class,
        () -> decoder.feed(ByteBuffer.wrap(binary(new byte[101]).rsv(4).bytes())));
    assertEquals(1009, e.closeCode());
  }

  // ------------------------------------------------------------------ helpers

  /** What a client puts in a compressed frame (§7.2.1): sync-flushed raw deflate without the tail. */
  private static byte[] clientPayload(Deflater d, String text) {
    return clientPayload(d, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static byte[] clientPayload(Deflater d, byte[] data) {
    ByteBuffer frame = MessageDeflater.compress(d, WebSocketFrameEncoder.binary(data));
    frame.position(frame.remaining() - MessageDeflater.payloadLength(frame));
    byte[] out = new byte[frame.remaining()];
    frame.get(out);
    return out;
  }

  private void assertClose(int code, PerMessageDeflate deflate, byte[] wire) {
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, new RecordingListener(), deflate);
    WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, () -> decoder.feed(ByteBuffer.wrap(wire)));
    assertEquals(code, e.closeCode(), e.getMessage());
  }

  /** A client's view (§7.2.2): the payload with 00 00 ff ff appended, inflated. */
  private static byte[] inflateServerFrame(ByteBuffer frame) {
    ByteBuffer f = frame.duplicate();
    f.position(f.position() + f.remaining() - MessageDeflater.payloadLength(f));
    byte[] payload = new byte[f.remaining() + 4];
    f.get(payload, 0, payload.length - 4);
    System.arraycopy(MessageDeflater.TAIL, 0, payload, payload.length - 4, 4);
    Inflater inf = new Inflater(true);
    inf.setInput(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    try {
      int n;
      while ((n = inf.inflate(buf)) > 0) out.write(buf, 0, n);
    } catch (java.util.zip.DataFormatException e) {
      throw new AssertionError(e);
    } finally {
      inf.end();
    }
    return out.toByteArray();
  }

  private static String hex(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return HEX.formatHex(a);
  }
}
