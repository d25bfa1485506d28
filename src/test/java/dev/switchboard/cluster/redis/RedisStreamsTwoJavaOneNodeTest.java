package dev.switchboard.cluster.redis;

/** The mixed cluster of two Switchboard servers and one Node server, pub/sub plain ({@code PUBLISH}). */
class RedisStreamsTwoJavaOneNodeTest extends RedisStreamsMixedClusterTest {
  @Override
  int javaNodes() {
    return 2;
  }
}
