package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisStreamsAdapter} on two in-memory Switchboard servers over a real redis-server, for
 * what the contract does not show: recovery across the two (offsets are stream entry ids, the
 * missed packets follow the CONNECT answer, a real {@code maxLen} trim gives a fresh session),
 * the threads futures complete on, the readers' life with the namespaces, the options. Each test
 * has its own stream, channels and session keys.
 */
class RedisStreamsAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static RedisServer redis;
  private static RedisProbe probe;
  private static RedisLink linkA;
  private static RedisLink linkB;
  private final String prefix = "t" + TESTS.incrementAndGet();
  private final List<InMemorySocketIo> servers = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
    probe = new RedisProbe(redis.url());
    linkA = RedisLink.connect(redis.url());
    linkB = RedisLink.connect(redis.url());
  }

  @AfterAll
  static void stopRedis() {
    linkA.close();
    linkB.close();
    probe.close();
    redis.close();
  }

  @AfterEach
  void closeServers() {
    for (InMemorySocketIo s : servers) s.close();
    Await.until("every reader gone", () -> probe.blockedClients() == 0);
  }

  private RedisStreamsAdapterOptions.Builder options() {
    return RedisStreamsAdapterOptions.builder().streamName(prefix).channelPrefix(prefix).sessionKeyPrefix(prefix + ":session:");
  }

  private InMemorySocketIo server(RedisLink link, String idPrefix, RedisStreamsAdapterOptions adapterOptions, boolean recovery) {
    SocketIoOptions.Builder b = SocketIoOptions.builder().adapter(RedisStreamsAdapter.factory(link, adapterOptions));
    if (recovery) b.recovery(SocketIoOptions.Recovery.builder().maxDisconnectionDuration(Duration.ofMinutes(1)).build());
    InMemorySocketIo s = new InMemorySocketIo(b.build(), idPrefix);
    servers.add(s);
    s.io().onServerSideEmit("__settle", (args, ack) -> ack.send());
    return s;
  }

  private static RedisStreamsAdapter adapter(InMemorySocketIo s) {
    return (RedisStreamsAdapter) s.io().sockets().adapter();
  }

  private void ready(InMemorySocketIo... all) throws Exception {
    for (InMemorySocketIo s : all) adapter(s).subscribed().get(10, TimeUnit.SECONDS);
    Await.until("the readers blocked", () -> probe.blockedClients() == all.length);
  }

  /** Everything published so far was handled by both servers. */
  private void settle(InMemorySocketIo a, InMemorySocketIo b) throws Exception {
    a.io().serverSideEmitWithAck("__settle").get(10, TimeUnit.SECONDS);
    b.io().serverSideEmitWithAck("__settle").get(10, TimeUnit.SECONDS);
    Await.until("the readers blocked", () -> probe.blockedClients() == 2);
  }

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(s, e);
    }
  }

  /** The offset a received event carries, last. */
  private static String offset(String wire) {
    JsonNode data = json(wire.substring(1));
    return data.get(data.size() - 1).textValue();
  }

  @Test
  void aClientComesBackOnTheOtherServerWithItsMissedPacketsRightAfterConnect() throws Exception {
    InMemorySocketIo a = server(linkA, "a-", options().build(), true);
    InMemorySocketIo b = server(linkB, "b-", options().build(), true);
    ready(a, b);
    FakeEngineIoConnection c = a.connect();
    c.receive("0");
    JsonNode hello = json(c.next().substring(1));
    String sid = hello.get("sid").textValue();
    String pid = hello.get("pid").textValue();
    a.io().of("/").sockets().get(sid).join("r1");
    a.io().of("/").sockets().get(sid).data().put("name", "ada");

    a.io().emit("news", "local");
    settle(a, b);
    String first = c.next();
    String offset = offset(first);
    assertEquals(List.of(offset), probe.sync().xrange(prefix, io.lettuce.core.Range.create(offset, offset)).stream()
        .map(io.lettuce.core.StreamMessage::getId).toList(), "the local delivery's offset is the stream entry's id");

    c.drop(CloseReason.TRANSPORT_CLOSE);
    Await.until("the session in Redis", () -> probe.sync().exists(prefix + ":session:" + pid) == 1);
    b.io().to("r1").emit("news", "missed 1");
    a.io().to("elsewhere").emit("news", "not for it");
    b.io().emit("news", "missed 2", new byte[] {1});
    settle(a, b);

    FakeEngineIoConnection back = b.connect();
    back.receive("0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
    Await.until("the session restored", () -> back.sent().size() >= 3);
    List<String> sent = back.takeSent();
    assertEquals("0{\"sid\":\"" + sid + "\",\"pid\":\"" + pid + "\"}", sent.get(0), "the same socket, recovered");
    assertTrue(sent.get(1).startsWith("2[\"news\",\"missed 1\",\""), sent.toString());
    assertTrue(sent.get(2).startsWith("51-[\"news\",\"missed 2\",{\"_placeholder\":true,\"num\":0},\""), sent.toString());
    assertEquals("<binary:01>", sent.get(3));
    assertEquals(java.util.Set.of(sid, "r1"), b.io().of("/").sockets().get(sid).rooms());
    assertEquals("ada", b.io().of("/").sockets().get(sid).data().get("name"));
  }

  @Test
  void anOffsetTrimmedByMaxLenGivesAFreshSession() throws Exception {
    RedisStreamsAdapterOptions small = options().maxLen(10).build();
    InMemorySocketIo a = server(linkA, "a-", small, true);
    InMemorySocketIo b = server(linkB, "b-", small, true);
    ready(a, b);
    FakeEngineIoConnection c = a.connect();
    c.receive("0");
    JsonNode hello = json(c.next().substring(1));
    a.io().emit("news", 0);
    settle(a, b);
    String offset = offset(c.next());
    c.drop(CloseReason.TRANSPORT_CLOSE);
    Await.until("the session in Redis", () -> probe.sync().exists(prefix + ":session:" + hello.get("pid").textValue()) == 1);
    // MAXLEN ~ 10 trims whole nodes of the stream (100 entries each by default): write enough
    for (int i = 1; i <= 300; i++) b.io().emit("news", i);
    settle(a, b);
    assertTrue(probe.sync().xlen(prefix) < 300, "trimmed: " + probe.sync().xlen(prefix));
    assertEquals(List.of(), probe.sync().xrange(prefix, io.lettuce.core.Range.create(offset, offset)), "the client's offset is gone");

    FakeEngineIoConnection back = b.connect();
    back.receive("0{\"pid\":\"" + hello.get("pid").textValue() + "\",\"offset\":\"" + offset + "\"}");
    Await.until("answered", () -> !back.sent().isEmpty());
    JsonNode fresh = json(back.next().substring(1));
    assertNotEquals(hello.get("sid"), fresh.get("sid"), "a new socket");
    assertEquals(List.of(), back.sent(), "nothing replayed");
  }

  @Test
  void withoutRecoveryNothingIsPersistedAndBroadcastsCarryNoOffset() throws Exception {
    InMemorySocketIo a = server(linkA, "a-", options().build(), false);
    InMemorySocketIo b = server(linkB, "b-", options().build(), false);
    ready(a, b);
    FakeEngineIoConnection onA = a.client();
    FakeEngineIoConnection onB = b.client();
    onA.takeSent();
    onB.takeSent();
    a.io().emit("news", 1);
    settle(a, b);
    assertEquals(List.of("2[\"news\",1]"), onA.takeSent());
    assertEquals(List.of("2[\"news\",1]"), onB.takeSent());
    onA.drop(CloseReason.TRANSPORT_CLOSE);
    assertEquals(List.of(), probe.sync().keys(prefix + ":session:*"));
  }

  @Test
  void futuresCompleteOnTheWorkerPoolNeverOnLettucesThreads() throws Exception {
    InMemorySocketIo a = server(linkA, "a-", options().build(), false);
    InMemorySocketIo b = server(linkB, "b-", options().build(), false);
    ready(a, b);
    b.io().onServerSideEmit("ping", (args, ack) -> ack.send("pong"));
    List<String> threads = new CopyOnWriteArrayList<>();
    adapter(a).serverCount().thenAccept(n -> threads.add(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
    a.io().serverSideEmitWithAck("ping").thenAccept(x -> threads.add(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
    a.io().fetchSockets().thenAccept(x -> threads.add(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
    assertEquals(3, threads.size());
    // A stage attached to a future that has already completed runs on the attaching thread (the
    // test's): that says nothing about the adapter. Any other thread is the one that completed
    // the future, and that must be the completions pool, never Lettuce's or the timer's.
    String test = Thread.currentThread().getName();
    for (String t : threads) assertTrue(t.startsWith("switchboard-sio-completions-") || t.equals(test), t);
  }

  @Test
  void theReadersLiveAsLongAsOneNamespaceAndCloseUnsubscribes() throws Exception {
    InMemorySocketIo a = server(linkA, "a-", options().streamCount(3).build(), false);
    a.io().of("/chat");
    adapter(a).subscribed().get(10, TimeUnit.SECONDS);
    Await.until("three readers, one per stream, for both namespaces", () -> probe.blockedClients() == 3);
    java.util.Set<String> rootChannels = java.util.Set.of(prefix + "#/#", prefix + "#/#" + adapter(a).uid() + "#");
    assertEquals(rootChannels, java.util.Set.copyOf(probe.sync().pubsubChannels(prefix + "#/#*")));
    assertEquals(2, probe.sync().pubsubChannels(prefix + "#/chat#*").size());
    RedisStreamsAdapter root = adapter(a);
    RedisStreamsAdapter chat = (RedisStreamsAdapter) a.io().of("/chat").adapter();
    chat.close();
    Await.until("/chat's channels gone", () -> probe.sync().pubsubChannels(prefix + "#/chat#*").isEmpty());
    assertEquals(3, probe.blockedClients(), "the readers serve the namespaces left");
    assertEquals(rootChannels, java.util.Set.copyOf(probe.sync().pubsubChannels(prefix + "#/#*")));
    root.close();
    Await.until("the readers stop with the last namespace", () -> probe.blockedClients() == 0);
    Await.until("every channel gone", () -> probe.sync().pubsubChannels(prefix + "#*").isEmpty());
  }

  @Test
  void optionsHaveUpstreamsDefaultsAndRefuseNonsense() {
    RedisStreamsAdapterOptions d = RedisStreamsAdapterOptions.DEFAULTS;
    assertEquals("socket.io", d.streamName());
    assertEquals(1, d.streamCount());
    assertEquals("socket.io", d.channelPrefix());
    assertEquals(false, d.useShardedPubSub());
    assertEquals(10_000, d.maxLen());
    assertEquals(100, d.readCount());
    assertEquals(5_000, d.blockTimeInMs());
    assertEquals("sio:session:", d.sessionKeyPrefix());
    assertEquals(false, d.onlyPlaintext());
    assertEquals(Duration.ofSeconds(5), d.requestsTimeout());
    assertEquals(StreamsNames.DEFAULTS, d.names());
    assertEquals(d.toString(), d.toBuilder().build().toString());
    RedisStreamsAdapterOptions.Builder b = RedisStreamsAdapterOptions.builder();
    assertThrows(IllegalArgumentException.class, () -> b.streamCount(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxLen(0));
    assertThrows(IllegalArgumentException.class, () -> b.readCount(0));
    assertThrows(IllegalArgumentException.class, () -> b.blockTimeInMs(0));
    assertThrows(IllegalArgumentException.class, () -> b.streamName(""));
    assertThrows(IllegalArgumentException.class, () -> b.channelPrefix(""));
    assertThrows(IllegalArgumentException.class, () -> b.requestsTimeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> b.sessionKeyPrefix(null));
  }

  @Test
  void onlyPlaintextWritesBinaryAsJsonBuffers() throws Exception {
    InMemorySocketIo a = server(linkA, "a-", options().onlyPlaintext(true).build(), false);
    ready(a);
    a.io().emit("bytes", new byte[] {1, 2});
    Await.until("written", () -> probe.sync().xlen(prefix) == 1);
    Map<String, String> entry = probe.sync().xrange(prefix, io.lettuce.core.Range.create("-", "+")).get(0).getBody();
    assertEquals("{\"packet\":{\"type\":2,\"data\":[\"bytes\",{\"type\":\"Buffer\",\"data\":[1,2]}]},\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}}",
        entry.get("data"));
    assertEquals("3", entry.get("type"));
  }
}
