package dev.switchboard.chat;

import dev.switchboard.scheduling.Scheduler;

/**
 * One rate limit of one socket, on the injected clock's {@link Scheduler#nanoTime()}, so tests
 * drive it with {@code FakeScheduler.advanceBy} (chat.md §Client → server, "Rate limits").
 *
 * <p>Threading: not thread-safe. Each socket owns its buckets and uses them only from its serial
 * executor, which orders every call.
 */
final class TokenBucket {
  private final Scheduler clock;
  private final int capacity;
  private final long nanosPerToken;
  private int tokens;
  /** When the tokens counted in {@link #tokens} were last brought up to date. */
  private long refilledAt;

  TokenBucket(RateLimit limit, Scheduler clock) {
    this.clock = clock;
    this.capacity = limit.capacity();
    this.nanosPerToken = limit.refillInterval().toNanos();
    this.tokens = capacity;
    this.refilledAt = clock.nanoTime();
  }

  /** Takes one token if there is one. */
  boolean tryTake() {
    refill();
    if (tokens == 0) return false;
    tokens--;
    return true;
  }

  /** Tokens available now (for tests and diagnostics). */
  int available() {
    refill();
    return tokens;
  }

  private void refill() {
    long now = clock.nanoTime();
    if (tokens >= capacity) {
      // A full bucket earns nothing: the clock for the next token starts when one is taken.
      refilledAt = now;
      return;
    }
    long earned = (now - refilledAt) / nanosPerToken;
    if (earned <= 0) return;
    if (earned >= capacity - tokens) {
      tokens = capacity;
      refilledAt = now;
    } else {
      tokens += (int) earned;
      // Keep the unspent part of the interval: a token is due one full interval after the last.
      refilledAt += earned * nanosPerToken;
    }
  }
}
