package dev.switchboard.cluster.redis;

import org.junit.jupiter.api.BeforeAll;

/** A Node server's operations reaching Switchboard servers and their clients, {@code dynamic} mode. */
class ShardedMixedFromNodeDynamicTest extends ShardedMixedFromNodeTest {
  @BeforeAll
  static void start() throws Exception {
    startMixed(SubscriptionMode.DYNAMIC);
  }
}
