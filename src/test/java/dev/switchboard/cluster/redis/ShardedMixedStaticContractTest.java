package dev.switchboard.cluster.redis;

/** The sharded adapter on two Switchboard servers and one Node server, static mode. */
class ShardedMixedStaticContractTest extends ShardedMixedContractTest {
  @Override
  int javaNodes() {
    return 2;
  }

  @Override
  SubscriptionMode mode() {
    return SubscriptionMode.STATIC;
  }
}
