package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RawWebSocketClient;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CORS and Origin checks (hostile-inputs.md#A5, hostile-inputs.md#A35, hostile-inputs.md#C78), hostile-inputs.md#B65 and the session cap (hostile-inputs.md#C80). */
class EngineIoCorsTest {
  private static final String GOOD = "https://chat.example";
  private EngineIoTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new EngineIoTestServer(EngineIoOptions.builder().path(EngineIoTestServer.PATH)
        .allowedOrigins(Set.of(GOOD)).maxSessions(3).build(),
        NetOptions.builder().host("127.0.0.1").port(0).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawHttpClient.Response get(String query, String... headers) throws Exception {
    return RawHttpClient.request(server.port(), "GET", EngineIoTestServer.PATH + "?" + query, null, headers);
  }

  @Test
  void preflightFromAnAllowedOriginGetsPermissions() throws Exception {
    RawHttpClient.Response r = RawHttpClient.request(server.port(), "OPTIONS",
        EngineIoTestServer.PATH + "?EIO=4&transport=polling", null,
        "Origin", GOOD, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
    assertEquals(204, r.status());
    assertEquals(GOOD, r.header("Access-Control-Allow-Origin"));
    assertEquals("Origin", r.header("Vary"));
    assertTrue(r.header("Access-Control-Allow-Methods").contains("POST"));
    assertEquals(0, server.sessions(), "a preflight opens no session");
  }

  @Test
  void preflightFromAnotherOriginGetsNoPermission() throws Exception {
    // hostile-inputs.md#A5
    RawHttpClient.Response r = RawHttpClient.request(server.port(), "OPTIONS",
        EngineIoTestServer.PATH + "?EIO=4&transport=polling", null,
        "Origin", "https://chat.example.evil.net", "Access-Control-Request-Method", "POST");
    assertEquals(204, r.status());
    assertNull(r.header("Access-Control-Allow-Origin"));
    assertEquals(0, server.sessions());
  }

  @Test
  void allowedOriginIsEchoedNeverStar() throws Exception {
    RawHttpClient.Response r = get("EIO=4&transport=polling", "Origin", GOOD);
    assertEquals(200, r.status());
    assertEquals(GOOD, r.header("Access-Control-Allow-Origin"));
    assertNull(r.header("Access-Control-Allow-Credentials"));
  }

  @Test
  void otherOriginsAreRefusedOnEveryRequest() throws Exception {
    // hostile-inputs.md#C78: suffix tricks, "null", and the sid-bearing requests too.
    for (String bad : new String[] {"https://evilchat.example", "https://chat.example.evil.net", "null",
        "http://chat.example", "https://chat.example:444"}) {
      RawHttpClient.Response r = get("EIO=4&transport=polling", "Origin", bad);
      assertEquals(403, r.status(), bad);
      assertEquals("{\"code\":4,\"message\":\"Forbidden\"}", r.bodyText());
    }
    String sid = server.handshake(); // no Origin: a non-browser client
    assertEquals(403, get(EngineIoTestServer.polling(sid), "Origin", "https://evil.example").status());
    try (RawWebSocketClient ws = RawWebSocketClientWithOrigin.open(server.port(),
        EngineIoTestServer.PATH + "?EIO=4&transport=websocket", "https://evil.example")) {
      assertEquals(403, ws.handshake.status());
    }
  }

  @Test
  void malformedOriginIsABadRequest() throws Exception {
    // hostile-inputs.md#A35 (CR/LF never reach us: the HTTP parser refuses them first)
    RawHttpClient.Response r = get("EIO=4&transport=polling", "Origin", "https://chat.example\u00e9");
    assertEquals(400, r.status());
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("GET " + EngineIoTestServer.PATH + "?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n"
          + "Origin: https://ok.example\rSet-Cookie: x=1\r\n\r\n");
      RawHttpClient.Response bad = c.readResponse();
      assertEquals(400, bad.status());
      assertNull(bad.header("Set-Cookie"));
    }
  }

  @Test
  void upgradeRequestWithPollingTransportIsRefused() throws Exception {
    // hostile-inputs.md#B65
    try (RawWebSocketClient ws = RawWebSocketClient.open(server.port(), EngineIoTestServer.PATH + "?EIO=4&transport=polling")) {
      assertEquals(400, ws.handshake.status());
    }
    assertEquals(0, server.sessions());
  }

  @Test
  void handshakesAboveTheSessionCapGet503() throws Exception {
    // hostile-inputs.md#C80
    for (int i = 0; i < 3; i++) server.handshake();
    RawHttpClient.Response r = get("EIO=4&transport=polling");
    assertEquals(503, r.status());
    assertEquals(3, server.sessions());
  }
}
