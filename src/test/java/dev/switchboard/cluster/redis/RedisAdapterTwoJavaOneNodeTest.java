package dev.switchboard.cluster.redis;

/**
 * The mixed cluster of two Switchboard servers and one Node server, with the {@link RedisAdapter}
 * and {@code @socket.io/redis-adapter} 8.3 on the shared response channel (the default).
 */
class RedisAdapterTwoJavaOneNodeTest extends RedisAdapterMixedClusterTest {
  @Override
  int javaNodes() {
    return 2;
  }
}
