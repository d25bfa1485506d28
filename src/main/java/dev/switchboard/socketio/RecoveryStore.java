package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connection state recovery, as Node's session-aware adapter does it: every event packet gets an
 * offset (appended as its last argument, which the official client remembers), recent packets and
 * the state of sockets that dropped for a recoverable reason are kept for
 * {@code maxDisconnectionDuration}, and a client reconnecting with {@code {pid, offset}} in its
 * CONNECT auth gets its id, rooms, data and the packets it missed. Which disconnections are kept:
 * {@link DisconnectReason#isRecoverable()}.
 *
 * <p>Memory is bounded by time and by {@link #MAX_PACKETS}. Threading: guarded by this.
 */
final class RecoveryStore {
  static final int MAX_PACKETS = 10_000;

  record Persisted(String id, String pid, String namespace, Set<String> rooms, Map<String, Object> data,
      long disconnectedAt) {}

  private record Stored(String offset, long emittedAt, String namespace, SocketIoPacket packet,
      BroadcastOptions options) {}

  record Restored(Persisted session, List<SocketIoPacket> missed) {}

  private final Scheduler scheduler;
  private final long maxAgeMillis;
  private final boolean skipMiddlewares;
  private final Map<String, Persisted> sessions = new HashMap<>();
  private final ArrayDeque<Stored> packets = new ArrayDeque<>();
  private final String prefix = Long.toString(System.identityHashCode(this) & 0xffffL, 36);
  private long counter;

  RecoveryStore(Scheduler scheduler, SocketIoOptions.Recovery options) {
    this.scheduler = scheduler;
    this.maxAgeMillis = options.maxDisconnectionDuration().toMillis();
    this.skipMiddlewares = options.skipMiddlewares();
  }

  /** Whether a restored socket connects without running the handshake middlewares. */
  boolean skipMiddlewares() {
    return skipMiddlewares;
  }

  /** Broadcasts through the adapter after stamping and keeping the packet. */
  void broadcast(Namespace ns, SocketIoPacket packet, BroadcastOptions options) {
    SocketIoPacket stamped = stamp(ns.name(), packet, options);
    ns.adapter().broadcast(stamped, options);
  }

  /** A plain {@code socket.emit}: a broadcast to the socket's own room, so it is kept too. */
  void emitToSocket(Namespace ns, Socket socket, SocketIoPacket packet) {
    broadcast(ns, packet, new BroadcastOptions(Set.of(socket.id()), Set.of(), BroadcastFlags.NONE));
  }

  private synchronized SocketIoPacket stamp(String nsp, SocketIoPacket packet, BroadcastOptions options) {
    long now = scheduler.currentTimeMillis();
    expire(now);
    String offset = prefix + "-" + Long.toString(counter++, 36);
    ArrayNode data = ((ArrayNode) packet.data()).deepCopy();
    data.add(TextNode.valueOf(offset));
    SocketIoPacket stamped = new SocketIoPacket(packet.type(), packet.namespace(), data, packet.ackId());
    packets.addLast(new Stored(offset, now, nsp, stamped, options));
    while (packets.size() > MAX_PACKETS) packets.pollFirst();
    return stamped;
  }

  synchronized void persist(Socket socket, Set<String> rooms) {
    long now = scheduler.currentTimeMillis();
    expire(now);
    sessions.put(socket.pid(), new Persisted(socket.id(), socket.pid(), socket.namespace().name(), Set.copyOf(rooms),
        Map.copyOf(socket.data()), now));
  }

  /** The session and the packets it missed, or null when it cannot be recovered. */
  synchronized Restored restore(String pid, String offset, String namespace) {
    long now = scheduler.currentTimeMillis();
    expire(now);
    Persisted s = sessions.remove(pid);
    if (s == null || !s.namespace().equals(namespace)) return null;
    // The offset must still be known, or we cannot tell what was missed.
    boolean found = false;
    List<SocketIoPacket> missed = new ArrayList<>();
    for (Stored p : packets) {
      if (found) {
        if (p.namespace.equals(namespace) && reaches(p.options, s)) missed.add(p.packet);
      } else if (p.offset.equals(offset)) {
        found = true;
      }
    }
    if (!found) return null;
    return new Restored(s, Collections.unmodifiableList(missed));
  }

  private static boolean reaches(BroadcastOptions o, Persisted s) {
    boolean included = o.rooms().isEmpty();
    for (String r : o.rooms()) if (s.rooms().contains(r)) included = true;
    if (!included) return false;
    for (String r : o.except()) if (s.rooms().contains(r)) return false;
    return true;
  }

  private void expire(long now) {
    while (!packets.isEmpty() && now - packets.peekFirst().emittedAt > maxAgeMillis) packets.pollFirst();
    Iterator<Persisted> it = sessions.values().iterator();
    while (it.hasNext()) if (now - it.next().disconnectedAt > maxAgeMillis) it.remove();
  }

  synchronized int sessionCount() {
    return sessions.size();
  }
}
