package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.FakeScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** chat.md "Rate limits": token buckets on the injected clock; no sleeps. */
class TokenBucketTest {
  private final FakeScheduler clock = new FakeScheduler();
  private final TokenBucket messages = new TokenBucket(ChatOptions.DEFAULTS.messages(), clock);
  private final TokenBucket typing = new TokenBucket(ChatOptions.DEFAULTS.typing(), clock);

  private static int drain(TokenBucket b) {
    int n = 0;
    while (b.tryTake()) n++;
    return n;
  }

  @Test
  void startsFullAndRefusesBeyondItsCapacity() {
    assertEquals(10, drain(messages));
    assertFalse(messages.tryTake());
    assertEquals(5, drain(typing));
    assertFalse(typing.tryTake());
  }

  @Test
  void getsOneTokenBackPerInterval() {
    drain(messages);
    clock.advanceBy(Duration.ofMillis(999));
    assertFalse(messages.tryTake());
    clock.advanceBy(Duration.ofMillis(1));
    assertTrue(messages.tryTake());
    assertFalse(messages.tryTake());
  }

  @Test
  void typingGetsTwoTokensBackPerSecond() {
    drain(typing);
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(2, drain(typing));
  }

  @Test
  void keepsThePartOfAnIntervalAlreadyWaited() {
    drain(messages);
    clock.advanceBy(Duration.ofMillis(1500));
    assertTrue(messages.tryTake());
    assertFalse(messages.tryTake());
    clock.advanceBy(Duration.ofMillis(500));
    assertTrue(messages.tryTake());
  }

  @Test
  void neverHoldsMoreThanItsCapacity() {
    drain(messages);
    clock.advanceBy(Duration.ofHours(1));
    assertEquals(10, messages.available());
    assertEquals(10, drain(messages));
  }

  @Test
  void aFullBucketEarnsNothingWhileIdle() {
    clock.advanceBy(Duration.ofMillis(900));
    assertTrue(messages.tryTake()); // 9 left; the next token is due a full second from now
    clock.advanceBy(Duration.ofMillis(100));
    assertEquals(9, messages.available());
    clock.advanceBy(Duration.ofMillis(900));
    assertEquals(10, messages.available());
  }

  @Test
  void rateLimitsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, Duration.ofSeconds(-1)));
  }

  @Test
  void defaultsAreThoseOfChatMd() {
    assertEquals(new RateLimit(10, Duration.ofSeconds(1)), ChatOptions.DEFAULTS.messages());
    assertEquals(new RateLimit(5, Duration.ofMillis(500)), ChatOptions.DEFAULTS.typing());
    assertEquals(20, ChatOptions.DEFAULTS.maxRoomsPerSocket());
    assertEquals(500, ChatOptions.DEFAULTS.maxMessageLength());
  }
}
