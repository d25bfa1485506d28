package dev.switchboard.socketio.adapter;

import dev.switchboard.engineio.SharedMessage;
import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.socketio.protocol.SocketIoEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * One encoded Socket.IO packet on its way to one or many clients: encoded once, and its
 * Engine.IO messages (with their WebSocket frames) built once, however many sockets receive it
 * (socket.io-adapter encodes a broadcast once for the same reason).
 */
public final class Outgoing {
  private final SocketIoEncoder.Encoded encoded;
  private final SharedMessage message;

  /** A packet for one recipient. */
  public Outgoing(SocketIoEncoder.Encoded encoded) {
    this(encoded, false);
  }

  /** {@code manyRecipients}: a broadcast, whose frames are worth building off-heap once. */
  public Outgoing(SocketIoEncoder.Encoded encoded, boolean manyRecipients) {
    this(encoded, manyRecipients, true);
  }

  /**
   * {@code compress} false: the {@code compress(false)} flag, carried by the Engine.IO messages
   * (no permessage-deflate; a polling response of such packets only is not gzipped).
   */
  public Outgoing(SocketIoEncoder.Encoded encoded, boolean manyRecipients, boolean compress) {
    this.encoded = encoded;
    List<EngineIoPacket> packets = new ArrayList<>(1 + encoded.attachments().size());
    if (encoded.text() != null) packets.add(EngineIoPacket.message(encoded.text())); // null: MessagePack
    for (byte[] a : encoded.attachments()) packets.add(EngineIoPacket.message(a));
    this.message = new SharedMessage(packets, manyRecipients, compress);
  }

  /** The encoded packet: its text and binary attachments. */
  public SocketIoEncoder.Encoded encoded() {
    return encoded;
  }

  /**
   * The Engine.IO messages: the packet's text, then each binary attachment (with the MessagePack
   * parser, the one binary message).
   */
  public SharedMessage message() {
    return message;
  }
}
