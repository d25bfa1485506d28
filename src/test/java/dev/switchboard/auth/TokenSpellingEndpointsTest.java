package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.SocketIoTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Issue #14, "one token, many spellings", at every place a token is accepted: the CONNECT auth
 * payload, and {@code Authorization: Bearer} on refresh and logout. Each other spelling of a live
 * token gets the answer a bad signature gets (no oracle), and the server goes on serving the
 * token as issued. The rules and the refusal before the MAC: {@code TokenServiceTest}.
 */
class TokenSpellingEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private AuthTestServer server;
  private String token;
  private List<Arguments> spellings;
  private String badSignature;

  @BeforeEach
  void start() throws Exception {
    server = new AuthTestServer(dir);
    token = server.register("alice");
    // A token whose signature holds '-' and '_', so that its standard-base64 spelling differs.
    for (int i = 0; i < 60 && !(signature(token).contains("-") && signature(token).contains("_")); i++) {
      token = server.auth.login("127.0.0.1", "alice", "correct horse").get(10, TimeUnit.SECONDS).grant().token().token();
    }
    spellings = TokenServiceTest.otherSpellings(token, false);
    // The reference answer: the same token with its MAC broken.
    char c = token.charAt(token.length() - 10);
    badSignature = token.substring(0, token.length() - 10) + (c == 'A' ? 'B' : 'A') + token.substring(token.length() - 9);
  }

  private static String signature(String t) {
    return t.substring(t.lastIndexOf('.') + 1);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String authJson(String t) {
    return JSON.createObjectNode().put("token", t).toString();
  }

  @Test
  void theHandshakeRefusesEveryOtherSpellingAsItRefusesABadSignature() throws Exception {
    SocketIoTestClient.Packet reference;
    try (SocketIoTestClient c = SocketIoTestClient.open(server.port())) {
      reference = c.sendConnect(authJson(badSignature));
    }
    assertEquals("Authentication failed", reference.data().get("message").asText());
    for (Arguments a : spellings) {
      String what = (String) a.get()[0];
      String spelling = (String) a.get()[1];
      try (SocketIoTestClient c = SocketIoTestClient.open(server.port())) {
        SocketIoTestClient.Packet answer = c.sendConnect(authJson(spelling));
        assertEquals(SocketIoTestClient.CONNECT_ERROR, answer.type(), what);
        assertEquals(reference.data(), answer.data(), what);
        // The same connection then connects with the token as issued.
        assertEquals(SocketIoTestClient.CONNECT, c.sendConnect(authJson(token)).type(), what);
        assertEquals("alice", c.emitWithAck("whoami").asText(), what);
      }
      // The HTTP form in the payload is held to the same spelling ("Bearer" 1*SP token, RFC 6750
      // §2.1, so a leading space is only a second separator there).
      if (what.equals("a leading space")) continue;
      try (SocketIoTestClient c = SocketIoTestClient.open(server.port())) {
        assertEquals(reference.data(), c.sendConnect(authJson("Bearer " + spelling)).data(), what);
      }
    }
  }

  private void assertRefusedLikeABadSignature(String path, String what, HttpResponse<String> reference,
      HttpResponse<String> r) {
    assertEquals(401, r.statusCode(), what + " on " + path);
    assertEquals(reference.body(), r.body(), what + " on " + path);
    assertEquals(reference.headers().firstValue("WWW-Authenticate"), r.headers().firstValue("WWW-Authenticate"),
        what + " on " + path);
  }

  @Test
  void refreshAndLogoutRefuseEveryOtherSpellingAsTheyRefuseABadSignature() throws Exception {
    for (String path : List.of("/auth/refresh", "/auth/logout")) {
      HttpResponse<String> reference = server.post(path, new byte[0], "Authorization", "Bearer " + badSignature);
      assertEquals(401, reference.statusCode());
      assertEquals("{\"error\":\"Authentication failed\"}", reference.body());
      for (Arguments a : TokenServiceTest.otherSpellings(token, true)) {
        String what = (String) a.get()[0];
        assertRefusedLikeABadSignature(path, what, reference,
            server.post(path, new byte[0], "Authorization", "Bearer " + a.get()[1]));
      }
    }
    // Nothing was refreshed or logged out: the token as issued still refreshes, then connects.
    HttpResponse<String> ok = server.post("/auth/refresh", new byte[0], "Authorization", "Bearer " + token);
    assertEquals(200, ok.statusCode(), ok.body());
    try (SocketIoTestClient c = SocketIoTestClient.connect(server.port(), authJson(token))) {
      assertEquals("alice", c.emitWithAck("whoami").asText());
    }
  }
}
