package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cluster.ClusterAdapterBase;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMessageType;
import dev.switchboard.cluster.ClusterMetrics;
import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sharded adapter against a real Redis, beyond the contract: which channels each subscription
 * mode subscribes to and when, where each message is published and in which encoding, the node
 * count, a Redis outage in the middle of a scenario, and a hostile peer publishing junk on the
 * adapter's channels. Switchboard servers in memory (fake clocks, Node's 20-character ids), a raw
 * {@link RedisLink} as the peer that listens or misbehaves.
 */
class ShardedRedisAdapterTest {
  /** Held so that the outage's two lines per link do not reach the console: they are asserted. */
  private static final Logger LINK_LOG = Logger.getLogger(RedisLink.class.getName());
  private static final ShardedCodec CODEC = new ShardedCodec();
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static RedisServer redis;
  private static RedisLink peer;
  private static final List<RedisLink> links = new ArrayList<>();

  private final List<InMemorySocketIo> servers = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
    peer = RedisLink.connect(redis.url());
    for (int i = 0; i < 2; i++) links.add(RedisLink.connect(redis.url()));
  }

  @AfterAll
  static void stopRedis() {
    for (RedisLink l : links) l.close();
    links.clear();
    peer.close();
    redis.close();
  }

  @AfterEach
  void closeServers() {
    for (InMemorySocketIo s : servers) s.close();
  }

  /** A server on {@code link}, sharded adapter in {@code mode} under this test's prefix, subscribed. */
  private InMemorySocketIo server(RedisLink link, SubscriptionMode mode) throws Exception {
    if (prefix == null) prefix = "t" + PREFIXES.incrementAndGet();
    ShardedRedisAdapterOptions options = ShardedRedisAdapterOptions.builder().channelPrefix(prefix).subscriptionMode(mode).build();
    InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder()
        .adapter(ShardedRedisAdapter.factory(link, options)).build(), SessionIdGenerator.secureRandom());
    servers.add(sio);
    adapter(sio).subscribed().get(10, TimeUnit.SECONDS);
    return sio;
  }

  private static ShardedRedisAdapter adapter(InMemorySocketIo sio) {
    return (ShardedRedisAdapter) sio.io().sockets().adapter();
  }

  /** The EVENT packets a fake client was sent, as their JSON arrays. */
  private static List<String> events(FakeEngineIoConnection c) {
    List<String> out = new ArrayList<>();
    for (String m : c.sent()) if (m.startsWith("2[")) out.add(m.substring(1));
    return out;
  }

  private static long shardSubscribers(RedisLink link, String channel) {
    return link.shardnumsub(channel).join();
  }

  /** What the raw peer hears on some sharded channels: channel and bytes, in order. */
  private static final class Listener implements RedisLink.MessageHandler {
    final BlockingQueue<Object[]> heard = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(String channel, byte[] message) {
      heard.add(new Object[] {channel, message});
    }

    Object[] next() throws InterruptedException {
      Object[] m = heard.poll(10, TimeUnit.SECONDS);
      if (m == null) throw new AssertionError("nothing heard within 10 s");
      return m;
    }
  }

  // ------------------------------------------------------------------ channels

  @Test
  void eachModeSubscribesToItsChannelsAndARoomsChannelOnlyWhileTheRoomIsHere() throws Exception {
    InMemorySocketIo dynamic = server(links.get(0), SubscriptionMode.DYNAMIC);
    String main = prefix + "#/#";
    String own = main + adapter(dynamic).uid() + "#";
    assertEquals(Set.of(main, own), adapter(dynamic).channels());
    FakeEngineIoConnection c = dynamic.client();
    String sid = c.sid();
    assertEquals(Set.of(main, own), adapter(dynamic).channels(), "dynamic: not a socket's own room");
    dynamic.socket(c).join("room1");
    assertEquals(Set.of(main, own, main + "room1#"), adapter(dynamic).channels());
    Await.until("Redis has the room's subscription", () -> shardSubscribers(peer, main + "room1#") == 1);
    dynamic.socket(c).leave("room1");
    assertEquals(Set.of(main, own), adapter(dynamic).channels(), "the room went: unsubscribed");
    Await.until("Redis dropped it", () -> shardSubscribers(peer, main + "room1#") == 0);
    assertEquals(0, shardSubscribers(peer, main + sid + "#"));
    dynamic.close();
    servers.remove(dynamic);

    prefix = null;
    InMemorySocketIo priv = server(links.get(0), SubscriptionMode.DYNAMIC_PRIVATE);
    FakeEngineIoConnection p = priv.client();
    assertTrue(adapter(priv).channels().contains(prefix + "#/#" + p.sid() + "#"), "dynamic-private: a socket's own room too");
    p.drop(dev.switchboard.engineio.CloseReason.TRANSPORT_CLOSE);
    Await.until("the socket's room went with it", () -> adapter(priv).channels().size() == 2);

    prefix = null;
    InMemorySocketIo stat = server(links.get(1), SubscriptionMode.STATIC);
    FakeEngineIoConnection s = stat.client();
    stat.socket(s).join("room1");
    assertEquals(2, adapter(stat).channels().size(), "static: the two channels only");
    stat.close();
    assertEquals(Set.of(), adapter(stat).channels(), "closing unsubscribes everything");
    Await.until("Redis dropped them", () -> shardSubscribers(peer, prefix + "#/#") == 0);
  }

  @Test
  void aBroadcastGoesToItsRoomsChannelOrTheNamespacesAsJsonOrNotepack() throws Exception {
    InMemorySocketIo sio = server(links.get(0), SubscriptionMode.DYNAMIC);
    String main = prefix + "#/#";
    Listener listener = new Listener();
    peer.ssubscribe(listener, main, main + "room1#").get(10, TimeUnit.SECONDS);
    String uid = adapter(sio).uid();

    sio.io().to("room1").emit("e", 1);
    Object[] m = listener.next();
    assertEquals(main + "room1#", m[0], "one room that does not look like a socket id: its own channel");
    assertEquals("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"e\",1]},\"opts\":{\"rooms\":[\"room1\"],"
        + "\"except\":[],\"flags\":{}}},\"uid\":\"" + uid + "\",\"nsp\":\"/\"}", new String((byte[]) m[1], StandardCharsets.UTF_8));

    sio.io().to("abcdefghijklmnopqrst").emit("e", 2);
    assertEquals(main, listener.next()[0], "20 characters look like a socket id: the namespace's channel");

    sio.io().to("room1").emit("bin", new byte[] {1, 2, 3});
    m = listener.next();
    assertEquals(main + "room1#", m[0]);
    byte[] bytes = (byte[]) m[1];
    assertTrue((bytes[0] & 0xf0) == 0x80, "binary: notepack, a map (" + bytes[0] + ")");
    ClusterMessage.Broadcast b = assertInstanceOf(ClusterMessage.Broadcast.class, CODEC.decode(bytes));
    assertTrue(b.packet().data().get(1).isBinary());

    sio.io().to("room1").timeout(Duration.ofSeconds(1)).emitWithAck("ack?");
    m = listener.next();
    assertEquals(main, m[0], "with ack: the namespace's channel, where every node counts");
    assertEquals(ClusterMessageType.BROADCAST, CODEC.decode((byte[]) m[1]).type());
    assertInstanceOf(ClusterMessage.BroadcastWithAck.class, CODEC.decode((byte[]) m[1]));

    sio.io().socketsJoin("x");
    m = listener.next();
    assertEquals(main, m[0]);
    assertEquals(ClusterMessageType.SOCKETS_JOIN, CODEC.decode((byte[]) m[1]).type());
    peer.sunsubscribe(main, main + "room1#").get(10, TimeUnit.SECONDS);
  }

  @Test
  void serverCountIsTheNamespacesShardSubscribers() throws Exception {
    InMemorySocketIo a = server(links.get(0), SubscriptionMode.DYNAMIC);
    server(links.get(1), SubscriptionMode.DYNAMIC);
    assertEquals(2, adapter(a).serverCount().get(10, TimeUnit.SECONDS));
    String thread = adapter(a).serverCount().thenApply(n -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
    assertFalse(thread.startsWith("switchboard-redis"), "not on Lettuce's thread: " + thread);
    Listener listener = new Listener();
    peer.ssubscribe(listener, prefix + "#/#").get(10, TimeUnit.SECONDS);
    assertEquals(3, adapter(a).serverCount().get(10, TimeUnit.SECONDS), "a Node server counts the same way");
    peer.sunsubscribe(prefix + "#/#").get(10, TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------ hostile peer

  @Test
  void junkOnTheAdaptersChannelsIsDroppedAndCountedAndTheNodeKeepsServing() throws Exception {
    InMemorySocketIo a = server(links.get(0), SubscriptionMode.DYNAMIC);
    InMemorySocketIo b = server(links.get(1), SubscriptionMode.DYNAMIC);
    FakeEngineIoConnection onB = b.client();
    b.socket(onB).join("room1");
    String main = prefix + "#/#";
    String answers = main + adapter(a).uid() + "#";
    ClusterMetrics m = links.get(0).metrics();
    long malformed = m.dropped(ClusterMetrics.Drop.MALFORMED);
    long unknown = m.dropped(ClusterMetrics.Drop.UNKNOWN_REQUEST);
    long unsupported = m.dropped(ClusterMetrics.Drop.UNSUPPORTED);
    long otherNamespace = m.dropped(ClusterMetrics.Drop.OTHER_NAMESPACE);
    List<byte[]> junk = List.of(
        "{\"type\":3".getBytes(StandardCharsets.UTF_8), // truncated JSON
        new byte[] {(byte) 0x84, (byte) 0xa4, 't'}, // truncated notepack
        new byte[] {(byte) 0xc1}, // never used
        new byte[] {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // an array of 2^31 elements announced
        "{\"type\":\"3\",\"uid\":\"x\",\"nsp\":\"/\"}".getBytes(StandardCharsets.UTF_8), // a type of the wrong type
        "{\"type\":42,\"uid\":\"x\",\"nsp\":\"/\",\"data\":{}}".getBytes(StandardCharsets.UTF_8), // unknown type
        ("{\"type\":3,\"uid\":\"x\",\"nsp\":\"/\",\"data\":{\"packet\":{\"type\":2,\"data\":[\"" + "y".repeat(1 << 20)
            + "\"]},\"opts\":{\"rooms\":[\"r\"],\"except\":{}}}}").getBytes(StandardCharsets.UTF_8)); // 1 MiB, except not an array
    for (byte[] j : junk) {
      peer.spublish(main, j);
      peer.spublish(answers, j);
    }
    peer.spublish(answers, CODEC.encode(new ClusterMessage.FetchSocketsResponse("x", "/", "no-such-request", List.of())));
    peer.spublish(answers, CODEC.encode(new ClusterMessage.BroadcastAck("x", "/", "no-such-request",
        com.fasterxml.jackson.databind.node.TextNode.valueOf("?"))));
    peer.spublish(main, CODEC.encode(new ClusterMessage.Signal("x", "/", ClusterMessageType.ADAPTER_CLOSE)));
    peer.spublish(main, CODEC.encode(new ClusterMessage.SocketsJoin("x", "/other", dev.switchboard.cluster.WireOptions.ALL,
        List.of("hijacked"))));
    Await.until("every piece of junk was seen", () -> m.dropped(ClusterMetrics.Drop.MALFORMED) - malformed == 2L * junk.size()
        && m.dropped(ClusterMetrics.Drop.UNKNOWN_REQUEST) - unknown == 2
        && m.dropped(ClusterMetrics.Drop.UNSUPPORTED) - unsupported == 1
        && m.dropped(ClusterMetrics.Drop.OTHER_NAMESPACE) - otherNamespace == 1);
    assertFalse(b.socket(onB).rooms().contains("hijacked"));

    a.io().to("room1").emit("still", 1);
    CompletableFuture<?> f = a.io().fetchSockets();
    Await.until("the node still serves", () -> events(onB).contains("[\"still\",1]") && f.isDone());
    assertEquals(1, ((List<?>) f.get()).size());
    Await.until("nothing left waiting", () -> m.backlog() == 0 && adapter(a).pendingRequests() == 0);
  }

  @Test
  void aFloodIsHandledOrDroppedButNeverKeptBeyondTheQueue() throws Exception {
    InMemorySocketIo a = server(links.get(0), SubscriptionMode.STATIC);
    ClusterMetrics m = links.get(0).metrics();
    long received = m.messagesReceived();
    long unsupported = m.dropped(ClusterMetrics.Drop.UNSUPPORTED);
    long overloaded = m.dropped(ClusterMetrics.Drop.OVERLOADED);
    byte[] heartbeat = CODEC.encode(new ClusterMessage.Signal("x", "/", ClusterMessageType.HEARTBEAT));
    int n = 30_000;
    long maxBacklog = 0;
    for (int batch = 0; batch < n / 5_000; batch++) { // within the link's queue of 10 000 commands
      List<CompletableFuture<Long>> sent = new ArrayList<>(5_000);
      for (int i = 0; i < 5_000; i++) {
        sent.add(peer.spublish(prefix + "#/#", heartbeat));
        maxBacklog = Math.max(maxBacklog, m.backlog());
      }
      CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    }
    Await.until("every message arrived", Duration.ofSeconds(20), () -> m.messagesReceived() - received == n);
    Await.until("and was handled or dropped", () -> m.backlog() == 0);
    assertTrue(maxBacklog <= ClusterAdapterBase.MAX_QUEUED_MESSAGES, "bounded: " + maxBacklog);
    assertEquals(n, m.dropped(ClusterMetrics.Drop.UNSUPPORTED) - unsupported + m.dropped(ClusterMetrics.Drop.OVERLOADED) - overloaded);
    FakeEngineIoConnection c = a.client();
    a.io().emit("alive");
    assertEquals(List.of("[\"alive\"]"), events(c));
  }

  // ------------------------------------------------------------------ outage

  /** Records of RedisLink's logger at INFO and above. */
  private static final class Lines extends Handler {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.INFO.intValue()) records.add(r);
    }

    long count(Level level, String text) {
      return records.stream().filter(r -> r.getLevel().equals(level) && r.getMessage().contains(text)).count();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void redisStoppedAndRestartedMidScenarioLocalGoesOnRequestsTimeOutAndEverythingResumes() throws Exception {
    Lines lines = new Lines();
    boolean parents = LINK_LOG.getUseParentHandlers();
    LINK_LOG.setUseParentHandlers(false);
    LINK_LOG.addHandler(lines);
    try (RedisServer own = RedisServer.start();
        RedisLink l0 = RedisLink.connect(own.url());
        RedisLink l1 = RedisLink.connect(own.url());
        RedisLink observer = RedisLink.connect(own.url())) {
      InMemorySocketIo a = server(l0, SubscriptionMode.DYNAMIC);
      InMemorySocketIo b = server(l1, SubscriptionMode.DYNAMIC);
      FakeEngineIoConnection onA = a.client();
      FakeEngineIoConnection onB = b.client();
      b.io().onServerSideEmit("ping", (args, ack) -> ack.send("pong"));
      a.io().emit("before");
      Await.until("both got the first broadcast", () -> events(onB).size() == 1 && events(onA).size() == 1);
      assertEquals(2, adapter(a).serverCount().get(10, TimeUnit.SECONDS));

      own.stop();
      Await.until("each link logged the outage", () -> lines.count(Level.WARNING, "lost") == 3);
      a.io().emit("during");
      assertEquals(List.of("[\"before\"]", "[\"during\"]"), events(onA), "local delivery never waits for Redis");
      b.socket(onB).join("late"); // its SSUBSCRIBE is refused: tried again later
      CompletableFuture<?> fetch = a.io().fetchSockets();
      CompletableFuture<?> ask = a.io().serverSideEmitWithAck("ping");
      Await.until("both requests wait", () -> adapter(a).pendingRequests() == 2);
      a.clock.advanceBy(ClusterAdapterBase.DEFAULT_TIMEOUT);
      for (CompletableFuture<?> f : List.of(fetch, ask)) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertEquals("timeout reached: only 0 responses received out of 1",
            assertInstanceOf(ClusterRequestTimeoutException.class, e.getCause()).getMessage());
      }
      assertEquals(0, adapter(a).pendingRequests());
      assertTrue(l0.metrics().publishFailures() > 0, "what was published meanwhile is lost, and counted");

      own.restart();
      Await.until("each link logged its return", Duration.ofSeconds(20), () -> lines.count(Level.INFO, "back after") == 3);
      // The room joined during the outage: subscribed at the next retry on b's clock.
      Await.until("the late room is subscribed", Duration.ofSeconds(20), () -> {
        b.clock.advanceBy(ShardedRedisAdapter.RETRY_DELAY);
        return shardSubscribers(observer, prefix + "#/#late#") == 1;
      });
      Await.until("both adapters are subscribed again", Duration.ofSeconds(20),
          () -> shardSubscribers(observer, prefix + "#/#") == 2);
      a.io().emit("after");
      a.io().to("late").emit("late-room");
      Await.until("remote delivery resumed", () -> events(onB).containsAll(List.of("[\"after\"]", "[\"late-room\"]")));
      assertEquals(List.of("[\"before\"]", "[\"after\"]", "[\"late-room\"]"), events(onB), "what was published during the outage is lost");
      assertEquals(List.of("pong"), a.io().serverSideEmitWithAck("ping").get(10, TimeUnit.SECONDS).stream()
          .map(x -> x.getString(0)).toList(), "requests work again");
      assertEquals(1, lines.count(Level.WARNING, "lost") / 3, "one line per link per outage");
      assertEquals(1, l0.metrics().outages());
      for (InMemorySocketIo s : List.of(a, b)) s.close();
      servers.clear();
    } finally {
      LINK_LOG.removeHandler(lines);
      LINK_LOG.setUseParentHandlers(parents);
    }
  }
}
