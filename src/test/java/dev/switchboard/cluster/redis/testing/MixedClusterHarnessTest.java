package dev.switchboard.cluster.redis.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.testing.RedisServer;
import dev.switchboard.testing.LocalResources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mixed-cluster harness itself, before any Java Redis adapter uses it: two Node servers with
 * {@code @socket.io/redis-adapter} on a real Redis deliver each other's broadcasts to official
 * clients of the client host, and a lone Switchboard server (in memory) gives a contract test what
 * it needs — clients, their rooms, data, handshake, answers, server-side events and a reset.
 * Skipped with {@code -Dconformance.skip=true}, like every test that runs Node.
 */
class MixedClusterHarnessTest {
  private static RedisServer redis;
  private static ClientHost host;
  private static NodeNodeProcess a;
  private static NodeNodeProcess b;

  @BeforeAll
  static void start() throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    redis = RedisServer.start();
    a = NodeNodeProcess.start("node-a", redis.url(), "--adapter", "redis", "--key", "harness");
    b = NodeNodeProcess.start("node-b", redis.url(), "--adapter", "redis", "--key", "harness");
    host = ClientHost.start();
  }

  @AfterAll
  static void stop() {
    LocalResources.closeAll(host, a, b, redis);
  }

  @Test
  void twoNodeServersOnRedisReachEachOthersOfficialClients() {
    dev.switchboard.testing.Await.until("both count two servers", () -> a.call("serverCount").asInt() == 2
        && b.call("serverCount").asInt() == 2);
    ClientHost.Handle onA = host.connect(a.url(), "/", Map.of("data", Map.of("name", "x")));
    ClientHost.Handle onB = host.connect(b.url(), "/", Map.of());
    host.answer(onA, "question", "from a");
    host.answer(onB, "question", new byte[] {1, 2});
    b.call("emit", "event", "hi", "args", List.of(1, ClientHost.toWire(new byte[] {7})));
    JsonNode answers = a.call("emitWithAck", "event", "question", "timeout", 2000);
    host.settle();
    List<ArrayNode> got = host.received(onA, "hi");
    assertEquals(1, got.size(), got.toString());
    assertEquals(1, got.get(0).get(0).intValue());
    assertTrue(got.get(0).get(1).isBinary(), "binary through Redis and back: " + got);
    assertEquals(1, host.received(onB, "question").size());
    assertTrue(answers.path("error").isNull(), answers.toString());
    assertEquals(Set.of("\"from a\"", "{\"$binary\":\"0102\"}"),
        Set.of(answers.path("responses").get(0).toString(), answers.path("responses").get(1).toString()),
        "the local client's answer and the other node's client's bytes");
    assertEquals("x", a.call("fetchSockets").findValue("name").asText(), "auth.data became socket.data");
    host.closeAll();
  }

  @Test
  void aLoneSwitchboardServerGivesTheContractWhatItNeeds() throws Exception {
    try (MixedCluster cluster = MixedCluster.builder(redis).javaNodes(1, link -> InMemoryAdapter::new).start()) {
      AdapterContractTest.Cluster view = cluster.contract();
      AdapterContractTest.Client c = view.node(0).connect("/");
      c.join("r1", "r2");
      c.putData("k", 1);
      c.answer("q", "yes");
      assertEquals(Set.of(c.id(), "r1", "r2"), c.rooms());
      assertEquals(Map.of("k", 1), view.server().of("/").sockets().get(c.id()).data());
      assertEquals("127.0.0.1", c.handshake().path("address").asText());
      view.server().to("r1").emit("hello", "w", new byte[] {9});
      assertEquals("yes", view.server().timeout(java.time.Duration.ofSeconds(5)).emitWithAck("q").get().get(0).get(0).asText());
      view.settle();
      assertEquals(1, c.received("hello").size());
      assertTrue(c.received("hello").get(0).get(1).isBinary());
      assertFalse(c.disconnectedByServer());
      view.server().disconnectSockets();
      view.settle();
      assertTrue(c.disconnectedByServer());
      view.node(0).onServerSideEmit("hello", null);
      assertEquals(List.of(), view.node(0).serverSideEvents());
      view.close(); // a reset: no socket left
      assertTrue(cluster.member(0).sockets("/").isEmpty());
    }
  }
}
