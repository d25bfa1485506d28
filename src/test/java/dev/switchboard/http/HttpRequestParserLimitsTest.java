package dev.switchboard.http;

import static dev.switchboard.http.HttpRequestParserTest.feedAll;
import static dev.switchboard.http.HttpRequestParserTest.latin1;
import static dev.switchboard.http.HttpRequestParserTest.parseError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpRequestParser.Result;
import dev.switchboard.http.HttpRequestParser.Result.Kind;
import dev.switchboard.testing.Chunkings;
import dev.switchboard.testing.Chunkings.Chunking;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Limits, hostile inputs (hostile-inputs.md group A), pipelining and the parser's side channels. */
final class HttpRequestParserLimitsTest {

  /** Small limits so that "exactly at" and "one over" fit in a table fed under every chunking. */
  private static final HttpLimits SMALL = new HttpLimits(24, 64, 3, 10);

  static Stream<Arguments> atAndOverLimits() {
    // "GET /abcdefg HTTP/1.1\r\n" is 23 bytes; one more path byte makes 24, two make 25.
    String host = "Host: a\r\n";
    return Stream.of(
        Arguments.of("request line exactly at the limit", "GET /abcdefgh HTTP/1.1\r\n" + host + "\r\n", 0, null),
        Arguments.of("request line one over the limit", "GET /abcdefghi HTTP/1.1\r\n" + host + "\r\n", 414,
            "Request line too long"),
        // 24 + 9 + 10 + 19 + 2 = 64 bytes.
        Arguments.of("header section exactly at the limit",
            "GET /abcdefgh HTTP/1.1\r\n" + host + "X-1: 123\r\nX-2: 456789012345\r\n\r\n", 0, null),
        Arguments.of("header section one over the limit",
            "GET /abcdefgh HTTP/1.1\r\n" + host + "X-1: 123\r\nX-2: 4567890123456\r\n\r\n", 431,
            "Header section too large"),
        Arguments.of("header count exactly at the limit", "GET / HTTP/1.1\r\n" + host + "A:\r\nB:\r\n\r\n", 0, null),
        Arguments.of("header count one over the limit", "GET / HTTP/1.1\r\n" + host + "A:\r\nB:\r\nC:\r\n\r\n", 431,
            "Too many headers"),
        Arguments.of("Content-Length exactly at the limit",
            "POST / HTTP/1.1\r\n" + host + "Content-Length: 10\r\n\r\n0123456789", 0, null),
        Arguments.of("Content-Length one over the limit",
            "POST / HTTP/1.1\r\n" + host + "Content-Length: 11\r\n\r\n0123456789a", 413, "Body too large"),
        Arguments.of("chunked body exactly at the limit",
            "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", 0,
            null),
        Arguments.of("chunked body one over the limit",
            "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n56789a\r\n0\r\n\r\n",
            413, "Body too large"),
        // The trailer section gets the header budget anew: 3 fields, 64 bytes.
        Arguments.of("trailer count at the limit",
            "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nA:\r\nB:\r\nC:\r\n\r\n", 0, null),
        Arguments.of("trailer count over the limit",
            "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nA:\r\nB:\r\nC:\r\nD:\r\n\r\n", 431,
            "Too many headers"),
        Arguments.of("trailer section over the limit",
            "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: " + "a".repeat(60) + "\r\n\r\n",
            431, "Header section too large"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("atAndOverLimits")
  void acceptsExactlyTheLimitAndRejectsOneOver(String name, String wire, int status, String message) throws Exception {
    for (Chunking chunking : Chunkings.of(latin1(wire))) {
      HttpRequestParser parser = new HttpRequestParser(SMALL);
      if (message == null) {
        assertEquals(1, feedAll(parser, chunking).size(), chunking.name());
      } else {
        HttpParseException e = assertThrows(HttpParseException.class, () -> feedAll(parser, chunking), chunking.name());
        assertEquals(status, e.status(), chunking.name());
        assertEquals(message, e.getMessage(), chunking.name());
      }
    }
  }

  // hostile-inputs.md#A11: a 100 KB URL answers 414 without buffering past the limit.
  @Test
  void rejectsHundredKilobyteUrlWith414WithoutReadingPastTheLimit() {
    byte[] wire = latin1("GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
    for (int piece : new int[] {wire.length, 1000, 1}) {
      HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
      long consumed = 0;
      HttpParseException error = null;
      for (int off = 0; off < wire.length && error == null; off += piece) {
        ByteBuffer buffer = ByteBuffer.wrap(wire, off, Math.min(piece, wire.length - off));
        int before = buffer.position();
        try {
          assertNull(parser.feed(buffer).request());
        } catch (HttpParseException e) {
          error = e;
        }
        consumed += buffer.position() - before;
      }
      assertNotNull(error, "piece " + piece);
      assertEquals(414, error.status());
      assertEquals("Request line too long", error.getMessage());
      assertTrue(consumed <= HttpLimits.DEFAULTS.maxRequestLineBytes(), "consumed " + consumed);
    }
  }

  // hostile-inputs.md#A36: header floods answer 431 at the limit, without reading on.
  static Stream<Arguments> headerFloods() {
    StringBuilder small = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 10_000; i++) small.append("X: ").append(i).append("\r\n");
    StringBuilder cookies = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 100; i++) cookies.append("Cookie: c=").append("v".repeat(16 * 1024)).append("\r\n");
    return Stream.of(
        Arguments.of("10 000 small headers", small + "\r\n", "Too many headers"),
        Arguments.of("one 1 MB header", "GET / HTTP/1.1\r\nHost: a\r\nX: " + "a".repeat(1 << 20) + "\r\n\r\n",
            "Header section too large"),
        Arguments.of("100 cookies of 16 KB", cookies + "\r\n", "Header section too large"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headerFloods")
  void rejectsHeaderFloodWith431AtTheLimit(String name, String wire, String message) {
    byte[] bytes = latin1(wire);
    for (Chunking chunking : wholeAndByteAtATime(bytes)) {
      HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
      long consumed = 0;
      HttpParseException error = null;
      for (ByteBuffer buffer : chunking.buffers()) {
        try {
          assertNull(parser.feed(buffer).request());
        } catch (HttpParseException e) {
          error = e;
        }
        consumed += buffer.position();
        if (error != null) break;
      }
      assertNotNull(error, chunking.name());
      assertEquals(431, error.status(), chunking.name());
      assertEquals(message, error.getMessage(), chunking.name());
      assertTrue(consumed <= HttpLimits.DEFAULTS.maxHeaderBytes(), chunking.name() + " consumed " + consumed);
    }
  }

  // hostile-inputs.md#B44: "a" + 60 000 spaces + ",b" is over the header budget: 431 at the limit.
  @Test
  void rejectsSixtyThousandSpaceHeaderWith431() {
    byte[] wire = latin1("GET / HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Protocol: a" + " ".repeat(60_000) + ",b\r\n\r\n");
    HttpParseException e = parseError(new HttpRequestParser(HttpLimits.DEFAULTS), wire);
    assertEquals(431, e.status());
    assertEquals("Header section too large", e.getMessage());
  }

  // hostile-inputs.md#B44: with the budget raised, such a value is parsed in linear time even one
  // byte per read. A parser that rescans the line on every read needs ~2 * 10^10 steps here.
  @Test
  void parsesHugeWhitespaceHeaderInLinearTimeOneByteAtATime() {
    String value = "a" + " ".repeat(200_000) + ",b";
    byte[] wire = latin1("GET / HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Protocol: " + value + "   \r\n\r\n");
    HttpRequestParser parser = new HttpRequestParser(new HttpLimits(8192, 1 << 20, 100, 0));
    HttpRequest request = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      ByteBuffer buffer = ByteBuffer.wrap(wire);
      HttpRequest result = null;
      for (int i = 1; i <= wire.length; i++) {
        buffer.limit(i);
        result = parser.feed(buffer).request();
      }
      return result;
    });
    assertNotNull(request);
    assertEquals(value, request.header("Sec-WebSocket-Protocol"));
  }

  // hostile-inputs.md#A17: a lying Content-Length over the limit answers 413 right after the
  // header section, before any body byte is read or any array of that size allocated.
  @Test
  void rejectsOverLimitContentLengthAtHeaderTime() {
    String head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2147483648\r\n\r\n";
    ByteBuffer buffer = ByteBuffer.wrap(latin1(head + "tiny"));
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    HttpParseException e = assertThrows(HttpParseException.class, () -> parser.feed(buffer));
    assertEquals(413, e.status());
    assertEquals("Body too large", e.getMessage());
    assertEquals(head.length(), buffer.position());
  }

  // hostile-inputs.md#A17: a short body never completes; the net layer's body read timeout ends it.
  @Test
  void shortBodyStaysIncompleteAndPartial() throws Exception {
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    ByteBuffer buffer = ByteBuffer.wrap(latin1("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"));
    assertNull(parser.feed(buffer).request());
    assertFalse(buffer.hasRemaining());
    assertTrue(parser.hasPartialRequest());
    assertEquals(HttpRequestParser.State.BODY, parser.state());
  }

  // hostile-inputs.md#A17: bytes beyond Content-Length are not part of the body; they stay in the
  // buffer and are only a request if framed as one (here they are not).
  @Test
  void bytesBeyondContentLengthStayInTheBufferAndAreNotARequest() throws Exception {
    byte[] extra = latin1("a".repeat(1_000_000));
    byte[] head = latin1("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n");
    ByteBuffer buffer = ByteBuffer.wrap(concat(head, extra));
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    HttpRequest request = parser.feed(buffer).request();
    assertArrayEquals(latin1("aaaaaaaaaa"), request.body());
    assertEquals(extra.length - 10, buffer.remaining());
    HttpParseException e = assertThrows(HttpParseException.class, () -> parser.feed(buffer));
    assertEquals(414, e.status());
  }

  // hostile-inputs.md#A18: a chunked body crossing the limit in many small chunks answers 413 at
  // the size line of the chunk that crosses it, before reading that chunk.
  @Test
  void rejectsChunkedBodyCrossingTheLimitMidStream() {
    String chunk = "3e8\r\n" + "x".repeat(1000) + "\r\n";
    String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    String accepted = head + chunk.repeat(1000);
    byte[] wire = latin1(accepted + "1\r\ny\r\n0\r\n\r\n");
    for (Chunking chunking : wholeAndByteAtATime(wire)) {
      HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
      long consumed = 0;
      HttpParseException error = null;
      for (ByteBuffer buffer : chunking.buffers()) {
        try {
          assertNull(parser.feed(buffer).request());
        } catch (HttpParseException e) {
          error = e;
        }
        consumed += buffer.position();
        if (error != null) break;
      }
      assertNotNull(error, chunking.name());
      assertEquals(413, error.status());
      assertEquals("Body too large", error.getMessage());
      assertEquals(accepted.length() + "1\r\n".length(), consumed, chunking.name());
    }
  }

  // hostile-inputs.md#A18: a chunked body without its last chunk stays incomplete (timeout).
  @Test
  void chunkedBodyWithoutLastChunkStaysPartial() throws Exception {
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    HttpRequestParserTest.assertNullAndConsumed(parser,
        ByteBuffer.wrap(latin1("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")));
    assertEquals(HttpRequestParser.State.CHUNK_SIZE, parser.state());
  }

  @Test
  void rejectsChunkExtensionsOverTheTotalCap() {
    // One-byte chunks with 1023 extension bytes each: 16 fit in 16 KiB, the 17th crosses it.
    String ext = ";" + "e".repeat(1023);
    String chunk = "1" + ext + "\r\nx\r\n";
    byte[] wire = latin1("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(17));
    HttpParseException e = parseError(new HttpRequestParser(HttpLimits.DEFAULTS), wire);
    assertEquals(400, e.status());
    assertEquals("Chunk extension too long", e.getMessage());
    byte[] fits = latin1("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(16) + "0\r\n\r\n");
    assertDoesParse(fits);
  }

  // ---- pipelining, upgrade and keep-alive ----------------------------------------------------

  @Test
  void returnsPipelinedRequestsInOrderOnePerCall() throws Exception {
    String first = "POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
    String second = "GET /two HTTP/1.1\r\nHost: a\r\n\r\n";
    String third = "POST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n";
    for (Chunking chunking : Chunkings.of(latin1(first + second + third))) {
      HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
      List<HttpRequest> requests = feedAll(parser, chunking);
      assertEquals(List.of("/one", "/two", "/three"), requests.stream().map(HttpRequest::path).toList(),
          chunking.name());
      assertArrayEquals(latin1("abc"), requests.get(0).body());
      assertArrayEquals(latin1("z"), requests.get(2).body());
    }
  }

  @Test
  void leavesTheSecondPipelinedRequestInTheBuffer() throws Exception {
    String first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
    String second = "GET /two HTTP/1.1\r\nHost: a\r\n\r\n";
    ByteBuffer buffer = ByteBuffer.wrap(latin1(first + second));
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    assertEquals("/one", parser.feed(buffer).request().path());
    assertEquals(first.length(), buffer.position());
    assertFalse(parser.hasPartialRequest());
    assertEquals("/two", parser.feed(buffer).request().path());
    assertFalse(buffer.hasRemaining());
    assertNull(parser.feed(buffer).request());
  }

  // RFC 6455 §4.1: frames may follow the upgrade request at once; they are the caller's to decode.
  @Test
  void leavesBytesAfterAnUpgradeRequestInTheBuffer() throws Exception {
    String upgrade = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    byte[] frame = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
    ByteBuffer buffer = ByteBuffer.wrap(concat(latin1(upgrade), frame));
    HttpRequest request = new HttpRequestParser(HttpLimits.DEFAULTS).feed(buffer).request();
    assertEquals("websocket", request.header("Upgrade"));
    byte[] rest = new byte[buffer.remaining()];
    buffer.get(rest);
    assertArrayEquals(frame, rest);
  }

  static Stream<Arguments> keepAliveRules() {
    // RFC 9112 §9.3: persistent by default in HTTP/1.1, opt-in with keep-alive in HTTP/1.0.
    return Stream.of(
        Arguments.of("HTTP/1.1 persists by default", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", true),
        Arguments.of("HTTP/1.1 with Connection: close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false),
        Arguments.of("HTTP/1.1 with close among tokens", "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, Close\r\n\r\n",
            false),
        Arguments.of("HTTP/1.1 with keep-alive, Upgrade",
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\n\r\n", true),
        Arguments.of("HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n", false),
        Arguments.of("HTTP/1.0 with Connection: keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
        Arguments.of("HTTP/1.0 with keep-alive and close", "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keepAliveRules")
  void followsKeepAliveRules(String name, String wire, boolean keepAlive) throws Exception {
    HttpRequest request = new HttpRequestParser(HttpLimits.DEFAULTS).feed(ByteBuffer.wrap(latin1(wire))).request();
    assertEquals(keepAlive, request.keepAlive());
  }

  // ---- hasPartialRequest, and the three kinds of feed result -------------------------------

  @Test
  void reportsPartialRequestFromTheFirstByteUntilComplete() throws Exception {
    byte[] wire = latin1("\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok");
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    assertFalse(parser.hasPartialRequest());
    for (int i = 0; i < wire.length - 1; i++) {
      assertNull(parser.feed(ByteBuffer.wrap(wire, i, 1)).request());
      assertTrue(parser.hasPartialRequest(), "after byte " + i);
    }
    assertNotNull(parser.feed(ByteBuffer.wrap(wire, wire.length - 1, 1)).request());
    assertFalse(parser.hasPartialRequest());
  }

  @Test
  void reportsTheHeadOnceWhenTheBodyIsStillToComeThenTheRequest() throws Exception {
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    Result head = parser.feed(ByteBuffer.wrap(latin1("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhe")));
    assertEquals(Kind.HEAD, head.kind());
    assertEquals("/up", head.head().target());
    assertEquals(0, head.head().body().length);
    assertEquals("5", head.head().header("Content-Length"));
    assertFalse(head.expectContinue());
    assertNull(head.request());
    Result more = parser.feed(ByteBuffer.wrap(latin1("l")));
    assertEquals(Kind.NEED_MORE, more.kind(), "the head is reported once");
    assertNull(more.head());
    assertNull(more.request());
    Result done = parser.feed(ByteBuffer.wrap(latin1("lo")));
    assertEquals(Kind.REQUEST, done.kind());
    assertEquals("hello", new String(done.request().body(), StandardCharsets.ISO_8859_1));
    assertNull(done.head());
  }

  static Stream<Arguments> noHead() {
    return Stream.of(
        Arguments.of("no body", "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        Arguments.of("Content-Length 0", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("whole body in the same read", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok"),
        Arguments.of("whole chunked body in the same read",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"));
  }

  /** A request that completes in the read that completed its head has nothing to announce. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("noHead")
  void reportsNoHeadForARequestCompleteInTheSameRead(String name, String wire) throws Exception {
    Result result = new HttpRequestParser(HttpLimits.DEFAULTS).feed(ByteBuffer.wrap(latin1(wire)));
    assertEquals(Kind.REQUEST, result.kind());
    assertFalse(result.expectContinue());
  }

  // RFC 9110 §10.1.1: the client waits for 100 Continue before sending the body (curl > 1 KB).
  @Test
  void asksForContinueWithTheHeadOnly() throws Exception {
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    ByteBuffer head = ByteBuffer.wrap(latin1(
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\n"));
    Result first = parser.feed(head);
    assertEquals(Kind.HEAD, first.kind());
    assertTrue(first.expectContinue());
    Result part = parser.feed(ByteBuffer.wrap(latin1("hel")));
    assertEquals(Kind.NEED_MORE, part.kind());
    assertFalse(part.expectContinue());
    Result done = parser.feed(ByteBuffer.wrap(latin1("lo")));
    assertEquals("hello", new String(done.request().body(), StandardCharsets.ISO_8859_1));
    assertFalse(done.expectContinue());
  }

  @Test
  void asksForContinueForChunkedBodies() throws Exception {
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    Result result = parser.feed(ByteBuffer.wrap(latin1(
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n")));
    assertEquals(Kind.HEAD, result.kind());
    assertTrue(result.expectContinue());
  }

  static Stream<Arguments> noExpectContinue() {
    return Stream.of(
        Arguments.of("body already arrived",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nok"),
        Arguments.of("no body", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n"),
        Arguments.of("Content-Length 0", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n"),
        // RFC 9110 §10.1.1: a server MUST ignore 100-continue in an HTTP/1.0 request.
        Arguments.of("HTTP/1.0", "POST / HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"),
        Arguments.of("no Expect", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n"),
        Arguments.of("other expectation", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 200-ok\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noExpectContinue")
  void asksForNoContinueWhenNobodyWaits(String name, String wire) throws Exception {
    HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
    assertFalse(parser.feed(ByteBuffer.wrap(latin1(wire))).expectContinue());
  }

  @Test
  void readsFromReadOnlyAndDirectBuffers() throws Exception {
    byte[] wire = latin1("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nokGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
    for (ByteBuffer buffer : List.of(ByteBuffer.wrap(wire).asReadOnlyBuffer(), direct)) {
      HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULTS);
      assertEquals("POST", parser.feed(buffer).request().method());
      assertEquals("GET", parser.feed(buffer).request().method());
    }
  }

  @Test
  void limitsRejectInconsistentValues() {
    assertEquals(new HttpLimits(8192, 16384, 100, 1_000_000), HttpLimits.DEFAULTS);
    assertEquals(8192, HttpLimits.DEFAULTS.withMaxBodyBytes(8192).maxBodyBytes());
    assertEquals(16384, HttpLimits.DEFAULTS.withMaxBodyBytes(8192).maxHeaderBytes());
    assertThrows(IllegalArgumentException.class, () -> new HttpLimits(8, 16384, 100, 1));
    assertThrows(IllegalArgumentException.class, () -> new HttpLimits(8192, 8191, 100, 1));
    assertThrows(IllegalArgumentException.class, () -> new HttpLimits(8192, 16384, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULTS.withMaxBodyBytes(-1));
    assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULTS.withMaxBodyBytes(Integer.MAX_VALUE));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static void assertDoesParse(byte[] wire) {
    for (Chunking chunking : wholeAndByteAtATime(wire)) {
      try {
        assertEquals(1, feedAll(new HttpRequestParser(HttpLimits.DEFAULTS), chunking).size(), chunking.name());
      } catch (HttpParseException e) {
        throw new AssertionError(chunking.name(), e);
      }
    }
  }

  /** For inputs too large for every split: whole, one byte at a time, and 1000-byte reads. */
  static List<Chunking> wholeAndByteAtATime(byte[] input) {
    List<byte[]> single = new ArrayList<>(input.length);
    for (byte b : input) single.add(new byte[] {b});
    List<byte[]> thousands = new ArrayList<>();
    for (int off = 0; off < input.length; off += 1000) {
      byte[] piece = new byte[Math.min(1000, input.length - off)];
      System.arraycopy(input, off, piece, 0, piece.length);
      thousands.add(piece);
    }
    return List.of(new Chunking("whole", List.of(input)), new Chunking("one byte at a time", single),
        new Chunking("1000-byte reads", thousands));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
