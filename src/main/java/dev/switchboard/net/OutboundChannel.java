package dev.switchboard.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What an {@link OutboundQueue} writes to: the connection's socket, or TLS over it
 * ({@link TlsChannel}). Writes never block: each takes what the transport takes now.
 *
 * <p>The two kinds differ in three ways, each a method here: whether a thread other than the
 * I/O loop may write ({@link #allowsWriteThrough}), whether the channel itself holds bytes it
 * accepted but could not send yet ({@link #writeHeld}), and what a short write means
 * ({@link #progress}).
 *
 * <p>Threading: the queue calls the write methods from one thread at a time (its
 * {@code writing} turn): the I/O loop's, or a writer's thread when {@link #allowsWriteThrough}.
 */
interface OutboundChannel {

  /** What a flush does after one write of a batch. */
  enum Progress {
    /** The batch went out (or as much as could, with nothing held back): write the next one. */
    CONTINUE,
    /** The transport is full: wait until it is writable again ({@code OP_WRITE}). */
    FULL,
    /**
     * The transport takes no data yet, and becoming writable will not change that (the TLS
     * handshake is still running): wait for whoever ends that to flush again.
     */
    NOT_READY
  }

  /** One buffer, {@code write(2)}: returns the bytes taken, 0 when the transport is full. */
  int write(ByteBuffer src) throws IOException;

  /** Several buffers in one gathering {@code writev(2)}: returns the bytes taken. */
  long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

  /**
   * Whether any thread may write (write-through). A plain socket: yes, one at a time. TLS: no,
   * the {@code SSLEngine} belongs to the loop.
   */
  boolean allowsWriteThrough();

  /**
   * Before a flush: sends what the channel accepted earlier but could not send (TLS records the
   * socket did not take); false when some still wait. A plain socket holds nothing.
   */
  default boolean writeHeld() throws IOException {
    return true;
  }

  /**
   * What a write that took {@code written} bytes of a batch whose last buffer is {@code last}
   * means. A plain socket is full exactly when it did not take the whole batch.
   */
  default Progress progress(long written, ByteBuffer last) {
    return last.hasRemaining() ? Progress.FULL : Progress.CONTINUE;
  }

  /** A plain TCP socket. */
  static OutboundChannel plain(SocketChannel socket) {
    return new Plain(socket);
  }

  /** A plain TCP socket: every write is one system call; any thread may write. */
  final class Plain implements OutboundChannel {
    private final SocketChannel socket;

    private Plain(SocketChannel socket) {
      this.socket = socket;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return socket.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return socket.write(srcs, offset, length);
    }

    @Override
    public boolean allowsWriteThrough() {
      return true;
    }
  }
}
