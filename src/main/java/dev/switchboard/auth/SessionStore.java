package dev.switchboard.auth;

import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live sessions, in memory (a restart ends every session: clients log in again). A JWT alone
 * cannot be revoked (auth-pitfalls §2, "Revocation"); every token names a session here, and a
 * token whose session is gone is refused. Bounded: at most {@code maxSessions} in all and
 * {@code maxSessionsPerUser} per user — the oldest one ends to make room — and expired sessions
 * are swept by {@link #purgeExpired}, so the table cannot grow without limit.
 *
 * <p>Threading: thread-safe. Changes are made under this object's lock; listeners are called
 * after it is released (style-examples §13).
 */
public final class SessionStore {
  private static final Logger LOG = Logger.getLogger(SessionStore.class.getName());

  private final Scheduler clock;
  private final AuthOptions options;
  private final SessionIdGenerator ids;
  /** Session id → session, oldest first. Guarded by this. */
  private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();
  /** User id → that user's session ids, oldest first. Guarded by this. */
  private final Map<String, Deque<String>> byUser = new HashMap<>();
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

  public SessionStore(Scheduler clock, AuthOptions options, SessionIdGenerator ids) {
    this.clock = clock;
    this.options = options;
    this.ids = ids;
  }

  public void addListener(SessionListener listener) {
    listeners.add(listener);
  }

  /** Starts a session for {@code user} whose first token expires at {@code expiresAtMillis}. */
  public Session create(User user, long expiresAtMillis) {
    Session s = new Session(ids.next(), user.id(), user.username(), clock.currentTimeMillis(), expiresAtMillis);
    List<Session> pushedOut = new ArrayList<>();
    synchronized (this) {
      Deque<String> mine = byUser.computeIfAbsent(user.id(), k -> new ArrayDeque<>());
      while (mine.size() >= options.maxSessionsPerUser()) pushedOut.add(removeLocked(mine.peekFirst()));
      while (sessions.size() >= options.maxSessions()) pushedOut.add(removeLocked(sessions.keySet().iterator().next()));
      sessions.put(s.id(), s);
      byUser.computeIfAbsent(user.id(), k -> new ArrayDeque<>()).addLast(s.id());
    }
    for (Session old : pushedOut) fireEnded(old, SessionEnd.REVOKED);
    return s;
  }

  /**
   * The session, if it is live: not ended and not past its expiry (plus the clock skew, so a
   * token and its session expire together).
   */
  public Optional<Session> find(String id) {
    Session s;
    synchronized (this) {
      s = sessions.get(id);
    }
    if (s == null || isExpired(s)) return Optional.empty();
    return Optional.of(s);
  }

  boolean isExpired(Session s) {
    return clock.currentTimeMillis() >= s.expiresAtMillis() + options.clockSkew().toMillis();
  }

  /** Moves a live session's expiry (a refresh); empty when it is no longer live. */
  public Optional<Session> extend(String id, long expiresAtMillis) {
    Session updated;
    synchronized (this) {
      Session s = sessions.get(id);
      if (s == null || isExpired(s)) return Optional.empty();
      updated = s.withExpiry(Math.max(s.expiresAtMillis(), expiresAtMillis));
      sessions.put(id, updated);
    }
    for (SessionListener l : listeners) {
      try {
        l.onRefreshed(updated);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "session listener failed", e);
      }
    }
    return Optional.of(updated);
  }

  /** Ends a session (logout). Returns false if it was already gone. */
  public boolean revoke(String id, SessionEnd reason) {
    Session s;
    synchronized (this) {
      s = removeLocked(id);
    }
    if (s == null) return false;
    fireEnded(s, reason);
    return true;
  }

  /** Ends every session of a user (the user was removed). */
  public int revokeUser(String userId) {
    List<String> mine;
    synchronized (this) {
      Deque<String> d = byUser.get(userId);
      mine = d == null ? List.of() : new ArrayList<>(d);
    }
    int n = 0;
    for (String id : mine) if (revoke(id, SessionEnd.REVOKED)) n++;
    return n;
  }

  /**
   * Ends (as {@link SessionEnd#REVOKED}) every session of a user that {@code userExists} no longer
   * knows: a user removed with {@code user remove}, maybe by another process on the same data
   * directory. Returns how many sessions ended.
   */
  public int revokeOrphans(java.util.function.Predicate<String> userExists) {
    List<String> withSessions;
    synchronized (this) {
      withSessions = new ArrayList<>(byUser.keySet());
    }
    List<String> gone = new ArrayList<>();
    for (String userId : withSessions) if (!userExists.test(userId)) gone.add(userId);
    int n = 0;
    for (String userId : gone) n += revokeUser(userId);
    return n;
  }

  /** Removes sessions past their expiry; returns how many. The chat server runs it every 10 seconds. */
  public int purgeExpired() {
    List<Session> expired = new ArrayList<>();
    synchronized (this) {
      for (Session s : List.copyOf(sessions.values())) {
        if (isExpired(s)) expired.add(removeLocked(s.id()));
      }
    }
    for (Session s : expired) fireEnded(s, SessionEnd.EXPIRED);
    return expired.size();
  }

  /** Runs {@link #purgeExpired} every {@code interval} on the clock until cancelled. */
  public Cancellable purgeEvery(Duration interval) {
    return purgeEvery(interval, null);
  }

  /**
   * Runs {@link #purgeExpired} and, with {@code userIds} given, {@link #revokeOrphans} against the
   * ids it supplies (asked once per run) every {@code interval} on the clock until cancelled.
   */
  public Cancellable purgeEvery(Duration interval, java.util.function.Supplier<java.util.Set<String>> userIds) {
    Sweep sweep = new Sweep(interval, userIds);
    sweep.next = clock.schedule(interval, sweep);
    return sweep;
  }

  /** The repeating sweep: runs on the clock's thread, re-arms itself until cancelled. */
  private final class Sweep implements Runnable, Cancellable {
    private final Duration interval;
    private final java.util.function.Supplier<java.util.Set<String>> userIds;
    private volatile boolean stopped;
    private volatile Cancellable next;

    Sweep(Duration interval, java.util.function.Supplier<java.util.Set<String>> userIds) {
      this.interval = interval;
      this.userIds = userIds;
    }

    @Override
    public void run() {
      if (stopped) return;
      purgeExpired();
      if (userIds != null && size() > 0) {
        try {
          revokeOrphans(userIds.get()::contains);
        } catch (RuntimeException e) { // an unreadable users file: keep the sessions, try again next time
          LOG.warning("could not check the sessions' users: " + e.getMessage());
        }
      }
      next = clock.schedule(interval, this);
    }

    @Override
    public void cancel() {
      stopped = true;
      next.cancel();
    }
  }


  public synchronized int size() {
    return sessions.size();
  }

  private Session removeLocked(String id) {
    assert Thread.holdsLock(this);
    Session s = sessions.remove(id);
    if (s == null) return null;
    Deque<String> mine = byUser.get(s.userId());
    if (mine != null) {
      mine.remove(id);
      if (mine.isEmpty()) byUser.remove(s.userId());
    }
    return s;
  }

  private void fireEnded(Session s, SessionEnd reason) {
    for (SessionListener l : listeners) {
      try {
        l.onEnded(s, reason);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "session listener failed", e);
      }
    }
  }
}
