package dev.switchboard.deploy;

import static dev.switchboard.testing.LocalResources.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.cluster.redis.RedisAdapter;
import dev.switchboard.cluster.redis.RedisLink;
import dev.switchboard.cluster.redis.RedisStreamsAdapter;
import dev.switchboard.cluster.redis.ShardedRedisAdapter;
import dev.switchboard.cluster.redis.testing.ClientHost;
import dev.switchboard.cluster.redis.testing.ClientHost.Handle;
import dev.switchboard.cluster.redis.testing.ClientHost.Transports;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.HaproxyServer;
import dev.switchboard.testing.RedisServer;
import dev.switchboard.testing.LocalResources;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two Switchboard nodes behind HAProxy (issue #10, "Tests"): each node a {@link ClusterNode} with
 * its own Redis link and a Redis adapter on one real redis-server, the shipped
 * {@code deploy/haproxy.cfg} (through {@link HaproxyServer}) in front of them, and official
 * {@code socket.io-client}s ({@link ClientHost}) that connect only to the proxy. Polling-only
 * clients keep HAProxy's cookie ({@code withCredentials}), so the proxy spreads their handshakes
 * over the two nodes and pins every later request of a session to its node; the adapter carries
 * room broadcasts and acks between the nodes. One client opens on polling and upgrades to
 * WebSocket through the proxy.
 *
 * <p>Redis, HAProxy and the client host start once for the class; each adapter variant
 * ({@link Redis}, {@link Sharded}, {@link Streams}) starts its two nodes on the same two ports
 * (the ones HAProxy balances over), connects four polling clients that join {@value #ROOM}, runs
 * the scenarios, and stops its nodes. After every scenario each polling client is still
 * connected, with the socket id it got at the start, on the node it started on and not on the
 * other: the proxy kept every request of its session (new ones each heartbeat, every 500 ms) on
 * that node.
 *
 * <p>The clients run in Node: skipped with {@code -Dconformance.skip=true}, like the other Node
 * scenarios.
 */
class ClusterBehindProxyTest {
  private static final String ROOM = "lobby";
  private static final int POLLING_CLIENTS = 4;
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

  private static RedisServer redis;
  private static HaproxyServer proxy;
  private static ClientHost clients;
  private static List<Integer> nodePorts;

  /** The adapter variants, each as a Switchboard node makes it from its own link. */
  enum Variant {
    REDIS(RedisAdapter::factory, false),
    /** Sharded pub/sub in its default (dynamic) mode: a room with members here has its own channel. */
    REDIS_SHARDED(link -> ShardedRedisAdapter.factory(link), true),
    REDIS_STREAMS(RedisStreamsAdapter::factory, false);

    final Function<RedisLink, AdapterFactory> adapter;
    final boolean roomChannels;

    Variant(Function<RedisLink, AdapterFactory> adapter, boolean roomChannels) {
      this.adapter = adapter;
      this.roomChannels = roomChannels;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    redis = RedisServer.start();
    nodePorts = List.of(freePort(), freePort());
    clients = ClientHost.start();
    // HAProxy starts with the first variant's nodes (see startNodes).
  }

  @AfterAll
  static void stop() {
    LocalResources.closeAll(clients, proxy, redis);
  }

  /**
   * Two nodes with {@code variant} on the ports HAProxy balances over; the first call also starts
   * HAProxy, once the nodes listen. (HAProxy 2.6 starts each server in a state that one failed
   * health check turns DOWN, and then it takes {@code rise} good checks, 2 s apart, to take it
   * back: a proxy started before its nodes refuses the first clients with 503. Later, a node
   * restarted between two variants misses at most one check, and {@code fall 3} keeps it UP.)
   * Should one of the ports have been taken since the last variant released it, the nodes move
   * to two new ports and a new proxy starts in front of them.
   */
  private static List<ClusterNode> startNodes(Variant variant) throws IOException {
    for (int attempt = 0; ; attempt++) {
      List<ClusterNode> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          nodes.add(ClusterNode.start("node" + (i + 1), nodePorts.get(i), redis.url(), variant.adapter));
        }
      } catch (BindException e) {
        nodes.forEach(ClusterNode::close);
        if (attempt == 2) throw e;
        if (proxy != null) proxy.close();
        proxy = null;
        nodePorts = List.of(freePort(), freePort());
        continue;
      }
      if (proxy == null) proxy = HaproxyServer.start(nodePorts);
      return nodes;
    }
  }


  /** A polling client of the proxy and the node its session lives on. */
  private record Member(String name, Handle handle, ClusterNode home) {}

  /** The scenarios, run once per adapter variant on that variant's two nodes. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract class Scenarios {
    private final Variant variant;
    private ClusterNode node1;
    private ClusterNode node2;
    private final List<Member> members = new ArrayList<>();

    Scenarios(Variant variant) {
      this.variant = variant;
    }

    @BeforeAll
    void startNodesAndClients() throws IOException {
      List<ClusterNode> nodes = startNodes(variant);
      node1 = nodes.get(0);
      node2 = nodes.get(1);
      for (ClusterNode n : nodes) {
        Await.until(n + " counts both servers", Duration.ofSeconds(20), () -> n.serverCount() == 2);
      }
      for (int i = 0; i < POLLING_CLIENTS; i++) {
        Handle h = clients.connect(proxy.url(), "/", Map.of(), Transports.POLLING_WITH_COOKIES);
        Member m = new Member("client" + i, h, homeOf(h.id()));
        members.add(m);
        // A client-level ack through the proxy: the join is answered by the node of the session.
        assertEquals(m.home().id(), ack(h, "join", ROOM).asText(), m + " joined on its own node");
        clients.answer(h, "vote", m.name());
      }
      if (variant.roomChannels) {
        // In the dynamic sharded mode a node subscribes to the room's own channel when the room
        // gets its first member here, asynchronously: wait until both nodes listen to it.
        String channel = "socket.io#/#" + ROOM + "#";
        Await.until("both nodes subscribed to " + channel, Duration.ofSeconds(10),
            () -> node1.link().shardnumsub(channel).join() == 2);
      }
    }

    @AfterEach
    void everyPollingClientStayedOnItsNode() {
      for (Member m : members) {
        assertTrue(clients.connected(m.handle()), m + " is still connected");
        assertEquals("polling", clients.transport(m.handle()), m + " is still on polling");
        assertTrue(m.home().hasSocket(m.handle().id()), m + " still has its socket on " + m.home());
        assertFalse(other(m.home()).hasSocket(m.handle().id()), m + " has no socket on " + other(m.home()));
      }
    }

    @AfterAll
    void stopNodes() {
      try {
        if (clients != null) clients.closeAll();
        for (ClusterNode n : new ClusterNode[] {node1, node2}) {
          if (n != null) Await.until("the clients of " + n + " are gone", () -> n.sockets().isEmpty());
        }
      } finally {
        if (node1 != null) node1.close();
        if (node2 != null) node2.close();
      }
    }

    @Test
    void theProxySpreadsPollingClientsOverBothNodesAndEachTalksToItsOwn() {
      on(node1); // each fails when the proxy gave that node no client
      on(node2);
      // Two more heartbeats each: on polling, each ends the pending GET and is answered by a POST,
      // so every session goes through the proxy with new requests, which must reach its node.
      Map<Member, Integer> before = new HashMap<>();
      for (Member m : members) before.put(m, clients.pings(m.handle()));
      Await.until("two more heartbeats on every client", Duration.ofSeconds(10),
          () -> members.stream().allMatch(m -> clients.pings(m.handle()) >= before.get(m) + 2));
      for (Member m : members) {
        JsonNode me = ack(m.handle(), "whoami");
        assertEquals(m.home().id(), me.path("node").asText(), m + ": its requests reach its node");
        assertEquals(m.handle().id(), me.path("sid").asText(), m + ": with the socket id it got at the start");
      }
    }

    @Test
    void aRoomBroadcastFromAClientOnOneNodeReachesEveryClientOnBothNodesOnce() {
      Member sender = on(node1).get(0);
      String payload = variant + " once";
      String marker = variant + " once, end";
      // The node of the sender broadcasts both to the room; whatever reaches a client after the
      // marker would have to overtake it, so once the marker is in, the count is final.
      clients.emit(sender.handle(), "shout", ROOM, payload);
      clients.emit(sender.handle(), "shout", ROOM, marker);
      for (Member m : members) {
        Await.until(m + " got the marker", () -> shouted(m, marker).size() == 1);
        List<ArrayNode> got = shouted(m, payload);
        assertEquals(1, got.size(), m + " on " + m.home() + " got the broadcast exactly once: " + got);
        assertEquals(node1.id(), got.get(0).path(1).asText(), "broadcast by the sender's node");
      }
    }

    @Test
    void aBroadcastWithAcksFromOneNodeCollectsTheAcksOfTheClientsOnTheOther() throws Exception {
      List<Args> answers = node1.io().to(ROOM).timeout(ACK_TIMEOUT).emitWithAck("vote", variant.name())
          .get(ACK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      List<String> voters = answers.stream().map(a -> a.getString(0)).sorted().toList();
      assertEquals(members.stream().map(Member::name).sorted().toList(), voters, "every client answered once");
      for (Member m : on(node2)) assertTrue(voters.contains(m.name()), m + " on node2 answered node1's broadcast");
    }

    @Test
    void aClientAckThatNeedsTheWholeClusterComesBackThroughTheProxy() {
      // roomSize is answered after a fetchSockets across the cluster: the ack crosses the proxy
      // after a request crossed Redis.
      for (ClusterNode n : new ClusterNode[] {node1, node2}) {
        Member asker = on(n).get(0);
        assertEquals(POLLING_CLIENTS, ack(asker.handle(), "roomSize", ROOM).asInt(), asker + " on " + n);
      }
    }

    @Test
    void aClientUpgradesToWebSocketThroughTheProxyOnItsNodeAndStillGetsBroadcastsFromTheOther() {
      Handle h = clients.connect(proxy.url(), "/", Map.of(), Transports.UPGRADE_WITH_COOKIES);
      ClusterNode home = homeOf(h.id());
      try {
        assertEquals("websocket", clients.awaitUpgrade(h), "the engine upgraded");
        assertEquals("websocket", clients.transport(h));
        // engine.io-protocol §Upgrade: the WebSocket request carried the session id; had the proxy
        // sent it to the other node, that node would have refused it and the client stayed on
        // polling. The socket is where it was, and the client's events still reach that node.
        assertTrue(home.hasSocket(h.id()) && !other(home).hasSocket(h.id()), "the socket stayed on " + home);
        JsonNode me = ack(h, "whoami");
        assertEquals(home.id(), me.path("node").asText());
        assertEquals(h.id(), me.path("sid").asText());
        assertEquals(home.id(), ack(h, "join", ROOM).asText());

        Member sender = on(other(home)).get(0);
        String payload = variant + " after the upgrade";
        clients.emit(sender.handle(), "shout", ROOM, payload);
        Await.until("the upgraded client got the broadcast from " + other(home),
            () -> !clients.received(h, "shouted").isEmpty());
        List<ArrayNode> got = clients.received(h, "shouted");
        assertEquals(payload, got.get(0).path(0).asText());
        assertEquals(other(home).id(), got.get(0).path(1).asText(), "broadcast by the other node");
        assertNull(clients.disconnectReason(h), "still connected");
      } finally {
        clients.disconnect(h);
        Await.until("the upgraded client left " + home, () -> !home.hasSocket(h.id()));
      }
    }

    // ---------------------------------------------------------------- helpers

    /** The node that has the socket {@code sid} (exactly one must). */
    private ClusterNode homeOf(String sid) {
      boolean on1 = node1.hasSocket(sid);
      boolean on2 = node2.hasSocket(sid);
      assertTrue(on1 ^ on2, "socket " + sid + " is on exactly one node (node1: " + on1 + ", node2: " + on2 + ")");
      return on1 ? node1 : node2;
    }

    private ClusterNode other(ClusterNode n) {
      return n == node1 ? node2 : node1;
    }

    /** The polling clients whose session is on {@code n}. */
    private List<Member> on(ClusterNode n) {
      List<Member> out = members.stream().filter(m -> m.home() == n).toList();
      assertFalse(out.isEmpty(), "no client on " + n + ": " + members);
      return out;
    }

    private List<ArrayNode> shouted(Member m, String payload) {
      return clients.received(m.handle(), "shouted").stream().filter(a -> a.path(0).asText().equals(payload)).toList();
    }

    /** The client emits {@code event} with an ack callback; the server's answer. */
    private JsonNode ack(Handle h, String event, Object... args) {
      ClientHost.AckReply reply = clients.emitWithAck(h, ACK_TIMEOUT, event, args);
      assertNull(reply.error(), event + " was answered");
      return reply.value();
    }
  }

  /** {@code @socket.io/redis-adapter}'s classic adapter (PUBLISH/PSUBSCRIBE). */
  @Nested
  class Redis extends Scenarios {
    Redis() {
      super(Variant.REDIS);
    }
  }

  /** Its sharded variant (SPUBLISH/SSUBSCRIBE, dynamic subscription mode). */
  @Nested
  class Sharded extends Scenarios {
    Sharded() {
      super(Variant.REDIS_SHARDED);
    }
  }

  /** {@code @socket.io/redis-streams-adapter}: broadcasts through a Redis stream. */
  @Nested
  class Streams extends Scenarios {
    Streams() {
      super(Variant.REDIS_STREAMS);
    }
  }
}
