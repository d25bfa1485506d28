package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoV3Codec;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.RawHttpClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat server serves socket.io-client 2.x clients (allowEIO3, issue #12), who have no auth
 * payload: the token comes from the handshake's {@code Authorization: Bearer} header or its
 * {@code token} query parameter — for them only (spec-notes/authentication.md, "Clients without an
 * auth payload"). Raw Engine.IO 3 polling, as a 2.x client speaks it.
 */
class ChatServerEio3Test {
  private final FakeScheduler clock = new FakeScheduler();
  @TempDir Path dir;
  private ChatServer server;
  private String token;

  @BeforeEach
  void start() throws Exception {
    server = ChatServer.start(ServerConfig.forTests(dir), clock);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/auth/register"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"correct horse\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    token = new ObjectMapper().readTree(r.body()).get("token").asText();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String handshake(String query, String... headers) throws Exception {
    RawHttpClient.Response r = RawHttpClient.request(server.port(), "GET", "/socket.io/?EIO=3&transport=polling" + query, null, headers);
    assertEquals(200, r.status(), r.bodyText());
    String open = EngineIoV3Codec.decodeTextPayload(r.bodyText()).get(0).text();
    int i = open.indexOf("\"sid\":\"") + 7;
    return open.substring(i, open.indexOf('"', i));
  }

  /** The Socket.IO packets of the next polls until one starts with {@code prefix}. */
  private String pollFor(String sid, String prefix) throws Exception {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RawHttpClient.Response r = RawHttpClient.request(server.port(), "GET", "/socket.io/?EIO=3&transport=polling&sid=" + sid, null);
      assertEquals(200, r.status(), r.bodyText());
      for (EngineIoPacket p : EngineIoV3Codec.decodeTextPayload(r.bodyText())) {
        if (p.type() != dev.switchboard.engineio.protocol.EngineIoPacketType.MESSAGE) continue;
        if (p.text().startsWith(prefix)) return p.text();
        seen.add(p.text());
      }
    }
    throw new AssertionError("no " + prefix + " in " + seen);
  }

  private void post(String sid, String socketIoPacket) throws Exception {
    String packet = "4" + socketIoPacket;
    RawHttpClient.Response r = RawHttpClient.request(server.port(), "POST", "/socket.io/?EIO=3&transport=polling&sid=" + sid,
        packet.length() + ":" + packet);
    assertEquals("ok", r.bodyText());
  }

  private void assertConnectedAsAlice(String sid) throws Exception {
    // Socket.IO protocol 4: the server connects "/" by itself and answers a bare CONNECT.
    assertEquals("0", pollFor(sid, "0"));
    post(sid, "21[\"get-online-users\"]");
    String ack = pollFor(sid, "31");
    assertTrue(ack.contains("alice"), ack);
  }

  @Test
  void theTokenInTheQueryConnects() throws Exception {
    assertConnectedAsAlice(handshake("&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
  }

  @Test
  void theTokenInAnAuthorizationHeaderConnects() throws Exception {
    assertConnectedAsAlice(handshake("", "Authorization", "Bearer " + token));
  }

  @Test
  void noTokenOrABadOneIsRefusedWithTheCodeAsTheErrorData() throws Exception {
    // socket.io-protocol v4 §ERROR: Node sends a 2.x client err.data (else the message).
    assertEquals("4{\"code\":\"TOKEN_REQUIRED\"}", pollFor(handshake(""), "4"));
    assertTrue(pollFor(handshake("&token=" + token + "x"), "4").startsWith("4{\"code\":"));
    assertTrue(pollFor(handshake("", "Authorization", "Basic " + token), "4").startsWith("4{\"code\":\"TOKEN_REQUIRED\""));
  }

  @Test
  void aV4ClientsQueryTokenIsStillNotLookedAt() throws Exception {
    RawHttpClient.Response open = RawHttpClient.request(server.port(), "GET",
        "/socket.io/?EIO=4&transport=polling&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), null);
    String body = open.bodyText();
    String sid = body.substring(body.indexOf("\"sid\":\"") + 7, body.indexOf('"', body.indexOf("\"sid\":\"") + 7));
    String base = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    assertEquals("ok", RawHttpClient.request(server.port(), "POST", base, "40").bodyText());
    String answer = RawHttpClient.request(server.port(), "GET", base, null).bodyText();
    assertTrue(answer.startsWith("44{\"message\":\"Authentication token required\""), answer);
  }
}
