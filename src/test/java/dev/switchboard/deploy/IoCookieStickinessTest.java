package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.SessionCookie;
import dev.switchboard.testing.HaproxyServer;
import dev.switchboard.testing.HaproxyServer.Stickiness;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.LocalResources;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Socket.IO documentation's own HAProxy example, {@code cookie io prefix indirect nocache},
 * against nodes with Engine.IO's session cookie on ({@code EngineIoOptions.cookie}, Node's
 * {@code cookie: true}): HAProxy prefixes the node's name to the {@code io=<sid>} cookie the node
 * sets at the handshake, routes every later request of the session by it and strips the prefix
 * on the way in. Two nodes without a shared adapter, so a request that reached the wrong node would
 * get "Session ID unknown".
 */
class IoCookieStickinessTest {
  private static final String HANDSHAKE = "/socket.io/?EIO=4&transport=polling";
  private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
  private static final Pattern IO_COOKIE = Pattern.compile("io=(node[12])~([^;]+);.*");

  private static TestNode node1;
  private static TestNode node2;
  private static HaproxyServer proxy;

  @BeforeAll
  static void start() throws IOException {
    node1 = TestNode.start("node1", SessionCookie.DEFAULT);
    node2 = TestNode.start("node2", SessionCookie.DEFAULT);
    proxy = HaproxyServer.start(List.of(node1.port(), node2.port()), Stickiness.IO_PREFIX);
  }

  @AfterAll
  static void stop() {
    LocalResources.closeAll(proxy, node1, node2);
  }

  @Test
  void everyRequestOfASessionReachesTheNodeNamedInItsPrefixedCookie() throws IOException {
    Set<String> nodes = new HashSet<>();
    for (int session = 0; session < 4; session++) {
      RawHttpClient.Response handshake = RawHttpClient.request(proxy.port(), "GET", HANDSHAKE, null);
      assertEquals(200, handshake.status(), handshake.bodyText());
      Matcher sid = SID.matcher(handshake.bodyText());
      assertTrue(sid.find(), handshake.bodyText());
      String setCookie = handshake.header("Set-Cookie");
      assertNotNull(setCookie, "the node's io cookie, prefixed by HAProxy: " + handshake.headers());
      Matcher c = IO_COOKIE.matcher(setCookie);
      assertTrue(c.matches(), setCookie);
      assertEquals(sid.group(1), c.group(2), "the cookie carries the session's id");
      String node = c.group(1);
      nodes.add(node);
      String cookie = "io=" + node + "~" + c.group(2);
      String target = HANDSHAKE + "&sid=" + sid.group(1);
      // CONNECT, then several polls: round robin alone would send every other one to the other node
      assertEquals(200, RawHttpClient.request(proxy.port(), "POST", target, "40", "Cookie", cookie).status());
      RawHttpClient.Response connected = RawHttpClient.request(proxy.port(), "GET", target, null, "Cookie", cookie);
      assertEquals(200, connected.status(), connected.bodyText());
      assertTrue(connected.bodyText().startsWith("40{\"sid\""), connected.bodyText());
      for (int i = 0; i < 4; i++) {
        assertEquals(200, RawHttpClient.request(proxy.port(), "POST", target, "3", "Cookie", cookie).status(),
            "request " + i + " of a session on " + node);
      }
    }
    assertEquals(Set.of("node1", "node2"), nodes, "new sessions are still spread over the nodes");
  }
}
