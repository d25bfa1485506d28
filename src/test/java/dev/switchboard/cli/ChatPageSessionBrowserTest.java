package dev.switchboard.cli;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.switchboard.chat.WebPageBrowserTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A chat people keep open (issue #13), in headless Chromium ({@code conformance/browser/chat-page.mjs
 * session}) against the chat server with {@code --token-ttl 60s}: two users in two tabs of one
 * browser; alice's tab stays logged in for over three minutes of 60-second tokens (the page
 * refreshes them itself); the room-name rule, the room directory with its search and member
 * counts, "No messages yet", the unread count in the title, history when the server answers
 * {@code get-history} (checked with one raw ack; otherwise only that nothing is shown or said),
 * a reload keeping the rooms (general left included), the offline state and "Reconnected.", and
 * the forced-logout reasons the real server gives: {@code logout} in a duplicated tab,
 * {@code logged-out-elsewhere} after 20 newer logins, {@code expired} when refreshes fail (with the
 * notice saying so). The other reasons' sentences are checked by {@link WebPageBrowserTest}.
 *
 * <p>Wall time about 3 min 15 s: the three minutes are the point (real 60 s tokens, no fake
 * clock in a browser), and everything else runs inside them. Concurrent: with JUnit's parallel
 * engine on (src/test/resources/junit-platform.properties) it runs beside the sequential rest
 * instead of adding its wall time to {@code mvn verify}; it shares nothing with other tests (its
 * own server on a free port, its own data directory and Chromium).
 */
@Execution(ExecutionMode.CONCURRENT)
class ChatPageSessionBrowserTest {
  @TempDir Path dir;

  @Test
  void aTabStaysLoggedInOverThreeMinutesOfOneMinuteTokens() throws Exception {
    assumeFalse(Boolean.getBoolean("browser.skip"), "browser test skipped (-Dbrowser.skip=true)");
    WebPageBrowserTest.requireChromium();
    try (ChatServer server = ChatServer.start(ServerConfig.forTests(dir).withTokenTtl(Duration.ofSeconds(60)))) {
      WebPageBrowserTest.runChatPage("session", server.url(), 240);
    }
  }
}
