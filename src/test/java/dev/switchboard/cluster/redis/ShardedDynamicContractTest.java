package dev.switchboard.cluster.redis;

/** The adapter contract on three Switchboard servers with the sharded Redis adapter in {@code dynamic} mode. */
class ShardedDynamicContractTest extends ShardedRedisAdapterContractTest {
  @Override
  protected SubscriptionMode mode() {
    return SubscriptionMode.DYNAMIC;
  }
}
