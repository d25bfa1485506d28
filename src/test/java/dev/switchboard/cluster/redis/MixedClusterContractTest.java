package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.cluster.redis.testing.ClientHost;
import dev.switchboard.cluster.redis.testing.MixedCluster;
import dev.switchboard.cluster.redis.testing.NodeNodeProcess;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The adapter contract on a mixed cluster of three servers — Switchboard servers with one of our
 * Redis adapters and Node socket.io 4.8 servers ({@code conformance/cluster/node-node.mjs}) with
 * the matching Node package, on one real Redis, official {@code socket.io-client}s on every server
 * — in both directions: the contract's scenarios start from server 0, a Switchboard server; the
 * scenarios below start from the first Node server (its broadcasts with binary, rooms and except,
 * broadcast acks, fetchSockets, socketsJoin/Leave, disconnectSockets, server-side events with and
 * without acks, its count of servers) and must reach the Switchboard servers' sockets and
 * handlers.
 *
 * <p>A subclass names its adapter's mix ({@link #mix}) and how many of the three servers are
 * Switchboard's; it may settle further ({@link #settleMore}, e.g. until every stream reader has
 * read everything). Redis, the servers and the client host start once per class
 * ({@link MixedCluster}); each test gets fresh clients, one per server. Skipped with
 * {@code -Dconformance.skip=true}, like every test that runs Node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MixedClusterContractTest extends AdapterContractTest {
  private RedisServer redis;
  private MixedCluster mixed;

  /** How many of the three servers are Switchboard servers (the others are Node's). */
  abstract int javaNodes();

  /**
   * The adapter under test on both sides: {@code javaNodes()} Switchboard servers
   * ({@code MixedCluster.Builder.javaNodes}), {@code 3 - javaNodes()} Node servers
   * ({@code nodeNodes}) and how to read a Switchboard adapter's pending requests.
   */
  abstract MixedCluster.Builder mix(MixedCluster.Builder builder);

  /** Called once the cluster runs, before any test. */
  void started(RedisServer redis, MixedCluster mixed) {}

  /** Called after the harness settled the cluster (every server's round trip, then every client's). */
  void settleMore(MixedCluster mixed) {}

  /** Called before the cluster stops. */
  void stopping() {}

  @BeforeAll
  void startMixedCluster() throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    redis = RedisServer.start();
    mixed = mix(MixedCluster.builder(redis)).start();
    started(redis, mixed);
  }

  @AfterAll
  void stopMixedCluster() {
    stopping();
    if (mixed != null) mixed.close();
    if (redis != null) redis.close();
  }

  @Override
  protected Cluster startCluster(int nodes) {
    Cluster view = mixed.contract();
    return new Cluster() {
      @Override
      public SocketIoServer server() {
        return view.server();
      }

      @Override
      public AdapterContractTest.Node node(int i) {
        return view.node(i);
      }

      @Override
      public int size() {
        return view.size();
      }

      @Override
      public void settle() {
        view.settle();
        settleMore(mixed);
      }

      @Override
      public void elapse(Duration d) {
        view.elapse(d);
      }

      @Override
      public int pendingRequests() {
        return view.pendingRequests();
      }

      @Override
      public void close() {
        view.close();
      }
    };
  }

  /** The first Node server of the cluster. */
  NodeNodeProcess nodeServer() {
    return mixed.node(javaNodes()).process();
  }

  private List<Integer> counts(String event) {
    List<Integer> out = new ArrayList<>();
    for (Client c : clients) out.add(c.received(event).size());
    return out;
  }

  static Set<String> textSet(JsonNode array) {
    Set<String> out = new HashSet<>();
    for (JsonNode n : array) out.add(n.asText());
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
      assertTrue(got.get(0).get(1).isBinary(), "binary crossed as binary: " + got);
      assertEquals(2, got.get(0).size(), "no offset without recovery: " + got);
    }
  }

  @Test
  void aNodeServersBroadcastToARoomAndExceptReachesOnlyTheMembers() {
    clients.get(0).join("room1");
    clients.get(2).join("room1", "quiet");
    nodeServer().call("emit", "rooms", List.of("room1"), "except", List.of("quiet"), "event", "fromNode", "args", List.of());
    nodeServer().call("emit", "except", List.of("room1"), "event", "notRoom1", "args", List.of());
    cluster.settle();
    assertEquals(List.of(1, 0, 0), counts("fromNode"));
    assertEquals(List.of(0, 1, 0), counts("notRoom1"));
  }

  @Test
  void aNodeServersBroadcastWithAcksCollectsTheSwitchboardClientsAnswers() {
    clients.get(0).answer("question", "zero");
    clients.get(1).answer("question", new byte[] {1});
    clients.get(2).answer("question", 2);
    JsonNode r = nodeServer().call("emitWithAck", "event", "question", "timeout", 3000);
    assertTrue(r.path("error").isNull(), r.toString());
    Set<String> answers = new HashSet<>();
    for (JsonNode a : r.path("responses")) answers.add(a.toString());
    assertEquals(Set.of("\"zero\"", "{\"$binary\":\"01\"}", "2"), answers);
  }

  @Test
  void aNodeServersFetchSocketsSeesTheSwitchboardSocketsWithTheirRoomsAndData() {
    clients.get(0).join("room1");
    clients.get(0).putData("level", 3);
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode s : nodeServer().call("fetchSockets")) byId.put(s.path("id").asText(), s);
    assertEquals(Set.of(clients.get(0).id(), clients.get(1).id(), clients.get(2).id()), byId.keySet());
    JsonNode s0 = byId.get(clients.get(0).id());
    assertEquals(List.of(clients.get(0).id(), "room1"), List.of(s0.path("rooms").get(0).asText(), s0.path("rooms").get(1).asText()),
        "the socket's own room first, as Node lists them: " + s0);
    assertEquals(3, s0.path("data").path("level").asInt(), s0.toString());
    assertTrue(s0.path("auth").isObject(), s0.toString());
    JsonNode inRoom = nodeServer().call("fetchSockets", "rooms", List.of("room1"));
    assertEquals(1, inRoom.size(), inRoom.toString());
  }

  @Test
  void aNodeServersSocketsJoinLeaveAndDisconnectSocketsMoveTheSwitchboardSockets() {
    nodeServer().call("socketsJoin", "room", "fromNode");
    cluster.settle();
    for (Client c : clients) assertTrue(c.rooms().contains("fromNode"), c + ": " + c.rooms());
    nodeServer().call("socketsLeave", "rooms", List.of(clients.get(0).id()), "room", "fromNode");
    nodeServer().call("disconnectSockets", "rooms", List.of(clients.get(1).id()));
    cluster.settle();
    assertFalse(clients.get(0).rooms().contains("fromNode"));
    assertEquals(List.of(false, true, false), clients.stream().map(Client::disconnectedByServer).toList());
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

  @Test
  void theNodeServerAndTheSwitchboardServersCountEveryServer() {
    assertEquals(3, nodeServer().call("serverCount").asInt());
    for (int i = 0; i < javaNodes(); i++) assertEquals(3, mixed.member(i).serverCount("/"), "server " + i);
  }
}
