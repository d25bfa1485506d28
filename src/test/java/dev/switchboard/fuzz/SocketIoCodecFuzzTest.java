package dev.switchboard.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import dev.switchboard.socketio.protocol.SocketIoDecoder;
import dev.switchboard.socketio.protocol.SocketIoDecoder.Sender;
import dev.switchboard.socketio.protocol.SocketIoEncoder;
import dev.switchboard.socketio.protocol.SocketIoLimits;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import dev.switchboard.socketio.protocol.SocketIoProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A fuzzer-chosen sequence of Engine.IO messages, text and binary, fed to a {@link
 * SocketIoDecoder}: each must give a packet, null (attachments awaited) or a {@link
 * SocketIoProtocolException}; every packet must re-encode with {@link SocketIoEncoder#encode} and
 * decode back, attachments reassembled, to an equal packet. Deep nesting must be refused, never
 * overflow the stack (Jazzer reports a StackOverflowError like any other throwable).
 *
 * <p>Input format: messages separated by the byte {@code 0xFF}, which never occurs in UTF-8, so a
 * text message can hold any character. A message starting with {@code b} is a binary message of the
 * bytes after the {@code b} (no Socket.IO text starts with {@code b}); any other is a text message,
 * decoded as UTF-8 with replacement, as the Engine.IO layer hands over only valid strings. Stored
 * inputs: {@code src/test/resources/dev/switchboard/fuzz/SocketIoCodecFuzzTestInputs/}.
 */
class SocketIoCodecFuzzTest {
  private static final byte SEPARATOR = (byte) 0xFF;
  private static final byte BINARY_MARK = 'b';
  private static final HexFormat HEX = HexFormat.of();

  /** Every limit reachable by short inputs: 2 attachments of 16 bytes in all, depth 4, … */
  static final SocketIoLimits TIGHT = new SocketIoLimits(2, 16, 4, 8, 99, 8, 8, 32);

  /** Each sequence is replayed through these three decoders. */
  private record Config(String name, SocketIoLimits limits, Sender sender) {}

  private static final List<Config> CONFIGS = List.of(
      new Config("client", SocketIoLimits.DEFAULTS, Sender.CLIENT),
      new Config("server", SocketIoLimits.DEFAULTS, Sender.SERVER),
      new Config("tight", TIGHT, Sender.CLIENT));

  /** A message as the Engine.IO layer hands it over: text, or binary when {@code text} is null. */
  record Message(String text, byte[] binary) {}

  // Tokens the fuzzer cannot learn from comparisons: they are looked up inside Jackson, which
  // Jazzer does not instrument by default.
  @DictionaryEntries({"{\"_placeholder\":true,\"num\":0}", "\"_placeholder\":true", "\"num\":1", "-[",
      "/admin,", "\\ud800", "1e999", "-0", "true", "null", "[[[[", "\"connect\""})
  @FuzzTest(maxDuration = "3m")
  void decodesToPacketsThatSurviveARoundTrip(byte[] data) {
    outcomes(data);
  }

  static List<Message> messages(byte[] data) {
    List<Message> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i < data.length && data[i] != SEPARATOR) continue;
      if (i > start && data[start] == BINARY_MARK) {
        out.add(new Message(null, Arrays.copyOfRange(data, start + 1, i)));
      } else {
        out.add(new Message(new String(data, start, i - start, StandardCharsets.UTF_8), null));
      }
      start = i + 1;
    }
    return out;
  }

  /** Runs every check; returns, per decoder configuration, what each message gave. */
  static List<String> outcomes(byte[] data) {
    List<Message> messages = messages(data);
    List<String> out = new ArrayList<>();
    for (Config config : CONFIGS) out.add(config.name() + ": " + replay(config, messages));
    return out;
  }

  private static String replay(Config config, List<Message> messages) {
    SocketIoDecoder decoder = new SocketIoDecoder(config.limits(), config.sender());
    List<String> results = new ArrayList<>();
    for (Message m : messages) {
      boolean wasReconstructing = decoder.isReconstructing();
      SocketIoPacket packet;
      try {
        packet = m.text() != null ? decoder.add(m.text()) : decoder.add(m.binary());
      } catch (SocketIoProtocolException e) {
        assertNotNull(e.kind());
        assertNotNull(e.getMessage());
        assertEquals(SocketIoDecoder.State.CORRUPT, decoder.state());
        // Feeding a corrupt decoder is the caller's bug, reported as such.
        assertThrows(IllegalStateException.class, () -> decoder.add("2[\"x\"]"));
        results.add("refused " + e.getMessage());
        // The connection would be closed here; reset() reuses the decoder for the rest of the input.
        decoder.reset();
        continue;
      }
      if (packet == null) {
        assertTrue(decoder.isReconstructing(), "null without a binary packet in progress");
        results.add("awaiting");
        continue;
      }
      assertFalse(decoder.isReconstructing(), "a packet came out while attachments are still awaited");
      int attachments = checkPacket(packet, config);
      if (m.text() != null) assertEquals(0, attachments, "binary values in a packet decoded from text alone");
      else assertTrue(wasReconstructing && attachments > 0, "a binary message completed a packet without binary values");
      roundTrip(packet, config);
      results.add(packet.type() + " " + packet.namespace() + " " + packet.ackId() + " " + packet.data());
    }
    return String.join(" | ", results);
  }

  /** The packet invariants the dispatcher relies on; returns the number of binary values. */
  private static int checkPacket(SocketIoPacket p, Config config) {
    SocketIoLimits limits = config.limits();
    // socket.io-parser Decoder.add: BINARY_EVENT / BINARY_ACK are delivered as EVENT / ACK.
    assertFalse(p.type().isBinary(), "a binary type reached the application");
    if (p.type() == SocketIoPacketType.CONNECT_ERROR) assertEquals(Sender.SERVER, config.sender());
    assertTrue(p.namespace().startsWith("/") && p.namespace().indexOf(',') < 0, p.namespace());
    assertTrue(p.namespace().length() <= limits.maxNamespaceLength(), "namespace too long");
    assertTrue(p.ackId() <= limits.maxAckId(), "ack id above the limit");
    if (p.type().isEvent()) {
      assertTrue(p.data() != null && p.data().isArray() && !p.data().isEmpty());
      JsonNode name = p.data().get(0);
      assertTrue(name.isNumber() || name.isTextual() && name.textValue().length() <= limits.maxEventNameLength());
    }
    // Walked without recursion: the depth itself is one of the things under test.
    int binaries = 0;
    long binaryBytes = 0;
    ArrayDeque<JsonNode> nodes = new ArrayDeque<>();
    ArrayDeque<Integer> depths = new ArrayDeque<>();
    if (p.data() != null) {
      nodes.push(p.data());
      depths.push(1);
    }
    while (!nodes.isEmpty()) {
      JsonNode n = nodes.pop();
      int depth = depths.pop();
      if (n.isBinary()) {
        binaries++;
        binaryBytes += ((BinaryNode) n).binaryValue().length;
      }
      if (n.isContainerNode()) {
        assertTrue(depth <= limits.maxNestingDepth(), "depth " + depth + " above the limit");
        for (JsonNode child : n) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    }
    assertTrue(binaries <= limits.maxAttachments(), binaries + " attachments");
    assertTrue(binaryBytes <= limits.maxAttachmentBytesTotal(), binaryBytes + " attachment bytes");
    return binaries;
  }

  /** encode, then decode with a fresh decoder of the same configuration: the same packet. */
  private static void roundTrip(SocketIoPacket packet, Config config) {
    SocketIoEncoder.Encoded encoded = SocketIoEncoder.encode(packet);
    SocketIoDecoder decoder = new SocketIoDecoder(config.limits(), config.sender());
    try {
      SocketIoPacket back = decoder.add(encoded.text());
      List<byte[]> attachments = encoded.attachments();
      for (int i = 0; i < attachments.size(); i++) {
        assertNull(back, "packet complete before attachment " + i);
        back = decoder.add(attachments.get(i));
      }
      assertEquals(packet, back, () -> "round trip via " + encoded.text() + " + " + hex(attachments));
      assertNotEquals(SocketIoDecoder.State.AWAITING_ATTACHMENTS, decoder.state());
    } catch (SocketIoProtocolException e) {
      throw new AssertionError("re-encoded packet refused: " + encoded.text() + " → " + e.getMessage(), e);
    }
  }

  private static String hex(List<byte[]> attachments) {
    List<String> out = new ArrayList<>();
    for (byte[] a : attachments) out.add(HEX.formatHex(a));
    return out.toString();
  }
}
