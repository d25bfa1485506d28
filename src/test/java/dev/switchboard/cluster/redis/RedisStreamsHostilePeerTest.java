package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMetrics;
import dev.switchboard.cluster.ClusterMetrics.Drop;
import dev.switchboard.cluster.NotepackCodec;
import dev.switchboard.cluster.WireOptions;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers (issue #10): a raw {@link RedisLink} writes junk of every kind where the streams
 * adapter listens — its pub/sub channels and its stream — and floods both. The node drops each
 * with a FINE line and a counter by reason, keeps serving (a broadcast from another server still
 * reaches its client, a fetchSockets across both still answers), and holds nothing afterwards: no
 * pending request, no backlog. The stream never overloads the node: its reader reads only as fast
 * as the node handles what it read.
 */
class RedisStreamsHostilePeerTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final NotepackCodec MSGPACK = NotepackCodec.msgpackJs();
  private static final String KEY = "hostile";
  private static RedisServer redis;
  private static RedisProbe probe;
  private static RedisLink linkA;
  private static RedisLink linkB;
  private static RedisLink evil;
  private static InMemorySocketIo a;
  private static InMemorySocketIo b;
  private static FakeEngineIoConnection client;
  private static RedisStreamsAdapter adapter;
  private static final StreamsCodec CODEC = new StreamsCodec();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    probe = new RedisProbe(redis.url());
    linkA = RedisLink.connect(redis.url());
    linkB = RedisLink.connect(redis.url());
    evil = RedisLink.connect(redis.url());
    RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.builder().streamName(KEY).channelPrefix(KEY).build();
    a = new InMemorySocketIo(SocketIoOptions.builder().adapter(RedisStreamsAdapter.factory(linkA, options)).build(), "a-");
    b = new InMemorySocketIo(SocketIoOptions.builder().adapter(RedisStreamsAdapter.factory(linkB, options)).build(), "b-");
    adapter = (RedisStreamsAdapter) a.io().sockets().adapter();
    adapter.subscribed().get(10, TimeUnit.SECONDS);
    ((RedisStreamsAdapter) b.io().sockets().adapter()).subscribed().get(10, TimeUnit.SECONDS);
    Await.until("both readers blocked", () -> probe.blockedClients() == 2);
    client = a.client();
    client.takeSent();
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    evil.close();
    linkA.close();
    linkB.close();
    probe.close();
    redis.close();
  }

  private static ClusterMetrics metrics() {
    return linkA.metrics();
  }

  /** Waits until node A handled everything it received (no backlog, its reader blocked again). */
  private static void handled() {
    Await.until("A handled everything", () -> metrics().backlog() == 0 && probe.blockedClients() == 2);
  }

  private static void publish(String channel, byte[] message) throws Exception {
    evil.publish(channel, message).get(10, TimeUnit.SECONDS);
  }

  private static String xadd(Map<String, byte[]> fields) throws Exception {
    return evil.xadd(KEY, 100_000, fields).get(10, TimeUnit.SECONDS);
  }

  private static Map<String, byte[]> entry(String... kv) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) out.put(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  /** The node still does its job: another server's broadcast reaches its client, fetchSockets spans both. */
  private static void stillServes() throws Exception {
    b.io().emit("still", "alive");
    Await.until("another server's broadcast reaches the client", () -> client.sent().contains("2[\"still\",\"alive\"]"));
    assertEquals(List.of("2[\"still\",\"alive\"]"), client.takeSent(), "and nothing else did");
    List<RemoteSocket> sockets = a.io().fetchSockets().get(10, TimeUnit.SECONDS);
    assertEquals(1, sockets.size());
    assertEquals(0, adapter.pendingRequests(), "no request left behind");
    Await.until("nothing waits to be handled", () -> metrics().backlog() == 0);
  }

  @Test
  void junkOnThePubSubChannelsIsDroppedAndCountedByReason() throws Exception {
    String publicChannel = KEY + "#/#";
    String privateChannel = KEY + "#/#" + adapter.uid() + "#";
    long malformed = metrics().dropped(Drop.MALFORMED);
    List<byte[]> junk = new ArrayList<>();
    junk.add(new byte[0]);                                    // empty
    junk.add(hex("84a474797065"));                            // truncated map
    junk.add(hex("c1"));                                      // never used byte
    junk.add(hex("dd7fffffff"));                              // an array of 2^31 elements, announced
    junk.add(hex("db7ffffff0"));                              // a string of 2 GiB, announced
    junk.add(MSGPACK.encode(NODES.arrayNode().add(1)));       // not a map
    ObjectNode wrongTypes = NODES.objectNode().put("type", "3").put("uid", 7).put("nsp", "/");
    junk.add(MSGPACK.encode(wrongTypes));                     // fields of the wrong types
    junk.add(MSGPACK.encode(NODES.objectNode().put("type", 99).put("uid", "x").put("nsp", "/"))); // unknown type
    // {type: 3, uid: "x", nsp: "/", data: {d: {d: … 500 levels}}}: nesting beyond the decoder's limit
    junk.add(hex("84" + "a474797065" + "03" + "a3756964a178" + "a36e7370a12f" + "a464617461" + "81a164".repeat(500) + "c0"));
    ObjectNode badPacket = NODES.objectNode().put("type", 3).put("uid", "x").put("nsp", "/");
    badPacket.putObject("data").putObject("packet").put("type", 2).putArray("data").add("connect"); // a reserved event
    junk.add(MSGPACK.encode(badPacket));
    for (byte[] j : junk) publish(publicChannel, j);
    for (byte[] j : junk) publish(privateChannel, j);
    long expected = malformed + 2 * junk.size();
    Await.until("each dropped as malformed", () -> metrics().dropped(Drop.MALFORMED) >= expected);
    handled();
    assertEquals(expected, metrics().dropped(Drop.MALFORMED));

    long unknown = metrics().dropped(Drop.UNKNOWN_REQUEST);
    publish(privateChannel, CODEC.encodePubSub(new ClusterMessage.BroadcastAck("0123456789abcdef", "/", "no-such-request", TextNode.valueOf("x"))));
    publish(privateChannel, CODEC.encodePubSub(new ClusterMessage.FetchSocketsResponse("0123456789abcdef", "/", "nope", List.of())));
    publish(privateChannel, CODEC.encodePubSub(new ClusterMessage.ServerSideEmitResponse("0123456789abcdef", "/", "nope", TextNode.valueOf("y"))));
    publish(privateChannel, CODEC.encodePubSub(new ClusterMessage.BroadcastClientCount("0123456789abcdef", "/", "nope", 3)));
    long other = metrics().dropped(Drop.OTHER_NAMESPACE);
    ArrayNode event = NODES.arrayNode().add("news");
    publish(publicChannel, CODEC.encodePubSub(new ClusterMessage.Broadcast("0123456789abcdef", "/elsewhere", SocketIoPacket.event("/elsewhere", event), WireOptions.ALL)));
    long unsupported = metrics().dropped(Drop.UNSUPPORTED);
    publish(publicChannel, CODEC.encodePubSub(new ClusterMessage.Signal("0123456789abcdef", "/", dev.switchboard.cluster.ClusterMessageType.HEARTBEAT)));
    Await.until("the heartbeat dropped (the last one sent)", () -> metrics().dropped(Drop.UNSUPPORTED) > unsupported);
    handled();
    assertEquals(unknown + 4, metrics().dropped(Drop.UNKNOWN_REQUEST), "answers to no request");
    assertEquals(other + 1, metrics().dropped(Drop.OTHER_NAMESPACE));
    assertEquals(unsupported + 1, metrics().dropped(Drop.UNSUPPORTED), "heartbeats are not used");
    stillServes();
  }

  @Test
  void junkInTheStreamIsDroppedAndCountedWhileEntriesOfOtherNamespacesArePassedOver() throws Exception {
    long malformed = metrics().dropped(Drop.MALFORMED);
    long received = metrics().messagesReceived();
    List<Map<String, byte[]>> junk = List.of(
        entry("nsp", "/", "type", "3", "data", "{}"),                         // no uid
        entry("uid", "x", "nsp", "/", "data", "{}"),                          // no type
        entry("uid", "x", "nsp", "/", "type", "three", "data", "{}"),         // type not a number
        entry("uid", "x", "nsp", "/", "type", "99"),                          // unknown type
        entry("uid", "x", "nsp", "/", "type", "3", "data", "{\"packet\":"),   // bad JSON
        entry("uid", "x", "nsp", "/", "type", "3", "data", "%%% not base64"), // neither JSON nor base64
        entry("uid", "x", "nsp", "/", "type", "3", "data", "kQE="),           // base64 of MessagePack, not a map
        entry("uid", "x", "nsp", "/", "type", "3", "data", "{\"packet\":{\"type\":2,\"data\":[]},\"opts\":{}}"), // no event name
        entry("uid", "x", "nsp", "/", "type", "4", "data", "{\"opts\":{\"rooms\":[1]},\"rooms\":[\"r\"]}")); // a room that is a number
    for (Map<String, byte[]> j : junk) xadd(j);
    xadd(entry("uid", "x", "type", "3", "data", "{}"));                        // no nsp: passed over, as upstream
    xadd(entry("uid", "x", "nsp", "/nobody-here", "type", "3", "data", "{"));  // a namespace A does not have: passed over unread
    xadd(entry("uid", adapter.uid(), "nsp", "/", "type", "3", "data", "{"));   // "our own": passed over unread
    handled();
    assertEquals(malformed + junk.size(), metrics().dropped(Drop.MALFORMED));
    assertTrue(metrics().messagesReceived() >= received + junk.size() + 3, "every entry counted as received");
    stillServes();
  }

  @Test
  void aHugeEntryIsRefusedByTheCodecsLimits() throws Exception {
    long malformed = metrics().dropped(Drop.MALFORMED);
    String huge = "{\"packet\":{\"type\":2,\"data\":[\"x\",\"" + "a".repeat(17 * 1024 * 1024) + "\"]},\"opts\":{}}";
    xadd(entry("uid", "x", "nsp", "/", "type", "3", "data", huge));
    handled();
    assertEquals(malformed + 1, metrics().dropped(Drop.MALFORMED), "beyond 16 MiB");
    probe.sync().xtrim(KEY, 0); // let the other tests' readers not carry it around
    stillServes();
  }

  @Test
  void floodsLeaveNothingBehind() throws Exception {
    // pub/sub: answers to requests nobody made, as fast as Redis takes them
    long before = metrics().dropped(Drop.UNKNOWN_REQUEST) + metrics().dropped(Drop.OVERLOADED);
    byte[] answer = CODEC.encodePubSub(new ClusterMessage.BroadcastAck("0123456789abcdef", "/", "nope", TextNode.valueOf("x")));
    String privateChannel = KEY + "#/#" + adapter.uid() + "#";
    for (int burst = 0; burst < 6; burst++) { // bursts of 5 000: the evil link's own queue holds 10 000
      List<CompletableFuture<Long>> sent = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) sent.add(evil.publish(privateChannel, answer));
      for (CompletableFuture<Long> f : sent) f.get(30, TimeUnit.SECONDS);
    }
    Await.until("every one arrived and was dropped", () ->
        metrics().dropped(Drop.UNKNOWN_REQUEST) + metrics().dropped(Drop.OVERLOADED) >= before + 30_000);
    handled();
    assertEquals(before + 30_000, metrics().dropped(Drop.UNKNOWN_REQUEST) + metrics().dropped(Drop.OVERLOADED),
        "each one dropped: handled and found to answer nothing, or refused at the door when too many waited");

    // the stream: junk entries; the reader takes them as fast as the node handles them, none refused
    long overloaded = metrics().dropped(Drop.OVERLOADED);
    long malformed = metrics().dropped(Drop.MALFORMED);
    List<CompletableFuture<String>> added = new ArrayList<>();
    Map<String, byte[]> junk = entry("uid", "x", "nsp", "/", "type", "3", "data", "{\"bad\":");
    for (int i = 0; i < 5_000; i++) added.add(evil.xadd(KEY, 100_000, junk));
    for (CompletableFuture<String> f : added) f.get(30, TimeUnit.SECONDS);
    Await.until("all read", () -> metrics().dropped(Drop.MALFORMED) == malformed + 5_000);
    assertEquals(overloaded, metrics().dropped(Drop.OVERLOADED), "the stream waits in Redis, never overloads the node");
    assertTrue(metrics().backlog() <= dev.switchboard.cluster.ClusterAdapterBase.MAX_QUEUED_MESSAGES, "bounded");
    handled();
    stillServes();
  }
}
