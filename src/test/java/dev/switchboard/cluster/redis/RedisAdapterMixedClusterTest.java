package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.redis.testing.MixedCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The adapter contract on mixed clusters, both directions ({@link MixedClusterContractTest}):
 * Switchboard servers with the {@link RedisAdapter} and Node socket.io 4.8 servers with
 * {@code @socket.io/redis-adapter} 8.3 on one real Redis; plus Node's {@code allRooms} (the sharded
 * adapter has none) listing the Switchboard servers' rooms.
 */
abstract class RedisAdapterMixedClusterTest extends MixedClusterContractTest {
  /** Whether every server answers on the asker's own response channel. */
  boolean specificResponseChannel() {
    return false;
  }

  @Override
  MixedCluster.Builder mix(MixedCluster.Builder builder) {
    RedisAdapterOptions options = RedisAdapterOptions.builder().publishOnSpecificResponseChannel(specificResponseChannel()).build();
    List<String> nodeArgs = new ArrayList<>(List.of("--adapter", "redis"));
    if (specificResponseChannel()) nodeArgs.add("--specific-response-channel");
    return builder
        .javaNodes(javaNodes(), link -> RedisAdapter.factory(link, options))
        .nodeNodes(3 - javaNodes(), nodeArgs.toArray(new String[0]))
        .pendingRequests(a -> ((RedisAdapter) a).pendingRequests());
  }

  @Test
  void aNodeServersAllRoomsListsTheSwitchboardServersRooms() {
    clients.get(0).join("a");
    JsonNode rooms = nodeServer().call("allRooms");
    Set<String> expected = new HashSet<>(Set.of("a", clients.get(0).id(), clients.get(1).id(), clients.get(2).id()));
    assertEquals(expected, textSet(rooms));
  }
}
