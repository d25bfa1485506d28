package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.HaproxyServer;
import dev.switchboard.testing.HaproxyServer.Stickiness;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.LocalResources;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sticky sessions through a real HAProxy running {@code deploy/haproxy.cfg} (issue #10): two
 * Switchboard nodes without a shared adapter, each answering {@code whoami} with its own id, behind
 * the shipped configuration and behind the same configuration without its cookie lines. Raw HTTP
 * and WebSocket checks show what the proxy does to each request; the official socket.io-client
 * ({@code conformance/deploy/sticky-clients.mjs}, skipped with {@code -Dconformance.skip=true}
 * like the other Node scenarios) shows what a real client gets.
 */
class StickySessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HANDSHAKE = "/socket.io/?EIO=4&transport=polling";
  private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
  private static final Pattern SERVERID = Pattern.compile("SERVERID=(node[12])(;.*)?");

  private static TestNode node1;
  private static TestNode node2;
  private static HaproxyServer sticky;
  private static HaproxyServer noCookie;

  @BeforeAll
  static void start() throws IOException {
    node1 = TestNode.start("node1");
    node2 = TestNode.start("node2");
    List<Integer> ports = List.of(node1.port(), node2.port());
    sticky = HaproxyServer.start(ports);
    noCookie = HaproxyServer.start(ports, Stickiness.NONE);
  }

  @AfterAll
  static void stop() {
    LocalResources.closeAll(sticky, noCookie, node1, node2);
  }

  // ------------------------------------------------------------------ raw requests

  @Test
  void theHandshakeResponseSetsTheCookieAndTheNodeNeverSeesIt() throws IOException {
    RawHttpClient.Response handshake = RawHttpClient.request(sticky.port(), "GET", HANDSHAKE, null);
    assertEquals(200, handshake.status(), handshake.bodyText());
    String setCookie = handshake.header("Set-Cookie");
    assertNotNull(setCookie, "the handshake response must set the persistence cookie: " + handshake.headers());
    Matcher m = SERVERID.matcher(setCookie);
    assertTrue(m.matches(), setCookie);
    assertTrue(setCookie.contains("HttpOnly"), "httponly: " + setCookie);
    assertTrue(setCookie.contains("path=/"), "for every path: " + setCookie);
    // nocache: a response that sets the cookie must not be stored by a shared cache.
    String cacheControl = String.valueOf(handshake.header("Cache-Control"));
    assertTrue(cacheControl.contains("private") || cacheControl.contains("no-store"), cacheControl);

    // indirect: a request with the cookie reaches its node without it and gets no new one.
    for (TestNode node : List.of(node1, node2)) {
      RawHttpClient.Response r = RawHttpClient.request(sticky.port(), "GET", "/whoami", null,
          "Cookie", "theme=dark; SERVERID=" + node.id());
      assertEquals(200, r.status());
      assertNull(r.header("Set-Cookie"), "a client that has a valid cookie gets no new one");
      List<String> seen = r.bodyText().lines().toList();
      assertEquals(node.id(), seen.get(0), "the cookie names the node that answers");
      assertEquals("theme=dark", seen.get(1), "the node sees the application's cookies, not the proxy's");
      assertEquals("127.0.0.1", seen.get(2), "X-Forwarded-For names the client");
    }
  }

  @Test
  void withTheCookieEveryRequestOfAPollingSessionReachesItsNode() throws IOException {
    RawHttpClient.Response handshake = RawHttpClient.request(sticky.port(), "GET", HANDSHAKE, null);
    String cookie = handshake.header("Set-Cookie").split(";")[0];
    TestNode home = cookie.endsWith("node1") ? node1 : node2;
    TestNode other = home == node1 ? node2 : node1;
    String session = HANDSHAKE + "&sid=" + sid(handshake);

    // engine.io-protocol §Transports › HTTP long-polling: send with POST, receive with GET.
    RawHttpClient.Response connect = RawHttpClient.request(sticky.port(), "POST", session, "40", "Cookie", cookie);
    assertEquals(200, connect.status(), connect.bodyText());
    RawHttpClient.Response poll = RawHttpClient.request(sticky.port(), "GET", session, null, "Cookie", cookie);
    assertEquals(200, poll.status(), poll.bodyText());
    Matcher socketId = SID.matcher(poll.bodyText());
    assertTrue(poll.bodyText().startsWith("40") && socketId.find(), "CONNECT answer: " + poll.bodyText());
    assertTrue(home.hasSocket(socketId.group(1)), "the socket lives on the node that made the handshake");
    assertFalse(other.hasSocket(socketId.group(1)));
  }

  @Test
  void withoutTheCookieTheNextRequestReachesANodeThatDoesNotKnowTheSession() throws IOException {
    RawHttpClient.Response handshake = RawHttpClient.request(noCookie.port(), "GET", HANDSHAKE, null);
    assertEquals(200, handshake.status(), handshake.bodyText());
    assertNull(handshake.header("Set-Cookie"), "this proxy has no persistence cookie");
    // Round robin: the very next request goes to the other node, which never saw the handshake
    // (engine.io-protocol §HTTP error codes: 400, code 1).
    RawHttpClient.Response poll = RawHttpClient.request(noCookie.port(), "POST",
        HANDSHAKE + "&sid=" + sid(handshake), "40");
    assertEquals(400, poll.status());
    assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", poll.bodyText());
  }

  @Test
  void aWebSocketUpgradeIsForwardedAndPinnedByTheCookie() throws IOException {
    for (TestNode node : List.of(node1, node2, node1)) {
      try (RawWebSocketClient ws = RawWebSocketClient.open(sticky.port(), "/socket.io/?EIO=4&transport=websocket",
          null, "Cookie", "SERVERID=" + node.id())) {
        // RFC 6455 §4.2.2: the node saw Upgrade/Connection (it refuses the upgrade otherwise) and
        // its 101 came back through the proxy with them.
        assertEquals(101, ws.handshake.status(), ws.handshake.headers().toString());
        assertEquals("websocket", ws.handshake.header("Upgrade").toLowerCase());
        assertEquals("upgrade", ws.handshake.header("Connection").toLowerCase());
        assertNotNull(ws.handshake.header("Sec-WebSocket-Accept"));
        assertTrue(readSkippingPings(ws).startsWith("0{\"sid\""), "Engine.IO open packet");
        ws.sendText("40");
        assertTrue(readSkippingPings(ws).startsWith("40{"), "Socket.IO CONNECT answer");
        ws.sendText("421[\"whoami\"]");
        JsonNode answer = JSON.readTree(readSkippingPings(ws).substring("431".length()));
        assertEquals(node.id(), answer.get(0).path("id").asText(), "the cookie chose the node");
      }
    }
  }

  @Test
  void theProxyChecksEachNodeWithGetHealthz() {
    // default-server check inter 2s: each proxy checks each node every 2 s, the first check at a
    // random moment within the first interval.
    Await.until("a health check on both nodes", Duration.ofSeconds(10),
        () -> node1.healthChecks() > 0 && node2.healthChecks() > 0);
  }

  // ------------------------------------------------------------------ the official client

  @Test
  void aPollingClientTalksToOneNodeForItsWholeSession() throws Exception {
    assumeNodeScenarios();
    try (StickyClients run = StickyClients.start(sticky.url(), "polling-session", 6)) {
      JsonNode r = run.result();
      assertEquals("[]", r.path("problems").toString(), "the session ran without an error");
      assertEquals("polling", r.path("transport").asText());
      assertEquals(6, r.path("pings").asInt(), "six long-poll cycles");
      Set<String> nodes = new HashSet<>();
      r.path("answers").forEach(a -> nodes.add(a.asText()));
      assertEquals(7, r.path("answers").size());
      assertEquals(1, nodes.size(), "every whoami answered by one node: " + r.path("answers"));
      TestNode home = node(nodes.iterator().next());
      assertTrue(home.hasSocket(r.path("sid").asText()), "the socket is on the node that answered");
      assertFalse(other(home).hasSocket(r.path("sid").asText()));
    }
  }

  @Test
  void withoutTheCookieThePollingClientCannotKeepASession() throws Exception {
    assumeNodeScenarios();
    try (StickyClients run = StickyClients.start(noCookie.url(), "no-cookie")) {
      JsonNode r = run.result();
      assertFalse(r.path("connected").asBoolean(), "connected without stickiness? " + r);
      // The request after the handshake reached the other node, which answered 400 (Session ID
      // unknown): engine.io-client reports a transport error ("xhr poll error" or "xhr post
      // error", whichever request went there first) carrying that status.
      assertFalse(r.path("events").isEmpty(), r.toString());
      for (JsonNode event : r.path("events")) assertEquals("400", event.path(2).asText(), r.toString());
    }
  }

  @Test
  void aPollingToWebSocketUpgradeThroughTheProxyStaysOnTheSameNode() throws Exception {
    assumeNodeScenarios();
    try (StickyClients run = StickyClients.start(sticky.url(), "upgrade")) {
      JsonNode r = run.result();
      assertEquals("[]", r.path("problems").toString());
      assertEquals("polling", r.path("opened").asText(), "the session opens on polling");
      assertEquals("websocket", r.path("after").path("transport").asText(), "and upgrades through the proxy");
      // The socket was made over polling on the handshake's node; the upgrade request reached the
      // same node (another would have refused its sid and left the client on polling).
      String node = r.path("after").path("node").asText();
      assertTrue(node(node).hasSocket(r.path("sid").asText()), "the socket is on the node that answers: " + r);
      assertFalse(other(node(node)).hasSocket(r.path("sid").asText()));
      assertEquals(node, r.path("first").path("node").asText(), "before and after the upgrade: " + r);
    }
  }

  @Test
  void newClientsAreSpreadOverBothNodesInTurn() throws Exception {
    assumeNodeScenarios();
    try (StickyClients run = StickyClients.start(sticky.url(), "spread", 4)) {
      JsonNode r = run.result();
      assertEquals("[]", r.path("problems").toString());
      Map<String, Integer> perNode = new TreeMap<>();
      for (JsonNode c : r.path("clients")) {
        String node = c.path("node").asText();
        perNode.merge(node, 1, Integer::sum);
        assertTrue(node(node).hasSocket(c.path("sid").asText()), "client " + c + " is on the node it names");
      }
      // Round robin hands out new sessions in turn; the cookie only decides later requests.
      assertEquals(Map.of("node1", 2, "node2", 2), perNode, r.toString());
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void assumeNodeScenarios() {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
  }

  private static String sid(RawHttpClient.Response handshake) {
    Matcher m = SID.matcher(handshake.bodyText());
    assertTrue(handshake.bodyText().startsWith("0") && m.find(), "Engine.IO open packet: " + handshake.bodyText());
    return m.group(1);
  }

  /** The next text message that is not an Engine.IO ping (answered, engine.io-protocol §Heartbeat). */
  private static String readSkippingPings(RawWebSocketClient ws) throws IOException {
    while (true) {
      String text = ws.readText();
      if (!text.equals("2")) return text;
      ws.sendText("3");
    }
  }

  private static TestNode node(String id) {
    return switch (id) {
      case "node1" -> node1;
      case "node2" -> node2;
      default -> throw new AssertionError("no node " + id);
    };
  }

  private static TestNode other(TestNode node) {
    return node == node1 ? node2 : node1;
  }
}
