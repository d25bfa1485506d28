package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Connection state recovery in one process, as Node's {@code SessionAwareAdapter} does it for the
 * in-memory adapter: every kept broadcast ({@link Offsets#isKept}) gets an offset and is
 * remembered, sessions of sockets that dropped are remembered, both for
 * {@code maxDisconnectionDuration}; a restore hands back the session once, with the packets
 * emitted after the client's offset that would have reached it.
 *
 * <p>Memory is bounded by time and by {@link InMemoryAdapter#MAX_KEPT_PACKETS}. Threading:
 * guarded by this; called from any thread.
 */
final class SessionStore {
  private record Kept(String offset, long emittedAt, ArrayNode data, BroadcastOptions options) {}

  private record Session(PersistedSession session, long disconnectedAt) {}

  private final Scheduler clock;
  private final long maxAgeMillis;
  private final Map<String, Session> sessions = new HashMap<>();
  private final ArrayDeque<Kept> packets = new ArrayDeque<>();
  /** Distinguishes this store's offsets from another's (another namespace, another process). */
  private final String prefix = Long.toString(System.identityHashCode(this) & 0xffffL, 36);
  private long counter;

  SessionStore(Scheduler clock, Duration maxDisconnectionDuration) {
    this.clock = clock;
    this.maxAgeMillis = maxDisconnectionDuration.toMillis();
  }

  /** The packet to deliver: {@code packet} itself, or a copy with its offset when it is kept. */
  SocketIoPacket keep(SocketIoPacket packet, BroadcastOptions options) {
    if (!Offsets.isKept(packet, options)) return packet;
    synchronized (this) {
      long now = clock.currentTimeMillis();
      expire(now);
      String offset = prefix + "-" + Long.toString(counter++, 36);
      SocketIoPacket stamped = Offsets.append(packet, offset);
      packets.addLast(new Kept(offset, now, (ArrayNode) stamped.data(), options));
      while (packets.size() > InMemoryAdapter.MAX_KEPT_PACKETS) packets.pollFirst();
      return stamped;
    }
  }

  synchronized void persist(PersistedSession session) {
    long now = clock.currentTimeMillis();
    expire(now);
    sessions.put(session.pid(), new Session(session, now));
  }

  /** The session and the packets it missed, or null when it cannot be recovered. */
  synchronized RestoredSession restore(String pid, String offset) {
    expire(clock.currentTimeMillis());
    Session s = sessions.remove(pid);
    if (s == null) return null;
    // The offset must still be known, or we cannot tell what was missed.
    boolean found = false;
    List<ArrayNode> missed = new ArrayList<>();
    for (Kept p : packets) {
      if (found) {
        if (s.session().isReachedBy(p.options())) missed.add(p.data());
      } else if (p.offset().equals(offset)) {
        found = true;
      }
    }
    return found ? new RestoredSession(s.session(), missed) : null;
  }

  private void expire(long now) {
    while (!packets.isEmpty() && now - packets.peekFirst().emittedAt() > maxAgeMillis) packets.pollFirst();
    Iterator<Session> it = sessions.values().iterator();
    while (it.hasNext()) if (now - it.next().disconnectedAt() > maxAgeMillis) it.remove();
  }

  synchronized int sessionCount() {
    return sessions.size();
  }
}
