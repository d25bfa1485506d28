package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.websocket.MessageDeflater;
import dev.switchboard.websocket.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A broadcast's compressed frames: built once for every recipient without context takeover. */
class SharedMessageDeflateTest {
  private static final PerMessageDeflate NO_TAKEOVER = new PerMessageDeflate(true, false, 1024, "permessage-deflate");
  private static final PerMessageDeflate TAKEOVER = new PerMessageDeflate(false, false, 1024, "permessage-deflate");
  private static final String BIG = "2[\"news\",\"" + "x".repeat(2000) + "\"]";

  @Test
  void withoutContextTakeoverTheCompressedFramesAreBuiltOnceAndShared() {
    SharedMessage m = new SharedMessage(List.of(EngineIoPacket.message(BIG), EngineIoPacket.message("small")), true);
    List<ByteBuffer> frames = m.framesFor(NO_TAKEOVER);
    assertSame(frames, m.framesFor(NO_TAKEOVER), "one compression for every recipient");
    assertTrue(MessageDeflater.isCompressed(frames.get(0)));
    assertTrue(frames.get(0).remaining() < 100, "compressed: " + frames.get(0).remaining());
    assertFalse(MessageDeflater.isCompressed(frames.get(1)), "under the threshold");
  }

  @Test
  void withContextTakeoverOrCompressFalseThePlainFramesGo() {
    SharedMessage m = new SharedMessage(List.of(EngineIoPacket.message(BIG)), true);
    assertSame(m.webSocketFrames(), m.framesFor(TAKEOVER), "each connection compresses with its own window");
    SharedMessage plain = new SharedMessage(List.of(EngineIoPacket.message(BIG)), true, false);
    assertSame(plain.webSocketFrames(), plain.framesFor(NO_TAKEOVER));
    assertFalse(plain.compress());
    assertEquals(BIG.length() + 1 + 4, plain.webSocketFrames().get(0).remaining());
  }
}
