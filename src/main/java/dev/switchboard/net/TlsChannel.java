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
 * <p>One handshake per connection: a client that starts another one on a TLS 1.2 connection (a
 * renegotiation, RFC 5246 §7.4.1.2; {@code openssl s_client -tls1_2} and {@code R}) is refused by
 * closing the connection — see {@link #read()}. TLS 1.3 has no renegotiation (RFC 8446 §4.1.2:
 * a ClientHello after the handshake is a protocol error, which the JDK answers itself).
 *
 * <p>Threading: only the owning I/O loop's thread. Handshake tasks (key agreement, a millisecond or
 * two of CPU) run inline: they are computation, not blocking I/O.
 */
final class TlsChannel implements OutboundChannel {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** Where the connection's TLS is; moves forward only. */
  private enum Phase {
    /** The first handshake has not finished. */
    HANDSHAKING,
    /** The first handshake finished; any later handshake on TLS 1.2 is a renegotiation. */
    ESTABLISHED,
    /** The peer sent close_notify. */
    INBOUND_CLOSED
  }

  /**
   * The peer tried to renegotiate (a handshake after the first one, on TLS 1.2): the connection
   * is closed, with {@link CloseCause#RENEGOTIATION_REFUSED}.
   */
  static final class RenegotiationRefused extends IOException {
    RenegotiationRefused() {
      super("TLS renegotiation refused");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // an answer to the peer, not a bug: no stack to walk
    }
  }

  private final SSLEngine engine;
  private final SocketChannel channel;
  /** Ciphertext read but not yet decrypted. Write mode. */
  private ByteBuffer netIn;
  /** Ciphertext waiting to be written. Read mode (position..limit pending). */
  private ByteBuffer netOut;
  /** Decrypted bytes handed to the caller. */
  private ByteBuffer appIn;
  /** Replaces the former {@code boolean inboundClosed} (JOL: the object stays 40 bytes). */
  private Phase phase = Phase.HANDSHAKING;
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
   *
   * <p>Client-initiated renegotiation is refused: once the first handshake has finished, a record
   * that makes the engine want to handshake again on a TLS 1.2 connection (the peer's new
   * ClientHello) throws {@link RenegotiationRefused} before any of that handshake's work — no
   * delegated task, no ServerHello. Each renegotiation is a full handshake's CPU on the server
   * for a few bytes from the client (issue #14 measured 30 in 254 ms on one connection), and we
   * have no use for it: no client certificates asked for mid-connection. The JDK's own switch,
   * {@code jdk.tls.rejectClientInitiatedRenegotiation}, is no use to a library: JDK 17 reads it
   * once, in {@code ServerHandshakeContext}'s static initialiser at the first server handshake of
   * the process, so setting it from code works only if no TLS server in the JVM has handshaken
   * yet, and it would change every other TLS server of the embedding application.
   */
  ByteBuffer read() throws IOException {
    int n = channel.read(netIn);
    if (n < 0 && netIn.position() == 0) throw new EOFException();
    netIn.flip();
    appIn.clear();
    // The first handshake may have finished in a write (our last flight).
    if (phase == Phase.HANDSHAKING) noteFirstHandshakeDone();
    try {
      unwrapping:
      while (netIn.hasRemaining()) {
        SSLEngineResult r = engine.unwrap(netIn, appIn);
        HandshakeStatus status = r.getHandshakeStatus();
        if (phase == Phase.ESTABLISHED && startsAHandshake(status) && isTls12()) throw new RenegotiationRefused();
        runHandshake(status);
        if (phase == Phase.HANDSHAKING) noteFirstHandshakeDone();
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
            phase = Phase.INBOUND_CLOSED;
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

  /** Moves to {@link Phase#ESTABLISHED} once the engine has a negotiated session and no handshake. */
  private void noteFirstHandshakeDone() {
    if (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
        && !"NONE".equals(engine.getSession().getProtocol())) {
      phase = Phase.ESTABLISHED;
    }
  }

  private static boolean startsAHandshake(HandshakeStatus status) {
    return status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP
        || status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN;
  }

  /**
   * Renegotiation exists up to TLS 1.2 only. On TLS 1.3 the engine may want to wrap after the
   * handshake for a KeyUpdate (RFC 8446 §4.6.3), which is not a new handshake.
   */
  private boolean isTls12() {
    return "TLSv1.2".equals(engine.getSession().getProtocol());
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
