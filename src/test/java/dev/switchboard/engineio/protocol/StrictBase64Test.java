package dev.switchboard.engineio.protocol;

import static dev.switchboard.engineio.protocol.Wire.named;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrictBase64Test {

  // RFC 4648 §10 test vectors.
  static Stream<Arguments> rfc4648Vectors() {
    return Stream.of(
        Arguments.of("", ""),
        Arguments.of("f", "Zg=="),
        Arguments.of("fo", "Zm8="),
        Arguments.of("foo", "Zm9v"),
        Arguments.of("foob", "Zm9vYg=="),
        Arguments.of("fooba", "Zm9vYmE="),
        Arguments.of("foobar", "Zm9vYmFy"));
  }

  @ParameterizedTest(name = "\"{0}\" = \"{1}\"")
  @MethodSource("rfc4648Vectors")
  void encodesRfc4648Vector(String plain, String encoded) {
    StringBuilder out = new StringBuilder();
    StrictBase64.encode(plain.getBytes(StandardCharsets.US_ASCII), out);
    assertEquals(encoded, out.toString());
  }

  @ParameterizedTest(name = "\"{0}\" = \"{1}\"")
  @MethodSource("rfc4648Vectors")
  void decodesRfc4648Vector(String plain, String encoded) throws Exception {
    assertArrayEquals(plain.getBytes(StandardCharsets.US_ASCII), StrictBase64.decode(encoded, 0, encoded.length()));
  }

  @Test
  void agreesWithTheJdkEncoderAndRoundTripsEveryLength() throws Exception {
    Random random = new Random(0);
    for (int length = 0; length <= 300; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      StringBuilder out = new StringBuilder();
      StrictBase64.encode(data, out);
      String expected = Base64.getEncoder().encodeToString(data);
      assertEquals(expected, out.toString(), "length " + length);
      assertArrayEquals(data, StrictBase64.decode(expected, 0, expected.length()), "length " + length);
    }
  }

  @Test
  void roundTripsEveryByteValue() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) all[i] = (byte) i;
    StringBuilder out = new StringBuilder();
    StrictBase64.encode(all, out);
    assertArrayEquals(all, StrictBase64.decode(out.toString(), 0, out.length()));
  }

  @Test
  void decodesARangeOfALargerString() throws Exception {
    String s = "4a\u001ebAQIDBA==\u001e4b";
    assertArrayEquals(new byte[] {1, 2, 3, 4}, StrictBase64.decode(s, 4, 12));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        "A", "AA", "AAA", "AAAAA", "@@@@", "====", "A===", "AA=A", "AQ=A", "=AAA",
        "AR==", "AQJ=", "AQ==AQ==", "AQ==A", "-_8=", "AQ\nI=", "AQ I", "AQ\u00c0=", "\u0100AAA", "\uFF21AAA", "AQID\u0000")
        .map(s -> Arguments.of(named(s)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsNonCanonicalBase64(String s) {
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class, () -> StrictBase64.decode(s, 0, s.length()));
    assertEquals("Invalid base64 payload", e.getMessage());
  }
}
