package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedStrings} on its own: bytes in, string out, equal strings one object. (Through the
 * parser: {@link HttpRequestParserTest#equalStringsAreSharedBetweenParsersAndDifferentOnesAreNot}.)
 */
class SharedStringsTest {

  /** The bytes of {@code s} inside a larger array, at an offset, as the parser's line holds them. */
  private static byte[] line(String s) {
    return ("xx" + s + "yy").getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void knownNamesAreOneConstantInTwoSpellingsAndCaseMatters() {
    SharedStrings a = new SharedStrings();
    SharedStrings b = new SharedStrings();
    SharedStrings.KnownName host = a.knownName(line("Host"), 2, 4);
    assertNotNull(host);
    assertEquals("Host", host.name());
    assertSame(host.name(), b.knownName(line("Host"), 2, 4).name(), "constants are shared by every table");
    assertEquals("sec-websocket-key", a.knownName(line("sec-websocket-key"), 2, 17).name());
    assertNull(a.knownName(line("HOST"), 2, 4), "only the two spellings are known");
    assertNull(a.knownName(line("X-Custom"), 2, 8));
    assertNull(a.knownName(line("X".repeat(100)), 2, 100), "longer than every known name");
  }

  @Test
  void anEqualValueOfASharedNameIsThePreviousStringAndADifferentOneReplacesIt() {
    SharedStrings table = new SharedStrings();
    SharedStrings.KnownName host = table.knownName(line("Host"), 2, 4);
    String first = table.value(host, line("127.0.0.1:3000"), 2, 14);
    assertEquals("127.0.0.1:3000", first);
    assertSame(first, table.value(host, line("127.0.0.1:3000"), 2, 14));
    String other = table.value(host, line("127.0.0.1:3001"), 2, 14);
    assertEquals("127.0.0.1:3001", other);
    assertSame(other, table.value(host, line("127.0.0.1:3001"), 2, 14), "the last value is the one kept");
    assertNotSame(first, table.value(host, line("127.0.0.1:3000"), 2, 14));
  }

  @Test
  void eachSpellingKeepsItsOwnLastValue() {
    SharedStrings table = new SharedStrings();
    SharedStrings.KnownName upper = table.knownName(line("Origin"), 2, 6);
    SharedStrings.KnownName lower = table.knownName(line("origin"), 2, 6);
    String a = table.value(upper, line("http://a"), 2, 8);
    String b = table.value(lower, line("http://b"), 2, 8);
    assertSame(a, table.value(upper, line("http://a"), 2, 8));
    assertSame(b, table.value(lower, line("http://b"), 2, 8));
  }

  @Test
  void secretsPerClientValuesAndUnknownNamesAreNeverShared() {
    SharedStrings table = new SharedStrings();
    for (String name : new String[] {"Sec-WebSocket-Key", "Cookie", "authorization", "X-Forwarded-For"}) {
      SharedStrings.KnownName known = table.knownName(line(name), 2, name.length());
      assertNotNull(known, name);
      String v1 = table.value(known, line("dGhlIHNhbXBsZSBub25jZQ=="), 2, 24);
      String v2 = table.value(known, line("dGhlIHNhbXBsZSBub25jZQ=="), 2, 24);
      assertEquals(v1, v2);
      assertNotSame(v1, v2, name);
    }
    assertNotSame(table.value(null, line("v"), 2, 1), table.value(null, line("v"), 2, 1));
  }

  @Test
  void valuesKeepEveryByteAsOneChar() {
    SharedStrings table = new SharedStrings();
    byte[] bytes = {'c', 'a', 'f', (byte) 0xe9, (byte) 0xff};
    assertEquals("caf\u00e9\u00ff", table.value(table.knownName(line("User-Agent"), 2, 10), bytes, 0, 5));
  }

  @Test
  void theTargetIsThePreviousOneWhenEqualAndMethodsAreConstants() {
    SharedStrings table = new SharedStrings();
    String t = table.target(line("/socket.io/?EIO=4&transport=websocket"), 2, 37);
    assertSame(t, table.target(line("/socket.io/?EIO=4&transport=websocket"), 2, 37));
    assertEquals("/other", table.target(line("/other"), 2, 6));
    assertSame("GET", table.method(line("GET"), 2, 3));
    assertSame("OPTIONS", table.method(line("OPTIONS"), 2, 7));
    assertEquals("M-SEARCH", table.method(line("M-SEARCH"), 2, 8));
  }
}
