package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
public interface Adapter extends AutoCloseable {
  /** Adds a socket to rooms (creating them). */
  void addAll(String socketId, Set<String> rooms);

  /** Removes a socket from one room; the room disappears when empty. */
  void del(String socketId, String room);

  /** Removes a socket from every room. */
  void delAll(String socketId);

  /** The rooms of one socket (a snapshot). */
  Set<String> socketRooms(String socketId);

  /** Ids of the sockets of this node the options select (a snapshot). */
  Set<String> sockets(BroadcastOptions options);

  /** Names of every room with at least one member on this node (a snapshot). */
  Set<String> rooms();

  /**
   * Delivers {@code packet} to every selected socket of this node (encoded once) and, unless the
   * flags say {@code local}, has the other nodes of a cluster deliver it to theirs. With
   * connection state recovery on, a kept packet ({@link Offsets#isKept}) gets an offset first.
   */
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

  /**
   * The sockets the options select: this node's ({@link AdapterNamespace#details}) and, unless
   * {@code local}, every other node's (Node's {@code fetchSockets}), this node's first. A cluster
   * adapter waits for the other nodes for the flags' timeout, or its own request timeout, and
   * fails with {@link ClusterRequestTimeoutException} when some did not answer.
   */
  CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options);

  /** Has the selected sockets join {@code rooms}, here and, unless {@code local}, on every other node. */
  void addSockets(BroadcastOptions options, Set<String> rooms);

  /** Has the selected sockets leave {@code rooms}, here and, unless {@code local}, on every other node. */
  void delSockets(BroadcastOptions options, Set<String> rooms);

  /**
   * Disconnects the selected sockets (with {@code close}, their connections too), here and,
   * unless {@code local}, on every other node.
   */
  void disconnectSockets(BroadcastOptions options, boolean close);

  /**
   * Every room with a member on any node of the namespace (the classic Redis adapter's
   * {@code allRooms}; socket id-rooms included, as there); this node's rooms in memory. A cluster
   * adapter fails it with {@link ClusterRequestTimeoutException} when a node does not answer.
   */
  CompletableFuture<Set<String>> allRooms();

  /**
   * Sends {@code packet} — {@code [event, ...args]} — to the other servers of the namespace, never
   * to this one (Node's {@code serverSideEmit}); each runs its handlers for the event
   * ({@link AdapterNamespace#dispatchServerSideEmit}). Nothing in memory: there is no other server.
   */
  void serverSideEmit(ArrayNode packet);

  /**
   * Like {@link #serverSideEmit}, expecting one answer from every other server: completes with
   * their answers (each the arguments its handler acknowledged with) once all have answered, at
   * once with none when there is no other server, or fails after {@code timeout} with a
   * {@link ClusterRequestTimeoutException} carrying the answers received (Node's {@code timeout
   * reached: only N responses received out of M}). Completes on
   * {@link AdapterNamespace#completions()}.
   */
  CompletableFuture<List<ArrayNode>> serverSideEmitWithAck(ArrayNode packet, Duration timeout);

  /**
   * Keeps the state of a socket that disconnected for a recoverable reason, for its namespace's
   * {@code maxDisconnectionDuration} (connection state recovery; called only when it is on). An
   * adapter that keeps sessions elsewhere (Redis) returns at once and stores asynchronously.
   */
  void persistSession(PersistedSession session);

  /**
   * The session a client reconnecting with {@code pid} and {@code offset} (the last offset it
   * received) gets back, with the packets it missed; empty when it cannot be recovered (the client
   * then gets a fresh session). The server waits for it off the I/O threads and continues on the
   * socket's executor; a cluster adapter completes it on {@link AdapterNamespace#completions()}.
   * Whatever broadcasts the adapter keeps for this carry their offset as the last argument
   * ({@link Offsets}).
   */
  CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset);

  /**
   * Releases what the adapter holds (subscriptions, timers, pending requests, which fail); called
   * once, when the server closes, when {@code SocketIoServer.adapter(factory)} replaces it, or when
   * an empty child of a dynamic namespace is removed. Idempotent.
   */
  @Override
  void close();
}
