package dev.switchboard.cli;

import static dev.switchboard.cli.StorageWiringTest.JSON;
import static dev.switchboard.cli.StorageWiringTest.auth;
import static dev.switchboard.cli.StorageWiringTest.credentials;
import static dev.switchboard.cli.StorageWiringTest.post;
import static dev.switchboard.cli.StorageWiringTest.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.LogLines;
import dev.switchboard.testing.PostgresServer;
import dev.switchboard.testing.RedisServer;
import dev.switchboard.testing.SocketIoTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two chat nodes (in this process) on one PostgreSQL and one Redis share revocations, the login
 * throttle and presence (issue #11, "Shared through Redis"; issue #13, throttling): what one node
 * does, a client on the other sees. Each test has its own database and its own Redis key prefix.
 */
class ClusterStateTest {
  static final Duration HEARTBEAT = Duration.ofMillis(400);
  static PostgresServer pg;
  static RedisServer redis;
  static int prefixes;
  @TempDir Path dir;
  private final FakeScheduler clock = new FakeScheduler();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ServerConfig config;
  private String databaseUrl;

  @BeforeAll
  static void startServers() throws Exception {
    pg = PostgresServer.create();
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopServers() {
    if (redis != null) redis.close();
    if (pg != null) pg.close();
  }

  @BeforeEach
  void newCluster() throws Exception {
    open.add(LogLines.of("dev.switchboard")); // sign-ups, keys and throttled logins: expected, kept out of the build's output
    ClusterConfig cluster = new ClusterConfig(redis.url(), ClusterConfig.AdapterKind.REDIS, "cs" + (++prefixes), null,
        HEARTBEAT);
    databaseUrl = pg.createDatabase();
    config = ServerConfig.forTests(dir).withDatabase(DatabaseUrl.parse(databaseUrl)).withCluster(cluster);
  }

  @org.junit.jupiter.api.AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  private ChatServer node() throws Exception {
    ChatServer s = ChatServer.start(config, clock);
    open.add(s);
    return s;
  }

  private SocketIoTestClient client(ChatServer node, String token) throws Exception {
    SocketIoTestClient c = SocketIoTestClient.connect(node.port(), auth(token));
    open.add(c);
    return c;
  }

  @Test
  void aLogoutOnOneNodeEndsTheSocketsOnTheOtherWithinASecond() throws Exception {
    ChatServer a = node();
    ChatServer b = node();
    String token = register(a, "alice");
    SocketIoTestClient onB = client(b, token);
    onB.awaitEvent("online-users");
    long start = System.nanoTime();
    HttpResponse<String> out = post(a, "/auth/logout", "", "Authorization", "Bearer " + token);
    assertEquals(200, out.statusCode(), out.body());
    JsonNode ended = onB.awaitEventPacket("session-ended", Duration.ofSeconds(1)).arg(0);
    assertEquals("logout", ended.path("reason").asText());
    onB.awaitDisconnect();
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "within a second");
    // The token is refused on B too (B's cache forgot the session).
    SocketIoTestClient.Packet refused = SocketIoTestClient.open(b.port()).sendConnect(auth(token));
    assertEquals("SESSION_EXPIRED", refused.data().path("data").path("code").asText(), refused.data().toString());
  }

  @Test
  void userRemoveWithTheRedisUrlEndsTheUsersSocketsOnEveryNodeAtOnce() throws Exception {
    ChatServer a = node();
    ChatServer b = node();
    String token = register(a, "alice");
    SocketIoTestClient onA = client(a, token);
    SocketIoTestClient onB = client(b, token);
    onA.awaitEvent("online-users");
    onB.awaitEvent("online-users");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    long start = System.nanoTime();
    int code = UserCommand.run(List.of("remove", "alice", "--database-url", databaseUrl, "--data-dir", dir.toString(),
        "--redis-url", redis.url(), "--redis-key", config.cluster().key()), java.io.InputStream.nullInputStream(), print, print);
    assertEquals(0, code, out.toString(java.nio.charset.StandardCharsets.UTF_8));
    for (SocketIoTestClient c : List.of(onA, onB)) {
      assertEquals("revoked", c.awaitEventPacket("session-ended", Duration.ofSeconds(1)).arg(0).path("reason").asText());
    }
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos(), "not the 10-second sweep");
  }

  @Test
  void aRefreshOnOneNodeMovesTheExpiryOnTheOther() throws Exception {
    ChatServer a = node();
    ChatServer b = node();
    String token = register(a, "alice");
    SocketIoTestClient onB = client(b, token);
    onB.awaitEvent("online-users");
    clock.advanceBy(Duration.ofMinutes(50)); // 10 minutes left of the hour
    HttpResponse<String> refreshed = post(a, "/auth/refresh", "", "Authorization", "Bearer " + token);
    assertEquals(200, refreshed.statusCode(), refreshed.body());
    long newExpiry = java.time.Instant.parse(JSON.readTree(refreshed.body()).path("expiresAt").asText()).toEpochMilli();
    Await.until("B took the new expiry", () -> b.auth().sessions().findCached(sessionOf(b, token)).map(
        s -> s.expiresAtMillis() == newExpiry).orElse(false));
    clock.advanceBy(Duration.ofMinutes(15)); // past the old expiry, well before the new one
    onB.assertNoEvent("session-ended");
    assertTrue(onB.emitWithAck("join", Map.of("room", "lobby")).path("ok").asBoolean());
  }

  private static String sessionOf(ChatServer node, String token) {
    try {
      return node.auth().authenticateCached(token).sessionId();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void failedLoginsSpreadOverBothNodesCountTogetherAndSpareOtherAccounts() throws Exception {
    ChatServer a = node();
    ChatServer b = node();
    register(a, "alice");
    register(a, "bob");
    String wrong = "{\"username\":\"alice\",\"password\":\"wrong horse\"}";
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = post(i % 2 == 0 ? a : b, "/auth/login", wrong);
      assertEquals(401, r.statusCode(), "guess " + i + ": " + r.body());
    }
    for (ChatServer n : List.of(a, b)) {
      HttpResponse<String> blocked = post(n, "/auth/login", credentials("alice"));
      assertEquals(429, blocked.statusCode(), blocked.body());
      long retry = Long.parseLong(blocked.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retry > 800 && retry <= 900, "about 15 minutes: " + retry);
    }
    // Issue #13: bob, behind the same address, is not locked out by alice's five failures.
    assertEquals(200, post(b, "/auth/login", credentials("bob")).statusCode());
    assertEquals(200, post(a, "/auth/login", credentials("bob")).statusCode());
  }

  @Test
  void presenceAndPrivateMessagesAcrossNodes() throws Exception {
    ChatServer a = node();
    ChatServer b = node();
    String alicesToken = register(a, "alice");
    String bobsToken = register(b, "bob");
    SocketIoTestClient alice = client(a, alicesToken);
    alice.awaitEvent("online-users");
    SocketIoTestClient bob = client(b, bobsToken);
    bob.awaitEvent("online-users");
    JsonNode joined = alice.awaitEvent("user-joined");
    assertEquals("bob", joined.path("username").asText());
    // Alice's presence reaches B through Redis, a moment after her own connect answered on A.
    Await.until("alice (on A) is online for bob (on B)", () -> {
      try {
        return names(bob.emitWithAck("get-online-users").path("users")).equals(List.of("alice", "bob"));
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals(List.of("alice", "bob"), names(alice.emitWithAck("get-online-users").path("users")));
    String bobsId = joined.path("userId").asText();

    // A private message from A to a user connected only to B.
    JsonNode ack = alice.emitWithAck("private-message", Map.of("targetUserId", bobsId, "message", "hi bob"));
    assertTrue(ack.path("ok").asBoolean(), ack.toString());
    assertEquals("hi bob", bob.awaitEvent("private-message").path("message").asText());
    assertEquals("hi bob", alice.awaitEvent("private-message").path("message").asText());

    // Bob's second connection, on A: not a first connection cluster-wide, so no user-joined.
    SocketIoTestClient bobOnA = client(a, bobsToken);
    bobOnA.awaitEvent("online-users");
    alice.assertNoEvent("user-joined");
    bob.close();
    bob.awaitDisconnect();
    alice.assertNoEvent("user-left"); // bob is still on A
    assertEquals(List.of("alice", "bob"), names(alice.emitWithAck("get-online-users").path("users")));
    bobOnA.close();
    assertEquals("bob", alice.awaitEvent("user-left").path("username").asText());
    alice.assertNoEvent("user-joined");
    JsonNode refused = alice.emitWithAck("private-message", Map.of("targetUserId", bobsId, "message", "still there?"));
    assertEquals("User is not online", refused.path("error").asText(), refused.toString());
  }

  @Test
  void bothNodesRestartedTheSameTokensStillConnect() throws Exception {
    ChatServer a = node();
    ChatServer b = node();
    String alicesToken = register(a, "alice");
    String bobsToken = register(b, "bob");
    client(a, alicesToken).awaitEvent("online-users");
    a.close();
    b.close();
    ChatServer a2 = node();
    ChatServer b2 = node();
    SocketIoTestClient alice = client(b2, alicesToken);
    assertEquals(List.of("alice"), names(alice.awaitEvent("online-users")), "the old nodes' users are gone");
    SocketIoTestClient bob = client(a2, bobsToken);
    bob.awaitEvent("online-users");
    assertEquals("bob", alice.awaitEvent("user-joined").path("username").asText());
  }

  @Test
  void aRevocationMadeWhileRedisIsAwayAppliesWhenItIsBack() throws Exception {
    try (LogLines logs = LogLines.of("dev.switchboard.cluster.redis", "dev.switchboard.auth", "dev.switchboard.chat")) {
      ChatServer a = node();
      ChatServer b = node();
      String token = register(a, "alice");
      SocketIoTestClient onB = client(b, token);
      onB.awaitEvent("online-users");
      SocketIoTestClient bob = client(a, register(a, "bob"));
      bob.awaitEvent("online-users");
      redis.stop();
      try {
        // Redis away: the logout is written to the database; B cannot hear of it now.
        assertEquals(200, post(a, "/auth/logout", "", "Authorization", "Bearer " + token).statusCode());
        // Logins still work, throttled by each node alone.
        assertEquals(200, post(b, "/auth/login", credentials("alice")).statusCode());
        onB.assertNoEvent("session-ended");
      } finally {
        redis.restart();
      }
      JsonNode ended = onB.awaitEventPacket("session-ended", Duration.ofSeconds(15)).arg(0);
      assertEquals("revoked", ended.path("reason").asText());
      onB.awaitDisconnect();
      assertEquals("alice", bob.awaitEvent("user-left").path("username").asText());
      // Presence works again across the restarted (empty) Redis: carol on B joins for bob on A.
      client(b, register(b, "carol")).awaitEvent("online-users");
      // Right after an outage the nodes' snapshots and events may cross once (the change counters
      // start again with the restarted Redis); the heartbeat's reconcile settles it. What must
      // hold: carol's join reaches bob.
      String joined = bob.awaitEvent("user-joined").path("username").asText();
      if (!joined.equals("carol")) joined = bob.awaitEvent("user-joined").path("username").asText();
      assertEquals("carol", joined);
      Await.until("both links back", () -> logs.count(Level.INFO, "back after") == 2);
      assertEquals(2, logs.count(Level.WARNING, "lost"), "one warning per node: " + logs.lines());
      assertEquals(2, logs.lines().stream().filter(l -> l.startsWith("WARNING")).count(), logs.lines().toString());
    }
  }

  @Test
  void theUsersOfANodeKilledWithSigkillLeaveWithinTwoHeartbeats() throws Exception {
    Duration heartbeat = Duration.ofSeconds(1); // the command line's shortest
    config = config.withCluster(config.cluster().withPresenceHeartbeat(heartbeat));
    ChatServer a = ChatServer.start(config); // the real clock, as the child's: tokens must be valid on both
    open.add(a);
    String alicesToken = register(a, "alice");
    String bobsToken = register(a, "bob");
    int port = dev.switchboard.testing.LocalResources.freePort();
    Path log = dir.resolve("child.log");
    // A second node in its own JVM, on the same database, Redis, key and data directory (the key).
    ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", testClassPath(), "dev.switchboard.cli.Main",
        "--port", Integer.toString(port), "--host", "127.0.0.1", "--data-dir", dir.toString(),
        "--redis-url", redis.url(), "--redis-key", config.cluster().key(), "--presence-heartbeat", "1s",
        "--bcrypt-cost", "4")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    command.environment().put("DATABASE_URL", databaseUrl); // not on the command line: it holds a password
    Process child = command.start();
    try {
      Await.until("the child node serves", Duration.ofSeconds(60), () -> healthy(port) || !child.isAlive());
      assertTrue(child.isAlive(), () -> "the child node died: " + read(log));
      SocketIoTestClient alice = client(a, alicesToken);
      alice.awaitEvent("online-users");
      SocketIoTestClient bob = SocketIoTestClient.connect(port, auth(bobsToken));
      open.add(bob);
      assertEquals(List.of("alice", "bob"), names(bob.awaitEvent("online-users")));
      assertEquals("bob", alice.awaitEvent("user-joined").path("username").asText());
      child.destroyForcibly(); // SIGKILL: no goodbye, only the heartbeat stops
      long killed = System.nanoTime();
      JsonNode left = alice.awaitEventPacket("user-left", heartbeat.multipliedBy(2)).arg(0);
      assertEquals("bob", left.path("username").asText());
      assertTrue(System.nanoTime() - killed <= heartbeat.multipliedBy(2).toNanos());
      assertEquals(List.of("alice"), names(alice.emitWithAck("get-online-users").path("users")));
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
  }

  @Test
  void malformedMessagesFromAPeerAreDroppedWithOneWarningAndTheNodeGoesOn() throws Exception {
    try (LogLines logs = LogLines.of("dev.switchboard.auth", "dev.switchboard.chat");
        dev.switchboard.cluster.redis.RedisLink peer = dev.switchboard.cluster.redis.RedisLink.connect(redis.url())) {
      ChatServer a = node();
      ChatServer b = node();
      String token = register(a, "alice");
      SocketIoTestClient onB = client(b, token);
      onB.awaitEvent("online-users");
      String key = config.cluster().key();
      List<String> garbage = List.of("not json", "[]", "{}", "x".repeat(2000),
          "{\"node\":\"evil\",\"type\":\"ended\",\"session\":\"s\",\"reason\":\"bogus\"}",
          "{\"node\":\"evil\",\"type\":\"refreshed\",\"session\":\"s\",\"expiresAt\":\"soon\"}",
          "{\"node\":\"evil\",\"type\":\"online\",\"user\":\"u\",\"seq\":1}",
          "{\"node\":\"evil\",\"type\":\"online\",\"user\":\"u\",\"name\":\"n\",\"seq\":-1}",
          "{\"node\":" + "[".repeat(5000) + "}");
      for (String g : garbage) {
        byte[] bytes = g.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        peer.publish(key + ":switchboard:sessions", bytes).join();
        peer.publish(key + ":switchboard:presence:events", bytes).join();
      }
      // Still in service: a logout on A reaches B.
      assertEquals(200, post(a, "/auth/logout", "", "Authorization", "Bearer " + token).statusCode());
      assertEquals("logout", onB.awaitEventPacket("session-ended", Duration.ofSeconds(1)).arg(0).path("reason").asText());
      Await.until("every message handled", () -> logs.count(Level.WARNING, "dropped a malformed presence message") == 2);
      assertEquals(2, logs.count(Level.WARNING, "dropped a malformed session message"), "one per node: " + logs.lines());
      assertEquals(4, logs.lines().stream().filter(l -> l.startsWith("WARNING")).count(), logs.lines().toString());
    }
  }

  private static boolean healthy(int port) {
    try {
      return dev.switchboard.testing.RawHttpClient.request(port, "GET", "/healthz", null).status() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static List<String> names(JsonNode users) {
    List<String> out = new ArrayList<>();
    for (JsonNode u : users) out.add(u.path("username").asText());
    return out;
  }
}
