package dev.switchboard.engineio;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.transport.WebSocketTransport;
import dev.switchboard.websocket.MessageDeflater;
import dev.switchboard.websocket.PerMessageDeflate;
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
 * <p>With permessage-deflate: a message sent with {@code compress} false (Socket.IO's
 * {@code compress(false)}) is never compressed, over WebSocket or polling. For connections that
 * negotiated {@code server_no_context_takeover} its compressed frames are built once too
 * ({@link #framesFor}), the same bytes for every such recipient; with context takeover each
 * connection compresses with its own window.
 *
 * <p>Threading: immutable but for the lazily built frames, which any thread may build; a race
 * builds them twice, harmlessly.
 */
public final class SharedMessage extends Outbound {
  private final List<EngineIoPacket> packets;
  private final boolean broadcast;
  private final boolean compress;
  private volatile List<ByteBuffer> frames;
  /** Compressed on their own (no context takeover), built on first use. */
  private volatile List<ByteBuffer> deflatedFrames;

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
    this(packets, broadcast, true);
  }

  /**
   * As {@link #SharedMessage(List, boolean)}; {@code compress} false keeps these messages
   * uncompressed (Node's {@code compress: false} send option): no permessage-deflate, and a
   * polling response made only of such packets is not gzipped.
   */
  public SharedMessage(List<EngineIoPacket> packets, boolean broadcast, boolean compress) {
    this.packets = List.copyOf(packets);
    this.broadcast = broadcast;
    this.compress = compress;
  }

  /** Whether these messages may be compressed (see the constructor). */
  public boolean compress() {
    return compress;
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
        built.add(shareable(WebSocketTransport.frame(p)));
      }
      f = List.copyOf(built);
      frames = f;
    }
    return f;
  }

  /**
   * The frames to give a connection that negotiated {@code deflate} (not null): without context
   * takeover, the frames compressed once for all (each frame of at least the threshold); otherwise
   * the plain frames, which the connection compresses itself if {@link #compress()}.
   */
  public List<ByteBuffer> framesFor(PerMessageDeflate deflate) {
    if (!compress || !deflate.serverNoContextTakeover()) return webSocketFrames();
    List<ByteBuffer> f = deflatedFrames;
    if (f == null) {
      List<ByteBuffer> plain = webSocketFrames();
      List<ByteBuffer> built = new ArrayList<>(plain.size());
      for (ByteBuffer frame : plain) {
        // The threshold is the server's, the same for every connection: one list serves them all.
        boolean worth = MessageDeflater.isData(frame) && deflate.compresses(MessageDeflater.payloadLength(frame));
        if (!worth) {
          built.add(frame);
          continue;
        }
        built.add(shareable(MessageDeflater.compressAlone(frame)));
      }
      f = List.copyOf(built);
      deflatedFrames = f;
    }
    return f;
  }

  /** A frame as every recipient may read it: off-heap when broadcast (see the constructor), read-only. */
  private ByteBuffer shareable(ByteBuffer frame) {
    if (broadcast) {
      ByteBuffer d = ByteBuffer.allocateDirect(frame.remaining());
      d.put(frame).flip();
      frame = d;
    }
    return frame.asReadOnlyBuffer();
  }

  @Override
  void addFramesTo(List<ByteBuffer> out) {
    out.addAll(webSocketFrames());
  }

  @Override
  void addFramesTo(List<ByteBuffer> out, PerMessageDeflate deflate) {
    out.addAll(framesFor(deflate));
  }

  @Override
  boolean compressible() {
    return compress;
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
