package dev.switchboard.socketio.protocol;

/**
 * A peer sent something the Socket.IO codec refuses. There is nothing to send back: like socket.io's
 * {@code client.ts}, which wraps {@code decoder.add} and closes the client with reason {@value
 * #DISCONNECT_REASON}, the caller closes the whole Engine.IO connection. {@link #kind()} lets a
 * WebSocket transport pick a close code (1009 for {@link Kind#LIMIT_EXCEEDED}) where the reference
 * closes without one.
 */
public final class SocketIoProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The disconnect reason socket.io reports to server-side sockets after a decode error. */
  public static final String DISCONNECT_REASON = "parse error";

  /** Why the input was refused. */
  public enum Kind {
    /** The input breaks the protocol grammar or a validation rule. */
    MALFORMED,
    /** The input is well formed but exceeds a configured {@link SocketIoLimits} bound. */
    LIMIT_EXCEEDED
  }

  private final Kind kind;

  public SocketIoProtocolException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SocketIoProtocolException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static SocketIoProtocolException malformed(String message) {
    return new SocketIoProtocolException(Kind.MALFORMED, message);
  }

  static SocketIoProtocolException limitExceeded(String message) {
    return new SocketIoProtocolException(Kind.LIMIT_EXCEEDED, message);
  }
}
