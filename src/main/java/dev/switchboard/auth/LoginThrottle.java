package dev.switchboard.auth;

import dev.switchboard.scheduling.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits failed logins per client address and per account over a sliding window (by default: 5
 * failures within 15 minutes; the next attempt gets 429 with {@code Retry-After}). The per-account
 * limit stops guessing one password from many addresses (credential stuffing), the per-address
 * limit stops one address spraying many accounts (auth-pitfalls §6).
 *
 * <p>An attempt is counted as a failure when it <em>starts</em> ({@link #begin}) and forgiven if
 * it succeeds: ten parallel guesses cannot all pass the check before the first failure is
 * recorded. A success clears the account's failures, and takes that account's failures off the
 * address too — they were the user's own typos — while failures on other accounts from that
 * address stay. When blocked, no password is checked at all, so a blocked guesser learns nothing.
 *
 * <p>Memory is bounded: each key keeps at most its limit of timestamps (more are never recorded,
 * because the key is blocked by then), and at most {@code throttleEntries} keys of each kind are
 * kept, the least recently used forgotten first. An attacker cycling through random names can push
 * a key out and win back its attempts; the other limit (address or account) still holds.
 *
 * <p><b>Shared counters</b> ({@link #sharedThrough}, a cluster on Redis): the counts live in
 * {@link ThrottleCounters} so that guesses spread over several nodes count together. The local
 * counters above are then the fallback: when the shared ones do not answer within
 * {@link #SHARED_TIMEOUT} (Redis away), the attempt is counted here, and the next attempt tries
 * the shared ones again. Failures counted locally during an outage are not carried over.
 *
 * <p>Threading: thread-safe (one lock; every operation is a few map steps). With shared counters
 * {@link #begin} and {@link #retryAfter} wait for Redis (up to {@link #SHARED_TIMEOUT}): callers
 * are HTTP workers, never an I/O thread; the attempt's outcome is sent without waiting.
 */
public final class LoginThrottle {
  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
  /** How long a login waits for the shared counters before counting locally. */
  static final long SHARED_TIMEOUT_MILLIS = 500;
  /** {@link #SHARED_TIMEOUT_MILLIS} as a sentence for the docs. */
  public static final Duration SHARED_TIMEOUT = Duration.ofMillis(SHARED_TIMEOUT_MILLIS);

  private final Scheduler clock;
  private final long windowNanos;
  private final int perAccount;
  private final int perAddress;
  /** Guarded by this. */
  private final Map<String, Deque<Failure>> accounts;
  /** Guarded by this. */
  private final Map<String, Deque<Failure>> addresses;

  private record Failure(long atNanos, String account) {}

  /** The counters shared by the nodes of a cluster; null on one node. */
  private volatile ThrottleCounters shared;

  public LoginThrottle(Scheduler clock, int perAccount, int perAddress, Duration window, int maxEntries) {
    this.clock = clock;
    this.windowNanos = window.toNanos();
    this.perAccount = perAccount;
    this.perAddress = perAddress;
    this.accounts = lru(maxEntries);
    this.addresses = lru(maxEntries);
  }

  /** A sign-up limiter: every attempt counts, per address only. */
  public static LoginThrottle perAddressOnly(Scheduler clock, int limit, Duration window, int maxEntries) {
    return new LoginThrottle(clock, Integer.MAX_VALUE, limit, window, maxEntries);
  }

  /**
   * From now on, counts in {@code counters} (shared by the nodes of a cluster), falling back to
   * this object's own counters while they do not answer.
   */
  public void sharedThrough(ThrottleCounters counters) {
    this.shared = counters;
  }

  private static Map<String, Deque<Failure>> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Deque<Failure>> eldest) {
        return size() > max;
      }
    };
  }

  /** One login attempt in flight. Exactly one of its methods should be called, once. */
  public final class Attempt {
    private final String address;
    private final String account;
    private final Failure mark;
    /** The attempt's mark in the shared counters; null when it was counted locally. */
    private final String sharedMark;
    private final ThrottleCounters counters;

    private Attempt(String address, String account, Failure mark) {
      this(address, account, mark, null, null);
    }

    private Attempt(String address, String account, Failure mark, String sharedMark, ThrottleCounters counters) {
      this.address = address;
      this.account = account;
      this.mark = mark;
      this.sharedMark = sharedMark;
      this.counters = counters;
    }

    /** Wrong user or password: the failure stays counted. */
    public void failed() { }

    /** Logged in: the account starts afresh, and its failures leave the address's count. */
    public void succeeded() {
      if (sharedMark != null) {
        counters.clearAccount(address, account.isEmpty() ? null : account);
        return;
      }
      synchronized (LoginThrottle.this) {
        accounts.remove(account);
        Deque<Failure> d = addresses.get(address);
        if (d != null) {
          d.removeIf(f -> account.equals(f.account));
          if (d.isEmpty()) addresses.remove(address);
        }
      }
    }

    /** The attempt never got to a password check (server busy): it does not count. */
    public void cancelled() {
      if (sharedMark != null) {
        counters.forgive(address, account.isEmpty() ? null : account, sharedMark);
        return;
      }
      synchronized (LoginThrottle.this) {
        remove(accounts, account, mark);
        remove(addresses, address, mark);
      }
    }
  }

  /**
   * Starts an attempt for {@code account} (canonical name, or null when only the address is
   * limited) from {@code address}; null when either is over its limit — then
   * {@link #retryAfter} says for how long.
   */
  public Attempt begin(String address, String account) {
    ThrottleCounters counters = shared;
    if (counters != null) {
      String mark = newMark();
      Long wait = await(counters.begin(address, account, mark, clock.currentTimeMillis()));
      if (wait != null) {
        return wait > 0 ? null : new Attempt(address, account == null ? "" : account, null, mark, counters);
      }
      // Not answered: this node counts alone until the shared counters answer again.
    }
    return beginLocally(address, account);
  }

  private synchronized Attempt beginLocally(String address, String account) {
    long now = clock.nanoTime();
    if (blocked(addresses, address, perAddress, now) || (account != null && blocked(accounts, account, perAccount, now))) {
      return null;
    }
    Failure mark = new Failure(now, account);
    addresses.computeIfAbsent(address, k -> new ArrayDeque<>()).addLast(mark);
    if (account != null && perAccount != Integer.MAX_VALUE) {
      accounts.computeIfAbsent(account, k -> new ArrayDeque<>()).addLast(mark);
    }
    return new Attempt(address, account == null ? "" : account, mark);
  }

  /** How long until an attempt for this address and account would be let through (≥ 1 s). */
  public Duration retryAfter(String address, String account) {
    ThrottleCounters counters = shared;
    if (counters != null) {
      Long wait = await(counters.waitMillis(address, account, clock.currentTimeMillis()));
      if (wait != null && wait > 0) return Duration.ofSeconds(Math.max(1, (wait + 999) / 1000));
    }
    return retryAfterLocally(address, account);
  }

  /** A random mark of {@link RedisThrottleCounters#MARK_CHARS} hex digits. */
  private static String newMark() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x", r.nextLong());
  }

  /** The shared counters' answer, or null when they did not give one in time. */
  private static Long await(java.util.concurrent.CompletableFuture<Long> answer) {
    try {
      return answer.get(SHARED_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) { // Redis away or slow: RedisLink has said so once
      LOG.debug("shared login counters did not answer; counting locally", e);
      return null;
    }
  }

  private synchronized Duration retryAfterLocally(String address, String account) {
    long now = clock.nanoTime();
    long wait = Math.max(waitFor(addresses.get(address), perAddress, now),
        account == null ? 0 : waitFor(accounts.get(account), perAccount, now));
    long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    return Duration.ofSeconds(seconds);
  }

  /** Keys currently remembered, of both kinds (for tests of the memory bound). */
  public synchronized int size() {
    return accounts.size() + addresses.size();
  }

  private boolean blocked(Map<String, Deque<Failure>> map, String key, int limit, long now) {
    Deque<Failure> d = map.get(key);
    if (d == null) return false;
    prune(d, now);
    if (d.isEmpty()) {
      map.remove(key);
      return false;
    }
    return d.size() >= limit;
  }

  private long waitFor(Deque<Failure> d, int limit, long now) {
    if (d == null) return 0;
    prune(d, now);
    if (d.size() < limit) return 0;
    // The window must forget enough failures to bring the count under the limit.
    Iterator<Failure> it = d.iterator();
    Failure f = null;
    for (int i = 0; i <= d.size() - limit; i++) f = it.next();
    return f.atNanos + windowNanos - now;
  }

  private void prune(Deque<Failure> d, long now) {
    while (!d.isEmpty() && now - d.peekFirst().atNanos >= windowNanos) d.pollFirst();
  }

  private static void remove(Map<String, Deque<Failure>> map, String key, Failure mark) {
    if (key == null) return;
    Deque<Failure> d = map.get(key);
    if (d == null) return;
    d.remove(mark);
    if (d.isEmpty()) map.remove(key);
  }
}
