package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.AdapterSocket;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An immutable description of "who gets this": rooms to include, rooms (or socket ids) to
 * exclude, and flags. Every modifier returns a new operator, so one can be kept and reused.
 * The server, namespaces and dynamic namespaces hand one out through the same
 * {@link Broadcaster} methods.
 *
 * <pre>{@code
 * io.to("room1").to("room2").except("room3").emit("news", item);
 * io.timeout(Duration.ofSeconds(5)).emitWithAck("ping")
 *     .whenComplete((answers, err) -> ...); // err: AckTimeoutException with the missing ids
 * }</pre>
 */
public final class BroadcastOperator implements Broadcaster {
  private final List<Namespace> namespaces;
  private final Set<String> rooms;
  private final Set<String> except;
  private final BroadcastFlags flags;
  /** Null: the server's {@code ackTimeout}, if any. */
  private final Duration timeout;

  private BroadcastOperator(List<Namespace> namespaces, Set<String> rooms, Set<String> except, BroadcastFlags flags,
      Duration timeout) {
    this.namespaces = namespaces;
    this.rooms = rooms;
    this.except = except;
    this.flags = flags;
    this.timeout = timeout;
  }

  static BroadcastOperator of(List<Namespace> namespaces) {
    return new BroadcastOperator(List.copyOf(namespaces), Set.of(), Set.of(), BroadcastFlags.NONE, null);
  }

  private static Set<String> plus(Set<String> base, String[] more) {
    Set<String> s = new LinkedHashSet<>(base);
    Collections.addAll(s, more);
    return Set.copyOf(s);
  }

  /** Itself: an operator is its own starting point. */
  @Override
  public BroadcastOperator operator() {
    return this;
  }

  /** Also targets members of {@code rooms}. */
  @Override
  public BroadcastOperator to(String... rooms) {
    return new BroadcastOperator(namespaces, plus(this.rooms, rooms), except, flags, timeout);
  }

  /** The same as {@link #to}. */
  @Override
  public BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Excludes members of {@code rooms} (a socket id is its own room). */
  @Override
  public BroadcastOperator except(String... rooms) {
    return new BroadcastOperator(namespaces, this.rooms, plus(except, rooms), flags, timeout);
  }

  /** Packets may be dropped for clients that are not ready to receive them (Node's {@code volatile}). */
  @Override
  public BroadcastOperator asVolatile() {
    return new BroadcastOperator(namespaces, rooms, except, flags.withVolatile(), timeout);
  }

  /** Whether the packet may be compressed: a hint only, as no compression is negotiated. */
  @Override
  public BroadcastOperator compress(boolean compress) {
    return new BroadcastOperator(namespaces, rooms, except, flags.withCompress(compress), timeout);
  }

  /** This process only (always true of the in-memory adapter). */
  @Override
  public BroadcastOperator local() {
    return new BroadcastOperator(namespaces, rooms, except, flags.withLocal(), timeout);
  }

  /** How long {@link #emitWithAck} waits for the answers. */
  @Override
  public BroadcastOperator timeout(Duration timeout) {
    return new BroadcastOperator(namespaces, rooms, except, flags, java.util.Objects.requireNonNull(timeout, "timeout"));
  }

  private BroadcastOptions options() {
    return new BroadcastOptions(rooms, except, flags);
  }

  /** Sends the event to every selected socket; encoded once per namespace. */
  @Override
  public void emit(String event, Object... args) {
    ArrayNode payload = Json.array(event, args);
    for (Namespace ns : namespaces) {
      SocketIoPacket packet = new SocketIoPacket(SocketIoPacketType.EVENT, ns.name(), payload, -1);
      RecoveryStore recovery = ns.server().recovery();
      if (recovery != null && !flags.isVolatile()) recovery.broadcast(ns, packet, options());
      else ns.adapter().broadcast(packet, options());
    }
  }

