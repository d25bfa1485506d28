package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.WireVectors;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import dev.switchboard.testing.LocalResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link RedisAdapter} on its own, against a raw {@link RedisLink} listening on its channels:
 * what it publishes is, byte for byte, what {@code @socket.io/redis-adapter} 8.3 publishes for the
 * same call (the messages captured from Node in {@code notepack-vectors.json}, ids aside); its
 * options; closing it unsubscribes and fails what still waits.
 */
class RedisAdapterTest {
  private static final HexFormat HEX = HexFormat.of();
  private static RedisServer redis;
  private static RedisLink link;
  private static RedisLink listener;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    link = RedisLink.connect(redis.url());
    listener = RedisLink.connect(redis.url());
  }

  @AfterAll
  static void stop() {
    LocalResources.closeAll(listener, link, redis);
  }

  private static InMemorySocketIo server(RedisAdapterOptions options) throws Exception {
    InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(RedisAdapter.factory(link, options)).build());
    adapterOf(sio).subscribed().get(10, TimeUnit.SECONDS);
    return sio;
  }

  private static RedisAdapter adapterOf(InMemorySocketIo sio) {
    return (RedisAdapter) sio.io().sockets().adapter();
  }

  /** The hex of a captured Node message with its ids replaced by ours (all 6-character strings, fixstr a6). */
  private static String withIds(String capturedHex, Map<String, String> ids) {
    String hex = capturedHex;
    for (Map.Entry<String, String> e : ids.entrySet()) {
      assertEquals(6, e.getValue().length(), "ids are 6 characters, as Node's");
      hex = hex.replace(HEX.formatHex(e.getKey().getBytes(StandardCharsets.US_ASCII)),
          HEX.formatHex(e.getValue().getBytes(StandardCharsets.US_ASCII)));
    }
    return hex;
  }

  private static JsonNode capturedMessage(String namePrefix) throws Exception {
    for (JsonNode m : WireVectors.load("/dev/switchboard/cluster/notepack-vectors.json").path("messages")) {
      if (m.path("name").asText().startsWith(namePrefix)) return m;
    }
    throw new AssertionError("no captured message " + namePrefix);
  }

  @Test
  void aBroadcastAndABroadcastWithAcksAreTheBytesNodePublishes() throws Exception {
    BlockingQueue<String[]> heard = new LinkedBlockingQueue<>();
    ClassicChannels channels = new ClassicChannels("socket.io", "/");
    listener.psubscribe((ch, bytes) -> heard.add(new String[] {ch, HEX.formatHex(bytes)}), channels.broadcastPattern()).get(10, TimeUnit.SECONDS);
    listener.subscribe((ch, bytes) -> heard.add(new String[] {ch, HEX.formatHex(bytes)}), channels.request()).get(10, TimeUnit.SECONDS);
    try (InMemorySocketIo sio = server(RedisAdapterOptions.DEFAULTS)) {
      String uid = adapterOf(sio).uid();

      sio.io().to("r").emit("event", 1, Map.of("a", true), new byte[] {1, 2});
      String[] broadcast = heard.poll(10, TimeUnit.SECONDS);
      JsonNode node = capturedMessage("redis-adapter broadcast");
      assertEquals(node.path("channel").asText(), broadcast[0]);
      assertEquals(withIds(node.path("hex").asText(), Map.of("n0de01", uid)), broadcast[1]);

      CompletableFuture<?> acks = sio.io().timeout(Duration.ofMillis(50)).to("r").emitWithAck("event", 1, Map.of("a", true), new byte[] {1, 2});
      String[] request = heard.poll(10, TimeUnit.SECONDS);
      JsonNode captured = capturedMessage("redis-adapter BROADCAST request");
      String requestId = new ClassicCodec().decodeRequest(HEX.parseHex(request[1])) instanceof ClassicRequest.BroadcastWithAck b
          ? b.requestId() : null;
      assertEquals(captured.path("channel").asText(), request[0]);
      assertEquals(withIds(captured.path("hex").asText(), Map.of("n0de01", uid, "d_ZrFs", requestId)), request[1]);
      assertEquals(1, adapterOf(sio).pendingRequests(), "waiting for the other node's count");
      sio.clock.advanceBy(Duration.ofMillis(50));
      assertThrows(ExecutionException.class, () -> acks.get(10, TimeUnit.SECONDS), "the listener never answers");
      Await.until("the request is forgotten at its timeout", () -> adapterOf(sio).pendingRequests() == 0);
    } finally {
      listener.punsubscribe(channels.broadcastPattern());
      listener.unsubscribe(channels.request());
    }
  }

  @Test
  void closingTheServerUnsubscribesTheAdapterAndFailsWhatStillWaits() throws Exception {
    RedisAdapterOptions options = RedisAdapterOptions.builder().key("closing").build();
    ClassicChannels channels = new ClassicChannels("closing", "/");
    BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    listener.subscribe((ch, bytes) -> requests.add(ch), channels.request()).get(10, TimeUnit.SECONDS); // a silent second node
    try {
      InMemorySocketIo sio = server(options);
      assertEquals(2L, link.numsub(channels.request()).get(10, TimeUnit.SECONDS));
      CompletableFuture<?> fetch = sio.io().fetchSockets();
      assertEquals(channels.request(), requests.poll(10, TimeUnit.SECONDS), "the request went out");
      assertFalse(fetch.isDone());
      sio.close();
      ExecutionException e = assertThrows(ExecutionException.class, () -> fetch.get(10, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
      Await.until("the adapter left its channels", () -> numsub(channels.request()) == 1 && numsub(channels.response()) == 0);
      assertEquals(0, adapterOf(sio).pendingRequests());
    } finally {
      listener.unsubscribe(channels.request());
    }
  }

  private static long numsub(String channel) {
    try {
      return link.numsub(channel).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void optionsHaveNodesNamesAndDefaultsAndRefuseNonsense() {
    RedisAdapterOptions d = RedisAdapterOptions.DEFAULTS;
    assertEquals("socket.io", d.key());
    assertEquals(Duration.ofSeconds(5), d.requestsTimeout());
    assertFalse(d.publishOnSpecificResponseChannel());
    assertEquals(10_000, d.maxPendingRequests());
    assertEquals(32L << 20, d.maxQueuedBytes());
    RedisAdapterOptions o = d.toBuilder().key("k").requestsTimeout(Duration.ofMillis(1)).publishOnSpecificResponseChannel(true).build();
    assertEquals("k", o.key());
    assertTrue(o.publishOnSpecificResponseChannel());
    assertThrows(IllegalArgumentException.class, () -> RedisAdapterOptions.builder().key(""));
    assertThrows(IllegalArgumentException.class, () -> RedisAdapterOptions.builder().requestsTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> RedisAdapterOptions.builder().maxPendingRequests(0));
    assertThrows(IllegalArgumentException.class, () -> RedisAdapterOptions.builder().maxQueuedBytes(1024));
    assertThrows(NullPointerException.class, () -> RedisAdapter.factory(null));
  }

  @Test
  void tooManyPendingRequestsAreRefusedAtOnce() throws Exception {
    RedisAdapterOptions options = RedisAdapterOptions.builder().key("bounded").maxPendingRequests(2).build();
    ClassicChannels channels = new ClassicChannels("bounded", "/");
    listener.subscribe((ch, bytes) -> {}, channels.request()).get(10, TimeUnit.SECONDS); // a silent second node
    try (InMemorySocketIo sio = server(options)) {
      CompletableFuture<?> first = sio.io().fetchSockets();
      CompletableFuture<?> second = sio.io().sockets().allRooms();
      CompletableFuture<?> third = sio.io().fetchSockets();
      ExecutionException e = assertThrows(ExecutionException.class, () -> third.get(10, TimeUnit.SECONDS));
      assertInstanceOf(java.util.concurrent.RejectedExecutionException.class, e.getCause());
      assertFalse(first.isDone() || second.isDone());
      sio.clock.advanceBy(Duration.ofSeconds(5));
      assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
      assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS));
      Await.until("nothing pending", () -> adapterOf(sio).pendingRequests() == 0);
    } finally {
      listener.unsubscribe(channels.request());
    }
  }
}
