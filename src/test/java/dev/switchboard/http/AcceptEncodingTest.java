package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AcceptEncodingTest {

  // RFC 9110 §12.5.3 and §12.4.2 (weights); the choice between gzip and deflate, offered in this order.
  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of(null, null, "no header: identity only, as Node's accepts"),
        Arguments.of("", null, "empty header"),
        Arguments.of("gzip, deflate, br", "gzip", "what browsers send"),
        Arguments.of("deflate", "deflate", "only deflate"),
        Arguments.of("br", null, "nothing we offer"),
        Arguments.of("identity", null, "identity only"),
        Arguments.of("GZIP", "gzip", "codings are case-insensitive"),
        Arguments.of(" gzip ;q=1 ", "gzip", "whitespace around"),
        Arguments.of("gzip;q=0, deflate", "deflate", "q=0 refuses gzip"),
        Arguments.of("gzip;q=0.5, deflate;q=0.8", "deflate", "the higher weight wins"),
        Arguments.of("deflate;q=0.5, gzip;q=0.5", "gzip", "a tie goes to the first we offer"),
        Arguments.of("*", "gzip", "any coding"),
        Arguments.of("*;q=0", null, "no coding"),
        Arguments.of("*;q=0.1, gzip;q=0", "deflate", "* covers what is not named"),
        Arguments.of("gzip;q=2", null, "a weight above 1 is malformed: the entry is skipped"),
        Arguments.of("gzip;q=0.1234", null, "four decimals are malformed"),
        Arguments.of("gzip;level=9", null, "an unknown parameter is malformed"),
        Arguments.of("gzip;q=1.000, deflate;q=0.999", "gzip", "three decimals"),
        Arguments.of(",,gzip,,", "gzip", "empty list elements are allowed (RFC 9110 §5.6.1)"));
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @MethodSource("headers")
  void choosesTheMostWantedCodingWeOffer(String header, String expected, String why) {
    assertEquals(expected, AcceptEncoding.choose(header, "gzip", "deflate"), why);
  }
}
