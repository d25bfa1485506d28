package dev.switchboard.cli;

import static dev.switchboard.cli.StorageWiringTest.auth;
import static dev.switchboard.cli.StorageWiringTest.credentials;
import static dev.switchboard.cli.StorageWiringTest.post;
import static dev.switchboard.cli.StorageWiringTest.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.PostgresPerClass;
import dev.switchboard.testing.PostgresServer;
import dev.switchboard.testing.SocketIoTestClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat server with {@code DATABASE_URL} on a real PostgreSQL (started by the test,
 * {@link PostgresServer}; one database per test): sessions survive a restart, {@code user add}
 * works against it, and while it is down login and refresh answer 503 with {@code Retry-After}
 * and connected sockets keep chatting (issue #11, "Faults").
 */
class PostgresChatServerTest {
  @RegisterExtension static final PostgresPerClass postgres = new PostgresPerClass();
  @TempDir Path dir;
  private final FakeScheduler clock = new FakeScheduler();

  private ServerConfig config(String url) {
    return ServerConfig.forTests(dir).withDatabase(DatabaseUrl.parse(url));
  }

  @Test
  void aRestartLogsNobodyOut() throws Exception {
    String url = postgres.server().createDatabase();
    String token;
    try (ChatServer first = ChatServer.start(config(url), clock)) {
      token = register(first, "alice");
    }
    try (ChatServer second = ChatServer.start(config(url), clock);
        SocketIoTestClient again = SocketIoTestClient.connect(second.port(), auth(token))) {
      assertEquals("lobby", again.emitWithAck("join", Map.of("room", "lobby")).path("room").asText());
    }
  }

  @Test
  void userAddThenLogin() throws Exception {
    String url = postgres.server().createDatabase();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = UserCommand.run(List.of("add", "Alice", "--database-url", url, "--data-dir", dir.toString(),
        "--bcrypt-cost", "4"), new ByteArrayInputStream("correct horse\n".getBytes(StandardCharsets.UTF_8)), print, print);
    assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
    try (ChatServer server = ChatServer.start(config(url), clock)) {
      HttpResponse<String> r = post(server, "/auth/login", credentials("alice"));
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("Alice", StorageWiringTest.JSON.readTree(r.body()).path("user").path("username").asText());
    }
  }

  @Test
  void whileTheDatabaseIsDownLoginAnswers503AndSocketsKeepChatting() throws Exception {
    String url = postgres.server().createDatabase();
    try (ChatServer server = ChatServer.start(config(url), clock);
        ChatServer other = ChatServer.start(config(url), clock)) { // another node: an empty cache
      String alicesToken = register(server, "alice");
      try (SocketIoTestClient carol = SocketIoTestClient.open(other.port());
          SocketIoTestClient alice = SocketIoTestClient.connect(server.port(), auth(alicesToken));
          SocketIoTestClient bob = SocketIoTestClient.connect(server.port(), auth(register(server, "bob")))) {
        alice.emitWithAck("join", Map.of("room", "lobby"));
        bob.emitWithAck("join", Map.of("room", "lobby"));
        postgres.server().stop();
        try {
          HttpResponse<String> login = post(server, "/auth/login", credentials("alice"));
          assertEquals(503, login.statusCode(), login.body());
          assertEquals("5", login.headers().firstValue("Retry-After").orElse(null));
          HttpResponse<String> refresh = post(server, "/auth/refresh", "", "Authorization", "Bearer " + alicesToken);
          assertEquals(503, refresh.statusCode(), refresh.body());
          assertTrue(refresh.headers().firstValue("Retry-After").isPresent());
          assertTrue(alice.emitWithAck("chat-message", Map.of("room", "lobby", "message", "still here")).path("ok")
              .asBoolean());
          assertEquals("still here", bob.awaitEvent("new-message").path("message").asText());
          HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/metrics"))
                  .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(200, metrics.statusCode(), "/metrics answers while the database is away");
          assertTrue(metrics.body().contains("\nswitchboard_users_registered NaN\n"), metrics.body());
          // The other node has never seen alice's session: it cannot check it, and says so.
          SocketIoTestClient.Packet refused = carol.sendConnect(auth(alicesToken));
          assertEquals(SocketIoTestClient.CONNECT_ERROR, refused.type());
          assertEquals("UNAVAILABLE", refused.data().path("data").path("code").asText(), refused.data().toString());
        } finally {
          postgres.server().start();
        }
        // Back by itself: the pool reconnects (with a backoff of up to 5 s).
        Await.until("login works again", Duration.ofSeconds(20),
            () -> uncheckedStatus(server) == 200);
      }
    }
  }

  private static int uncheckedStatus(ChatServer server) {
    try {
      return post(server, "/auth/login", credentials("alice")).statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
