package dev.switchboard.socketio.protocol;

import static dev.switchboard.socketio.protocol.SocketIoSpecVectors.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.socketio.protocol.SocketIoDecoder.Sender;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Odd but valid input and the packet it must decode to; rows named after the hostile-inputs.md
 * entry whose "valid" half they cover, or the rule they pin down.
 */
class SocketIoDecoderAcceptsTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static Arguments row(String label, String text, SocketIoPacket expected) {
    return Arguments.of(label, text, expected);
  }

  static Stream<Arguments> accepted() {
    String ns256 = "/" + "n".repeat(255);
    return Stream.of(
        row("D85 numeric event name", "2[1,\"a\"]", SocketIoPacket.event("/", json("[1,\"a\"]"))),
        row("D85 float event name", "2[1.5]", SocketIoPacket.event("/", json("[1.5]"))),
        row("D86 error is an ordinary event", "2[\"error\"]", SocketIoPacket.event("/", json("[\"error\"]"))),
        row("D86 reserved names are case-sensitive", "2[\"Connect\"]", SocketIoPacket.event("/", json("[\"Connect\"]"))),
        row("D86 event name of 256 characters", "2[\"" + "e".repeat(256) + "\"]",
            SocketIoPacket.event("/", json("[\"" + "e".repeat(256) + "\"]"))),
        row("D88 ack id 007 is 7, like the reference", "2007[\"x\"]", SocketIoPacket.event("/", json("[\"x\"]"), 7)),
        row("D88 ack id 2^31-1", "22147483647[\"x\"]", SocketIoPacket.event("/", json("[\"x\"]"), 2147483647)),
        row("D88 ack id 0", "20[\"x\"]", SocketIoPacket.event("/", json("[\"x\"]"), 0)),
        row("D89 ACK with any id decodes (matching is the dispatcher's job)", "3999[]",
            SocketIoPacket.ack("/", json("[]"), 999)),
        row("D95 v2-style query kept verbatim", "0/admin?x=1,", SocketIoPacket.connect("/admin?x=1", null)),
        row("D95 percent escape kept verbatim", "0/ad%00min,", SocketIoPacket.connect("/ad%00min", null)),
        row("D95 double slash kept verbatim", "0//,", SocketIoPacket.connect("//", null)),
        row("D95 dot segments kept verbatim", "0/../admin,", SocketIoPacket.connect("/../admin", null)),
        row("D95 namespace without a comma at the end", "0/admin", SocketIoPacket.connect("/admin", null)),
        row("D95 namespace of exactly 256 characters", "0" + ns256 + ",", SocketIoPacket.connect(ns256, null)),
        row("explicit main namespace", "2/,[\"x\"]", SocketIoPacket.event("/", json("[\"x\"]"))),
        row("D98 DISCONNECT without comma", "1/admin", SocketIoPacket.disconnect("/admin")),
        row("D101 depth exactly 64", "2[\"x\"," + "[".repeat(63) + "]".repeat(63) + "]",
            SocketIoPacket.event("/", json("[\"x\"," + "[".repeat(63) + "]".repeat(63) + "]"))),
        row("D102 100-digit integer", "2[\"x\"," + "9".repeat(100) + "]",
            SocketIoPacket.event("/", NODES.arrayNode().add("x").add(new BigInteger("9".repeat(100))))),
        row("D102 zero and minus one", "2[\"x\",0,-1,0.0]", SocketIoPacket.event("/", json("[\"x\",0,-1,0.0]"))),
        row("D102 large finite double", "2[\"x\",1.7976931348623157e308]",
            SocketIoPacket.event("/", NODES.arrayNode().add("x").add(Double.MAX_VALUE))),
        row("D102 underflow to zero", "2[\"x\",1e-400]", SocketIoPacket.event("/", NODES.arrayNode().add("x").add(0.0))),
        row("D103 NUL escape kept", "2[\"x\",\"a\\u0000b\"]", SocketIoPacket.event("/", NODES.arrayNode().add("x").add("a\u0000b"))),
        row("D103 lone high surrogate becomes U+FFFD", "2[\"x\",\"a\\ud800b\"]",
            SocketIoPacket.event("/", NODES.arrayNode().add("x").add("a\uFFFDb"))),
        row("D103 lone low surrogate becomes U+FFFD", "2[\"x\",\"\\udc00\"]",
            SocketIoPacket.event("/", NODES.arrayNode().add("x").add("\uFFFD"))),
        row("D103 reversed pair becomes two U+FFFD", "2[\"x\",\"\\udc00\\ud800\"]",
            SocketIoPacket.event("/", NODES.arrayNode().add("x").add("\uFFFD\uFFFD"))),
        row("D103 surrogate pair kept", "2[\"x\",\"\\ud83d\\ude00\"]",
            SocketIoPacket.event("/", NODES.arrayNode().add("x").add("\uD83D\uDE00"))),
        row("D103 lone surrogate in a key becomes U+FFFD", "2[\"x\",{\"\\ud800\":1}]",
            SocketIoPacket.event("/", json("[\"x\",{\"\uFFFD\":1}]"))),
        row("D103 __proto__ and constructor are ordinary keys", "2[\"x\",{\"__proto__\":{\"a\":1},\"constructor\":2}]",
            SocketIoPacket.event("/", json("[\"x\",{\"__proto__\":{\"a\":1},\"constructor\":2}]"))),
        row("D103 whitespace between JSON tokens is fine", "2[\"x\", {\"a\" : 1}]",
            SocketIoPacket.event("/", json("[\"x\",{\"a\":1}]"))),
        row("E112 placeholder inside a plain EVENT stays an object", "2[\"x\",{\"_placeholder\":true,\"num\":0}]",
            SocketIoPacket.event("/", json("[\"x\",{\"_placeholder\":true,\"num\":0}]"))),
        row("E112 placeholder inside CONNECT stays an object", "0{\"_placeholder\":true,\"num\":0}",
            SocketIoPacket.connect("/", json("{\"_placeholder\":true,\"num\":0}"))),
        row("CONNECT with empty object", "0{}", SocketIoPacket.connect("/", json("{}"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void decodesValidEdgeCase(String label, String text, SocketIoPacket expected) throws SocketIoProtocolException {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    assertEquals(expected, decoder.add(text));
    assertEquals(SocketIoDecoder.State.IDLE, decoder.state());
  }

  @Test
  void acceptsHalfAMegabyteOfUnicodeEscapesInLinearTime() throws SocketIoProtocolException {
    // hostile-inputs.md#D103: 500 KB of \\u escapes.
    String escapes = "\\u00e9".repeat(500_000 / 6);
    SocketIoPacket p = new SocketIoDecoder(SocketIoLimits.DEFAULTS).add("2[\"x\",\"" + escapes + "\"]");
    assertEquals("é".repeat(500_000 / 6), p.data().get(1).textValue());
  }

  @Test
  void reencodesLoneSurrogatesAsValidUtf8() throws SocketIoProtocolException {
    // hostile-inputs.md#D103: what is relayed to other clients must be valid UTF-8 and valid JSON.
    SocketIoPacket p = new SocketIoDecoder(SocketIoLimits.DEFAULTS).add("2[\"x\",\"\\ud800\",{\"\\udfff\":\"\\ud83d\"}]");
    String text = SocketIoEncoder.encode(p).text();
    assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(text), text);
    assertEquals("2[\"x\",\"\uFFFD\",{\"\uFFFD\":\"\uFFFD\"}]", text);
  }

  @Test
  void acceptsConnectErrorFromAServer() throws SocketIoProtocolException {
    // socket.io-parser isPayloadValid: CONNECT_ERROR data is an object or (v4 servers) a string.
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS, Sender.SERVER);
    assertEquals(SocketIoPacket.connectError("/", NODES.textNode("Not authorized")), decoder.add("4\"Not authorized\""));
    assertEquals(SocketIoPacket.connectError("/random", json("{\"message\":\"Invalid namespace\"}")),
        decoder.add("4/random,{\"message\":\"Invalid namespace\"}"));
  }

  @Test
  void refusesConnectErrorWithoutObjectOrStringFromAServer() {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS, Sender.SERVER);
    SocketIoProtocolException e =
        org.junit.jupiter.api.Assertions.assertThrows(SocketIoProtocolException.class, () -> decoder.add("4[1]"));
    assertEquals("Invalid CONNECT_ERROR payload", e.getMessage());
  }

  @Test
  void appliesConfiguredLimits() throws SocketIoProtocolException {
    SocketIoLimits small = SocketIoLimits.DEFAULTS
        .withMaxStringLength(10).withMaxNestingDepth(2).withMaxAckId(99).withMaxNamespaceLength(4)
        .withMaxEventNameLength(3).withMaxNumberLength(3);
    assertRefused(small, "2[\"x\",\"" + "s".repeat(11) + "\"]", "JSON payload exceeds parser limits");
    assertRefused(small, "2[\"x\",{\"" + "k".repeat(11) + "\":1}]", "JSON payload exceeds parser limits");
    assertRefused(small, "2[\"x\",[[]]]", "JSON nesting too deep (max 2)");
    assertRefused(small, "2100[\"x\"]", "Ack id too large (max 99)");
    assertRefused(small, "2000[\"x\"]", "Ack id too long");
    assertRefused(small, "0/abcd,", "Namespace too long (max 4)");
    assertRefused(small, "2[\"abcd\"]", "Event name too long (max 3)");
    assertRefused(small, "2[\"x\",1234]", "JSON number too long (max 3)");
    SocketIoDecoder decoder = new SocketIoDecoder(small);
    JsonNode data = decoder.add("0/abc,{\"a\":\"" + "s".repeat(10) + "\"}").data();
    assertEquals("s".repeat(10), data.get("a").textValue());
    assertEquals(99, decoder.add("299[\"abc\",[123]]").ackId());
  }

  private static void assertRefused(SocketIoLimits limits, String text, String message) {
    SocketIoProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(
        SocketIoProtocolException.class, () -> new SocketIoDecoder(limits).add(text));
    assertEquals(message, e.getMessage(), text);
  }
}
