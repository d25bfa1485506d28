package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.AckSink;
import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.adapter.AdapterSocket;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.Outgoing;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
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
public final class Socket implements AdapterSocket, RemoteSocket {
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
  /** Handlers and hooks: one immutable value, replaced under this socket's monitor, read without it. */
  private volatile SocketListeners listeners = SocketListeners.NONE;
  /**
   * Acks we wait for, by id; created by the first emit that expects one. Any thread may add
   * (broadcasts); the executor completes.
   */
  private volatile Map<Long, PendingAck> acks;

  private record PendingAck(AckSink listener, Cancellable timer) {}

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

  /** The namespace this socket is connected to. */
  public Namespace namespace() {
    return namespace;
  }

  /** What the client presented when it connected (Node's {@code socket.handshake}). */
  @Override
  public Handshake handshake() {
    return handshake;
  }

  /**
   * Application data attached to this socket (Node's {@code socket.data}); thread-safe. Other
   * servers of a cluster see it as JSON ({@code fetchSockets}), so values Jackson can write travel.
   */
  @Override
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

  /** Whether the socket is connected: from the CONNECT answer until it starts disconnecting. */
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
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(handler, "handler");
    synchronized (this) {
      listeners = listeners.on(event, handler);
    }
    return this;
  }

  /** Removes a handler added with {@link #on} (the first registration of it, if added twice). */
  public Socket off(String event, EventHandler handler) {
    synchronized (this) {
      listeners = listeners.off(event, handler);
    }
    return this;
  }

  /** Sees every incoming event before its handlers. */
  public Socket onAny(AnyListener listener) {
    synchronized (this) {
      listeners = listeners.with(listeners.hooks.plusAnyIncoming(listener));
    }
    return this;
  }

  /** Sees every event this socket emits. */
  public Socket onAnyOutgoing(AnyListener listener) {
    synchronized (this) {
      listeners = listeners.with(listeners.hooks.plusAnyOutgoing(listener));
    }
    return this;
  }

  /** Adds a per-packet middleware (Node's {@code socket.use}); see {@link PacketMiddleware} for the chain's rules. */
  public Socket use(PacketMiddleware middleware) {
    synchronized (this) {
      listeners = listeners.with(listeners.hooks.plusMiddleware(middleware));
    }
    return this;
  }

  /** Runs when the socket starts disconnecting, while it is still in its rooms. */
  public Socket onDisconnecting(Consumer<DisconnectReason> listener) {
    synchronized (this) {
      listeners = listeners.with(listeners.hooks.plusDisconnecting(listener));
    }
    return this;
  }

  /** Runs once the socket is disconnected, with the reason (its wire name is Node's string). */
  public Socket onDisconnect(Consumer<DisconnectReason> listener) {
    synchronized (this) {
      listeners = listeners.with(listeners.hooks.plusDisconnected(listener));
    }
    return this;
  }

  /** Errors from per-packet middlewares (Node's socket "error" event). */
  public Socket onError(Consumer<Exception> listener) {
    synchronized (this) {
      listeners = listeners.with(listeners.hooks.plusError(listener));
    }
    return this;
  }

  // ------------------------------------------------------------------ emitting

  /**
   * Sends an event to this client. Arguments are converted to JSON; {@code byte[]} become binary
   * attachments. Any thread.
   */
  @Override
  public Socket emit(String event, Object... args) {
    send(event, args, -1);
    return this;
  }

  /**
   * Sends an event and waits for the client's acknowledgement, up to the server's
   * {@code ackTimeout} if it has one. The future completes on this socket's executor: with the
   * answer, with {@link AckTimeoutException}, or with {@link AckDisconnectedException} when the
   * socket disconnects first (so it never waits for ever); at once with
   * {@link IllegalStateException} when the socket is not connected.
   *
   * <pre>{@code socket.emitWithAck("question", 42).thenAccept(answer -> ...);}</pre>
   */
  public CompletableFuture<Args> emitWithAck(String event, Object... args) {
    return emitWithAck(namespace.server().options().ackTimeout().orElse(null), event, args);
  }

  /** A view of this socket whose {@code emitWithAck} fails after {@code timeout}. */
  public TimedEmitter timeout(Duration timeout) {
    return new TimedEmitter(this, Objects.requireNonNull(timeout, "timeout"));
  }

  /** A view of a socket whose {@code emitWithAck} has its own timeout: see {@link Socket#timeout}. */
  public static final class TimedEmitter {
    private final Socket socket;
    private final Duration timeout;

    TimedEmitter(Socket socket, Duration timeout) {
      this.socket = socket;
      this.timeout = timeout;
    }

    /** {@link Socket#emitWithAck}, failing with {@link AckTimeoutException} after this view's timeout. */
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
    register(ackId, new OwnAck(result), timer);
    send(event, args, ackId);
    return result;
  }

  /** How this socket's own {@code emitWithAck} ends: the answer, or its disconnection. */
  private final class OwnAck implements AckSink {
    private final CompletableFuture<Args> result;

    OwnAck(CompletableFuture<Args> result) {
      this.result = result;
    }

    @Override
    public void onAck(String socketId, ArrayNode args) {
      result.complete(new Args(args, 0));
    }

    @Override
    public void onDisconnect(String socketId) {
      result.completeExceptionally(new AckDisconnectedException(List.of(), Set.of(socketId)));
    }
  }

  /**
   * Any thread: waits for the ack {@code ackId}. Whoever removes the entry tells the listener —
   * the answer, the timer, {@link #onClose} — so it hears exactly once; and an entry added after
   * {@code onClose} drained the map (this socket disconnected meanwhile) is taken back here.
   */
  private void register(long ackId, AckSink listener, Cancellable timer) {
    Map<Long, PendingAck> waiting = acks();
    waiting.put(ackId, new PendingAck(listener, timer));
    if (!connected && waiting.remove(ackId) != null) {
      timer.cancel();
      executor().execute(() -> listener.onDisconnect(id));
    }
  }

  /** How many acks this socket still waits for (for tests: nothing is kept after the end of a wait). */
  int pendingAcks() {
    Map<Long, PendingAck> waiting = acks;
    return waiting == null ? 0 : waiting.size();
  }

  /** Any thread: stops waiting for every ack {@code listener} waits for (a broadcast that timed out). */
  void forget(AckSink listener) {
    Map<Long, PendingAck> waiting = acks;
    if (waiting != null) waiting.values().removeIf(p -> p.listener == listener);
  }

  private void send(String event, Object[] args, long ackId) {
    ArrayNode payload = Json.array(event, args);
    notifyOutgoing(event, payload);
    SocketIoPacket packet = new SocketIoPacket(SocketIoPacketType.EVENT, namespace.name(), payload, ackId);
    if (ackId < 0 && namespace.server().recoveryOn()) {
      // Node routes plain emits through the adapter when recovery is on — a broadcast to the
      // socket's own room — so that the packet gets an offset and is kept for a reconnecting client.
      namespace.adapter().broadcast(packet, new BroadcastOptions(Set.of(id), Set.of(), BroadcastFlags.NONE));
      return;
    }
    client.send(packet, BroadcastFlags.NONE);
  }

  private void notifyOutgoing(String event, ArrayNode payload) {
    List<AnyListener> outgoing = listeners.hooks.anyOutgoing;
    if (outgoing.isEmpty()) return;
    Args a = new Args(payload, 1);
    for (int i = 0; i < outgoing.size(); i++) {
      try {
        outgoing.get(i).on(event, a);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "onAnyOutgoing listener failed", e);
      }
    }
  }

  // ------------------------------------------------------------------ rooms and broadcasting

  /** Joins rooms (once each, however often named). Any thread. */
  @Override
  public Socket join(String... rooms) {
    return join(Set.copyOf(java.util.Arrays.asList(rooms)));
  }

  Socket join(Set<String> rooms) {
    if (connected) namespace.adapter().addAll(id, rooms);
    return this;
  }

  /** Leaves rooms. Any thread. */
  @Override
  public Socket leave(String... rooms) {
    Adapter adapter = namespace.adapter();
    for (String room : rooms) adapter.del(id, room);
    return this;
  }

  Socket leave(Set<String> rooms) {
    Adapter adapter = namespace.adapter();
    for (String room : rooms) adapter.del(id, room);
    return this;
  }

  /** The rooms this socket is in, including its own id-room. */
  @Override
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
    return namespace.operator().except(id);
  }

  /**
   * A view of this socket whose {@code emit} is volatile (Node's {@code socket.volatile}): the
   * packet is dropped if the client cannot take it now, and is not kept for recovery.
   *
   * <pre>{@code socket.asVolatile().emit("position", x, y);}</pre>
   */
  public VolatileEmitter asVolatile() {
    return new VolatileEmitter(this);
  }

  /** {@code socket.asVolatile().emit(...)}: see {@link Socket#asVolatile()}. */
  public static final class VolatileEmitter {
    private final Socket socket;

    VolatileEmitter(Socket socket) {
      this.socket = socket;
    }

    /** Sends the event to this client unless it is busy. Any thread. */
    public void emit(String event, Object... args) {
      ArrayNode payload = Json.array(event, args);
      socket.notifyOutgoing(event, payload);
      socket.client.send(new SocketIoPacket(SocketIoPacketType.EVENT, socket.namespace.name(), payload, -1),
          BroadcastFlags.NONE.withVolatile());
    }
  }

  // ------------------------------------------------------------------ disconnecting

  /**
   * Disconnects this socket from its namespace (the client sees "io server disconnect"); the
   * Engine.IO connection stays open for the client's other namespaces. Any thread.
   */
  @Override
  public void disconnect() {
    disconnect(false);
  }

  /**
   * Disconnects this socket from its namespace (the client sees "io server disconnect"). With
   * {@code close}, the whole underlying connection is closed too. Any thread.
   */
  @Override
  public void disconnect(boolean close) {
    executor().execute(() -> {
      if (!connected) return;
      client.send(new SocketIoPacket(SocketIoPacketType.DISCONNECT, namespace.name(), null, -1), BroadcastFlags.NONE);
      onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
      if (close) client.closeConnection(ClientCloseCause.SERVER_DISCONNECT);
    });
  }

  // ------------------------------------------------------------------ AdapterSocket (for adapters only)

  /** For adapters: queues a packet already encoded for many recipients. Applications use {@link #emit}. */
  @Override
  public void deliver(Outgoing packet, BroadcastFlags flags) {
    client.sendOutgoing(packet, flags);
  }

  /** For adapters: a broadcast's ack id this socket's client will answer. Applications use {@link #emitWithAck}. */
  @Override
  public void expectAck(long ackId, AckSink listener) {
    register(ackId, listener, Cancellable.NONE);
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
    List<PacketMiddleware> chain = listeners.hooks.middlewares;
    if (chain.isEmpty()) {
      dispatch(event, args, ack);
      return;
    }
    new MiddlewareChain<PacketMiddleware, Exception>(chain, executor(), this::isConnected,
        (step, link) -> step.handle(event, args, new PacketNext(link)),
        e -> e,
        new MiddlewareChain.Outcome<>() {
          @Override
          public void accepted() {
            dispatch(event, args, ack);
          }

          @Override
          public void refused(Exception error) {
            reportError(error);
          }
        }).start();
  }

  /** What a per-packet middleware answers through: one step's link of the chain. */
  private static final class PacketNext implements PacketMiddleware.Next {
    private final MiddlewareChain.Link<Exception> link;

    PacketNext(MiddlewareChain.Link<Exception> link) {
      this.link = link;
    }

    @Override
    public void proceed() {
      link.proceed();
    }

    @Override
    public void fail(Exception error) {
      link.fail(error == null ? new Exception("refused by a packet middleware") : error);
    }
  }

  private void reportError(Exception error) {
    List<Consumer<Exception>> errors = listeners.hooks.errors;
    if (errors.isEmpty()) {
      LOG.log(Level.FINE, "packet middleware refused an event: {0}", error.getMessage());
      return;
    }
    for (int i = 0; i < errors.size(); i++) {
      try {
        errors.get(i).accept(error);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "error listener failed", e);
      }
    }
  }

  /** Executor: the onAny listeners, then the handlers of {@code event}, each failure logged and contained. */
  private void dispatch(String event, Args args, Ack ack) {
    SocketListeners l = listeners;
    List<AnyListener> any = l.hooks.anyIncoming;
    for (int i = 0; i < any.size(); i++) {
      try {
        any.get(i).on(event, args);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "onAny listener failed", e);
      }
    }
    // A linear scan: a socket has a handful of handlers, and this is cheaper than a hash look-up
    // of the event name at that size. Registration order is kept within one event.
    String[] events = l.events;
    EventHandler[] handlers = l.handlers;
    for (int i = 0; i < events.length; i++) {
      if (!event.equals(events[i])) continue;
      try {
        handlers[i].handle(args, ack);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "handler for event '" + event + "' failed", e);
      }
    }
  }

  /** A client's ACK: runs the waiting callback once; unknown ids are ignored (hostile-inputs.md#D89). */
  void onAck(SocketIoPacket packet) {
    Map<Long, PendingAck> waiting = acks;
    PendingAck pending = waiting == null ? null : waiting.remove(packet.ackId());
    if (pending == null) {
      LOG.log(Level.FINE, "ack for an unknown id ignored");
      return;
    }
    pending.timer.cancel();
    try {
      pending.listener.onAck(id, (ArrayNode) packet.data()); // the decoder admits arrays only
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ack callback failed", e);
    }
  }

  /** Executor: the one way a socket ends. Idempotent. */
  void onClose(DisconnectReason reason) {
    if (!connected) return;
    notifyDisconnect(listeners.hooks.disconnecting, reason);
    namespace.server().onSocketClosing(this, reason);
    namespace.adapter().delAll(id);
    namespace.remove(this);
    client.remove(this);
    connected = false;
    // hostile-inputs.md#D92: nothing waits for ever on a client that is gone.
    // Each entry is removed one by one: register() may take one back concurrently, and only the
    // remover tells the listener.
    Map<Long, PendingAck> waiting = acks;
    if (waiting != null) {
      for (Long ackId : waiting.keySet()) {
        PendingAck p = waiting.remove(ackId);
        if (p == null) continue;
        p.timer.cancel();
        try {
          p.listener.onDisconnect(id);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "ack callback failed", e);
        }
      }
    }
    notifyDisconnect(listeners.hooks.disconnected, reason);
  }

  private static void notifyDisconnect(List<Consumer<DisconnectReason>> listeners, DisconnectReason reason) {
    for (int i = 0; i < listeners.size(); i++) {
      try {
        listeners.get(i).accept(reason);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "disconnect listener failed", e);
      }
    }
  }

  /** Sends the ACK for one incoming event at most once (hostile-inputs.md#D91). */
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
