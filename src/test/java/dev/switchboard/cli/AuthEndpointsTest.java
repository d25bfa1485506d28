package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.LogLines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /auth/*} of the chat server over real HTTP: statuses, bodies and headers of spec-notes/authentication.md. */
class AuthEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGIN = "https://chat.example";
  private final FakeScheduler clock = new FakeScheduler();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private ChatServer server;

  /** The server's configuration: SQLite in {@link #dir}; {@link PostgresAuthEndpointsTest} uses PostgreSQL. */
  ServerConfig config() throws Exception {
    return ServerConfig.forTests(dir);
  }

  /** What tells {@code user ...} in another process the server's database. */
  java.util.List<String> databaseArgs() {
    return java.util.List.of("--data-dir", dir.toString());
  }

  private ChatServer start(ServerConfig config) throws Exception {
    server = ChatServer.start(config, clock);
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postJson(String path, String body, String... headers) throws Exception {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/json";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return send("POST", path, body, all);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("{\"error\":\"" + message + "\"}", r.body());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
  }

  private String register(String name) throws Exception {
    HttpResponse<String> r = postJson("/auth/register", "{\"username\":\"" + name + "\",\"password\":\"correct horse\"}");
    assertEquals(201, r.statusCode(), r.body());
    return json(r).get("token").asText();
  }

  @Test
  void signUpAnswersTheGrantAndTheNameIsThenTaken() throws Exception {
    start(config());
    HttpResponse<String> r = postJson("/auth/register", "{\"username\":\"Alice\",\"password\":\"correct horse\"}");
    assertEquals(201, r.statusCode());
    JsonNode body = json(r);
    assertEquals("Alice", body.at("/user/username").asText());
    assertEquals("2023-11-14T23:13:20Z", body.get("expiresAt").asText()); // fake clock + 1 h, whole seconds
    assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    assertError(postJson("/auth/register", "{\"username\":\"alice\",\"password\":\"another one\"}"), 409,
        "Username is already taken");
  }

  static Stream<Arguments> badSignUps() {
    return Stream.of(
        Arguments.of("{\"username\":\"al\",\"password\":\"correct horse\"}", "username must be 3-32 characters: letters, digits, '_', '-' or '.'"),
        Arguments.of("{\"username\":\"alice\",\"password\":\"short\"}", "password must be at least 8 characters"),
        Arguments.of("{\"username\":\"alice\",\"password\":\"" + "a".repeat(73) + "\"}", "password must be at most 72 bytes"),
        Arguments.of("{\"username\":\"alice\"}", "password is required"),
        Arguments.of("{\"username\":\"alice\",\"password\":null}", "password is required"),
        Arguments.of("{\"username\":[\"alice\"],\"password\":\"correct horse\"}", "username must be a string"),
        Arguments.of("{\"username\":\"alice\",\"password\":\"correct\\ud800horse\"}", "password must be valid Unicode"),
        Arguments.of("{\"username\":\"alice\",\"password\":\"correct horse\",\"role\":\"admin\"}", "Unexpected field in request body"),
        Arguments.of("{\"username\":\"alice\",\"username\":\"bob\",\"password\":\"correct horse\"}", "Request body is not valid JSON"),
        Arguments.of("{\"username\":\"alice\",\"password\":\"correct horse\"} trailing", "Request body is not valid JSON"),
        Arguments.of("\"alice\"", "Request body must be a JSON object"),
        Arguments.of("", "Request body must be a JSON object"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badSignUps")
  void malformedSignUpsGet400WithTheRule(String body, String message) throws Exception {
    start(config());
    assertError(postJson("/auth/register", body), 400, message);
    assertEquals(0, server.auth().users().count());
  }

  @Test
  void signUpCanBeSwitchedOff() throws Exception {
    start(config().withRegistration(false));
    assertError(postJson("/auth/register", "{\"username\":\"alice\",\"password\":\"correct horse\"}"), 403,
        "Registration is disabled");
    assertEquals("{\"registration\":false}", send("GET", "/auth/config", null).body());
  }

  @Test
  void bodiesAreJsonAndSmall() throws Exception {
    start(config());
    assertError(send("POST", "/auth/login", "{}", "Content-Type", "text/plain"), 415, "Content-Type must be application/json");
    assertError(send("POST", "/auth/login", "{}"), 415, "Content-Type must be application/json");
    assertError(send("POST", "/auth/login", "{}", "Content-Type", "application/json; charset=latin1"), 415,
        "Content-Type must be application/json");
    assertEquals(400, send("POST", "/auth/login", "{}", "Content-Type", "Application/JSON; charset=UTF-8").statusCode());
    // Over the route's 4 KB: the HTTP layer answers 413 before buffering the body (issue #14).
    HttpResponse<String> tooLarge = postJson("/auth/login", "{\"username\":\"" + "a".repeat(5000) + "\",\"password\":\"x\"}");
    assertEquals(413, tooLarge.statusCode());
    assertEquals("Body too large\n", tooLarge.body());
    assertError(postJson("/auth/login", "[".repeat(50) + "]".repeat(50)), 400, "Request body is not valid JSON");
  }

  @Test
  void methodsAndPathsAreChecked() throws Exception {
    start(config());
    HttpResponse<String> r = send("GET", "/auth/login", null);
    assertError(r, 405, "Method not allowed");
    assertEquals("POST", r.headers().firstValue("Allow").orElseThrow());
    assertError(send("POST", "/auth/config", "{}", "Content-Type", "application/json"), 405, "Method not allowed");
    assertError(send("GET", "/auth/nothing-here", null), 404, "Not found");
  }

  @Test
  void logoutAndRefreshNeedABearerToken() throws Exception {
    start(config());
    String token = register("alice");
    HttpResponse<String> none = send("POST", "/auth/refresh", null);
    assertError(none, 401, "Authentication token required");
    assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElseThrow());
    HttpResponse<String> wrongScheme = send("POST", "/auth/refresh", null, "Authorization", "Basic " + token);
    assertError(wrongScheme, 401, "Authentication failed");
    assertEquals("Bearer error=\"invalid_token\"", wrongScheme.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertError(send("POST", "/auth/refresh", null, "Authorization", "Bearer " + token + "x"), 401, "Authentication failed");
    assertEquals(200, send("POST", "/auth/refresh", null, "Authorization", "bearer " + token).statusCode());
  }

  @Test
  void anExpiredTokenCannotRefreshButCanStillLogOut() throws Exception {
    start(config());
    String token = register("alice");
    clock.advanceBy(Duration.ofHours(2));
    assertError(send("POST", "/auth/refresh", null, "Authorization", "Bearer " + token), 401, "Token expired");
    // The session ended with its token: nothing is left to end, and the answer says so.
    assertLogout(send("POST", "/auth/logout", null, "Authorization", "Bearer " + token), "Already logged out");
  }

  private static void assertLogout(HttpResponse<String> r, String message) {
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"message\":\"" + message + "\"}", r.body());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
    assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void logoutAnswersTheTutorialsMessagesAndIsIdempotent() throws Exception {
    start(config());
    String token = register("alice");
    assertLogout(send("POST", "/auth/logout", null, "Authorization", "Bearer " + token), "Logged out successfully");
    assertError(send("POST", "/auth/refresh", null, "Authorization", "Bearer " + token), 401, "Session expired");
    assertLogout(send("POST", "/auth/logout", null, "Authorization", "Bearer " + token), "Already logged out");
    // Not ours, or no token: still refused, as before (a forged token ends nothing).
    assertError(send("POST", "/auth/logout", null, "Authorization", "Bearer " + token + "x"), 401, "Authentication failed");
    assertError(send("POST", "/auth/logout", null), 401, "Authentication token required");
  }

  @Test
  void theLoginAliasAnswersTheJwtPatternsShape() throws Exception {
    start(config());
    register("Alice");
    HttpResponse<String> r = postJson("/login", "{\"username\":\"alice\",\"password\":\"correct horse\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals(java.util.List.of("token", "username"), iterate(body.fieldNames()));
    assertEquals("Alice", body.get("username").asText());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
    // The token is an ordinary one of ours: it refreshes (and so would open a socket).
    assertEquals(200, send("POST", "/auth/refresh", null, "Authorization", "Bearer " + body.get("token").asText())
        .statusCode());
    // Refusals are /auth/login's, word for word.
    assertError(postJson("/login", "{\"username\":\"alice\",\"password\":\"wrong horse\"}"), 401, "Invalid credentials");
    assertError(postJson("/login", "{\"username\":\"alice\"}"), 400, "password is required");
    assertError(send("POST", "/login", "{}", "Content-Type", "text/plain"), 415, "Content-Type must be application/json");
    HttpResponse<String> get = send("GET", "/login", null);
    assertError(get, 405, "Method not allowed");
    assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void theLoginAliasSharesTheThrottleOfAuthLogin() throws Exception {
    start(config());
    register("alice");
    for (int i = 0; i < 3; i++) assertEquals(401, postJson("/auth/login", "{\"username\":\"alice\",\"password\":\"nope " + i + "\"}").statusCode());
    for (int i = 0; i < 2; i++) assertEquals(401, postJson("/login", "{\"username\":\"alice\",\"password\":\"nope " + i + "\"}").statusCode());
    try (LogLines log = LogLines.of(dev.switchboard.auth.Authenticator.class.getName())) {
      HttpResponse<String> blocked = postJson("/login", "{\"username\":\"alice\",\"password\":\"correct horse\"}");
      assertError(blocked, 429, "Too many failed attempts, try again later");
      assertTrue(blocked.headers().firstValue("Retry-After").isPresent());
      assertEquals(429, postJson("/auth/login", "{\"username\":\"alice\",\"password\":\"correct horse\"}").statusCode());
      // Two throttled logins, one line: client-caused lines are rate-limited per kind (operations.md).
      assertEquals(1, log.count(java.util.logging.Level.WARNING, "login throttled"), String.join("\n", log.lines()));
    }
  }

  @Test
  void theLoginAliasHasTheSameCors() throws Exception {
    start(config().withAllowedOrigins(Set.of(ORIGIN)));
    HttpResponse<String> pre = send("OPTIONS", "/login", null, "Origin", ORIGIN, "Access-Control-Request-Method", "POST");
    assertEquals(204, pre.statusCode());
    assertEquals(ORIGIN, pre.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    HttpResponse<String> post = postJson("/login", "{\"username\":\"nobody\",\"password\":\"x\"}", "Origin", ORIGIN);
    assertEquals(ORIGIN, post.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertNull(send("OPTIONS", "/login", null, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
        .headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }

  private static <T> java.util.List<T> iterate(java.util.Iterator<T> it) {
    java.util.List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void refreshExtendsTheSessionAndTheNewTokenLogsIn() throws Exception {
    start(config());
    String first = register("alice");
    clock.advanceBy(Duration.ofMinutes(50));
    HttpResponse<String> r = send("POST", "/auth/refresh", null, "Authorization", "Bearer " + first);
    assertEquals(200, r.statusCode());
    String second = json(r).get("token").asText();
    assertEquals("2023-11-15T00:03:20Z", json(r).get("expiresAt").asText());
    clock.advanceBy(Duration.ofMinutes(30)); // the first token has expired, the session lives on
    assertError(send("POST", "/auth/refresh", null, "Authorization", "Bearer " + first), 401, "Token expired");
    assertEquals(200, send("POST", "/auth/refresh", null, "Authorization", "Bearer " + second).statusCode());
  }

  @Test
  void aRemovedUserCanNoLongerRefresh() throws Exception {
    start(config());
    String token = register("alice");
    server.auth().users().remove("alice");
    assertError(send("POST", "/auth/refresh", null, "Authorization", "Bearer " + token), 401, "Session expired");
  }

  @Test
  void aUserRemovedByAnotherProcessLosesItsSessionsWithinOneSweep() throws Exception {
    start(config());
    String token = register("alice");
    String bobs = register("bob");
    assertTrue(send("GET", "/metrics", null).body().contains("switchboard_sessions_active 2"));
    // `user remove alice` is another process: its own connection to the same database, which
    // deletes the user and (ON DELETE CASCADE) its sessions.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("remove", "alice"));
    command.addAll(databaseArgs());
    assertEquals(0, UserCommand.run(command,
        java.io.InputStream.nullInputStream(), new java.io.PrintStream(out, true), new java.io.PrintStream(out, true)),
        out.toString());
    assertThrows(dev.switchboard.auth.AuthException.class, () -> server.auth().authenticate(token),
        "a removed user's token still opens a socket");
    clock.advanceBy(java.time.Duration.ofSeconds(10));
    assertTrue(send("GET", "/metrics", null).body().contains("switchboard_sessions_active 1"),
        send("GET", "/metrics", null).body());
    assertEquals(200, send("POST", "/auth/refresh", null, "Authorization", "Bearer " + bobs).statusCode());
  }

  @Test
  void corsIsOffUnlessOriginsAreGiven() throws Exception {
    start(config());
    HttpResponse<String> r = postJson("/auth/login", "{}", "Origin", ORIGIN);
    assertNull(r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }

  @Test
  void corsAllowsExactlyTheConfiguredOrigins() throws Exception {
    start(config().withAllowedOrigins(Set.of(ORIGIN)));
    HttpResponse<String> pre = send("OPTIONS", "/auth/login", null, "Origin", ORIGIN,
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, authorization");
    assertEquals(204, pre.statusCode());
    assertEquals(ORIGIN, pre.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertEquals("GET, POST", pre.headers().firstValue("Access-Control-Allow-Methods").orElseThrow());
    assertEquals("content-type, authorization", pre.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
    assertTrue(pre.headers().allValues("Vary").contains("Origin"));
    assertNull(pre.headers().firstValue("Access-Control-Allow-Credentials").orElse(null), "bearer tokens need no credentials");
    HttpResponse<String> evil = send("OPTIONS", "/auth/login", null, "Origin", "https://chat.example.evil.net",
        "Access-Control-Request-Method", "POST");
    assertNull(evil.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    HttpResponse<String> post = postJson("/auth/register", "{\"username\":\"alice\",\"password\":\"correct horse\"}", "Origin", ORIGIN);
    assertEquals(ORIGIN, post.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
  }

  @Test
  void metricsCountLoginsByOutcome() throws Exception {
    start(config());
    register("alice");
    postJson("/auth/login", "{\"username\":\"alice\",\"password\":\"correct horse\"}");
    postJson("/auth/login", "{\"username\":\"alice\",\"password\":\"wrong horse\"}");
    postJson("/auth/login", "{\"username\":\"alice\"}");
    String m = send("GET", "/metrics", null).body();
    assertTrue(m.contains("switchboard_logins_total{outcome=\"success\"} 1\n"), m);
    assertTrue(m.contains("switchboard_logins_total{outcome=\"invalid_credentials\"} 1\n"), m);
    assertTrue(m.contains("switchboard_logins_total{outcome=\"malformed\"} 1\n"), m);
    assertTrue(m.contains("switchboard_signups_total{outcome=\"success\"} 1\n"), m);
    assertTrue(m.contains("switchboard_sessions_active 2\n"), m);
    assertTrue(m.contains("switchboard_users_registered 1\n"), m);
  }

  @Test
  void noPasswordOrTokenEverReachesTheLog() throws Exception {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.util.logging.Handler h = new java.util.logging.StreamHandler(captured, new java.util.logging.SimpleFormatter());
    h.setLevel(java.util.logging.Level.ALL);
    root.addHandler(h);
    java.util.logging.Level old = java.util.logging.Logger.getLogger("dev.switchboard").getLevel();
    java.util.logging.Logger.getLogger("dev.switchboard").setLevel(java.util.logging.Level.ALL);
    try {
      start(config());
      String token = register("alice");
      for (int i = 0; i < 6; i++) postJson("/auth/login", "{\"username\":\"alice\",\"password\":\"sekrit-" + i + "-pw\"}");
      send("POST", "/auth/logout", null, "Authorization", "Bearer " + token);
      h.flush();
      String log = captured.toString();
      assertTrue(log.contains("throttled"), "the log says something: " + log);
      assertTrue(!log.contains("sekrit") && !log.contains("correct horse") && !log.contains(token.substring(0, 20)), log);
    } finally {
      root.removeHandler(h);
      java.util.logging.Logger.getLogger("dev.switchboard").setLevel(old);
    }
  }
}
