package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoPacketCodec;
import dev.switchboard.engineio.protocol.EngineIoProtocolException;
import dev.switchboard.net.WebSocketConnection;
import dev.switchboard.net.WebSocketHandler;
import dev.switchboard.websocket.CloseCodes;
import java.util.List;

/**
 * Engine.IO over one WebSocket (engine.io-protocol §WebSocket): each frame carries exactly one
 * packet; text frames are type char + data, binary frames are raw binary messages.
 *
 * <p>Threading: the {@link WebSocketHandler} callbacks arrive on the session's serial executor
 * (it was given to the upgrade), as do the {@link Transport} calls; {@link #sendFrames} may also
 * be called from other threads (the session's direct path), which is why {@code open} is
 * volatile and each call's frames are handed to the connection in one piece.
 */
public final class WebSocketTransport implements Transport, WebSocketHandler {
  private WebSocketConnection connection;
  private TransportListener listener;
  private volatile boolean open = true;

  /** The connection this transport writes to; set once, right after the upgrade. */
  public void attach(WebSocketConnection connection) {
    this.connection = connection;
  }

  @Override
  public void setListener(TransportListener listener) {
    this.listener = listener;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public boolean isWritable() {
    return open;
  }

  @Override
  public void send(List<EngineIoPacket> packets) {
    if (!open) return;
    if (packets.size() == 1) {
      sendOne(packets.get(0));
      return;
    }
    List<java.nio.ByteBuffer> frames = new java.util.ArrayList<>(packets.size());
    for (EngineIoPacket p : packets) frames.add(frame(p));
    connection.sendFrames(frames, false);
  }

  /**
   * Writes pre-built frames (maybe shared with other sessions) together; {@code coalesce} for a
   * broadcast ({@link WebSocketConnection#sendFrames}). Any thread.
   */
  public void sendFrames(List<java.nio.ByteBuffer> frames, boolean coalesce) {
    if (!open) return;
    connection.sendFrames(frames, coalesce);
  }

  /**
   * As {@link #sendFrames(List, boolean)}; {@code compress}: the connection may compress them
   * (permessage-deflate, {@link WebSocketConnection#sendFrames(List, boolean, boolean)}). Any thread.
   */
  public void sendFrames(List<java.nio.ByteBuffer> frames, boolean coalesce, boolean compress) {
    if (!open) return;
    connection.sendFrames(frames, coalesce, compress);
  }

  private void sendOne(EngineIoPacket p) {
    if (p.isBinary()) {
      connection.sendBinary(EngineIoPacketCodec.encodeBinary(p));
    } else {
      connection.sendText(EngineIoPacketCodec.encodeText(p));
    }
  }

  /** The WebSocket frame of one packet (engine.io-protocol §WebSocket: one packet per frame). */
  public static java.nio.ByteBuffer frame(EngineIoPacket p) {
    return p.isBinary()
        ? dev.switchboard.websocket.WebSocketFrameEncoder.binary(EngineIoPacketCodec.encodeBinary(p))
        : dev.switchboard.websocket.WebSocketFrameEncoder.text(EngineIoPacketCodec.encodeText(p));
  }

  @Override
  public void close() {
    if (!open) return;
    open = false;
    connection.close(CloseCodes.NORMAL, "");
  }

  /** Drops the connection without a close handshake (a refused upgrade probe). */
  public void abort() {
    open = false;
    connection.abort();
  }

  /** The connection this transport writes to. Any thread. */
  public WebSocketConnection connection() {
    return connection;
  }

  @Override
  public void onText(String text) {
    if (!open) return;
    EngineIoPacket packet;
    try {
      packet = EngineIoPacketCodec.decodeText(text);
    } catch (EngineIoProtocolException e) {
      // engine.io-protocol §Packet encoding: an empty or unknown packet is a parse error, over
      // WebSocket as over polling (Node's engine.io closes with "parse error" too).
      listener.onError(this, TransportError.PARSE_ERROR, e.getMessage());
      return;
    }
    listener.onPacket(this, packet);
  }

  @Override
  public void onBinary(byte[] data) {
    if (!open) return;
    listener.onPacket(this, EngineIoPacketCodec.decodeBinary(data));
  }

  @Override
  public void onClose(int code, String reason) {
    open = false;
    switch (code) {
      // Our decoder closed the connection because the peer broke RFC 6455: a transport error,
      // as Node's engine.io reports ws 'error' events.
      case CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_DATA, CloseCodes.POLICY, CloseCodes.TOO_BIG ->
          listener.onError(this, TransportError.TRANSPORT_ERROR, reason);
      default -> listener.onClosed(this);
    }
  }
}
