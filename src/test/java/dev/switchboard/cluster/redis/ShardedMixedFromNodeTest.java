package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.cluster.ClusterAdapterBase;
import dev.switchboard.cluster.redis.testing.ClientHost;
import dev.switchboard.cluster.redis.testing.MixedCluster;
import dev.switchboard.cluster.redis.testing.NodeNodeProcess;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The other direction of a mixed cluster: a Node server ({@code createShardedAdapter}) broadcasts,
 * collects acks, fetches sockets, joins/leaves/disconnects them and emits server-side events, and
 * the Switchboard servers' official clients and handlers receive and answer — the messages of
 * Node's sharded adapter as Node builds them (and on the channels it picks in each subscription
 * mode, one subclass per mode), read by ours. Two Switchboard servers and one Node server on one
 * Redis, started once per class; a client of each. Skipped with {@code -Dconformance.skip=true}.
 */
abstract class ShardedMixedFromNodeTest {
  private static RedisServer redis;
  private static MixedCluster mixed;

  private MixedCluster.OfficialClient java0;
  private MixedCluster.OfficialClient java1;
  private MixedCluster.OfficialClient onNode;

  /** Two Switchboard servers and one Node server in {@code mode}, on a fresh Redis. */
  static void startMixed(SubscriptionMode mode) throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    redis = RedisServer.start();
    ShardedRedisAdapter.Options options = ShardedRedisAdapter.Options.builder().subscriptionMode(mode.optionValue()).build();
    mixed = MixedCluster.builder(redis)
        .javaNodes(2, link -> ShardedRedisAdapter.createShardedAdapter(link, options))
        .nodeNodes(1, "--adapter", "redis-sharded", "--subscription-mode", mode.optionValue())
        .pendingRequests(a -> ((ClusterAdapterBase) a).pendingRequests())
        .start();
  }

  @AfterAll
  static void stop() {
    if (mixed != null) mixed.close();
    if (redis != null) redis.close();
    mixed = null;
    redis = null;
  }

  @BeforeEach
  void connect() {
    java0 = mixed.member(0).connect("/");
    java1 = mixed.member(1).connect("/");
    onNode = mixed.member(2).connect("/");
    mixed.settle();
  }

  @AfterEach
  void reset() {
    mixed.reset();
  }

  private NodeNodeProcess node() {
    return mixed.node(2).process();
  }

  @Test
  void aNodeBroadcastReachesTheSwitchboardServersClientsWithBinaryAndRooms() {
    java1.join("room");
    mixed.settle();
    node().call("emit", "event", "all", "args", List.of(1, ClientHost.toWire(new byte[] {7, 8})));
    node().call("emit", "rooms", List.of("room"), "event", "room-only", "args", List.of("r"));
    node().call("emit", "except", List.of("room"), "event", "not-room", "args", List.of());
    mixed.settle();
    for (MixedCluster.OfficialClient c : List.of(java0, java1, onNode)) {
      List<ArrayNode> all = c.received("all");
      assertEquals(1, all.size(), c + ": " + all);
      assertEquals(1, all.get(0).get(0).intValue());
      assertTrue(all.get(0).get(1).isBinary(), "binary crossed as binary: " + all);
    }
    assertEquals(List.of(0, 1, 0), List.of(java0.received("room-only").size(), java1.received("room-only").size(),
        onNode.received("room-only").size()));
    assertEquals(List.of(1, 0, 1), List.of(java0.received("not-room").size(), java1.received("not-room").size(),
        onNode.received("not-room").size()));
  }

  @Test
  void aNodeBroadcastWithAcksGetsTheSwitchboardClientsAnswers() {
    java0.answer("q", "from java0");
    java1.answer("q", new byte[] {1, 2});
    onNode.answer("q", 3);
    JsonNode r = node().call("emitWithAck", "event", "q", "timeout", 5000);
    assertTrue(r.path("error").isNull(), r.toString());
    Set<String> answers = new HashSet<>();
    for (JsonNode a : r.path("responses")) answers.add(a.toString());
    assertEquals(Set.of("\"from java0\"", "{\"$binary\":\"0102\"}", "3"), answers);
    assertEquals(0, ((ClusterAdapterBase) mixed.java(0).io().sockets().adapter()).pendingRequests());
  }

  @Test
  void aNodeFetchSocketsListsTheSwitchboardSocketsWithDataRoomsAndHandshake() {
    java1.join("room");
    java1.putData("level", 3);
    mixed.settle();
    JsonNode sockets = node().call("fetchSockets");
    assertEquals(3, sockets.size(), sockets.toString());
    JsonNode s = node().call("fetchSockets", "rooms", List.of("room")).get(0);
    assertEquals(java1.id(), s.path("id").asText());
    assertEquals(List.of(java1.id(), "room"), List.of(s.path("rooms").get(0).asText(), s.path("rooms").get(1).asText()),
        "the socket's own room first, as Node lists them");
    assertEquals(3, s.path("data").path("level").intValue());
    assertTrue(s.path("auth").isObject(), s.toString());
  }

  @Test
  void aNodeServerSideEmitReachesTheSwitchboardHandlersAndTheirAcksComeBack() {
    JsonNode r = node().call("serverSideEmit", "event", "whoami", "withAck", true);
    assertTrue(r.path("error").isNull(), r.toString());
    Set<String> ids = new HashSet<>();
    for (JsonNode a : r.path("responses")) ids.add(a.path("kind").asText() + ":" + a.path("id").asText());
    assertEquals(Set.of("java:java-0", "java:java-1"), ids, "each Switchboard server answered once: " + r);

    mixed.member(0).onServerSideEmit("hello", null);
    mixed.member(1).onServerSideEmit("hello", null);
    node().call("serverSideEmit", "event", "hello", "args", List.of("w", 1));
    Await.until("both Switchboard servers ran their handler",
        () -> !mixed.member(0).serverSideEvents().isEmpty() && !mixed.member(1).serverSideEvents().isEmpty());
    assertEquals(List.of("hello [\"w\",1]"), mixed.member(0).serverSideEvents());
    assertEquals(List.of("hello [\"w\",1]"), mixed.member(1).serverSideEvents());
  }

  @Test
  void aNodeServerMovesAndDisconnectsSwitchboardSockets() {
    node().call("socketsJoin", "room", "joined");
    mixed.settle();
    assertTrue(java0.rooms().contains("joined") && java1.rooms().contains("joined") && onNode.rooms().contains("joined"));
    node().call("socketsLeave", "rooms", List.of(java1.id()), "room", "joined");
    mixed.settle();
    assertTrue(java0.rooms().contains("joined"));
    assertFalse(java1.rooms().contains("joined"));
    node().call("disconnectSockets", "rooms", List.of("joined"), "close", true);
    mixed.settle();
    Await.until("the sockets in the room were disconnected", () -> java0.disconnectedByServer() && onNode.disconnectedByServer());
    assertFalse(java1.disconnectedByServer());
  }

  @Test
  void everyServerCountsTheOthers() {
    assertEquals(3, node().call("serverCount").asInt());
    assertEquals(3, mixed.member(0).serverCount("/"));
  }
}
