package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.auth.Principal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** chat.md §Server → client: the payload schemas and the timestamp format. */
class ChatEventsTest {
  private static final Principal ALICE = new Principal("u1", "alice", "s1");
  private static final OnlineUser BOB = new OnlineUser("u2", "bob");
  private static final long T = 1_796_117_400_123L;

  @Test
  void timestampsAreIsoUtcWithMillis() {
    assertEquals("2026-12-01T09:30:00.123Z", ChatEvents.timestamp(T)); // chat.md's example
    assertEquals("1970-01-01T00:00:00.000Z", ChatEvents.timestamp(0)); // never drops ".000"
  }

  @Test
  void schemasHaveExactlyTheFieldsOfChatMd() throws ChatRefusal {
    RoomName lobby = RoomName.parse("lobby");
    assertEquals("{\"id\":\"7\",\"userId\":\"u1\",\"username\":\"alice\",\"message\":\"hi\",\"room\":\"lobby\","
        + "\"timestamp\":\"2026-12-01T09:30:00.123Z\"}", ChatEvents.newMessage("7", ALICE, "hi", lobby, T).toString());
    assertEquals("{\"id\":\"8\",\"fromUserId\":\"u1\",\"fromUsername\":\"alice\",\"toUserId\":\"u2\","
        + "\"toUsername\":\"bob\",\"from\":{\"userId\":\"u1\",\"username\":\"alice\"},\"message\":\"hi\",\"timestamp\":\"2026-12-01T09:30:00.123Z\"}",
        ChatEvents.privateMessage("8", ALICE, BOB, "hi", T).toString());
    assertEquals("{\"userId\":\"u1\",\"username\":\"alice\",\"room\":\"lobby\",\"isTyping\":false}",
        ChatEvents.userTyping(ALICE, lobby, false).toString());
    assertEquals("[{\"userId\":\"u2\",\"username\":\"bob\"}]", ChatEvents.users(List.of(BOB)).toString());
    assertEquals("{\"event\":\"join\",\"message\":\"Too many rooms\"}",
        ChatEvents.error("join", "Too many rooms").toString());
    assertEquals("{\"ok\":false,\"error\":\"Too many rooms\"}", ChatEvents.refused("Too many rooms").toString());
    assertEquals("{\"ok\":true,\"rooms\":[\"general\",\"lobby\"]}",
        ChatEvents.roomList(List.of(RoomName.GENERAL, lobby)).toString());
    assertEquals("{\"ok\":true,\"users\":[{\"userId\":\"u2\",\"username\":\"bob\"}]}",
        ChatEvents.userList(List.of(BOB)).toString());
  }

  @Test
  void sequentialIdsDoNotRepeat() {
    var ids = ChatOptions.sequentialIds();
    assertEquals("1", ids.get());
    assertEquals("2", ids.get());
  }
}
