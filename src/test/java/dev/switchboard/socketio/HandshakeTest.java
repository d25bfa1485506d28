package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.net.InetSocketAddress;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Handshake} as a value: the public constructor (for applications and tests that build one),
 * values derived from the connection, query parsing, equality.
 */
class HandshakeTest {
  private static final JsonNode AUTH = new ObjectMapper().createObjectNode().put("token", "t");

  /** HttpHeaders compare by identity, so equal handshakes share one instance. */
  private static final HttpHeaders HEADERS = HttpHeaders.of("Host", "example");

  private static Handshake built(String address) {
    return new Handshake(HEADERS, "then", address, true, true, 1234L,
        "/socket.io/?EIO=4&x=1", Map.of("given", "yes"), AUTH);
  }

  @Test
  void thePublicConstructorKeepsEveryValueAsGiven() {
    Handshake h = built("10.0.0.1");
    assertEquals("example", h.headers().first("host"));
    assertEquals("then", h.time());
    assertEquals("10.0.0.1", h.address());
    assertTrue(h.xdomain());
    assertTrue(h.secure());
    assertEquals(1234L, h.issued());
    assertEquals("/socket.io/?EIO=4&x=1", h.url());
    assertEquals(Map.of("given", "yes"), h.query(), "a given query is not re-parsed from the url");
    assertEquals(AUTH, h.auth());
  }

  @Test
  void aHandshakeWithoutAGivenQueryParsesTheUrlTakingTheFirstValueOfEachName() {
    Handshake h = new Handshake(HttpHeaders.of(), "t", "a", false, false, 0, "/p?a=1&b=hello%20world&a=2&flag",
        null, AUTH);
    assertEquals(Map.of("a", "1", "b", "hello world", "flag", ""), h.query());
    assertEquals(Map.of(), new Handshake(HttpHeaders.of(), "t", "a", false, false, 0, "/p", null, AUTH).query());
    assertEquals(Map.of(), new Handshake(HttpHeaders.of(), "t", "a", false, false, 0, null, null, AUTH).query());
  }

  @Test
  void equalHandshakesAreEqualAndHashAlike() {
    assertEquals(built("10.0.0.1"), built("10.0.0.1"));
    assertEquals(built("10.0.0.1").hashCode(), built("10.0.0.1").hashCode());
    assertNotEquals(built("10.0.0.1"), built("10.0.0.2"));
    assertTrue(built("10.0.0.1").toString().contains("address=10.0.0.1"));
  }

  @Test
  void aConnectionsHandshakeDerivesTimeAddressAndQueryWhenAsked() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      FakeEngineIoConnection c = sio.connect(new FakeEngineIoConnection(sio.nextConnectionId(), HttpHeaders.of(),
          "/socket.io/?EIO=4&transport=websocket", InetSocketAddress.createUnresolved("peer.example", 1), false));
      c.connectTo("/");
      Handshake h = sio.socket(c).handshake();
      assertEquals("", h.address(), "an address that was never resolved is unknown");
      assertEquals(new Date(h.issued()).toString(), h.time());
      assertEquals(Map.of("EIO", "4", "transport", "websocket"), h.query());
      assertFalse(h.xdomain());
    }
  }

  @Test
  void twoSocketsOfOneConnectionHaveEqualHandshakesButForTheirAuth() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      sio.io().of("/admin");
      FakeEngineIoConnection c = sio.connect();
      c.connectTo("/", "{\"token\":\"t\"}");
      c.connectTo("/admin", "{\"token\":\"t\"}");
      FakeEngineIoConnection other = sio.connect();
      other.connectTo("/", "{\"token\":\"u\"}");
      assertEquals(sio.socket(c).handshake(), sio.socket(c, "/admin").handshake());
      assertNotEquals(sio.socket(c).handshake(), sio.socket(other).handshake());
    }
  }

  // ------------------------------------------------------------------ as JSON, for other servers

  @Test
  void toJsonHasNodesShape() throws Exception {
    Handshake h = new Handshake(HttpHeaders.of("Host", "example", "Accept", "a", "accept", "b", "Set-Cookie", "x=1",
        "Set-Cookie", "y=2"), "then", "10.0.0.1", true, false, 1234L, "/socket.io/?EIO=4", Map.of("EIO", "4"), AUTH);
    assertEquals(new ObjectMapper().readTree("""
        {"headers":{"host":"example","accept":"a, b","set-cookie":["x=1","y=2"]},"time":"then","address":"10.0.0.1",
         "xdomain":true,"secure":false,"issued":1234,"url":"/socket.io/?EIO=4","query":{"EIO":"4"},"auth":{"token":"t"}}
        """).toString(), h.toJson().toString());
    h.toJson().with("auth").put("token", "changed");
    assertEquals(AUTH, h.auth(), "a new tree each call: the socket's auth is not changed through it");
  }

  @Test
  void fromJsonGivesBackWhatToJsonWrote() {
    Handshake h = new Handshake(HttpHeaders.of("Host", "example", "Set-Cookie", "x=1", "Set-Cookie", "y=2"), "then",
        "10.0.0.1", true, true, 1234L, "/socket.io/?EIO=4&t=x", Map.of("EIO", "4", "t", "x"), AUTH);
    Handshake back = Handshake.fromJson(h.toJson());
    assertEquals(h.toJson(), back.toJson());
    assertEquals("example", back.headers().first("Host"));
    assertEquals(java.util.List.of("x=1", "y=2"), back.headers().all("set-cookie"));
    assertEquals(1234L, back.issued());
    assertEquals(Map.of("EIO", "4", "t", "x"), back.query());
  }

  @Test
  void fromJsonTurnsWhatAPeerGotWrongIntoEmptyValues() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Handshake h = Handshake.fromJson(json.readTree("""
        {"headers":{"a":{"nested":1},"b":[1,"two"],"c":7},"time":{"x":1},"address":null,"xdomain":"yes",
         "issued":"soon","url":[1],"query":{"q":["first","second"],"o":{}},"auth":"not an object"}
        """));
    assertEquals(java.util.List.of("1", "two"), h.headers().all("b"));
    assertEquals("7", h.headers().first("c"));
    assertEquals(null, h.headers().first("a"));
    assertEquals("", h.time());
    assertEquals("", h.url());
    assertFalse(h.xdomain());
    assertEquals(0L, h.issued());
    assertEquals(Map.of("q", "first"), h.query());
    assertEquals(json.createObjectNode(), h.auth());
    Handshake empty = Handshake.fromJson(json.readTree("42"));
    assertEquals("", empty.address());
    assertEquals(0, empty.headers().size());
  }
}
