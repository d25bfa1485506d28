package dev.switchboard.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpHeaders;
import dev.switchboard.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebSocketHandshakeTest {
  // RFC 6455 §1.3: the sample nonce and its accept value.
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  @Test
  void computesTheAcceptValueOfRfc6455Section1_3() {
    assertEquals(ACCEPT, WebSocketHandshake.acceptKey(KEY));
  }

  @Test
  void writesTheExact101Response() {
    assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "\r\n",
        new String(WebSocketHandshake.response101(ACCEPT), StandardCharsets.US_ASCII));
  }

  @Test
  void refusesToWriteAnAcceptValueThatIsNotADigest() {
    assertThrows(IllegalArgumentException.class, () -> WebSocketHandshake.response101("abc\r\nSet-Cookie: x=1"));
    assertThrows(IllegalArgumentException.class, () -> WebSocketHandshake.response101("s3pPLMBiTxaQ9kYGzzhZRbK+xO\r\n"));
  }

  @Test
  void anyUpgradeHeaderMakesAnUpgradeRequest() {
    assertTrue(WebSocketHandshake.isUpgradeRequest(get(List.of("Upgrade", "h2c"))));
    assertTrue(WebSocketHandshake.isUpgradeRequest(get(standard())));
    assertFalse(WebSocketHandshake.isUpgradeRequest(get(List.of("Host", "x", "Connection", "Upgrade"))));
  }

  static Stream<Arguments> acceptedHandshakes() {
    return Stream.of(
        // RFC 6455 §1.3: the opening handshake example.
        Arguments.of("§1.3 example", standard()),
        // hostile-inputs.md#B42: valid but unusual handshakes.
        Arguments.of("B42: Connection keep-alive, Upgrade", replace(standard(), "Connection", "keep-alive, Upgrade")),
        Arguments.of("B42: Upgrade: WebSocket", replace(standard(), "Upgrade", "WebSocket")),
        Arguments.of("B42: tokens in other case and spacing", replace(replace(standard(), "Upgrade", " WEBSOCKET "), "Connection",
            "  keep-alive ,UPGRADE  ")),
        Arguments.of("B42: Upgrade among other tokens", replace(standard(), "Upgrade", "h2c, websocket")),
        Arguments.of("B42: lower-case names, other order", List.of("sec-websocket-version", "13", "sec-websocket-key", KEY,
            "connection", "upgrade", "upgrade", "websocket", "host", "server.example.com")),
        Arguments.of("B42: subprotocol offered", plus(standard(), "Sec-WebSocket-Protocol", "chat, superchat")),
        Arguments.of("B42: browser headers", plus(plus(standard(), "User-Agent", "Mozilla/5.0"), "Cache-Control", "no-cache")),
        Arguments.of("key with + and /", replace(standard(), "Sec-WebSocket-Key", "+/+/+/+/+/+/+/+/+/+/+A==")),
        // hostile-inputs.md#B43: extension offers are never read, whatever they hold.
        Arguments.of("B43: extension constructor", plus(standard(), "Sec-WebSocket-Extensions", "constructor")),
        Arguments.of("B43: extension ,;constructor", plus(standard(), "Sec-WebSocket-Extensions", ",;constructor")),
        Arguments.of("B43: bad window bits", plus(standard(), "Sec-WebSocket-Extensions",
            "permessage-deflate; server_max_window_bits=100")),
        Arguments.of("B43: duplicated params", plus(standard(), "Sec-WebSocket-Extensions",
            "permessage-deflate; client_max_window_bits; client_max_window_bits")),
        Arguments.of("B43: 8 KB of semicolons", plus(standard(), "Sec-WebSocket-Extensions", ";".repeat(8192))),
        Arguments.of("B43: permessage-deflate as browsers offer it", plus(standard(), "Sec-WebSocket-Extensions",
            "permessage-deflate; client_max_window_bits")),
        // hostile-inputs.md#B44: the pathological subprotocol header of ws CVE-2021-32640 is never parsed.
        Arguments.of("B44: subprotocol with 60 000 spaces", plus(standard(), "Sec-WebSocket-Protocol",
            "a" + " ".repeat(60_000) + ",b")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedHandshakes")
  void acceptsValidHandshakes(String name, List<String> headers) throws Exception {
    String accept = WebSocketHandshake.validate(get(headers));
    HttpHeaders h = HttpHeaders.of(headers);
    assertEquals(WebSocketHandshake.acceptKey(h.first("Sec-WebSocket-Key")), accept);
    String response = new String(WebSocketHandshake.response101(accept), StandardCharsets.US_ASCII);
    // hostile-inputs.md#B43: nothing is negotiated, so the 101 names no extension and no subprotocol.
    assertFalse(response.toLowerCase().contains("sec-websocket-extensions"), response);
    assertFalse(response.toLowerCase().contains("sec-websocket-protocol"), response);
  }

  static Stream<Arguments> rejectedHandshakes() {
    List<Arguments> rows = new ArrayList<>(List.of(
        // hostile-inputs.md#B39: bad Sec-WebSocket-Key.
        bad("B39: key missing", without(standard(), "Sec-WebSocket-Key"), 400, "Missing Sec-WebSocket-Key"),
        bad("B39: key empty", replace(standard(), "Sec-WebSocket-Key", ""), 400, "Invalid Sec-WebSocket-Key"),
        bad("B39: key not base64", replace(standard(), "Sec-WebSocket-Key", "!!!!!!!!!!!!!!!!!!!!!!=="), 400,
            "Invalid Sec-WebSocket-Key"),
        bad("B39: key of 15 bytes", replace(standard(), "Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA"), 400, "Invalid Sec-WebSocket-Key"),
        bad("B39: key of 17 bytes", replace(standard(), "Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAA="), 400,
            "Invalid Sec-WebSocket-Key"),
        bad("B39: key without padding", replace(standard(), "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ"), 400,
            "Invalid Sec-WebSocket-Key"),
        bad("B39: key with inner space", replace(standard(), "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25j ZQ=="), 400,
            "Invalid Sec-WebSocket-Key"),
        bad("B39: key sent twice", plus(standard(), "Sec-WebSocket-Key", KEY), 400, "Sec-WebSocket-Key sent more than once"),
        // hostile-inputs.md#B40: wrong version.
        bad("B40: version 8", replace(standard(), "Sec-WebSocket-Version", "8"), 426, "Unsupported Sec-WebSocket-Version"),
        bad("B40: version 14", replace(standard(), "Sec-WebSocket-Version", "14"), 426, "Unsupported Sec-WebSocket-Version"),
        bad("B40: version missing", without(standard(), "Sec-WebSocket-Version"), 426, "Unsupported Sec-WebSocket-Version"),
        bad("B40: version list", replace(standard(), "Sec-WebSocket-Version", "13, 8"), 426, "Unsupported Sec-WebSocket-Version"),
        bad("B40: version twice", plus(standard(), "Sec-WebSocket-Version", "13"), 426, "Unsupported Sec-WebSocket-Version"),
        // hostile-inputs.md#B41: wrong request form.
        bad("B41: Upgrade websocket2", replace(standard(), "Upgrade", "websocket2"), 400, "Upgrade header does not contain websocket"),
        bad("B41: Upgrade missing", without(standard(), "Upgrade"), 400, "Upgrade header does not contain websocket"),
        bad("B41: Upgrade h2c", replace(standard(), "Upgrade", "h2c"), 400, "Upgrade header does not contain websocket"),
        bad("B41: Connection missing", without(standard(), "Connection"), 400, "Connection header does not contain Upgrade"),
        bad("B41: Connection keep-alive only", replace(standard(), "Connection", "keep-alive"), 400,
            "Connection header does not contain Upgrade"),
        bad("B41: Connection Upgraded", replace(standard(), "Connection", "Upgraded"), 400,
            "Connection header does not contain Upgrade")));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedHandshakes")
  void rejectsInvalidHandshakes(String name, List<String> headers, int status, String message) {
    assertRejected(get(headers), status, message);
  }

  @Test
  void rejectsUpgradeViaPost() {
    // hostile-inputs.md#B41.
    assertRejected(HttpRequest.of("POST", "/socket.io/?EIO=4&transport=websocket", "HTTP/1.1", HttpHeaders.of(standard()), null),
        400, "WebSocket upgrade must use GET");
  }

  @Test
  void rejectsUpgradeViaHttp10() {
    // hostile-inputs.md#B41.
    assertRejected(HttpRequest.of("GET", "/socket.io/?EIO=4&transport=websocket", "HTTP/1.0", HttpHeaders.of(standard()), null),
        400, "WebSocket upgrade must use HTTP/1.1");
  }

  @Test
  void answersWrongVersionWithTheVersionWeSpeak() {
    // hostile-inputs.md#B40, RFC 6455 §4.2.2 step 4: 426 plus Sec-WebSocket-Version: 13.
    WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
        () -> WebSocketHandshake.validate(get(replace(standard(), "Sec-WebSocket-Version", "8"))));
    assertEquals(List.of("Sec-WebSocket-Version", "13"), e.extraHeaders());
  }

  @Test
  void validatesHugeTokenListsInLinearTime() {
    // hostile-inputs.md#B44: a megabyte of spaces inside the token lists we do read. Quadratic scanning of
    // this would take minutes; the linear scan takes milliseconds.
    String spaces = " ".repeat(1_000_000);
    List<String> headers = replace(replace(standard(), "Connection", "keep-alive," + spaces + "Upgrade"), "Upgrade",
        "h2c" + spaces + "," + spaces + "websocket");
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertEquals(ACCEPT, WebSocketHandshake.validate(get(headers))));
  }

  private static void assertRejected(HttpRequest request, int status, String message) {
    WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class, () -> WebSocketHandshake.validate(request));
    assertEquals(status, e.status());
    assertEquals(message, e.getMessage());
    assertEquals(status == 426 ? List.of("Sec-WebSocket-Version", "13") : List.of(), e.extraHeaders());
  }

  private static Arguments bad(String name, List<String> headers, int status, String message) {
    return Arguments.of(name, headers, status, message);
  }

  /** RFC 6455 §1.3's client handshake, minus Origin and the subprotocol offer. */
  private static List<String> standard() {
    return List.of(
        "Host", "server.example.com",
        "Upgrade", "websocket",
        "Connection", "Upgrade",
        "Sec-WebSocket-Key", KEY,
        "Sec-WebSocket-Version", "13");
  }

  private static HttpRequest get(List<String> headers) {
    return HttpRequest.of("GET", "/socket.io/?EIO=4&transport=websocket", "HTTP/1.1", HttpHeaders.of(headers), null);
  }

  private static List<String> replace(List<String> headers, String name, String value) {
    List<String> out = new ArrayList<>(headers);
    for (int i = 0; i < out.size(); i += 2) if (out.get(i).equalsIgnoreCase(name)) out.set(i + 1, value);
    return out;
  }

  private static List<String> without(List<String> headers, String name) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < headers.size(); i += 2) {
      if (!headers.get(i).equalsIgnoreCase(name)) {
        out.add(headers.get(i));
        out.add(headers.get(i + 1));
      }
    }
    return out;
  }

  private static List<String> plus(List<String> headers, String name, String value) {
    List<String> out = new ArrayList<>(headers);
    out.add(name);
    out.add(value);
    return out;
  }
}
