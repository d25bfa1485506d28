package dev.switchboard.cluster.redis;

/**
 * The mixed cluster of one Switchboard server and two Node servers, pub/sub sharded ({@code
 * useShardedPubSub}: {@code SPUBLISH}/{@code SSUBSCRIBE}, counted with {@code SHARDNUMSUB}).
 */
class RedisStreamsOneJavaTwoNodeTest extends RedisStreamsMixedClusterTest {
  @Override
  int javaNodes() {
    return 1;
  }

  @Override
  boolean shardedPubSub() {
    return true;
  }
}
