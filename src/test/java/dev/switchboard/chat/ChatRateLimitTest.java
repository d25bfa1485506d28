package dev.switchboard.chat;

import static dev.switchboard.chat.ChatServerFixture.errorEvent;
import static dev.switchboard.chat.ChatServerFixture.json;
import static dev.switchboard.chat.ChatServerFixture.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** chat.md "Rate limits", on the fake clock: refused beyond the bucket, then recovered. */
class ChatRateLimitTest {
  private static final String LIMITED = "Rate limit exceeded, slow down";

  private ChatServerFixture f;
  private SocketIoTestClient alice;
  private SocketIoTestClient bob;

  @BeforeEach
  void start() throws Exception {
    f = new ChatServerFixture();
    alice = f.connect("u-alice", "alice");
    bob = f.connect("u-bob", "bob");
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private JsonNode say(SocketIoTestClient c, String text) throws Exception {
    return c.emitWithAck("chat-message", Map.of("room", "general", "message", text));
  }

  private static void assertOk(JsonNode ack) {
    assertTrue(ack.path("ok").asBoolean(), ack.toString());
  }

  @Test
  void messagesBeyondTenAreRefusedUntilTokensComeBack() throws Exception {
    for (int i = 0; i < 10; i++) assertOk(say(alice, "m" + i));
    assertEquals(refused(LIMITED), say(alice, "one too many"));
    assertEquals(errorEvent("chat-message", LIMITED), alice.awaitEvent("error"));
    // private-message draws from the same bucket
    assertEquals(refused(LIMITED), alice.emitWithAck("private-message", Map.of("targetUserId", "u-bob", "message", "x")));
    assertEquals(errorEvent("private-message", LIMITED), alice.awaitEvent("error"));

    f.chatClock.advanceBy(Duration.ofMillis(999));
    assertEquals(refused(LIMITED), say(alice, "not yet"));
    f.chatClock.advanceBy(Duration.ofMillis(1));
    assertOk(alice.emitWithAck("private-message", Map.of("targetUserId", "u-bob", "message", "now")));
    assertEquals(refused(LIMITED), say(alice, "and again"));

    f.chatClock.advanceBy(Duration.ofSeconds(60));
    for (int i = 0; i < 10; i++) assertOk(say(alice, "n" + i));
    assertEquals(refused(LIMITED), say(alice, "full bucket is ten"));

    bob.sync();
    assertEquals(20, bob.takeEvents("new-message").size());
    assertEquals(1, bob.takeEvents("private-message").size());
    assertEquals(21, f.chat.messagesRelayed());
  }

  @Test
  void refusedMessagesCostNoToken() throws Exception {
    for (int i = 0; i < 30; i++) {
      assertEquals(refused("Message cannot be empty"), say(alice, "   "));
    }
    for (int i = 0; i < 10; i++) assertOk(say(alice, "m" + i));
  }

  @Test
  void bucketsArePerSocket() throws Exception {
    SocketIoTestClient alice2 = f.connect("u-alice", "alice");
    for (int i = 0; i < 10; i++) assertOk(say(alice, "m" + i));
    assertEquals(refused(LIMITED), say(alice, "limited"));
    assertOk(say(alice2, "another tab has its own bucket"));
    assertOk(say(bob, "and so does bob"));
  }

  @Test
  void typingBeyondFiveIsDroppedSilently() throws Exception {
    for (int i = 0; i < 5; i++) assertEquals(json("{\"ok\":true}"), alice.emitWithAck("typing", Map.of("room", "general")));
    assertEquals(json("{\"ok\":true}"), alice.emitWithAck("typing", Map.of("room", "general")));
    alice.emit("typing", Map.of("room", "general"));
    alice.assertNoEvent("error");
    bob.sync();
    assertEquals(5, bob.takeEvents("user-typing").size());

    f.chatClock.advanceBy(Duration.ofMillis(500)); // two tokens a second
    alice.emitWithAck("typing", Map.of("room", "general", "isTyping", false));
    alice.emitWithAck("typing", Map.of("room", "general"));
    bob.sync();
    assertEquals(1, bob.takeEvents("user-typing").size());

    // The typing bucket is not the message bucket.
    assertOk(say(alice, "typing did not use my message tokens"));
  }
}
