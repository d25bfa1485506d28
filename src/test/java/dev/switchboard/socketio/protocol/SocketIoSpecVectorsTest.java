package dev.switchboard.socketio.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.socketio.protocol.SocketIoEncoder.Encoded;
import dev.switchboard.socketio.protocol.SocketIoSpecVectors.Vector;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The socket.io-protocol README examples, encoded and decoded both ways. */
class SocketIoSpecVectorsTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.switchboard.socketio.protocol.SocketIoSpecVectors#all")
  void encodesSpecExampleToItsWireForm(Vector v) {
    Encoded encoded = SocketIoEncoder.encode(v.packet());
    assertEquals(v.text(), encoded.text());
    assertAttachmentsEqual(v.attachments(), encoded.attachments());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.switchboard.socketio.protocol.SocketIoSpecVectors#all")
  void decodesSpecExampleToItsPacket(Vector v) throws SocketIoProtocolException {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS, v.sender());
    SocketIoPacket packet = decoder.add(v.text());
    for (byte[] attachment : v.attachments()) {
      assertNull(packet, "packet delivered before its last attachment");
      packet = decoder.add(attachment.clone());
    }
    assertEquals(v.packet(), packet);
    assertEquals(SocketIoDecoder.State.IDLE, decoder.state());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.switchboard.socketio.protocol.SocketIoSpecVectors#all")
  void reencodingADecodedSpecExampleGivesTheSameWire(Vector v) throws SocketIoProtocolException {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS, v.sender());
    SocketIoPacket packet = decoder.add(v.text());
    for (byte[] attachment : v.attachments()) packet = decoder.add(attachment.clone());
    Encoded again = SocketIoEncoder.encode(packet);
    assertEquals(v.text(), again.text());
    assertAttachmentsEqual(v.attachments(), again.attachments());
  }

  static void assertAttachmentsEqual(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "attachment count");
    for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "attachment " + i);
  }
}
