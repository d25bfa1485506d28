package dev.switchboard.socketio;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What can broadcast, with one set of methods everywhere (Node's broadcast API): the server (its
 * main namespace), a {@link Namespace}, a {@link ParentNamespace} (every child of a dynamic
 * namespace) and a {@link BroadcastOperator} (a selection already narrowed). Each implementation
 * says only which operator it starts from ({@link #operator()}); the modifiers return a new
 * operator, the actions act on the sockets it selects.
 *
 * <pre>{@code
 * io.to("room1").except("room2").asVolatile().emit("tick", n);      // the server: "/"
 * io.of("/admin").timeout(Duration.ofSeconds(5)).emitWithAck("status")
 *     .thenAccept(answers -> log.info(answers.size() + " admins answered"));
 * io.of(Pattern.compile("^/team-\\d+$")).disconnectSockets();       // every team namespace
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread; the operators are immutable values.
 * In-memory test: {@code BroadcasterTest}, and {@code ServerBroadcastTest} for what each action does.
 */
public interface Broadcaster {
  /**
   * The operator the other methods start from: every socket of the namespace (or of every child
   * of a dynamic namespace), or, for an operator, itself.
   */
  BroadcastOperator operator();

  /** Also targets the sockets in {@code rooms} (a socket id is a room); several calls add up. */
  default BroadcastOperator to(String... rooms) {
    return operator().to(rooms);
  }

  /** The same as {@link #to}. */
  default BroadcastOperator in(String... rooms) {
    return operator().in(rooms);
  }

  /** Leaves out the sockets in {@code rooms} (a socket id is a room). */
  default BroadcastOperator except(String... rooms) {
    return operator().except(rooms);
  }

  /**
   * Packets may be dropped for clients that cannot take them now (Node's {@code volatile}): over
   * WebSocket when data is already waiting for the client, over polling when its buffer is not
   * empty. Volatile packets are not kept for connection state recovery.
   */
  default BroadcastOperator asVolatile() {
    return operator().asVolatile();
  }

  /**
   * This server only: a cluster adapter neither passes the broadcast (or join, leave, disconnect)
   * to the other servers nor asks them ({@code fetchSockets}, acks). The in-memory adapter is
   * always local.
   */
  default BroadcastOperator local() {
    return operator().local();
  }

  /**
   * Whether the packet may be compressed (default true): false sends it uncompressed over a
   * WebSocket with permessage-deflate, and a polling response of such packets only is not gzipped.
   */
  default BroadcastOperator compress(boolean compress) {
    return operator().compress(compress);
  }

  /** How long {@link #emitWithAck} waits for the answers (instead of the server's {@code ackTimeout}). */
  default BroadcastOperator timeout(Duration timeout) {
    return operator().timeout(timeout);
  }

  /**
   * Sends an event to every selected socket, encoded once. Arguments are converted to JSON;
   * {@code byte[]} become binary attachments.
   */
  default void emit(String event, Object... args) {
    operator().emit(event, args);
  }

  /**
   * Sends an event to every selected socket and completes with all their answers; see
   * {@link BroadcastOperator#emitWithAck} for how it ends when some do not answer.
   */
  default CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    return operator().emitWithAck(event, args);
  }

  /**
   * The selected sockets, on every server of a cluster ({@link #local}: this one): this server's
   * as the live {@link Socket}s, the others' as {@link RemoteSocket} snapshots whose actions reach
   * them where they are. See {@link BroadcastOperator#fetchSockets}.
   */
  default CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return operator().fetchSockets();
  }

  /** Makes every selected socket join {@code rooms}, on every server of a cluster unless {@link #local}. */
  default void socketsJoin(String... rooms) {
    operator().socketsJoin(rooms);
  }

  /** Makes every selected socket leave {@code rooms}, on every server of a cluster unless {@link #local}. */
  default void socketsLeave(String... rooms) {
    operator().socketsLeave(rooms);
  }

  /**
   * Disconnects every selected socket from its namespace (the clients see "io server
   * disconnect"); with {@code close}, their whole connections are closed too. On every server of a
   * cluster unless {@link #local}.
   */
  default void disconnectSockets(boolean close) {
    operator().disconnectSockets(close);
  }

  /** {@code disconnectSockets(false)}, Node's default. */
  default void disconnectSockets() {
    disconnectSockets(false);
  }
}
