package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterMetrics;
import dev.switchboard.cluster.ClusterMetrics.Drop;
import dev.switchboard.cluster.NotepackCodec;
import dev.switchboard.cluster.WireOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.socketio.testing.LogCapture;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import dev.switchboard.testing.LocalResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer on the same Redis (issue #10): a raw {@link RedisLink} publishes, on a Switchboard
 * server's own channels, every kind of junk — truncated and malformed MessagePack, invalid JSON,
 * wrong types, declared lengths of gigabytes, deep nesting, over a million elements, reserved event
 * names, another namespace's packet, more binary values than a client may be sent, unknown request
 * types, answers to no request, and a flood while the server is busy. Each message is dropped with a
 * FINE line (which never repeats the payload) and counted by reason; the server keeps serving, its
 * queue stays within its bound, and nothing is left pending.
 */
class RedisAdapterHostilePeerTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final NotepackCodec NOTEPACK = new NotepackCodec();
  private static final ClassicCodec CODEC = new ClassicCodec();
  private static final String KEY = "hostile";
  private static final ClassicChannels CHANNELS = new ClassicChannels(KEY, "/");
  private static final long MAX_QUEUED = 8L << 20;

  private static RedisServer redis;
  private static RedisLink serverLink;
  private static RedisLink peer;
  private static InMemorySocketIo server;
  private static RedisAdapter adapter;
  private static final BlockingQueue<String> barrierAnswers = new LinkedBlockingQueue<>();
  private static int barriers;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    serverLink = RedisLink.connect(redis.url());
    peer = RedisLink.connect(redis.url());
    RedisAdapterOptions options = RedisAdapterOptions.builder().key(KEY).publishOnSpecificResponseChannel(true)
        .maxQueuedBytes(MAX_QUEUED).build();
    server = new InMemorySocketIo(SocketIoOptions.builder().adapter(RedisAdapter.factory(serverLink, options)).build());
    adapter = (RedisAdapter) server.io().sockets().adapter();
    adapter.subscribed().get(10, TimeUnit.SECONDS);
    peer.subscribe((channel, bytes) -> barrierAnswers.add(new String(bytes, StandardCharsets.UTF_8)), CHANNELS.response("peer01"))
        .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    LocalResources.closeAll(server, peer, serverLink, redis);
  }

  /**
   * Returns once the server has handled everything the peer published before: the peer asks a
   * REMOTE_FETCH, which the server answers on the peer's own response channel after the rest.
   */
  private static void barrier() throws Exception {
    String id = "barrier" + (++barriers);
    peer.publish(CHANNELS.request(), ("{\"uid\":\"peer01\",\"requestId\":\"" + id
        + "\",\"type\":5,\"opts\":{\"rooms\":[],\"except\":[]}}").getBytes(StandardCharsets.UTF_8));
    String answer = barrierAnswers.poll(10, TimeUnit.SECONDS);
    assertTrue(answer != null && answer.contains(id), "the server answered the barrier: " + answer);
  }

  private static void publish(String channel, byte[] bytes) throws Exception {
    peer.publish(channel, bytes).get(10, TimeUnit.SECONDS);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hex(String h) {
    return java.util.HexFormat.of().parseHex(h);
  }

  /** A valid broadcast from the peer: {@code [peer01, {type 2, data, nsp}, opts]}. */
  private static byte[] broadcast(String nsp, List<String> rooms, ArrayNode data) {
    return CODEC.encode(new ClassicBroadcast("peer01", new SocketIoPacket(dev.switchboard.socketio.protocol.SocketIoPacketType.EVENT,
        nsp, data, -1), new WireOptions(rooms, List.of(), dev.switchboard.cluster.WireFlags.NONE)));
  }

  private static ArrayNode event(String name, Object... args) {
    ArrayNode a = NODES.arrayNode().add(name);
    for (Object o : args) {
      if (o instanceof byte[] b) a.add(BinaryNode.valueOf(b));
      else a.add(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(o));
    }
    return a;
  }

  @Test
  void everyKindOfJunkIsDroppedCountedAndLoggedWhileTheServerKeepsServing() throws Exception {
    FakeEngineIoConnection client = server.client();
    server.socket(client).join("room1");
    ClusterMetrics m = adapter.metrics();
    Map<Drop, Long> before = m.droppedByReason();
    byte[] real = broadcast("/", List.of(), event("hello", 1, new byte[] {1, 2}));
    byte[] manyBinaries = broadcast("/", List.of(), event("x", new byte[] {1}, new byte[] {2}, new byte[] {3}, new byte[] {4},
        new byte[] {5}, new byte[] {6}, new byte[] {7}, new byte[] {8}, new byte[] {9}, new byte[] {10}, new byte[] {11}));
    byte[] deep = new byte[201];
    Arrays.fill(deep, (byte) 0x91);
    deep[200] = (byte) 0xc0;
    StringBuilder million = new StringBuilder("{\"uid\":\"peer01\",\"type\":6,\"data\":[\"e\"");
    for (int i = 0; i < 1_000_001; i++) million.append(",0");
    million.append("]}");
    ObjectNode noPacket = NODES.objectNode().put("uid", "peer01").put("requestId", "r1").put("type", 7);
    ObjectNode ackToNobody = NODES.objectNode().put("type", 9).put("requestId", "nope").put("packet", 1);

    LogCapture log = LogCapture.of(RedisAdapter.class);
    try {
      String b = CHANNELS.broadcast();
      publish(b, new byte[0]);                                               // empty
      publish(b, Arrays.copyOf(real, real.length / 2));                       // truncated
      publish(b, hex("c1c1c1"));                                             // reserved byte
      publish(b, NOTEPACK.encode(NODES.arrayNode().add(1).add(2).add(3)));   // wrong types
      publish(b, hex("dd7fffffff"));                                         // an array of 2^31 elements, declared
      publish(b, hex("93a6706565723031db7ffffff0"));                         // a string of 2 GiB, declared
      publish(b, deep);                                                      // 200 levels of nesting
      publish(b, broadcast("/", List.of(), event("connect")));              // a reserved event name
      publish(b, broadcast("/other", List.of(), event("x")));               // another namespace's packet
      publish(b, manyBinaries);                                              // more binaries than a client takes
      publish(CHANNELS.room("nobody-here"), hex("c1"));                      // a room without member: not even read
      String r = CHANNELS.request();
      publish(r, json("{\"uid\":\"peer01\",\"type\":42}"));                 // unknown request type
      publish(r, json("{\"uid\":\"peer01\",\"type\":8,\"requestId\":\"x\"}")); // an answer type as a request
      publish(r, json("{not json SECRET-PAYLOAD"));                          // invalid JSON
      publish(r, json("{\"uid\":\"peer01\",\"type\":6,\"data\":\"not an array\"}"));
      publish(r, NOTEPACK.encode(noPacket));                                 // a broadcast request without packet
      publish(r, json(million.toString()));                                  // over a million elements
      publish(CHANNELS.response(), json("{\"requestId\":\"nope\",\"rooms\":[]}")); // answers to no request
      publish(CHANNELS.response(), NOTEPACK.encode(ackToNobody));
      publish(CHANNELS.response(), json("{\"rooms\":[]}"));                  // an answer without request id
      publish(CHANNELS.response(adapter.uid()), json("{\"requestId\":\"nope2\",\"sockets\":[]}"));
      barrier();

      Map<Drop, Long> after = m.droppedByReason();
      assertEquals(15, after.get(Drop.MALFORMED) - before.get(Drop.MALFORMED), after.toString());
      assertEquals(2, after.get(Drop.UNKNOWN_TYPE) - before.get(Drop.UNKNOWN_TYPE), after.toString());
      assertEquals(3, after.get(Drop.UNKNOWN_REQUEST) - before.get(Drop.UNKNOWN_REQUEST), after.toString());
      List<String> lines = log.messages(Level.FINE);
      assertEquals(20, lines.size(), "one FINE line per dropped message: " + lines);
      assertTrue(lines.stream().anyMatch(l -> l.contains("(unknown_type): unknown request type 42")), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.contains("(unknown_request): answer to no pending request")), lines.toString());
      assertFalse(lines.stream().anyMatch(l -> l.contains("SECRET-PAYLOAD")), "a payload is never logged: " + lines);
    } finally {
      log.close();
    }

    // Still serving: the peer's valid broadcast reaches the client, nothing is pending or queued.
    publish(CHANNELS.room("room1"), broadcast("/", List.of("room1"), event("hello", 1)));
    barrier();
    assertTrue(client.sent().stream().anyMatch(s -> s.equals("2[\"hello\",1]")), client.sent().toString());
    assertEquals(0, adapter.pendingRequests());
    assertEquals(0, adapter.queuedBytes());
  }

  @Test
  void aFloodWhileTheServerIsBusyIsDroppedOnArrivalBeyondTheQueuesBound() throws Exception {
    // A client whose delivery blocks holds the adapter's executor: what arrives meanwhile queues.
    FakeEngineIoConnection blocker = server.client();
    server.socket(blocker).join("block");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    blocker.onSend(wire -> {
      blocked.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ClusterMetrics m = adapter.metrics();
    long overloadBefore = m.dropped(Drop.OVERLOADED);
    long malformedBefore = m.dropped(Drop.MALFORMED);
    publish(CHANNELS.room("block"), broadcast("/", List.of("block"), event("stall")));
    assertTrue(blocked.await(10, TimeUnit.SECONDS), "the adapter's executor is busy");

    byte[] junk = new byte[32 << 10];
    Arrays.fill(junk, (byte) 0xc1);
    int flood = 400; // 12.5 MiB against a bound of 8 MiB
    long receivedBefore = m.messagesReceived();
    for (int i = 0; i < flood; i++) peer.publish(CHANNELS.broadcast(), junk);
    Await.until("every message of the flood arrived", Duration.ofSeconds(20), () -> m.messagesReceived() - receivedBefore == flood);
    long overloaded = m.dropped(Drop.OVERLOADED) - overloadBefore;
    assertTrue(overloaded >= flood - MAX_QUEUED / junk.length, "dropped on arrival beyond the bound: " + overloaded);
    assertTrue(adapter.queuedBytes() <= MAX_QUEUED, "the queue never holds more than its bound: " + adapter.queuedBytes());

    release.countDown();
    Await.until("the queue drained", () -> adapter.queuedBytes() == 0);
    assertEquals(flood - overloaded, m.dropped(Drop.MALFORMED) - malformedBefore, "the queued ones were read, and dropped");
    barrier();
    assertEquals(0, adapter.pendingRequests());
    blocker.onSend(null);
  }
}
