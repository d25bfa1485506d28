package dev.switchboard.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over one non-blocking channel (JDK {@link SSLEngine}, server mode). The connection hands it
 * ciphertext from the socket and gets plaintext back; plaintext to send is encrypted into records
 * and written. The handshake advances as a side effect of reads and writes.
 *
 * <p>As the {@link OutboundChannel} of its connection's {@link OutboundQueue}: no write-through
 * (the engine is the loop's), ciphertext the socket did not take is held and written first, and a
 * write that takes nothing while holding nothing means the handshake has not finished.
 *
 * <p>Threading: only the owning I/O loop's thread. Handshake tasks (key agreement, a millisecond or
 * two of CPU) run inline: they are computation, not blocking I/O.
 */
final class TlsChannel implements OutboundChannel {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SSLEngine engine;
  private final SocketChannel channel;
  /** Ciphertext read but not yet decrypted. Write mode. */
  private ByteBuffer netIn;
  /** Ciphertext waiting to be written. Read mode (position..limit pending). */
  private ByteBuffer netOut;
  /** Decrypted bytes handed to the caller. */
  private ByteBuffer appIn;
  private boolean inboundClosed;
  /** {@link #write(ByteBuffer)}'s one-buffer array, so that it allocates nothing. */
  private final ByteBuffer[] single = new ByteBuffer[1];

  TlsChannel(SSLEngine engine, SocketChannel channel) {
    this.engine = engine;
    this.channel = channel;
    int packet = engine.getSession().getPacketBufferSize();
    this.netIn = ByteBuffer.allocate(packet);
    this.netOut = ByteBuffer.allocate(packet);
    this.netOut.flip();
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  /**
   * Reads from the socket and decrypts. Returns plaintext (possibly empty while the handshake
   * runs), or throws EOFException when the peer closed (TCP FIN or TLS close_notify).
   */
  ByteBuffer read() throws IOException {
    int n = channel.read(netIn);
    if (n < 0 && netIn.position() == 0) throw new EOFException();
    netIn.flip();
    appIn.clear();
    try {
      unwrapping:
      while (netIn.hasRemaining()) {
        SSLEngineResult r = engine.unwrap(netIn, appIn);
        runHandshake(r.getHandshakeStatus());
        switch (r.getStatus()) {
          case BUFFER_UNDERFLOW -> {
            // A partial record: keep it and wait for the rest (growing only for an oversized one).
            netIn.compact();
            if (!netIn.hasRemaining()) netIn = growWriteMode(netIn, engine.getSession().getPacketBufferSize());
            if (n < 0) throw new EOFException();
            appIn.flip();
            return appIn;
          }
          case BUFFER_OVERFLOW -> appIn = growWriteMode(appIn, engine.getSession().getApplicationBufferSize());
          case CLOSED -> {
            inboundClosed = true;
            netIn.clear();
            appIn.flip();
            return appIn;
          }
          case OK -> {
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) break unwrapping;
          }
        }
      }
    } catch (SSLException e) {
      // Not TLS (plain HTTP on the TLS port, hostile-inputs.md#A38) or a broken record.
      throw new IOException("TLS failure: " + e.getMessage(), e);
    }
    netIn.compact();
    if (n < 0 && appIn.position() == 0) throw new EOFException();
    appIn.flip();
    return appIn;
  }

  boolean isInboundClosed() {
    return inboundClosed;
  }

  /** Encrypts as much of {@code src} as the socket takes; see {@link #write(ByteBuffer[], int, int)}. */
  @Override
  public int write(ByteBuffer src) throws IOException {
    single[0] = src;
    try {
      return (int) write(single, 0, 1);
    } finally {
      single[0] = null;
    }
  }

  /**
   * Encrypts as much of {@code srcs} as the socket takes. Returns the plaintext bytes consumed;
   * 0 while the handshake is not finished or while earlier ciphertext is still waiting.
   */
  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    if (!flushNet()) return 0;
    long consumed = 0;
    while (true) {
      netOut.clear();
      SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
      netOut.flip();
      consumed += r.bytesConsumed();
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
        netOut.flip();
        continue;
      }
      runHandshake(r.getHandshakeStatus());
      if (!flushNet()) return consumed;
      if (r.bytesConsumed() == 0 || r.getStatus() == SSLEngineResult.Status.CLOSED) return consumed;
    }
  }

  @Override
  public boolean allowsWriteThrough() {
    return false;
  }

  @Override
  public boolean writeHeld() throws IOException {
    return flushNet();
  }

  /**
   * Ciphertext left over means the socket is full. Otherwise a write that consumed nothing met an
   * engine that takes no data yet (the handshake): becoming writable would not help, the read
   * that finishes the handshake flushes. Else go on with what is left.
   */
  @Override
  public Progress progress(long written, ByteBuffer last) {
    if (hasPendingOutput()) return Progress.FULL;
    return written == 0 ? Progress.NOT_READY : Progress.CONTINUE;
  }

  /** Writes waiting ciphertext; true when none is left. */
  boolean flushNet() throws IOException {
    while (netOut.hasRemaining()) {
      if (channel.write(netOut) == 0) return false;
    }
    return true;
  }

  boolean hasPendingOutput() {
    return netOut.hasRemaining();
  }

  /** Whether application data can flow (the handshake is done). */
  boolean isHandshaking() {
    HandshakeStatus s = engine.getHandshakeStatus();
    return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
  }

  /** Queues close_notify (RFC 8446 §6.1) and writes what it can. */
  void closeOutbound() throws IOException {
    engine.closeOutbound();
    write(new ByteBuffer[] {EMPTY}, 0, 1);
  }

  private void runHandshake(HandshakeStatus status) throws IOException {
    HandshakeStatus s = status;
    while (true) {
      switch (s) {
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) task.run();
          s = engine.getHandshakeStatus();
        }
        case NEED_WRAP -> {
          if (netOut.hasRemaining() && !flushNet()) return; // resumes on OP_WRITE
          netOut.clear();
          SSLEngineResult r = engine.wrap(EMPTY, netOut);
          netOut.flip();
          flushNet();
          s = r.getHandshakeStatus();
          if (r.getStatus() == SSLEngineResult.Status.CLOSED) return;
        }
        default -> {
          return;
        }
      }
    }
  }

  /** A larger buffer in write mode holding what {@code b} (in write mode) holds. */
  private static ByteBuffer growWriteMode(ByteBuffer b, int atLeast) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, atLeast));
    b.flip();
    bigger.put(b);
    return bigger;
  }
}
