package dev.switchboard.chat;

import static dev.switchboard.chat.ChatServerFixture.errorEvent;
import static dev.switchboard.chat.ChatServerFixture.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.SocketIoTestClient;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever shape a hostile client sends, the chat answers with the specific refusal of chat.md —
 * in the ack and as an {@code error} event — relays nothing, and the connection stays usable.
 */
class ChatHostileInputTest {
  private static final String NOT_OBJECT = "Invalid payload: expected an object";
  private static final String INVALID_ROOM = "Invalid room name";
  private static final String NOT_JOINED = "You have not joined this room";
  private static final String EMPTY = "Message cannot be empty";
  private static final String TOO_LONG = "Message must be at most 500 characters";
  private static final String BAD_CHARS = "Message contains invalid characters";

  private ChatServerFixture f;
  private SocketIoTestClient attacker;
  private SocketIoTestClient bystander;

  @BeforeEach
  void start() throws Exception {
    f = new ChatServerFixture();
    bystander = f.connect("u-bob", "bob");
    attacker = f.connect("u-mallory", "mallory");
    bystander.awaitEvent("user-joined");
    // Bob's own announcement also reaches mallory when her socket joined while it was being sent
    // (a busy machine can pause bob's executor between his online-users and his user-joined); it
    // says nothing about hostile input, so it is not left for assertExhausted to find.
    attacker.sync();
    attacker.takeEvents("user-joined");
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private static Arguments row(String label, String event, String payload, String error) {
    return Arguments.of(label, event, payload, error);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** {@code payload} is the raw JSON of the first argument; null sends no argument at all. */
  static Stream<Arguments> refusals() {
    String[] notObjects = {null, "[{\"room\":\"general\"}]", "42", "-1.5e300", "null", "true", "\"general\"",
        nested(50)};
    Stream.Builder<Arguments> rows = Stream.builder();
    for (String event : List.of("join", "leave", "chat-message", "private-message", "typing")) {
      for (String p : notObjects) rows.add(row(event + " with " + (p == null ? "no argument" : p), event, p, NOT_OBJECT));
    }
    Stream<Arguments> fields = Stream.of(
        row("join without room", "join", "{}", "room must be a string"),
        row("join room null", "join", "{\"room\":null}", "room must be a string"),
        row("join room number", "join", "{\"room\":42}", "room must be a string"),
        row("join room object", "join", "{\"room\":{\"name\":\"general\"}}", "room must be a string"),
        row("join room array", "join", "{\"room\":[\"general\"]}", "room must be a string"),
        row("join room nested deep", "join", "{\"room\":" + nested(60) + "}", "room must be a string"),
        row("join room empty", "join", "{\"room\":\"\"}", INVALID_ROOM),
        row("join personal room", "join", "{\"room\":\"user:u-bob\"}", INVALID_ROOM),
        row("join internal room", "join", "{\"room\":\"room:general\"}", INVALID_ROOM),
        row("join huge room", "join", "{\"room\":\"" + "a".repeat(100_000) + "\"}", INVALID_ROOM),
        row("join room with NUL", "join", "{\"room\":\"gen\\u0000eral\"}", INVALID_ROOM),
        row("join room with HTML", "join", "{\"room\":\"<script>\"}", INVALID_ROOM),
        row("join __proto__", "join", "{\"__proto__\":{\"room\":\"general\"}}", "room must be a string"),
        row("leave a room not joined", "leave", "{\"room\":\"elsewhere\"}", NOT_JOINED),
        row("leave without room", "leave", "{\"userId\":\"u-bob\"}", "room must be a string"),
        row("chat-message empty object", "chat-message", "{}", "message must be a string"),
        row("chat-message without message", "chat-message", "{\"room\":\"general\"}", "message must be a string"),
        row("chat-message room null", "chat-message", "{\"message\":\"hi\",\"room\":null}", "room must be a string"),
        row("chat-message message number", "chat-message", "{\"message\":123,\"room\":\"general\"}",
            "message must be a string"),
        row("chat-message message object", "chat-message", "{\"message\":{\"text\":\"hi\"},\"room\":\"general\"}",
            "message must be a string"),
        row("chat-message message array", "chat-message", "{\"message\":[\"hi\"],\"room\":\"general\"}",
            "message must be a string"),
        row("chat-message room number", "chat-message", "{\"message\":\"hi\",\"room\":7}", "room must be a string"),
        row("chat-message blank", "chat-message", "{\"message\":\" \\n\\t \",\"room\":\"general\"}", EMPTY),
        row("chat-message 501", "chat-message", "{\"message\":\"" + "x".repeat(501) + "\",\"room\":\"general\"}",
            TOO_LONG),
        row("chat-message huge", "chat-message", "{\"message\":\"" + "x".repeat(300_000) + "\",\"room\":\"general\"}",
            TOO_LONG),
        row("chat-message NUL", "chat-message", "{\"message\":\"a\\u0000b\",\"room\":\"general\"}", BAD_CHARS),
        row("chat-message ESC", "chat-message", "{\"message\":\"a\\u001b[2Jb\",\"room\":\"general\"}", BAD_CHARS),
        row("chat-message room not joined", "chat-message", "{\"message\":\"hi\",\"room\":\"lobby\"}", NOT_JOINED),
        row("chat-message invalid room", "chat-message", "{\"message\":\"hi\",\"room\":\"Not Valid!\"}", INVALID_ROOM),
        row("chat-message personal room", "chat-message", "{\"message\":\"hi\",\"room\":\"user:u-bob\"}", INVALID_ROOM),
        row("private-message empty object", "private-message", "{}", "targetUserId must be a string"),
        row("private-message target number", "private-message", "{\"targetUserId\":42,\"message\":\"hi\"}",
            "targetUserId must be a string"),
        row("private-message target object", "private-message", "{\"targetUserId\":{\"id\":\"u-bob\"},\"message\":\"hi\"}",
            "targetUserId must be a string"),
        row("private-message without message", "private-message", "{\"targetUserId\":\"u-bob\"}",
            "message must be a string"),
        row("private-message empty message", "private-message", "{\"targetUserId\":\"u-bob\",\"message\":\"\"}", EMPTY),
        row("private-message 501", "private-message",
            "{\"targetUserId\":\"u-bob\",\"message\":\"" + "\\ud83d\\ude00".repeat(501) + "\"}", TOO_LONG),
        row("private-message control", "private-message", "{\"targetUserId\":\"u-bob\",\"message\":\"a\\u0007\"}",
            BAD_CHARS),
        row("private-message offline", "private-message", "{\"targetUserId\":\"u-ghost\",\"message\":\"hi\"}",
            "User is not online"),
        row("private-message empty target", "private-message", "{\"targetUserId\":\"\",\"message\":\"hi\"}",
            "User is not online"),
        row("private-message personal room as target", "private-message",
            "{\"targetUserId\":\"user:u-bob\",\"message\":\"hi\"}", "User is not online"),
        row("typing room null", "typing", "{\"room\":null,\"isTyping\":true}", "room must be a string"),
        row("typing isTyping string", "typing", "{\"room\":\"general\",\"isTyping\":\"yes\"}",
            "isTyping must be a boolean"),
        row("typing isTyping null", "typing", "{\"room\":\"general\",\"isTyping\":null}", "isTyping must be a boolean"),
        row("typing isTyping number", "typing", "{\"room\":\"general\",\"isTyping\":1}", "isTyping must be a boolean"),
        row("typing room not joined", "typing", "{\"room\":\"lobby\"}", NOT_JOINED),
        row("typing personal room", "typing", "{\"room\":\"user:u-bob\"}", INVALID_ROOM));
    return Stream.concat(rows.build(), fields);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithTheSpecificErrorAndStaysUsable(String label, String event, String payload, String error)
      throws Exception {
    JsonNode ack = payload == null ? attacker.emitRawWithAck(event) : attacker.emitRawWithAck(event, payload);
    assertEquals(refused(error), ack, label);
    assertEquals(errorEvent(event, error), attacker.awaitEvent("error"), label);

    // Same input without an ack: the error event alone.
    if (payload == null) attacker.send("2[\"" + event + "\"]");
    else attacker.send("2[\"" + event + "\"," + payload + "]");
    assertEquals(errorEvent(event, error), attacker.awaitEvent("error"), label);

    // Nothing was relayed, the connection still works, and nothing else is waiting.
    JsonNode ok = attacker.emitWithAck("chat-message", Map.of("room", "general", "message", "still here"));
    assertTrue(ok.path("ok").asBoolean(), label + ": " + ok);
    assertEquals("still here", bystander.awaitEvent("new-message").path("message").asText(), label);
    attacker.awaitEvent("new-message");
    bystander.assertExhausted();
    attacker.assertExhausted();
    assertFalse(attacker.isClosed(), label);
    assertEquals(1, f.chat.messagesRelayed(), label);
  }

  @Test
  void aLoneSurrogateEscapeArrivesAsTheReplacementCharacter() throws Exception {
    // socket-io-codec.md (hostile-inputs.md#D103): the codec turns "\ud800" into U+FFFD before the chat sees it, so
    // over the wire the chat's own lone-surrogate refusal (MessageTextTest) is never reached.
    JsonNode ack = attacker.emitRawWithAck("chat-message", "{\"message\":\"a\\ud800b\",\"room\":\"general\"}");
    assertTrue(ack.path("ok").asBoolean(), ack.toString());
    assertEquals("a\uFFFDb", bystander.awaitEvent("new-message").path("message").asText());
  }

  @Test
  void unknownEventsAndExtraArgumentsAreHarmless() throws Exception {
    attacker.send("2[\"no-such-event\",{\"room\":\"general\"}]");
    attacker.send("2[\"error\",{\"event\":\"join\",\"message\":\"fake\"}]");
    assertEquals("lobby",
        attacker.emitRawWithAck("join", "{\"room\":\"lobby\"}", "\"extra\"", "{\"room\":\"other\"}").path("room").asText());
    assertEquals(ChatServerFixture.json("{\"ok\":true,\"rooms\":[\"general\",\"lobby\"]}"),
        attacker.emitWithAck("get-rooms"));
    attacker.assertExhausted();
    bystander.assertExhausted();
  }

  @Test
  void aFloodOfHostilePayloadsLeavesTheConnectionUsable() throws Exception {
    for (int i = 0; i < 200; i++) {
      attacker.send("2[\"chat-message\"," + (i % 2 == 0 ? "[" + i + "]" : "{\"message\":" + i + "}") + "]");
    }
    for (int i = 0; i < 200; i++) attacker.awaitEvent("error");
    assertTrue(attacker.emitWithAck("chat-message", Map.of("room", "general", "message", "fine")).path("ok").asBoolean());
    assertEquals("fine", bystander.awaitEvent("new-message").path("message").asText());
  }
}
