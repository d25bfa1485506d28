package dev.switchboard.websocket;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records every callback as a short string, e.g. {@code text:Hello}, {@code ping:48} (hex). */
final class RecordingListener implements WebSocketListener {
  private static final HexFormat HEX = HexFormat.of();
  final List<String> events = new ArrayList<>();
  /** The last binary array delivered, to check ownership. */
  byte[] lastBinary;

  @Override
  public void onText(String text) {
    events.add("text:" + text);
  }

  @Override
  public void onBinary(byte[] data) {
    lastBinary = data;
    events.add("binary:" + HEX.formatHex(data));
  }

  @Override
  public void onPing(byte[] payload) {
    events.add("ping:" + HEX.formatHex(payload));
  }

  @Override
  public void onPong(byte[] payload) {
    events.add("pong:" + HEX.formatHex(payload));
  }

  @Override
  public void onClose(int code, String reason) {
    events.add("close:" + code + ":" + reason);
  }

  static String hex(byte[] b) {
    return HEX.formatHex(b);
  }
}
