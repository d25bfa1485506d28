package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable description of "who gets this": rooms to include, rooms (or socket ids) to
 * exclude, and flags. Every modifier returns a new operator, so one can be kept and reused.
 *
 * <pre>{@code
 * io.to("room1").to("room2").except("room3").emit("news", item);
 * io.timeout(Duration.ofSeconds(5)).emitWithAck("ping")
 *     .whenComplete((answers, err) -> ...); // err: AckTimeoutException with the missing ids
 * }</pre>
 */
public final class BroadcastOperator {
  private final List<Namespace> namespaces;
  private final Set<String> rooms;
  private final Set<String> except;
  private final BroadcastFlags flags;
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

  /** Also targets members of {@code rooms}. */
  public BroadcastOperator to(String... rooms) {
    return new BroadcastOperator(namespaces, plus(this.rooms, rooms), except, flags, timeout);
  }

  public BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Excludes members of {@code rooms} (a socket id is its own room). */
  public BroadcastOperator except(String... rooms) {
    return new BroadcastOperator(namespaces, this.rooms, plus(except, rooms), flags, timeout);
  }

  /** Packets may be dropped for clients that are not ready to receive them. */
  public BroadcastOperator volatileFlag() {
    return new BroadcastOperator(namespaces, rooms, except, flags.withVolatile(), timeout);
  }

  public BroadcastOperator compress(boolean compress) {
    return new BroadcastOperator(namespaces, rooms, except, flags.withCompress(compress), timeout);
  }

  /** This process only (always true of the in-memory adapter). */
  public BroadcastOperator local() {
    return new BroadcastOperator(namespaces, rooms, except, flags.withLocal(), timeout);
  }

  /** How long {@link #emitWithAck} waits for the answers. */
  public BroadcastOperator timeout(Duration timeout) {
    return new BroadcastOperator(namespaces, rooms, except, flags, timeout);
  }

  private BroadcastOptions options() {
    return new BroadcastOptions(rooms, except, flags);
  }

  /** Sends the event to every selected socket; encoded once per namespace. */
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
   * Sends the event to every selected socket and completes with all their answers. With a
   * timeout, it fails with {@link AckTimeoutException} carrying the answers received and the ids
   * of the sockets that did not answer.
   */
  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    // A parent namespace with no child yet selects nobody: there is no answer to wait for.
    if (namespaces.isEmpty()) return CompletableFuture.completedFuture(List.of());
    CompletableFuture<List<Args>> result = new CompletableFuture<>();
    ArrayNode payload = Json.array(event, args);
    List<Args> responses = Collections.synchronizedList(new ArrayList<>());
    Set<String> pending = Collections.synchronizedSet(new HashSet<>());
    // Complete only once every namespace has said how many sockets it asked (a parent namespace
    // broadcasts through several), and then only when that many answers are in.
    AtomicInteger namespacesLeft = new AtomicInteger(namespaces.size());
    AtomicInteger expected = new AtomicInteger();
    Runnable checkDone = () -> {
      if (namespacesLeft.get() == 0 && responses.size() >= expected.get() && !result.isDone()) {
        result.complete(List.copyOf(responses));
      }
    };
    Duration t = timeout != null ? timeout : firstServer().options().ackTimeout();
    Cancellable timer = Cancellable.NONE;
    if (t != null) {
      timer = firstServer().scheduler().schedule(t, () -> {
        if (!result.isDone()) result.completeExceptionally(new AckTimeoutException(responses, Set.copyOf(pending)));
      });
    }
    Cancellable finalTimer = timer;
    result.whenComplete((r, e) -> finalTimer.cancel());
    for (Namespace ns : namespaces) {
      BroadcastOptions opts = options();
      pending.addAll(ns.adapter().sockets(opts));
      SocketIoPacket packet = new SocketIoPacket(SocketIoPacketType.EVENT, ns.name(), payload, -1);
      ns.adapter().broadcastWithAck(packet, opts,
          count -> {
            expected.addAndGet(count);
            namespacesLeft.decrementAndGet();
            checkDone.run();
          },
          (socketId, answer) -> {
            if (answer instanceof ArrayNode arr && pending.remove(socketId)) {
              responses.add(new Args(arr, 0));
              checkDone.run();
            }
          });
    }
    return result;
  }

  private SocketIoServer firstServer() {
    if (namespaces.isEmpty()) throw new IllegalStateException("no namespace to broadcast to");
    return namespaces.get(0).server();
  }

  /** The selected sockets of this process. */
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
  public void socketsJoin(String... rooms) {
    for (Socket s : fetchSockets()) s.join(rooms);
  }

  /** Makes the selected sockets leave {@code rooms}. */
  public void socketsLeave(String... rooms) {
    for (Socket s : fetchSockets()) for (String r : rooms) s.leave(r);
  }

  /** Disconnects the selected sockets (and their connections, with {@code close}). */
  public void disconnectSockets(boolean close) {
    for (Socket s : fetchSockets()) s.disconnect(close);
  }
}
