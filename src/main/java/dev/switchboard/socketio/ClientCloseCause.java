package dev.switchboard.socketio;

/**
 * Why the Socket.IO layer closed a whole Engine.IO connection (every socket on it then
 * disconnects with {@link DisconnectReason#FORCED_SERVER_CLOSE}, as in Node). Internal: it names
 * the cause in the log line and in {@code Client}'s one close path, so that each rule that ends a
 * connection is one constant, findable from its catalogue entry.
 */
enum ClientCloseCause {
  /** A packet the decoder refused (hostile-inputs.md#D82 and the rest of group D/E). */
  PROTOCOL_ERROR("undecodable packet"),
  /** No namespace joined within {@code connectTimeout} (hostile-inputs.md#D100). */
  CONNECT_TIMEOUT("no namespace joined within connectTimeout"),
  /** A CONNECT for a namespace joined or being joined (hostile-inputs.md#D97). */
  DUPLICATE_CONNECT("second CONNECT for one namespace"),
  /** Traffic, an ACK or a DISCONNECT for a namespace not joined (hostile-inputs.md#D96, #D98). */
  NOT_JOINED("packet for a namespace not joined"),
  /** A CONNECT_ERROR from the client, which only servers send (hostile-inputs.md#D99). */
  CLIENT_CONNECT_ERROR("CONNECT_ERROR from the client"),
  /**
   * A CONNECT after {@link SocketIoOptions#maxFailedConnects()} were refused on this connection
   * (hostile-inputs.md#D94).
   */
  TOO_MANY_FAILED_CONNECTS("too many refused CONNECTs"),
  /** The application called {@code socket.disconnect(true)}. */
  SERVER_DISCONNECT("closed by the application");

  private final String description;

  ClientCloseCause(String description) {
    this.description = description;
  }

  /** A short phrase for the log. */
  String description() {
    return description;
  }
}
