package dev.switchboard.cluster.redis;

/** The adapter contract on three Switchboard servers with the sharded Redis adapter in {@code static} mode. */
class ShardedStaticContractTest extends ShardedRedisAdapterContractTest {
  @Override
  protected SubscriptionMode mode() {
    return SubscriptionMode.STATIC;
  }
}
