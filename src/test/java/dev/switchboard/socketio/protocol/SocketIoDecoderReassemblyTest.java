package dev.switchboard.socketio.protocol;

import static dev.switchboard.socketio.protocol.SocketIoSpecVectors.bytes;
import static dev.switchboard.socketio.protocol.SocketIoSpecVectors.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.socketio.protocol.SocketIoDecoder.State;
import dev.switchboard.socketio.protocol.SocketIoEncoder.Encoded;
import dev.switchboard.testing.Chunkings;
import dev.switchboard.testing.Chunkings.Chunking;
import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Binary packets: a header message, then each attachment as its own binary message. */
class SocketIoDecoderReassemblyTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Ten bytes cut every way Chunkings knows (whole, one byte at a time, split at every index), each
   * piece sent as one attachment of one BINARY_EVENT: the decoder must hand back the same pieces,
   * in order, after exactly the last one.
   */
  static Stream<Chunking> chunkings() {
    return Chunkings.of(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chunkings")
  void reassemblesAttachmentsFedOneByOne(Chunking chunking) throws Exception {
    ArrayNode args = NODES.arrayNode().add("upload");
    for (byte[] piece : chunking.pieces()) args.add(BinaryNode.valueOf(piece));
    SocketIoPacket sent = SocketIoPacket.event("/files", args, 3);
    Encoded encoded = SocketIoEncoder.encode(sent);
    assertEquals(chunking.pieces().size(), encoded.attachments().size());

    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    assertNull(decoder.add(encoded.text()));
    SocketIoPacket received = null;
    for (int i = 0; i < encoded.attachments().size(); i++) {
      assertTrue(decoder.isReconstructing());
      received = decoder.add(encoded.attachments().get(i).clone());
      assertEquals(i == encoded.attachments().size() - 1, received != null, "complete after attachment " + i);
    }
    assertEquals(sent, received);
    assertEquals(State.IDLE, decoder.state());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 1; i < received.data().size(); i++) joined.writeBytes(received.data().get(i).binaryValue());
    assertArrayEquals(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), joined.toByteArray());
  }

  @Test
  void placesAttachmentsByNumNotByPosition() throws Exception {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    assertNull(decoder.add("52-[\"x\",{\"_placeholder\":true,\"num\":1},{\"a\":{\"b\":{\"_placeholder\":true,\"num\":0}}}]"));
    assertNull(decoder.add(bytes(0xA)));
    SocketIoPacket p = decoder.add(bytes(0xB));
    assertArrayEquals(bytes(0xB), p.data().get(1).binaryValue());
    assertArrayEquals(bytes(0xA), p.data().get(2).get("a").get("b").binaryValue());
  }

  @Test
  void acceptsPlaceholderKeysInEitherOrder() throws Exception {
    // hostile-inputs.md#E106 / netty-socketio #326: key order must not matter.
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    assertNull(decoder.add("51-[\"x\",{\"num\":0,\"_placeholder\":true}]"));
    SocketIoPacket p = decoder.add(bytes(7));
    assertArrayEquals(bytes(7), p.data().get(1).binaryValue());
  }

  @Test
  void deliversBinaryPacketsAsEventAndAckWithBinaryNodes() throws Exception {
    // socket.io-parser Decoder.add: BINARY_EVENT / BINARY_ACK come out as EVENT / ACK.
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    decoder.add("61-/chat,5[{\"_placeholder\":true,\"num\":0}]");
    SocketIoPacket ack = decoder.add(new byte[0]);
    assertEquals(SocketIoPacketType.ACK, ack.type());
    assertEquals("/chat", ack.namespace());
    assertEquals(5, ack.ackId());
    assertTrue(ack.data().get(0).isBinary());
    assertEquals(0, ack.data().get(0).binaryValue().length);
  }

  @Test
  void keepsTheAttachmentArrayWithoutCopying() throws Exception {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    decoder.add("51-[\"x\",{\"_placeholder\":true,\"num\":0}]");
    byte[] attachment = bytes(1, 2);
    assertSame(attachment, decoder.add(attachment).data().get(1).binaryValue());
  }

  @Test
  void decodesPacketsBackToBackAroundABinaryOne() throws Exception {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    assertEquals(SocketIoPacket.event("/", json("[\"a\"]")), decoder.add("2[\"a\"]"));
    assertNull(decoder.add("51-[\"b\",{\"_placeholder\":true,\"num\":0}]"));
    assertEquals(State.AWAITING_ATTACHMENTS, decoder.state());
    assertEquals("b", decoder.add(bytes(1)).data().get(0).textValue());
    assertEquals(SocketIoPacket.event("/", json("[\"c\"]")), decoder.add("2[\"c\"]"));
    assertNull(decoder.add("51-[\"d\",{\"_placeholder\":true,\"num\":0}]"));
    assertEquals("d", decoder.add(bytes(2)).data().get(0).textValue());
  }

  @Test
  void acceptsAttachmentsTotallingExactlyTheLimit() throws Exception {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS.withMaxAttachmentBytesTotal(10));
    decoder.add("52-[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertNull(decoder.add(new byte[4]));
    JsonNode data = decoder.add(new byte[6]).data();
    assertEquals(6, data.get(2).binaryValue().length);
  }

  @Test
  void acceptsTheMaximumAttachmentCount() throws Exception {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    assertNull(decoder.add(SocketIoDecoderMalformedTest.tenPlaceholders()));
    for (int i = 0; i < 9; i++) assertNull(decoder.add(bytes(i)));
    assertEquals(11, decoder.add(bytes(9)).data().size());
  }

  @Test
  void refusesEveryBinaryPacketWhenAttachmentsAreDisabled() {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS.withMaxAttachments(0));
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class,
        () -> decoder.add("51-[\"x\",{\"_placeholder\":true,\"num\":0}]"));
    assertEquals("Too many attachments (max 0)", e.getMessage());
  }

  @Test
  void resetDropsAPartialPacket() throws Exception {
    // hostile-inputs.md#E110: the connection layer resets on close; the partial packet is gone.
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    decoder.add("52-[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    decoder.add(bytes(1));
    decoder.reset();
    assertFalse(decoder.isReconstructing());
    assertEquals(State.IDLE, decoder.state());
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class, () -> decoder.add(bytes(2)));
    assertEquals("Got binary data when not reconstructing a packet", e.getMessage());
  }

  @Test
  void corruptDecoderRefusesFurtherInputUntilReset() throws Exception {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    decoder.add("51-[\"x\",{\"_placeholder\":true,\"num\":0}]");
    assertThrows(SocketIoProtocolException.class, () -> decoder.add("2[\"x\"]"));
    assertEquals(State.CORRUPT, decoder.state());
    IllegalStateException text = assertThrows(IllegalStateException.class, () -> decoder.add("2[\"x\"]"));
    assertEquals("Decoder is corrupt", text.getMessage());
    IllegalStateException binary = assertThrows(IllegalStateException.class, () -> decoder.add(bytes(1)));
    assertEquals("Decoder is corrupt", binary.getMessage());
    decoder.reset();
    assertEquals(SocketIoPacket.event("/", json("[\"x\"]")), decoder.add("2[\"x\"]"));
  }
}
