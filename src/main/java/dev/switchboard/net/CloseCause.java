package dev.switchboard.net;

/** Why the net layer dropped a TCP connection; reported to WebSocket handlers with code 1006. */
enum CloseCause {
  PEER_CLOSED("transport closed by peer"),
  ERROR("transport error"),
  TIMEOUT("timed out"),
  SLOW_CONSUMER("slow consumer: outbound buffer full"),
  PROTOCOL_ERROR("protocol error"),
  /** The TLS peer tried to renegotiate (TlsChannel refuses client-initiated renegotiation). */
  RENEGOTIATION_REFUSED("TLS renegotiation refused"),
  DONE("closed"),
  SERVER_SHUTDOWN("server shutting down");

  final String description;

  CloseCause(String description) {
    this.description = description;
  }
}
