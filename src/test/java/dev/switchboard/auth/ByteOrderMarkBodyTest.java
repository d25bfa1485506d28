package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.SocketIoTestClient;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #14: a login body starting with a UTF-8 byte-order mark was taken as a login (401 after a
 * bcrypt check). RFC 8259 §8.1 says senders MUST NOT add one; we refuse it (400) on every
 * {@code /auth/} endpoint, before any password is checked or counted, and bodies in UTF-16 or
 * UTF-32 (which Jackson would decode) with it.
 */
class ByteOrderMarkBodyTest {
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final String NO_BOM = "{\"error\":\"Request body must not start with a byte-order mark\"}";
  private static final String[] JSON_TYPE = {"Content-Type", "application/json"};
  @TempDir Path dir;
  private AuthTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new AuthTestServer(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static byte[] credentials(String name, String password, Charset charset) {
    return ("{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}").getBytes(charset);
  }

  private HttpResponse<String> login(byte[] body) throws Exception {
    return server.post("/auth/login", body, JSON_TYPE);
  }

  @Test
  void aLoginWithABomIsRefusedBeforeAnyPasswordIsChecked() throws Exception {
    server.register("alice");
    // The attack as the issue ran it, past the limit of 5 failures: every attempt is malformed,
    // none reaches the limiter or bcrypt.
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = login(concat(UTF8_BOM, credentials("alice", "wrong guess " + i, StandardCharsets.UTF_8)));
      assertEquals(400, r.statusCode(), r.body());
      assertEquals(NO_BOM, r.body());
    }
    // Even the right password after a BOM is malformed, not a login.
    assertEquals(400, login(concat(UTF8_BOM, credentials("alice", "correct horse", StandardCharsets.UTF_8))).statusCode());
    assertEquals(9, server.auth.logins(LoginOutcome.MALFORMED));
    assertEquals(0, server.auth.logins(LoginOutcome.INVALID_CREDENTIALS));
    assertEquals(0, server.auth.logins(LoginOutcome.SUCCESS));
    // The well-behaved client: not throttled, logs in, connects.
    HttpResponse<String> ok = login(credentials("alice", "correct horse", StandardCharsets.UTF_8));
    assertEquals(200, ok.statusCode(), ok.body());
    String token = AuthTestServer.JSON.readTree(ok.body()).get("token").asText();
    try (SocketIoTestClient c = SocketIoTestClient.connect(server.port(), "{\"token\":\"" + token + "\"}")) {
      assertEquals("alice", c.emitWithAck("whoami").asText());
    }
  }

  static Stream<Arguments> otherEncodings() {
    return Stream.of(
        Arguments.of("UTF-16LE with its BOM", concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
            credentials("bob", "correct horse", StandardCharsets.UTF_16LE)), NO_BOM),
        Arguments.of("UTF-16BE with its BOM", credentials("bob", "correct horse", StandardCharsets.UTF_16), NO_BOM),
        Arguments.of("UTF-16BE without a BOM", credentials("bob", "correct horse", StandardCharsets.UTF_16BE),
            "{\"error\":\"Request body is not valid JSON\"}"),
        Arguments.of("UTF-32BE without a BOM", credentials("bob", "correct horse", Charset.forName("UTF-32BE")),
            "{\"error\":\"Request body is not valid JSON\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherEncodings")
  void aSignUpIsUtf8WithoutABom(String what, byte[] body, String answer) throws Exception {
    HttpResponse<String> withBom = server.post("/auth/register",
        concat(UTF8_BOM, credentials("bob", "correct horse", StandardCharsets.UTF_8)), JSON_TYPE);
    assertEquals(400, withBom.statusCode());
    assertEquals(NO_BOM, withBom.body());
    HttpResponse<String> r = server.post("/auth/register", body, JSON_TYPE);
    assertEquals(400, r.statusCode(), what);
    assertEquals(answer, r.body(), what);
    assertEquals(0, server.auth.users().count(), "no user was created");
    // The same sign-up in UTF-8 works.
    assertEquals(201, server.post("/auth/register", credentials("bob", "correct horse", StandardCharsets.UTF_8), JSON_TYPE)
        .statusCode());
  }

  @Test
  void refreshAndLogoutRefuseABomBodyAndLeaveTheSessionAlone() throws Exception {
    String token = server.register("alice");
    for (String path : new String[] {"/auth/refresh", "/auth/logout"}) {
      HttpResponse<String> r = server.post(path, concat(UTF8_BOM, "{}".getBytes(StandardCharsets.UTF_8)),
          "Authorization", "Bearer " + token, "Content-Type", "application/json");
      assertEquals(400, r.statusCode(), path);
      assertEquals(NO_BOM, r.body(), path);
    }
    // Not logged out: the token still refreshes.
    assertEquals(200, server.post("/auth/refresh", new byte[0], "Authorization", "Bearer " + token).statusCode());
  }
}
