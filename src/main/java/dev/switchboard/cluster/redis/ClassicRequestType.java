package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterMessageException;

/**
 * The request types of the classic {@code @socket.io/redis-adapter} 8.3 ({@code lib/index.ts},
 * enum RequestType), with their numbers on the wire. 8 and 9 only appear in responses.
 */
public enum ClassicRequestType {
  /** 0: the ids of the sockets in some rooms (8.3 answers it but no longer sends it). */
  SOCKETS(0),
  /** 1: every room of every node ({@code allRooms()}). */
  ALL_ROOMS(1),
  /** 2: selected sockets join rooms ({@code socketsJoin}). */
  REMOTE_JOIN(2),
  /** 3: selected sockets leave rooms ({@code socketsLeave}). */
  REMOTE_LEAVE(3),
  /** 4: selected sockets are disconnected ({@code disconnectSockets}). */
  REMOTE_DISCONNECT(4),
  /** 5: the details of selected sockets ({@code fetchSockets}). */
  REMOTE_FETCH(5),
  /** 6: a server-side event ({@code serverSideEmit}), with or without ack; also its answer. */
  SERVER_SIDE_EMIT(6),
  /** 7: a broadcast with ack (a plain broadcast is the [uid, packet, opts] tuple instead). */
  BROADCAST(7),
  /** 8: the answer telling how many clients a node sent a broadcast with ack to. */
  BROADCAST_CLIENT_COUNT(8),
  /** 9: the answer carrying one client's ack of a broadcast. */
  BROADCAST_ACK(9);

  private static final ClassicRequestType[] BY_NUMBER = values();

  private final int number;

  ClassicRequestType(int number) {
    this.number = number;
  }

  /** The number on the wire. */
  public int number() {
    return number;
  }

  /**
   * The type numbered {@code number}.
   *
   * @throws ClusterMessageException "unknown request type N" for anything but 0 to 9
   */
  public static ClassicRequestType of(long number) {
    if (number < 0 || number >= BY_NUMBER.length) throw new ClusterMessageException("unknown request type " + number);
    return BY_NUMBER[(int) number];
  }
}
