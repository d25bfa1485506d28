package dev.switchboard.engineio;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.transport.WebSocketTransport;
import dev.switchboard.websocket.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One item of a session's write buffer: a single {@link Packet}, or a {@link SharedMessage}
 * whose WebSocket frames are built once for every recipient. Each item turns itself into what
 * the transport takes: frames for a WebSocket, packets for a polling payload.
 *
 * <p>Threading: immutable (a shared message builds its frames lazily, race-free).
 */
abstract sealed class Outbound permits Outbound.Packet, SharedMessage {
  Outbound() {}

  /** Appends this item's WebSocket frames, in order (engine.io-protocol §WebSocket: one packet per frame). */
  abstract void addFramesTo(List<ByteBuffer> frames);

  /** As {@link #addFramesTo(List)}, for a connection that negotiated {@code deflate} (not null). */
  void addFramesTo(List<ByteBuffer> frames, PerMessageDeflate deflate) {
    addFramesTo(frames);
  }

  /** Whether this item may be compressed (false: Socket.IO's {@code compress(false)}). */
  boolean compressible() {
    return true;
  }

  /** Appends this item's packets, in order, for a polling payload. */
  abstract void addPacketsTo(List<EngineIoPacket> packets);

  /**
   * Whether its frames may wait in the connection's queue to leave with others in one gathering
   * write (a broadcast; {@code WebSocketConnection.sendFrames}).
   */
  abstract boolean coalesces();

  /** One packet of this session alone: a message, a ping, the OPEN or close packet. */
  static final class Packet extends Outbound {
    /** The heartbeat's ping (engine.io-protocol §Heartbeat), one instance for every session. */
    static final Packet PING = new Packet(EngineIoPacket.ping());
    /** The answer to a v3 client's ping (EIO3 §Timeouts), one instance for every session. */
    static final Packet PONG = new Packet(EngineIoPacket.pong(""));

    private final EngineIoPacket packet;

    Packet(EngineIoPacket packet) {
      this.packet = packet;
    }

    @Override
    void addFramesTo(List<ByteBuffer> frames) {
      frames.add(WebSocketTransport.frame(packet));
    }

    @Override
    void addPacketsTo(List<EngineIoPacket> packets) {
      packets.add(packet);
    }

    @Override
    boolean coalesces() {
      return false;
    }
  }
}
