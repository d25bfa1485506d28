package dev.switchboard.cluster.redis;

import org.junit.jupiter.api.BeforeAll;

/** A Node server's operations reaching Switchboard servers and their clients, {@code dynamic-private} mode. */
class ShardedMixedFromNodeDynamicPrivateTest extends ShardedMixedFromNodeTest {
  @BeforeAll
  static void start() throws Exception {
    startMixed(SubscriptionMode.DYNAMIC_PRIVATE);
  }
}
