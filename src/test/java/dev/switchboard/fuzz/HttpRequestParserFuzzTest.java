package dev.switchboard.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.http.HttpLimits;
import dev.switchboard.http.HttpParseException;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpRequestParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Arbitrary bytes from a peer, cut into arbitrary reads, must give {@link HttpRequest}s or one
 * {@link HttpParseException} with a status we answer with, and never hold more memory than the
 * {@link HttpLimits} allow. Input format: {@link StreamInput}. Stored inputs:
 * {@code src/test/resources/dev/switchboard/fuzz/HttpRequestParserFuzzTestInputs/}.
 */
class HttpRequestParserFuzzTest {
  /** Small enough that every limit is crossed by inputs the fuzzer reaches in seconds. */
  static final HttpLimits TINY = new HttpLimits(32, 96, 4, 16);

  /** The statuses HttpParseException documents; anything else would be sent to a client unplanned. */
  private static final Set<Integer> STATUSES = Set.of(400, 413, 414, 431, 501, 505);
  private static final byte[] NEXT_REQUEST = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final HexFormat HEX = HexFormat.of();

  // No CR or LF here: libFuzzer rejected the dictionary file Jazzer 0.30 wrote for such entries
  // ("ParseDictionaryFile: error in line 1"). The fuzzer learns "\r\n" from the parser's comparisons.
  @DictionaryEntries({" HTTP/1.1", "Content-Length: ", "Transfer-Encoding: chunked", "Expect: 100-continue", "ffffffff"})
  @FuzzTest(maxDuration = "3m")
  void givesRequestsOrARefusalWhateverTheBytesAndReads(byte[] data) {
    StreamInput input = StreamInput.parse(data);
    HttpLimits limits = input.tinyLimits() ? TINY : HttpLimits.DEFAULTS;
    List<String> whole = parse(limits, List.of(input.stream()));
    for (List<byte[]> pieces : input.chunkings()) {
      assertEquals(whole, parse(limits, pieces), "the outcome depends on how the bytes were read");
    }
    // Measured on a repeat so that class loading and JIT bootstraps are not counted. The parser
    // may buffer what arrived (twice, while growing) but must never size anything by what a
    // header merely declares: the 1 MB default body limit alone would blow this budget.
    long allocated = Memory.allocatedBy(() -> parse(limits, List.of(input.stream())));
    long budget = 128 * 1024 + 64L * input.stream().length;
    assertTrue(allocated <= budget, "allocated " + allocated + " bytes for " + input.stream().length + " input bytes");
  }

  /**
   * Feeds {@code pieces} to a fresh parser; returns what came out, in order: one line per request,
   * then {@code refused <status> <message>}, {@code incomplete}, or {@code idle}.
   */
  static List<String> parse(HttpLimits limits, List<byte[]> pieces) {
    HttpRequestParser parser = new HttpRequestParser(limits);
    List<String> outcomes = new ArrayList<>();
    long fed = 0;
    try {
      for (ByteBuffer in : StreamInput.buffers(pieces)) {
        while (in.hasRemaining()) {
          int before = in.remaining();
          HttpRequestParser.Result result = parser.feed(in);
          fed += before - in.remaining();
          checkRetained(parser, limits, fed);
          HttpRequest request = result.request();
          if (request == null) {
            assertFalse(in.hasRemaining(), result + " returned with bytes left unread");
            // RFC 9110 §10.1.1: an interim 100 only makes sense while the body is still to come.
            if (result.expectContinue()) assertTrue(parser.hasPartialRequest(), "100-continue with no body pending");
            if (result.head() != null) assertTrue(parser.hasPartialRequest(), "a head with no body pending");
            continue;
          }
          checkRequest(request, limits);
          assertFalse(parser.hasPartialRequest(), "a returned request left partial state behind");
          assertFalse(result.expectContinue(), "100-continue asked with a complete request");
          outcomes.add(describe(request));
        }
      }
    } catch (HttpParseException e) {
      assertTrue(STATUSES.contains(e.status()), "status " + e.status() + " (" + e.getMessage() + ")");
      assertNotNull(e.getMessage());
      // A refused stream stays refused: the connection is to be closed, not resynchronised.
      HttpParseException again = assertThrows(HttpParseException.class, () -> parser.feed(ByteBuffer.wrap(NEXT_REQUEST)));
      assertSame(e, again, "a corrupt parser must rethrow its first refusal");
      outcomes.add("refused " + e.status() + " " + e.getMessage());
      return outcomes;
    }
    if (parser.hasPartialRequest()) {
      outcomes.add("incomplete");
      return outcomes;
    }
    // Keep-alive: the parser that just finished (or never started) a request reads the next one.
    try {
      ByteBuffer next = ByteBuffer.wrap(NEXT_REQUEST);
      HttpRequest request = parser.feed(next).request();
      assertNotNull(request, "an idle parser did not read a complete request");
      assertEquals("/next", request.target());
      assertFalse(next.hasRemaining());
    } catch (HttpParseException e) {
      fail("an idle parser refused a valid request: " + e.status() + " " + e.getMessage());
    }
    outcomes.add("idle");
    return outcomes;
  }

  private static void checkRequest(HttpRequest r, HttpLimits limits) {
    assertNotNull(r.method());
    assertNotNull(r.target());
    assertNotNull(r.version());
    assertNotNull(r.headers());
    assertNotNull(r.body());
    assertFalse(r.method().isEmpty(), "empty method");
    assertTrue(r.version().equals("HTTP/1.1") || r.version().equals("HTTP/1.0"), r.version());
    assertTrue(r.target().startsWith("/") || r.target().equals("*"), r.target());
    assertTrue(r.target().length() <= limits.maxRequestLineBytes(), "target longer than the request line limit");
    assertEquals(r.target(), r.rawQuery() == null ? r.path() : r.path() + "?" + r.rawQuery());
    assertTrue(r.body().length <= limits.maxBodyBytes(), "body of " + r.body().length + " bytes");
    HttpHeaders h = r.headers();
    assertTrue(h.size() <= limits.maxHeaderCount(), h.size() + " headers");
    for (int i = 0; i < h.size(); i++) {
      assertFalse(h.name(i).isEmpty(), "empty header name");
      for (char c : h.value(i).toCharArray()) {
        // RFC 9110 §5.5: a CR, LF or NUL in a value would let a reflected header split a response.
        assertTrue(c != '\r' && c != '\n' && c != 0, "control character in header value");
      }
    }
  }

  /** Retained buffers stay within the limits and within about twice what actually arrived. */
  private static void checkRetained(HttpRequestParser parser, HttpLimits limits, long fed) {
    long chunkLine = 1024; // the parser's fixed chunk-size/trailer line buffer
    long head = limits.maxHeaderBytes() + 2L;
    long body = Math.min(limits.maxBodyBytes(), 8192 + 2 * fed);
    long bound = Math.max(chunkLine, Math.max(head, body));
    int largest = Memory.largestBuffer(parser);
    assertTrue(largest <= bound, "parser holds a " + largest + "-byte buffer after " + fed + " bytes");
  }

  private static String describe(HttpRequest r) {
    return r.method() + " " + r.target() + " " + r.version() + " "
        + r.headers().toString().replace("\n", "|") + " body=" + HEX.formatHex(r.body());
  }
}
