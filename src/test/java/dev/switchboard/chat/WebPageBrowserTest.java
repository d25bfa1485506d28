package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.NodeScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat page in headless Chromium ({@code conformance/browser/chat-page.mjs smoke}, driven by
 * playwright-core from conformance/package-lock.json) against a server that has only the
 * {@link WebPage} routes and stand-ins for the authentication server: the page loads under its CSP
 * without a console error, the official bundle runs, a tab's stored token reconnects and travels
 * in the CONNECT payload only, another tab starts logged out, token-expiring schedules the refresh,
 * and a refused or ended session returns to the login screen saying why (each
 * {@code session-ended} reason, and a restart that forgot the session: the stand-in closes every
 * connection and comes back on the same port without it). About 15 s.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium} ({@code apt-get install -y chromium});
 * {@code -Dbrowser.skip=true} skips it, which CI never does.
 */
public class WebPageBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final int DEADLINE_SECONDS = 90; // the script's own deadline is 60 s

  private volatile SocketIoServer io; // replaced by POST /smoke/restart
  private volatile Exception restartFailure;
  private final Queue<Handshake> handshakes = new ConcurrentLinkedQueue<>();
  private final Queue<String> refreshAuthorizations = new ConcurrentLinkedQueue<>();
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private final Queue<String> historyRequests = new ConcurrentLinkedQueue<>();

  private static String token(Handshake h) {
    return h.auth().path("token").asText("");
  }

  @BeforeEach
  void start() throws Exception {
    assumeFalse(Boolean.getBoolean("browser.skip"), "browser test skipped (-Dbrowser.skip=true)");
    requireChromium();
    io = newServer(0);
  }

  /** The stand-in server, listening on {@code port} (0: any free one). */
  private SocketIoServer newServer(int port) throws java.io.IOException {
    SocketIoServer io = new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build());
    WebPage page = new WebPage();
    for (String path : WebPage.paths()) io.route(path, page);
    // Stand-ins for the authentication server (authentication.md): the handshake middleware with
    // its refusal of a revoked session, token-expiring and session-ended (chat.md), and a
    // POST /auth/refresh that knows one token.
    io.use((socket, next) -> {
      handshakes.add(socket.handshake());
      String token = token(socket.handshake());
      if (token.equals("smoke-revoked") || ended.contains(token)) {
        next.fail(new ConnectError("Session expired", Map.of("code", "SESSION_EXPIRED")));
      } else if (List.of("smoke-token", "smoke-token-2", "smoke-kicked", "smoke-restart").contains(token)
          || token.startsWith("smoke-ended-")) {
        next.proceed();
      } else {
        next.fail(new ConnectError("Authentication failed", Map.of("code", "AUTH_FAILED")));
      }
    });
    io.onConnection(socket -> {
      switch (token(socket.handshake())) {
        // Four seconds left on the server's clock: the page refreshes half-way (its margin is at
        // most half the time left when it knows no lifetime).
        case "smoke-token" -> socket.emit("token-expiring", Map.of(
            "expiresAt", Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS).toString(), "secondsLeft", 4));
        // get-history as chat.md has it, for general: 60 messages from 2024, pages of at most 50.
        case "smoke-token-2" -> socket.on("get-history", (args, ack) -> {
          historyRequests.add(args.get(0).toString());
          ack.send(historyPage(args.get(0).path("before").asText("")));
        });
        // As the chat server does: session-ended, then the disconnect, and the session is gone.
        case "smoke-kicked" -> {
          ended.add("smoke-kicked");
          socket.emit("session-ended", Map.of("reason", "logout"));
          socket.disconnect(true);
        }
        default -> {
          // session-ended alone, with the reason the token names: the page must leave on its own
          // and say why (chat.md, "Why a session ended").
          String t = token(socket.handshake());
          if (t.startsWith("smoke-ended-")) socket.emit("session-ended", Map.of("reason", t.substring("smoke-ended-".length())));
        }
      }
    });
    io.route("/auth/refresh", exchange -> {
      refreshAuthorizations.add(String.valueOf(exchange.request().header("Authorization")));
      boolean known = exchange.request().method().equals("POST")
          && "Bearer smoke-token".equals(exchange.request().header("Authorization"));
      exchange.respond(HttpResponse.status(known ? 200 : 401)
          .header("Cache-Control", "no-store")
          .body(known
              ? "{\"token\":\"smoke-token-2\",\"user\":{\"id\":\"u-smoke\",\"username\":\"smoke <b>user</b>\"},"
                  + "\"expiresAt\":\"2030-01-01T01:00:00.000Z\"}"
              : "{\"error\":\"Authentication failed\"}", "application/json")
          .build());
    });
    io.route("/auth/login", exchange -> exchange.respond(HttpResponse.status(429)
        .header("Cache-Control", "no-store")
        .header("Retry-After", "899")
        .body("{\"error\":\"Too many failed attempts, try again later\"}", "application/json")
        .build()));
    // A restart that forgets smoke-restart's session: every connection closes without a word, and
    // the server on the same port refuses the token (chat.md, server-restart).
    io.route("/smoke/restart", exchange -> {
      ended.add("smoke-restart");
      exchange.respond(HttpResponse.status(204).build());
      new Thread(() -> {
        SocketIoServer old = this.io;
        int samePort = old.port();
        old.close();
        try {
          this.io = newServer(samePort);
        } catch (Exception e) {
          restartFailure = e;
        }
      }, "smoke-restart").start();
    });
    io.listen(port);
    return io;
  }

  /** The page of general's history before message id {@code before} ("" for the newest). */
  private static Map<String, Object> historyPage(String before) {
    int end = before.isEmpty() ? 60 : Integer.parseInt(before.substring(1)) - 1; // ids m1..m60
    int start = Math.max(1, end - 49);
    List<Map<String, Object>> messages = new java.util.ArrayList<>();
    for (int i = start; i <= end; i++) {
      messages.add(Map.of("id", "m" + i, "userId", "u-old", "username", "old-timer", "message", "history " + i,
          "room", "general", "timestamp", Instant.parse("2024-01-02T10:00:00Z").plusSeconds(60L * i).toString()));
    }
    return Map.of("ok", true, "room", "general", "messages", messages, "hasMore", start > 1);
  }

  @AfterEach
  void stop() {
    if (io != null) io.close();
  }

  @Test
  void smokeScenarioPassesInChromium() throws Exception {
    runChatPage("smoke", "http://127.0.0.1:" + io.port());
    assertEquals(null, restartFailure, "the stand-in's restart");

    // The page presented every token in the CONNECT packet, the refreshed one after its reload,
    // and none in a handshake URL; it refreshed with the Authorization header.
    List<String> tokens = handshakes.stream().map(WebPageBrowserTest::token).toList();
    assertTrue(tokens.containsAll(List.of("smoke-token", "smoke-token-2", "smoke-revoked", "smoke-restart", "smoke-ended-expired",
            "smoke-ended-logout", "smoke-ended-logged-out-elsewhere", "smoke-ended-revoked", "smoke-kicked")),
        "tokens seen: " + tokens);
    assertEquals(List.of("Bearer smoke-token"), List.copyOf(refreshAuthorizations));
    // The page asked for general's newest page when it opened it, then for the one before its
    // oldest message when scrolled to the top, and no more (hasMore was false) — until the
    // restart, after which it asked for the newest page again, to merge what it missed.
    String newest = "{\"room\":\"general\",\"limit\":50}";
    List<String> asked = List.copyOf(historyRequests);
    assertEquals(List.of(newest, "{\"room\":\"general\",\"limit\":50,\"before\":\"m11\"}"), asked.subList(0, Math.min(2, asked.size())));
    assertTrue(asked.size() >= 2 && asked.subList(2, asked.size()).stream().allMatch(newest::equals), "asked: " + asked);
    for (Handshake h : handshakes) {
      assertFalse(h.url().contains("smoke-"), "token in the handshake URL " + h.url());
      assertFalse(h.query().values().stream().anyMatch(v -> v.contains("smoke-")), "token in the query " + h.query());
    }
  }

  /** Runs {@code node browser/chat-page.mjs <mode>} in conformance/; fails with the script's words. */
  public static void runChatPage(String mode, String serverUrl) throws Exception {
    NodeScripts.run("browser/chat-page.mjs", List.of(mode), Map.of("SERVER_URL", serverUrl), DEADLINE_SECONDS);
  }

  /** The same for a mode that needs longer than 60 s: the script stops at {@code scriptSeconds}. */
  public static void runChatPage(String mode, String serverUrl, int scriptSeconds) throws Exception {
    NodeScripts.run("browser/chat-page.mjs", List.of(mode),
        Map.of("SERVER_URL", serverUrl, "DEADLINE_MS", String.valueOf(scriptSeconds * 1000L)), scriptSeconds + 30);
  }

  /** Fails with how to install Chromium when it is missing (CI installs it). */
  public static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new AssertionError("The chat page's browser test needs Chromium at " + CHROMIUM
          + ". Install it with `apt-get install -y chromium` (Debian), or skip this test with -Dbrowser.skip=true.");
    }
  }
}
