package dev.switchboard.chat;

import static dev.switchboard.chat.ChatServerFixture.errorEvent;
import static dev.switchboard.chat.ChatServerFixture.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.storage.Database;
import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.storage.Retention;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.SocketIoTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chat.md "Rate limits": the history requests of one socket share a bucket of 10 with two tokens
 * back per second, on the chat's fake clock, so that one socket cannot fill the node's shared
 * history read queue.
 */
class ChatHistoryRateLimitTest {
  private static final String LIMITED = "Rate limit exceeded, slow down";

  @TempDir Path dir;
  private Database db;
  private ChatHistory history;
  private ChatServerFixture f;
  private SocketIoTestClient alice;
  private SocketIoTestClient bob;

  @BeforeEach
  void start() throws Exception {
    db = Database.open(DatabaseUrl.sqlite(dir.resolve("switchboard.db")));
    history = ChatHistory.start(db, new FakeScheduler(), Retention.DEFAULT);
    f = new ChatServerFixture(ChatOptions.DEFAULTS, true, history);
    alice = f.connect("u-alice", "alice");
    bob = f.connect("u-bob", "bob");
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
    history.close();
    db.close();
  }

  private JsonNode roomPage(SocketIoTestClient c) throws Exception {
    return c.emitWithAck("get-history", Map.of("room", "general"));
  }

  private static void assertOk(JsonNode ack) {
    assertTrue(ack.path("ok").asBoolean(), ack.toString());
  }

  @Test
  void historyRequestsBeyondTenAreRefusedUntilTokensComeBack() throws Exception {
    for (int i = 0; i < 5; i++) assertOk(roomPage(alice));
    for (int i = 0; i < 5; i++) assertOk(alice.emitWithAck("get-private-history", Map.of("userId", "u-bob")));
    // Both events draw from one bucket.
    assertEquals(refused(LIMITED), roomPage(alice));
    assertEquals(errorEvent("get-history", LIMITED), alice.awaitEvent("error"));
    assertEquals(refused(LIMITED), alice.emitWithAck("get-private-history", Map.of("userId", "u-bob")));
    assertEquals(errorEvent("get-private-history", LIMITED), alice.awaitEvent("error"));

    // The bucket is alice's socket's: bob still reads.
    assertOk(roomPage(bob));

    f.chatClock.advanceBy(Duration.ofMillis(499));
    assertEquals(refused(LIMITED), roomPage(alice));
    f.chatClock.advanceBy(Duration.ofMillis(1));
    assertOk(roomPage(alice));
    assertEquals(refused(LIMITED), roomPage(alice));
  }

  @Test
  void requestsRefusedForTheirInputCostNoToken() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertEquals(refused("You have not joined this room"), alice.emitWithAck("get-history", Map.of("room", "elsewhere")));
      assertEquals(refused("Invalid message id"), alice.emitWithAck("get-history", Map.of("room", "general", "before", "x")));
    }
    for (int i = 0; i < 10; i++) assertOk(roomPage(alice));
    assertEquals(refused(LIMITED), roomPage(alice));
  }
}
