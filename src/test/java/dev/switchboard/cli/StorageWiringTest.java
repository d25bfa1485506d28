package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.PasswordHasher;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.SocketIoTestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat server on its default database, SQLite in the data directory (issue #11): sessions
 * survive a restart, an old {@code users.json} is imported on the first start, and the two faults
 * at start (a corrupt users file, an unreachable database) stop it with exit code 2 and one sentence.
 */
class StorageWiringTest {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;
  private final FakeScheduler clock = new FakeScheduler();

  static HttpResponse<String> post(ChatServer server, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String credentials(String name) {
    return "{\"username\":\"" + name + "\",\"password\":\"correct horse\"}";
  }

  /** Signs {@code name} up and returns its token. */
  static String register(ChatServer server, String name) throws Exception {
    HttpResponse<String> r = post(server, "/auth/register", credentials(name));
    assertEquals(201, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("token").asText();
  }

  static String auth(String token) {
    return "{\"token\":\"" + token + "\"}";
  }

  @Test
  void aRestartLogsNobodyOut() throws Exception {
    String token;
    try (ChatServer first = ChatServer.start(ServerConfig.forTests(dir), clock)) {
      token = register(first, "alice");
      SocketIoTestClient.connect(first.port(), auth(token)).close();
    }
    try (ChatServer second = ChatServer.start(ServerConfig.forTests(dir), clock);
        SocketIoTestClient again = SocketIoTestClient.connect(second.port(), auth(token))) {
      // The session was read back from the database on the handshake (a cache miss), and works.
      assertEquals("lobby", again.emitWithAck("join", Map.of("room", "lobby")).path("room").asText());
      assertEquals(200, post(second, "/auth/refresh", "", "Authorization", "Bearer " + token).statusCode());
      // Logout is written through: after another restart the token is refused.
      assertEquals(200, post(second, "/auth/logout", "", "Authorization", "Bearer " + token).statusCode());
    }
    try (ChatServer third = ChatServer.start(ServerConfig.forTests(dir), clock);
        SocketIoTestClient refused = SocketIoTestClient.open(third.port())) {
      SocketIoTestClient.Packet answer = refused.sendConnect(auth(token));
      assertEquals(SocketIoTestClient.CONNECT_ERROR, answer.type());
      assertEquals("SESSION_EXPIRED", answer.data().path("data").path("code").asText(), answer.data().toString());
    }
  }

  @Test
  void anOldUsersFileIsImportedOnTheFirstStartAndItsUsersLogIn() throws Exception {
    String hash;
    try (PasswordHasher h = new PasswordHasher(4, 1, 1)) {
      hash = h.hashNow("correct horse");
    }
    Files.writeString(dir.resolve("users.json"), "{\"version\": 1, \"users\": [{\"id\": \"u-old-1\", \"username\": \"Alice\","
        + " \"passwordHash\": \"" + hash + "\", \"createdAt\": 1700000000000}]}");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (ChatServer server = ChatServer.start(ServerConfig.forTests(dir), new PrintStream(log, true, StandardCharsets.UTF_8))) {
      assertTrue(log.toString(StandardCharsets.UTF_8).contains("imported 1 user"), log.toString(StandardCharsets.UTF_8));
      HttpResponse<String> r = post(server, "/auth/login", credentials("alice"));
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("u-old-1", JSON.readTree(r.body()).path("user").path("id").asText(), r.body());
    }
    log.reset();
    try (ChatServer again = ChatServer.start(ServerConfig.forTests(dir), new PrintStream(log, true, StandardCharsets.UTF_8))) {
      assertEquals("", log.toString(StandardCharsets.UTF_8), "the import is done once");
      assertEquals(200, post(again, "/auth/login", credentials("alice")).statusCode());
    }
  }

  @Test
  void aCorruptUsersFileStopsTheStartAndIsLeftAsItIs() throws Exception {
    Path users = dir.resolve("users.json");
    Files.writeString(users, "{\"version\": 1, \"users\": [{\"id\": \"u1\", \"username\": \"alice\"");
    Files.setLastModifiedTime(users, FileTime.fromMillis(1_700_000_000_000L));
    byte[] before = Files.readAllBytes(users);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of("--data-dir", dir.toString(), "--port", "0", "--host", "127.0.0.1"), Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, said);
    assertTrue(said.startsWith("switchboard: " + users + " cannot be imported:"), said);
    assertTrue(said.contains("It was left as it is"), said);
    assertFalse(said.contains("\tat "), "no stack trace: " + said);
    assertArrayEquals(before, Files.readAllBytes(users));
    assertEquals(FileTime.fromMillis(1_700_000_000_000L), Files.getLastModifiedTime(users));
  }

  @Test
  void anUnreachableDatabaseStopsTheStartWithItsUrlMasked() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String url = "postgresql://app:s3cret-pw@127.0.0.1:" + port + "/chat";
    int code = Main.run(List.of("--data-dir", dir.toString(), "--port", "0", "--host", "127.0.0.1"),
        Map.of("DATABASE_URL", url),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, said);
    assertTrue(said.startsWith("switchboard: cannot open the database postgresql://app:***@127.0.0.1:" + port + "/chat"),
        said);
    assertFalse(said.contains("s3cret-pw"), said);
    assertFalse(said.contains("\tat "), "no stack trace: " + said);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void userCommandsWorkOnTheServersDatabaseAndRemoveTakesTheSessions() throws Exception {
    String token;
    try (ChatServer server = ChatServer.start(ServerConfig.forTests(dir), clock)) {
      token = register(server, "alice");
      register(server, "bob");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertEquals(0, UserCommand.run(List.of("list", "--data-dir", dir.toString()), java.io.InputStream.nullInputStream(),
        print, print));
    String listed = out.toString(StandardCharsets.UTF_8);
    assertTrue(listed.contains("\nalice  ") && listed.contains("\nbob  "), listed);
    assertEquals(0, UserCommand.run(List.of("remove", "alice", "--data-dir", dir.toString()),
        java.io.InputStream.nullInputStream(), print, print));
    try (ChatServer server = ChatServer.start(ServerConfig.forTests(dir), clock);
        SocketIoTestClient refused = SocketIoTestClient.open(server.port())) {
      assertEquals(SocketIoTestClient.CONNECT_ERROR, refused.sendConnect(auth(token)).type());
      assertEquals(401, post(server, "/auth/login", credentials("alice")).statusCode());
    }
  }
}
