package dev.switchboard.engineio;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.transport.WebSocketTransport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages that leave together and in order (a Socket.IO packet and its binary attachments),
 * maybe sent alike by many sessions (a broadcast): the WebSocket frames are built once, on first
 * use, and every WebSocket session writes the same bytes (Node's socket.io does the same with
 * {@code wsPreEncodedFrame}). Polling sessions use the packets.
 *
 * <pre>{@code
 * SharedMessage m = new SharedMessage(List.of(EngineIoPacket.message("2[\"news\",1]")), true);
 * for (EngineIoConnection c : recipients) c.send(m, false);
 * }</pre>
 *
 * <p>Threading: immutable but for the lazily built frames, which any thread may build; a race
 * builds them twice, harmlessly.
 */
public final class SharedMessage extends Outbound {
  private final List<EngineIoPacket> packets;
  private final boolean broadcast;
  private volatile List<ByteBuffer> frames;

  /** Messages for one recipient, or a few. */
  public SharedMessage(List<EngineIoPacket> packets) {
    this(packets, false);
  }

  /**
   * A {@code broadcast} (many recipients) has its frames built once in a direct buffer: the
   * kernel copies from it straight away, where a heap buffer is first copied into a temporary
   * direct one on every write (JFR: 30 % of a broadcast's samples, BENCHMARKS.md) — worth it for
   * many recipients only, a direct allocation costs more than a few small copies. Its frames are
   * also queued rather than written through, to be coalesced ({@code WebSocketConnection.sendFrames}).
   */
  public SharedMessage(List<EngineIoPacket> packets, boolean broadcast) {
    this.packets = List.copyOf(packets);
    this.broadcast = broadcast;
  }

  /** Whether this message goes to many recipients (see the constructor). */
  public boolean isBroadcast() {
    return broadcast;
  }

  /** The packets, in order. */
  public List<EngineIoPacket> packets() {
    return packets;
  }

  /** Read-only frames; callers write {@code duplicate()}s. */
  public List<ByteBuffer> webSocketFrames() {
    List<ByteBuffer> f = frames;
    if (f == null) {
      List<ByteBuffer> built = new ArrayList<>(packets.size());
      for (EngineIoPacket p : packets) {
        ByteBuffer frame = WebSocketTransport.frame(p);
        if (broadcast) {
          ByteBuffer d = ByteBuffer.allocateDirect(frame.remaining());
          d.put(frame).flip();
          frame = d;
        }
        built.add(frame.asReadOnlyBuffer());
      }
      f = List.copyOf(built);
      frames = f;
    }
    return f;
  }

  @Override
  void addFramesTo(List<ByteBuffer> out) {
    out.addAll(webSocketFrames());
  }

  @Override
  void addPacketsTo(List<EngineIoPacket> out) {
    out.addAll(packets);
  }

  @Override
  boolean coalesces() {
    return broadcast;
  }
}
