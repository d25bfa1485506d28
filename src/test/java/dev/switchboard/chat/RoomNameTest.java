package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** chat.md §Rooms: 1–32 of a-z 0-9 - _, starting with a letter or digit, after trim and lower-case. */
class RoomNameTest {
  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("plain", "general", "general"),
        Arguments.of("chat.md example: trimmed and lower-cased", "Random ", "random"),
        Arguments.of("tabs and newlines trimmed", "\t LOBBY\n", "lobby"),
        Arguments.of("JS trim: NBSP, BOM, ideographic space", "\u00A0room\uFEFF\u3000", "room"),
        Arguments.of("one letter", "a", "a"),
        Arguments.of("one digit", "7", "7"),
        Arguments.of("starts with a digit", "7up", "7up"),
        Arguments.of("dash and underscore inside", "a-b_c", "a-b_c"),
        Arguments.of("ends with dash and underscore", "x-_", "x-_"),
        Arguments.of("32 characters", "a".repeat(32), "a".repeat(32)),
        Arguments.of("32 characters after trimming", "  " + "B".repeat(32) + "  ", "b".repeat(32)),
        Arguments.of("a socket id lower-cased is an ordinary name", "Ab3-_xYz", "ab3-_xyz"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsAndNormalises(String label, String raw, String expected) throws ChatRefusal {
    RoomName room = RoomName.parse(raw);
    assertEquals(expected, room.name(), label);
    assertEquals("room:" + expected, room.adapterRoom(), label);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("only spaces", "   "),
        Arguments.of("a personal room", "user:alice"),
        Arguments.of("an internal chat room", "room:general"),
        Arguments.of("starts with underscore", "_x"),
        Arguments.of("starts with dash", "-x"),
        Arguments.of("33 characters", "a".repeat(33)),
        Arguments.of("inner space", "a b"),
        Arguments.of("dot", "a.b"),
        Arguments.of("slash", "a/b"),
        Arguments.of("exclamation", "ROOM!"),
        Arguments.of("non-ASCII letter", "café"),
        Arguments.of("Kelvin sign that Unicode lower-cases to k", "\u212Aitchen"),
        Arguments.of("dotted capital I", "\u0130stanbul"),
        Arguments.of("NUL inside", "a\u0000b"),
        Arguments.of("NUL first", "\u0000a"),
        Arguments.of("zero-width space is not trimmed", "general\u200B"),
        Arguments.of("bidi override", "\u202Eabc"),
        Arguments.of("lone surrogate", "a\uD800"),
        Arguments.of("emoji", "\uD83D\uDE00"),
        Arguments.of("huge", "a".repeat(1_000_000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWithTheExactMessage(String label, String raw) {
    ChatRefusal e = assertThrows(ChatRefusal.class, () -> RoomName.parse(raw), label);
    assertEquals("Invalid room name", e.getMessage());
  }

  @Test
  void personalRoomsAndIdRoomsAreNotChatRooms() throws ChatRefusal {
    assertEquals("user:alice", RoomName.personalRoom("alice"));
    assertNull(RoomName.fromAdapterRoom("user:alice"));
    assertNull(RoomName.fromAdapterRoom("Ab3xYz0123456789abcd"));
    assertEquals(RoomName.parse("lobby"), RoomName.fromAdapterRoom("room:lobby"));
    assertEquals("general", RoomName.GENERAL.name());
  }
}
