package dev.switchboard.websocket;

import static dev.switchboard.websocket.TestFrames.binary;
import static dev.switchboard.websocket.TestFrames.bytes;
import static dev.switchboard.websocket.TestFrames.close;
import static dev.switchboard.websocket.TestFrames.concat;
import static dev.switchboard.websocket.TestFrames.continuation;
import static dev.switchboard.websocket.TestFrames.counting;
import static dev.switchboard.websocket.TestFrames.text;
import static dev.switchboard.websocket.TestFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Role;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Limits at their real sizes, fail-fast behaviour, memory, and the terminal states. */
class WebSocketFrameDecoderBoundsTest {
  private final RecordingListener events = new RecordingListener();
  private final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, events);

  @Test
  void acceptsMessageOfExactlyTheLimit() throws Exception {
    // hostile-inputs.md#B55's boundary: 1 000 000 bytes pass, in one read and in 4 KiB reads.
    byte[] payload = counting(1_000_000);
    byte[] wire = binary(payload).bytes();
    decoder.feed(ByteBuffer.wrap(wire));
    assertArrayEquals(payload, events.lastBinary);

    RecordingListener chunked = new RecordingListener();
    WebSocketFrameDecoder d = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, chunked);
    for (int i = 0; i < wire.length; i += 4096) d.feed(ByteBuffer.wrap(wire, i, Math.min(4096, wire.length - i)));
    assertArrayEquals(payload, chunked.lastBinary);
  }

  @Test
  void rejectsFrameOneByteOverTheLimit() {
    // hostile-inputs.md#B55: one 1 000 001-byte text frame.
    ByteBuffer wire = ByteBuffer.wrap(text("a".repeat(1_000_001)).bytes());
    assertFailure(1009, "Message too big: 1000001 > 1000000", () -> decoder.feed(wire));
    assertEquals(10 + 4, wire.position(), "stopped right after the header");
    assertEquals(List.of(), events.events);
  }

  @Test
  void rejectsTwoMegabyteAttachment() {
    // hostile-inputs.md#B55: a 2 MB binary attachment.
    ByteBuffer wire = ByteBuffer.wrap(binary(new byte[2_000_000]).bytes());
    assertFailure(1009, "Message too big: 2000000 > 1000000", () -> decoder.feed(wire));
  }

  @Test
  void rejectsFragmentsOnceTheirRunningTotalCrossesTheLimit() throws Exception {
    // hostile-inputs.md#B55: 1 000 fragments of 1 001 bytes; the 1 000th takes the total to 1 001 000.
    byte[] chunk = utf8("a".repeat(1001));
    decoder.feed(ByteBuffer.wrap(text(chunk).fin(false).bytes()));
    for (int i = 2; i <= 999; i++) decoder.feed(ByteBuffer.wrap(continuation(chunk).fin(false).bytes()));
    ByteBuffer thousandth = ByteBuffer.wrap(continuation(chunk).fin(false).bytes());
    assertFailure(1009, "Message too big: 1001000 > 1000000", () -> decoder.feed(thousandth));
    assertEquals(4 + 4, thousandth.position(), "failed on the header, before buffering the payload");
    assertEquals(List.of(), events.events);
  }

  @ParameterizedTest(name = "continuations of {0} bytes")
  @ValueSource(ints = {0, 1})
  void stopsFragmentBombAtTheFragmentCap(int size) {
    // hostile-inputs.md#B56: FIN=0 then 1 000 000 tiny continuations, never finished, all in one read.
    byte[] first = text("a").fin(false).bytes();
    byte[] next = continuation(new byte[size]).fin(false).bytes();
    ByteBuffer wire = ByteBuffer.allocate(first.length + 1_000_000 * next.length).put(first);
    for (int i = 0; i < 1_000_000; i++) wire.put(next);
    wire.flip();
    assertFailure(1009, "Too many fragments: 1025 > 1024", () -> decoder.feed(wire));
    assertTrue(wire.position() <= first.length + 1024 * next.length, "stopped at the cap, position " + wire.position());
  }

  @Test
  void buffersWhatArrivedNotWhatWasDeclared() throws Exception {
    // Java-WebSocket #1507: a header alone must not make us allocate the declared length, even
    // when the limit allows it. 1 GiB is declared; 100 bytes arrive.
    byte[] wire = Arrays.copyOf(binary(new byte[0]).declaredLength(1L << 30).bytes(), 14 + 100);
    WebSocketFrameDecoder roomy = new WebSocketFrameDecoder(new WebSocketLimits(Integer.MAX_VALUE - 8, 1024), events);
    long allocated = allocatedBy(() -> roomy.feed(ByteBuffer.wrap(wire)));
    assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes");
    assertEquals(WebSocketFrameDecoder.State.PAYLOAD, roomy.state());
  }

  @Test
  void reassemblesManyFragmentsWithAmortisedGrowth() throws Exception {
    // 999 fragments of 1 001 bytes: growing the buffer to each fragment's end would copy ~500 MB;
    // doubling copies about twice the message.
    byte[] chunk = utf8("a".repeat(1001));
    byte[] first = text(chunk).fin(false).bytes();
    byte[] next = continuation(chunk).fin(false).bytes();
    ByteBuffer wire = ByteBuffer.allocate(first.length + 998 * next.length).put(first);
    for (int i = 2; i <= 999; i++) wire.put(next);
    wire.flip();
    long allocated = allocatedBy(() -> decoder.feed(wire));
    assertTrue(allocated < 8_000_000, "allocated " + allocated + " bytes for a 1 MB message");
  }

  @Test
  void reportsBadUtf8BeforeTheRestOfTheFrameArrives() {
    // hostile-inputs.md#B54, fail fast: header plus "ab", C0 of a 100-byte frame; the other 97 bytes never come.
    byte[] payload = utf8("abXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    payload[2] = (byte) 0xc0;
    byte[] wire = text(payload).bytes();
    assertFailure(1007, "Invalid UTF-8 in text message", () -> decoder.feed(ByteBuffer.wrap(wire, 0, 2 + 4 + 3)));
  }

  @Test
  void reportsBadUtf8InALaterFragmentBeforeItEnds() throws Exception {
    // hostile-inputs.md#B54, fail fast across fragments: E2 82 ends the first fragment, 28 starts the second.
    decoder.feed(ByteBuffer.wrap(text(bytes(0x61, 0xe2, 0x82)).fin(false).bytes()));
    byte[] second = continuation(utf8("(" + "b".repeat(49))).fin(false).bytes();
    assertFailure(1007, "Invalid UTF-8 in text message", () -> decoder.feed(ByteBuffer.wrap(second, 0, 2 + 4 + 1)));
  }

  @Test
  void everyCallAfterAFailureThrowsAgain() {
    WebSocketProtocolException first =
        assertThrows(WebSocketProtocolException.class, () -> decoder.feed(ByteBuffer.wrap(text("a").unmasked().bytes())));
    assertSame(first, assertThrows(WebSocketProtocolException.class, () -> decoder.feed(ByteBuffer.wrap(text("b").bytes()))));
    assertSame(first, assertThrows(WebSocketProtocolException.class, () -> decoder.feed(ByteBuffer.allocate(0))));
    assertEquals(WebSocketFrameDecoder.State.CORRUPT, decoder.state());
    assertEquals(List.of(), events.events);
  }

  @Test
  void ignoresEverythingAfterTheCloseFrame() throws Exception {
    // hostile-inputs.md#B58: after the client's close, even invalid frames in later reads are consumed silently.
    decoder.feed(ByteBuffer.wrap(concat(close(1001, "bye"), text("x"))));
    ByteBuffer later = ByteBuffer.wrap(concat(text("y").unmasked(), utf8("test")));
    decoder.feed(later);
    assertFalse(later.hasRemaining());
    assertEquals(WebSocketFrameDecoder.State.CLOSED, decoder.state());
    assertEquals(List.of("close:1001:bye"), events.events);
  }

  @Test
  void decodesTheSixtyFourBitLengthFormUnderChunking() throws Exception {
    // RFC 6455 §5.7 "Unmasked Binary message" of 64 KiB, here masked: 127 and an 8-byte length.
    byte[] payload = counting(65536);
    byte[] wire = binary(payload).bytes();
    assertEquals("82ff0000000000010000", RecordingListener.hex(Arrays.copyOf(wire, 10)));
    // Chunkings.of would copy the frame once per split (4 GiB here), so split at every header
    // index and at payload offsets around each 8-byte unmasking step instead.
    List<Integer> splits = new ArrayList<>();
    for (int i = 1; i <= 30; i++) splits.add(i);
    for (int i : new int[] {1000, 1001, 1002, 1003, 32768, 65535, 65536, 65537, wire.length - 1}) splits.add(i);
    for (int split : splits) {
      RecordingListener r = new RecordingListener();
      WebSocketFrameDecoder d = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, r);
      d.feed(ByteBuffer.wrap(wire, 0, split));
      d.feed(ByteBuffer.wrap(wire, split, wire.length - split));
      assertArrayEquals(payload, r.lastBinary, "split at " + split);
    }
    for (byte b : wire) decoder.feed(ByteBuffer.wrap(new byte[] {b}));
    assertArrayEquals(payload, events.lastBinary, "one byte at a time");
  }

  @Test
  void deliveredArraysAreNotReusedByLaterMessages() throws Exception {
    decoder.feed(ByteBuffer.wrap(binary(bytes(1, 2, 3)).bytes()));
    byte[] first = events.lastBinary;
    decoder.feed(ByteBuffer.wrap(concat(binary(bytes(4, 5, 6)), binary(bytes(7, 8)), text("later text"))));
    decoder.feed(ByteBuffer.wrap(concat(binary(bytes(9)).fin(false), continuation(bytes(10, 11)))));
    assertArrayEquals(bytes(1, 2, 3), first);
    assertArrayEquals(bytes(9, 10, 11), events.lastBinary);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 65535, 65536, 100_000})
  void decodesFramesMaskedByAnIndependentClient(int size) throws Exception {
    // Java-WebSocket's Draft_6455 as a second opinion on masking and length forms: its client
    // side picks its own random masking keys.
    Draft_6455 client = new Draft_6455();
    client.setParseMode(Role.CLIENT); // masks what createBinaryFrame writes
    byte[] payload = counting(size);
    String text = "é".repeat(size / 2);
    List<Framedata> frames = new ArrayList<>(client.createFrames(ByteBuffer.wrap(payload), true));
    frames.addAll(client.createFrames(text, true));
    for (Framedata f : frames) decoder.feed(client.createBinaryFrame(f));
    assertEquals(2, events.events.size());
    assertEquals("binary:" + RecordingListener.hex(payload), events.events.get(0));
    assertEquals("text:" + text, events.events.get(1));
    assertEquals(size / 2 * 2, text.getBytes(StandardCharsets.UTF_8).length);
  }

  interface Feed {
    void run() throws Exception;
  }

  private static void assertFailure(int code, String message, Feed feed) {
    WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, feed::run);
    assertEquals(code, e.closeCode());
    assertEquals(message, e.getMessage());
  }

  /** Bytes allocated by this thread while running {@code feed}, skipped where unmeasurable. */
  private static long allocatedBy(Feed feed) throws Exception {
    var bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter");
    var counter = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(), "no allocation counter");
    long before = counter.getCurrentThreadAllocatedBytes();
    feed.run();
    return counter.getCurrentThreadAllocatedBytes() - before;
  }
}
