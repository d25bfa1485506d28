package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterAdapterBase;
import dev.switchboard.cluster.redis.testing.MixedCluster;

/**
 * The adapter contract on mixed clusters, both directions ({@link MixedClusterContractTest}):
 * Switchboard servers with the {@link ShardedRedisAdapter} and Node socket.io 4.8 servers with
 * {@code createShardedAdapter} of {@code @socket.io/redis-adapter} 8.3
 * ({@code node-node.mjs --adapter redis-sharded --subscription-mode …}) on one real Redis — so
 * the messages of Node's sharded adapter, on the channels it picks in each subscription mode, are
 * read by ours and ours by it. One subclass per mode and mix.
 */
abstract class ShardedMixedContractTest extends MixedClusterContractTest {
  /** The subscription mode of every server, Switchboard's and Node's. */
  abstract SubscriptionMode mode();

  @Override
  MixedCluster.Builder mix(MixedCluster.Builder builder) {
    ShardedRedisAdapterOptions options = ShardedRedisAdapterOptions.builder().subscriptionMode(mode()).build();
    return builder
        .javaNodes(javaNodes(), link -> ShardedRedisAdapter.factory(link, options))
        .nodeNodes(3 - javaNodes(), "--adapter", "redis-sharded", "--subscription-mode", mode().optionValue())
        .pendingRequests(a -> ((ClusterAdapterBase) a).pendingRequests());
  }
}
