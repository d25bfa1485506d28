package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.redis.testing.MixedCluster;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The adapter contract on mixed clusters, both directions ({@link MixedClusterContractTest}):
 * Switchboard servers with {@link RedisStreamsAdapter} and Node socket.io 4.8 servers with
 * {@code @socket.io/redis-streams-adapter} 0.3.1 on one real Redis — lasting messages (broadcasts,
 * socketsJoin/Leave, disconnectSockets) through the stream, ephemeral ones (broadcast acks,
 * fetchSockets, server-side events and every answer) through pub/sub, plain or sharded.
 *
 * <p>Settling is the harness's (a server-side round trip from every server, then one from every
 * client) followed by a wait until every server's stream reader is blocked in Redis again — a
 * reader blocks only once it has read, and its server handled, every entry written before — and
 * the clients' round trip again, for what that delivered.
 */
abstract class RedisStreamsMixedClusterTest extends MixedClusterContractTest {
  private RedisProbe probe;

  /** Whether pub/sub is sharded ({@code useShardedPubSub}, {@code SPUBLISH}/{@code SSUBSCRIBE}). */
  boolean shardedPubSub() {
    return false;
  }

  @Override
  MixedCluster.Builder mix(MixedCluster.Builder builder) {
    String key = "mixed" + javaNodes();
    RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.builder()
        .streamName(key).channelPrefix(key).useShardedPubSub(shardedPubSub()).build();
    List<String> nodeArgs = new ArrayList<>(List.of("--adapter", "redis-streams", "--key", key));
    if (shardedPubSub()) nodeArgs.add("--sharded-pubsub");
    return builder
        .javaNodes(javaNodes(), link -> RedisStreamsAdapter.factory(link, options))
        .nodeNodes(3 - javaNodes(), nodeArgs.toArray(new String[0]))
        .pendingRequests(a -> ((RedisStreamsAdapter) a).pendingRequests());
  }

  @Override
  void started(RedisServer redis, MixedCluster mixed) {
    probe = new RedisProbe(redis.url());
    awaitReadersBlocked(mixed);
  }

  @Override
  void settleMore(MixedCluster mixed) {
    awaitReadersBlocked(mixed); // every stream entry read and handled by every server
    mixed.clients().settle(); // and what that sent to clients arrived
  }

  @Override
  void stopping() {
    if (probe != null) probe.close();
  }

  private void awaitReadersBlocked(MixedCluster mixed) {
    Await.until("the stream reader of every server blocked in Redis", () -> probe.blockedClients() == mixed.size());
  }
}
