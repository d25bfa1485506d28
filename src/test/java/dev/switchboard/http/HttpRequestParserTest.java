package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.testing.Chunkings;
import dev.switchboard.testing.Chunkings.Chunking;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid and malformed requests, each fed whole, split at every index and one byte at a time.
 * Limits, hostile inputs, pipelining and the parser's side channels are in
 * {@link HttpRequestParserLimitsTest}.
 */
final class HttpRequestParserTest {

  record Expected(String method, String target, String path, String rawQuery, String version,
      List<String> headers, String body) {}

  static Expected request(String method, String target, String version, List<String> headers, String body) {
    int q = target.indexOf('?');
    return new Expected(method, target, q < 0 ? target : target.substring(0, q),
        q < 0 ? null : target.substring(q + 1), version, headers, body);
  }

  static Stream<Arguments> validRequests() {
    return Stream.of(
        Arguments.of("engine.io polling handshake",
            "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost:3000\r\nAccept: */*\r\n\r\n",
            request("GET", "/socket.io/?EIO=4&transport=polling", "HTTP/1.1",
                List.of("Host: localhost:3000", "Accept: */*"), "")),
        Arguments.of("POST with Content-Length body",
            "POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\nHost: a\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 6\r\n\r\n4hello",
            request("POST", "/socket.io/?EIO=4&transport=polling&sid=abc", "HTTP/1.1",
                List.of("Host: a", "Content-Type: text/plain;charset=UTF-8", "Content-Length: 6"), "4hello")),
        Arguments.of("HTTP/1.0 without Host",
            "GET /x HTTP/1.0\r\n\r\n",
            request("GET", "/x", "HTTP/1.0", List.of(), "")),
        // RFC 9112 §5.1: OWS around a field value is not part of it; inner whitespace is.
        Arguments.of("OWS around values is trimmed",
            "GET / HTTP/1.1\r\nHost:   a  \t\r\nX-Empty:\r\nX-Blank: \t \r\nX-Inner: a \t b\r\n\r\n",
            request("GET", "/", "HTTP/1.1", List.of("Host: a", "X-Empty: ", "X-Blank: ", "X-Inner: a \t b"), "")),
        // RFC 9110 §5.5: obs-text is allowed in values; we decode it as ISO-8859-1.
        Arguments.of("obs-text in a value decodes as ISO-8859-1",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\u00ff\r\n\r\n",
            request("GET", "/", "HTTP/1.1", List.of("Host: a", "X-Name: caf\u00e9\u00ff"), "")),
        Arguments.of("header names keep their case",
            "GET / HTTP/1.1\r\nhOsT: a\r\nX-!#$%&'*+-.^_`|~09: v\r\n\r\n",
            request("GET", "/", "HTTP/1.1", List.of("hOsT: a", "X-!#$%&'*+-.^_`|~09: v"), "")),
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
        Arguments.of("leading empty lines are skipped",
            "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            request("GET", "/", "HTTP/1.1", List.of("Host: a"), "")),
        // RFC 9112 §7.1 chunked coding.
        Arguments.of("chunked body",
            "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n",
            request("POST", "/p", "HTTP/1.1", List.of("Host: a", "Transfer-Encoding: chunked"),
                "Wikipedia in\r\n\r\nchunks.")),
        // RFC 9112 §7.1.1 extensions are ignored; §7.1.2 trailers are discarded.
        Arguments.of("chunk extensions and trailers are dropped",
            "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value;flag;q=\"x y\"\r\nhello\r\n0;last\r\nX-Trailer: t\r\nX-Other: \u00e9\r\n\r\n",
            request("POST", "/p", "HTTP/1.1", List.of("Host: a", "Transfer-Encoding: chunked"), "hello")),
        Arguments.of("chunk size in upper-case hex with BWS before an extension",
            "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "A \t;ext\r\n0123456789\r\n000\r\n\r\n",
            request("POST", "/p", "HTTP/1.1", List.of("Host: a", "Transfer-Encoding: chunked"), "0123456789")),
        // RFC 9110 §5.3 combines repeated fields into one list; §5.6.1 ignores empty elements.
        Arguments.of("Transfer-Encoding split over fields with empty elements",
            "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,\r\nTransfer-Encoding: , CHUNKED ,\r\n\r\n"
                + "1\r\nx\r\n0\r\n\r\n",
            request("POST", "/p", "HTTP/1.1",
                List.of("Host: a", "Transfer-Encoding: ,", "Transfer-Encoding: , CHUNKED ,"), "x")),
        // RFC 9112 §3.2.4 asterisk-form.
        Arguments.of("OPTIONS with asterisk-form",
            "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
            request("OPTIONS", "*", "HTTP/1.1", List.of("Host: a"), "")),
        Arguments.of("GET with a Content-Length body",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
            request("GET", "/", "HTTP/1.1", List.of("Host: a", "Content-Length: 3"), "abc")),
        Arguments.of("Content-Length with leading zeros",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 000000000000000003\r\n\r\nabc",
            request("POST", "/", "HTTP/1.1", List.of("Host: a", "Content-Length: 000000000000000003"), "abc")),
        Arguments.of("POST with Content-Length 0",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
            request("POST", "/", "HTTP/1.1", List.of("Host: a", "Content-Length: 0"), "")),
        // RFC 9112 §6.3 item 7: no Content-Length and no Transfer-Encoding means no body.
        Arguments.of("POST without framing has an empty body",
            "POST / HTTP/1.1\r\nHost: a\r\n\r\n",
            request("POST", "/", "HTTP/1.1", List.of("Host: a"), "")),
        Arguments.of("HEAD without framing has an empty body",
            "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
            request("HEAD", "/", "HTTP/1.1", List.of("Host: a"), "")),
        Arguments.of("DELETE without framing has an empty body",
            "DELETE /r HTTP/1.0\r\n\r\n",
            request("DELETE", "/r", "HTTP/1.0", List.of(), "")),
        Arguments.of("method is any token",
            "M-SEARCH /x HTTP/1.1\r\nHost: a\r\n\r\n",
            request("M-SEARCH", "/x", "HTTP/1.1", List.of("Host: a"), "")),
        Arguments.of("target keeps its encoding and splits at the first question mark",
            "GET /a%20b/c+d?x=%41+b&y=?z HTTP/1.1\r\nHost: a\r\n\r\n",
            request("GET", "/a%20b/c+d?x=%41+b&y=?z", "HTTP/1.1", List.of("Host: a"), "")),
        Arguments.of("empty query",
            "GET /? HTTP/1.1\r\nHost: a\r\n\r\n",
            request("GET", "/?", "HTTP/1.1", List.of("Host: a"), "")),
        Arguments.of("body bytes are kept raw",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\u0000\r\n\u00ff",
            request("POST", "/", "HTTP/1.1", List.of("Host: a", "Content-Length: 4"), "\u0000\r\n\u00ff")),
        // RFC 6455 §1.2 sample handshake.
        Arguments.of("WebSocket upgrade request",
            "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n",
            request("GET", "/chat", "HTTP/1.1", List.of("Host: server.example.com", "Upgrade: websocket",
                "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Origin: http://example.com",
                "Sec-WebSocket-Protocol: chat, superchat", "Sec-WebSocket-Version: 13"), "")),
        // hostile-inputs.md#A37: an h2c upgrade is an ordinary HTTP/1.1 request to us; the upper
        // layer ignores the Upgrade it does not know and answers over HTTP/1.1.
        Arguments.of("h2c upgrade request is served as HTTP/1.1",
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
            request("GET", "/", "HTTP/1.1", List.of("Host: a", "Connection: Upgrade, HTTP2-Settings",
                "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"), "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validRequests")
  void parsesValidRequestUnderEveryChunking(String name, String wire, Expected expected) throws Exception {
    for (Chunking chunking : Chunkings.of(latin1(wire))) {
      HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
      List<HttpRequest> requests = feedAll(parser, chunking);
      assertEquals(1, requests.size(), chunking.name());
      assertRequest(expected, requests.get(0), chunking.name());
      assertFalse(parser.hasPartialRequest(), chunking.name());
    }
  }

  static Stream<Arguments> malformedRequests() {
    String get = "GET / HTTP/1.1\r\nHost: a\r\n";
    String chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    return Stream.of(
        // RFC 9112 §2.2: we require CRLF; a bare LF is refused wherever it appears.
        Arguments.of("bare LF ends the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400, "Bare LF in request line"),
        Arguments.of("bare LF as a leading empty line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Bare LF in request line"),
        Arguments.of("bare LF ends a field line", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", 400, "Bare LF in header section"),
        Arguments.of("bare LF ends the header section", get + "\n", 400, "Bare LF in header section"),
        Arguments.of("too many leading empty lines", "\r\n".repeat(9) + get + "\r\n", 400,
            "Too many empty lines before request line"),
        // RFC 9112 §3: request-line = method SP request-target SP HTTP-version.
        Arguments.of("HTTP/0.9 request line", "GET /\r\n\r\n", 400, "Invalid request line"),
        Arguments.of("two spaces after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request line"),
        Arguments.of("space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "Invalid request line"),
        Arguments.of("tab as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request line"),
        Arguments.of("leading space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request line"),
        Arguments.of("method that is not a token", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request line"),
        Arguments.of("bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request target"),
        Arguments.of("TLS ClientHello on the plain port", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n",
            400, "Invalid request line"),
        // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
        Arguments.of("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400, "Invalid HTTP version"),
        Arguments.of("version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400, "Invalid HTTP version"),
        Arguments.of("version with two-digit major", "GET / HTTP/10.1\r\nHost: a\r\n\r\n", 400, "Invalid HTTP version"),
        // hostile-inputs.md#A37: the HTTP/2 connection preface (RFC 9113 §3.4) answers 505.
        Arguments.of("HTTP/2 connection preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "Unsupported HTTP version"),
        Arguments.of("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505, "Unsupported HTTP version"),
        Arguments.of("HTTP/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505, "Unsupported HTTP version"),
        // RFC 9112 §3.2: origin-form, or asterisk-form for OPTIONS; we are not a proxy.
        Arguments.of("absolute-form target", "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request target"),
        Arguments.of("authority-form target", "CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request target"),
        Arguments.of("asterisk-form outside OPTIONS", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request target"),
        Arguments.of("non-ASCII byte in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request target"),
        Arguments.of("DEL in the target", "GET /\u007f HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request target"),
        Arguments.of("NUL in the target", "GET /\u0000 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Invalid request target"),
        // hostile-inputs.md#A34 (request smuggling shapes) and RFC 9110 §5.1 / RFC 9112 §5.1.
        Arguments.of("NUL in a header name", "GET / HTTP/1.1\r\nHo\u0000st: a\r\n\r\n", 400, "Invalid header name"),
        Arguments.of("space between name and colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "Invalid header name"),
        Arguments.of("tab between name and colon", get + "X\t: a\r\n\r\n", 400, "Invalid header name"),
        Arguments.of("field line without colon", get + "Xyz\r\n\r\n", 400, "Invalid header name"),
        Arguments.of("empty header name", get + ": a\r\n\r\n", 400, "Invalid header name"),
        Arguments.of("non-ASCII header name", get + "X-\u00e9: a\r\n\r\n", 400, "Invalid header name"),
        Arguments.of("bare CR line in the header section", get + "\r\r\n\r\n", 400, "Invalid header name"),
        Arguments.of("obsolete line folding", get + "X: b\r\n c\r\n\r\n", 400, "Obsolete line folding"),
        Arguments.of("obsolete line folding with tab", get + "X: b\r\n\tc\r\n\r\n", 400, "Obsolete line folding"),
        Arguments.of("whitespace before the first field line", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400, "Obsolete line folding"),
        // RFC 9110 §5.5: no controls but HTAB in a value.
        Arguments.of("NUL in a value", get + "X: a\u0000b\r\n\r\n", 400, "Invalid header value"),
        Arguments.of("bare CR in a value", get + "X: a\rb\r\n\r\n", 400, "Invalid header value"),
        Arguments.of("DEL in a value", get + "X: a\u007fb\r\n\r\n", 400, "Invalid header value"),
        Arguments.of("escape byte in a value", get + "X: \u001b[31m\r\n\r\n", 400, "Invalid header value"),
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1.
        Arguments.of("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "Missing Host header"),
        Arguments.of("two Host fields", get + "Host: b\r\n\r\n", 400, "Multiple Host headers"),
        Arguments.of("two Host fields in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400, "Multiple Host headers"),
        // hostile-inputs.md#A34, RFC 9112 §6.3 and RFC 9110 §8.6.
        Arguments.of("Content-Length and Transfer-Encoding",
            get + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
            "Both Content-Length and Transfer-Encoding"),
        Arguments.of("Transfer-Encoding and Content-Length 0",
            get + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n", 400,
            "Both Content-Length and Transfer-Encoding"),
        Arguments.of("two different Content-Length values",
            get + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, "Invalid Content-Length"),
        Arguments.of("two equal Content-Length values",
            get + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400, "Invalid Content-Length"),
        Arguments.of("Content-Length list", get + "Content-Length: 5, 5\r\n\r\nhello", 400, "Invalid Content-Length"),
        Arguments.of("Content-Length with plus sign", get + "Content-Length: +5\r\n\r\nhello", 400, "Invalid Content-Length"),
        Arguments.of("negative Content-Length", get + "Content-Length: -1\r\n\r\n", 400, "Invalid Content-Length"),
        Arguments.of("hex Content-Length", get + "Content-Length: 0x10\r\n\r\n", 400, "Invalid Content-Length"),
        Arguments.of("empty Content-Length", get + "Content-Length:\r\n\r\n", 400, "Invalid Content-Length"),
        Arguments.of("Content-Length of 19 digits", get + "Content-Length: 0000000000000000005\r\n\r\nhello", 400,
            "Invalid Content-Length"),
        Arguments.of("Content-Length beyond a long", get + "Content-Length: 99999999999999999999\r\n\r\n", 400,
            "Invalid Content-Length"),
        Arguments.of("Transfer-Encoding chunked, identity", get + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
            400, "Invalid Transfer-Encoding"),
        Arguments.of("Transfer-Encoding identity", get + "Transfer-Encoding: identity\r\n\r\n", 400,
            "Invalid Transfer-Encoding"),
        Arguments.of("Transfer-Encoding gzip", get + "Transfer-Encoding: gzip\r\n\r\n", 400, "Invalid Transfer-Encoding"),
        Arguments.of("Transfer-Encoding empty", get + "Transfer-Encoding:\r\n\r\n", 400, "Invalid Transfer-Encoding"),
        Arguments.of("Transfer-Encoding chunked with a parameter", get + "Transfer-Encoding: chunked;q=1\r\n\r\n", 400,
            "Invalid Transfer-Encoding"),
        Arguments.of("Transfer-Encoding chunked twice", get + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400,
            "Invalid Transfer-Encoding"),
        Arguments.of("Transfer-Encoding chunked then gzip in two fields",
            get + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "Invalid Transfer-Encoding"),
        Arguments.of("Transfer-Encoding gzip, chunked", get + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501,
            "Unsupported Transfer-Encoding"),
        Arguments.of("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400, "Transfer-Encoding in HTTP/1.0"),
        // hostile-inputs.md#A18 and RFC 9112 §7.1: chunk-size = 1*HEXDIG, capped at 8 digits.
        Arguments.of("chunk size overflowing a long", chunked + "ffffffffffffffff\r\n", 400, "Invalid chunk size"),
        Arguments.of("chunk size of 9 digits", chunked + "000000001\r\nx\r\n0\r\n\r\n", 400, "Invalid chunk size"),
        Arguments.of("negative chunk size", chunked + "-1\r\n", 400, "Invalid chunk size"),
        Arguments.of("non-hex chunk size", chunked + "xyz\r\n", 400, "Invalid chunk size"),
        Arguments.of("empty chunk size", chunked + "\r\n", 400, "Invalid chunk size"),
        Arguments.of("0x-prefixed chunk size", chunked + "0x10\r\n", 400, "Invalid chunk size"),
        Arguments.of("whitespace after the chunk size without extension", chunked + "5 \r\nhello\r\n0\r\n\r\n", 400,
            "Invalid chunk size"),
        Arguments.of("bare LF after the chunk size", chunked + "5\nhello\r\n0\r\n\r\n", 400, "Invalid chunk size"),
        Arguments.of("CR without LF after the chunk size", chunked + "5\rhello\r\n0\r\n\r\n", 400, "Invalid chunk size"),
        Arguments.of("bare LF ending the last chunk", chunked + "0\n\r\n", 400, "Invalid chunk size"),
        Arguments.of("NUL in a chunk extension", chunked + "5;a\u0000b\r\nhello\r\n0\r\n\r\n", 400,
            "Invalid chunk extension"),
        Arguments.of("bare LF in a chunk extension", chunked + "5;a\nhello\r\n0\r\n\r\n", 400, "Invalid chunk extension"),
        Arguments.of("chunk data longer than its size", chunked + "5\r\nhello!\r\n0\r\n\r\n", 400,
            "Missing CRLF after chunk data"),
        Arguments.of("bare LF after chunk data", chunked + "5\r\nhello\n0\r\n\r\n", 400, "Missing CRLF after chunk data"),
        // hostile-inputs.md#A18: 8 hex digits is 4 GiB; the sum never overflows, it crosses the limit.
        Arguments.of("largest chunk size", chunked + "ffffffff\r\n", 413, "Body too large"),
        // RFC 9112 §7.1.2: trailers follow the field-line rules.
        Arguments.of("obsolete line folding in a trailer", chunked + "0\r\nX: a\r\n b\r\n\r\n", 400, "Obsolete line folding"),
        Arguments.of("NUL in a trailer name", chunked + "0\r\nX\u0000: a\r\n\r\n", 400, "Invalid header name"),
        Arguments.of("bare LF in the trailer section", chunked + "0\r\nX: a\n\r\n", 400, "Bare LF in header section"),
        Arguments.of("bare LF ending the trailer section", chunked + "0\r\n\n", 400, "Bare LF in header section"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRequests")
  void rejectsMalformedRequestUnderEveryChunking(String name, String wire, int status, String message) {
    for (Chunking chunking : Chunkings.of(latin1(wire))) {
      HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
      HttpParseException e = assertThrows(HttpParseException.class, () -> feedAll(parser, chunking), chunking.name());
      assertEquals(status, e.status(), chunking.name());
      assertEquals(message, e.getMessage(), chunking.name());
      assertEquals(HttpRequestParser.State.CORRUPT, parser.state());
      // After a failure the parser stays corrupt: the same exception, whatever comes next.
      HttpParseException again = assertThrows(HttpParseException.class,
          () -> parser.feed(ByteBuffer.wrap(latin1("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))));
      assertSame(e, again);
      assertFalse(parser.hasPartialRequest());
    }
  }

  // ---- helpers shared with the other parser tests -------------------------------------------

  static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Feeds every piece, asking for requests until each piece is consumed. Checks the results'
   * contract on the way: NEED_MORE and HEAD consume the whole piece, and a request whose body did
   * not arrive in the read that completed its head is announced by one HEAD before it, with
   * the same request line and headers.
   */
  static List<HttpRequest> feedAll(HttpRequestParser parser, Chunking chunking) throws HttpParseException {
    List<HttpRequest> out = new ArrayList<>();
    HttpRequest announced = null;
    for (ByteBuffer buffer : chunking.buffers()) {
      while (true) {
        HttpRequestParser.Result result = parser.feed(buffer);
        switch (result.kind()) {
          case NEED_MORE -> assertFalse(buffer.hasRemaining(), "NEED_MORE returned with bytes left");
          case HEAD -> {
            assertFalse(buffer.hasRemaining(), "HEAD returned with bytes left");
            assertNull(announced, "a second HEAD for one request");
            announced = result.head();
            assertEquals(0, announced.body().length);
          }
          case REQUEST -> {
            HttpRequest request = result.request();
            if (announced != null) {
              assertEquals(announced.method() + " " + announced.target() + " " + fields(announced.headers()),
                  request.method() + " " + request.target() + " " + fields(request.headers()), "HEAD and REQUEST differ");
            }
            announced = null;
            out.add(request);
          }
        }
        if (result.kind() != HttpRequestParser.Result.Kind.REQUEST || !buffer.hasRemaining()) break;
      }
    }
    return out;
  }

  static void assertRequest(Expected expected, HttpRequest actual, String where) {
    assertNotNull(actual, where);
    assertEquals(expected.method(), actual.method(), where);
    assertEquals(expected.target(), actual.target(), where);
    assertEquals(expected.path(), actual.path(), where);
    assertEquals(expected.rawQuery(), actual.rawQuery(), where);
    assertEquals(expected.version(), actual.version(), where);
    assertEquals(expected.headers(), fields(actual.headers()), where);
    assertArrayEquals(latin1(expected.body()), actual.body(), where);
  }

  /**
   * Two connections' handshakes share the strings that are equal (known names, their shared
   * values, the target) but never the per-client key; the values stay exactly as received.
   */
  @org.junit.jupiter.api.Test
  void equalStringsAreSharedBetweenParsersAndDifferentOnesAreNot() throws HttpParseException {
    String head = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n"
        + "Upgrade: websocket\r\nconnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
        + "Sec-WebSocket-Version: 13\r\nX-Custom: %s\r\n\r\n";
    SharedStrings loop = new SharedStrings(); // one I/O loop's table
    HttpRequest a = new HttpRequestParser(HttpLimits.DEFAULTS, loop)
        .feed(ByteBuffer.wrap(latin1(String.format(head, "dGhlIHNhbXBsZSBub25jZQ==", "one")))).request();
    HttpRequest b = new HttpRequestParser(HttpLimits.DEFAULTS, loop)
        .feed(ByteBuffer.wrap(latin1(String.format(head, "dGhlIHNhbXBsZSBub25jZQ==", "one")))).request();
    assertSame(a.target(), b.target());
    assertSame("GET", a.method());
    for (int i = 0; i < 4; i++) {
      assertSame(a.headers().name(i), b.headers().name(i));
    }
    assertSame(a.headers().value(0), b.headers().value(0));
    assertSame(a.headers().value(2), b.headers().value(2));
    assertEquals(a.headers().value(3), b.headers().value(3));
    assertFalse(a.headers().value(3) == b.headers().value(3), "Sec-WebSocket-Key values are never shared");
    assertFalse(a.headers().name(5) == b.headers().name(5), "unknown names are not shared");
    // A different value for a shared name is a new string, exactly as received; names keep their case.
    HttpRequest c = new HttpRequestParser(HttpLimits.DEFAULTS, loop)
        .feed(ByteBuffer.wrap(latin1("GET /other HTTP/1.1\r\nHost: 127.0.0.1:3001\r\nCONNECTION: upgrade\r\n\r\n"))).request();
    // A parser of another thread has its own table: equal values, separate strings.
    HttpRequest d = new HttpRequestParser(HttpLimits.DEFAULTS)
        .feed(ByteBuffer.wrap(latin1(String.format(head, "dGhlIHNhbXBsZSBub25jZQ==", "one")))).request();
    assertEquals(a.headers().value(0), d.headers().value(0));
    assertFalse(a.headers().value(0) == d.headers().value(0), "tables are per thread");
    assertEquals(List.of("Host: 127.0.0.1:3001", "CONNECTION: upgrade"), fields(c.headers()));
    assertEquals("/other", c.target());
    assertEquals("127.0.0.1:3000", a.headers().first("Host"));
  }

  static List<String> fields(HttpHeaders headers) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) out.add(headers.name(i) + ": " + headers.value(i));
    return out;
  }

  static HttpParseException parseError(HttpRequestParser parser, byte[]... pieces) {
    try {
      for (byte[] piece : pieces) {
        ByteBuffer buffer = ByteBuffer.wrap(piece);
        while (buffer.hasRemaining()) {
          if (parser.feed(buffer).request() == null) break;
        }
      }
    } catch (HttpParseException e) {
      return e;
    }
    return fail("no HttpParseException");
  }

  static void assertNullAndConsumed(HttpRequestParser parser, ByteBuffer buffer) throws HttpParseException {
    assertNull(parser.feed(buffer).request());
    assertFalse(buffer.hasRemaining());
    assertTrue(parser.hasPartialRequest());
  }
}
