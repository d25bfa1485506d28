package dev.switchboard.socketio.adapter;

import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Room membership and fan-out for one namespace (socket.io-adapter's role). The in-memory
 * implementation serves one process; a Redis-backed one can replace it later without touching
 * sockets or namespaces, which only call this interface.
 *
 * <p>Threading: implementations are thread-safe; sockets of many sessions call them at once.
 */
public interface Adapter {
  /** Adds a socket to rooms (creating them). */
  void addAll(String socketId, Set<String> rooms);

  /** Removes a socket from one room; the room disappears when empty. */
  void del(String socketId, String room);

  /** Removes a socket from every room. */
  void delAll(String socketId);

  /** The rooms of one socket (a snapshot). */
  Set<String> socketRooms(String socketId);

  /** Ids of the sockets the options select (a snapshot). */
  Set<String> sockets(BroadcastOptions options);

  /** Names of every room with at least one member (a snapshot). */
  Set<String> rooms();

  /** Encodes {@code packet} once and delivers it to every selected socket. */
  void broadcast(SocketIoPacket packet, BroadcastOptions options);

  /**
   * Like {@link #broadcast}, with one ack id for all recipients; {@code recipientCount} learns
   * how many sockets were sent to, {@code listener} receives each answer.
   */
  void broadcastWithAck(SocketIoPacket packet, BroadcastOptions options, Consumer<Integer> recipientCount,
      AdapterSocket.AckListener listener);
}
