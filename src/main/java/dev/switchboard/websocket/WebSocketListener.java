package dev.switchboard.websocket;

/**
 * Receives what {@link WebSocketFrameDecoder#feed} decodes. Every method is called
 * synchronously from {@code feed}, on the caller's thread, in wire order; never concurrently for
 * one decoder.
 *
 * <p>Lifecycle: any number of {@code onText}/{@code onBinary}/{@code onPing}/{@code onPong}
 * calls, then at most one {@code onClose}, after which nothing more is delivered. A protocol
 * error ends delivery without {@code onClose}: {@code feed} throws instead.
 *
 * <pre>{@code
 * var decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, new WebSocketListener() {
 *   public void onText(String text) { engineIo.onMessage(text); }
 *   ...
 * });
 * }</pre>
 */
public interface WebSocketListener {
  /** A complete text message, reassembled from its fragments and checked to be UTF-8. */
  void onText(String text);

  /** A complete binary message, reassembled from its fragments. The array is the caller's. */
  void onBinary(byte[] data);

  /** A ping (§5.5.2). The caller should answer with a pong carrying the same payload. */
  void onPing(byte[] payload);

  /** A pong (§5.5.3), solicited or not. */
  void onPong(byte[] payload);

  /**
   * The peer's close frame (§5.5.1). {@code code} is {@link CloseCodes#NO_STATUS} (1005) and
   * {@code reason} empty when the frame had no body.
   */
  void onClose(int code, String reason);
}
