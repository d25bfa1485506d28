package dev.switchboard.cli;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.switchboard.chat.WebPageBrowserTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product in headless Chromium ({@code conformance/browser/chat-page.mjs full}) against
 * the chat server as {@code java -jar switchboard.jar} runs it: two users sign up on the page,
 * see each other online, exchange room and private messages, see each other typing; a message
 * {@code <img src=x onerror=...>} is shown as text and runs nothing; a reload reconnects with the
 * stored token; logout ends the session in every tab of that user.
 */
class ChatPageBrowserTest {
  @TempDir Path dir;

  @Test
  void twoUsersChatInChromium() throws Exception {
    assumeFalse(Boolean.getBoolean("browser.skip"), "browser test skipped (-Dbrowser.skip=true)");
    WebPageBrowserTest.requireChromium();
    try (ChatServer server = ChatServer.start(ServerConfig.forTests(dir))) {
      WebPageBrowserTest.runChatPage("full", server.url());
    }
  }
}
