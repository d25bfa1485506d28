package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.protocol.SocketIoParser;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * Rooms kept both ways — room → sockets and socket → rooms — and cleaned eagerly: an empty room
 * is removed at once, so memory follows the live membership (socket.io-adapter {@code _del}).
 * A broadcast is encoded once and the same bytes go to every recipient.
 *
 * <p>With connection state recovery on ({@link AdapterNamespace#maxDisconnectionDuration()}) it is
 * also Node's {@code SessionAwareAdapter}: kept broadcasts get an offset and are remembered, with
 * the sessions of dropped sockets, for that long (and at most {@link #MAX_KEPT_PACKETS} packets).
 *
 * <p>A cluster adapter may extend it, as Node's cluster adapters extend the in-memory one: the
 * membership and {@link #broadcastLocally} are what every node does with its own sockets.
 *
 * <p>Threading: membership is guarded by this; deliveries happen outside the lock.
 */
public class InMemoryAdapter implements Adapter {
  /** The most packets kept for connection state recovery, whatever their age. */
  public static final int MAX_KEPT_PACKETS = 10_000;

  protected final AdapterNamespace namespace;
  /** The namespace's parser, read once: a broadcast is encoded with it, once. */
  private final SocketIoParser parser;
  /** Recovery's packets and sessions; null when recovery is off. */
  private final SessionStore sessions;
  /** Guarded by this. */
  private final Map<String, Set<String>> rooms = new HashMap<>();
  /** Guarded by this. */
  private final Map<String, Set<String>> roomsOfSocket = new HashMap<>();
  /** See {@link #membershipListener}; null (nobody listening) unless a tool asked. */
  private volatile MembershipListener membership;

  /** The adapter of {@code namespace}; {@code InMemoryAdapter::new} is an {@link AdapterFactory}. */
  public InMemoryAdapter(AdapterNamespace namespace) {
    this.namespace = namespace;
    this.parser = namespace.parser();
    this.sessions = namespace.maxDisconnectionDuration()
        .map(d -> new SessionStore(namespace.scheduler(), d)).orElse(null);
  }

  @Override
  public synchronized void addAll(String socketId, Set<String> toJoin) {
    Set<String> mine = roomsOfSocket.computeIfAbsent(socketId, k -> new HashSet<>(4));
    MembershipListener l = membership;
    for (String room : toJoin) {
      if (mine.add(room) && l != null) notify(l, room, socketId, true);
      Set<String> members = rooms.get(room);
      if (members == null) {
        members = new LinkedHashSet<>();
        rooms.put(room, members);
        roomCreated(room, roomsOfSocket.containsKey(room));
      }
      members.add(socketId);
    }
  }

  @Override
  public synchronized void del(String socketId, String room) {
    Set<String> mine = roomsOfSocket.get(socketId);
    if (mine != null) {
      if (mine.remove(room)) notifyLeft(room, socketId);
      if (mine.isEmpty()) roomsOfSocket.remove(socketId);
    }
    removeFromRoom(room, socketId);
  }

  /**
   * Sets the one listener told of every join and leave of this node's sockets (null: none). Off
   * by default: a membership change then costs one read of a volatile field. A tool sets it once,
   * after the adapter is chosen ({@code SocketIoServer.adapter(...)} replaces the adapter, and the
   * listener with it).
   */
  public void membershipListener(MembershipListener listener) {
    membership = listener;
  }

  private void notifyLeft(String room, String socketId) {
    MembershipListener l = membership;
    if (l != null) notify(l, room, socketId, false);
  }

  /** A listener that throws must not leave the membership half changed. */
  private static void notify(MembershipListener l, String room, String socketId, boolean joined) {
    try {
      if (joined) l.joined(room, socketId);
      else l.left(room, socketId);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(InMemoryAdapter.class).warn("membership listener failed", e);
    }
  }

  @Override
  public synchronized void delAll(String socketId) {
    Set<String> mine = roomsOfSocket.remove(socketId);
    if (mine == null) return;
    for (String room : mine) {
      removeFromRoom(room, socketId);
      notifyLeft(room, socketId);
    }
  }

  private void removeFromRoom(String room, String socketId) {
    Set<String> members = rooms.get(room);
    if (members == null) return;
    members.remove(socketId);
    if (members.isEmpty()) {
      rooms.remove(room);
      roomDeleted(room);
    }
  }

  /**
   * A room got its first member on this node (socket.io-adapter's {@code "create-room"} event):
   * nothing here; a cluster adapter that keeps a channel per room (the sharded Redis adapter's
   * dynamic modes) subscribes to it. {@code isSocketId}: the room is the id of a socket of this
   * node (its own room, which every socket joins first).
   *
   * <p>Called with this adapter's monitor held, in the order membership changes, so an override
   * must be quick and must not block (queue a command, do not wait for it) nor call back into
   * anything that takes another lock.
   */
  protected void roomCreated(String room, boolean isSocketId) {}

  /**
   * A room lost its last member on this node (socket.io-adapter's {@code "delete-room"}): nothing
   * here. Same rules as {@link #roomCreated}.
   */
  protected void roomDeleted(String room) {}

  @Override
  public synchronized Set<String> socketRooms(String socketId) {
    Set<String> mine = roomsOfSocket.get(socketId);
    return mine == null ? Set.of() : Set.copyOf(mine);
  }

  @Override
  public synchronized Set<String> rooms() {
    return Set.copyOf(rooms.keySet());
  }

  /**
   * Whether {@code room} has a member on this node, without a copy of anything: what a cluster
   * adapter asks before it decodes a message published for one room (the classic Redis adapter
   * drops the rooms it has no member in, lib/index.ts 210-213).
   */
  protected synchronized boolean hasRoom(String room) {
    return rooms.containsKey(room);
  }

  @Override
  public synchronized Set<String> sockets(BroadcastOptions options) {
    Set<String> out = new LinkedHashSet<>();
    if (options.rooms().isEmpty()) {
      out.addAll(roomsOfSocket.keySet());
    } else {
      for (String room : options.rooms()) {
        Set<String> members = rooms.get(room);
        if (members != null) out.addAll(members);
      }
    }
    for (String room : options.except()) {
      Set<String> members = rooms.get(room);
      if (members != null) out.removeAll(members);
    }
    return out;
  }

  /** The connected sockets selected by {@code options}. */
  protected List<AdapterSocket> select(BroadcastOptions options) {
    if (options.rooms().size() <= 1) {
      // The usual shapes — everyone, or one room, minus the sender's own room — need no copy of
      // the member ids: walk the one source set and skip the excluded (BENCHMARKS.md: the copy
      // was 14 % of a broadcast's allocation).
      synchronized (this) {
        Set<String> source = options.rooms().isEmpty() ? roomsOfSocket.keySet()
            : rooms.getOrDefault(options.rooms().iterator().next(), Set.of());
        Set<String> excluded = excludedLocked(options);
        List<AdapterSocket> out = new ArrayList<>(source.size());
        for (String id : source) {
          if (excluded.contains(id)) continue;
          AdapterSocket s = namespace.socket(id);
          if (s != null) out.add(s);
        }
        return out;
      }
    }
    Set<String> ids = sockets(options);
    List<AdapterSocket> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      AdapterSocket s = namespace.socket(id);
      if (s != null) out.add(s);
    }
    return out;
  }

  private Set<String> excludedLocked(BroadcastOptions options) {
    assert Thread.holdsLock(this);
    if (options.except().isEmpty()) return Set.of();
    if (options.except().size() == 1) return rooms.getOrDefault(options.except().iterator().next(), Set.of());
    Set<String> out = new HashSet<>();
    for (String room : options.except()) {
      Set<String> members = rooms.get(room);
      if (members != null) out.addAll(members);
    }
    return out;
  }

  /**
   * Delivers to the selected sockets of this process; with recovery on, a kept packet
   * ({@link Offsets#isKept}) gets its offset first and is remembered.
   */
  @Override
  public void broadcast(SocketIoPacket packet, BroadcastOptions options) {
    broadcastLocally(sessions == null ? packet : sessions.keep(packet, options), options);
  }

  /**
   * Encodes {@code packet} once and delivers it to the selected sockets of this process, as it is:
   * what a cluster adapter does with a broadcast from another node (which carries its offset
   * already, if any).
   */
  protected void broadcastLocally(SocketIoPacket packet, BroadcastOptions options) {
    List<AdapterSocket> targets = select(options);
    Outgoing encoded = new Outgoing(parser.encode(packet), targets.size() > 1, options.flags().compress());
    for (AdapterSocket s : targets) s.deliver(encoded, options.flags());
  }

  @Override
  public Cancellable broadcastWithAck(SocketIoPacket packet, BroadcastOptions options, IntConsumer clientCount,
      AckSink acks) {
    // One id serves every recipient: the namespace counter never repeats it (socket.io-adapter).
    long ackId = namespace.nextAckId();
    SocketIoPacket withId = new SocketIoPacket(packet.type(), packet.namespace(), packet.data(), ackId);
    List<AdapterSocket> targets = select(options);
    Outgoing encoded = new Outgoing(parser.encode(withId), targets.size() > 1, options.flags().compress());
    for (AdapterSocket s : targets) s.expectAck(ackId, acks);
    clientCount.accept(targets.size());
    for (AdapterSocket s : targets) s.deliver(encoded, options.flags());
    return Cancellable.NONE;
  }

  /** The selected sockets of this process, at once. */
  @Override
  public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
    List<AdapterSocket> targets = select(options);
    List<SocketDetails> out = new ArrayList<>(targets.size());
    for (AdapterSocket s : targets) {
      SocketDetails d = namespace.details(s.id());
      if (d != null) out.add(d);
    }
    return CompletableFuture.completedFuture(out);
  }

  /** Each selected socket of this process joins {@code rooms}. */
  @Override
  public void addSockets(BroadcastOptions options, Set<String> rooms) {
    for (AdapterSocket s : select(options)) namespace.join(s.id(), rooms);
  }

  /** Each selected socket of this process leaves {@code rooms}. */
  @Override
  public void delSockets(BroadcastOptions options, Set<String> rooms) {
    for (AdapterSocket s : select(options)) namespace.leave(s.id(), rooms);
  }

  /** Each selected socket of this process disconnects. */
  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    for (AdapterSocket s : select(options)) namespace.disconnect(s.id(), close);
  }

  /** {@link #rooms()}, at once: there is no other node. */
  @Override
  public CompletableFuture<Set<String>> allRooms() {
    return CompletableFuture.completedFuture(rooms());
  }

  /** Nothing: there is no other server. */
  @Override
  public void serverSideEmit(ArrayNode packet) {}

  /** No answer, at once: there is no other server. */
  @Override
  public CompletableFuture<List<ArrayNode>> serverSideEmitWithAck(ArrayNode packet, Duration timeout) {
    return CompletableFuture.completedFuture(List.of());
  }

  /** Nothing to release in memory. */
  @Override
  public void close() {}

  /** Keeps the session for {@code maxDisconnectionDuration}; nothing when recovery is off. */
  @Override
  public void persistSession(PersistedSession session) {
    if (sessions != null) sessions.persist(session);
  }

  /**
   * The session of {@code pid} and the kept packets after {@code offset} that would have reached
   * it, at once; empty when recovery is off, the session expired or was restored already, or the
   * offset is no longer (or never was) among the kept packets. A session is restored once.
   */
  @Override
  public CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset) {
    return CompletableFuture.completedFuture(
        sessions == null ? Optional.empty() : Optional.ofNullable(sessions.restore(pid, offset)));
  }

  /** How many sessions are kept for recovery now (for monitoring and tests). */
  public int keptSessions() {
    return sessions == null ? 0 : sessions.sessionCount();
  }

  /** One server: this one. */
  @Override
  public CompletableFuture<Integer> serverCount() {
    return CompletableFuture.completedFuture(1);
  }
}
