package dev.switchboard.engineio;

import dev.switchboard.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * What the layer above Engine.IO (Socket.IO's {@code Client}, the conformance echo server) sees
 * of one Engine.IO session: its identity, its handshake, a serial executor, and a way to send and
 * to close. {@link EngineIoSession} implements it over real transports; tests implement it in
 * memory, so everything above Engine.IO can be specified without sockets.
 *
 * <p>Threading: the {@link SessionHandler} given to {@link #setHandler} is called on
 * {@link #executor()} only. Methods say which thread may call them.
 */
public interface EngineIoConnection {
  /** The session id ({@code sid}). Any thread. */
  String id();

  /** "polling" or "websocket": the transport in use right now. Any thread. */
  String transportName();

  /**
   * The Engine.IO protocol revision the client speaks: 4, or 3 for an {@code EIO=3} client that
   * {@code EngineIoOptions.allowEIO3} let in (then Socket.IO speaks its protocol 4 to it). Any
   * thread.
   */
  default int protocol() {
    return 4;
  }

  /** The headers of the request that opened the session. Any thread. */
  HttpHeaders handshakeHeaders();

  /** The request target (path and query, as received) of the request that opened the session. */
  String handshakeTarget();

  /**
   * The client's address: the TCP peer's, or when the peer is a trusted proxy
   * ({@code NetOptions.trustedProxies}) the address its {@code X-Forwarded-For} names, with port 0.
   * Any thread.
   */
  InetSocketAddress remoteAddress();

  /** Whether the session runs over TLS. Any thread. */
  boolean isSecure();

  /**
   * The serial executor every call of this session's handler runs on; work for the session
   * from other threads is handed to it.
   */
  Executor executor();

  /** Executor only. Where this session's messages go; messages arriving before it are dropped. */
  void setHandler(SessionHandler handler);

  /** Executor only: whether the session is still open (not closing or closed). */
  boolean isOpen();

  /** Queues a text message. Any thread; dropped once the session is closing. */
  void send(String text);

  /** Queues a binary message. Any thread; dropped once the session is closing. */
  void send(byte[] data);

  /**
   * Sends messages that leave together and in order (a Socket.IO packet and its attachments),
   * maybe shared with other sessions (a broadcast). Any thread; in order with everything this
   * thread sent before. A {@code isVolatile} message is dropped when the client is not ready to
   * take it.
   */
  void send(SharedMessage message, boolean isVolatile);

  /**
   * As {@link #send(SharedMessage, boolean)} (not volatile), but called on the session's executor
   * the message leaves only once the task running now has ended, and everything sent after it,
   * from any thread, follows it. Socket.IO sends its CONNECT answer this way, so that the
   * connection handlers that run right after it (joining rooms) have run before the client can
   * hear it: a client that has its CONNECT then misses no broadcast to a room its handler joined,
   * as with Node, where the handlers run in the same tick as the send. Default: {@code send}.
   */
  default void sendAfterThisTask(SharedMessage message) {
    send(message, false);
  }

  /** Closes the session gracefully: what is buffered is delivered first. Any thread. */
  void close();

  /**
   * The application has accepted this session (Socket.IO: it joined a namespace), so it no longer
   * counts against {@link EngineIoOptions#maxUnconnectedSessionsPerAddress()}. Any thread;
   * idempotent. Default: nothing to do (in-memory connections are not counted).
   */
  default void established() { }
}
