package dev.switchboard.chat;

import static dev.switchboard.chat.ChatServerFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.Await;
import dev.switchboard.testing.SocketIoTestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** chat.md §Server → client: online-users, user-joined, user-left; get-online-users; the metrics. */
class ChatPresenceTest {
  private static final String ALICE = "{\"userId\":\"u-alice\",\"username\":\"alice\"}";
  private static final String BOB = "{\"userId\":\"u-bob\",\"username\":\"bob\"}";

  private ChatServerFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new ChatServerFixture();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private void awaitConnections(String userId, int n) {
    Await.until(userId + " has " + n + " connections", () -> f.chat.presence().connections(userId) == n);
  }

  @Test
  void aConnectingSocketGetsEveryoneOnlineItselfIncluded() throws Exception {
    SocketIoTestClient bob = f.connectRaw(f.auth("u-bob", "bob"));
    assertEquals(json("[" + BOB + "]"), bob.awaitEvent("online-users"));
    SocketIoTestClient alice = f.connectRaw(f.auth("u-alice", "alice"));
    assertEquals(json("[" + ALICE + "," + BOB + "]"), alice.awaitEvent("online-users"));
    alice.assertNoEvent("user-joined"); // not told about itself
  }

  @Test
  void aUserJoinsWithTheFirstConnectionAndLeavesWithTheLast() throws Exception {
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    SocketIoTestClient alice1 = f.connect("u-alice", "alice");
    assertEquals(json(ALICE), bob.awaitEvent("user-joined"));
    SocketIoTestClient alice2 = f.connect("u-alice", "alice");
    bob.assertNoEvent("user-joined");
    alice1.assertNoEvent("user-joined");
    alice2.assertNoEvent("user-joined");
    assertEquals(2, f.chat.onlineUsers());

    alice1.close();
    awaitConnections("u-alice", 1);
    bob.assertNoEvent("user-left");
    alice2.assertNoEvent("user-left");
    assertEquals(2, f.chat.onlineUsers());

    alice2.close();
    assertEquals(json(ALICE), bob.awaitEvent("user-left"));
    assertEquals(1, f.chat.onlineUsers());

    SocketIoTestClient alice3 = f.connect("u-alice", "alice");
    assertEquals(json(ALICE), bob.awaitEvent("user-joined"), "a returning user joins again");
    alice3.assertNoEvent("user-joined");
  }

  @Test
  void aNamespaceDisconnectCountsAsGone() throws Exception {
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    bob.awaitEvent("user-joined");
    alice.send("1"); // socket.io-protocol §DISCONNECT from the client
    assertEquals(json(ALICE), bob.awaitEvent("user-left"));
    assertEquals(1, f.chat.onlineUsers());
  }

  @Test
  void getOnlineUsersAnswersTheDistinctUsers() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    f.connect("u-alice", "alice");
    f.connect("u-bob", "bob");
    assertEquals(json("{\"ok\":true,\"users\":[" + ALICE + "," + BOB + "]}"), alice.emitWithAck("get-online-users"));
    assertEquals(json("{\"ok\":true,\"users\":[" + ALICE + "," + BOB + "]}"),
        alice.emitRawWithAck("get-online-users", "\"ignored\""));
    // Without an ack there is nothing to answer and nothing else happens.
    alice.emit("get-online-users");
    alice.assertNoEvent("error");
  }

  @Test
  void metricsCountDistinctUsersAndRelayedMessages() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    assertEquals(2, f.chat.onlineUsers());
    assertEquals(0, f.chat.messagesRelayed());
    alice.emitWithAck("chat-message", Map.of("room", "general", "message", "hi"));
    alice.emitWithAck("private-message", Map.of("targetUserId", "u-bob", "message", "hi"));
    alice.emitWithAck("chat-message", Map.of("room", "general", "message", " ")); // refused
    alice.emitWithAck("private-message", Map.of("targetUserId", "u-ghost", "message", "hi")); // refused
    alice.emitWithAck("typing", Map.of("room", "general")); // not a message
    assertEquals(2, f.chat.messagesRelayed());
    bob.close();
    Await.until("bob offline", () -> f.chat.onlineUsers() == 1);
  }

  @Test
  void aSocketWithoutAPrincipalIsDisconnected() throws Exception {
    try (ChatServerFixture bare = new ChatServerFixture(ChatOptions.DEFAULTS, false)) {
      SocketIoTestClient c = bare.connectRaw("{\"userId\":\"u-alice\",\"username\":\"alice\"}");
      c.awaitDisconnect();
      assertEquals(0, bare.chat.onlineUsers());
    }
  }

  @Test
  void installingTwiceIsAProgrammingError() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> f.chat.install(f.io.sockets()));
  }
}
