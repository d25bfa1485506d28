package dev.switchboard.engineio.transport;

/**
 * Why a transport gave up on its peer, as it reports it to its session
 * ({@link TransportListener#onError}). The session ends with the {@code CloseReason} of the same
 * name, Node's wire string: {@code "parse error"} or {@code "transport error"}.
 */
public enum TransportError {
  /**
   * What the peer sent does not decode as Engine.IO packets: a polling payload that is not UTF-8
   * or not a valid payload, an empty or unknown WebSocket text packet (engine.io-protocol §Packet
   * encoding).
   */
  PARSE_ERROR,
  /**
   * The peer broke the transport's own rules: a second GET while one waits, a binary POST body,
   * a WebSocket frame-level violation (RFC 6455 §7.4.1 close codes 1002, 1007, 1008, 1009).
   */
  TRANSPORT_ERROR
}