  /**
   * Sends the event to every selected socket and completes with all their answers, in arrival
   * order. It ends exceptionally, with the answers that did arrive and the ids of the sockets
   * that did not answer, when
   * <ul>
   *   <li>the timeout ({@link #timeout} or the server's {@code ackTimeout}) runs out first:
   *       {@link AckTimeoutException};</li>
   *   <li>every target has answered or disconnected and some disconnected:
   *       {@link AckDisconnectedException} (without a timeout it would otherwise wait for
   *       ever).</li>
   * </ul>
   * Selecting nobody completes at once with no answers. The future completes on the server's
   * worker pool, never on the timer thread or a session's executor, so a dependent stage may
   * block without stalling heartbeats or a client.
   *
   * <pre>{@code
   * io.to("voters").timeout(Duration.ofSeconds(10)).emitWithAck("vote?")
   *     .thenAccept(answers -> tally(answers));
   * }</pre>
   */
  @Override
  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    // A parent namespace with no child yet selects nobody: there is no answer to wait for.
    if (namespaces.isEmpty()) return CompletableFuture.completedFuture(List.of());
    SocketIoServer server = namespaces.get(0).server();
    AckCollector collector = new AckCollector(server.completions(), namespaces.size());
    ArrayNode payload = Json.array(event, args);
    Duration t = timeout != null ? timeout : server.options().ackTimeout().orElse(null);
    if (t != null) collector.timer = server.scheduler().schedule(t, collector::timeOut);
    for (Namespace ns : namespaces) {
      BroadcastOptions opts = options();
      collector.expect(ns, ns.adapter().sockets(opts));
      SocketIoPacket packet = new SocketIoPacket(SocketIoPacketType.EVENT, ns.name(), payload, -1);
      ns.adapter().broadcastWithAck(packet, opts, collector::recipients, collector);
    }
    return collector.result;
  }

  /**
   * The answers to one broadcast with ack, as they come: it completes when every namespace has
   * counted its recipients and each of them has answered or disconnected, or when the timer
   * fires. Whatever ends it hands the completion to the server's worker pool.
   *
   * <p>Threading: answers arrive on the targets' executors, counts on the broadcasting thread,
   * the timeout on the timer thread; state is guarded by this.
   */
  private static final class AckCollector implements AdapterSocket.AckListener {
    final CompletableFuture<List<Args>> result = new CompletableFuture<>();
    private final Executor completions;
    private final List<Args> answers = new ArrayList<>();
    /** Sockets selected that have neither answered nor disconnected. */
    private final Set<String> waiting = new LinkedHashSet<>();
    private final Set<String> disconnected = new LinkedHashSet<>();
    private final List<Namespace> namespaces = new ArrayList<>();
    private int namespacesLeft;
    private int recipients;
    private int finished;
    private boolean done;
    /** Set before the first broadcast; cancelled by whatever ends the collection. */
    volatile Cancellable timer = Cancellable.NONE;

    AckCollector(Executor completions, int namespaces) {
      this.completions = completions;
      this.namespacesLeft = namespaces;
    }

    synchronized void expect(Namespace ns, Set<String> ids) {
      namespaces.add(ns);
      waiting.addAll(ids);
    }

    /** One namespace sent to {@code count} sockets. */
    void recipients(int count) {
      synchronized (this) {
        recipients += count;
        namespacesLeft--;
      }
      completeIfAllIn();
    }

    @Override
    public void onAck(String socketId, ArrayNode args) {
      synchronized (this) {
        if (done) return;
        answers.add(new Args(args, 0));
        waiting.remove(socketId);
        finished++;
      }
      completeIfAllIn();
    }

    @Override
    public void onDisconnect(String socketId) {
      synchronized (this) {
        if (done) return;
        waiting.remove(socketId);
        disconnected.add(socketId);
        finished++;
      }
      completeIfAllIn();
    }

    private void completeIfAllIn() {
      Runnable completion;
      synchronized (this) {
        if (done || namespacesLeft > 0 || finished < recipients) return;
        done = true;
        List<Args> got = List.copyOf(answers);
        if (disconnected.isEmpty()) {
          completion = () -> result.complete(got);
        } else {
          AckDisconnectedException e = new AckDisconnectedException(got, disconnected);
          completion = () -> result.completeExceptionally(e);
        }
      }
      timer.cancel();
      completions.execute(completion);
    }

    /** Timer thread: only takes a snapshot; the sockets are told and the future completed elsewhere. */
    void timeOut() {
      AckTimeoutException e;
      List<String> silent;
      synchronized (this) {
        if (done) return;
        done = true;
        Set<String> missing = new LinkedHashSet<>(waiting);
        missing.addAll(disconnected);
        e = new AckTimeoutException(answers, missing);
        silent = new ArrayList<>(waiting);
      }
      completions.execute(() -> {
        // socket.io's broadcast operator drops the pending callbacks at the timeout, so that
        // sockets that never answer do not keep them (and this collector) for their lifetime.
        for (Namespace ns : namespaces) {
          for (String id : silent) {
            Socket s = ns.sockets().get(id);
            if (s != null) s.forget(this);
          }
        }
        result.completeExceptionally(e);
      });
    }
  }

  /** The selected sockets of this process. */
  @Override
  public List<Socket> fetchSockets() {
    List<Socket> out = new ArrayList<>();
    for (Namespace ns : namespaces) {
      for (String id : ns.adapter().sockets(options())) {
        Socket s = ns.sockets().get(id);
        if (s != null) out.add(s);
      }
    }
    return out;
  }

  /** Makes the selected sockets join {@code rooms}. */
  @Override
  public void socketsJoin(String... rooms) {
    for (Socket s : fetchSockets()) s.join(rooms);
  }

  /** Makes the selected sockets leave {@code rooms}. */
  @Override
  public void socketsLeave(String... rooms) {
    for (Socket s : fetchSockets()) for (String r : rooms) s.leave(r);
  }

  /** Disconnects the selected sockets (and their connections, with {@code close}). */
  @Override
  public void disconnectSockets(boolean close) {
    for (Socket s : fetchSockets()) s.disconnect(close);
  }

  /** {@code disconnectSockets(false)}, Node's default. */
  @Override
  public void disconnectSockets() {
    disconnectSockets(false);
  }
}
