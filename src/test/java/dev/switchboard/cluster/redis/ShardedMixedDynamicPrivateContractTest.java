package dev.switchboard.cluster.redis;

/** The sharded adapter on one Switchboard server and two Node servers, dynamic-private mode. */
class ShardedMixedDynamicPrivateContractTest extends ShardedMixedContractTest {
  @Override
  int javaNodes() {
    return 1;
  }

  @Override
  SubscriptionMode mode() {
    return SubscriptionMode.DYNAMIC_PRIVATE;
  }
}
