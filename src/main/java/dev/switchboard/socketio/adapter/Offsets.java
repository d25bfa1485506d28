package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;

/**
 * The offsets of connection state recovery, for any adapter that keeps packets (Node's
 * {@code SessionAwareAdapter}, and a cluster adapter whose transport numbers its messages — the
 * Redis streams adapter uses the stream entry id): which broadcasts get one, and how it is put on
 * the packet. The offset travels as the event's last argument, which the official client
 * remembers and presents as {@code auth.offset} when it reconnects.
 *
 * <pre>{@code
 * if (Offsets.isKept(packet, options)) packet = Offsets.append(packet, entryId);
 * }</pre>
 */
public final class Offsets {
  private Offsets() {}

  /**
   * Whether a broadcast is kept for recovery and so carries an offset: an EVENT without ack id
   * (an acknowledgement cannot be answered after a reconnection elsewhere) that is not volatile
   * (it may be dropped anyway).
   */
  public static boolean isKept(SocketIoPacket packet, BroadcastOptions options) {
    return packet.type() == SocketIoPacketType.EVENT && packet.ackId() < 0 && !options.flags().isVolatile();
  }

  /**
   * A copy of {@code packet} with {@code offset} appended to its arguments; the caller's packet
   * and its data are left as they were (the same data may go to other namespaces).
   */
  public static SocketIoPacket append(SocketIoPacket packet, String offset) {
    ArrayNode data = ((ArrayNode) packet.data()).deepCopy();
    data.add(TextNode.valueOf(offset));
    return new SocketIoPacket(packet.type(), packet.namespace(), data, packet.ackId());
  }
}
