package dev.switchboard.websocket;

/**
 * Bounds on what one peer can make the frame decoder hold. Both are checked when a frame
 * header arrives, before any of its payload is buffered (RFC 6455 §10.4 leaves the numbers to
 * the implementation).
 *
 * @param maxMessageBytes largest message, summed over all its fragments. A peer can declare up to
 *     2^63−1 bytes in one header; without this bound one frame header exhausts the heap. The
 *     default, 1 000 000, equals Engine.IO's {@code maxHttpBufferSize}, so a message is capped the
 *     same way over WebSocket and long-polling.
 * @param maxFragments largest number of frames in one message. Without it a peer can keep a
 *     message open forever with empty continuation frames that cost it 6 bytes each and never
 *     touch the byte limit (ws CVE-2026-48779, Netty CVE-2014-0193). Browsers do not fragment
 *     what they send, so 1024 is far above anything legitimate.
 */
public record WebSocketLimits(int maxMessageBytes, int maxFragments) {
  public static final WebSocketLimits DEFAULTS = new WebSocketLimits(1_000_000, 1024);

  public WebSocketLimits {
    if (maxMessageBytes < 1) throw new IllegalArgumentException("maxMessageBytes < 1: " + maxMessageBytes);
    // A Java array holds at most Integer.MAX_VALUE - 8 elements on HotSpot.
    if (maxMessageBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxMessageBytes too large: " + maxMessageBytes);
    }
    if (maxFragments < 1) throw new IllegalArgumentException("maxFragments < 1: " + maxFragments);
  }
}
