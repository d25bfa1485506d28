package dev.switchboard.socketio.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.socketio.protocol.SocketIoProtocolException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and abusive input from a client, each row named after its entry in hostile-inputs.md
 * groups D and E, with the exact message. Texts are the Socket.IO part of an Engine.IO message
 * (the leading Engine.IO "4" removed); byte arrays are binary messages. Every input before the
 * last must be accepted; the last must fail and leave the decoder CORRUPT.
 */
class SocketIoDecoderMalformedTest {
  private static final String MALFORMED = "MALFORMED";
  private static final String LIMIT = "LIMIT_EXCEEDED";

  private static Arguments row(String label, String message, String kind, Object... inputs) {
    return Arguments.of(label, List.of(inputs), message, Kind.valueOf(kind));
  }

  static Stream<Arguments> malformed() {
    byte[] oneByte = {1};
    return Stream.of(
        row("D82 empty Socket.IO packet (\"4\" alone)", "Empty packet", MALFORMED, ""),
        row("D82 unknown type 4abc", "Unknown packet type", MALFORMED, "abc"),
        row("D82 unknown type 4x", "Unknown packet type", MALFORMED, "x"),
        row("D82 type is '/' (4/)", "Unknown packet type", MALFORMED, "/"),
        row("D83 type digit 7", "Unknown packet type", MALFORMED, "7[\"x\"]"),
        row("D83 type digit 8", "Unknown packet type", MALFORMED, "8"),
        row("D83 type digit 9", "Unknown packet type", MALFORMED, "9[]"),
        row("D83 minus sign as type (4-1)", "Unknown packet type", MALFORMED, "-1"),
        row("D84 EVENT object 42{}", "Invalid EVENT payload", MALFORMED, "2{}"),
        row("D84 EVENT string 42\"str\"", "Invalid EVENT payload", MALFORMED, "2\"str\""),
        row("D84 EVENT 42123 (ack id 123, no payload)", "Invalid EVENT payload", MALFORMED, "2123"),
        row("D84 EVENT null", "Invalid EVENT payload", MALFORMED, "2null"),
        row("D84 EVENT empty array", "Invalid EVENT payload", MALFORMED, "2[]"),
        row("D84 EVENT true", "Invalid EVENT payload", MALFORMED, "2true"),
        row("D84 EVENT without payload", "Invalid EVENT payload", MALFORMED, "2"),
        row("D84 EVENT on /admin without payload", "Invalid EVENT payload", MALFORMED, "2/admin,"),
        row("D85 event name object with toString", "Invalid event name", MALFORMED, "2[{\"toString\":\"foo\"}]"),
        row("D85 event name true", "Invalid event name", MALFORMED, "2[true,\"foo\"]"),
        row("D85 event name null", "Invalid event name", MALFORMED, "2[null,\"bar\"]"),
        row("D85 event name nested array", "Invalid event name", MALFORMED, "2[[\"nested\"]]"),
        row("D85 event name empty object", "Invalid event name", MALFORMED, "2[{}]"),
        row("D85 BINARY_EVENT name is the placeholder", "Invalid event name", MALFORMED,
            "51-[{\"_placeholder\":true,\"num\":0}]"),
        row("D86 reserved connect", "Reserved event name: connect", MALFORMED, "2[\"connect\"]"),
        row("D86 reserved connect_error", "Reserved event name: connect_error", MALFORMED, "2[\"connect_error\"]"),
        row("D86 reserved disconnect", "Reserved event name: disconnect", MALFORMED, "2[\"disconnect\"]"),
        row("D86 reserved disconnecting", "Reserved event name: disconnecting", MALFORMED, "2[\"disconnecting\"]"),
        row("D86 reserved newListener", "Reserved event name: newListener", MALFORMED, "2[\"newListener\"]"),
        row("D86 reserved removeListener", "Reserved event name: removeListener", MALFORMED, "2[\"removeListener\"]"),
        row("D86 reserved name in BINARY_EVENT", "Reserved event name: disconnect", MALFORMED,
            "51-[\"disconnect\",{\"_placeholder\":true,\"num\":0}]"),
        row("D86 event name longer than 256", "Event name too long (max 256)", LIMIT,
            "2[\"" + "e".repeat(257) + "\"]"),
        row("D87 ack id abc", "Invalid JSON payload", MALFORMED, "2abc[\"message-with-ack\"]"),
        row("D87 ack id 1a", "Invalid JSON payload", MALFORMED, "21a[\"x\"]"),
        row("D87 ack id -1", "Invalid JSON payload", MALFORMED, "2-1[\"x\"]"),
        row("D88 ack id above 2^63", "Ack id too large (max 2147483647)", LIMIT, "299999999999999999999[\"x\"]"),
        row("D88 ack id above 2^53", "Ack id too large (max 2147483647)", LIMIT, "29007199254740993[\"x\"]"),
        row("D88 ack id 2^31", "Ack id too large (max 2147483647)", LIMIT, "22147483648[\"x\"]"),
        row("D88 ack id of 10 000 digits", "Ack id too large (max 2147483647)", LIMIT, "2" + "9".repeat(10_000) + "[\"x\"]"),
        row("D88 ack id with leading zeros beyond 10 digits", "Ack id too long", MALFORMED, "200000000007[\"x\"]"),
        row("D88 ACK id above the cap", "Ack id too large (max 2147483647)", LIMIT, "32147483648[]"),
        row("D90 ACK object", "Invalid ACK payload", MALFORMED, "31{}"),
        row("D90 ACK string", "Invalid ACK payload", MALFORMED, "31\"x\""),
        row("D90 ACK without payload", "Invalid ACK payload", MALFORMED, "31"),
        row("D90 ACK without ack id", "ACK without ack id", MALFORMED, "3[]"),
        row("D90 BINARY_ACK object", "Invalid BINARY_ACK payload", MALFORMED, "61-1{\"a\":{\"_placeholder\":true,\"num\":0}}"),
        row("D93 CONNECT string", "Invalid CONNECT payload", MALFORMED, "0\"token\""),
        row("D93 CONNECT array", "Invalid CONNECT payload", MALFORMED, "0[1]"),
        row("D93 CONNECT number (no ack id on CONNECT)", "Invalid CONNECT payload", MALFORMED, "0123"),
        row("D93 CONNECT null", "Invalid CONNECT payload", MALFORMED, "0null"),
        row("D93 CONNECT /admin string", "Invalid CONNECT payload", MALFORMED, "0/admin,\"invalid\""),
        row("D95 namespace of 10 KB", "Namespace too long (max 256)", LIMIT, "0/" + "a".repeat(10_240) + ","),
        row("D95 namespace of 257 characters without comma", "Namespace too long (max 256)", LIMIT, "0/" + "a".repeat(256)),
        row("D95 namespace without leading slash", "Invalid JSON payload", MALFORMED, "0admin,"),
        row("D98 DISCONNECT with payload", "Invalid DISCONNECT payload", MALFORMED, "1/admin,{}"),
        row("D98 DISCONNECT with digits", "Invalid DISCONNECT payload", MALFORMED, "17"),
        row("D99 CONNECT_ERROR from a client", "CONNECT_ERROR is sent only by servers", MALFORMED, "4{\"message\":\"x\"}"),
        row("D101 array nested 100 000 deep, unclosed", "JSON nesting too deep (max 64)", LIMIT,
            "2[\"x\"," + "[".repeat(100_000)),
        row("D101 array nested 100 000 deep, closed", "JSON nesting too deep (max 64)", LIMIT,
            "2[\"x\"," + "[".repeat(100_000) + "]".repeat(100_000) + "]"),
        row("D101 object nested 100 000 deep", "JSON nesting too deep (max 64)", LIMIT,
            "2[\"x\"," + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "]"),
        row("D101 depth 65", "JSON nesting too deep (max 64)", LIMIT,
            "2[\"x\"," + "[".repeat(64) + "]".repeat(64) + "]"),
        row("D102 1e999999999", "Invalid JSON number", MALFORMED, "2[\"x\",1e999999999]"),
        row("D102 -1e400", "Invalid JSON number", MALFORMED, "2[\"x\",-1e400]"),
        row("D102 900 000-digit integer", "JSON number too long (max 100)", LIMIT, "2[\"x\"," + "7".repeat(900_000) + "]"),
        row("D102 101-character float", "JSON number too long (max 100)", LIMIT, "2[\"x\",0." + "1".repeat(99) + "]"),
        row("D102 -0", "Invalid JSON number", MALFORMED, "2[\"x\",-0]"),
        row("D102 -0.0", "Invalid JSON number", MALFORMED, "2[\"x\",-0.0]"),
        row("D102 NaN", "Invalid JSON payload", MALFORMED, "2[\"x\",NaN]"),
        row("D102 Infinity", "Invalid JSON payload", MALFORMED, "2[\"x\",Infinity]"),
        row("D102 -Infinity", "Invalid JSON payload", MALFORMED, "2[\"x\",-Infinity]"),
        row("D102 0x10", "Invalid JSON payload", MALFORMED, "2[\"x\",0x10]"),
        row("D102 leading zero 01", "Invalid JSON payload", MALFORMED, "2[\"x\",01]"),
        row("D102 leading plus", "Invalid JSON payload", MALFORMED, "2[\"x\",+1]"),
        row("D103 duplicate keys", "Duplicate key in JSON object", MALFORMED, "2[\"x\",{\"a\":1,\"a\":2}]"),
        row("D103 single-quoted string", "Invalid JSON payload", MALFORMED, "2['x']"),
        row("D103 raw control character in string", "Invalid JSON payload", MALFORMED, "2[\"x\u0001\"]"),
        row("D104 trailing garbage", "Invalid JSON payload", MALFORMED, "2[\"x\"]garbage"),
        row("D104 trailing space", "Invalid JSON payload", MALFORMED, "2[\"x\"] "),
        row("D104 leading space before the type", "Unknown packet type", MALFORMED, " 2[\"x\"]"),
        row("D104 space before the payload", "Invalid JSON payload", MALFORMED, "2 [\"x\"]"),
        row("D104 second packet after a newline", "Invalid JSON payload", MALFORMED, "2[\"x\"]\n2[\"y\"]"),
        row("D104 second value glued on", "Invalid JSON payload", MALFORMED, "2[\"x\"][\"y\"]"),
        row("D104 truncated JSON", "Invalid JSON payload", MALFORMED, "2[\"x\""),
        row("D104 byte-order mark before the payload", "Invalid JSON payload", MALFORMED, "2\uFEFF[\"x\"]"),
        row("D104 no-break space after the payload", "Invalid JSON payload", MALFORMED, "2[\"x\"]\u00A0"),
        row("D104 NUL after the payload", "Invalid JSON payload", MALFORMED, "2[\"x\"]\u0000"),
        row("E105 placeholder num \"splice\" (CVE-2022-2421)", "Invalid placeholder", MALFORMED,
            "51-[\"hello\",{\"_placeholder\":true,\"num\":\"splice\"}]"),
        row("E106 num 1 with one attachment", "Placeholder index out of range", MALFORMED,
            "51-[\"x\",{\"_placeholder\":true,\"num\":1}]"),
        row("E106 num -1", "Placeholder index out of range", MALFORMED, "51-[\"x\",{\"_placeholder\":true,\"num\":-1}]"),
        row("E106 num beyond int", "Placeholder index out of range", MALFORMED,
            "51-[\"x\",{\"_placeholder\":true,\"num\":99999999999}]"),
        row("E106 num 0.5", "Invalid placeholder", MALFORMED, "51-[\"x\",{\"_placeholder\":true,\"num\":0.5}]"),
        row("E106 num 1e0", "Invalid placeholder", MALFORMED, "52-[\"x\",{\"_placeholder\":true,\"num\":1e0}]"),
        row("E106 num 0.0", "Invalid placeholder", MALFORMED, "51-[\"x\",{\"_placeholder\":true,\"num\":0.0}]"),
        row("E106 num null", "Invalid placeholder", MALFORMED, "51-[\"x\",{\"_placeholder\":true,\"num\":null}]"),
        row("E106 num missing", "Invalid placeholder", MALFORMED, "51-[\"x\",{\"_placeholder\":true}]"),
        row("E106 _placeholder \"true\" (string)", "Invalid placeholder", MALFORMED,
            "51-[\"x\",{\"_placeholder\":\"true\",\"num\":0}]"),
        row("E106 _placeholder false", "Invalid placeholder", MALFORMED, "51-[\"x\",{\"_placeholder\":false,\"num\":0}]"),
        row("E106 placeholder with an extra key", "Invalid placeholder", MALFORMED,
            "51-[\"x\",{\"_placeholder\":true,\"num\":0,\"x\":1}]"),
        row("E106 same num twice", "Duplicate placeholder index", MALFORMED,
            "52-[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":0}]"),
        row("E106 declared 2, only num 0 referenced", "Unreferenced attachment", MALFORMED,
            "52-[\"x\",{\"_placeholder\":true,\"num\":0}]"),
        row("E106 declared 1, none referenced", "Unreferenced attachment", MALFORMED, "51-[\"x\"]"),
        row("E107 1 832 742 252 attachments", "Too many attachments (max 10)", LIMIT, "51832742252-[\"x\"]"),
        row("E107 99 999 999 999 attachments", "Too many attachments (max 10)", LIMIT, "599999999999-[\"x\"]"),
        row("E107 count 5-1-", "Invalid attachment count", MALFORMED, "5-1-[\"x\"]"),
        row("E107 count 5abc-", "Invalid attachment count", MALFORMED, "5abc-[\"x\"]"),
        row("E107 11 attachments", "Too many attachments (max 10)", LIMIT, "511-[\"x\"]"),
        row("E107 BINARY_ACK 11 attachments", "Too many attachments (max 10)", LIMIT, "611-1[]"),
        row("E107 type 5 alone", "Invalid attachment count", MALFORMED, "5"),
        row("E107 count without '-'", "Invalid attachment count", MALFORMED, "51[\"x\"]"),
        row("E108 text while attachments are pending", "Got plaintext data when reconstructing a packet", MALFORMED,
            "52-[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", oneByte, "2[\"x\"]"),
        row("E109 binary with no pending header", "Got binary data when not reconstructing a packet", MALFORMED,
            oneByte),
        row("E109 binary after a complete binary packet", "Got binary data when not reconstructing a packet",
            MALFORMED, "51-[\"x\",{\"_placeholder\":true,\"num\":0}]", oneByte, oneByte),
        row("E111 ten attachments of 1 MB", "Attachments too large (max 1000000 bytes)", LIMIT,
            tenPlaceholders(), new byte[1_000_000], new byte[1_000_000]),
        row("E111 one attachment one byte over", "Attachments too large (max 1000000 bytes)", LIMIT,
            "51-[\"x\",{\"_placeholder\":true,\"num\":0}]", new byte[1_000_001]),
        row("E113 zero attachments BINARY_EVENT", "Attachment count must be at least 1", MALFORMED, "50-[\"x\"]"),
        row("E113 zero attachments BINARY_ACK", "Attachment count must be at least 1", MALFORMED, "60-7[]"));
  }

  static String tenPlaceholders() {
    StringBuilder sb = new StringBuilder("510-[\"x\"");
    for (int i = 0; i < 10; i++) sb.append(",{\"_placeholder\":true,\"num\":").append(i).append('}');
    return sb.append(']').toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesMalformedInputWithExactMessage(String label, List<Object> inputs, String message, Kind kind) {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    for (Object input : inputs.subList(0, inputs.size() - 1)) {
      assertDoesNotThrow(() -> feed(decoder, input), "inputs before the last are valid");
    }
    SocketIoProtocolException e =
        assertThrows(SocketIoProtocolException.class, () -> feed(decoder, inputs.get(inputs.size() - 1)));
    assertEquals(message, e.getMessage());
    assertEquals(kind, e.kind());
    assertEquals(SocketIoDecoder.State.CORRUPT, decoder.state());
    assertFalse(decoder.isReconstructing());
  }

  static SocketIoPacket feed(SocketIoDecoder decoder, Object input) throws SocketIoProtocolException {
    return input instanceof String s ? decoder.add(s) : decoder.add((byte[]) input);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesMalformedInputEvenAfterAGoodPacket(String label, List<Object> inputs, String message, Kind kind)
      throws SocketIoProtocolException {
    // The decoder carries no state between complete packets that could mask an error.
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    decoder.add("2[\"warm-up\"]");
    List<Object> all = new ArrayList<>(inputs);
    for (Object input : all.subList(0, all.size() - 1)) feed(decoder, input);
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class, () -> feed(decoder, all.get(all.size() - 1)));
    assertEquals(message, e.getMessage());
  }
}
