package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(4, 1, 4);

  @AfterEach
  void close() {
    hasher.close();
  }

  /** Hashes made by other bcrypt implementations, with the password they were made from. */
  static Stream<Arguments> foreignHashes() {
    return Stream.of(
        // bcryptjs 2.4.3 (npm), $2a$
        Arguments.of("$2a$04$TihjWD9eKMnqZuN7a8ADwe4zJHtb412TRUD.IhGqKQT9nVx4YaZB6", "correct horse battery"),
        // bcryptjs 3.0.3 (npm), $2b$ — the OpenBSD 2014 prefix
        Arguments.of("$2b$04$lipOh1zOwui9mq3v4u3dNOZmTkGcMXDBPdBg5n6SaHqGe0F6/LFO2", "correct horse battery"),
        Arguments.of("$2b$05$TU/wF.gbh/4RxpV5Opx/jenbKSduEJEy3P6pOJIom3TyUh2IPNTJm", "Passw0rd-ünïcødé"),
        // PHP password_hash(), $2y$ — the example of the PHP manual's password_verify page
        Arguments.of("$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a", "rasmuslerdorf"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("foreignHashes")
  void hashesOfOtherImplementationsVerify(String hash, String password) throws Exception {
    assertTrue(hasher.verify(password, hash).get(10, TimeUnit.SECONDS), "right password");
    assertFalse(hasher.verify(password + "x", hash).get(10, TimeUnit.SECONDS), "wrong password");
  }

  @Test
  void ourHashesAre2aAtTheConfiguredCostAndVerify() throws Exception {
    String h = hasher.hash("correct horse battery").get(10, TimeUnit.SECONDS);
    assertTrue(h.startsWith("$2a$04$"), h);
    assertTrue(hasher.verify("correct horse battery", h).get(10, TimeUnit.SECONDS));
    assertFalse(hasher.verify("correct horse batterY", h).get(10, TimeUnit.SECONDS));
  }

  static Stream<String> unusableHashes() {
    return Stream.of(
        "", "not a hash", "$2x$04$TihjWD9eKMnqZuN7a8ADwe4zJHtb412TRUD.IhGqKQT9nVx4YaZB6", // $2x$: buggy variant
        "$2a$04$TihjWD9eKMnqZuN7a8ADwe4zJHtb412TRUD.IhGqKQT9nVx4YaZB", // short
        "$2a$99$TihjWD9eKMnqZuN7a8ADwe4zJHtb412TRUD.IhGqKQT9nVx4YaZB6", // cost out of range
        "$2a$31$TihjWD9eKMnqZuN7a8ADwe4zJHtb412TRUD.IhGqKQT9nVx4YaZB6", // a CPU bomb
        "$2a$04$TihjWD9eKMnqZuN7a8ADwe4zJHtb412TRUD.IhGqKQT9nVx4YaZ!6", // not bcrypt's base64
        "$1$abc$0123456789012345678901234567890123456789012345678901"); // MD5-crypt
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("unusableHashes")
  void malformedStoredHashesFailClosed(String hash) throws Exception {
    assertFalse(hasher.verify("anything", hash).get(10, TimeUnit.SECONDS));
  }

  @Test
  void anUnknownUserCostsABcryptCheckToo() throws Exception {
    // null = no such user: checked against the dummy hash and refused.
    assertFalse(hasher.verify("whatever", null).get(10, TimeUnit.SECONDS));
  }

  @Test
  void normalisationRewritesOnlyThePrefix() {
    assertEquals("$2a$04$lipOh1zOwui9mq3v4u3dNOZmTkGcMXDBPdBg5n6SaHqGe0F6/LFO2",
        PasswordHasher.normalise("$2b$04$lipOh1zOwui9mq3v4u3dNOZmTkGcMXDBPdBg5n6SaHqGe0F6/LFO2"));
    assertNull(PasswordHasher.normalise("$2x$04$lipOh1zOwui9mq3v4u3dNOZmTkGcMXDBPdBg5n6SaHqGe0F6/LFO2"));
  }

  @Test
  void aFullQueueRefusesWorkInsteadOfQueueingWithoutBound() throws Exception {
    java.util.concurrent.ExecutorService pool = PasswordHasher.boundedPool(1, 2);
    PasswordHasher small = new PasswordHasher(4, pool);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      pool.execute(() -> { // occupies the only thread
        busy.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(busy.await(10, TimeUnit.SECONDS));
      CompletableFuture<Boolean> queued1 = small.verify("y", null);
      CompletableFuture<Boolean> queued2 = small.verify("y", null);
      assertThrows(RejectedExecutionException.class, () -> small.verify("y", null));
      release.countDown();
      assertFalse(queued1.get(10, TimeUnit.SECONDS));
      assertFalse(queued2.get(10, TimeUnit.SECONDS));
    } finally {
      release.countDown();
      small.close();
    }
  }

  @Test
  void costOutsideBcryptsRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(3, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(32, 1, 1));
  }
}
