package dev.switchboard.websocket;

/**
 * RFC 6455 wire constants. The base frame (§5.2), most significant bit first:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * Payload len 0–125 is the length itself; 126 means a 16-bit unsigned length follows; 127 means
 * a 64-bit length follows whose most significant bit must be 0. Lengths are big-endian.
 */
public final class WebSocketProtocol {
  private WebSocketProtocol() {}

  public static final int OPCODE_CONTINUATION = 0x0;
  public static final int OPCODE_TEXT = 0x1;
  public static final int OPCODE_BINARY = 0x2;
  public static final int OPCODE_CLOSE = 0x8;
  public static final int OPCODE_PING = 0x9;
  public static final int OPCODE_PONG = 0xA;

  static final int B0_FIN = 0x80;
  static final int B0_RSV_BITS = 0x70;
  /** RFC 7692 §6: RSV1 is permessage-deflate's "Per-Message Compressed" bit. */
  static final int B0_RSV1 = 0x40;
  static final int B0_OPCODE = 0x0F;
  static final int B1_MASK = 0x80;
  static final int B1_LENGTH = 0x7F;
  /** Opcodes with this bit set are control frames (§5.5). */
  static final int OPCODE_CONTROL_BIT = 0x8;

  static final int LENGTH_16_BIT = 126;
  static final int LENGTH_64_BIT = 127;

  /** §5.5: every control frame payload is at most 125 bytes. */
  public static final int MAX_CONTROL_PAYLOAD = 125;
  /** §5.5.1: a close payload is a 2-byte code plus the reason, inside the control limit. */
  public static final int MAX_CLOSE_REASON_BYTES = MAX_CONTROL_PAYLOAD - 2;
  /** 2-byte base header + 8-byte extended length + 4-byte masking key. */
  static final int MAX_HEADER_BYTES = 14;

  /** §1.3, §4.2.2: appended to Sec-WebSocket-Key before hashing. */
  static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  static boolean isControl(int opcode) {
    return (opcode & OPCODE_CONTROL_BIT) != 0;
  }

  /** §5.2: 0x3–0x7 and 0xB–0xF are reserved for further (non-)control frames. */
  static boolean isDefined(int opcode) {
    return opcode <= OPCODE_BINARY || (opcode >= OPCODE_CLOSE && opcode <= OPCODE_PONG);
  }
}
