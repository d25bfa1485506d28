package dev.switchboard.socketio;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.switchboard.engineio.CloseReason;

/**
 * Why a socket left its namespace: the closed set of reasons Node's socket.io reports to
 * {@code "disconnecting"}/{@code "disconnect"} listeners, each with its wire name (the string Node
 * uses, so applications and clients see the same text on both servers) and whether connection
 * state recovery may restore the socket afterwards.
 *
 * <p>The first six come from below (the Engine.IO session ended, {@link #of(CloseReason)}); the
 * last three are Socket.IO's own. A reason passed as an event argument, or concatenated into a
 * string, is its wire name:
 *
 * <pre>{@code
 * socket.onDisconnect(reason -> {
 *   io.emit("left", socket.id(), reason);          // ["left","id","transport close"]
 *   if (reason.isRecoverable()) log.fine("may come back: " + reason);
 * });
 * }</pre>
 */
public enum DisconnectReason {
  /** The connection failed or the client broke the Engine.IO protocol. */
  TRANSPORT_ERROR("transport error", true),
  /** The client went away (closed the connection or sent the Engine.IO close packet). */
  TRANSPORT_CLOSE("transport close", true),
  /** The Engine.IO session was closed on the server's side. */
  FORCED_CLOSE("forced close", true),
  /** engine.io-protocol §Heartbeat: the client did not answer a ping within pingTimeout. */
  PING_TIMEOUT("ping timeout", true),
  /**
   * The client sent an Engine.IO packet that could not be decoded. Not recoverable in Node: a
   * client that sends garbage is not invited back into its old state.
   */
  PARSE_ERROR("parse error", false),
  /** The server is stopping ({@code SocketIoServer.close()}). */
  SERVER_SHUTTING_DOWN("server shutting down", true),
  /**
   * Socket.IO closed the whole connection: {@code socket.disconnect(true)}, or the client broke
   * the Socket.IO protocol (socket.io-protocol §Connection to a namespace: what Node refuses by
   * closing).
   */
  FORCED_SERVER_CLOSE("forced server close", true),
  /**
   * socket.io-protocol §Disconnection from a namespace: the client sent DISCONNECT. Deliberate,
   * so not recoverable.
   */
  CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect", false),
  /**
   * The server disconnected the socket from its namespace ({@code socket.disconnect()}); the
   * client sees "io server disconnect" and does not reconnect. Deliberate, so not recoverable.
   */
  SERVER_NAMESPACE_DISCONNECT("server namespace disconnect", false);

  private final String wireName;
  private final boolean recoverable;

  DisconnectReason(String wireName, boolean recoverable) {
    this.wireName = wireName;
    this.recoverable = recoverable;
  }

  /** The reason as Node's socket.io names it, e.g. {@code "ping timeout"}; what JSON carries. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * Whether connection state recovery keeps the socket's state for a reconnect (Node's
   * {@code RECOVERABLE_DISCONNECT_REASONS}): a dropped connection is, a deliberate disconnect
   * and a client sending garbage are not.
   */
  public boolean isRecoverable() {
    return recoverable;
  }

  /** The socket-level reason for an Engine.IO session that ended for {@code reason}. */
  static DisconnectReason of(CloseReason reason) {
    return switch (reason) {
      case TRANSPORT_ERROR -> TRANSPORT_ERROR;
      case TRANSPORT_CLOSE -> TRANSPORT_CLOSE;
      case FORCED_CLOSE -> FORCED_CLOSE;
      case PING_TIMEOUT -> PING_TIMEOUT;
      case PARSE_ERROR -> PARSE_ERROR;
      case SERVER_SHUTDOWN -> SERVER_SHUTTING_DOWN;
    };
  }

  /** The wire name, so that {@code "left: " + reason} reads as Node's reason does. */
  @Override
  public String toString() {
    return wireName;
  }
}
