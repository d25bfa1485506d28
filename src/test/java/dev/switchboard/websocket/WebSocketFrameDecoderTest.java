package dev.switchboard.websocket;

import static dev.switchboard.websocket.TestFrames.binary;
import static dev.switchboard.websocket.TestFrames.bytes;
import static dev.switchboard.websocket.TestFrames.close;
import static dev.switchboard.websocket.TestFrames.closeWithoutBody;
import static dev.switchboard.websocket.TestFrames.concat;
import static dev.switchboard.websocket.TestFrames.continuation;
import static dev.switchboard.websocket.TestFrames.counting;
import static dev.switchboard.websocket.TestFrames.frame;
import static dev.switchboard.websocket.TestFrames.ping;
import static dev.switchboard.websocket.TestFrames.pong;
import static dev.switchboard.websocket.TestFrames.text;
import static dev.switchboard.websocket.TestFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.switchboard.testing.Chunkings;
import dev.switchboard.testing.Chunkings.Chunking;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven decoding: every row is replayed whole, split at every index and one byte at a
 * time, and must give the same events (hostile-inputs.md#B61) or the same failure.
 */
class WebSocketFrameDecoderTest {
  private static final WebSocketLimits SMALL = new WebSocketLimits(10, 3);

  static Stream<Arguments> validFrames() {
    List<Arguments> rows = new ArrayList<>(List.of(
        // RFC 6455 §5.7: "A single-frame masked text message".
        row("§5.7 masked text Hello", hex("818537fa213d7f9f4d5158"), "text:Hello"),
        // RFC 6455 §5.7: "Unmasked Pong response" to a masked ping, as the client sends it masked.
        row("§5.7 masked pong Hello", hex("8a8537fa213d7f9f4d5158"), "pong:48656c6c6f"),
        // RFC 6455 §5.7: "A fragmented unmasked text message", masked as a client must.
        row("§5.7 fragmented text Hel + lo", concat(text("Hel").fin(false), continuation("lo")), "text:Hello"),
        // hostile-inputs.md#B51: a control frame between fragments is delivered at once, the message at its end.
        row("B51: ping between fragments",
            concat(text("Hel").fin(false), ping(utf8("x")), continuation("l").fin(false), pong(new byte[0]), continuation("o")),
            "ping:78", "pong:", "text:Hello"),
        // hostile-inputs.md#B60: ping and pong payloads arrive intact, every byte value, up to the 125-byte maximum.
        row("B60: ping with 125 bytes", ping(counting(125)).bytes(), "ping:" + RecordingListener.hex(counting(125))),
        row("B60: unsolicited empty pong", pong(new byte[0]).bytes(), "pong:"),
        row("B60: pong with payload", pong(bytes(0, 0xff, 0x80)).bytes(), "pong:00ff80"),
        row("binary in the 16-bit length form", binary(counting(126)).bytes(), "binary:" + RecordingListener.hex(counting(126))),
        row("text of 300 bytes", text("x".repeat(300)).bytes(), "text:" + "x".repeat(300)),
        row("zero-length text", text("").bytes(), "text:"),
        row("zero-length binary", binary(new byte[0]).bytes(), "binary:"),
        row("empty fragments around binary",
            concat(binary(new byte[0]).fin(false), continuation(new byte[0]).fin(false), continuation(bytes(1, 2, 3))),
            "binary:010203"),
        row("empty text message in two fragments", concat(text("").fin(false), continuation("")), "text:"),
        row("binary is not checked for UTF-8", binary(bytes(0xc0, 0xaf)).bytes(), "binary:c0af"),
        // hostile-inputs.md#B54: a code point split across fragments is valid.
        row("B54: euro sign split across three fragments",
            concat(text(bytes(0xe2)).fin(false), continuation(bytes(0x82)).fin(false), continuation(bytes(0xac))), "text:€"),
        row("B54: 4-byte code point in four fragments",
            concat(text(bytes(0xf0)).fin(false), continuation(bytes(0x9f)).fin(false),
                continuation(bytes(0x98)).fin(false), continuation(bytes(0x80))),
            "text:\uD83D\uDE00"),
        row("mixed scripts in one frame", text("héllo wörld ✓ \uD83D\uDE00 Ω").bytes(), "text:héllo wörld ✓ \uD83D\uDE00 Ω"),
        row("all-zero masking key", text("abcdefghijklmnopqrstuvwxyz0123456789!").mask(bytes(0, 0, 0, 0)).bytes(),
            "text:abcdefghijklmnopqrstuvwxyz0123456789!"),
        row("all-ones masking key", binary(counting(37)).mask(bytes(0xff, 0xff, 0xff, 0xff)).bytes(),
            "binary:" + RecordingListener.hex(counting(37))),
        row("close with no body", closeWithoutBody().bytes(), "close:1005:"),
        row("close with a UTF-8 reason", close(1000, "ça va ✓").bytes(), "close:1000:ça va ✓"),
        row("close reason of 123 bytes", close(4000, "r".repeat(123)).bytes(), "close:4000:" + "r".repeat(123)),
        // hostile-inputs.md#B58: once the close frame is in, data frames and even garbage after it are ignored.
        row("B58: bytes after close are ignored",
            concat(text("a"), close(1000, ""), text("ignored"), bytes(0xff, 0x00, 0x74)), "text:a", "close:1000:")));
    // hostile-inputs.md#B57: every code valid to receive is delivered as sent.
    for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999}) {
      rows.add(row("B57: close " + code, close(code, "bye").bytes(), "close:" + code + ":bye"));
    }
    // hostile-inputs.md#B61: 100 frames of all kinds in one buffer.
    List<Object> frames = new ArrayList<>();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      switch (i % 4) {
        case 0 -> { frames.add(text("m" + i)); events.add("text:m" + i); }
        case 1 -> { frames.add(binary(bytes(i))); events.add("binary:" + RecordingListener.hex(bytes(i))); }
        case 2 -> { frames.add(ping(bytes(i))); events.add("ping:" + RecordingListener.hex(bytes(i))); }
        default -> { frames.add(text("f" + i).fin(false)); frames.add(continuation("!")); events.add("text:f" + i + "!"); }
      }
    }
    rows.add(Arguments.of("B61: 100 frames in one buffer", concat(frames.toArray()), events));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFrames")
  void decodesValidFramesUnderEveryChunking(String name, byte[] wire, List<String> expected) throws Exception {
    for (Chunking chunking : Chunkings.of(wire)) {
      assertEquals(expected, decode(WebSocketLimits.DEFAULTS, chunking), chunking.name());
    }
  }

  static Stream<Arguments> invalidFrames() {
    List<Arguments> rows = new ArrayList<>(List.of(
        // hostile-inputs.md#B45: "test" glued to the handshake reads as FIN=0, RSV1-3 set, opcode 4.
        bad("B45: 'test' after the handshake", utf8("test"), 1002, "Reserved bits set with no extension negotiated"),
        bad("B46: unmasked text", text("Hello").unmasked().bytes(), 1002, "Client frame is not masked"),
        bad("B46: unmasked ping", ping(new byte[0]).unmasked().bytes(), 1002, "Client frame is not masked"),
        bad("B46: unmasked close", close(1000, "").unmasked().bytes(), 1002, "Client frame is not masked"),
        bad("B49: ping of 126 bytes", ping(new byte[126]).bytes(), 1002, "Control frame payload longer than 125 bytes"),
        bad("B49: pong of 126 bytes", pong(new byte[126]).bytes(), 1002, "Control frame payload longer than 125 bytes"),
        bad("B49: close of 126 bytes", close(1000, "r".repeat(124)).bytes(), 1002, "Control frame payload longer than 125 bytes"),
        bad("B50: fragmented ping", concat(ping(utf8("a")).fin(false), continuation("b")), 1002, "Control frame is fragmented"),
        bad("B50: fragmented close", close(1000, "").fin(false).bytes(), 1002, "Control frame is fragmented"),
        bad("B51: final continuation first", continuation("a").bytes(), 1002, "Continuation frame with no message in progress"),
        bad("B51: non-final continuation first", continuation("a").fin(false).bytes(), 1002,
            "Continuation frame with no message in progress"),
        bad("B51: continuation after a complete message", concat(text("a"), continuation("b")), 1002,
            "Continuation frame with no message in progress", "text:a"),
        bad("B51: text while a text message is open", concat(text("a").fin(false), text("b")), 1002,
            "Data frame while a fragmented message is in progress"),
        bad("B51: binary while a text message is open", concat(text("a").fin(false), binary(bytes(1)).fin(false)), 1002,
            "Data frame while a fragmented message is in progress"),
        // hostile-inputs.md#B52: only headers are sent; the answer must come before any payload.
        bad("B52: 64-bit length with the top bit set", binary(new byte[0]).declaredLength(0x8000_0000_0000_0000L).bytes(), 1009,
            "Payload length has the most significant bit set"),
        bad("B52: all-ones 64-bit length", binary(new byte[0]).declaredLength(-1L).bytes(), 1009,
            "Payload length has the most significant bit set"),
        bad("B52: declared 2^31", binary(new byte[0]).declaredLength(1L << 31).bytes(), 1009, "Message too big: 2147483648 > 1000000"),
        bad("B52: declared 1 GiB", text(new byte[0]).declaredLength(1L << 30).bytes(), 1009, "Message too big: 1073741824 > 1000000"),
        bad("B52/B55: declared one byte over the limit", text(new byte[0]).declaredLength(1_000_001).bytes(), 1009,
            "Message too big: 1000001 > 1000000"),
        bad("B53: length 5 in the 16-bit form", text("hello").lengthForm(16).bytes(), 1002, "Non-minimal 16-bit payload length: 5"),
        bad("B53: length 125 in the 16-bit form", binary(new byte[125]).lengthForm(16).bytes(), 1002,
            "Non-minimal 16-bit payload length: 125"),
        bad("B53: length 5 in the 64-bit form", text("hello").lengthForm(64).bytes(), 1002, "Non-minimal 64-bit payload length: 5"),
        bad("B53: length 65535 in the 64-bit form", binary(new byte[0]).lengthForm(64).declaredLength(65535).bytes(), 1002,
            "Non-minimal 64-bit payload length: 65535"),
        bad("B54: overlong C0 AF", text(bytes(0xc0, 0xaf)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: overlong E0 80 AF", text(bytes(0xe0, 0x80, 0xaf)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: overlong F0 80 80 AF", text(bytes(0xf0, 0x80, 0x80, 0xaf)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: surrogate ED A0 80", text(bytes(0xed, 0xa0, 0x80)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: above U+10FFFF F4 90 80 80", text(bytes(0xf4, 0x90, 0x80, 0x80)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: F5 lead byte", text(bytes(0xf5, 0x80, 0x80, 0x80)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: FF byte", text(bytes(0x61, 0xff)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: stray continuation 80", text(bytes(0x61, 0x80)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: lead byte then ASCII", text(bytes(0xc3, 0x28)).bytes(), 1007, "Invalid UTF-8 in text message"),
        bad("B54: truncated at the end of a single frame", text(bytes(0x61, 0xe2, 0x82)).bytes(), 1007,
            "Truncated UTF-8 at the end of a text message"),
        bad("B54: truncated at the final fragment", concat(text(bytes(0xe2, 0x82)).fin(false), continuation(new byte[0])), 1007,
            "Truncated UTF-8 at the end of a text message"),
        bad("B54: invalid sequence split across fragments", concat(text(bytes(0xe2)).fin(false), continuation(bytes(0x28))), 1007,
            "Invalid UTF-8 in text message"),
        bad("B54: surrogate split across fragments", concat(text(bytes(0xed)).fin(false), continuation(bytes(0xa0, 0x80))), 1007,
            "Invalid UTF-8 in text message"),
        bad("B57: close with a 1-byte payload", frame(WebSocketProtocol.OPCODE_CLOSE, bytes(0x03)).bytes(), 1002,
            "Close frame payload of 1 byte"),
        bad("B57: close reason not UTF-8", close(1000, bytes(0xc0, 0xaf)).bytes(), 1007, "Invalid UTF-8 in close reason"),
        bad("B57: close reason truncated", close(1000, bytes(0x61, 0xe2, 0x82)).bytes(), 1007, "Invalid UTF-8 in close reason"),
        bad("B57: close reason surrogate", close(1000, bytes(0xed, 0xb0, 0x80)).bytes(), 1007, "Invalid UTF-8 in close reason")));
    // hostile-inputs.md#B47: each reserved bit, on a data frame and on a control frame.
    for (int rsv : new int[] {4, 2, 1}) {
      rows.add(bad("B47: RSV bits " + rsv + " on text", text("a").rsv(rsv).bytes(), 1002, "Reserved bits set with no extension negotiated"));
      rows.add(bad("B47: RSV bits " + rsv + " on ping", ping(new byte[0]).rsv(rsv).bytes(), 1002,
          "Reserved bits set with no extension negotiated"));
    }
    // hostile-inputs.md#B48: every reserved opcode.
    for (int opcode : new int[] {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
      String name = "0x" + Integer.toHexString(opcode).toUpperCase();
      rows.add(bad("B48: opcode " + name, frame(opcode, utf8("a")).bytes(), 1002, "Reserved opcode " + name));
    }
    // hostile-inputs.md#B57: codes never valid in a close frame.
    for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
      rows.add(bad("B57: close code " + code, close(code, "").bytes(), 1002, "Invalid close code: " + code));
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFrames")
  void rejectsInvalidFramesUnderEveryChunking(String name, byte[] wire, int code, String message, List<String> before) {
    for (Chunking chunking : Chunkings.of(wire)) {
      assertFails(WebSocketLimits.DEFAULTS, chunking, code, message, before);
    }
  }

  static Stream<Arguments> smallLimits() {
    return Stream.of(
        Arguments.of("exactly 10 bytes in 3 fragments is allowed",
            concat(text("abc").fin(false), continuation("defg").fin(false), continuation("hij")), List.of("text:abcdefghij"), 0, ""),
        Arguments.of("B55: running total crosses the limit",
            concat(binary(bytes(1, 2, 3, 4)).fin(false), continuation(bytes(5, 6, 7, 8)).fin(false), continuation(bytes(9, 10, 11))),
            List.of(), 1009, "Message too big: 11 > 10"),
        Arguments.of("B55: one frame over the limit", text("01234567890").bytes(), List.of(), 1009, "Message too big: 11 > 10"),
        Arguments.of("B56: fourth fragment over the cap",
            concat(text("").fin(false), continuation("").fin(false), continuation("").fin(false), continuation("")),
            List.of(), 1009, "Too many fragments: 4 > 3"),
        Arguments.of("control frames do not count toward either limit",
            concat(text("a").fin(false), ping(new byte[100]), continuation("b").fin(false), ping(new byte[0]), continuation("c")),
            List.of("ping:" + "00".repeat(100), "ping:", "text:abc"), 0, ""),
        Arguments.of("limits apply per message",
            concat(text("0123456789"), text("a").fin(false), continuation("b").fin(false), continuation("c"), binary(new byte[10])),
            List.of("text:0123456789", "text:abc", "binary:" + "00".repeat(10)), 0, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smallLimits")
  void enforcesLimitsUnderEveryChunking(String name, byte[] wire, List<String> events, int code, String message) throws Exception {
    for (Chunking chunking : Chunkings.of(wire)) {
      if (code == 0) {
        assertEquals(events, decode(SMALL, chunking), chunking.name());
      } else {
        assertFails(SMALL, chunking, code, message, events);
      }
    }
  }

  private static Arguments row(String name, byte[] wire, String... events) {
    return Arguments.of(name, wire, List.of(events));
  }

  private static Arguments bad(String name, byte[] wire, int code, String message, String... before) {
    return Arguments.of(name, wire, code, message, List.of(before));
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  /** Decodes every piece of {@code chunking}, checking each is consumed entirely. */
  static List<String> decode(WebSocketLimits limits, Chunking chunking) throws WebSocketProtocolException {
    RecordingListener events = new RecordingListener();
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(limits, events);
    for (ByteBuffer piece : chunking.buffers()) {
      decoder.feed(piece);
      assertFalse(piece.hasRemaining(), chunking.name() + ": bytes left in the buffer");
    }
    return events.events;
  }

  private static void assertFails(WebSocketLimits limits, Chunking chunking, int code, String message, List<String> before) {
    RecordingListener events = new RecordingListener();
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(limits, events);
    WebSocketProtocolException thrown = null;
    for (ByteBuffer piece : chunking.buffers()) {
      try {
        decoder.feed(piece);
      } catch (WebSocketProtocolException e) {
        thrown = e;
        break;
      }
    }
    assertNotNull(thrown, chunking.name() + ": no exception");
    assertEquals(code, thrown.closeCode(), chunking.name());
    assertEquals(message, thrown.getMessage(), chunking.name());
    assertEquals(before, events.events, chunking.name());
  }
}
