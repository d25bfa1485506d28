package dev.switchboard.auth;

import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live sockets of each session, so that a session's end reaches them at once:
 * <ul>
 *   <li>logout (or another revocation): each socket gets {@code session-ended {reason}} and is
 *       disconnected by the server (the client sees "io server disconnect" and does not retry);</li>
 *   <li>expiry: when less than {@code expiryWarning} (5 min) is left each socket gets
 *       {@code token-expiring {expiresAt, secondsLeft}} — once per expiry, and at once for a socket
 *       that connects inside that window —, and at the expiry {@code session-ended
 *       {reason:"expired"}} and a disconnect, unless a refresh moved the expiry (then the timers
 *       move with it).</li>
 * </ul>
 * One pair of timers per session with live sockets, on the injected clock; none for sessions
 * without sockets.
 *
 * <p>Threading: thread-safe. Called from socket executors (connect, disconnect), the timer and
 * whichever thread ends or refreshes a session; the map is guarded by this object, and emits and
 * disconnects happen after the lock is released.
 */
public final class SessionSockets implements SessionListener {
  private final Authenticator auth;
  private final Scheduler clock;
  private final Duration warning;
  /** Session id → its live sockets and timers. Guarded by this. */
  private final Map<String, Tracked> bySession = new HashMap<>();

  private static final class Tracked {
    final Set<Socket> sockets = new LinkedHashSet<>();
    long expiresAt;
    boolean warned;
    Cancellable warnTimer = Cancellable.NONE;
    Cancellable expireTimer = Cancellable.NONE;

    void cancelTimers() {
      warnTimer.cancel();
      expireTimer.cancel();
    }
  }

  public SessionSockets(Authenticator auth, Scheduler clock) {
    this.auth = auth;
    this.clock = clock;
    this.warning = auth.options().expiryWarning();
    auth.sessions().addListener(this);
  }

  /** A socket the middleware accepted has connected (a namespace connection handler). */
  public void add(Socket socket) {
    Principal p = Principal.of(socket);
    Session s = auth.session(p.sessionId()).orElse(null);
    if (s == null) { // ended between the handshake and now
      end(List.of(socket), SessionEnd.REVOKED);
      return;
    }
    boolean warnNow;
    synchronized (this) {
      Tracked t = bySession.get(s.id());
      if (t == null) {
        t = new Tracked();
        bySession.put(s.id(), t);
        t.sockets.add(socket);
        schedule(s.id(), t, s.expiresAtMillis());
        warnNow = false; // schedule() warned already if inside the window
      } else {
        t.sockets.add(socket);
        warnNow = t.warned;
      }
    }
    socket.onDisconnect(reason -> remove(p.sessionId(), socket));
    if (warnNow) warn(List.of(socket), s.expiresAtMillis());
  }

  /** Sockets of a session right now (for tests and metrics). */
  public synchronized int count(String sessionId) {
    Tracked t = bySession.get(sessionId);
    return t == null ? 0 : t.sockets.size();
  }

  public synchronized int sessionsWithSockets() {
    return bySession.size();
  }

  private void remove(String sessionId, Socket socket) {
    synchronized (this) {
      Tracked t = bySession.get(sessionId);
      if (t == null) return;
      t.sockets.remove(socket);
      if (t.sockets.isEmpty()) {
        t.cancelTimers();
        bySession.remove(sessionId);
      }
    }
  }

  @Override
  public void onRefreshed(Session session) {
    synchronized (this) {
      Tracked t = bySession.get(session.id());
      if (t == null || t.expiresAt == session.expiresAtMillis()) return;
      t.cancelTimers();
      t.warned = false;
      schedule(session.id(), t, session.expiresAtMillis());
    }
  }

  @Override
  public void onEnded(Session session, SessionEnd reason) {
    List<Socket> sockets;
    synchronized (this) {
      Tracked t = bySession.remove(session.id());
      if (t == null) return;
      t.cancelTimers();
      sockets = new ArrayList<>(t.sockets);
    }
    end(sockets, reason);
  }

  /** Arms the timers of {@code t} for {@code expiresAt}; warns at once inside the window. */
  private void schedule(String sessionId, Tracked t, long expiresAt) {
    assert Thread.holdsLock(this);
    t.expiresAt = expiresAt;
    long now = clock.currentTimeMillis();
    long warnAt = expiresAt - warning.toMillis();
    if (now >= warnAt) {
      t.warned = true;
      List<Socket> sockets = new ArrayList<>(t.sockets);
      // Emitting only queues bytes, so doing it under the lock cannot block.
      warn(sockets, expiresAt);
    } else {
      t.warnTimer = clock.schedule(Duration.ofMillis(warnAt - now), () -> onWarnTimer(sessionId, expiresAt));
    }
    t.expireTimer = clock.schedule(Duration.ofMillis(Math.max(0, expiresAt - now)), () -> onExpireTimer(sessionId, expiresAt));
  }

  private void onWarnTimer(String sessionId, long expiresAt) {
    List<Socket> sockets;
    synchronized (this) {
      Tracked t = bySession.get(sessionId);
      if (t == null || t.expiresAt != expiresAt || t.warned) return;
      t.warned = true;
      sockets = new ArrayList<>(t.sockets);
    }
    warn(sockets, expiresAt);
  }

  private void onExpireTimer(String sessionId, long expiresAt) {
    Session s = auth.sessions().find(sessionId).orElse(null);
    List<Socket> sockets;
    synchronized (this) {
      Tracked t = bySession.get(sessionId);
      if (t == null || t.expiresAt != expiresAt) return;
      if (s != null && s.expiresAtMillis() > expiresAt) { // refreshed; the listener is on its way
        t.cancelTimers();
        t.warned = false;
        schedule(sessionId, t, s.expiresAtMillis());
        return;
      }
      bySession.remove(sessionId);
      t.cancelTimers();
      sockets = new ArrayList<>(t.sockets);
    }
    end(sockets, SessionEnd.EXPIRED);
  }

  private void warn(List<Socket> sockets, long expiresAt) {
    long secondsLeft = Math.max(0, (expiresAt - clock.currentTimeMillis()) / 1000);
    Map<String, Object> body = Map.of("expiresAt", Instant.ofEpochMilli(expiresAt).toString(), "secondsLeft", secondsLeft);
    for (Socket s : sockets) s.emit("token-expiring", body);
  }

  private static void end(List<Socket> sockets, SessionEnd reason) {
    Map<String, Object> body = Map.of("reason", reason.wireName());
    for (Socket s : sockets) {
      s.emit("session-ended", body);
      s.disconnect();
    }
  }
}
