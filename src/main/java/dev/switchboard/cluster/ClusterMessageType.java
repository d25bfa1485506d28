package dev.switchboard.cluster;

/**
 * The message types of socket.io-adapter's {@code ClusterAdapter} (2.5, {@code
 * packages/socket.io-adapter/lib/cluster-adapter.ts}, enum MessageType), with their numbers on the
 * wire. The sharded Redis adapter and the Redis streams adapter send these.
 */
public enum ClusterMessageType {
  /** 1: a node announces itself ({@code ClusterAdapterWithHeartbeat} only; no Redis adapter sends it). */
  INITIAL_HEARTBEAT(1),
  /** 2: a node is alive ({@code ClusterAdapterWithHeartbeat} only). */
  HEARTBEAT(2),
  /** 3: a broadcast, with a request id when acks are wanted. */
  BROADCAST(3),
  /** 4: selected sockets join rooms. */
  SOCKETS_JOIN(4),
  /** 5: selected sockets leave rooms. */
  SOCKETS_LEAVE(5),
  /** 6: selected sockets are disconnected. */
  DISCONNECT_SOCKETS(6),
  /** 7: a request for the details of selected sockets. */
  FETCH_SOCKETS(7),
  /** 8: one node's answer to FETCH_SOCKETS. */
  FETCH_SOCKETS_RESPONSE(8),
  /** 9: a server-side event, with a request id when an answer is wanted. */
  SERVER_SIDE_EMIT(9),
  /** 10: one node's answer to SERVER_SIDE_EMIT. */
  SERVER_SIDE_EMIT_RESPONSE(10),
  /** 11: how many clients one node sent a broadcast with ack to. */
  BROADCAST_CLIENT_COUNT(11),
  /** 12: one client's answer to a broadcast with ack. */
  BROADCAST_ACK(12),
  /** 13: a node leaves ({@code ClusterAdapterWithHeartbeat} only). */
  ADAPTER_CLOSE(13);

  private static final ClusterMessageType[] BY_NUMBER = values();

  private final int number;

  ClusterMessageType(int number) {
    this.number = number;
  }

  /** The number on the wire. */
  public int number() {
    return number;
  }

  /**
   * The type numbered {@code number}.
   *
   * @throws ClusterMessageException "unknown message type N" for anything but 1 to 13
   */
  public static ClusterMessageType of(long number) {
    if (number < 1 || number > BY_NUMBER.length) {
      throw new ClusterMessageException("unknown message type " + number);
    }
    return BY_NUMBER[(int) number - 1];
  }

  /**
   * The types whose data may hold binary (the sharded adapter's and the streams adapter's {@code
   * mayContainBinary}): only these are ever MessagePack in the sharded adapter's messages and in
   * the streams adapter's stream entries.
   */
  public boolean mayCarryBinary() {
    return switch (this) {
      case BROADCAST, BROADCAST_ACK, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT, SERVER_SIDE_EMIT_RESPONSE -> true;
      default -> false;
    };
  }

  /** Whether this is an answer to a request (8, 10, 11, 12), sent to the asking node only. */
  public boolean isResponse() {
    return switch (this) {
      case FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT_RESPONSE, BROADCAST_CLIENT_COUNT, BROADCAST_ACK -> true;
      default -> false;
    };
  }
}
