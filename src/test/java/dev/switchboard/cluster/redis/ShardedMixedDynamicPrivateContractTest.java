package dev.switchboard.cluster.redis;

import org.junit.jupiter.api.BeforeAll;

/** The adapter contract on one Switchboard server and two Node servers, dynamic-private mode. */
class ShardedMixedDynamicPrivateContractTest extends ShardedMixedContractTest {
  @BeforeAll
  static void start() throws Exception {
    startMixed(1, 2, SubscriptionMode.DYNAMIC_PRIVATE);
  }
}
