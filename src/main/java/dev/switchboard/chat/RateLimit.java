package dev.switchboard.chat;

import java.time.Duration;

/**
 * A token bucket's shape: it holds at most {@code capacity} tokens, starts full, and gets one token
 * back every {@code refillInterval}. chat.md's "10 with one token back per second" is
 * {@code new RateLimit(10, Duration.ofSeconds(1))}.
 */
public record RateLimit(int capacity, Duration refillInterval) {
  public RateLimit {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    if (refillInterval == null || refillInterval.isZero() || refillInterval.isNegative()) {
      throw new IllegalArgumentException("refillInterval must be positive: " + refillInterval);
    }
  }
}
