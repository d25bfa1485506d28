package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bcrypt (jbcrypt 0.4) on a small bounded pool of its own. One check costs 100–400 ms of CPU at
 * the costs people use (auth-pitfalls §4 measured 197 ms at cost 12 on these machines), so it
 * must never run on an I/O thread or on the workers that run every socket's handlers: a burst of
 * logins would stall everyone else. When the pool's queue is full the work is refused with
 * {@link RejectedExecutionException} and the caller answers 503 — shedding load instead of
 * queueing without bound.
 *
 * <p>Hashes written by other implementations verify: {@code $2b$} (OpenBSD's fix of a wrap-around
 * at 256+ bytes) and {@code $2y$} (PHP's name for the correct algorithm) compute exactly what
 * {@code $2a$} computes for passwords of at most 72 bytes, which is all we accept; jbcrypt reads
 * only {@code $2a$}, so the prefix is rewritten before checking. {@code $2x$} (the old buggy
 * crypt_blowfish) and malformed strings fail closed, with a warning for the operator.
 *
 * <p>Threading: any thread; the work runs on the pool and completes the returned futures there.
 */
public final class PasswordHasher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordHasher.class);

  private final int cost;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService pool;
  /** A hash of a random password at our cost: unknown users are checked against it (timing). */
  private final String dummyHash;

  /**
   * @param cost bcrypt's log2 rounds, 4–31 (4–6 only in tests; 12 by default)
   * @param threads pool size (at most the number of cores)
   * @param queue checks that may wait; more are refused
   */
  public PasswordHasher(int cost, int threads, int queue) {
    this(cost, boundedPool(threads, queue));
  }

  PasswordHasher(int cost, ExecutorService pool) {
    if (cost < 4 || cost > 31) throw new IllegalArgumentException("bcrypt cost must be between 4 and 31: " + cost);
    this.cost = cost;
    this.pool = pool;
    byte[] b = new byte[16];
    random.nextBytes(b);
    this.dummyHash = BCrypt.hashpw(java.util.Base64.getEncoder().encodeToString(b), BCrypt.gensalt(cost, random));
  }

  static ExecutorService boundedPool(int threads, int queue) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
      Thread t = new Thread(r, "switchboard-bcrypt-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** The default pool: one thread fewer than the cores (at least one, at most four), 64 waiting. */
  public static PasswordHasher withDefaultPool(int cost) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new PasswordHasher(cost, Math.max(1, Math.min(4, cores - 1)), 64);
  }

  public int cost() {
    return cost;
  }

  /** Hashes a password already checked by {@link Passwords#checkNew}, on the calling thread. */
  public String hashNow(String password) {
    return BCrypt.hashpw(password, BCrypt.gensalt(cost, random));
  }

  /** {@link #hashNow} on the pool. */
  public CompletableFuture<String> hash(String password) {
    return CompletableFuture.supplyAsync(() -> hashNow(password), pool);
  }

  /**
   * Whether {@code password} matches {@code hash}, on the pool. A null hash (no such user) is
   * checked against the dummy hash and answers false after the same work.
   */
  public CompletableFuture<Boolean> verify(String password, String hash) {
    return CompletableFuture.supplyAsync(() -> verifyNow(password, hash), pool);
  }

  boolean verifyNow(String password, String hash) {
    if (hash == null) {
      matches(password, dummyHash);
      return false;
    }
    String normalised = normalise(hash);
    if (normalised == null) {
      LOG.warn("a stored password hash is not a bcrypt $2a$/$2b$/$2y$ hash; the login was refused");
      matches(password, dummyHash);
      return false;
    }
    try {
      return matches(password, normalised);
    } catch (IllegalArgumentException e) {
      LOG.warn("a stored password hash is malformed; the login was refused");
      return false;
    }
  }

  /** Constant-time comparison of the recomputed hash (jbcrypt 0.4's checkpw compares strings). */
  private static boolean matches(String password, String hash) {
    String computed = BCrypt.hashpw(password, hash);
    return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code $2b$}/{@code $2y$} → {@code $2a$}; null when it is not a well-formed bcrypt hash. */
  static String normalise(String hash) {
    if (hash.length() != 60 || hash.charAt(0) != '$' || hash.charAt(1) != '2' || hash.charAt(3) != '$') return null;
    char v = hash.charAt(2);
    if (v != 'a' && v != 'b' && v != 'y') return null;
    if (!Character.isDigit(hash.charAt(4)) || !Character.isDigit(hash.charAt(5)) || hash.charAt(6) != '$') return null;
    // A cost above 20 takes minutes per check: a planted hash must not become a CPU bomb.
    int rounds = (hash.charAt(4) - '0') * 10 + (hash.charAt(5) - '0');
    if (rounds < 4 || rounds > 20) return null;
    for (int i = 7; i < 60; i++) {
      char c = hash.charAt(i);
      boolean ok = c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!ok) return null;
    }
    return v == 'a' ? hash : "$2a$" + hash.substring(4);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
