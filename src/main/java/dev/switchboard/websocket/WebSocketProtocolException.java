package dev.switchboard.websocket;

/**
 * The peer broke RFC 6455 or a configured limit. {@link #closeCode()} is the status to send in
 * our close frame before dropping the connection; the message is a short exact sentence.
 */
public final class WebSocketProtocolException extends Exception {
  private final int closeCode;

  public WebSocketProtocolException(int closeCode, String message) {
    super(message);
    this.closeCode = closeCode;
  }

  public int closeCode() {
    return closeCode;
  }
}
