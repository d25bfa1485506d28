package dev.switchboard.cluster.redis;

/** The sharded adapter on two Switchboard servers and one Node server, dynamic mode (the default). */
class ShardedMixedDynamicContractTest extends ShardedMixedContractTest {
  @Override
  int javaNodes() {
    return 2;
  }

  @Override
  SubscriptionMode mode() {
    return SubscriptionMode.DYNAMIC;
  }
}
