package dev.switchboard.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7692 §5 and §7.1: which offers are accepted, and what the 101 answers. */
class PerMessageDeflateTest {
  private static final DeflateOptions NODE = DeflateOptions.DEFAULTS;
  private static final String PMD = "permessage-deflate";

  static Stream<Arguments> offers() {
    return Stream.of(
        // The offers of real clients.
        Arguments.of("ws / Chromium", List.of("permessage-deflate; client_max_window_bits"), PMD),
        Arguments.of("Firefox", List.of("permessage-deflate"), PMD),
        Arguments.of("bare offer, spaces and tabs", List.of(" permessage-deflate \t;\tclient_max_window_bits = 10 "), PMD),
        // §7.1.1.1: an offered server_no_context_takeover must be answered.
        Arguments.of("server_no_context_takeover", List.of("permessage-deflate; server_no_context_takeover"),
            PMD + "; server_no_context_takeover"),
        // §7.1.1.2: we echo client_no_context_takeover so both sides agree the client resets.
        Arguments.of("client_no_context_takeover", List.of("permessage-deflate; client_no_context_takeover"),
            PMD + "; client_no_context_takeover"),
        // §7.1.2.1: 15 is the only window we have; accepted, echoed.
        Arguments.of("server_max_window_bits=15", List.of("permessage-deflate; server_max_window_bits=15"),
            PMD + "; server_max_window_bits=15"),
        Arguments.of("quoted value (§9.1)", List.of("permessage-deflate; server_max_window_bits=\"15\""),
            PMD + "; server_max_window_bits=15"),
        // §7.1.2.1: below 15 we cannot honour: that offer is skipped, the next one taken.
        Arguments.of("several offers, first needs a small window",
            List.of("permessage-deflate; server_max_window_bits=10, permessage-deflate; client_max_window_bits"), PMD),
        Arguments.of("offers split over two header lines",
            List.of("permessage-deflate; server_max_window_bits=9", "permessage-deflate; server_no_context_takeover"),
            PMD + "; server_no_context_takeover"),
        Arguments.of("other extension first", List.of("x-webkit-deflate-frame, permessage-deflate"), PMD),
        // Declined (§5.1): unknown, repeated, valueless-where-needed, out of range, leading zero.
        Arguments.of("only a small window", List.of("permessage-deflate; server_max_window_bits=8"), null),
        Arguments.of("unknown parameter", List.of("permessage-deflate; foo"), null),
        Arguments.of("repeated parameter", List.of("permessage-deflate; client_max_window_bits; client_max_window_bits"), null),
        Arguments.of("server_max_window_bits without value", List.of("permessage-deflate; server_max_window_bits"), null),
        Arguments.of("window 16", List.of("permessage-deflate; client_max_window_bits=16"), null),
        Arguments.of("window 7", List.of("permessage-deflate; server_max_window_bits=7"), null),
        Arguments.of("leading zero", List.of("permessage-deflate; server_max_window_bits=015"), null),
        Arguments.of("value on a flag", List.of("permessage-deflate; server_no_context_takeover=1"), null),
        Arguments.of("no permessage-deflate", List.of("x-webkit-deflate-frame"), null),
        Arguments.of("name in another case", List.of("Permessage-Deflate"), null),
        // Malformed syntax (RFC 6455 §9.1): declined from the bad element on.
        Arguments.of("empty parameter name", List.of("permessage-deflate; ; client_max_window_bits"), null),
        Arguments.of("unterminated quote", List.of("permessage-deflate; server_max_window_bits=\"15"), null),
        Arguments.of("quoted non-token", List.of("permessage-deflate; server_max_window_bits=\"1 5\""), null),
        Arguments.of("junk before", List.of("@@@, permessage-deflate"), null),
        Arguments.of("empty", List.of(""), null),
        Arguments.of("absent", List.of(), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("offers")
  void negotiates(String name, List<String> header, String answer) {
    PerMessageDeflate d = PerMessageDeflate.negotiate(header, NODE);
    assertEquals(answer, d == null ? null : d.extensionHeader());
  }

  @Test
  void ourOptionsAddTheNoContextTakeoverParameters() {
    PerMessageDeflate d = PerMessageDeflate.negotiate(List.of("permessage-deflate; client_max_window_bits"),
        new DeflateOptions(10, true, true));
    assertEquals(PMD + "; server_no_context_takeover; client_no_context_takeover", d.extensionHeader());
    assertEquals(true, d.serverNoContextTakeover());
    assertEquals(true, d.clientNoContextTakeover());
    assertEquals(false, d.compresses(9));
    assertEquals(true, d.compresses(10));
  }

  @Test
  void aLongHostileHeaderCostsLinearTime() {
    String header = "permessage-deflate" + "; a".repeat(200_000) + "," + " ,".repeat(200_000) + "x=\"" + "\\a".repeat(100_000);
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertNull(PerMessageDeflate.negotiate(List.of(header), NODE)));
  }

  @Test
  void the101NamesTheExtension() {
    String response = new String(WebSocketHandshake.response101("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", PMD + "; server_no_context_takeover"),
        StandardCharsets.US_ASCII);
    assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n", response);
    assertThrows(IllegalArgumentException.class,
        () -> WebSocketHandshake.response101("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "x\r\nSet-Cookie: a=b"));
  }
}
