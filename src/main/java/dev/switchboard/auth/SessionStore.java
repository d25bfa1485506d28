package dev.switchboard.auth;

import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.storage.SessionRecord;
import dev.switchboard.storage.SessionRepository;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live login sessions. A JWT alone cannot be revoked (auth-pitfalls §2, "Revocation"); every
 * token names a session here, and a token whose session is gone is refused.
 *
 * <p>Two forms. <b>Persistent</b> (the chat server's, with a {@link SessionRepository}): every
 * change is written through to the database's {@code sessions} table first (create, refresh,
 * revoke, revoke all of a user, purge), and the in-memory map is a <em>cache</em> in front of it:
 * {@link #find} reads the cache, then the database on a miss — so after a restart a valid token
 * still connects (spec-notes/storage.md). <b>In memory</b> (no repository: tests, embedders): the
 * map is the whole truth and a restart ends every session.
 *
 * <pre>{@code
 * SessionStore sessions = new SessionStore(clock, options, ids, db.sessions(), users);
 * Session s = sessions.create(user, expiresAt);   // a row, then the cache
 * sessions.find(s.id());                          // the cache; the database on a miss
 * }</pre>
 *
 * <p>Bounded: at most {@code maxSessionsPerUser} live sessions per user — the oldest one is
 * revoked to make room (counted in the database when persistent, so across restarts and nodes) —
 * and at most {@code maxSessions} in the map: in memory the oldest session ends, when persistent
 * the oldest is only dropped from the cache (it stays valid and is read back on its next use).
 * Expired sessions are swept by {@link #purgeExpired}.
 *
 * <p>Threading: thread-safe. Changes are made under this object's lock; listeners are called
 * after it is released (style-examples §13). When persistent, every method except
 * {@link #findCached} and {@link #size} may block on JDBC (up to the pool's timeout) and throws
 * {@code DatabaseUnavailableException} when the database is away, having changed nothing: the
 * callers are the HTTP workers (refresh, logout), the bcrypt pool (login, sign-up create a
 * session), a worker on the handshake's cache miss ({@link JwtAuthMiddleware}) and the
 * application clock's thread (the 10-second sweep) — never an I/O thread, and a session's serial
 * executor only through {@link #findCached} (spec-notes/threading.md).
 */
public final class SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);

  private final Scheduler clock;
  private final AuthOptions options;
  private final SessionIdGenerator ids;
  /** Session id → session, oldest first. Guarded by this. */
  private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();
  /** User id → that user's session ids, oldest first. Guarded by this. */
  private final Map<String, Deque<String>> byUser = new HashMap<>();
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
  /** The sessions table; null when the sessions live in memory only. */
  private final SessionRepository repository;
  /** Names the user of a session read back from the database; null with no repository. */
  private final UserStore users;
  /** Tells the other nodes of a cluster; {@link RevocationBus#LOCAL} on one node. */
  private volatile RevocationBus bus = RevocationBus.LOCAL;

  /** Sessions in memory only: a restart ends them all. */
  public SessionStore(Scheduler clock, AuthOptions options, SessionIdGenerator ids) {
    this(clock, options, ids, null, null);
  }

  /**
   * Sessions written through to {@code repository}, this map caching them; {@code users} names
   * the user of a session read back from the database (a removed or disabled user's session is
   * not live).
   */
  public SessionStore(Scheduler clock, AuthOptions options, SessionIdGenerator ids, SessionRepository repository,
      UserStore users) {
    if ((repository == null) != (users == null)) throw new IllegalArgumentException("a repository needs a user store");
    this.clock = clock;
    this.options = options;
    this.ids = ids;
    this.repository = repository;
    this.users = users;
  }

  /** Whether sessions are written to a database (and a cache miss is not yet a refusal). */
  public boolean persistent() {
    return repository != null;
  }

  /** Hears of every session's end and refresh (SessionSockets). */
  public void addListener(SessionListener listener) {
    listeners.add(listener);
  }

  /**
   * From now on, tells {@code bus} of every session this store ends or refreshes, so that the
   * other nodes' caches follow (a cluster; {@link RevocationBus#LOCAL} before this is called).
   */
  public void publishThrough(RevocationBus bus) {
    this.bus = bus == null ? RevocationBus.LOCAL : bus;
  }

  /** Starts a session for {@code user} whose first token expires at {@code expiresAtMillis}. */
  public Session create(User user, long expiresAtMillis) {
    long now = clock.currentTimeMillis();
    Session s = new Session(ids.next(), user.id(), user.username(), now, expiresAtMillis);
    List<String> revokedInDatabase = new ArrayList<>();
    if (repository != null) {
      // The per-user bound counts the user's live rows: sessions from before a restart, or made
      // on another node, count too. The oldest go first, before the new row is written.
      List<SessionRecord> live = new ArrayList<>();
      for (SessionRecord r : repository.listOfUser(user.id())) {
        if (r.revokedAtMillis().isEmpty() && !isExpired(r.expiresAtMillis())) live.add(r);
      }
      for (int i = 0; i <= live.size() - options.maxSessionsPerUser(); i++) {
        repository.revoke(live.get(i).id(), now);
        revokedInDatabase.add(live.get(i).id());
      }
      repository.create(new SessionRecord(s.id(), user.id(), now, expiresAtMillis));
    }
    List<Session> pushedOut = new ArrayList<>();
    List<Session> revokedInCache = new ArrayList<>();
    synchronized (this) {
      for (String id : revokedInDatabase) {
        Session old = removeLocked(id);
        if (old != null) pushedOut.add(old);
      }
      Deque<String> mine = byUser.computeIfAbsent(user.id(), k -> new ArrayDeque<>());
      while (mine.size() >= options.maxSessionsPerUser()) revokedInCache.add(removeLocked(mine.peekFirst()));
      evictForRoomLocked(pushedOut);
      sessions.put(s.id(), s);
      byUser.computeIfAbsent(user.id(), k -> new ArrayDeque<>()).addLast(s.id());
    }
    if (repository != null) {
      for (Session old : revokedInCache) repository.revoke(old.id(), now);
    }
    // Sessions of this user were pushed out by this newer login of theirs (the per-user limit, or
    // the global one reaching their oldest); the global limit's other victims are revoked.
    List<Session> sameUser = new ArrayList<>(revokedInCache);
    for (Session old : pushedOut) {
      if (old.userId().equals(user.id())) sameUser.add(old);
      else fireEnded(old, SessionEnd.REVOKED);
    }
    for (Session old : sameUser) fireEnded(old, SessionEnd.LOGGED_OUT_ELSEWHERE);
    // Sessions pushed out by the per-user bound may be cached (and have sockets) on other nodes.
    for (String id : revokedInDatabase) bus.sessionEnded(id, SessionEnd.LOGGED_OUT_ELSEWHERE);
    for (Session old : revokedInCache) bus.sessionEnded(old.id(), SessionEnd.LOGGED_OUT_ELSEWHERE);
    return s;
  }

  /**
   * Makes room for one more entry under {@code maxSessions}: in memory the oldest session ends
   * (added to {@code ended}); when persistent it only leaves the cache and stays valid.
   */
  private void evictForRoomLocked(List<Session> ended) {
    while (sessions.size() >= options.maxSessions()) {
      Session oldest = removeLocked(sessions.keySet().iterator().next());
      if (repository == null) ended.add(oldest);
    }
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
    if (s == null) return repository == null ? Optional.empty() : load(id);
    if (isExpired(s)) return Optional.empty();
    return Optional.of(s);
  }

  /**
   * The session if the cache holds it live, without I/O (the handshake's executor may call it).
   * Empty means "not live" in memory, and "ask {@link #find} on a worker" when {@link #persistent}.
   */
  public Optional<Session> findCached(String id) {
    Session s;
    synchronized (this) {
      s = sessions.get(id);
    }
    if (s == null || isExpired(s)) return Optional.empty();
    return Optional.of(s);
  }

  /** Reads a session the cache does not hold; caches it if it is live and its user exists. */
  private Optional<Session> load(String id) {
    SessionRecord r = repository.find(id).orElse(null);
    if (r == null || r.revokedAtMillis().isPresent() || isExpired(r.expiresAtMillis())) return Optional.empty();
    User user = users.findById(r.userId()).orElse(null);
    if (user == null) return Optional.empty();
    Session s = new Session(r.id(), r.userId(), user.username(), r.createdAtMillis(), r.expiresAtMillis());
    synchronized (this) {
      Session cached = sessions.get(id);
      if (cached != null) return Optional.of(cached); // another thread read it meanwhile
      evictForRoomLocked(new ArrayList<>()); // persistent: nothing ends
      sessions.put(id, s);
      byUser.computeIfAbsent(s.userId(), k -> new ArrayDeque<>()).addLast(id);
    }
    return Optional.of(s);
  }

  boolean isExpired(Session s) {
    return isExpired(s.expiresAtMillis());
  }

  private boolean isExpired(long expiresAtMillis) {
    return clock.currentTimeMillis() >= expiresAtMillis + options.clockSkew().toMillis();
  }

  /** Moves a live session's expiry (a refresh); empty when it is no longer live. */
  public Optional<Session> extend(String id, long expiresAtMillis) {
    if (repository != null) {
      Session known = find(id).orElse(null); // reads it back after a restart
      if (known == null) return Optional.empty();
      if (!repository.extend(id, Math.max(known.expiresAtMillis(), expiresAtMillis))) {
        dropCached(id, SessionEnd.REVOKED); // revoked elsewhere meanwhile
        return Optional.empty();
      }
    }
    Session updated;
    synchronized (this) {
      Session s = sessions.get(id);
      if (s == null || isExpired(s)) return Optional.empty();
      updated = s.withExpiry(Math.max(s.expiresAtMillis(), expiresAtMillis));
      sessions.put(id, updated);
    }
    fireRefreshed(updated);
    bus.sessionRefreshed(id, updated.expiresAtMillis());
    return Optional.of(updated);
  }

  private void fireRefreshed(Session updated) {
    for (SessionListener l : listeners) {
      try {
        l.onRefreshed(updated);
      } catch (RuntimeException e) {
        LOG.warn("session listener failed", e);
      }
    }
  }

  /** Ends a session (logout). Returns false if it was already gone. */
  public boolean revoke(String id, SessionEnd reason) {
    boolean inDatabase = repository != null && repository.revoke(id, clock.currentTimeMillis());
    boolean cached = dropCached(id, reason);
    bus.sessionEnded(id, reason); // other nodes may cache it even when this one did not
    return cached || inDatabase;
  }

  // ------------------------------------------------------------------ news from other nodes

  /**
   * Another node ended session {@code id}: it leaves this node's cache and its sockets here end
   * with {@code reason}. Nothing is written or published (the other node did both). No I/O.
   */
  public void forget(String id, SessionEnd reason) {
    dropCached(id, reason);
  }

  /** Another node ended every session of {@code userId} (removed): they leave the cache here. No I/O. */
  public void forgetUser(String userId) {
    List<String> mine;
    synchronized (this) {
      Deque<String> d = byUser.get(userId);
      mine = d == null ? List.of() : new ArrayList<>(d);
    }
    for (String id : mine) dropCached(id, SessionEnd.REVOKED);
  }

  /**
   * Another node refreshed session {@code id}: if it is cached here its expiry moves (never
   * back), and the listeners re-arm their timers. No I/O.
   */
  public void refreshedElsewhere(String id, long expiresAtMillis) {
    Session updated;
    synchronized (this) {
      Session s = sessions.get(id);
      if (s == null || s.expiresAtMillis() >= expiresAtMillis) return;
      updated = s.withExpiry(expiresAtMillis);
      sessions.put(id, updated);
    }
    fireRefreshed(updated);
  }

  /**
   * Reads every cached session's row again and applies what changed while this node could not
   * hear the others (Redis was away): a revoked, deleted or expired row leaves the cache (its
   * sockets end as {@link SessionEnd#REVOKED}), a later expiry is taken. Persistent stores only;
   * JDBC per cached session, so a worker's call. Returns how many sessions ended.
   *
   * @throws dev.switchboard.storage.DatabaseUnavailableException when the database is away (the
   *     sessions checked until then are applied)
   */
  public int recheckCached() {
    if (repository == null) return 0;
    List<String> ids;
    synchronized (this) {
      ids = new ArrayList<>(sessions.keySet());
    }
    int ended = 0;
    for (String id : ids) {
      SessionRecord r = repository.find(id).orElse(null);
      if (r == null || r.revokedAtMillis().isPresent() || isExpired(r.expiresAtMillis())) {
        if (dropCached(id, SessionEnd.REVOKED)) ended++;
      } else {
        refreshedElsewhere(id, r.expiresAtMillis());
      }
    }
    return ended;
  }

  /** Removes a session from the map and tells the listeners; false when the map did not hold it. */
  private boolean dropCached(String id, SessionEnd reason) {
    Session s;
    synchronized (this) {
      s = removeLocked(id);
    }
    if (s == null) return false;
    fireEnded(s, reason);
    return true;
  }

  /** Ends every session of a user (the user was removed); returns how many were live. */
  public int revokeUser(String userId) {
    java.util.Set<String> ended = new java.util.HashSet<>();
    if (repository != null) ended.addAll(repository.revokeAllOf(userId, clock.currentTimeMillis()));
    List<String> mine;
    synchronized (this) {
      Deque<String> d = byUser.get(userId);
      mine = d == null ? List.of() : new ArrayList<>(d);
    }
    for (String id : mine) if (dropCached(id, SessionEnd.REVOKED)) ended.add(id);
    bus.userRevoked(userId);
    return ended.size();
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

  /**
   * Removes sessions past their expiry from the map; returns how many. When persistent, also
   * deletes the rows that can no longer be used (expired beyond the clock skew, or revoked). The
   * chat server runs it every 10 seconds.
   */
  public int purgeExpired() {
    List<Session> expired = new ArrayList<>();
    synchronized (this) {
      for (Session s : List.copyOf(sessions.values())) {
        if (isExpired(s)) expired.add(removeLocked(s.id()));
      }
    }
    for (Session s : expired) fireEnded(s, SessionEnd.EXPIRED);
    if (repository != null) repository.deleteExpired(clock.currentTimeMillis() - options.clockSkew().toMillis());
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
      try {
        purgeExpired();
        if (userIds != null && size() > 0) revokeOrphans(userIds.get()::contains);
      } catch (RuntimeException e) { // an unreadable users file, the database away: keep the sessions, try again next time
        LOG.warn("could not sweep the sessions: " + e.getMessage());
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
        LOG.warn("session listener failed", e);
      }
    }
  }
}
