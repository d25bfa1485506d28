package dev.switchboard.socketio.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One Socket.IO packet (socket.io-protocol §Exchange protocol): a type, a namespace, an optional
 * JSON payload and an optional acknowledgement id.
 *
 * <p>Binary values live inside {@code data} as Jackson {@code BinaryNode}s, exactly where the
 * application put them; the attachment count and placeholders are an encoding detail of {@link
 * SocketIoEncoder} and {@link SocketIoDecoder}. The decoder therefore returns EVENT and ACK for
 * packets that arrived as BINARY_EVENT and BINARY_ACK, as socket.io-parser does, and the encoder
 * picks the binary type by itself.
 *
 * <p>{@code data} is a mutable Jackson tree shared, not copied; do not modify it after handing the
 * packet to another thread.
 *
 * <pre>{@code
 * SocketIoPacket p = SocketIoPacket.event("/", args, 12);   // 212["foo"] when args = ["foo"]
 * }</pre>
 *
 * @param type the packet type
 * @param namespace starts with "/", never contains ','; "/" is the main namespace
 * @param data the payload, or null when the packet has none
 * @param ackId the acknowledgement id, or {@link #NO_ACK_ID}
 */
public record SocketIoPacket(SocketIoPacketType type, String namespace, JsonNode data, long ackId) {

  /** The {@code ackId} of a packet that carries none. */
  public static final long NO_ACK_ID = -1;

  public SocketIoPacket {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(namespace, "namespace");
    // socket.io-protocol §Format: the namespace starts with '/' and ends at the first ','.
    if (namespace.isEmpty() || namespace.charAt(0) != '/') {
      throw new IllegalArgumentException("Namespace must start with '/'");
    }
    if (namespace.indexOf(',') >= 0) {
      throw new IllegalArgumentException("Namespace must not contain ','");
    }
    if (ackId < NO_ACK_ID) {
      throw new IllegalArgumentException("Ack id must be -1 or non-negative");
    }
  }

  /** CONNECT: a client's request (data: auth object or null) or the server's reply ({"sid":…}). */
  public static SocketIoPacket connect(String namespace, JsonNode data) {
    return new SocketIoPacket(SocketIoPacketType.CONNECT, namespace, data, NO_ACK_ID);
  }

  /** DISCONNECT from one namespace; it never carries a payload. */
  public static SocketIoPacket disconnect(String namespace) {
    return new SocketIoPacket(SocketIoPacketType.DISCONNECT, namespace, null, NO_ACK_ID);
  }

  /** EVENT without an acknowledgement; {@code data} is {@code [name, args…]}. */
  public static SocketIoPacket event(String namespace, JsonNode data) {
    return new SocketIoPacket(SocketIoPacketType.EVENT, namespace, data, NO_ACK_ID);
  }

  /** EVENT that asks the receiver for an ACK carrying {@code ackId}. */
  public static SocketIoPacket event(String namespace, JsonNode data, long ackId) {
    return new SocketIoPacket(SocketIoPacketType.EVENT, namespace, data, ackId);
  }

  /** ACK answering the event with {@code ackId}; {@code data} is the (possibly empty) array of args. */
  public static SocketIoPacket ack(String namespace, JsonNode data, long ackId) {
    return new SocketIoPacket(SocketIoPacketType.ACK, namespace, data, ackId);
  }

  /** CONNECT_ERROR refusing a namespace; data is {"message":…,"data":…} (or a plain string). */
  public static SocketIoPacket connectError(String namespace, JsonNode data) {
    return new SocketIoPacket(SocketIoPacketType.CONNECT_ERROR, namespace, data, NO_ACK_ID);
  }

  public boolean hasAckId() {
    return ackId != NO_ACK_ID;
  }
}
