package dev.switchboard.websocket;

import static dev.switchboard.websocket.WebSocketProtocol.B0_RSV1;
import static dev.switchboard.websocket.WebSocketProtocol.B1_LENGTH;
import static dev.switchboard.websocket.WebSocketProtocol.LENGTH_16_BIT;
import static dev.switchboard.websocket.WebSocketProtocol.LENGTH_64_BIT;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

/**
 * Turns a frame made by {@link WebSocketFrameEncoder} into its permessage-deflate form (RFC 7692
 * §7.2.1): the payload compressed with a sync flush, the trailing {@code 00 00 ff ff} removed, and
 * RSV1 ("Per-Message Compressed", §6) set on the frame. We never fragment, so the one frame is the
 * message's first.
 *
 * <p>Memory: a {@link Deflater} with a 15-bit window holds about 256 KiB of native memory (zlib:
 * 128 KiB window and hash, 128 KiB pending buffer at memLevel 8). A connection with context
 * takeover keeps its own for life ({@link #newDeflater}, released by {@link Deflater#end()} at
 * close); without takeover they are borrowed from a small shared pool ({@link #compressAlone}).
 *
 * <p>Threading: the static methods may be called from any thread; a {@code Deflater} passed in
 * must be used by one thread at a time, in the order its messages go on the wire.
 */
public final class MessageDeflater {
  private MessageDeflater() {}

  /** §7.2.1: a sync flush ends with an empty stored block, these four bytes, which are left out. */
  static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};
  private static final byte[] EMPTY = new byte[0];
  /** Deflaters kept for messages compressed alone; more borrowers than this allocate and end. */
  private static final int POOL_SIZE = 16;
  private static final ConcurrentLinkedQueue<Deflater> POOL = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger POOLED = new AtomicInteger();

  /** A raw-deflate compressor (no zlib header, §7.2.1) at zlib's default level, as ws uses. */
  public static Deflater newDeflater() {
    return new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  }

  /** Whether {@code frame} (positioned at its first byte) already carries RSV1. */
  public static boolean isCompressed(ByteBuffer frame) {
    return (frame.get(frame.position()) & B0_RSV1) != 0;
  }

  /** The payload length of one of our own frames (positioned at its first byte). */
  public static int payloadLength(ByteBuffer frame) {
    return frame.remaining() - headerSize(frame);
  }

  /** Whether {@code frame} is a data frame (text or binary) that §6 lets us compress. */
  public static boolean isData(ByteBuffer frame) {
    return !WebSocketProtocol.isControl(frame.get(frame.position()) & WebSocketProtocol.B0_OPCODE);
  }

  /**
   * The compressed form of {@code frame}, using and keeping {@code deflater}'s context (context
   * takeover, §7.1.1): the caller resets it between messages if no takeover was negotiated.
   * {@code frame} is not modified.
   */
  public static ByteBuffer compress(Deflater deflater, ByteBuffer frame) {
    int headerSize = headerSize(frame);
    int opcode = frame.get(frame.position()) & WebSocketProtocol.B0_OPCODE;
    ByteBuffer payload = frame.duplicate();
    payload.position(frame.position() + headerSize);
    int length = payload.remaining();
    // Room for the longest header in front, then the compressed bytes.
    byte[] out = new byte[WebSocketProtocol.MAX_HEADER_BYTES + Math.max(64, length / 2 + 64)];
    int start = WebSocketProtocol.MAX_HEADER_BYTES;
    int pos = start;
    deflater.setInput(payload);
    while (true) {
      // Deflater's contract: a sync flush that filled the space given may have more to write.
      int n = deflater.deflate(out, pos, out.length - pos, Deflater.SYNC_FLUSH);
      pos += n;
      if (pos < out.length) break;
      out = Arrays.copyOf(out, out.length * 2);
    }
    deflater.setInput(EMPTY); // drop the reference to the payload
    int compressed = pos - start;
    // §7.2.1: remove the 4 octets 00 00 ff ff at the tail end (a sync flush always ends so).
    if (compressed >= 4 && Arrays.equals(out, pos - 4, pos, TAIL, 0, 4)) compressed -= 4;
    byte[] header = WebSocketFrameEncoder.header(opcode, compressed);
    header[0] |= (byte) B0_RSV1;
    int headerStart = start - header.length;
    System.arraycopy(header, 0, out, headerStart, header.length);
    return ByteBuffer.wrap(out, headerStart, header.length + compressed).slice();
  }

  /**
   * The compressed form of {@code frame} on its own, with no context before or after
   * ({@code server_no_context_takeover}, §7.1.1.1): the same bytes for every recipient, so one
   * result may be shared. The compressor comes from a small pool, reset after use.
   */
  public static ByteBuffer compressAlone(ByteBuffer frame) {
    Deflater d = POOL.poll();
    if (d == null) {
      d = newDeflater();
    } else {
      POOLED.decrementAndGet();
    }
    try {
      return compress(d, frame);
    } finally {
      d.reset();
      if (POOLED.incrementAndGet() <= POOL_SIZE) {
        POOL.offer(d);
      } else {
        POOLED.decrementAndGet();
        d.end();
      }
    }
  }

  private static int headerSize(ByteBuffer frame) {
    int length7 = frame.get(frame.position() + 1) & B1_LENGTH;
    return length7 == LENGTH_16_BIT ? 4 : length7 == LENGTH_64_BIT ? 10 : 2;
  }
}
