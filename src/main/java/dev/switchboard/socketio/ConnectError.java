package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A refused namespace connection: becomes the CONNECT_ERROR packet {@code {"message", "data"}}
 * (socket.io-protocol §CONNECT_ERROR) that the client sees as a {@code connect_error} with
 * {@code err.message} and {@code err.data}.
 */
public final class ConnectError extends Exception {
  private final transient JsonNode data;

  /** A refusal with this message and no data. */
  public ConnectError(String message) {
    this(message, null);
  }

  /** {@code data} is any JSON-convertible value, or null for none. */
  public ConnectError(String message, Object data) {
    super(message, null, false, false);
    this.data = data == null ? null : Json.toNode(data);
  }

  /** The data sent with the message, as JSON; null when none. */
  public JsonNode data() {
    return data;
  }
}
