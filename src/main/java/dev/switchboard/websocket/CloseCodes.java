package dev.switchboard.websocket;

/** Close status codes (RFC 6455 §7.4), as sent in and read from close frames. */
public final class CloseCodes {
  private CloseCodes() {}

  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int PROTOCOL_ERROR = 1002;
  /** Reported when a close frame had no body; §7.4.1: never sent on the wire. */
  public static final int NO_STATUS = 1005;
  /** The connection dropped without a close frame; §7.4.1: never sent on the wire. */
  public static final int ABNORMAL = 1006;
  /** "Invalid frame payload data": e.g. a text message that is not UTF-8 (§8.1). */
  public static final int INVALID_DATA = 1007;
  public static final int POLICY = 1008;
  public static final int TOO_BIG = 1009;
  public static final int INTERNAL = 1011;

  /**
   * Whether {@code code} may appear in a close frame, in either direction. §7.4.1 defines
   * 1000–1003 and 1007–1011; 1004 is reserved and 1005, 1006 and 1015 must never be sent.
   * 1012–1014 are registered with IANA after the RFC and browsers send them, so they are
   * accepted. §7.4.2: 0–999 are unused, 1016–2999 are reserved for future RFCs, 3000–4999 are
   * for libraries and applications; nothing above 4999 exists.
   *
   * <pre>{@code CloseCodes.isValidReceived(4000) == true; CloseCodes.isValidReceived(1005) == false}</pre>
   */
  public static boolean isValidReceived(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }
}
