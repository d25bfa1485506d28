package dev.switchboard.engineio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenPacketTest {
  private static final OpenPacket SPEC_EXAMPLE =
      new OpenPacket("lv_VI97HAXpY6yYWAAAC", List.of("websocket"), 25_000, 20_000, 1_000_000);

  @Test
  void writesTheHandshakeJsonAsEngineIoDoes() {
    // §Handshake example, as engine.io's JSON.stringify in socket.ts onOpen prints it.
    assertEquals(
        "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
        SPEC_EXAMPLE.toJson());
  }

  @Test
  void keepsTheReferenceKeyOrder() throws Exception {
    JsonNode node = new ObjectMapper().readTree(SPEC_EXAMPLE.toJson());
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"), keys);
  }

  @Test
  void encodesAsAnOpenPacket() {
    // §Handshake: "the server MUST respond with an open packet with the following JSON-encoded payload".
    assertEquals("0" + SPEC_EXAMPLE.toJson(), EngineIoPacketCodec.encodeText(SPEC_EXAMPLE.toPacket()));
  }

  @Test
  void writesEmptyUpgradesForWebSocketSessions() {
    OpenPacket open = new OpenPacket("abc", List.of(), 300, 200, 1_000_000);
    assertEquals("{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}", open.toJson());
  }

  static Stream<Arguments> escapedSids() {
    return Stream.of(
        Arguments.of("quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\""),
        Arguments.of("short escapes", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""),
        Arguments.of("other controls", "\u0000\u0001\u001e\u001f", "\"\\u0000\\u0001\\u001e\\u001f\""),
        Arguments.of("DEL, slash, U+2028 stay raw", "\u007f/\u2028", "\"\u007f/\u2028\""),
        Arguments.of("non-ASCII stays raw", "é€", "\"é€\""),
        Arguments.of("surrogate pair stays raw", "\uD83D\uDE00", "\"\uD83D\uDE00\""),
        Arguments.of("lone high surrogate", "a\uD83Db", "\"a\\ud83db\""),
        Arguments.of("lone low surrogate", "a\uDE00b", "\"a\\ude00b\""),
        Arguments.of("high surrogate at the end", "a\uD83D", "\"a\\ud83d\""),
        Arguments.of("swapped pair", "\uDE00\uD83D", "\"\\ude00\\ud83d\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapedSids")
  void escapesSidAsJsonStringify(String name, String sid, String quoted) {
    OpenPacket open = new OpenPacket(sid, List.of("websocket"), 1, 2, 3);
    assertEquals("{\"sid\":" + quoted + ",\"upgrades\":[\"websocket\"],\"pingInterval\":1,\"pingTimeout\":2,\"maxPayload\":3}", open.toJson());
  }

  @Test
  void copiesTheUpgradesList() {
    List<String> upgrades = new ArrayList<>(List.of("websocket"));
    OpenPacket open = new OpenPacket("abc", upgrades, 1, 2, 3);
    upgrades.add("webtransport");
    assertEquals(List.of("websocket"), open.upgrades());
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(-1L, 0L, 0L, "pingInterval < 0: -1"),
        Arguments.of(0L, -2L, 0L, "pingTimeout < 0: -2"),
        Arguments.of(0L, 0L, -3L, "maxPayload < 0: -3"));
  }

  @ParameterizedTest(name = "{3}")
  @MethodSource("invalidValues")
  void rejectsNegativeValues(long pingInterval, long pingTimeout, long maxPayload, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OpenPacket("abc", List.of(), pingInterval, pingTimeout, maxPayload));
    assertEquals(message, e.getMessage());
  }
}
