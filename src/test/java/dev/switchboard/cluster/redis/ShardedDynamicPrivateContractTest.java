package dev.switchboard.cluster.redis;

/** The adapter contract on three Switchboard servers with the sharded Redis adapter in {@code dynamic-private} mode. */
class ShardedDynamicPrivateContractTest extends ShardedRedisAdapterContractTest {
  @Override
  protected SubscriptionMode mode() {
    return SubscriptionMode.DYNAMIC_PRIVATE;
  }
}
