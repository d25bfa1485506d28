package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.switchboard.cluster.ClusterAdapterBase;
import dev.switchboard.cluster.redis.testing.MixedCluster;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;

/**
 * The adapter contract on mixed clusters: Switchboard servers with the {@link ShardedRedisAdapter}
 * and Node socket.io 4.8 servers with {@code createShardedAdapter} of
 * {@code @socket.io/redis-adapter} 8.3 ({@code node-node.mjs --adapter redis-sharded
 * --subscription-mode …}) on one real Redis, official {@code socket.io-client}s spread over
 * them; every scenario acts from server 0, a Switchboard server. Each subclass starts its mix once
 * ({@code @BeforeAll}, through {@link #startMixed}); each test gets the cluster without clients.
 * Skipped with {@code -Dconformance.skip=true}, like every test that runs Node.
 */
abstract class ShardedMixedContractTest extends AdapterContractTest {
  private static RedisServer redis;
  private static MixedCluster mixed;

  /** {@code java} Switchboard and {@code node} Node servers in {@code mode}, on a fresh Redis. */
  static void startMixed(int java, int node, SubscriptionMode mode) throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    redis = RedisServer.start();
    ShardedRedisAdapter.Options options = ShardedRedisAdapter.Options.builder().subscriptionMode(mode).build();
    mixed = MixedCluster.builder(redis)
        .javaNodes(java, link -> ShardedRedisAdapter.createShardedAdapter(link, options))
        .nodeNodes(node, "--adapter", "redis-sharded", "--subscription-mode", mode.optionValue())
        .pendingRequests(a -> ((ClusterAdapterBase) a).pendingRequests())
        .start();
  }

  @AfterAll
  static void stopMixed() {
    if (mixed != null) mixed.close();
    if (redis != null) redis.close();
    mixed = null;
    redis = null;
  }

  @Override
  protected Cluster startCluster(int nodes) {
    return mixed.contract();
  }
}
