package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** chat.md §Client → server: "a payload that is not an object…", "<field> must be a string". */
class PayloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  static Stream<Arguments> notObjects() {
    return Stream.of(
        Arguments.of("array", "[{\"room\":\"x\"}]"),
        Arguments.of("number", "42"),
        Arguments.of("string", "\"x\""),
        Arguments.of("null", "null"),
        Arguments.of("boolean", "true"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notObjects")
  void refusesAnythingButAnObject(String label, String wire) throws Exception {
    JsonNode node = json(wire);
    ChatRefusal e = assertThrows(ChatRefusal.class, () -> Payload.of(node));
    assertEquals("Invalid payload: expected an object", e.getMessage());
  }

  @Test
  void refusesAMissingArgument() {
    ChatRefusal e = assertThrows(ChatRefusal.class, () -> Payload.of(MissingNode.getInstance()));
    assertEquals("Invalid payload: expected an object", e.getMessage());
  }

  static Stream<Arguments> notStrings() {
    return Stream.of(
        Arguments.of("missing", "{}"),
        Arguments.of("null", "{\"room\":null}"),
        Arguments.of("number", "{\"room\":1}"),
        Arguments.of("boolean", "{\"room\":false}"),
        Arguments.of("object", "{\"room\":{\"toString\":\"x\"}}"),
        Arguments.of("array", "{\"room\":[\"x\"]}"),
        Arguments.of("other field only", "{\"Room\":\"x\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notStrings")
  void refusesAFieldThatIsNotAString(String label, String wire) throws Exception {
    Payload p = Payload.of(json(wire));
    ChatRefusal e = assertThrows(ChatRefusal.class, () -> p.string("room"));
    assertEquals("room must be a string", e.getMessage());
  }

  @Test
  void readsAStringAndIgnoresTheRest() throws Exception {
    Payload p = Payload.of(json("{\"room\":\"x\",\"userId\":\"forged\",\"__proto__\":{}}"));
    assertEquals("x", p.string("room"));
  }

  static Stream<Arguments> notBooleans() {
    return Stream.of(
        Arguments.of("null", "{\"isTyping\":null}"),
        Arguments.of("string", "{\"isTyping\":\"true\"}"),
        Arguments.of("number", "{\"isTyping\":1}"),
        Arguments.of("object", "{\"isTyping\":{}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notBooleans")
  void refusesAFieldThatIsNotABoolean(String label, String wire) throws Exception {
    Payload p = Payload.of(json(wire));
    ChatRefusal e = assertThrows(ChatRefusal.class, () -> p.booleanOr("isTyping", true));
    assertEquals("isTyping must be a boolean", e.getMessage());
  }

  @Test
  void anAbsentBooleanTakesItsDefault() throws Exception {
    assertTrue(Payload.of(json("{}")).booleanOr("isTyping", true));
    assertFalse(Payload.of(json("{\"isTyping\":false}")).booleanOr("isTyping", true));
    assertTrue(Payload.of(json("{\"isTyping\":true}")).booleanOr("isTyping", false));
  }
}
