package dev.switchboard.engineio;

import dev.switchboard.testing.RawWebSocketClient;
import java.io.IOException;

/** Opens a WebSocket handshake carrying an Origin header (browsers always send one). */
final class RawWebSocketClientWithOrigin {
  private RawWebSocketClientWithOrigin() {}

  static RawWebSocketClient open(int port, String target, String origin) throws IOException {
    return RawWebSocketClient.open(port, target, null, "Origin", origin);
  }
}
