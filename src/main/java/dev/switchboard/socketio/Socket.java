package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.AdapterSocket;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.Outgoing;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's connection to one namespace.
 *
 * <p>Lifecycle: created when the client's CONNECT arrives → handshake middlewares run →
 * <b>connected</b> (CONNECT answered, {@code connection} handlers run) → <b>disconnecting</b>
 * ({@link #onDisconnecting} listeners, still in its rooms) → <b>disconnected</b> (rooms left,
 * pending acks failed, {@link #onDisconnect} listeners). A socket is never reconnected; a
 * reconnecting client gets a new socket (or, with state recovery, a new socket with the old id).
 *
 * <p>Threading: incoming events, acks and lifecycle listeners run on {@link #executor()} — the
 * client's serial executor, shared by the namespaces multiplexed on one connection — in arrival
 * order, never on an I/O thread. {@code emit}, {@code join}, {@code leave}, {@code disconnect}
 * and the broadcast operators may be called from any thread.
 *
 * <pre>{@code
 * io.onConnection(socket -> {
 *   socket.join("lobby");
 *   socket.on("chat", (args, ack) -> socket.to("lobby").emit("chat", args.get(0)));
 *   socket.onDisconnect(reason -> log.info(socket.id() + " left: " + reason));
 * });
 * }</pre>
 */
public final class Socket implements AdapterSocket {
  private static final Logger LOG = Logger.getLogger(Socket.class.getName());

  private final String id;
  private final Namespace namespace;
  private final Client client;
  private final Handshake handshake;
  /** Created on first use (see {@link #data()}); most sockets never attach data. */
  private volatile Map<String, Object> data;
  private final String pid;
  private volatile boolean connected;
  private volatile boolean recovered;
  /** Rooms to rejoin when this socket restores a disconnected one; null otherwise. */
  Set<String> restoredRooms;

  // Listeners: copy-on-write arrays, replaced under this socket's monitor and read without it.
  // Most are empty for the life of a socket, and they all share NONE then. As ten
  // CopyOnWriteArrayLists (each with its lock object and array) and a ConcurrentHashMap of them,
  // they were about 1.3 KB of every idle socket (BENCHMARKS.md, "Missed: idle memory per 1 000
  // WebSocket clients").
  private static final Object[] NONE = {};
  /** Event name, handler, event name, handler, ... in registration order. */
  private volatile Object[] handlers = NONE;
  private volatile Object[] anyIncoming = NONE;
  private volatile Object[] anyOutgoing = NONE;
  private volatile Object[] middlewares = NONE;
  private volatile Object[] disconnecting = NONE;
  private volatile Object[] disconnected = NONE;
  private volatile Object[] errorListeners = NONE;
  /**
   * Acks we wait for, by id; created by the first emit that expects one. Any thread may add
   * (broadcasts); the executor completes.
   */
  private volatile Map<Long, PendingAck> acks;

  private record PendingAck(AckListener listener, Cancellable timer) {}

  Socket(String id, Namespace namespace, Client client, Handshake handshake, String pid,
      Map<String, Object> restoredData) {
    this.id = id;
    this.namespace = namespace;
    this.client = client;
    this.handshake = handshake;
    this.pid = pid;
    if (restoredData != null) this.data = new ConcurrentHashMap<>(restoredData);
    // Restored state comes with its data: the handshake middlewares (when not skipped) already
    // see isRecovered(), as in Node, whose socket is marked recovered when it is built.
    this.recovered = restoredData != null;
  }

  // ------------------------------------------------------------------ identity

  /** The socket id: random, distinct from the Engine.IO session id, and the name of its own room. */
  @Override
  public String id() {
    return id;
  }

  public Namespace namespace() {
    return namespace;
  }

  public Handshake handshake() {
    return handshake;
  }

  /** Application data attached to this socket (Node's {@code socket.data}); thread-safe. */
  public Map<String, Object> data() {
    Map<String, Object> d = data;
    if (d != null) return d;
    synchronized (this) {
      if (data == null) data = new ConcurrentHashMap<>();
      return data;
    }
  }

  private Map<Long, PendingAck> acks() {
    Map<Long, PendingAck> a = acks;
    if (a != null) return a;
    synchronized (this) {
      if (acks == null) acks = new ConcurrentHashMap<>();
      return acks;
    }
  }

  private static Object[] plus(Object[] list, Object... items) {
    Object[] next = java.util.Arrays.copyOf(list, list.length + items.length);
    System.arraycopy(items, 0, next, list.length, items.length);
    return next;
  }

  public boolean isConnected() {
    return connected;
  }

  /** Whether this connection restored an earlier one (connection state recovery). */
  public boolean isRecovered() {
    return recovered;
  }

  /** The Engine.IO transport in use: "polling" or "websocket". */
  public String transport() {
    return client.session().transportName();
  }

  /** The underlying Engine.IO session id (Node's {@code socket.conn.id}). */
  public String connectionId() {
    return client.session().id();
  }

  /** The serial executor this socket's handlers run on. */
  public Executor executor() {
    return client.session().executor();
  }

  String pid() {
    return pid;
  }

  // ------------------------------------------------------------------ listeners

  /** Handles the event {@code event}. Several handlers run in registration order. */
  public Socket on(String event, EventHandler handler) {
    java.util.Objects.requireNonNull(event, "event");
    synchronized (this) {
      handlers = plus(handlers, event, handler);
    }
    return this;
  }

  /** Removes a handler added with {@link #on} (the first registration of it, if added twice). */
  public Socket off(String event, EventHandler handler) {
    synchronized (this) {
      Object[] all = handlers;
      for (int i = 0; i < all.length; i += 2) {
        if (all[i].equals(event) && java.util.Objects.equals(all[i + 1], handler)) {
          Object[] next = new Object[all.length - 2];
          System.arraycopy(all, 0, next, 0, i);
          System.arraycopy(all, i + 2, next, i, all.length - i - 2);
          handlers = next;
          break;
        }
      }
    }
    return this;
  }

  /** Sees every incoming event before its handlers. */
  public Socket onAny(AnyListener listener) {
    synchronized (this) {
      anyIncoming = plus(anyIncoming, listener);
    }
    return this;
  }

  /** Sees every event this socket emits. */
  public Socket onAnyOutgoing(AnyListener listener) {
    synchronized (this) {
      anyOutgoing = plus(anyOutgoing, listener);
    }
    return this;
  }

  /** Adds a per-packet middleware (Node's {@code socket.use}). */
  public Socket use(PacketMiddleware middleware) {
    synchronized (this) {
      middlewares = plus(middlewares, middleware);
    }
    return this;
  }

  /** Runs when the socket starts disconnecting, while it is still in its rooms. */
  public Socket onDisconnecting(java.util.function.Consumer<String> listener) {
    synchronized (this) {
      disconnecting = plus(disconnecting, listener);
    }
    return this;
  }

  /** Runs once the socket is disconnected, with Node's reason string. */
  public Socket onDisconnect(java.util.function.Consumer<String> listener) {
    synchronized (this) {
      disconnected = plus(disconnected, listener);
    }
    return this;
  }

  /** Errors from per-packet middlewares (Node's socket "error" event). */
  public Socket onError(java.util.function.Consumer<Exception> listener) {
    synchronized (this) {
      errorListeners = plus(errorListeners, listener);
    }
    return this;
  }

  // ------------------------------------------------------------------ emitting

  /**
   * Sends an event to this client. Arguments are converted to JSON; {@code byte[]} become binary
   * attachments. Any thread.
   */
  public Socket emit(String event, Object... args) {
    send(event, args, -1);
    return this;
  }

  /**
   * Sends an event and waits for the client's acknowledgement, up to the server's default
   * {@code ackTimeout} (forever if none).
   *
   * <pre>{@code socket.emitWithAck("question", 42).thenAccept(answer -> ...);}</pre>
   */
  public CompletableFuture<Args> emitWithAck(String event, Object... args) {
    return emitWithAck(namespace.server().options().ackTimeout(), event, args);
  }

  /** A view of this socket whose {@code emitWithAck} fails after {@code timeout}. */
  public TimedEmitter timeout(Duration timeout) {
    return new TimedEmitter(this, timeout);
  }

  /** {@link #emitWithAck} with an explicit timeout (null = none). */
  public static final class TimedEmitter {
    private final Socket socket;
    private final Duration timeout;

    TimedEmitter(Socket socket, Duration timeout) {
      this.socket = socket;
      this.timeout = timeout;
    }

    public CompletableFuture<Args> emitWithAck(String event, Object... args) {
      return socket.emitWithAck(timeout, event, args);
    }
  }

  CompletableFuture<Args> emitWithAck(Duration timeout, String event, Object[] args) {
    CompletableFuture<Args> result = new CompletableFuture<>();
    if (!connected) {
      result.completeExceptionally(new IllegalStateException("socket is not connected"));
      return result;
    }
    long ackId = namespace.nextAckId();
    Cancellable timer = Cancellable.NONE;
    if (timeout != null) {
      timer = namespace.server().scheduler().schedule(timeout, () -> executor().execute(() -> {
        if (acks().remove(ackId) != null) {
          result.completeExceptionally(new AckTimeoutException(List.of(), Set.of(id)));
        }
      }));
    }
    acks().put(ackId, new PendingAck((sid, node) -> {
      if (node instanceof ArrayNode arr) result.complete(new Args(arr, 0));
      else result.completeExceptionally(new IllegalStateException("socket has been disconnected"));
    }, timer));
    send(event, args, ackId);
    return result;
  }

  private void send(String event, Object[] args, long ackId) {
    ArrayNode payload = Json.array(event, args);
    notifyOutgoing(event, payload);
    SocketIoPacket packet = new SocketIoPacket(SocketIoPacketType.EVENT, namespace.name(), payload, ackId);
    if (ackId < 0 && namespace.server().recovery() != null) {
      // Node routes plain emits through the adapter when recovery is on, so that the packet gets
      // an offset and is kept for a reconnecting client.
      namespace.server().recovery().emitToSocket(namespace, this, packet);
      return;
    }
    client.send(packet, BroadcastFlags.NONE);
  }

  private void notifyOutgoing(String event, ArrayNode payload) {
    Object[] listeners = anyOutgoing;
    if (listeners.length == 0) return;
    Args a = new Args(payload, 1);
    for (Object l : listeners) {
      try {
        ((AnyListener) l).on(event, a);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "onAnyOutgoing listener failed", e);
      }
    }
  }

  // ------------------------------------------------------------------ rooms and broadcasting

  /** Joins rooms. Any thread. */
  public Socket join(String... rooms) {
    if (connected) namespace.adapter().addAll(id, Set.of(rooms));
    return this;
  }

  /** Leaves a room. Any thread. */
  public Socket leave(String room) {
    namespace.adapter().del(id, room);
    return this;
  }

  /** The rooms this socket is in, including its own id-room. */
  public Set<String> rooms() {
    return namespace.adapter().socketRooms(id);
  }

  /** Everyone in {@code rooms} except this socket. */
  public BroadcastOperator to(String... rooms) {
    return broadcast().to(rooms);
  }

  /** Same as {@link #to}. */
  public BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Everyone in the namespace except this socket and members of {@code rooms}. */
  public BroadcastOperator except(String... rooms) {
    return broadcast().except(rooms);
  }

  /** Everyone in the namespace except this socket. */
  public BroadcastOperator broadcast() {
    return namespace.broadcastOperator().except(id);
  }

  /** Marks the next emit as volatile: dropped if the client is not ready to receive it. */
  public VolatileEmitter volatileEmit() {
    return new VolatileEmitter(this);
  }

  /** {@code socket.volatile.emit(...)}. */
  public static final class VolatileEmitter {
    private final Socket socket;

    VolatileEmitter(Socket socket) {
      this.socket = socket;
    }

    public void emit(String event, Object... args) {
      ArrayNode payload = Json.array(event, args);
      socket.notifyOutgoing(event, payload);
      socket.client.send(new SocketIoPacket(SocketIoPacketType.EVENT, socket.namespace.name(), payload, -1),
          BroadcastFlags.NONE.withVolatile());
    }
  }

  // ------------------------------------------------------------------ disconnecting

  /**
   * Disconnects this socket from its namespace (the client sees "io server disconnect"). With
   * {@code close}, the whole underlying connection is closed too. Any thread.
   */
  public void disconnect(boolean close) {
    executor().execute(() -> {
      if (!connected) return;
      client.send(new SocketIoPacket(SocketIoPacketType.DISCONNECT, namespace.name(), null, -1), BroadcastFlags.NONE);
      onClose("server namespace disconnect");
      if (close) client.closeConnection();
    });
  }

  // ------------------------------------------------------------------ AdapterSocket

  @Override
  public void deliver(Outgoing packet, BroadcastFlags flags) {
    client.sendOutgoing(packet, flags);
  }

  @Override
  public void expectAck(long ackId, AckListener listener) {
    acks().put(ackId, new PendingAck(listener, Cancellable.NONE));
  }

  // ------------------------------------------------------------------ called by Client (executor)

  void markConnected(boolean recovered) {
    this.recovered = recovered;
    this.connected = true;
  }

  void onEvent(SocketIoPacket packet) {
    if (!connected) return;
    ArrayNode payload = (ArrayNode) packet.data();
    JsonNode name = payload.get(0);
    String event = name.isTextual() ? name.textValue() : name.asText();
    Args args = new Args(payload, 1);
    Ack ack = packet.ackId() >= 0 ? new OnceAck(packet.ackId()) : Ack.NONE;
    runPacketMiddlewares(0, event, args, () -> dispatch(event, args, ack));
  }

  private void runPacketMiddlewares(int index, String event, Args args, Runnable done) {
    Object[] chain = middlewares;
    if (index >= chain.length) {
      done.run();
      return;
    }
    PacketMiddleware m = (PacketMiddleware) chain[index];
    java.util.concurrent.atomic.AtomicBoolean called = new java.util.concurrent.atomic.AtomicBoolean();
    try {
      m.handle(event, args, new PacketMiddleware.Next() {
        @Override
        public void proceed() {
          if (called.compareAndSet(false, true)) {
            executor().execute(() -> {
              if (connected) runPacketMiddlewares(index + 1, event, args, done);
            });
          }
        }

        @Override
        public void fail(Exception error) {
          if (called.compareAndSet(false, true)) executor().execute(() -> reportError(error));
        }
      });
    } catch (RuntimeException e) {
      if (called.compareAndSet(false, true)) reportError(e);
    }
  }

  @SuppressWarnings("unchecked")
  private void reportError(Exception error) {
    Object[] listeners = errorListeners;
    if (listeners.length == 0) {
      LOG.log(Level.FINE, "packet middleware refused an event: {0}", error.getMessage());
      return;
    }
    for (Object l : listeners) {
      try {
        ((java.util.function.Consumer<Exception>) l).accept(error);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "error listener failed", e);
      }
    }
  }

  private void dispatch(String event, Args args, Ack ack) {
    for (Object l : anyIncoming) {
      try {
        ((AnyListener) l).on(event, args);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "onAny listener failed", e);
      }
    }
    // A linear scan: a socket has a handful of handlers, and this is cheaper than a hash look-up
    // of the event name at that size. Registration order is kept within one event.
    Object[] all = handlers;
    for (int i = 0; i < all.length; i += 2) {
      if (!event.equals(all[i])) continue;
      try {
        ((EventHandler) all[i + 1]).handle(args, ack);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "handler for event '" + event + "' failed", e);
      }
    }
  }

  /** A client's ACK: runs the waiting callback once; unknown ids are ignored (hostile D89). */
  void onAck(SocketIoPacket packet) {
    Map<Long, PendingAck> waiting = acks;
    PendingAck pending = waiting == null ? null : waiting.remove(packet.ackId());
    if (pending == null) {
      LOG.log(Level.FINE, "ack for an unknown id ignored");
      return;
    }
    pending.timer.cancel();
    try {
      pending.listener.onAck(id, packet.data());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ack callback failed", e);
    }
  }

  /** Executor: the one way a socket ends. Idempotent. */
  void onClose(String reason) {
    if (!connected) return;
    for (Object l : disconnecting) safely(l, reason);
    namespace.server().onSocketClosing(this, reason);
    namespace.adapter().delAll(id);
    namespace.remove(this);
    client.remove(this);
    connected = false;
    // hostile-inputs D92: nothing waits for ever on a client that is gone.
    Map<Long, PendingAck> waiting = acks;
    if (waiting != null) {
      List<PendingAck> pending = new ArrayList<>(waiting.values());
      waiting.clear();
      for (PendingAck p : pending) {
        p.timer.cancel();
        p.listener.onAck(id, null);
      }
    }
    for (Object l : disconnected) safely(l, reason);
  }

  @SuppressWarnings("unchecked")
  private static void safely(Object listener, String reason) {
    try {
      ((java.util.function.Consumer<String>) listener).accept(reason);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "disconnect listener failed", e);
    }
  }

  /** Sends the ACK for one incoming event at most once (hostile-inputs D91). */
  private final class OnceAck implements Ack {
    private final long ackId;
    private final java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();

    OnceAck(long ackId) {
      this.ackId = ackId;
    }

    @Override
    public void send(Object... args) {
      if (!sent.compareAndSet(false, true)) return;
      client.send(new SocketIoPacket(SocketIoPacketType.ACK, namespace.name(), Json.array(null, args), ackId),
          BroadcastFlags.NONE);
    }

    @Override
    public boolean isRequested() {
      return true;
    }
  }

  @Override
  public String toString() {
    return "Socket{" + namespace.name() + " " + id + "}";
  }
}
