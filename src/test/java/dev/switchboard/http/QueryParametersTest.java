package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class QueryParametersTest {

  static Stream<Arguments> validQueries() {
    return Stream.of(
        // engine.io-protocol §Transports › HTTP long-polling: the handshake query.
        Arguments.of("engine.io handshake", "EIO=4&transport=polling&t=N8hyd6w",
            List.of("EIO=4", "transport=polling", "t=N8hyd6w")),
        Arguments.of("repeated name keeps every value in order", "sid=A&x=1&sid=B", List.of("sid=A", "x=1", "sid=B")),
        // WHATWG URL §5.1: no "=" means an empty value; the name may be empty.
        Arguments.of("name without =", "a", List.of("a=")),
        Arguments.of("name with empty value", "a=", List.of("a=")),
        Arguments.of("empty name", "=x", List.of("=x")),
        Arguments.of("empty pairs are skipped", "&a=1&&b=2&", List.of("a=1", "b=2")),
        Arguments.of("only separators", "&&&", List.of()),
        Arguments.of("value keeps later =", "a=1=2", List.of("a=1=2")),
        // hostile-inputs.md#A10: "+" and "%20" are both a space.
        Arguments.of("plus and %20 decode to space", "q=a+b%20c", List.of("q=a b c")),
        Arguments.of("%2B is a plus", "q=%2B1", List.of("q=+1")),
        Arguments.of("names are decoded", "%61+b=1", List.of("a b=1")),
        Arguments.of("two-byte UTF-8", "n=caf%C3%A9", List.of("n=caf\u00e9")),
        Arguments.of("lower-case hex", "n=%e2%82%ac", List.of("n=\u20ac")),
        Arguments.of("four-byte UTF-8", "e=%F0%9F%98%80", List.of("e=\uD83D\uDE00")),
        Arguments.of("encoded separators stay data", "a=%26%3D", List.of("a=&=")),
        Arguments.of("NUL is data", "a=%00", List.of("a=\u0000")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validQueries")
  void decodesPairsInOrder(String name, String raw, List<String> expected) throws Exception {
    QueryParameters q = QueryParameters.parse(raw);
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < q.size(); i++) pairs.add(q.name(i) + "=" + q.value(i));
    assertEquals(expected, pairs);
  }

  static Stream<Arguments> malformedQueries() {
    // hostile-inputs.md#A10: broken percent-encoding and non-UTF-8 bytes answer 400, never 500.
    return Stream.of(
        Arguments.of("non-hex escape", "a=%zz"),
        Arguments.of("escape with one digit", "a=%4"),
        Arguments.of("lone percent", "a=%"),
        Arguments.of("percent at the end of a name", "a%=1"),
        Arguments.of("%u escape", "a=%u0041"),
        Arguments.of("broken escape in a name", "%zz=1"),
        Arguments.of("overlong slash", "a=%C0%AF"),
        Arguments.of("surrogate", "a=%ED%A0%80"),
        Arguments.of("above U+10FFFF", "a=%F4%90%80%80"),
        Arguments.of("truncated sequence", "a=%C3"),
        Arguments.of("stray continuation byte", "a=%80"),
        Arguments.of("Latin-1 byte", "a=%E9"),
        Arguments.of("raw non-ASCII char", "a=\u00e9"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedQueries")
  void rejectsMalformedEncodingWith400(String name, String raw) {
    HttpParseException e = assertThrows(HttpParseException.class, () -> QueryParameters.parse(raw));
    assertEquals(400, e.status());
    assertEquals("Malformed query string", e.getMessage());
  }

  @Test
  void looksUpFirstAllHasAndCount() throws Exception {
    QueryParameters q = QueryParameters.parse("sid=A&EIO=4&sid=B&empty");
    assertEquals("A", q.first("sid"));
    assertEquals(List.of("A", "B"), q.all("sid"));
    assertEquals(2, q.count("sid"));
    assertTrue(q.has("empty"));
    assertEquals("", q.first("empty"));
    assertFalse(q.has("eio"));
    assertNull(q.first("eio"));
    assertEquals(List.of(), q.all("eio"));
    assertEquals(0, q.count("eio"));
  }

  @Test
  void treatsNullAndEmptyAsNoParameters() throws Exception {
    assertEquals(0, QueryParameters.parse(null).size());
    assertEquals(0, QueryParameters.parse("").size());
    assertFalse(QueryParameters.parse(null).has("EIO"));
  }

  @Test
  void acceptsSixtyFourParametersAndRejectsSixtyFive() throws Exception {
    StringBuilder raw = new StringBuilder();
    for (int i = 0; i < 64; i++) raw.append("p").append(i).append("=").append(i).append("&&");
    assertEquals(64, QueryParameters.parse(raw.toString()).size());
    HttpParseException e = assertThrows(HttpParseException.class, () -> QueryParameters.parse(raw + "x=1"));
    assertEquals(400, e.status());
    assertEquals("Too many query parameters", e.getMessage());
  }
}
