package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.WireFlags;
import dev.switchboard.cluster.WireOptions;
import dev.switchboard.socketio.adapter.PersistedSession;
import dev.switchboard.socketio.adapter.RestoredSession;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery in Redis, one namespace of the streams adapter: the session's key,
 * and the broadcasts read back from the stream — against a real redis-server; each test has its
 * own stream and key prefix.
 */
class StreamsSessionsTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static RedisServer redis;
  private static RedisLink link;
  private static RedisProbe probe;
  private static ExecutorService completions;
  private static final List<String> completionThreads = new CopyOnWriteArrayList<>();

  private final StreamsCodec codec = new StreamsCodec();
  private final List<String> dropped = new CopyOnWriteArrayList<>();
  private final String prefix = "t" + TESTS.incrementAndGet() + ":";
  private final StreamsNames names = new StreamsNames(prefix + "stream", 1, prefix + "ch", prefix + "session:");

  /** Held so that its outage lines stay off the console: the outages here are on purpose. */
  private static final java.util.logging.Logger LINK_LOG = java.util.logging.Logger.getLogger(RedisLink.class.getName());

  @BeforeAll
  static void startRedis() throws Exception {
    LINK_LOG.setUseParentHandlers(false);
    redis = RedisServer.start();
    link = RedisLink.connect(redis.url());
    probe = new RedisProbe(redis.url());
    completions = Executors.newFixedThreadPool(2, r -> new Thread(() -> {
      completionThreads.add(Thread.currentThread().getName());
      r.run();
    }, "test-completions"));
  }

  @AfterAll
  static void stopRedis() {
    completions.shutdownNow();
    probe.close();
    link.close();
    redis.close();
    LINK_LOG.setUseParentHandlers(true);
  }

  private StreamsSessions sessions(String nsp) {
    return new StreamsSessions(link, codec, names, nsp, Duration.ofMinutes(1), completions, dropped::add);
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  /** Adds a broadcast entry as a node of the cluster would; returns its id. */
  private String broadcast(String nsp, WireOptions opts, Object... args) throws Exception {
    ArrayNode data = NODES.arrayNode().add("news");
    for (Object a : args) data.add(a instanceof byte[] b ? BinaryNode.valueOf(b) : NODES.textNode(a.toString()));
    ClusterMessage m = new ClusterMessage.Broadcast("0123456789abcdef", nsp, SocketIoPacket.event(nsp, data), opts);
    return add(codec.encodeEntry(m));
  }

  private String add(Map<String, byte[]> fields) throws Exception {
    return await(link.xadd(names.streamFor("/"), 1000, fields));
  }

  private static WireOptions to(List<String> rooms, List<String> except) {
    return new WireOptions(rooms, except, WireFlags.NONE);
  }

  private static PersistedSession session(String sid, String pid, Set<String> rooms) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", "ada");
    data.put("tags", List.of("a", "b"));
    data.put("bytes", new byte[] {1, 2});
    return new PersistedSession(sid, pid, rooms, data);
  }

  private static List<String> events(RestoredSession r) {
    List<String> out = new ArrayList<>();
    for (ArrayNode a : r.missedPackets()) out.add(a.toString());
    return out;
  }

  @Test
  void persistStoresTheSessionAsNodeDoesForTheRecoveryWindow() throws Exception {
    sessions("/").persist(session("sid1", "pid1", Set.of("room1", "sid1")));
    String key = names.sessionKey("pid1");
    Await.until("the session stored", () -> probe.sync().exists(key) == 1);
    long ttl = probe.sync().pttl(key);
    assertTrue(ttl > 50_000 && ttl <= 60_000, "PX maxDisconnectionDuration: " + ttl);
    byte[] raw = probe.sync().get(key).getBytes(StandardCharsets.US_ASCII);
    dev.switchboard.cluster.redis.PersistedSession wire = codec.decodeSession(raw);
    assertEquals("sid1", wire.sid());
    assertEquals("pid1", wire.pid());
    assertEquals("sid1", wire.rooms().get(0), "its own id-room first, as socket.io lists rooms");
    assertEquals(Set.of("sid1", "room1"), Set.copyOf(wire.rooms()));
    assertEquals("ada", wire.data().get("name").textValue());
    assertArrayEquals(new byte[] {1, 2}, wire.data().get("bytes").binaryValue(), "binary data stays binary (MessagePack bin)");
  }

  @Test
  void restoreGivesTheSessionOnceWithTheBroadcastsThatWouldHaveReachedItEachWithItsOffset() throws Exception {
    StreamsSessions sessions = sessions("/");
    String offset = broadcast("/", WireOptions.ALL, "seen already");
    sessions.persist(session("sid1", "pid1", Set.of("sid1", "room1")));
    Await.until("stored", () -> probe.sync().exists(names.sessionKey("pid1")) == 1);
    String all = broadcast("/", WireOptions.ALL, "to all");
    String room = broadcast("/", to(List.of("room1", "room9"), List.of()), "to room1");
    broadcast("/", to(List.of("room9"), List.of()), "to another room");
    broadcast("/", to(List.of(), List.of("room1")), "all but room1");
    broadcast("/other", WireOptions.ALL, "another namespace");
    String volatileOne = broadcast("/", new WireOptions(List.of(), List.of(), WireFlags.NONE.with(WireFlags.Flag.VOLATILE, true)), "volatile");
    add(codec.encodeEntry(new ClusterMessage.SocketsJoin("0123456789abcdef", "/", WireOptions.ALL, List.of("x"))));
    String binary = broadcast("/", to(List.of("sid1"), List.of()), new byte[] {7});

    completionThreads.clear();
    Optional<RestoredSession> r = await(sessions.restore("pid1", offset));
    assertTrue(r.isPresent());
    assertEquals(List.of("test-completions"), List.copyOf(Set.copyOf(completionThreads)), "completed on the completion executor");
    PersistedSession s = r.get().session();
    assertEquals("sid1", s.id());
    assertEquals("pid1", s.pid());
    assertEquals(Set.of("sid1", "room1"), s.rooms());
    assertEquals("ada", s.data().get("name"));
    assertEquals(List.of("a", "b"), s.data().get("tags"));
    assertArrayEquals(new byte[] {1, 2}, (byte[]) s.data().get("bytes"));
    assertEquals(List.of("[\"news\",\"to all\",\"" + all + "\"]", "[\"news\",\"to room1\",\"" + room + "\"]",
        "[\"news\",\"volatile\",\"" + volatileOne + "\"]"), events(r.get()).subList(0, 3), "volatile ones too, as upstream");
    ArrayNode last = r.get().missedPackets().get(3);
    assertArrayEquals(new byte[] {7}, last.get(1).binaryValue(), "binary arguments come back binary");
    assertEquals(binary, last.get(2).textValue());
    assertEquals(4, r.get().missedPackets().size());

    assertEquals(0, probe.sync().exists(names.sessionKey("pid1")), "taken: GETDEL");
    assertEquals(Optional.empty(), await(sessions.restore("pid1", offset)), "a session is restored once");
    assertEquals(List.of(), dropped);
  }

  @Test
  void anOffsetThatIsNotAnEntryIdFailsWithoutTakingTheSession() throws Exception {
    StreamsSessions sessions = sessions("/");
    sessions.persist(session("sid1", "pid1", Set.of("sid1")));
    Await.until("stored", () -> probe.sync().exists(names.sessionKey("pid1")) == 1);
    for (String bad : List.of("", "abc", "12", "1-2-3", "-1-2", "1-x")) {
      assertEquals(Optional.empty(), await(sessions.restore("pid1", bad)), bad);
    }
    assertEquals(1, probe.sync().exists(names.sessionKey("pid1")), "still there for a proper attempt");
  }

  @Test
  void anOffsetNoLongerInTheStreamOrAnUnknownSessionGivesAFreshSession() throws Exception {
    StreamsSessions sessions = sessions("/");
    String offset = broadcast("/", WireOptions.ALL, "a");
    assertEquals(Optional.empty(), await(sessions.restore("nobody", offset)), "no session (expired, or never kept)");

    sessions.persist(session("sid1", "pid1", Set.of("sid1")));
    Await.until("stored", () -> probe.sync().exists(names.sessionKey("pid1")) == 1);
    probe.sync().xtrim(names.streamFor("/"), 0); // maxLen trimmed the client's last offset away
    broadcast("/", WireOptions.ALL, "b");
    assertEquals(Optional.empty(), await(sessions.restore("pid1", offset)));
    assertEquals(0, probe.sync().exists(names.sessionKey("pid1")), "taken all the same, as upstream");
  }

  @Test
  void whatCannotBeReadIsSkippedAndCounted() throws Exception {
    StreamsSessions sessions = sessions("/");
    String offset = broadcast("/", WireOptions.ALL, "a");
    sessions.persist(session("sid1", "pid1", Set.of("sid1")));
    Await.until("stored", () -> probe.sync().exists(names.sessionKey("pid1")) == 1);
    Map<String, byte[]> junk = new LinkedHashMap<>();
    junk.put("uid", "x".getBytes(StandardCharsets.UTF_8));
    junk.put("nsp", "/".getBytes(StandardCharsets.UTF_8));
    junk.put("type", "3".getBytes(StandardCharsets.UTF_8));
    junk.put("data", "{\"packet\":".getBytes(StandardCharsets.UTF_8));
    add(junk);
    String good = broadcast("/", WireOptions.ALL, "b");
    Optional<RestoredSession> r = await(sessions.restore("pid1", offset));
    assertEquals(List.of("[\"news\",\"b\",\"" + good + "\"]"), events(r.orElseThrow()));
    assertEquals(List.of("malformed"), dropped);

    probe.sync().set(names.sessionKey("pid2"), "not base64 at all!");
    assertEquals(Optional.empty(), await(sessions.restore("pid2", offset)));
    assertEquals(List.of("malformed", "malformed"), dropped);
  }

  @Test
  void aSessionWrittenByNodeIsRead() throws Exception {
    // captured-messages.json: what socket.io 4.8 with the streams adapter stored for a dropped socket
    String captured = "hKNzaWS0akxoaEFWWFNqQ3B5Slp2OEFBQU+jcGlktEYzLW1Ta250eGJPZ1VBU3lBQUFQpXJvb21zkbRqTGhoQVZYU2pDcHlKWnY4QUFBT6RkYXRhgA==";
    String offset = broadcast("/", WireOptions.ALL, "a");
    probe.sync().set(names.sessionKey("F3-mSkntxbOgUASyAAAP"), captured);
    Optional<RestoredSession> r = await(sessions("/").restore("F3-mSkntxbOgUASyAAAP", offset));
    assertEquals("jLhhAVXSjCpyJZv8AAAO", r.orElseThrow().session().id());
    assertEquals(Set.of("jLhhAVXSjCpyJZv8AAAO"), r.get().session().rooms());
    assertEquals(Map.of(), r.get().session().data());
  }

  @Test
  void redisAwayFailsTheRestoreOnTheCompletionExecutor() throws Exception {
    try (RedisServer own = RedisServer.start(); RedisLink ownLink = RedisLink.connect(own.url())) {
      StreamsSessions sessions = new StreamsSessions(ownLink, codec, names, "/", Duration.ofMinutes(1), completions, dropped::add);
      own.kill();
      Await.until("the link sees it", () -> ownLink.publish("x", new byte[0]).isCompletedExceptionally());
      CompletableFuture<Optional<RestoredSession>> f = sessions.restore("pid1", "1-0");
      java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof RedisLinkException, String.valueOf(e.getCause()));
      sessions.persist(session("sid1", "pid1", Set.of("sid1"))); // nothing thrown: logged at FINE
    }
  }
}
