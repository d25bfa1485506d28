package dev.switchboard.engineio;

/**
 * Why an Engine.IO session ended: the closed set of reasons, named as Node's engine.io and
 * socket.io report them (socket.io {@code client.ts} CloseReason), so that applications see the
 * same strings on both servers.
 */
public enum CloseReason {
  /** The peer broke the protocol or its connection failed. */
  TRANSPORT_ERROR("transport error"),
  /** The peer closed the connection (or sent the close packet). */
  TRANSPORT_CLOSE("transport close"),
  /** The server closed the session on purpose. */
  FORCED_CLOSE("forced close"),
  /** engine.io-protocol §Heartbeat: no pong within pingTimeout. */
  PING_TIMEOUT("ping timeout"),
  /** A packet could not be decoded. */
  PARSE_ERROR("parse error"),
  /** The server is stopping. */
  SERVER_SHUTDOWN("server shutting down");

  private final String wireName;

  CloseReason(String wireName) {
    this.wireName = wireName;
  }

  /** The reason string as Node reports it, e.g. {@code "ping timeout"}. */
  public String wireName() {
    return wireName;
  }
}
