package dev.switchboard.engineio.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Engine.IO packet: a type and an optional payload (engine.io-protocol §Protocol).
 *
 * <p>A {@link EngineIoPacketType#MESSAGE MESSAGE} carries exactly one of {@code text} and {@code
 * binary}. Every other type carries {@code text}, which is {@code ""} when the packet has no data
 * ({@code 2} is a ping with text {@code ""}, {@code 2probe} a ping with text {@code "probe"}); only
 * messages can be binary. A {@code null} text on a non-message type is read as {@code ""}.
 *
 * <p>The {@code binary} array is not copied, so that a 1 MB frame is not held twice: whoever
 * builds a packet hands the array over and must not change it afterwards, and readers of {@link
 * #binary()} must not change it either. {@link #equals} and {@link #hashCode} compare its content.
 *
 * <pre>{@code
 * EngineIoPacket p = EngineIoPacket.message("hello");
 * assert EngineIoPacketCodec.encodeText(p).equals("4hello");
 * }</pre>
 */
public record EngineIoPacket(EngineIoPacketType type, String text, byte[] binary) {
  private static final int PREVIEW_CHARS = 64;
  private static final int PREVIEW_BYTES = 16;

  // Packets without data are values, so one instance per type is enough: decoding a payload of
  // 500 000 noops allocates no packet at all (hostile-inputs.md#A23).
  private static final EngineIoPacket[] EMPTY = new EngineIoPacket[EngineIoPacketType.values().length];

  static {
    for (EngineIoPacketType t : EngineIoPacketType.values()) EMPTY[t.ordinal()] = new EngineIoPacket(t, "", null);
  }

  public EngineIoPacket {
    Objects.requireNonNull(type, "type");
    if (binary != null) {
      // engine.io-protocol §Packet encoding: binary payloads exist only as messages (a WebSocket
      // binary frame and a "b" polling packet both decode to MESSAGE).
      if (type != EngineIoPacketType.MESSAGE) throw new IllegalArgumentException("Binary payload for a non-message packet");
      if (text != null) throw new IllegalArgumentException("A packet carries text or binary, not both");
    } else if (text == null) {
      if (type == EngineIoPacketType.MESSAGE) throw new IllegalArgumentException("A message needs text or binary");
      text = "";
    }
  }

  /** A text packet of any type; {@code text} may be empty. Packets without data are shared. */
  public static EngineIoPacket of(EngineIoPacketType type, String text) {
    Objects.requireNonNull(text, "text");
    return text.isEmpty() ? EMPTY[type.ordinal()] : new EngineIoPacket(type, text, null);
  }

  /** {@code 4hello}. */
  public static EngineIoPacket message(String text) {
    return of(EngineIoPacketType.MESSAGE, text);
  }

  /** A binary message; {@code data} is handed over, not copied. */
  public static EngineIoPacket message(byte[] data) {
    return new EngineIoPacket(EngineIoPacketType.MESSAGE, null, Objects.requireNonNull(data, "data"));
  }

  /** {@code 2}: the server's heartbeat (engine.io-protocol §Heartbeat). */
  public static EngineIoPacket ping() {
    return EMPTY[EngineIoPacketType.PING.ordinal()];
  }

  /** {@code 2probe} and the like. */
  public static EngineIoPacket ping(String text) {
    return of(EngineIoPacketType.PING, text);
  }

  /** {@code 3probe} answers {@code 2probe}; plain {@code 3} is {@code pong("")}. */
  public static EngineIoPacket pong(String text) {
    return of(EngineIoPacketType.PONG, text);
  }

  /** {@code 6}. */
  public static EngineIoPacket noop() {
    return EMPTY[EngineIoPacketType.NOOP.ordinal()];
  }

  /** {@code 1}. */
  public static EngineIoPacket close() {
    return EMPTY[EngineIoPacketType.CLOSE.ordinal()];
  }

  /** {@code 5}. */
  public static EngineIoPacket upgrade() {
    return EMPTY[EngineIoPacketType.UPGRADE.ordinal()];
  }

  /** {@code 0} + the handshake JSON; see {@link OpenPacket#toPacket()}. */
  public static EngineIoPacket open(String json) {
    return of(EngineIoPacketType.OPEN, json);
  }

  public boolean isBinary() {
    return binary != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EngineIoPacket p
        && type == p.type
        && Objects.equals(text, p.text)
        && Arrays.equals(binary, p.binary);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * type.hashCode() + Objects.hashCode(text)) + Arrays.hashCode(binary);
  }

  /**
   * {@code EngineIoPacket[MESSAGE "hello"]}, {@code EngineIoPacket[MESSAGE 4 bytes 01020304]},
   * {@code EngineIoPacket[NOOP]}. Long payloads are cut short and control characters escaped. The
   * payload is shown, so do not log packets above DEBUG: it may hold tokens (and OPEN holds the sid).
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("EngineIoPacket[").append(type.name());
    if (binary != null) {
      sb.append(' ').append(binary.length).append(binary.length == 1 ? " byte " : " bytes ");
      int n = Math.min(binary.length, PREVIEW_BYTES);
      for (int i = 0; i < n; i++) {
        sb.append(Character.forDigit((binary[i] >> 4) & 0xf, 16)).append(Character.forDigit(binary[i] & 0xf, 16));
      }
      if (n < binary.length) sb.append('…');
    } else if (!text.isEmpty()) {
      sb.append(" \"");
      int n = Math.min(text.length(), PREVIEW_CHARS);
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') sb.append('\\').append(c);
        else if (c < 0x20 || c == 0x7f || c == '\uFEFF') sb.append(String.format("\\u%04x", (int) c));
        else sb.append(c);
      }
      sb.append('"');
      if (n < text.length()) sb.append("…(").append(text.length()).append(" chars)");
    }
    return sb.append(']').toString();
  }
}
