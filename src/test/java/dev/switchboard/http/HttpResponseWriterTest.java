package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class HttpResponseWriterTest {

  static Stream<Arguments> encodings() {
    return Stream.of(
        Arguments.of("text body on a persistent connection",
            HttpResponse.status(200).body("ok", "text/plain; charset=UTF-8").build(), true,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 2\r\n\r\nok"),
        // RFC 9112 §9.6: a server that will close says so.
        Arguments.of("Connection: close when not keeping alive",
            HttpResponse.status(400).body("{\"code\":3}", "application/json").build(), false,
            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 10\r\n"
                + "Connection: close\r\n\r\n{\"code\":3}"),
        Arguments.of("empty body still has Content-Length",
            HttpResponse.status(404).build(), true, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("headers in the order given",
            HttpResponse.status(200).header("X-B", "2").header("X-A", "1").header("X-B", "3").build(), true,
            "HTTP/1.1 200 OK\r\nX-B: 2\r\nX-A: 1\r\nX-B: 3\r\nContent-Length: 0\r\n\r\n"),
        // RFC 9110 §8.6: no Content-Length in 204.
        Arguments.of("204 has no Content-Length",
            HttpResponse.status(204).header("Access-Control-Allow-Origin", "https://a.example").build(), false,
            "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://a.example\r\nConnection: close\r\n\r\n"),
        // RFC 6455 §1.3: the sample key's accept value; 101 takes the connection, so no framing fields.
        Arguments.of("101 Switching Protocols",
            HttpResponse.status(101).header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=").build(), false,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"),
        // RFC 9110 §10.1.1: the interim answer to Expect: 100-continue.
        Arguments.of("100 Continue", HttpResponse.status(100).build(), true, "HTTP/1.1 100 Continue\r\n\r\n"),
        Arguments.of("Content-Length counts UTF-8 bytes",
            HttpResponse.status(200).body("h\u00e9 \uD83D\uDE00", "text/plain; charset=UTF-8").build(), true,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 8\r\n\r\nh\u00c3\u00a9 "
                + "\u00f0\u009f\u0098\u0080"),
        Arguments.of("ISO-8859-1 header value is one byte per char",
            HttpResponse.status(200).header("X-Name", "caf\u00e9").build(), true,
            "HTTP/1.1 200 OK\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n"),
        // RFC 9112 §4: the reason phrase may be empty, the space before it may not.
        Arguments.of("status without a known reason phrase",
            HttpResponse.status(299).build(), true, "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("body(String) replaces Content-Type",
            HttpResponse.status(200).header("content-type", "text/html").header("X", "y")
                .body("a", "text/plain").build(), true,
            "HTTP/1.1 200 OK\r\nX: y\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\na"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void encodesStatusLineHeadersFramingAndBody(String name, HttpResponse response, boolean keepAlive, String wire) {
    ByteBuffer encoded = HttpResponseWriter.encode(response, keepAlive);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    assertEquals(wire, new String(bytes, StandardCharsets.ISO_8859_1));
  }

  // RFC 9110 §9.3.2: a HEAD response carries the GET's Content-Length but no content.
  @Test
  void encodesHeadOnlyWithTheBodyLength() {
    HttpResponse response = HttpResponse.status(200).body(new byte[1234]).build();
    assertArrayEquals("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
        HttpResponseWriter.encodeHead(response, true));
  }

  static Stream<Arguments> reasonPhrases() {
    // RFC 9110 §15.
    return Stream.of(
        Arguments.of(101, "Switching Protocols"), Arguments.of(200, "OK"), Arguments.of(204, "No Content"),
        Arguments.of(400, "Bad Request"), Arguments.of(403, "Forbidden"), Arguments.of(404, "Not Found"),
        Arguments.of(405, "Method Not Allowed"), Arguments.of(408, "Request Timeout"),
        Arguments.of(413, "Content Too Large"), Arguments.of(414, "URI Too Long"),
        Arguments.of(426, "Upgrade Required"), Arguments.of(429, "Too Many Requests"),
        Arguments.of(431, "Request Header Fields Too Large"), Arguments.of(500, "Internal Server Error"),
        Arguments.of(501, "Not Implemented"), Arguments.of(503, "Service Unavailable"),
        Arguments.of(505, "HTTP Version Not Supported"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("reasonPhrases")
  void usesStandardReasonPhrase(int status, String reason) {
    assertEquals(reason, HttpResponse.status(status).build().reason());
  }

  static Stream<Arguments> rejectedHeaders() {
    // No response splitting: nothing that could end a field line or smuggle a field.
    return Stream.of(
        Arguments.of("CRLF in a value", "Set-Cookie", "a=1\r\nX-Evil: 1", "Invalid header value"),
        Arguments.of("LF in a value", "Location", "/a\nX: 1", "Invalid header value"),
        Arguments.of("CR in a value", "Location", "/a\rX: 1", "Invalid header value"),
        Arguments.of("NUL in a value", "X", "a\u0000b", "Invalid header value"),
        Arguments.of("DEL in a value", "X", "a\u007fb", "Invalid header value"),
        Arguments.of("char above 0xFF in a value", "X", "\u20ac", "Invalid header value"),
        Arguments.of("null value", "X", null, "Invalid header value"),
        Arguments.of("CRLF in a name", "X\r\nY", "1", "Invalid header name"),
        Arguments.of("colon in a name", "X:Y", "1", "Invalid header name"),
        Arguments.of("space in a name", "X Y", "1", "Invalid header name"),
        Arguments.of("NUL in a name", "X\u0000", "1", "Invalid header name"),
        Arguments.of("empty name", "", "1", "Invalid header name"),
        Arguments.of("null name", null, "1", "Invalid header name"),
        Arguments.of("Content-Length", "content-length", "5", "content-length is set by HttpResponseWriter"),
        Arguments.of("Transfer-Encoding", "Transfer-Encoding", "chunked", "Transfer-Encoding is set by HttpResponseWriter"),
        Arguments.of("Connection outside 101", "Connection", "close", "Connection is set by HttpResponseWriter"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedHeaders")
  void rejectsHeadersThatCouldSplitOrReframeTheResponse(String name, String header, String value, String message) {
    HttpResponse.Builder builder = HttpResponse.status(200);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.header(header, value));
    assertEquals(message, e.getMessage());
  }

  @Test
  void rejectsContentTypeThatCouldSplitTheResponse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HttpResponse.status(200).body("x", "text/plain\r\nSet-Cookie: a=1"));
    assertEquals("Invalid header value", e.getMessage());
  }

  @Test
  void rejectsBodiesOnBodilessStatusesAndBadStatusCodes() {
    assertEquals("Status 204 cannot have a body", assertThrows(IllegalArgumentException.class,
        () -> HttpResponse.status(204).body(new byte[1]).build()).getMessage());
    assertEquals("Status 101 cannot have a body", assertThrows(IllegalArgumentException.class,
        () -> HttpResponse.status(101).body("x", "text/plain").build()).getMessage());
    assertEquals("Invalid status code: 99", assertThrows(IllegalArgumentException.class,
        () -> HttpResponse.status(99)).getMessage());
    assertEquals("Invalid status code: 600", assertThrows(IllegalArgumentException.class,
        () -> HttpResponse.status(600)).getMessage());
  }

  @Test
  void exposesStatusHeadersAndBody() {
    HttpResponse response = HttpResponse.status(403).header("X-A", "1").body("no", "text/plain").build();
    assertEquals(403, response.status());
    assertEquals("Forbidden", response.reason());
    assertEquals(List.of("X-A: 1", "Content-Type: text/plain"), HttpRequestParserTest.fields(response.headers()));
    assertEquals("text/plain", response.headers().first("content-type"));
    assertArrayEquals("no".getBytes(StandardCharsets.UTF_8), response.body());
  }
}
