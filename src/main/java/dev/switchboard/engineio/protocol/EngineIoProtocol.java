package dev.switchboard.engineio.protocol;

/**
 * Engine.IO protocol v4 constants: the wire grammar, the query parameters and the HTTP error codes.
 *
 * <pre>
 * engine.io-protocol §Packet encoding
 *
 *   packet    = type [ data ]                      type = "0" / "1" / "2" / "3" / "4" / "5" / "6"
 *                                                        open close ping pong message upgrade noop
 *   WebSocket: one packet per frame.
 *     text frame   = packet                        ("4hello", "2probe", "6")
 *     binary frame = raw message bytes             (no type byte in v4)
 *
 *   HTTP long-polling body (UTF-8 text, never octet-stream):
 *     payload   = record *( %x1E record )          %x1E = record separator
 *     record    = packet / ( "b" base64 )          "b" + base64 = binary message
 *     e.g. "4hello" %x1E "2" %x1E "4world",  "4hello" %x1E "bAQIDBA=="
 * </pre>
 *
 * <p>There are no length prefixes in v4 (§From v3 to v4: "use a record separator instead of
 * counting of characters"), so the separator cannot appear inside a polling packet's data.
 */
public final class EngineIoProtocol {
  private EngineIoProtocol() {}

  /** engine.io-protocol §Query parameters: {@code EIO=4}; only this exact string is v4. */
  public static final String VERSION = "4";

  public static final String QUERY_EIO = "EIO";
  public static final String QUERY_TRANSPORT = "transport";
  public static final String QUERY_SID = "sid";

  public static final String TRANSPORT_POLLING = "polling";
  public static final String TRANSPORT_WEBSOCKET = "websocket";

  /** engine.io-protocol §Packet encoding › HTTP long-polling: packets are separated by {@code \x1e}. */
  public static final char RECORD_SEPARATOR = '\u001e';

  /** engine.io-protocol §Packet encoding › HTTP long-polling: binary payloads are {@code b} + base64. */
  public static final char BINARY_PREFIX = 'b';

  /**
   * Whether {@code name} is one of the two v4 transports. An exact, case-sensitive comparison:
   * never an enum {@code valueOf} or a map keyed by peer input ({@code __proto__}, CVE-2023-31125).
   */
  public static boolean isTransport(String name) {
    return TRANSPORT_POLLING.equals(name) || TRANSPORT_WEBSOCKET.equals(name);
  }

  /**
   * The HTTP errors a server answers with before a session exists or when a sid is bad, as engine.io
   * {@code Server.errors}/{@code Server.errorMessages}: status 403 for {@link #FORBIDDEN}, 400
   * otherwise, with body {@code {"code":N,"message":"…"}} and {@code Content-Type:
   * application/json}.
   *
   * <pre>{@code
   * ErrorCode e = ErrorCode.UNSUPPORTED_PROTOCOL_VERSION;
   * respond(e.httpStatus(), "application/json", e.toJson()); // 400 {"code":5,"message":"Unsupported protocol version"}
   * }</pre>
   */
  public enum ErrorCode {
    TRANSPORT_UNKNOWN(0, "Transport unknown"),
    SESSION_ID_UNKNOWN(1, "Session ID unknown"),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
    BAD_REQUEST(3, "Bad request"),
    FORBIDDEN(4, "Forbidden"),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

    private final int code;
    private final String message;
    private final String json;

    ErrorCode(int code, String message) {
      this.code = code;
      this.message = message;
      this.json = buildJson(code, message);
    }

    public int code() {
      return code;
    }

    public String message() {
      return message;
    }

    /** engine.io {@code abortRequest}: 403 for Forbidden, 400 for every other code. */
    public int httpStatus() {
      return this == FORBIDDEN ? 403 : 400;
    }

    /** The response body, {@code {"code":0,"message":"Transport unknown"}}. */
    public String toJson() {
      return json;
    }

    /** The body with a custom message, as engine.io does when {@code allowRequest} supplies one. */
    public String toJson(String customMessage) {
      return buildJson(code, customMessage);
    }

    private static String buildJson(int code, String message) {
      StringBuilder sb = new StringBuilder(message.length() + 32).append("{\"code\":").append(code).append(",\"message\":");
      JsonStrings.appendQuoted(sb, message);
      return sb.append('}').toString();
    }
  }
}
