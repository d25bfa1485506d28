package dev.switchboard.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sending side of one WebSocket connection. All methods are thread-safe and never block: frames
 * are queued and written by the connection's I/O thread, several queued frames in one system call.
 */
public interface WebSocketConnection {
  /** Queues one text frame. Ignored once the connection is closing. */
  void sendText(String text);

  /** Queues one text frame whose payload is already UTF-8 (one encoding shared by many sockets). */
  void sendTextUtf8(byte[] utf8);

  /** Queues one binary frame. */
  void sendBinary(byte[] data);

  /** Starts the close handshake (RFC 6455 §7.1.2); idempotent. */
  void close(int code, String reason);

  /** Drops the connection at once without a close handshake. */
  void abort();

  /** The peer's address. */
  InetSocketAddress remoteAddress();

  /** Bytes queued and not yet written; a measure of how far behind the peer is. */
  long queuedBytes();

  /**
   * Internal: pre-built frames that must stay together (a Socket.IO packet and its attachments):
   * no other thread's frame comes between them. Read-only frames may be shared between
   * connections. With {@code coalesce} (a broadcast) they wait in the queue for the loop, so that
   * frames of several broadcasts queued meanwhile for this connection leave in one gathering
   * write; without it a single frame may be written through at once from the caller's thread.
   */
  void sendFrames(java.util.List<ByteBuffer> frames, boolean coalesce);

  /**
   * Internal: as {@link #sendFrames(java.util.List, boolean)}; with {@code compress} and
   * permessage-deflate negotiated, each data frame of at least the threshold that is not
   * compressed yet is sent compressed (RFC 7692 §7.2.1), by this connection's own compressor.
   */
  default void sendFrames(java.util.List<ByteBuffer> frames, boolean coalesce, boolean compress) {
    sendFrames(frames, coalesce);
  }

  /** The permessage-deflate parameters negotiated at the upgrade, or null if none. */
  default dev.switchboard.websocket.PerMessageDeflate deflate() {
    return null;
  }
}
