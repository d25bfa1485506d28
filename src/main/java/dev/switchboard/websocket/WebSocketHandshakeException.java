package dev.switchboard.websocket;

import java.util.List;

/**
 * The opening handshake cannot be accepted. The caller answers with {@link #status()} (400 or
 * 426), the {@link #extraHeaders()} and no 101, then closes the connection.
 */
public final class WebSocketHandshakeException extends Exception {
  private final int status;
  private final List<String> extraHeaders;

  public WebSocketHandshakeException(int status, String message, List<String> extraHeaders) {
    super(message);
    if (extraHeaders.size() % 2 != 0) throw new IllegalArgumentException("odd number of header items");
    this.status = status;
    this.extraHeaders = List.copyOf(extraHeaders);
  }

  public WebSocketHandshakeException(int status, String message) {
    this(status, message, List.of());
  }

  public int status() {
    return status;
  }

  /** Header fields to add to the error response, as name, value, name, value, … */
  public List<String> extraHeaders() {
    return extraHeaders;
  }
}
