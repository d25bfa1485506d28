package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.cluster.redis.testing.ClientHost;
import dev.switchboard.cluster.redis.testing.MixedCluster;
import dev.switchboard.cluster.redis.testing.MixedCluster.OfficialClient;
import dev.switchboard.cluster.redis.testing.NodeNodeProcess;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The adapter contract on a mixed cluster — Switchboard servers with the {@link RedisAdapter} and
 * Node socket.io 4.8 servers with {@code @socket.io/redis-adapter} 8.3 on one real Redis, official
 * {@code socket.io-client}s on every server — where server 0, a Switchboard server, starts every
 * scenario; plus the scenarios started from a Node server (its broadcasts, acks, fetchSockets,
 * socketsJoin, disconnectSockets, allRooms and server-side events reaching the Switchboard
 * servers' sockets and handlers), so that both directions are covered.
 *
 * <p>The servers, Redis and the client host start once per class ({@link MixedCluster}); each test
 * gets fresh clients. Skipped with {@code -Dconformance.skip=true}, like every test that runs Node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisAdapterMixedClusterTest extends AdapterContractTest {
  private RedisServer redis;
  private MixedCluster mixed;

  /** How many of the three servers are Switchboard servers (the others are Node's). */
  abstract int javaNodes();

  /** Whether every server answers on the asker's own response channel. */
  boolean specificResponseChannel() {
    return false;
  }

  @BeforeAll
  void startCluster() throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    redis = RedisServer.start();
    RedisAdapterOptions options = RedisAdapterOptions.builder().publishOnSpecificResponseChannel(specificResponseChannel()).build();
    List<String> nodeArgs = new ArrayList<>(List.of("--adapter", "redis"));
    if (specificResponseChannel()) nodeArgs.add("--specific-response-channel");
    mixed = MixedCluster.builder(redis)
        .javaNodes(javaNodes(), link -> RedisAdapter.factory(link, options))
        .nodeNodes(3 - javaNodes(), nodeArgs.toArray(new String[0]))
        .pendingRequests(a -> ((RedisAdapter) a).pendingRequests())
        .start();
  }

  @AfterAll
  void stopCluster() {
    if (mixed != null) mixed.close();
    if (redis != null) redis.close();
  }

  @Override
  protected Cluster startCluster(int nodes) {
    return mixed.contract();
  }

  /** The first Node server of the cluster. */
  private NodeNodeProcess nodeServer() {
    return mixed.node(javaNodes()).process();
  }

  private OfficialClient client(int i) {
    return (OfficialClient) clients.get(i);
  }

  private List<Integer> counts(String event) {
    List<Integer> out = new ArrayList<>();
    for (Client c : clients) out.add(c.received(event).size());
    return out;
  }

  // ------------------------------------------------------------------ started from a Node server

  @Test
  void aNodeServersBroadcastReachesEveryClientWithItsBinary() {
    nodeServer().call("emit", "event", "fromNode", "args", List.of(1, ClientHost.toWire(new byte[] {5, 6})));
    cluster.settle();
    for (Client c : clients) {
      List<ArrayNode> got = c.received("fromNode");
      assertEquals(1, got.size(), c + ": " + got);
      assertEquals(1, got.get(0).get(0).intValue());
      assertTrue(got.get(0).get(1).isBinary(), "binary through Redis: " + got);
    }
  }

  @Test
  void aNodeServersBroadcastToARoomAndExceptReachesOnlyTheMembers() {
    client(0).join("room1");
    client(2).join("room1", "quiet");
    nodeServer().call("emit", "rooms", List.of("room1"), "except", List.of("quiet"), "event", "fromNode", "args", List.of());
    cluster.settle();
    assertEquals(List.of(1, 0, 0), counts("fromNode"));
  }

  @Test
  void aNodeServersBroadcastWithAcksCollectsTheSwitchboardClientsAnswers() {
    client(0).answer("question", "zero");
    client(1).answer("question", new byte[] {1});
    client(2).answer("question", 2);
    JsonNode r = nodeServer().call("emitWithAck", "event", "question", "timeout", 3000);
    assertTrue(r.path("error").isNull(), r.toString());
    Set<String> answers = new HashSet<>();
    for (JsonNode a : r.path("responses")) answers.add(a.toString());
    assertEquals(Set.of("\"zero\"", "{\"$binary\":\"01\"}", "2"), answers);
  }

  @Test
  void aNodeServersFetchSocketsSeesTheSwitchboardSocketsWithTheirRoomsAndData() {
    client(0).join("room1");
    client(0).putData("level", 3);
    Map<String, JsonNode> byId = new java.util.HashMap<>();
    for (JsonNode s : nodeServer().call("fetchSockets")) byId.put(s.path("id").asText(), s);
    assertEquals(Set.of(client(0).id(), client(1).id(), client(2).id()), byId.keySet());
    JsonNode s0 = byId.get(client(0).id());
    assertEquals(Set.of(client(0).id(), "room1"), textSet(s0.path("rooms")));
    assertEquals(3, s0.path("data").path("level").asInt(), s0.toString());
    assertTrue(s0.path("auth").isObject(), s0.toString());
    JsonNode inRoom = nodeServer().call("fetchSockets", "rooms", List.of("room1"));
    assertEquals(1, inRoom.size(), inRoom.toString());
  }

  @Test
  void aNodeServersSocketsJoinAndDisconnectSocketsMoveTheSwitchboardSockets() {
    nodeServer().call("socketsJoin", "room", "fromNode");
    cluster.settle();
    for (Client c : clients) assertTrue(c.rooms().contains("fromNode"), c + ": " + c.rooms());
    nodeServer().call("socketsLeave", "rooms", List.of(client(0).id()), "room", "fromNode");
    nodeServer().call("disconnectSockets", "rooms", List.of(client(1).id()));
    cluster.settle();
    assertFalse(client(0).rooms().contains("fromNode"));
    assertEquals(List.of(false, true, false), clients.stream().map(Client::disconnectedByServer).toList());
  }

  @Test
  void aNodeServersAllRoomsListsTheSwitchboardServersRooms() {
    client(0).join("a");
    JsonNode rooms = nodeServer().call("allRooms");
    Set<String> expected = new HashSet<>(Set.of("a", client(0).id(), client(1).id(), client(2).id()));
    assertEquals(expected, textSet(rooms));
  }

  @Test
  void aNodeServersServerSideEmitReachesTheSwitchboardHandlersAndTheirAcks() {
    for (int i = 0; i < cluster.size(); i++) cluster.node(i).onServerSideEmit("hello", "from " + i);
    JsonNode r = nodeServer().call("serverSideEmit", "event", "hello", "args", List.of("x", 1), "withAck", true);
    assertTrue(r.path("error").isNull(), r.toString());
    Set<String> answers = new HashSet<>();
    for (JsonNode a : r.path("responses")) answers.add(a.asText());
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < cluster.size(); i++) if (i != javaNodes()) expected.add("from " + i);
    assertEquals(expected, answers, "every other server answered, Switchboard ones included");
    nodeServer().call("serverSideEmit", "event", "hello", "args", List.of("no ack"));
    Await.until("server 0 heard both", () -> cluster.node(0).serverSideEvents().size() == 2);
    assertEquals(List.of("hello [\"x\",1]", "hello [\"no ack\"]"), cluster.node(0).serverSideEvents());
  }

  private static Set<String> textSet(JsonNode array) {
    Set<String> out = new HashSet<>();
    for (JsonNode n : array) out.add(n.asText());
    return out;
  }
}
