package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.storage.Database;
import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.SocketIoTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handshake middleware and the session's live sockets, on a Socket.IO server with a fake application clock. */
class SocketAuthenticationTest {
  private final FakeScheduler clock = new FakeScheduler();
  private final AtomicInteger ids = new AtomicInteger();
  @TempDir Path dir;
  private PasswordHasher hasher;
  private Authenticator auth;
  private SessionSockets live;
  private SocketIoServer io;
  private Database db;
  private final ExecutorService storageReads = Executors.newSingleThreadExecutor();

  @BeforeEach
  void start() throws Exception {
    hasher = new PasswordHasher(4, 1, 8);
    AuthOptions options = AuthOptions.DEFAULTS;
    // Users and sessions in SQLite, as the chat server keeps them by default.
    db = Database.open(DatabaseUrl.sqlite(dir.resolve("switchboard.db")));
    DatabaseUserStore users = new DatabaseUserStore(db);
    SessionStore sessions = new SessionStore(clock, options, () -> "s" + ids.incrementAndGet(), db.sessions(), users);
    auth = new Authenticator(users, hasher, new TokenService(JwtSecret.random(), clock, options),
        sessions, options, clock, () -> "u" + ids.incrementAndGet());
    live = new SessionSockets(auth, clock);
    io = new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build());
    JwtAuthMiddleware.install(io.sockets(), auth, live, storageReads);
    io.onConnection(s -> s.on("whoami", (args, ack) -> ack.send(Principal.of(s).username())));
    io.listen(0);
  }

  @AfterEach
  void stop() {
    io.close();
    storageReads.shutdown();
    hasher.close();
    db.close();
  }

  private String token(String name) throws Exception {
    Authenticator.Result r = auth.register("127.0.0.1", name, "correct horse").get(10, TimeUnit.SECONDS);
    assertEquals(LoginOutcome.SUCCESS, r.outcome());
    return r.grant().token().token();
  }

  private static String authJson(String token) {
    return "{\"token\":\"" + token + "\"}";
  }

  /**
   * Connects and waits until the session tracks the socket: CONNECT goes out before the connection
   * handlers run, and moving the fake clock before SessionSockets armed its timers would test
   * nothing.
   */
  private SocketIoTestClient connect(String token) throws Exception {
    String session = auth.authenticate(token).sessionId();
    int before = live.count(session);
    SocketIoTestClient c = SocketIoTestClient.connect(io.port(), authJson(token));
    Await.until("the session tracks the new socket", () -> live.count(session) == before + 1);
    return c;
  }

  @Test
  void theSocketCarriesThePrincipalOfItsToken() throws Exception {
    try (SocketIoTestClient c = connect(token("alice"))) {
      assertEquals("alice", c.emitWithAck("whoami").asText());
    }
  }

  @Test
  void theHttpBearerFormIsAcceptedInTheAuthPayload() throws Exception {
    try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), authJson("Bearer " + token("alice")))) {
      assertEquals("alice", c.emitWithAck("whoami").asText());
    }
  }

  @Test
  void refusalsCarryTheMessageAndCode() throws Exception {
    String t = token("alice");
    String[][] cases = {
        {null, "Authentication token required", "TOKEN_REQUIRED"},
        {"{\"token\":17}", "Authentication token required", "TOKEN_REQUIRED"},
        {"{\"token\":\"   \"}", "Authentication token required", "TOKEN_REQUIRED"},
        {authJson(t.substring(0, t.length() - 2)), "Authentication failed", "AUTH_FAILED"},
    };
    for (String[] c : cases) {
      try (SocketIoTestClient client = SocketIoTestClient.open(io.port())) {
        SocketIoTestClient.Packet answer = client.sendConnect(c[0]);
        assertEquals(SocketIoTestClient.CONNECT_ERROR, answer.type(), String.valueOf(c[0]));
        assertEquals(c[1], answer.data().get("message").asText());
        assertEquals(c[2], answer.data().at("/data/code").asText());
        // The Engine.IO connection stays up: the client may try again with a better token.
        assertEquals(SocketIoTestClient.CONNECT, client.sendConnect(authJson(t)).type());
      }
    }
  }

  @Test
  void theWarningComesOncePerExpiryAndARefreshRearmsIt() throws Exception {
    String t = token("alice");
    try (SocketIoTestClient c = connect(t)) {
      clock.advanceBy(Duration.ofMinutes(54));
      c.assertNoEvent("token-expiring");
      clock.advanceBy(Duration.ofMinutes(2));
      JsonNode w = c.awaitEvent("token-expiring"); // sent when the 5-minute mark passed, at 55 min
      assertEquals(300, w.get("secondsLeft").asLong());
      clock.advanceBy(Duration.ofMinutes(1));
      c.assertNoEvent("token-expiring");
      Authenticator.Grant g = auth.refresh(t);
      clock.advanceBy(Duration.ofMinutes(5)); // past the first expiry: still connected
      c.assertNoEvent("session-ended");
      clock.advanceBy(Duration.ofMinutes(52)); // 3 minutes before the refreshed expiry
      JsonNode again = c.awaitEvent("token-expiring");
      assertEquals(300, again.get("secondsLeft").asLong());
      assertEquals(java.time.Instant.ofEpochMilli(g.token().expiresAtMillis()).toString(), again.get("expiresAt").asText());
      clock.advanceBy(Duration.ofMinutes(3));
      assertEquals("expired", c.awaitEvent("session-ended").get("reason").asText());
      c.awaitDisconnect();
    }
  }

  @Test
  void timersLiveOnlyWhileTheSessionHasSockets() throws Exception {
    String t = token("alice");
    String session = auth.authenticate(t).sessionId();
    SocketIoTestClient a = connect(t);
    SocketIoTestClient b = connect(t);
    assertEquals(2, clock.pendingTasks(), "one warning and one expiry timer for the session");
    a.close();
    Await.until("a's socket is gone", () -> live.count(session) == 1);
    assertEquals(2, clock.pendingTasks());
    b.close();
    Await.until("no socket left", () -> live.sessionsWithSockets() == 0);
    assertEquals(0, clock.pendingTasks());
  }

  @Test
  void loggingOutOneSessionLeavesTheUsersOtherSessionConnected() throws Exception {
    String first = token("alice");
    Authenticator.Result second = auth.login("127.0.0.1", "alice", "correct horse").get(10, TimeUnit.SECONDS);
    try (SocketIoTestClient a = connect(first); SocketIoTestClient b = connect(second.grant().token().token())) {
      assertTrue(auth.logout(first));
      assertEquals("logout", a.awaitEvent("session-ended").get("reason").asText());
      a.awaitDisconnect();
      b.assertNoEvent("session-ended");
      assertEquals("alice", b.emitWithAck("whoami").asText());
    }
  }
}
