package dev.switchboard.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.WebSocketFrameDecoder;
import dev.switchboard.websocket.WebSocketLimits;
import dev.switchboard.websocket.WebSocketListener;
import dev.switchboard.websocket.WebSocketProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Arbitrary client bytes, cut into arbitrary reads, must give listener events or one {@link
 * WebSocketProtocolException} with a close code we send, identically whatever the cuts, and never
 * make the decoder hold more than {@link WebSocketLimits} allows. A second target wraps arbitrary
 * bytes in well-formed, masked, fragmented text frames and checks the decoder's UTF-8 verdict
 * against the JDK's strict decoder. Stored inputs:
 * {@code src/test/resources/dev/switchboard/fuzz/WebSocketFrameDecoderFuzzTestInputs/}.
 */
class WebSocketFrameDecoderFuzzTest {
  static final WebSocketLimits TINY = new WebSocketLimits(16, 3);
  private static final Set<Integer> CLOSE_CODES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_DATA, CloseCodes.TOO_BIG);
  private static final HexFormat HEX = HexFormat.of();
  /** The decoder's fixed buffers: a 14-byte header and a 125-byte control payload (RFC 6455 §5.5). */
  private static final int FIXED_BUFFER = 125;

  /** Input format: {@link StreamInput}. */
  @FuzzTest(maxDuration = "3m")
  void givesEventsOrACloseCodeWhateverTheBytesAndReads(byte[] data) {
    StreamInput input = StreamInput.parse(data);
    WebSocketLimits limits = input.tinyLimits() ? TINY : WebSocketLimits.DEFAULTS;
    List<String> whole = decode(limits, List.of(input.stream()));
    for (List<byte[]> pieces : input.chunkings()) {
      assertEquals(whole, decode(limits, pieces), "the outcome depends on how the bytes were read");
    }
    // A header may declare 2^63 bytes; only what arrived may be buffered (hostile-inputs.md#B52).
    long allocated = Memory.allocatedBy(() -> decode(limits, List.of(input.stream())));
    long budget = 128 * 1024 + 64L * input.stream().length;
    assertTrue(allocated <= budget, "allocated " + allocated + " bytes for " + input.stream().length + " input bytes");
  }

  /**
   * Input format: byte 0 picks the fragment count (1 + bits 0-1) and seeds the masking key; the
   * rest is the text message's payload. RFC 6455 §8.1: the message is delivered exactly when the
   * payload is UTF-8, else the connection fails with 1007.
   */
  @FuzzTest(maxDuration = "3m")
  void acceptsATextMessageExactlyWhenItIsUtf8(byte[] data) {
    textOutcome(data);
  }

  static String textOutcome(byte[] data) {
    int control = data.length == 0 ? 0 : data[0] & 0xff;
    byte[] payload = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
    int fragments = 1 + (control & 3);
    byte[] key = {(byte) control, (byte) (control * 3 + 1), (byte) (control * 5 + 2), (byte) (control * 7 + 3)};
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int f = 0; f < fragments; f++) {
      int from = payload.length * f / fragments;
      int to = payload.length * (f + 1) / fragments;
      writeFrame(wire, f == fragments - 1, f == 0 ? 0x1 : 0x0, key, payload, from, to);
    }
    Recorder recorder = new Recorder(WebSocketLimits.DEFAULTS.maxMessageBytes());
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, recorder);
    String expected = strictUtf8(payload);
    try {
      decoder.feed(ByteBuffer.wrap(wire.toByteArray()));
    } catch (WebSocketProtocolException e) {
      assertEquals(null, expected, "valid UTF-8 refused: " + e.getMessage());
      assertEquals(CloseCodes.INVALID_DATA, e.closeCode(), e.getMessage());
      return "refused " + e.closeCode() + " " + e.getMessage();
    }
    assertNotNull(expected, "invalid UTF-8 accepted");
    assertEquals(List.of("text:" + expected), recorder.events);
    return "text";
  }

  /** RFC 6455 §5.2 frame from a client: FIN, opcode, MASK set, minimal length, masked payload. */
  private static void writeFrame(ByteArrayOutputStream out, boolean fin, int opcode, byte[] key, byte[] p, int from, int to) {
    int n = to - from;
    out.write((fin ? 0x80 : 0) | opcode);
    if (n <= 125) {
      out.write(0x80 | n);
    } else if (n <= 0xFFFF) {
      out.write(0x80 | 126);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) out.write((int) ((long) n >>> shift));
    }
    out.write(key, 0, 4);
    for (int i = 0; i < n; i++) out.write(p[from + i] ^ key[i & 3]);
  }

  private static String strictUtf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Feeds {@code pieces} to a fresh decoder; returns the events, then a final refusal if any. */
  static List<String> decode(WebSocketLimits limits, List<byte[]> pieces) {
    Recorder recorder = new Recorder(limits.maxMessageBytes());
    WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(limits, recorder);
    long fed = 0;
    try {
      for (ByteBuffer in : StreamInput.buffers(pieces)) {
        fed += in.remaining();
        decoder.feed(in);
        assertFalse(in.hasRemaining(), "feed left bytes unread");
        int largest = Memory.largestBuffer(decoder);
        // RFC 6455 §10.4: buffered bytes follow what arrived (at most twice, while growing).
        long bound = Math.max(FIXED_BUFFER, Math.min(limits.maxMessageBytes(), Math.max(64, 2 * fed)));
        assertTrue(largest <= bound, "decoder holds a " + largest + "-byte buffer after " + fed + " bytes");
      }
    } catch (WebSocketProtocolException e) {
      assertTrue(CLOSE_CODES.contains(e.closeCode()), e.closeCode() + " " + e.getMessage());
      assertNotNull(e.getMessage());
      WebSocketProtocolException again = assertThrows(WebSocketProtocolException.class, () -> decoder.feed(ByteBuffer.wrap(new byte[] {(byte) 0x89, (byte) 0x80, 0, 0, 0, 0})));
      assertSame(e, again, "a corrupt decoder must rethrow its first failure");
      recorder.events.add("refused " + e.closeCode() + " " + e.getMessage());
    }
    return recorder.events;
  }

  /** Records events and checks the listener contract as they arrive. */
  private static final class Recorder implements WebSocketListener {
    final List<String> events = new ArrayList<>();
    private final int maxMessageBytes;
    private boolean closed;

    Recorder(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
    }

    private void open() {
      // WebSocketListener: at most one onClose, after which nothing more is delivered.
      assertFalse(closed, "event after onClose");
    }

    @Override
    public void onText(String text) {
      open();
      assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= maxMessageBytes);
      events.add("text:" + text);
    }

    @Override
    public void onBinary(byte[] data) {
      open();
      assertTrue(data.length <= maxMessageBytes);
      events.add("binary:" + HEX.formatHex(data));
    }

    @Override
    public void onPing(byte[] payload) {
      open();
      assertTrue(payload.length <= 125); // RFC 6455 §5.5
      events.add("ping:" + HEX.formatHex(payload));
    }

    @Override
    public void onPong(byte[] payload) {
      open();
      assertTrue(payload.length <= 125);
      events.add("pong:" + HEX.formatHex(payload));
    }

    @Override
    public void onClose(int code, String reason) {
      open();
      closed = true;
      assertTrue(code == CloseCodes.NO_STATUS || CloseCodes.isValidReceived(code), "close code " + code);
      assertTrue(reason.getBytes(StandardCharsets.UTF_8).length <= 123);
      events.add("close:" + code + ":" + reason);
    }
  }
}
