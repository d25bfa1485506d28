package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.admin.AdminUiOptions;
import dev.switchboard.chat.WebPageBrowserTest;
import dev.switchboard.testing.NodeScripts;
import dev.switchboard.testing.SocketIoTestClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Issue #12's "done when": the real {@code @socket.io/admin-ui} bundle, served by the chat server
 * at {@code /admin/}, in headless Chromium ({@code conformance/browser/admin-ui.mjs}): a wrong
 * password is refused with the UI's "Invalid credentials", the right one connects, and the UI
 * lists the two chat users' sockets and their rooms ({@code room:general}, the {@code room:ops}
 * one of them joined, their {@code user:} rooms).
 */
@Execution(ExecutionMode.CONCURRENT)
class AdminUiBrowserTest {
  private static final String PASSWORD = "admin password 1";

  @TempDir Path dir;

  @Test
  void theAdminUiShowsTheChatServersSocketsAndRoomsInChromium() throws Exception {
    assumeFalse(Boolean.getBoolean("browser.skip"), "browser test skipped (-Dbrowser.skip=true)");
    WebPageBrowserTest.requireChromium();
    AdminUiOptions admin = AdminUiOptions.builder().basicAuth("admin", BCrypt.hashpw(PASSWORD, BCrypt.gensalt(4))).build();
    try (ChatServer server = ChatServer.start(ServerConfig.forTests(dir).withAdminUi(AdminUiConfig.on(admin)));
        SocketIoTestClient alice = chatUser(server, "alice");
        SocketIoTestClient bob = chatUser(server, "bob")) {
      JsonNode joined = alice.emitWithAck("join", Map.of("room", "ops"));
      assertTrue(joined.path("ok").asBoolean(), joined.toString());
      String aliceRoom = server.io().sockets().sockets().get(alice.sid()).rooms().stream()
          .filter(r -> r.startsWith("user:")).findFirst().orElseThrow();
      NodeScripts.run("browser/admin-ui.mjs", List.of(), Map.of(
          "SERVER_URL", server.url(),
          "ADMIN_USER", "admin",
          "ADMIN_PASSWORD", PASSWORD,
          "EXPECT_SOCKETS", alice.sid() + "," + bob.sid(),
          "EXPECT_ROOMS", "room:general,room:ops," + aliceRoom), 60);
    }
  }

  private static SocketIoTestClient chatUser(ChatServer server, String name) throws Exception {
    SocketIoTestClient c = SocketIoTestClient.connect(server.port(), StorageWiringTest.auth(StorageWiringTest.register(server, name)));
    c.awaitEvent("online-users");
    return c;
  }
}
