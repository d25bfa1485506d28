package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoPacketCodec;
import dev.switchboard.engineio.protocol.EngineIoProtocolException;
import dev.switchboard.engineio.protocol.EngineIoV3Codec;
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
  /** Engine.IO protocol 3: binary frames carry a type byte (EIO3 §Encoding › Packet). */
  private final boolean eio3;
  /** v3 only: the client asked for base64 ({@code b64=1}), so binary leaves as {@code b4…} text. */
  private final boolean base64Only;

  /** An Engine.IO v4 transport. */
  public WebSocketTransport() {
    this(false, false);
  }

  /**
   * A transport speaking Engine.IO protocol 3 when {@code eio3} (binary frames with the type
   * byte, or {@code b4} + base64 text frames when {@code base64Only}); v4 otherwise.
   */
  public WebSocketTransport(boolean eio3, boolean base64Only) {
    this.eio3 = eio3;
    this.base64Only = eio3 && base64Only;
  }

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
    for (EngineIoPacket p : packets) frames.add(eio3 ? frameV3(p) : frame(p));
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
    if (eio3 && p.isBinary()) {
      if (base64Only) connection.sendText(EngineIoV3Codec.encodeText(p));
      else connection.sendBinary(EngineIoV3Codec.encodeBinary(p));
    } else if (p.isBinary()) {
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

  /** The v3 frame of one packet (EIO3 §Encoding › Packet): text as in v4, binary with its type byte. */
  private java.nio.ByteBuffer frameV3(EngineIoPacket p) {
    if (!p.isBinary()) return frame(p);
    return base64Only
        ? dev.switchboard.websocket.WebSocketFrameEncoder.text(EngineIoV3Codec.encodeText(p))
        : dev.switchboard.websocket.WebSocketFrameEncoder.binary(EngineIoV3Codec.encodeBinary(p));
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
      packet = eio3 ? EngineIoV3Codec.decodeText(text) : EngineIoPacketCodec.decodeText(text);
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
    if (eio3) {
      EngineIoPacket packet;
      try {
        packet = EngineIoV3Codec.decodeBinary(data);
      } catch (EngineIoProtocolException e) {
        listener.onError(this, TransportError.PARSE_ERROR, e.getMessage()); // EIO3 §Encoding › Packet: no type byte 4
        return;
      }
      listener.onPacket(this, packet);
      return;
    }
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
