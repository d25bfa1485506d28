package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.AckSink;
import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.SocketDetails;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
  /** Its timeout: the one given to {@link #timeout}; empty: the server's {@code ackTimeout}, if any. */
  private final BroadcastFlags flags;

  private BroadcastOperator(List<Namespace> namespaces, Set<String> rooms, Set<String> except, BroadcastFlags flags) {
    this.namespaces = namespaces;
    this.rooms = rooms;
    this.except = except;
    this.flags = flags;
  }

  static BroadcastOperator of(List<Namespace> namespaces) {
    return new BroadcastOperator(List.copyOf(namespaces), Set.of(), Set.of(), BroadcastFlags.NONE);
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
    return new BroadcastOperator(namespaces, plus(this.rooms, rooms), except, flags);
  }

  /** The same as {@link #to}. */
  @Override
  public BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Excludes members of {@code rooms} (a socket id is its own room). */
  @Override
  public BroadcastOperator except(String... rooms) {
    return new BroadcastOperator(namespaces, this.rooms, plus(except, rooms), flags);
  }

  /** Packets may be dropped for clients that are not ready to receive them (Node's {@code volatile}). */
  @Override
  public BroadcastOperator asVolatile() {
    return new BroadcastOperator(namespaces, rooms, except, flags.withVolatile());
  }

  /**
   * Whether the packet may be compressed (default true): false sends it uncompressed over a
   * WebSocket with permessage-deflate, and a polling response of such packets only is not gzipped.
   */
  @Override
  public BroadcastOperator compress(boolean compress) {
    return new BroadcastOperator(namespaces, rooms, except, flags.withCompress(compress));
  }

  /** This server only: the adapter neither tells nor asks the other servers of a cluster. */
  @Override
  public BroadcastOperator local() {
    return new BroadcastOperator(namespaces, rooms, except, flags.withLocal());
  }

  /** How long {@link #emitWithAck} (and, in a cluster, {@link #fetchSockets}) waits for the answers. */
  @Override
  public BroadcastOperator timeout(Duration timeout) {
    return new BroadcastOperator(namespaces, rooms, except, flags.withTimeout(Objects.requireNonNull(timeout, "timeout")));
  }

  private BroadcastOptions options() {
    return new BroadcastOptions(rooms, except, flags);
  }

  /**
   * Sends the event to every selected socket, through each namespace's adapter: encoded once per
   * namespace, and, unless {@link #local}, passed to the other servers of a cluster. With
   * connection state recovery on, the adapter appends an offset and keeps the packet (unless it
   * is volatile).
   */
  @Override
  public void emit(String event, Object... args) {
    ArrayNode payload = Json.array(event, args);
    BroadcastOptions options = options();
    for (Namespace ns : namespaces) {
      ns.adapter().broadcast(new SocketIoPacket(SocketIoPacketType.EVENT, ns.name(), payload, -1), options);
    }
  }

  /**
   * Sends the event to every selected socket and completes with all their answers, in arrival
   * order. Across a cluster it waits, as Node's broadcast operator does, until every server of
   * the namespace ({@link dev.switchboard.socketio.adapter.Adapter#serverCount()}; one when
   * {@link #local}) has said how many clients it sent to, and that many answers have come. It
   * ends exceptionally, with the answers that did arrive, when
   * <ul>
   *   <li>the timeout ({@link #timeout} or the server's {@code ackTimeout}) runs out first:
   *       {@link AckTimeoutException}, naming the silent sockets of this server and counting the
   *       missing answers of all ({@link AckException#missingCount()});</li>
   *   <li>every target has answered or disconnected and some target of this server disconnected:
   *       {@link AckDisconnectedException} (without a timeout it would otherwise wait for
   *       ever);</li>
   *   <li>the adapter could not count the servers: its exception.</li>
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
    Optional<Duration> timeout = flags.timeout().isPresent() ? flags.timeout() : server.options().ackTimeout();
    BroadcastOptions options = new BroadcastOptions(rooms, except,
        timeout.isPresent() ? flags.withTimeout(timeout.get()) : flags);
    AckCollector collector = new AckCollector(server.completions(), namespaces.size());
    ArrayNode payload = Json.array(event, args);
    timeout.ifPresent(t -> collector.timer = server.scheduler().schedule(t, collector::timeOut));
    for (Namespace ns : namespaces) {
      Adapter adapter = ns.adapter();
      collector.expect(ns, adapter.sockets(options));
      SocketIoPacket packet = new SocketIoPacket(SocketIoPacketType.EVENT, ns.name(), payload, -1);
      collector.onEnd(adapter.broadcastWithAck(packet, options, collector::clientCount, collector));
      // Node's broadcast operator counts every server even for a local broadcast, which then
      // waits for servers that were never asked; here a local one counts this server only.
      CompletableFuture<Integer> servers = flags.local() ? null : adapter.serverCount();
      if (servers == null) collector.serverCount(1, null);
      else if (servers.isDone() && !servers.isCompletedExceptionally()) collector.serverCount(servers.join(), null);
      else servers.whenComplete(collector::serverCount); // in memory the count is known: no dependent stage
    }
    return collector.result;
  }

  /**
   * The answers to one broadcast with ack, as they come: it completes when every namespace's
   * adapter has said how many servers there are, that many servers have said how many clients
   * they sent to, and each of those clients has answered (or, on this server, disconnected) —
   * Node's {@code checkCompleteness} — or when the timer fires. Whatever ends it hands the
   * completion to the server's worker pool and tells each adapter to forget the request.
   *
   * <p>Threading: answers arrive on the targets' executors (local) or the adapters' completion
   * executors (remote), counts on the broadcasting thread or those executors, the timeout on the
   * timer thread; state is guarded by this.
   */
  private static final class AckCollector implements AckSink {
    final CompletableFuture<List<Args>> result = new CompletableFuture<>();
    private final Executor completions;
    private final List<Args> answers = new ArrayList<>();
    /** Sockets of this server selected that have neither answered nor disconnected. */
    private final Set<String> waiting = new LinkedHashSet<>();
    private final Set<String> disconnected = new LinkedHashSet<>();
    private final List<Namespace> namespaces = new ArrayList<>();
    /** What each adapter wants to hear when the collection is over; null while none wants anything. */
    private List<Cancellable> onEnd;
    /** Namespaces whose adapter has not yet said how many servers it spans. */
    private int serverCountsPending;
    /** Servers of every namespace that are expected to report a client count. */
    private int serversExpected;
    private int serversReported;
    private int clientsExpected;
    private int finished;
    private boolean done;
    /** Set before the first broadcast; cancelled by whatever ends the collection. */
    volatile Cancellable timer = Cancellable.NONE;

    AckCollector(Executor completions, int namespaces) {
      this.completions = completions;
      this.serverCountsPending = namespaces;
    }

    synchronized void expect(Namespace ns, Set<String> ids) {
      namespaces.add(ns);
      waiting.addAll(ids);
    }

    void onEnd(Cancellable forget) {
      if (forget == Cancellable.NONE) return; // the in-memory adapter keeps nothing
      boolean over;
      synchronized (this) {
        over = done;
        if (!over) {
          if (onEnd == null) onEnd = new ArrayList<>(1);
          onEnd.add(forget);
        }
      }
      if (over) forget.cancel();
    }

    /** One namespace's adapter counted its servers (or failed to). */
    void serverCount(Integer servers, Throwable error) {
      if (error != null) {
        fail(error instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : error);
        return;
      }
      synchronized (this) {
        serversExpected += servers;
        serverCountsPending--;
      }
      completeIfAllIn();
    }

    /** One server sent the packet to {@code count} of its clients. */
    void clientCount(int count) {
      synchronized (this) {
        clientsExpected += count;
        serversReported++;
      }
      completeIfAllIn();
    }

    @Override
    public void onAck(String socketId, ArrayNode args) {
      synchronized (this) {
        if (done) return;
        answers.add(new Args(args, 0));
        if (socketId != null) waiting.remove(socketId);
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
        if (done || serverCountsPending > 0 || serversReported < serversExpected || finished < clientsExpected) return;
        done = true;
        List<Args> got = List.copyOf(answers);
        if (disconnected.isEmpty()) {
          completion = () -> result.complete(got);
        } else {
          AckDisconnectedException e = new AckDisconnectedException(got, disconnected);
          completion = () -> result.completeExceptionally(e);
        }
      }
      end();
      completions.execute(completion);
    }

    private void fail(Throwable error) {
      synchronized (this) {
        if (done) return;
        done = true;
      }
      end();
      completions.execute(() -> result.completeExceptionally(error));
    }

    /** After {@code done} was set: the timer and the adapters' requests are no longer needed. */
    private void end() {
      timer.cancel();
      List<Cancellable> forget;
      synchronized (this) {
        forget = onEnd;
        onEnd = null;
      }
      if (forget != null) for (Cancellable c : forget) c.cancel();
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
        e = new AckTimeoutException(answers, missing, Math.max(missing.size(), clientsExpected - answers.size()));
        silent = new ArrayList<>(waiting);
      }
      completions.execute(() -> {
        end();
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

  /**
   * The selected sockets of every server of the cluster ({@link #local}: of this one), through each
   * namespace's adapter: this server's as the live {@link Socket}s, the others' as snapshots
   * whose actions reach them where they are. In memory it completes at once; across a cluster when
   * every server has answered, or exceptionally after the timeout ({@link #timeout}, or the
   * adapter's own) with its {@code ClusterRequestTimeoutException}.
   *
   * <pre>{@code
   * io.in("room1").fetchSockets().thenAccept(sockets -> sockets.forEach(s -> s.emit("hello")));
   * }</pre>
   */
  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    BroadcastOptions options = options();
    CompletableFuture<List<RemoteSocket>> all = CompletableFuture.completedFuture(List.of());
    for (Namespace ns : namespaces) {
      CompletableFuture<List<RemoteSocket>> these = ns.adapter().fetchSockets(options).thenApply(details -> {
        List<RemoteSocket> out = new ArrayList<>(details.size());
        for (SocketDetails d : details) out.add(d instanceof LocalSocketDetails l ? l.socket : new OtherServerSocket(ns, d));
        return out;
      });
      all = namespaces.size() == 1 ? these : all.thenCombine(these, (a, b) -> {
        List<RemoteSocket> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
      });
    }
    return all;
  }

  private static Set<String> roomSet(String[] rooms) {
    return Set.copyOf(java.util.Arrays.asList(rooms));
  }

  /**
   * Makes the selected sockets join {@code rooms}: this server's at once, the other servers' (unless
   * {@link #local}) when their adapters receive it.
   */
  @Override
  public void socketsJoin(String... rooms) {
    Set<String> toJoin = roomSet(rooms);
    BroadcastOptions options = options();
    for (Namespace ns : namespaces) ns.adapter().addSockets(options, toJoin);
  }

  /** Makes the selected sockets leave {@code rooms}, here at once, elsewhere as {@link #socketsJoin}. */
  @Override
  public void socketsLeave(String... rooms) {
    Set<String> toLeave = roomSet(rooms);
    BroadcastOptions options = options();
    for (Namespace ns : namespaces) ns.adapter().delSockets(options, toLeave);
  }

  /**
   * Disconnects the selected sockets (and their connections, with {@code close}), here and (unless
   * {@link #local}) on the other servers.
   */
  @Override
  public void disconnectSockets(boolean close) {
    BroadcastOptions options = options();
    for (Namespace ns : namespaces) ns.adapter().disconnectSockets(options, close);
  }

  /** {@code disconnectSockets(false)}, Node's default. */
  @Override
  public void disconnectSockets() {
    disconnectSockets(false);
  }
}
