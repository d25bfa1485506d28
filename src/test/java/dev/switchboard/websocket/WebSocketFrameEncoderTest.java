package dev.switchboard.websocket;

import static dev.switchboard.websocket.TestFrames.counting;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketFrameEncoderTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> rfcExamples() {
    return Stream.of(
        // RFC 6455 §5.7: "A single-frame unmasked text message".
        Arguments.of("§5.7 unmasked text Hello", WebSocketFrameEncoder.text("Hello"), "810548656c6c6f"),
        // RFC 6455 §5.7: "Unmasked Ping request".
        Arguments.of("§5.7 unmasked ping Hello", WebSocketFrameEncoder.ping("Hello".getBytes(StandardCharsets.US_ASCII)),
            "890548656c6c6f"),
        Arguments.of("pong Hello", WebSocketFrameEncoder.pong("Hello".getBytes(StandardCharsets.US_ASCII)), "8a0548656c6c6f"),
        Arguments.of("close 1000 bye", WebSocketFrameEncoder.close(1000, "bye"), "880503e8627965"),
        Arguments.of("close without a body", WebSocketFrameEncoder.close(), "8800"),
        Arguments.of("empty binary", WebSocketFrameEncoder.binary(new byte[0]), "8200"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfcExamples")
  void encodesRfcExamples(String name, ByteBuffer frame, String hex) {
    assertEquals(hex, hex(frame));
  }

  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of(WebSocketProtocol.OPCODE_TEXT, 0, "8100"),
        Arguments.of(WebSocketProtocol.OPCODE_TEXT, 125, "817d"),
        Arguments.of(WebSocketProtocol.OPCODE_TEXT, 126, "817e007e"),
        // RFC 6455 §5.7: "256 bytes binary message in a single unmasked frame".
        Arguments.of(WebSocketProtocol.OPCODE_BINARY, 256, "827e0100"),
        Arguments.of(WebSocketProtocol.OPCODE_BINARY, 65535, "827effff"),
        // RFC 6455 §5.7: "64KiB binary message in a single unmasked frame".
        Arguments.of(WebSocketProtocol.OPCODE_BINARY, 65536, "827f0000000000010000"),
        Arguments.of(WebSocketProtocol.OPCODE_BINARY, Integer.MAX_VALUE, "827f000000007fffffff"),
        Arguments.of(WebSocketProtocol.OPCODE_PING, 125, "897d"),
        Arguments.of(WebSocketProtocol.OPCODE_CLOSE, 2, "8802"));
  }

  @ParameterizedTest(name = "opcode {0}, length {1}")
  @MethodSource("headers")
  void writesTheMinimalLengthForm(int opcode, int length, String hex) {
    assertEquals(hex, HEX.formatHex(WebSocketFrameEncoder.header(opcode, length)));
  }

  @Test
  void headerPlusPayloadEqualsTheWholeFrame() {
    byte[] utf8 = "42[\"hello\",\"wörld\"]".getBytes(StandardCharsets.UTF_8);
    byte[] header = WebSocketFrameEncoder.header(WebSocketProtocol.OPCODE_TEXT, utf8.length);
    ByteBuffer whole = WebSocketFrameEncoder.textUtf8(utf8);
    assertEquals(HEX.formatHex(header) + HEX.formatHex(utf8), hex(whole));
    assertEquals(hex(whole), hex(WebSocketFrameEncoder.text("42[\"hello\",\"wörld\"]")));
  }

  @Test
  void rejectsHeadersNoPeerCouldAccept() {
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.header(WebSocketProtocol.OPCODE_CONTINUATION, 1));
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.header(0x3, 1));
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.header(0xB, 1));
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.header(0x10, 1));
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.header(WebSocketProtocol.OPCODE_TEXT, -1));
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.header(WebSocketProtocol.OPCODE_PING, 126));
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.ping(new byte[126]));
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.pong(new byte[126]));
  }

  @ParameterizedTest(name = "close code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
  void refusesCloseCodesThatMayNotBeSent(int code) {
    assertThrows(IllegalArgumentException.class, () -> WebSocketFrameEncoder.close(code, ""));
  }

  static Stream<Arguments> longReasons() {
    return Stream.of(
        Arguments.of("ASCII", "a".repeat(200), "a".repeat(123)),
        // 2-byte characters: 61 fit in 122 bytes; the 62nd would straddle byte 123.
        Arguments.of("2-byte characters", "é".repeat(100), "é".repeat(61)),
        // 1 + 3 × 40 = 121 bytes; the 41st euro sign would end at byte 124.
        Arguments.of("3-byte characters", "a" + "€".repeat(100), "a" + "€".repeat(40)),
        // 4-byte characters: 30 fill 120 bytes.
        Arguments.of("4-byte characters", "\uD83D\uDE00".repeat(40), "\uD83D\uDE00".repeat(30)),
        Arguments.of("exactly 123 bytes", "x".repeat(120) + "€", "x".repeat(120) + "€"),
        Arguments.of("null reason", null, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longReasons")
  void truncatesTheCloseReasonOnACharacterBoundary(String name, String reason, String expected) {
    ByteBuffer frame = WebSocketFrameEncoder.close(4000, reason);
    byte[] bytes = Arrays.copyOfRange(frame.array(), 4, frame.limit());
    assertEquals(expected, new String(bytes, StandardCharsets.UTF_8));
    assertEquals(2 + bytes.length, frame.get(1));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 125, 126, 65535, 65536, 200_000})
  void producesFramesAnIndependentDecoderAccepts(int size) throws Exception {
    // Java-WebSocket's Draft_6455 (default role: server-side parser of unmasked frames here).
    Draft_6455 peer = new Draft_6455();
    byte[] data = counting(size);
    String text = "ü".repeat(size / 2);
    ByteBuffer wire = ByteBuffer.allocate(4 * size + 100)
        .put(WebSocketFrameEncoder.binary(data))
        .put(WebSocketFrameEncoder.text(text))
        .put(WebSocketFrameEncoder.close(1001, "going"))
        .flip();
    List<Framedata> frames = peer.translateFrame(wire);
    assertEquals(3, frames.size());
    assertArrayEquals(data, bytes(frames.get(0).getPayloadData()));
    assertEquals(text, new String(bytes(frames.get(1).getPayloadData()), StandardCharsets.UTF_8));
    assertEquals(1001, ((CloseFrame) frames.get(2)).getCloseCode());
    assertEquals("going", ((CloseFrame) frames.get(2)).getMessage());
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static String hex(ByteBuffer b) {
    return HEX.formatHex(bytes(b));
  }
}
