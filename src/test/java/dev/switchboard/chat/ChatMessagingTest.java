package dev.switchboard.chat;

import static dev.switchboard.chat.ChatServerFixture.errorEvent;
import static dev.switchboard.chat.ChatServerFixture.json;
import static dev.switchboard.chat.ChatServerFixture.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rooms, room messages, private messages and typing over a real server (chat.md). */
class ChatMessagingTest {
  /** FakeScheduler's wall clock starts at 1_700_000_000_000 ms. */
  private static final String T0 = "2023-11-14T22:13:20.000Z";

  private ChatServerFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new ChatServerFixture();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private static JsonNode ok(String field, String value) {
    return JsonNodeFactory.instance.objectNode().put("ok", true).put(field, value);
  }

  private static Map<String, Object> msg(String room, String message) {
    return Map.of("room", room, "message", message);
  }

  @Test
  void twoUsersInARoomExchangeMessages() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    assertEquals(ok("room", "lobby"), alice.emitWithAck("join", Map.of("room", "Lobby ")));
    assertEquals(ok("room", "lobby"), bob.emitWithAck("join", Map.of("room", "lobby")));

    f.chatClock.advanceBy(Duration.ofMillis(123));
    JsonNode ack = alice.emitWithAck("chat-message", msg("lobby", "  hi bob  "));
    assertTrue(ack.path("ok").asBoolean(), ack.toString());
    String id = ack.path("id").asText();
    JsonNode expected = json("{\"id\":\"" + id + "\",\"userId\":\"u-alice\",\"username\":\"alice\","
        + "\"message\":\"hi bob\",\"room\":\"lobby\",\"timestamp\":\"2023-11-14T22:13:20.123Z\"}");
    assertEquals(expected, bob.awaitEvent("new-message"));
    assertEquals(expected, alice.awaitEvent("new-message"), "the sender is included");

