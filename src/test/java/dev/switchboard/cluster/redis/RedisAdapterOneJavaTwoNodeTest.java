package dev.switchboard.cluster.redis;

/**
 * The mixed cluster of one Switchboard server and two Node servers, every server answering on the
 * asker's own response channel ({@code publishOnSpecificResponseChannel}).
 */
class RedisAdapterOneJavaTwoNodeTest extends RedisAdapterMixedClusterTest {
  @Override
  int javaNodes() {
    return 1;
  }

  @Override
  boolean specificResponseChannel() {
    return true;
  }
}
