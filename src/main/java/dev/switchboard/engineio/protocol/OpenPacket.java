package dev.switchboard.engineio.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The handshake data the server sends in its {@code open} packet (engine.io-protocol §Handshake).
 * Times are in milliseconds; {@code maxPayload} is the byte limit the client uses to batch packets
 * into one POST.
 *
 * <pre>{@code
 * OpenPacket open = new OpenPacket("lv_VI97HAXpY6yYWAAAC", List.of("websocket"), 25_000, 20_000, 1_000_000);
 * EngineIoPacketCodec.encodeText(open.toPacket());
 * // 0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}
 * }</pre>
 */
public record OpenPacket(String sid, List<String> upgrades, long pingInterval, long pingTimeout, long maxPayload) {
  public OpenPacket {
    Objects.requireNonNull(sid, "sid");
    upgrades = List.copyOf(upgrades);
    if (pingInterval < 0) throw new IllegalArgumentException("pingInterval < 0: " + pingInterval);
    if (pingTimeout < 0) throw new IllegalArgumentException("pingTimeout < 0: " + pingTimeout);
    if (maxPayload < 0) throw new IllegalArgumentException("maxPayload < 0: " + maxPayload);
  }

  /**
   * The JSON text byte for byte as engine.io builds it ({@code socket.ts onOpen}:
   * {@code JSON.stringify({sid, upgrades, pingInterval, pingTimeout, maxPayload})}), keys in that
   * order, no whitespace.
   */
  public String toJson() {
    StringBuilder sb = new StringBuilder(128).append("{\"sid\":");
    JsonStrings.appendQuoted(sb, sid);
    sb.append(",\"upgrades\":[");
    for (int i = 0; i < upgrades.size(); i++) {
      if (i > 0) sb.append(',');
      JsonStrings.appendQuoted(sb, upgrades.get(i));
    }
    return sb.append("],\"pingInterval\":").append(pingInterval)
        .append(",\"pingTimeout\":").append(pingTimeout)
        .append(",\"maxPayload\":").append(maxPayload)
        .append('}')
        .toString();
  }

  /** The {@code open} packet carrying {@link #toJson()}. */
  public EngineIoPacket toPacket() {
    return EngineIoPacket.open(toJson());
  }
}
