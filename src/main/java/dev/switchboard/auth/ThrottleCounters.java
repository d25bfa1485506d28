package dev.switchboard.auth;

import java.util.concurrent.CompletableFuture;

/**
 * Failure counters that several nodes share, behind {@link LoginThrottle} (which keeps its own
 * in-process counters as the default and as the fallback while the shared ones cannot be
 * reached). The same rules as the local ones: a sliding window of failure marks per address and
 * per account; an attempt is counted when it starts and forgiven if it never reached a password
 * check; a success clears the account and takes its marks off the address.
 *
 * <p>{@code account} null: the address alone is limited (sign-ups). Times are wall-clock
 * milliseconds ({@code Scheduler.currentTimeMillis()}), the only clock nodes share.
 *
 * <p>The Redis implementation is {@link RedisThrottleCounters}. Threading: any thread; the
 * futures may complete on the implementation's own threads.
 */
public interface ThrottleCounters {
  /**
   * Checks both limits and, when neither is reached, counts the attempt under {@code mark}
   * (unique per attempt). Completes with 0 when counted, else with the milliseconds until an
   * attempt would be let through (at least 1; nothing counted).
   */
  CompletableFuture<Long> begin(String address, String account, String mark, long nowMillis);

  /** The milliseconds until an attempt for this address and account would be let through; 0 now. */
  CompletableFuture<Long> waitMillis(String address, String account, long nowMillis);

  /** The attempt {@code mark} never reached a password check: it no longer counts. Not waited for. */
  void forgive(String address, String account, String mark);

  /** The account logged in: its marks go, from the account and from the address. Not waited for. */
  void clearAccount(String address, String account);
}
