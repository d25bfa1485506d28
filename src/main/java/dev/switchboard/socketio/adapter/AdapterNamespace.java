package dev.switchboard.socketio.adapter;

import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.protocol.SocketIoParser;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What an adapter sees of its namespace: a view the server hands to the {@link AdapterFactory}
 * (the namespace's own API is the application's). Any thread.
 */
public interface AdapterNamespace {
  /** The namespace's name, e.g. {@code "/"} or {@code "/admin"}. */
  String name();

  /** The connected socket with this id, or null. */
  AdapterSocket socket(String id);

  /** Next id from the namespace-wide ack counter (shared with per-socket acks, as in Node). */
  long nextAckId();

  /**
   * The socket with this id, connected to this node, as {@link Adapter#fetchSockets} reports it;
   * null when there is none. Its JSON is built when asked for.
   */
  SocketDetails details(String socketId);

  /** Has the local socket {@code socketId} join {@code rooms}, as its own {@code join} would; nothing if there is none. */
  void join(String socketId, Set<String> rooms);

  /** Has the local socket {@code socketId} leave {@code rooms}; nothing if there is none. */
  void leave(String socketId, Set<String> rooms);

  /**
   * Disconnects the local socket {@code socketId} from the namespace (its client sees "io server
   * disconnect"), and with {@code close} its whole connection; nothing if there is none.
   */
  void disconnect(String socketId, boolean close);

  /**
   * Another server's {@code serverSideEmit}: runs the application's handlers for the event
   * ({@code onServerSideEmit}) with the arguments of {@code packet} ({@code [event, ...args]}).
   * {@code ack} is null when the sender waits for no answer; otherwise it is called at most once,
   * with the arguments of the first handler's answer. Any thread: the handlers run on the
   * namespace's own serial executor on the worker pool, in the order the adapter calls this,
   * never on the caller's thread. A packet that is not {@code [string, ...]}, or names a reserved
   * event, is ignored.
   */
  void dispatchServerSideEmit(ArrayNode packet, Consumer<ArrayNode> ack);

  /**
   * How long the state of a dropped socket and the packets sent since are kept for connection
   * state recovery; empty when recovery is off (then {@link Adapter#persistSession} is never
   * called and packets carry no offset).
   */
  Optional<Duration> maxDisconnectionDuration();

  /** The server's clock and timers (a fake one in tests): an adapter's request timeouts use it. */
  Scheduler scheduler();

  /**
   * Where an adapter completes its futures and runs what a message from another node causes: the
   * server's worker pool. Timer tasks and threads of a transport's client library (Lettuce's event
   * loops) only hand work to it, so that a dependent stage that blocks stalls neither heartbeats nor
   * the transport. Not serial: an adapter that needs order wraps it in a
   * {@link dev.switchboard.scheduling.SerialExecutor}.
   */
  Executor completions();

  /**
   * How packets are encoded for this namespace's clients ({@code SocketIoOptions.parser()}); a
   * broadcast is encoded once with it.
   */
  default SocketIoParser parser() {
    return SocketIoParser.DEFAULT;
  }
}
