package dev.switchboard.socketio.protocol;

import java.util.Set;

/**
 * Constants of the Socket.IO v5 protocol and of its default parser. The wire grammar is drawn in
 * {@code package-info.java}.
 */
public final class SocketIoProtocol {
  private SocketIoProtocol() {}

  /** socket.io-protocol: this is revision 5, carried over Engine.IO v4 ({@code EIO=4}). */
  public static final int VERSION = 5;

  /** socket.io-protocol §Packet encoding: the namespace is omitted from the wire when it is "/". */
  public static final String MAIN_NAMESPACE = "/";

  /**
   * Event names that the reference parser refuses in EVENT packets (socket.io-parser
   * RESERVED_EVENTS): they name lifecycle events of the client, the server socket, or Node's
   * EventEmitter. {@code error} is deliberately not among them (CVE-2024-38355 is fixed in the
   * dispatcher, not the parser).
   */
  public static final Set<String> RESERVED_EVENT_NAMES =
      Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

  /** socket.io-parser binary.ts: a binary value is replaced by {"_placeholder":true,"num":N}. */
  public static final String PLACEHOLDER_KEY = "_placeholder";

  /** The attachment index inside a placeholder. */
  public static final String PLACEHOLDER_NUM_KEY = "num";

  /**
   * socket.io-parser 4.2.6+ (CVE-2026-33151) refuses packets with more attachments than its
   * {@code maxAttachments} option, 10 by default. socket.io-client 4.8.x resolves to that parser, so
   * the encoder never sends more.
   */
  public static final int CLIENT_MAX_ATTACHMENTS = 10;

  /** Number.MAX_SAFE_INTEGER: the largest ack id a JavaScript peer reads back exactly. */
  public static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;
}
