package dev.switchboard.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The validator against the JDK's strict (REPORT) UTF-8 decoder, exhaustively where feasible. */
class Utf8ValidatorTest {
  private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final CharBuffer chars = CharBuffer.allocate(8);

  @Test
  void agreesWithTheJdkOnEveryOneAndTwoByteSequence() {
    for (int a = 0; a < 256; a++) {
      check(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) check(new byte[] {(byte) a, (byte) b});
    }
  }

  @Test
  void agreesWithTheJdkOnEveryThreeByteSequenceWithAThreeByteLead() {
    for (int a = 0xE0; a <= 0xEF; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c = 0; c < 256; c++) check(new byte[] {(byte) a, (byte) b, (byte) c});
      }
    }
  }

  @Test
  void agreesWithTheJdkOnFourByteSequencesAtEveryBoundary() {
    int[] edges = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (int a = 0xF0; a <= 0xFF; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c : edges) {
          for (int d : edges) check(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        }
      }
    }
  }

  @Test
  void reportsTheIndexOfTheFirstBadByteAfterLongAsciiRuns() {
    for (int bad = 0; bad < 40; bad++) {
      byte[] text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH".getBytes(StandardCharsets.US_ASCII);
      text[bad] = (byte) 0x80;
      assertEquals(bad, new Utf8Validator().feed(text, 0, text.length), "bad byte at " + bad);
    }
  }

  @Test
  void carriesACodePointAcrossCalls() {
    byte[] emoji = "x\uD83D\uDE00y".getBytes(StandardCharsets.UTF_8);
    Utf8Validator v = new Utf8Validator();
    for (int i = 0; i < emoji.length; i++) {
      assertEquals(-1, v.feed(emoji, i, i + 1));
      assertEquals(i == 0 || i == 4 || i == 5, v.isComplete(), "after byte " + i);
    }
  }

  private void check(byte[] input) {
    // CoderResult rather than decode(ByteBuffer): a million exceptions would dominate the run.
    strict.reset();
    boolean jdk = !strict.decode(ByteBuffer.wrap(input), chars.clear(), true).isError();
    assertEquals(jdk, Utf8Validator.isValid(input, 0, input.length), () -> Arrays.toString(input));
    // Fed one byte at a time, the verdict is the same and a bad byte is caught where it occurs.
    Utf8Validator v = new Utf8Validator();
    int firstBad = -1;
    for (int i = 0; i < input.length && firstBad < 0; i++) {
      if (v.feed(input, i, i + 1) >= 0) firstBad = i;
    }
    if (jdk) {
      assertEquals(-1, firstBad, () -> Arrays.toString(input));
      assertTrue(v.isComplete());
    } else {
      assertFalse(firstBad < 0 && v.isComplete(), () -> Arrays.toString(input));
    }
  }
}
