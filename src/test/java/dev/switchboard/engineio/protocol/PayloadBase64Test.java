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

class PayloadBase64Test {

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
    PayloadBase64.encode(plain.getBytes(StandardCharsets.US_ASCII), out);
    assertEquals(encoded, out.toString());
  }

  @ParameterizedTest(name = "\"{0}\" = \"{1}\"")
  @MethodSource("rfc4648Vectors")
  void decodesRfc4648Vector(String plain, String encoded) throws Exception {
    assertArrayEquals(plain.getBytes(StandardCharsets.US_ASCII), PayloadBase64.decode(encoded, 0, encoded.length()));
  }

  @Test
  void agreesWithTheJdkEncoderAndRoundTripsEveryLength() throws Exception {
    Random random = new Random(0);
    for (int length = 0; length <= 300; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      StringBuilder out = new StringBuilder();
      PayloadBase64.encode(data, out);
      String expected = Base64.getEncoder().encodeToString(data);
      assertEquals(expected, out.toString(), "length " + length);
      assertArrayEquals(data, PayloadBase64.decode(expected, 0, expected.length()), "length " + length);
    }
  }

  @Test
  void roundTripsEveryByteValue() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) all[i] = (byte) i;
    StringBuilder out = new StringBuilder();
    PayloadBase64.encode(all, out);
    assertArrayEquals(all, PayloadBase64.decode(out.toString(), 0, out.length()));
  }

  @Test
  void decodesARangeOfALargerString() throws Exception {
    String s = "4a\u001ebAQIDBA==\u001e4b";
    assertArrayEquals(new byte[] {1, 2, 3, 4}, PayloadBase64.decode(s, 4, 12));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        "A", "AAAAA", "AQID\nB", "@@@@", "@@@", "====", "A===", "AA=A", "AQ=A", "AQ=ID", "AQ= ID", "=AAA", "AQ===",
        "AQI==", "AR==", "AR", "AQJ=", "AQJ", "AQ==AQ==", "AQ==A", "-_8=", "-_8", "AQ\u00c0=", "\u0100AAA",
        "\uFF21AAA", "AQID\u0000", "AQ\u00a0ID", "AQ\u2028ID", "\n=")
        .map(s -> Arguments.of(named(s)));
  }

  // What Node's Buffer.from(s, "base64") also accepts, with the bytes it gives (checked on Node 20):
  // whitespace anywhere, and padding missing or partial.
  static Stream<Arguments> lenient() {
    return Stream.of(
        Arguments.of(named("AQID\n"), new byte[] {1, 2, 3}, "socket.io-client-java: Android Base64.DEFAULT ends with LF"),
        Arguments.of(named("AQ ID"), new byte[] {1, 2, 3}, "space inside"),
        Arguments.of(named("AQI\tD"), new byte[] {1, 2, 3}, "TAB inside"),
        Arguments.of(named("AQ\r\nID"), new byte[] {1, 2, 3}, "CRLF inside"),
        Arguments.of(named("\u000bAQ\fID"), new byte[] {1, 2, 3}, "VT and FF"),
        Arguments.of(named("AAA"), new byte[] {0, 0}, "one = missing"),
        Arguments.of(named("\n"), new byte[0], "only whitespace, as a bare \"b\""),
        Arguments.of(named("AA"), new byte[] {0}, "two = missing"),
        Arguments.of(named("AQIDBA"), new byte[] {1, 2, 3, 4}, "two = missing after a full group"),
        Arguments.of(named("AQIDBA="), new byte[] {1, 2, 3, 4}, "one of two = present"),
        Arguments.of(named("AQ==\n"), new byte[] {1}, "padding then LF"),
        Arguments.of(named("AQ=\n="), new byte[] {1}, "LF inside the padding"),
        Arguments.of(named("Zm9vYmFy\nZm9v\n"), "foobarfoo".getBytes(StandardCharsets.US_ASCII), "line-wrapped"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("lenient")
  void acceptsWhatNodeAcceptsFromRealEncoders(String s, byte[] expected, String why) throws Exception {
    assertArrayEquals(expected, PayloadBase64.decode(s, 0, s.length()));
  }

  @Test
  void decodesAndroidStyleLineWrappedBase64OfEveryLength() throws Exception {
    Random random = new Random(1);
    for (int length = 0; length <= 200; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      // What android.util.Base64.DEFAULT writes: padded, a LF every 76 characters and at the end.
      String mime = Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(data) + "\n";
      assertArrayEquals(data, PayloadBase64.decode(mime, 0, mime.length()), "length " + length);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsWhatNoEncoderWrites(String s) {
    EngineIoProtocolException e = assertThrows(EngineIoProtocolException.class, () -> PayloadBase64.decode(s, 0, s.length()));
    assertEquals("Invalid base64 payload", e.getMessage());
  }
}
