package dev.switchboard.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history to keep: the newest {@code keepPerConversation} messages of each room and each
 * private conversation, and nothing older than {@code maxAge}. Immutable; any thread.
 *
 * <pre>{@code
 * int deleted = db.messages().applyRetention(Retention.DEFAULT, clock.currentTimeMillis());
 * }</pre>
 *
 * @param keepPerConversation at least 1
 * @param maxAge positive
 */
public record Retention(int keepPerConversation, Duration maxAge) {
  /** Issue #11's default: 10 000 messages per room (and per private conversation), 30 days. */
  public static final Retention DEFAULT = new Retention(10_000, Duration.ofDays(30));

  /** Checks the bounds. */
  public Retention {
    if (keepPerConversation < 1) throw new IllegalArgumentException("keepPerConversation must be at least 1");
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be positive");
  }
}
