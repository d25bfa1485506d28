package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.TrustedProxies;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.LogLines;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.SocketIoTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue #14 against the chat server as started from the command line, scaled down,
 * each answered by its limit while a well-behaved client (from another loopback address where the
 * limit is per address) is served, and each counted in {@code /metrics}.
 */
class LimitsChatServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
  @TempDir Path dir;
  private final FakeScheduler clock = new FakeScheduler();
  private ChatServer server;

  /** Refusals and throttled logins are logged here on purpose; captured to keep the build output quiet. */
  private final LogLines expected = LogLines.of("dev.switchboard.net.NetServer", "dev.switchboard.auth.Authenticator",
      "dev.switchboard.engineio.EngineIoServer");

  @AfterEach
  void stop() {
    expected.close();
    if (server != null) server.close();
  }

  private ChatServer start(LimitsConfig limits) throws Exception {
    server = ChatServer.start(ServerConfig.forTests(dir).withLimits(limits), clock);
    return server;
  }

  private static LimitsConfig limits(int unconnected, int failedConnects) {
    LimitsConfig d = LimitsConfig.CHAT_DEFAULTS;
    return new LimitsConfig(d.maxConnectionsPerAddress(), d.maxNewConnectionsPerSecond(), unconnected,
        TrustedProxies.NONE, failedConnects);
  }

  private String metrics() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** An Engine.IO polling request from {@code local}, on a connection of its own. */
  private RawHttpClient.Response polling(String local, String method, String query, String body) throws Exception {
    try (RawHttpClient c = new RawHttpClient(server.port(), local)) {
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      c.send(method + " /socket.io/?EIO=4&transport=polling" + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
          + (body == null ? "" : "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + b.length + "\r\n") + "\r\n");
      c.send(b);
      return c.readResponse();
    }
  }

  private String handshake(String local) throws Exception {
    RawHttpClient.Response r = polling(local, "GET", "", null);
    if (r.status() != 200) return null;
    Matcher m = SID.matcher(r.bodyText());
    assertTrue(m.find(), r.bodyText());
    return m.group(1);
  }

  /** Handshakes from {@code local} and joins "/" with {@code token}; true when the CONNECT was accepted. */
  private boolean joins(String local, String token) throws Exception {
    String sid = handshake(local);
    assertEquals(200, polling(local, "POST", "&sid=" + sid, "40" + StorageWiringTest.auth(token)).status());
    return polling(local, "GET", "&sid=" + sid, null).bodyText().startsWith("40{\"sid\"");
  }

  @Test
  void requestsRefusedWithAnEngineIoErrorAreCountedByError() throws Exception {
    start(LimitsConfig.CHAT_DEFAULTS);
    assertTrue(metrics().contains("switchboard_engineio_errors_total{error=\"session_id_unknown\"} 0"), metrics());
    // what a load balancer without sticky sessions causes: polls for a session another node holds
    for (int i = 0; i < 3; i++) {
      assertEquals(400, polling("127.0.0.1", "GET", "&sid=held-by-another-node", null).status());
    }
    try (RawHttpClient c = new RawHttpClient(server.port(), "127.0.0.1")) {
      c.send("GET /socket.io/?EIO=4&transport=smoke-signals HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertEquals(400, c.readResponse().status());
    }
    String m = metrics();
    assertTrue(m.contains("switchboard_engineio_errors_total{error=\"session_id_unknown\"} 3"), m);
    assertTrue(m.contains("switchboard_engineio_errors_total{error=\"transport_unknown\"} 1"), m);
    assertTrue(m.contains("switchboard_engineio_errors_total{error=\"forbidden\"} 0"), m);
  }

  @Test
  void sessionsThatNeverConnectAreCappedPerAddress() throws Exception {
    start(limits(10, 5));
    String token = StorageWiringTest.register(server, "alice");
    try (LogLines log = LogLines.of("dev.switchboard.engineio.EngineIoServer")) {
      // The 600 sessions that never CONNECT, scaled down: 60 against a cap of 10.
      int opened = 0;
      int refused = 0;
      for (int i = 0; i < 60; i++) {
        RawHttpClient.Response r = polling("127.0.0.1", "GET", "", null);
        if (r.status() == 200) opened++;
        if (r.status() == 503) {
          refused++;
          assertEquals("{\"code\":3,\"message\":\"Too many sessions from this address\"}", r.bodyText());
        }
      }
      assertEquals(10, opened);
      assertEquals(50, refused);
      // A client from another address connects during the attack.
      assertTrue(joins("127.0.0.2", token));
      assertEquals(1, log.count(Level.INFO, "handshake refused (unconnected_sessions_per_address): 127.0.0.1"));
    }
    // A session that joined a namespace no longer counts: one joined and ten bare ones fit the cap.
    assertTrue(joins("127.0.0.3", token));
    for (int i = 0; i < 10; i++) assertTrue(handshake("127.0.0.3") != null, "bare session " + i);
    assertEquals(null, handshake("127.0.0.3"));
    assertTrue(metrics().contains("switchboard_limit_refusals_total{reason=\"unconnected_sessions_per_address\"} 51"));
  }

  @Test
  void aMegabyteDeclaredOnTheLoginIs413AtOnceWhileLoginsGoOn() throws Exception {
    // The default 200 new connections per second per address would refuse part of this burst
    // from one address before the body limit is reached; the body limit is what is under test.
    LimitsConfig d = LimitsConfig.CHAT_DEFAULTS;
    start(new LimitsConfig(d.maxConnectionsPerAddress(), 0, d.maxUnconnectedSessionsPerAddress(), TrustedProxies.NONE,
        d.maxFailedConnects()));
    StorageWiringTest.register(server, "alice");
    List<RawHttpClient> attack = new ArrayList<>();
    try {
      // The attack: connections each declaring 1 MB on /auth/login (200 of them).
      for (int i = 0; i < 200; i++) {
        RawHttpClient c = new RawHttpClient(server.port());
        attack.add(c);
        c.send("POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
            + "{\"username\":\"" + "a".repeat(8000));
      }
      for (RawHttpClient c : attack) assertEquals(413, c.readResponse().status());
      assertEquals(200, StorageWiringTest.post(server, "/auth/login", StorageWiringTest.credentials("alice")).statusCode());
      assertTrue(metrics().contains("switchboard_limit_refusals_total{reason=\"body_too_large\"} 200"));
      assertTrue(metrics().contains("switchboard_request_body_buffered_bytes 0"));
    } finally {
      for (RawHttpClient c : attack) c.close();
    }
  }

  @Test
  void twoThousandThrottledLoginsWriteAHandfulOfLines() throws Exception {
    start(LimitsConfig.CHAT_DEFAULTS);
    StorageWiringTest.register(server, "alice");
    String wrong = "{\"username\":\"alice\",\"password\":\"wrong horse\"}";
    int throttled = 0;
    byte[] request = ("POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + wrong.length() + "\r\n\r\n" + wrong).getBytes(StandardCharsets.UTF_8);
    try (LogLines log = LogLines.of("dev.switchboard.auth.Authenticator");
        RawHttpClient c = new RawHttpClient(server.port())) {
      // As the 2 000 requests in 0.7 s: pipelined on one keep-alive connection, 100 at a time.
      for (int batch = 0; batch < 20; batch++) {
        int n = batch == 0 ? 105 : 100;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < n; i++) out.write(request);
        c.send(out.toByteArray());
        for (int i = 0; i < n; i++) if (c.readResponse().status() == 429) throttled++;
      }
      assertEquals(2000, throttled);
      List<String> lines = log.lines().stream().filter(l -> l.contains("login throttled")).toList();
      assertEquals(1, lines.size(), lines.toString()); // the application clock stands still here
      assertTrue(lines.get(0).startsWith("WARNING dev.switchboard.auth.Authenticator: login throttled for an account from 127.0.0.1"));
      // Time passes: the next line says how many were left out.
      clock.advanceBy(Duration.ofSeconds(11));
      assertEquals(429, StorageWiringTest.post(server, "/auth/login", wrong).statusCode());
      assertEquals(1, log.count(Level.WARNING, "(1999 more since the last line)"), log.lines().toString());
    }
    assertTrue(metrics().contains("switchboard_client_events_total{kind=\"login_throttled\"}"));
  }

  @Test
  void behindATrustedProxyTheLoginThrottleCountsTheClientItNames() throws Exception {
    LimitsConfig d = LimitsConfig.CHAT_DEFAULTS;
    start(new LimitsConfig(d.maxConnectionsPerAddress(), d.maxNewConnectionsPerSecond(),
        d.maxUnconnectedSessionsPerAddress(), TrustedProxies.parse("127.0.0.1"), d.maxFailedConnects()));
    StorageWiringTest.register(server, "alice");
    StorageWiringTest.register(server, "bob");
    String guesser = "198.51.100.1";
    // The per-address limit is 10 x the per-account one (50): a guesser spraying many names.
    for (int i = 0; i < 50; i++) {
      String wrong = "{\"username\":\"nobody" + i + "\",\"password\":\"wrong horse\"}";
      assertEquals(401, StorageWiringTest.post(server, "/auth/login", wrong, "X-Forwarded-For", guesser).statusCode());
    }
    // The guesser's address is blocked, for bob's account too (the per-address limit)…
    assertEquals(429, StorageWiringTest.post(server, "/auth/login", StorageWiringTest.credentials("bob"),
        "X-Forwarded-For", guesser).statusCode());
    // …but another client behind the same proxy is not: the proxy's own address is not the key.
    assertEquals(200, StorageWiringTest.post(server, "/auth/login", StorageWiringTest.credentials("bob"),
        "X-Forwarded-For", "203.0.113.8, " + "127.0.0.1").statusCode());
  }

  @Test
  void refusedConnectsPastTheCapCloseTheConnectionAndAreCounted() throws Exception {
    start(limits(50, 2));
    try (SocketIoTestClient c = SocketIoTestClient.open(server.port())) {
      assertEquals(SocketIoTestClient.CONNECT_ERROR, c.sendConnect("{\"token\":\"nope\"}").type());
      assertEquals(SocketIoTestClient.CONNECT_ERROR, c.sendConnect("{\"token\":\"nope\"}").type());
      c.send("0{\"token\":\"nope\"}");
      c.awaitDisconnect();
    }
    String token = StorageWiringTest.register(server, "alice");
    try (SocketIoTestClient ok = SocketIoTestClient.connect(server.port(), StorageWiringTest.auth(token))) {
      Await.until("counted", () -> {
        try {
          return metrics().contains("switchboard_socketio_connections_closed_total{cause=\"too_many_failed_connects\"} 1");
        } catch (Exception e) {
          return false;
        }
      });
    }
  }
}
