package dev.switchboard.net;

/**
 * Application side of one WebSocket connection.
 *
 * <p>Threading: every callback runs on the executor given to
 * {@link HttpExchange#upgradeToWebSocket}, one at a time and in wire order, never on an I/O
 * thread. {@link #onClose} is called exactly once, last.
 */
public interface WebSocketHandler {
  void onText(String text);

  void onBinary(byte[] data);

  /**
   * The connection is gone. {@code code} is the peer's close code, the code we closed with, or
   * 1006 when the TCP connection ended without a close handshake (RFC 6455 §7.1.5).
   */
  void onClose(int code, String reason);
}
