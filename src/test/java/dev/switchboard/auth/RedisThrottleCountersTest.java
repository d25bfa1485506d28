package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cluster.redis.RedisLink;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The login limiter's rules (LoginThrottleTest's) with its counts in a real Redis
 * ({@link RedisThrottleCounters}): two limiters on one key prefix stand for two nodes. Time is the
 * fake clock's wall-clock milliseconds, given to every script, so the window slides without waiting.
 */
class RedisThrottleCountersTest {
  static RedisServer redis;
  static RedisLink link;
  static int prefixes;
  private final FakeScheduler clock = new FakeScheduler();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    link = RedisLink.connect(redis.url());
  }

  @AfterAll
  static void stop() {
    if (link != null) link.close();
    if (redis != null) redis.close();
  }

  /** Two nodes' limiters sharing one prefix: 5 per account, 50 per address, 15 minutes. */
  private LoginThrottle[] twoNodes() {
    String key = "rt" + (++prefixes);
    LoginThrottle[] nodes = new LoginThrottle[2];
    for (int i = 0; i < 2; i++) {
      nodes[i] = new LoginThrottle(clock, 5, 50, Duration.ofMinutes(15), 100);
      nodes[i].sharedThrough(new RedisThrottleCounters(link, key, "login", 5, 50, Duration.ofMinutes(15)));
    }
    return nodes;
  }

  private static void fail(LoginThrottle t, String address, String account) {
    LoginThrottle.Attempt a = t.begin(address, account);
    assertNotNull(a);
    a.failed();
  }

  @Test
  void failuresOnTwoNodesCountTogetherAndTheWindowSlides() {
    LoginThrottle[] n = twoNodes();
    fail(n[0], "1.1.1.1", "alice");
    clock.advanceBy(Duration.ofMinutes(5));
    for (int i = 0; i < 4; i++) fail(n[i % 2], "1.1.1.1", "alice");
    assertNull(n[1].begin("9.9.9.9", "alice"), "the account, from any address, on any node");
    assertEquals(Duration.ofMinutes(10), n[0].retryAfter("1.1.1.1", "alice"), "the first failure leaves in 10 minutes");
    assertNotNull(n[1].begin("1.1.1.1", "bob"), "the address is far from its limit");
    clock.advanceBy(Duration.ofMinutes(10));
    assertNotNull(n[0].begin("1.1.1.1", "alice"));
    assertNull(n[1].begin("1.1.1.1", "alice"), "that was the fifth in the window again");
  }

  @Test
  void aSuccessClearsTheAccountAndItsMarksAtTheAddressOnly() throws Exception {
    LoginThrottle[] n = twoNodes();
    for (int a = 0; a < 9; a++) for (int i = 0; i < 5; i++) fail(n[i % 2], "2.2.2.2", "user" + a);
    for (int i = 0; i < 4; i++) fail(n[0], "2.2.2.2", "alice");
    n[1].begin("2.2.2.2", "alice").succeeded(); // alice's four typos leave the address's 49
    awaitFree(n[0], "2.2.2.2", "carol");
    for (int i = 0; i < 4; i++) fail(n[0], "2.2.2.2", "carol");
    fail(n[1], "2.2.2.2", "dave"); // 45 + 4 + 1: had alice's typos stayed, the address would be blocked already
    assertNull(n[1].begin("2.2.2.2", "erin"), "45 + 4 + 1 = 50: now the address is at its limit");
    assertTrue(n[1].retryAfter("2.2.2.2", "dave").toSeconds() > 800);
  }

  @Test
  void anAttemptThatNeverReachedAPasswordCheckIsForgiven() throws Exception {
    LoginThrottle[] n = twoNodes();
    for (int i = 0; i < 4; i++) fail(n[0], "3.3.3.3", "erin");
    n[1].begin("3.3.3.3", "erin").cancelled();
    awaitFree(n[0], "3.3.3.3", "erin");
  }

  /** The outcome of an attempt is sent without waiting: the next check sees it once Redis applied it. */
  private static void awaitFree(LoginThrottle t, String address, String account) {
    dev.switchboard.testing.Await.until(account + " free at " + address, () -> t.retryAfter(address, account).equals(Duration.ofSeconds(1))
        && peek(t, address, account));
  }

  private static boolean peek(LoginThrottle t, String address, String account) {
    LoginThrottle.Attempt a = t.begin(address, account);
    if (a == null) return false;
    a.cancelled();
    return true;
  }

  @Test
  void redisAwayTheNodeCountsAlone() throws Exception {
    LoginThrottle[] n = twoNodes();
    RedisLink gone = RedisLink.connect(redis.url());
    LoginThrottle alone = new LoginThrottle(clock, 5, 50, Duration.ofMinutes(15), 100);
    alone.sharedThrough(new RedisThrottleCounters(gone, "rt-gone", "login", 5, 50, Duration.ofMinutes(15)));
    gone.close(); // every command now fails at once
    for (int i = 0; i < 5; i++) fail(alone, "4.4.4.4", "frank");
    assertNull(alone.begin("4.4.4.4", "frank"), "counted in memory");
    assertNotNull(n[0].begin("4.4.4.4", "frank"), "and not in Redis");
  }
}
