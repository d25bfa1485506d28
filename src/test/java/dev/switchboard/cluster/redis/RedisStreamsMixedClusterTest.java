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
 * The adapter contract on a mixed cluster — Switchboard servers with {@link RedisStreamsAdapter}
 * and Node socket.io 4.8 servers with {@code @socket.io/redis-streams-adapter} 0.3.1 on one real
 * Redis, official {@code socket.io-client}s on every server — started from server 0, a Switchboard
 * server; plus scenarios started from a Node server (its broadcasts through the stream, with
 * binary, rooms and except; its broadcast acks, fetchSockets, socketsJoin/Leave, disconnectSockets
 * and server-side events with acks through pub/sub) reaching the Switchboard sockets and
 * handlers, so that both directions are covered.
 *
 * <p>Settling is the harness's (a server-side round trip from every server, then one from every
 * client) with, in between, a wait until every server's stream reader is blocked in Redis again:
 * a reader blocks only once it has read — and its server handled — every entry written before.
 *
 * <p>Servers, Redis and the client host start once per class; each test gets fresh clients.
 * Skipped with {@code -Dconformance.skip=true}, like every test that runs Node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisStreamsMixedClusterTest extends AdapterContractTest {
  private RedisServer redis;
  private RedisProbe probe;
  private MixedCluster mixed;

  /** How many of the three servers are Switchboard servers (the others are Node's). */
  abstract int javaNodes();

  /** Whether pub/sub is sharded ({@code useShardedPubSub}, {@code SPUBLISH}/{@code SSUBSCRIBE}). */
  boolean shardedPubSub() {
    return false;
  }

  @BeforeAll
  void startMixedCluster() throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    redis = RedisServer.start();
    probe = new RedisProbe(redis.url());
    String key = "mixed" + javaNodes();
    RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.builder()
        .streamName(key).channelPrefix(key).useShardedPubSub(shardedPubSub()).build();
    List<String> nodeArgs = new ArrayList<>(List.of("--adapter", "redis-streams", "--key", key));
    if (shardedPubSub()) nodeArgs.add("--sharded-pubsub");
    mixed = MixedCluster.builder(redis)
        .javaNodes(javaNodes(), link -> RedisStreamsAdapter.factory(link, options))
        .nodeNodes(3 - javaNodes(), nodeArgs.toArray(new String[0]))
        .pendingRequests(a -> ((RedisStreamsAdapter) a).pendingRequests())
        .start();
    awaitReadersBlocked();
  }

  @AfterAll
  void stopMixedCluster() {
    if (mixed != null) mixed.close();
    if (probe != null) probe.close();
    if (redis != null) redis.close();
  }

  private void awaitReadersBlocked() {
    Await.until("the stream reader of every server blocked in Redis", () -> probe.blockedClients() == mixed.size());
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
        view.settle(); // every server's pub/sub round trip (and the clients')
        awaitReadersBlocked(); // every stream entry read and handled by every server
        mixed.clients().settle(); // and what that sent to clients arrived
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
  private NodeNodeProcess nodeServer() {
    return mixed.node(javaNodes()).process();
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
      assertTrue(got.get(0).get(1).isBinary(), "binary through the stream (base64 MessagePack): " + got);
      assertEquals(2, got.get(0).size(), "no offset without recovery: " + got);
    }
  }

  @Test
  void aNodeServersBroadcastToARoomAndExceptReachesOnlyTheMembers() {
    clients.get(0).join("room1");
    clients.get(2).join("room1", "quiet");
    nodeServer().call("emit", "rooms", List.of("room1"), "except", List.of("quiet"), "event", "fromNode", "args", List.of());
    cluster.settle();
    assertEquals(List.of(1, 0, 0), counts("fromNode"));
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
    assertEquals(Set.of(clients.get(0).id(), "room1"), textSet(s0.path("rooms")));
    assertEquals(3, s0.path("data").path("level").asInt(), s0.toString());
    assertTrue(s0.path("auth").isObject(), s0.toString());
    assertEquals(1, nodeServer().call("fetchSockets", "rooms", List.of("room1")).size());
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

  private static Set<String> textSet(JsonNode array) {
    Set<String> out = new HashSet<>();
    for (JsonNode n : array) out.add(n.asText());
    return out;
  }
}