    JsonNode reply = bob.emitWithAck("chat-message", msg("lobby", "<b>hello</b> alice"));
    assertNotEquals(id, reply.path("id").asText(), "ids are unique");
    JsonNode got = alice.awaitEvent("new-message");
    assertEquals("u-bob", got.path("userId").asText());
    assertEquals("<b>hello</b> alice", got.path("message").asText(), "relayed as typed, not escaped");
    assertEquals(reply.path("id"), got.path("id"));
    bob.awaitEvent("new-message");
    alice.assertNoEvent("error");
    bob.assertNoEvent("error");
  }

  @Test
  void everyoneIsInGeneralAndOnlyMembersReceiveARoomsMessages() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    SocketIoTestClient carol = f.connect("u-carol", "carol");
    alice.emitWithAck("chat-message", msg("general", "morning"));
    for (SocketIoTestClient c : List.of(alice, bob, carol)) {
      assertEquals("general", c.awaitEvent("new-message").path("room").asText());
    }
    alice.emitWithAck("join", Map.of("room", "lobby"));
    bob.emitWithAck("join", Map.of("room", "lobby"));
    alice.emitWithAck("chat-message", msg("lobby", "psst"));
    assertEquals("psst", bob.awaitEvent("new-message").path("message").asText());
    carol.assertNoEvent("new-message");
  }

  @Test
  void aSenderOutsideTheRoomIsRefused() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    alice.emitWithAck("join", Map.of("room", "secret"));
    assertEquals(refused("You have not joined this room"), bob.emitWithAck("chat-message", msg("secret", "let me in")));
    assertEquals(errorEvent("chat-message", "You have not joined this room"), bob.awaitEvent("error"));
    // Without an ack the refusal is the error event alone.
    bob.emit("chat-message", msg("secret", "again"));
    assertEquals(errorEvent("chat-message", "You have not joined this room"), bob.awaitEvent("error"));
    bob.sync();
    alice.assertNoEvent("new-message");
    assertEquals(0, f.chat.messagesRelayed());
  }

  @Test
  void afterLeavingARoomItsMessagesStop() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    alice.emitWithAck("join", Map.of("room", "lobby"));
    bob.emitWithAck("join", Map.of("room", "lobby"));
    assertEquals(ok("room", "lobby"), bob.emitWithAck("leave", Map.of("room", "LOBBY")));
    alice.emitWithAck("chat-message", msg("lobby", "anyone?"));
    alice.awaitEvent("new-message");
    bob.assertNoEvent("new-message");
    assertEquals(refused("You have not joined this room"), bob.emitWithAck("leave", Map.of("room", "lobby")));
    assertEquals(refused("You have not joined this room"), bob.emitWithAck("chat-message", msg("lobby", "x")));
  }

  @Test
  void getRoomsListsChatRoomsOnlySorted() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    assertEquals(json("{\"ok\":true,\"rooms\":[\"general\"]}"), alice.emitWithAck("get-rooms"));
    alice.emitWithAck("join", Map.of("room", "b-room"));
    alice.emitWithAck("join", Map.of("room", "a-room"));
    assertEquals(json("{\"ok\":true,\"rooms\":[\"a-room\",\"b-room\",\"general\"]}"), alice.emitWithAck("get-rooms"));
    assertEquals(ok("room", "general"), alice.emitWithAck("leave", Map.of("room", "general")));
    assertEquals(json("{\"ok\":true,\"rooms\":[\"a-room\",\"b-room\"]}"), alice.emitWithAck("get-rooms"));
    // Whatever a client passes along is ignored.
    assertEquals(json("{\"ok\":true,\"rooms\":[\"a-room\",\"b-room\"]}"),
        alice.emitRawWithAck("get-rooms", "{\"userId\":\"u-bob\"}", "[1,2]"));
  }

  @Test
  void listRoomsShowsEveryChatRoomWithItsDistinctUsersBiggestFirst() throws Exception {
    SocketIoTestClient alice1 = f.connect("u-alice", "alice");
    SocketIoTestClient alice2 = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    alice1.emitWithAck("join", Map.of("room", "b-room"));
    alice2.emitWithAck("join", Map.of("room", "b-room"));
    bob.emitWithAck("join", Map.of("room", "a-room"));
    // Rooms are public: alice sees a-room without being in it; her two tabs count once in b-room;
    // ties are sorted by name; personal rooms and socket-id rooms never appear.
    JsonNode expected = json("{\"ok\":true,\"rooms\":[{\"name\":\"general\",\"members\":2},"
        + "{\"name\":\"a-room\",\"members\":1},{\"name\":\"b-room\",\"members\":1}]}");
    assertEquals(expected, alice1.emitWithAck("list-rooms"));
    // Whatever a client passes along is ignored.
    assertEquals(expected, bob.emitRawWithAck("list-rooms", "{\"room\":\"user:u-alice\"}", "[1,2]"));
    bob.emitWithAck("leave", Map.of("room", "a-room"));
    // One answer serves everyone for a second (chat.md): still the same...
    assertEquals(expected, bob.emitWithAck("list-rooms"), "within the second");
    // ...then it is made again.
    f.chatClock.advanceBy(Duration.ofMillis(ChatApplication.DIRECTORY_MAX_AGE_MILLIS));
    assertEquals(json("{\"ok\":true,\"rooms\":[{\"name\":\"general\",\"members\":2},"
        + "{\"name\":\"b-room\",\"members\":1}]}"), bob.emitWithAck("list-rooms"), "an empty room is gone");
  }

  @Test
  void aSocketMayBeInTwentyChatRooms() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    for (int i = 1; i <= 19; i++) {
      assertEquals(ok("room", "r" + i), alice.emitWithAck("join", Map.of("room", "r" + i)));
    }
    assertEquals(refused("Too many rooms"), alice.emitWithAck("join", Map.of("room", "r20")));
    assertEquals(errorEvent("join", "Too many rooms"), alice.awaitEvent("error"));
    assertEquals(ok("room", "r1"), alice.emitWithAck("join", Map.of("room", "r1")), "re-joining is no new room");
    alice.emitWithAck("leave", Map.of("room", "r1"));
    assertEquals(ok("room", "r20"), alice.emitWithAck("join", Map.of("room", "r20")));
    assertEquals(20, alice.emitWithAck("get-rooms").path("rooms").size());
  }

  @Test
  void aPrivateMessageReachesEveryConnectionOfBothOnceEach() throws Exception {
    SocketIoTestClient alice1 = f.connect("u-alice", "alice");
    SocketIoTestClient alice2 = f.connect("u-alice", "alice");
    SocketIoTestClient bob1 = f.connect("u-bob", "bob");
    SocketIoTestClient bob2 = f.connect("u-bob", "bob");
    SocketIoTestClient carol = f.connect("u-carol", "carol");
    JsonNode ack = alice1.emitWithAck("private-message", Map.of("targetUserId", "u-bob", "message", " hi bob "));
    assertTrue(ack.path("ok").asBoolean(), ack.toString());
    JsonNode expected = json("{\"id\":\"" + ack.path("id").asText() + "\",\"fromUserId\":\"u-alice\","
        + "\"fromUsername\":\"alice\",\"toUserId\":\"u-bob\",\"toUsername\":\"bob\","
        + "\"from\":{\"userId\":\"u-alice\",\"username\":\"alice\"},\"message\":\"hi bob\","
        + "\"timestamp\":\"" + T0 + "\"}");
    for (SocketIoTestClient c : List.of(alice1, alice2, bob1, bob2)) {
      assertEquals(expected, c.awaitEvent("private-message"));
      c.assertNoEvent("private-message"); // once, not twice
    }
    carol.assertNoEvent("private-message");
    assertEquals(1, f.chat.messagesRelayed());
  }

  @Test
  void aPrivateMessageToOneselfArrivesOncePerConnection() throws Exception {
    SocketIoTestClient alice1 = f.connect("u-alice", "alice");
    SocketIoTestClient alice2 = f.connect("u-alice", "alice");
    alice1.emitWithAck("private-message", Map.of("targetUserId", "u-alice", "message", "note to self"));
    for (SocketIoTestClient c : List.of(alice1, alice2)) {
      assertEquals("u-alice", c.awaitEvent("private-message").path("toUserId").asText());
      c.assertNoEvent("private-message");
    }
  }

  @Test
  void aPrivateMessageNeedsTheTargetOnline() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    assertEquals(refused("User is not online"),
        alice.emitWithAck("private-message", Map.of("targetUserId", "u-ghost", "message", "boo")));
    assertEquals(errorEvent("private-message", "User is not online"), alice.awaitEvent("error"));
    bob.close();
    alice.awaitEvent("user-left");
    assertEquals(refused("User is not online"),
        alice.emitWithAck("private-message", Map.of("targetUserId", "u-bob", "message", "still there?")));
    alice.assertNoEvent("private-message");
  }

  @Test
  void typingReachesTheRestOfTheRoomButNoneOfTheSendersConnections() throws Exception {
    SocketIoTestClient alice1 = f.connect("u-alice", "alice");
    SocketIoTestClient alice2 = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    SocketIoTestClient carol = f.connect("u-carol", "carol");
    assertEquals(json("{\"ok\":true}"), alice1.emitWithAck("typing", Map.of("room", "general")));
    assertEquals(json("{\"userId\":\"u-alice\",\"username\":\"alice\",\"room\":\"general\",\"isTyping\":true}"),
        bob.awaitEvent("user-typing"), "isTyping defaults to true");
    carol.awaitEvent("user-typing");
    alice1.emitWithAck("typing", Map.of("room", "general", "isTyping", false));
    assertEquals(false, bob.awaitEvent("user-typing").path("isTyping").booleanValue());
    carol.awaitEvent("user-typing");
    alice1.assertNoEvent("user-typing");
    alice2.assertNoEvent("user-typing");

    alice1.emitWithAck("join", Map.of("room", "lobby"));
    bob.emitWithAck("join", Map.of("room", "lobby"));
    alice1.emitWithAck("typing", Map.of("room", "lobby"));
    assertEquals("lobby", bob.awaitEvent("user-typing").path("room").asText());
    carol.assertNoEvent("user-typing");
    assertEquals(refused("You have not joined this room"), carol.emitWithAck("typing", Map.of("room", "lobby")));
    bob.assertNoEvent("user-typing");
  }

  @Test
  void withoutARoomChatMessageAndTypingUseGeneralAsTheTutorialsClientExpects() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    alice.emitWithAck("join", Map.of("room", "lobby"));
    bob.emitWithAck("join", Map.of("room", "lobby"));
    JsonNode ack = alice.emitWithAck("chat-message", Map.of("message", "hello all"));
    assertTrue(ack.path("ok").asBoolean(), ack.toString());
    JsonNode got = bob.awaitEvent("new-message");
    assertEquals("general", got.path("room").asText());
    assertEquals("hello all", got.path("message").asText());
    alice.awaitEvent("new-message");
    assertEquals(json("{\"ok\":true}"), alice.emitWithAck("typing", Map.of()));
    assertEquals(json("{\"userId\":\"u-alice\",\"username\":\"alice\",\"room\":\"general\",\"isTyping\":true}"),
        bob.awaitEvent("user-typing"));
    // Only a missing field means general: a room that is given is checked as before.
    assertEquals(refused("Invalid room name"), alice.emitWithAck("chat-message", Map.of("message", "x", "room", "")));
    bob.sync();
    bob.assertNoEvent("new-message");
  }

  @Test
  void forgedIdentityInPayloadsChangesNothing() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    SocketIoTestClient carol = f.connect("u-carol", "carol");
    String forged = "\"userId\":\"u-bob\",\"username\":\"bob\",\"from\":\"u-bob\",\"fromUserId\":\"u-bob\","
        + "\"fromUsername\":\"bob\",\"sessionId\":\"s-bob\"";

    alice.emitRawWithAck("chat-message", "{\"room\":\"general\",\"message\":\"I am bob\"," + forged + "}");
    JsonNode m = carol.awaitEvent("new-message");
    assertEquals("u-alice", m.path("userId").asText());
    assertEquals("alice", m.path("username").asText());

    alice.emitRawWithAck("private-message", "{\"targetUserId\":\"u-carol\",\"message\":\"hi\"," + forged + "}");
    JsonNode p = carol.awaitEvent("private-message");
    assertEquals("u-alice", p.path("fromUserId").asText());
    assertEquals("alice", p.path("fromUsername").asText());
    assertEquals(json("{\"userId\":\"u-alice\",\"username\":\"alice\"}"), p.path("from"));
    bob.assertNoEvent("private-message");
    // The tutorial's own shape of a sender, forged as an object, is not read either.
    alice.emitRawWithAck("private-message",
        "{\"targetUserId\":\"u-carol\",\"message\":\"hi\",\"from\":{\"userId\":\"u-bob\",\"username\":\"bob\"}}");
    assertEquals(json("{\"userId\":\"u-alice\",\"username\":\"alice\"}"), carol.awaitEvent("private-message").path("from"));

    alice.emitRawWithAck("typing", "{\"room\":\"general\"," + forged + "}");
    assertEquals("u-alice", carol.awaitEvent("user-typing").path("userId").asText());
    bob.awaitEvent("user-typing");
  }

  @Test
  void personalRoomsCannotBeJoinedOrPostedTo() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    for (String room : List.of("user:u-bob", "USER:u-bob", "room:general", "u-bob ")) {
      if (room.equals("u-bob ")) {
        // A chat room named like a user id is just a chat room: bob is not in it.
        assertEquals(ok("room", "u-bob"), alice.emitWithAck("join", Map.of("room", room)));
        alice.emitWithAck("chat-message", msg(room, "hello u-bob room"));
        alice.awaitEvent("new-message");
        continue;
      }
      assertEquals(refused("Invalid room name"), alice.emitWithAck("join", Map.of("room", room)), room);
      assertEquals(refused("Invalid room name"), alice.emitWithAck("chat-message", msg(room, "x")), room);
      assertEquals(refused("Invalid room name"), alice.emitWithAck("typing", Map.of("room", room)), room);
      assertEquals(refused("Invalid room name"), alice.emitWithAck("leave", Map.of("room", room)), room);
    }
    assertEquals(refused("Invalid room name"), alice.emitWithAck("leave", Map.of("room", "user:u-alice")));
    bob.assertNoEvent("new-message");
    bob.assertNoEvent("user-typing");
    // The personal room still works after the refused attempts.
    alice.emitWithAck("private-message", Map.of("targetUserId", "u-bob", "message", "ok"));
    bob.awaitEvent("private-message");
  }

  @Test
  void aRoomNamedLikeASocketIdIsAnOrdinaryChatRoom() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    SocketIoTestClient bob = f.connect("u-bob", "bob");
    String bobsId = bob.sid();
    assertEquals(ok("room", bobsId), alice.emitWithAck("join", Map.of("room", bobsId)));
    alice.emitWithAck("chat-message", msg(bobsId, "into bob's id-room?"));
    assertEquals(bobsId, alice.awaitEvent("new-message").path("room").asText());
    bob.assertNoEvent("new-message");
    assertEquals(refused("You have not joined this room"), bob.emitWithAck("chat-message", msg(bobsId, "mine?")));
  }

  @Test
  void withoutAHistoryItsRequestsAreRefused() throws Exception {
    SocketIoTestClient alice = f.connect("u-alice", "alice");
    assertEquals(refused("History is not kept on this server"), alice.emitWithAck("get-history", Map.of("room", "general")));
    assertEquals(refused("History is not kept on this server"),
        alice.emitWithAck("get-private-history", Map.of("userId", "u-bob")));
  }
}
