package dev.switchboard.cluster.redis;

import org.junit.jupiter.api.BeforeAll;

/** The adapter contract on two Switchboard servers and one Node server, dynamic mode (the default). */
class ShardedMixedDynamicContractTest extends ShardedMixedContractTest {
  @BeforeAll
  static void start() throws Exception {
    startMixed(2, 1, SubscriptionMode.DYNAMIC);
  }
}
