package dev.switchboard.socketio.adapter;

import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

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
   * Like {@link #broadcast}, expecting an answer from every recipient. {@code clientCount} is
   * called once per node that delivered the packet — this one included — with how many clients it
   * sent to; {@code acks} hears every answer and each local target that disconnected without
   * answering. Locally one ack id (from {@link AdapterNamespace#nextAckId()}) serves every
   * recipient, and every recipient expects its answer before any packet leaves.
   *
   * <p>The caller decides when the collection is over (socket.io's broadcast operator counts the
   * nodes with {@link #serverCount()} and the clients with {@code clientCount}) and then cancels
   * the returned handle, so that the adapter forgets the request — rather than after a guessed
   * delay, as Node's cluster adapter does with {@code flags.timeout}. The in-memory adapter keeps
   * nothing and returns {@link Cancellable#NONE}.
   */
  Cancellable broadcastWithAck(SocketIoPacket packet, BroadcastOptions options, IntConsumer clientCount,
      AckSink acks);

  /**
   * How many servers share this namespace's rooms, this one included (Node's
   * {@code adapter.serverCount()}): 1 in memory; a cluster adapter asks its transport. Completes
   * off the caller's thread only on the adapter's completion executor
   * ({@link AdapterNamespace#completions()}), never on a thread of the transport's client library.
   */
  CompletableFuture<Integer> serverCount();
}
