package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.cluster.redis.testing.ClientHost;
import dev.switchboard.cluster.redis.testing.MixedCluster;
import dev.switchboard.cluster.redis.testing.MixedCluster.Member;
import dev.switchboard.cluster.redis.testing.MixedCluster.OfficialClient;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Connection state recovery across nodes (issue #10) with official {@code socket.io-client}s: a
 * client drops off one server ("transport close", which a server may recover from) and comes
 * back on another with its pid and last offset — Switchboard to Switchboard, Switchboard to Node
 * and Node to Switchboard — and gets its id, rooms, data and exactly the broadcasts it missed
 * (those of its rooms, not those it was excluded from, not volatile ones), each with its offset;
 * or, when its session expired or its offset was trimmed from the stream, a fresh session.
 *
 * <p>Two Switchboard servers ({@code java-0}, {@code java-1}) and one Node server ({@code
 * node-2}) with the streams adapter, recovery on everywhere (one minute), on one real Redis,
 * started once for the class. Skipped with {@code -Dconformance.skip=true}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisStreamsRecoveryTest {
  private static final String KEY = "recovery";
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private RedisServer redis;
  private RedisProbe probe;
  private MixedCluster mixed;

  @BeforeAll
  void start() throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    redis = RedisServer.start();
    probe = new RedisProbe(redis.url());
    RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.builder().streamName(KEY).channelPrefix(KEY).build();
    mixed = MixedCluster.builder(redis)
        .javaNodes(2, link -> RedisStreamsAdapter.factory(link, options))
        .javaOptions(b -> b.recovery(SocketIoOptions.Recovery.builder().maxDisconnectionDuration(WINDOW).build()))
        .nodeNodes(1, "--adapter", "redis-streams", "--key", KEY, "--recovery")
        .start();
    awaitReadersBlocked();
  }

  @AfterAll
  void stop() {
    if (mixed != null) mixed.close();
    if (probe != null) probe.close();
    if (redis != null) redis.close();
  }

  @AfterEach
  void reset() {
    mixed.reset();
  }

  private void awaitReadersBlocked() {
    Await.until("every stream reader blocked in Redis", () -> probe.blockedClients() == mixed.size());
  }

  /** Everything published so far was read and delivered everywhere, and has reached the clients. */
  private void settle() {
    mixed.settle();
    awaitReadersBlocked();
    mixed.clients().settle();
  }

  private SocketIoServer java0() {
    return mixed.java(0).io();
  }

  private List<String> sessionKeys() {
    return probe.sync().keys("sio:session:*");
  }

  /**
   * The first argument of each {@code news} the client received, in order of arrival; asserts
   * that each came with an offset — an entry id, last — and that the offsets grow (stream order).
   */
  private List<String> news(OfficialClient c) {
    List<String> out = new ArrayList<>();
    String previous = "0-0";
    for (ArrayNode args : c.received("news")) {
      String offset = args.get(args.size() - 1).asText();
      assertTrue(args.size() >= 2 && StreamsNames.isOffset(offset), "an entry id as offset, last: " + args);
      assertTrue(compareIds(previous, offset) < 0, "in stream order: " + previous + " then " + offset);
      previous = offset;
      out.add(args.get(0).isBinary() ? "binary" : args.get(0).asText());
    }
    return out;
  }

  private static int compareIds(String a, String b) {
    String[] x = a.split("-");
    String[] y = b.split("-");
    int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
  }

  /**
   * A client of {@code from}, in room {@code r1}, with {@code socket.data.name}, that has received
   * one broadcast (so it holds an offset), then dropped: its server persisted its session.
   */
  private OfficialClient droppedClient(Member from) {
    OfficialClient c = from.connect("/", Map.of());
    c.join("r1");
    c.putData("name", "ada");
    java0().emit("news", "before");
    settle();
    assertEquals(List.of("before"), news(c));
    int keys = sessionKeys().size();
    mixed.clients().drop(c.handle());
    // the server saw its transport close, a reason it recovers from: it keeps the session in Redis
    Await.until("the session persisted by " + from, () -> sessionKeys().size() == keys + 1);
    return c;
  }

  /**
   * What the cluster broadcasts while the client is away, from every server: it should get back
   * "room", "all", "x", "volatile" (replayed as upstream replays it) and the binary one — in the
   * stream's order, which is not the order of these calls, the servers racing each other.
   */
  private void broadcastWhileAway() {
    java0().to("r1").emit("news", "room");
    mixed.node(2).process().call("emit", "event", "news", "args", List.of("all"));
    mixed.java(1).io().emit("news", "x");
    java0().to("r2").emit("news", "not in r2");
    mixed.java(1).io().except("r1").emit("news", "excluded");
    java0().asVolatile().emit("news", "volatile");
    mixed.node(2).process().call("emit", "rooms", List.of("r1"), "event", "news", "args", List.of(ClientHost.toWire(new byte[] {7})));
    settle();
  }

  private void assertRecovered(OfficialClient c, Member to, ClientHost.Reconnected back) throws Exception {
    assertTrue(back.recovered(), "socket.recovered");
    assertEquals(c.id(), back.id(), "the same socket id");
    settle();
    List<String> got = news(c);
    assertEquals("before", got.get(0));
    assertEquals(List.of("all", "binary", "room", "volatile", "x"), got.subList(1, got.size()).stream().sorted().toList(),
        "exactly what it missed, in stream order");
    assertTrue(to.sockets("/").contains(c.id()), "connected to " + to);
    List<RemoteSocket> found = java0().in(c.id()).fetchSockets().get(10, TimeUnit.SECONDS);
    assertEquals(1, found.size());
    assertEquals(Set.of(c.id(), "r1"), found.get(0).rooms(), "its rooms");
    assertEquals("ada", found.get(0).data().get("name"), "its data");
    assertEquals(List.of(), sessionKeys(), "the session was taken");

    java0().to("r1").emit("news", "after"); // and it is a member of r1 on its new server
    settle();
    assertEquals("after", news(c).get(news(c).size() - 1));
  }

  @Test
  void fromASwitchboardServerToAnother() throws Exception {
    OfficialClient c = droppedClient(mixed.member(0));
    broadcastWhileAway();
    Member to = mixed.member(1);
    assertRecovered(c, to, mixed.clients().reconnect(c.handle(), to.url()));
  }

  @Test
  void fromASwitchboardServerToANodeServer() throws Exception {
    OfficialClient c = droppedClient(mixed.member(0));
    broadcastWhileAway();
    Member to = mixed.member(2);
    assertRecovered(c, to, mixed.clients().reconnect(c.handle(), to.url()));
  }

  @Test
  void fromANodeServerToASwitchboardServer() throws Exception {
    OfficialClient c = droppedClient(mixed.member(2));
    broadcastWhileAway();
    Member to = mixed.member(1);
    assertRecovered(c, to, mixed.clients().reconnect(c.handle(), to.url()));
  }

  @Test
  void anExpiredSessionGivesAFreshOne() {
    OfficialClient c = droppedClient(mixed.member(0));
    String key = sessionKeys().get(0);
    probe.sync().pexpire(key, 1); // the rest of maxDisconnectionDuration passes: Redis forgets it
    Await.until("expired", () -> probe.sync().exists(key) == 0);
    ClientHost.Reconnected back = mixed.clients().reconnect(c.handle(), mixed.member(2).url());
    assertFalse(back.recovered());
    assertNotEquals(c.id(), back.id(), "a new socket");
  }

  @Test
  void anOffsetTrimmedFromTheStreamGivesAFreshSession() {
    OfficialClient c = droppedClient(mixed.member(2));
    probe.sync().xtrim(KEY, 0); // what MAXLEN ~ does to old entries once the stream is long enough
    java0().emit("news", "after the trim");
    settle();
    ClientHost.Reconnected back = mixed.clients().reconnect(c.handle(), mixed.member(1).url());
    assertFalse(back.recovered());
    assertNotEquals(c.id(), back.id(), "a new socket");
    assertEquals(List.of(), sessionKeys(), "the session is taken all the same");
  }
}
