package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.FakeScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final FakeScheduler clock = new FakeScheduler();
  private final LoginThrottle throttle = new LoginThrottle(clock, 5, 5, Duration.ofMinutes(15), 100);

  private void fail(String address, String account, int times) {
    for (int i = 0; i < times; i++) {
      LoginThrottle.Attempt a = throttle.begin(address, account);
      assertNotNull(a, "attempt " + (i + 1));
      a.failed();
    }
  }

  @Test
  void theSixthAttemptAfterFiveFailuresIsRefused() {
    fail("1.1.1.1", "alice", 5);
    assertNull(throttle.begin("1.1.1.1", "alice"));
    assertEquals(Duration.ofMinutes(15), throttle.retryAfter("1.1.1.1", "alice"));
  }

  @Test
  void theAccountIsLimitedFromEveryAddress() {
    for (int i = 0; i < 5; i++) fail("10.0.0." + i, "alice", 1);
    assertNull(throttle.begin("10.0.0.99", "alice"));
    assertNotNull(throttle.begin("10.0.0.99", "bob"));
  }

  @Test
  void theAddressIsLimitedAcrossAccounts() {
    for (int i = 0; i < 5; i++) fail("1.1.1.1", "user" + i, 1);
    assertNull(throttle.begin("1.1.1.1", "fresh"));
    assertNotNull(throttle.begin("2.2.2.2", "fresh"));
  }

  @Test
  void theWindowSlides() {
    fail("1.1.1.1", "alice", 1);
    clock.advanceBy(Duration.ofMinutes(5));
    fail("1.1.1.1", "alice", 4);
    assertNull(throttle.begin("1.1.1.1", "alice"));
    // The first failure leaves the window ten minutes later; Retry-After says so.
    assertEquals(Duration.ofMinutes(10), throttle.retryAfter("1.1.1.1", "alice"));
    clock.advanceBy(Duration.ofMinutes(10));
    assertNotNull(throttle.begin("1.1.1.1", "alice"));
    assertNull(throttle.begin("1.1.1.1", "alice"), "that was the fifth in the window again");
  }

  @Test
  void aSuccessResetsTheAccountAndForgivesItsFailuresAtTheAddress() {
    fail("1.1.1.1", "alice", 3);
    fail("1.1.1.1", "mallory-target", 1);
    throttle.begin("1.1.1.1", "alice").succeeded();
    // alice's three left the address's count, the other account's one stayed: 4 more, then blocked.
    fail("1.1.1.1", "alice", 4);
    assertNull(throttle.begin("1.1.1.1", "alice"));
    assertNull(throttle.begin("1.1.1.1", "someone-else"), "the address is at five");
  }

  @Test
  void aSuccessAfterFourTyposLeavesFiveMoreTries() {
    fail("1.1.1.1", "alice", 4);
    throttle.begin("1.1.1.1", "alice").succeeded();
    fail("1.1.1.1", "alice", 5);
    assertNull(throttle.begin("1.1.1.1", "alice"));
  }

  @Test
  void parallelAttemptsCountBeforeTheyFinish() {
    LoginThrottle.Attempt[] inFlight = new LoginThrottle.Attempt[5];
    for (int i = 0; i < 5; i++) inFlight[i] = throttle.begin("1.1.1.1", "alice");
    assertNull(throttle.begin("1.1.1.1", "alice"), "five guesses in flight already");
    inFlight[0].cancelled();
    assertNotNull(throttle.begin("1.1.1.1", "alice"), "a cancelled attempt does not count");
  }

  @Test
  void memoryIsBoundedWhateverTheKeys() {
    for (int i = 0; i < 10_000; i++) throttle.begin("10." + (i >> 8) + "." + (i & 255) + ".1", "name" + i).failed();
    assertTrue(throttle.size() <= 200, "remembered " + throttle.size());
  }

  @Test
  void withTheDefaultsOneAccountsFailuresDoNotLockOutTheOthersBehindItsAddress() {
    // Issue #13: five wrong passwords for alice from an office's one address used to lock out
    // everyone behind it for 15 minutes.
    AuthOptions o = AuthOptions.DEFAULTS;
    LoginThrottle defaults = new LoginThrottle(clock, o.maxFailuresPerAccount(), o.maxFailuresPerAddress(),
        o.failureWindow(), o.throttleEntries());
    for (int i = 0; i < o.maxFailuresPerAccount(); i++) defaults.begin("10.1.1.1", "alice").failed();
    assertNull(defaults.begin("10.1.1.1", "alice"), "alice is blocked");
    for (int i = 0; i < 20; i++) assertNull(defaults.begin("10.1.1.1", "alice"), "and blocked attempts do not count");
    assertNotNull(defaults.begin("10.1.1.1", "bob"), "bob, behind the same address, is not");
    // Ten accounts' worth of failures from one address do block it.
    for (int a = 0; a < o.maxFailuresPerAddress() / o.maxFailuresPerAccount(); a++) {
      for (int i = 0; i < o.maxFailuresPerAccount(); i++) {
        LoginThrottle.Attempt t = defaults.begin("10.2.2.2", "user" + a);
        assertNotNull(t);
        t.failed();
      }
    }
    assertNull(defaults.begin("10.2.2.2", "someone-else"), "a sprayer gets " + o.maxFailuresPerAddress() + " guesses");
  }
}
