package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.admin.AdminUiOptions;
import dev.switchboard.testing.SocketIoTestClient;
import dev.switchboard.testing.SocketIoTestClient.Packet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * The chat server without and with {@code --admin-ui}: off, neither the namespace nor the page
 * exists; on, the admin connects with its password and no chat token, sees the chat's sockets,
 * and the chat's namespace still wants its token.
 */
class AdminUiChatServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String LOGIN = "{\"username\":\"admin\",\"password\":\"admin password 1\"}";

  @TempDir Path dir;

  private static int get(ChatServer server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static Packet connectAdmin(SocketIoTestClient c, String auth) throws Exception {
    c.send("0/admin," + auth);
    return c.awaitPacket("CONNECT answer for /admin", SocketIoTestClient.DEFAULT_TIMEOUT,
        p -> p.namespace().equals("/admin") && (p.type() == SocketIoTestClient.CONNECT || p.type() == SocketIoTestClient.CONNECT_ERROR));
  }

  @Test
  void offByDefaultThereIsNoAdminNamespaceNorPage() throws Exception {
    try (ChatServer server = ChatServer.start(ServerConfig.forTests(dir));
        SocketIoTestClient c = SocketIoTestClient.open(server.port())) {
      assertEquals(404, get(server, "/admin/"));
      Packet answer = connectAdmin(c, LOGIN);
      assertEquals(SocketIoTestClient.CONNECT_ERROR, answer.type());
      assertEquals("Invalid namespace", answer.data().path("message").asText());
    }
  }

  @Test
  void onTheAdminSeesTheChatsSocketsWithItsOwnPasswordAndTheChatStillWantsItsToken() throws Exception {
    AdminUiOptions admin = AdminUiOptions.builder().basicAuth("admin", BCrypt.hashpw("admin password 1", BCrypt.gensalt(4))).build();
    try (ChatServer server = ChatServer.start(ServerConfig.forTests(dir).withAdminUi(AdminUiConfig.on(admin)));
        SocketIoTestClient alice = SocketIoTestClient.connect(server.port(),
            StorageWiringTest.auth(StorageWiringTest.register(server, "alice")));
        SocketIoTestClient stranger = SocketIoTestClient.open(server.port());
        SocketIoTestClient c = SocketIoTestClient.open(server.port())) {
      assertEquals(200, get(server, "/admin/"));
      assertEquals(SocketIoTestClient.CONNECT_ERROR, stranger.sendConnect(LOGIN).type(), "the admin password is no chat token");

      assertEquals(SocketIoTestClient.CONNECT, connectAdmin(c, LOGIN).type());
      JsonNode sockets = c.awaitPacket("all_sockets", SocketIoTestClient.DEFAULT_TIMEOUT,
          p -> p.namespace().equals("/admin") && "all_sockets".equals(p.event())).arg(0);
      boolean found = false;
      for (JsonNode s : sockets) {
        if (s.path("id").asText().equals(alice.sid())) {
          found = true;
          assertTrue(s.path("rooms").toString().contains("room:general"), s.toString());
        }
      }
      assertTrue(found, "alice in " + sockets);
    }
  }
}
