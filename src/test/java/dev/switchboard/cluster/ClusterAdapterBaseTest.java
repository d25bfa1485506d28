package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.cluster.redis.ShardedCodec;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ClusterAdapterBase} adds to the adapter contract ({@code ClusterAdapterBaseContractTest}):
 * the ids, the exact messages it publishes, the recovery offsets of a numbering transport, its
 * request timeouts and limits, what it does with what a hostile peer publishes, and on which
 * threads its futures complete. On in-memory servers over a {@link ClusterBus}, with fake clocks.
 */
class ClusterAdapterBaseTest {
  private static final ShardedCodec CODEC = new ShardedCodec();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ClusterAdapterBaseContractTest.BusCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) cluster.close();
  }

  private ClusterAdapterBaseContractTest.BusCluster start(int nodes, boolean numbered, SocketIoOptions options) {
    cluster = new ClusterAdapterBaseContractTest.BusCluster(nodes, numbered, options);
    return cluster;
  }

  private ClusterAdapterBaseContractTest.BusCluster start(int nodes) {
    return start(nodes, false, SocketIoOptions.DEFAULTS);
  }

  private InMemorySocketIo sio(int i) {
    return cluster.node(i).sio();
  }

  private ClusterAdapterBase adapter(int i) {
    return (ClusterAdapterBase) sio(i).io().sockets().adapter();
  }

  private ClusterMetrics metrics(int i) {
    return cluster.metrics.get(i);
  }

  /** A message from outside the cluster (a hostile or broken peer) on namespace "/". */
  private void inject(String text) {
    inject(text.getBytes(StandardCharsets.UTF_8));
  }

  private void inject(byte[] bytes) {
    cluster.bus.publish("/", bytes);
  }

  private static String json(ClusterMessage m) {
    return new String(CODEC.encode(m), StandardCharsets.UTF_8);
  }

  /** The decoded publications on the bus so far, in order. */
  private List<ClusterMessage> wire() {
    List<ClusterMessage> out = new ArrayList<>();
    for (byte[] b : cluster.bus.wire) {
      try {
        out.add(CODEC.decode(b));
      } catch (ClusterMessageException e) {
        // an injected message
      }
    }
    return out;
  }

  /** The EVENT packets a fake client was sent, as their JSON arrays. */
  private static List<String> events(FakeEngineIoConnection c) {
    List<String> out = new ArrayList<>();
    for (String m : c.sent()) if (m.startsWith("2[")) out.add(m.substring(1));
    return out;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    return e.getCause();
  }

  /** Registers a subscriber that counts as a node (SHARDNUMSUB counts it) and never answers: a node that hangs. */
  private void addMuteNode() {
    cluster.bus.subscribe("/", new ClusterBus.Subscriber() {
      @Override
      public String uid() {
        return "mute";
      }

      @Override
      public void receive(byte[] message, String offset, Runnable handled) {
        handled.run();
      }
    });
  }

  // ------------------------------------------------------------------ identity and wire

  @Test
  void eachAdapterHasSixteenHexCharactersAsIdAndIgnoresItsOwnMessages() {
    start(2);
    String a = adapter(0).uid();
    String b = adapter(1).uid();
    assertTrue(Pattern.matches("[0-9a-f]{16}", a), a);
    assertNotEquals(a, b);
    assertNotEquals(a, ((ClusterAdapterBase) sio(0).io().of("/custom").adapter()).uid(), "one id per namespace's adapter, as in Node");
    FakeEngineIoConnection here = sio(0).client();
    sio(0).io().emit("test", 1);
    cluster.settle();
    assertEquals(List.of("[\"test\",1]"), events(here), "delivered once: the bus echoes the publisher's own message, which it drops");
    assertTrue(metrics(0).messagesReceived() >= 1, "the echo arrived");
    assertEquals(0, metrics(0).droppedTotal(), "an echo is not a drop");
  }

  @Test
  void aBroadcastIsPublishedAsClusterAdaptersMessageWithFlagsAsNodeSetsThem() {
    start(2);
    String uid = adapter(0).uid();
    ArrayNode data = NODES.arrayNode().add("test").add(1);
    BroadcastFlags flags = BroadcastFlags.NONE.withVolatile().withCompress(false).withTimeout(Duration.ofMillis(250));
    adapter(0).broadcast(SocketIoPacket.event("/", data), new BroadcastOptions(Set.of("r"), Set.of("x"), flags));
    adapter(0).broadcast(SocketIoPacket.event("/", data), new BroadcastOptions(Set.of(), Set.of(), flags.withLocal()));
    cluster.settle();
    assertEquals(List.of("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"test\",1]},\"opts\":{\"rooms\":[\"r\"],"
        + "\"except\":[\"x\"],\"flags\":{\"volatile\":true,\"compress\":false,\"timeout\":250}}},\"uid\":\"" + uid
        + "\",\"nsp\":\"/\"}"), cluster.bus.wire.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList(),
        "one message, the local one never published");
  }

  @Test
  void joinsLeavesDisconnectionsAndServerSideEventsArePublishedUnlessLocal() {
    start(2);
    SocketIoServer io = sio(0).io();
    io.to("a").socketsJoin("b");
    io.local().socketsJoin("c");
    io.except("a").socketsLeave("b");
    io.in("a").disconnectSockets(true);
    io.serverSideEmit("hello", 1);
    cluster.settle();
    String uid = adapter(0).uid();
    assertEquals(List.of(
        new ClusterMessage.SocketsJoin(uid, "/", new WireOptions(List.of("a"), List.of(), WireFlags.NONE), List.of("b")),
        new ClusterMessage.SocketsLeave(uid, "/", new WireOptions(List.of(), List.of("a"), WireFlags.NONE), List.of("b")),
        new ClusterMessage.DisconnectSockets(uid, "/", new WireOptions(List.of("a"), List.of(), WireFlags.NONE), true)),
        wire().subList(0, 3));
    ClusterMessage.ServerSideEmit e = assertInstanceOf(ClusterMessage.ServerSideEmit.class, wire().get(3));
    assertEquals("[\"hello\",1]", e.packet().toString());
    assertEquals(4, wire().size());
  }

  @Test
  void answersCarryTheFirstAckArgumentOnlyAndComeBackAsOneArgument() throws Exception {
    start(2);
    sio(1).io().onServerSideEmit("q", (args, ack) -> ack.send("first", "second"));
    List<Args> answers = sio(0).io().serverSideEmitWithAck("q").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(1, answers.size());
    assertEquals("[\"first\"]", answers.get(0).asArray().toString(), "Node's wire carries the first argument");
    ClusterMessage.ServerSideEmitResponse r = (ClusterMessage.ServerSideEmitResponse) wire().stream()
        .filter(m -> m.type() == ClusterMessageType.SERVER_SIDE_EMIT_RESPONSE).findFirst().orElseThrow();
    assertEquals(new TextNode("first"), r.packet());
    assertEquals(adapter(1).uid(), r.uid());
  }

  // ------------------------------------------------------------------ recovery offsets

  @Test
  void aNumberingTransportsOffsetIsAppendedHereAndOnTheOtherNodes() {
    start(2, true, SocketIoOptions.builder().recovery(SocketIoOptions.Recovery.DEFAULTS).build());
    FakeEngineIoConnection here = sio(0).client();
    FakeEngineIoConnection there = sio(1).client();
    cluster.settle();
    sio(0).io().emit("test", 1);
    sio(0).io().asVolatile().emit("volatile", 2);
    cluster.settle();
    Await.until("both clients got both events", () -> events(here).size() == 2 && events(there).size() == 2);
    String offset = events(here).get(0).replaceAll(".*,\"([0-9]+-0)\"]$", "$1");
    assertTrue(offset.matches("[0-9]+-0"), events(here).toString());
    assertEquals("[\"test\",1,\"" + offset + "\"]", events(here).get(0), "the transport's offset, not one of this node's own");
    assertEquals("[\"test\",1,\"" + offset + "\"]", events(there).get(0), "the same offset everywhere");
    assertEquals("[\"volatile\",2]", events(here).get(1), "a volatile packet is not kept: no offset");
    assertEquals("[\"volatile\",2]", events(there).get(1));
  }

  @Test
  void withoutNumberingEachNodeNumbersWhatItDeliversForItsOwnRecovery() {
    start(2, false, SocketIoOptions.builder().recovery(SocketIoOptions.Recovery.DEFAULTS).build());
    FakeEngineIoConnection here = sio(0).client();
    FakeEngineIoConnection there = sio(1).client();
    cluster.settle();
    sio(0).io().emit("test", 1);
    cluster.settle();
    Await.until("both clients got it", () -> events(here).size() == 1 && events(there).size() == 1);
    assertTrue(events(here).get(0).matches("\\[\"test\",1,\"[^\"]+\"]"), events(here).toString());
    assertTrue(events(there).get(0).matches("\\[\"test\",1,\"[^\"]+\"]"), events(there).toString());
    assertTrue(sio(1).io().sockets().adapter().restoreSession("unknown", "x").join().isEmpty());
  }

  // ------------------------------------------------------------------ requests

  @Test
  void aRequestANodeDoesNotAnswerTimesOutWithNodesMessageAndIsForgotten() {
    start(2);
    addMuteNode();
    sio(1).client();
    cluster.settle();
    CompletableFuture<List<RemoteSocket>> all = sio(0).io().fetchSockets();
    CompletableFuture<List<RemoteSocket>> quick = sio(0).io().timeout(Duration.ofMillis(300)).fetchSockets();
    CompletableFuture<Set<String>> rooms = sio(0).io().sockets().allRooms();
    cluster.settle();
    assertEquals(3, adapter(0).pendingRequests());
    sio(0).clock.advanceBy(Duration.ofMillis(300));
    ClusterRequestTimeoutException e = assertInstanceOf(ClusterRequestTimeoutException.class, failure(quick));
    assertEquals("timeout reached: only 1 responses received out of 2", e.getMessage());
    assertFalse(all.isDone(), "fetchSockets without a timeout flag waits for the request timeout");
    sio(0).clock.advanceBy(ClusterAdapterBase.DEFAULT_TIMEOUT);
    assertInstanceOf(ClusterRequestTimeoutException.class, failure(all));
    assertInstanceOf(ClusterRequestTimeoutException.class, failure(rooms));
    assertEquals(3, metrics(0).requestsTimedOut());
    assertEquals(0, adapter(0).pendingRequests());
  }

  @Test
  void aSecondAnswerFromOneNodeAndAnswersToNothingAreDropped() throws Exception {
    start(3);
    sio(1).io().onServerSideEmit("q", (args, ack) -> {}); // silent
    sio(2).io().onServerSideEmit("q", (args, ack) -> {});
    CompletableFuture<List<Args>> f = sio(0).io().serverSideEmitWithAck("q");
    Await.until("the request is out", () -> wire().stream().anyMatch(m -> m instanceof ClusterMessage.ServerSideEmitWithAck));
    String requestId = wire().stream().filter(m -> m instanceof ClusterMessage.ServerSideEmitWithAck)
        .map(m -> ((ClusterMessage.ServerSideEmitWithAck) m).requestId()).findFirst().orElseThrow();
    ClusterMessage forged = new ClusterMessage.ServerSideEmitResponse("0123456789abcdef", "/", requestId, new TextNode("x"));
    inject(json(forged));
    inject(json(forged));
    inject(json(new ClusterMessage.FetchSocketsResponse("0123456789abcdef", "/", requestId, List.of()))); // wrong type
    inject(json(new ClusterMessage.BroadcastAck("0123456789abcdef", "/", "feedfeedfeedfeed", MissingNode.getInstance())));
    inject(json(new ClusterMessage.BroadcastClientCount("0123456789abcdef", "/", "feedfeedfeedfeed", 3)));
    cluster.settle();
    assertEquals(1, metrics(0).dropped(ClusterMetrics.Drop.DUPLICATE_ANSWER));
    assertEquals(3, metrics(0).dropped(ClusterMetrics.Drop.UNKNOWN_REQUEST));
    assertFalse(f.isDone());
    sio(0).clock.advanceBy(ClusterAdapterBase.DEFAULT_TIMEOUT);
    ClusterRequestTimeoutException e = assertInstanceOf(ClusterRequestTimeoutException.class, failure(f));
    assertEquals("timeout reached: only 1 responses received out of 2", e.getMessage());
    assertEquals("[[\"x\"]]", e.responses().toString());
    assertEquals(0, adapter(0).pendingRequests());
  }

  @Test
  void beyondTheLimitARequestIsRefusedAtOnce() {
    start(1);
    addMuteNode();
    List<CompletableFuture<List<Args>>> waiting = new ArrayList<>();
    for (int i = 0; i < ClusterAdapterBase.MAX_PENDING_REQUESTS; i++) waiting.add(sio(0).io().serverSideEmitWithAck("q"));
    cluster.settle();
    assertEquals(ClusterAdapterBase.MAX_PENDING_REQUESTS, adapter(0).pendingRequests());
    CompletableFuture<List<Args>> refused = sio(0).io().serverSideEmitWithAck("q");
    assertInstanceOf(IllegalStateException.class, failure(refused));
    assertEquals(1, metrics(0).requestsRefused());
    sio(0).clock.advanceBy(ClusterAdapterBase.DEFAULT_TIMEOUT);
    Await.until("every request timed out", () -> waiting.stream().allMatch(CompletableFuture::isDone));
    assertEquals(0, adapter(0).pendingRequests());
  }

  @Test
  void closingFailsWhatStillWaits() {
    start(1);
    addMuteNode();
    CompletableFuture<List<RemoteSocket>> f = sio(0).io().fetchSockets();
    cluster.settle();
    assertEquals(1, adapter(0).pendingRequests());
    adapter(0).close();
    assertInstanceOf(IllegalStateException.class, failure(f));
    assertEquals(0, adapter(0).pendingRequests());
    adapter(0).close(); // idempotent
  }

  @Test
  void futuresCompleteOnTheServersCompletionThreadsNeverOnTheTransportsThread() throws Exception {
    start(2);
    sio(1).io().onServerSideEmit("q", (args, ack) -> ack.send(1));
    // Hold the adapter's executor so that the stages below are attached before anything completes.
    CountDownLatch release = new CountDownLatch(1);
    adapter(0).runSerially(() -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    CompletableFuture<String> fetched = sio(0).io().fetchSockets().thenApply(x -> Thread.currentThread().getName());
    CompletableFuture<String> answered = sio(0).io().serverSideEmitWithAck("q").thenApply(x -> Thread.currentThread().getName());
    release.countDown();
    for (CompletableFuture<String> f : List.of(fetched, answered)) {
      String thread = f.get(10, TimeUnit.SECONDS);
      assertTrue(thread.startsWith("switchboard-sio-completions"), thread);
    }
  }

  // ------------------------------------------------------------------ hostile peers

  @Test
  void whatAHostilePeerPublishesIsDroppedAndCountedAndTheNodeKeepsServing() {
    start(2);
    FakeEngineIoConnection here = sio(0).client();
    FakeEngineIoConnection there = sio(1).client();
    cluster.settle();
    inject("{not json");
    inject(new byte[] {(byte) 0x82, (byte) 0xa4}); // truncated notepack map
    inject("{\"type\":99,\"uid\":\"0123456789abcdef\",\"nsp\":\"/\",\"data\":{}}");
    inject("{\"type\":3,\"uid\":\"0123456789abcdef\",\"nsp\":\"/\",\"data\":{\"packet\":{\"type\":2,\"data\":[\"x\"]},"
        + "\"opts\":{\"rooms\":[1]}}}"); // a room that is not a string
    inject("{\"type\":3,\"uid\":\"0123456789abcdef\",\"nsp\":\"/\",\"data\":{\"packet\":{\"type\":2,\"data\":[\""
        + "x".repeat(100_000) + "\"]},\"opts\":{\"rooms\":[\"" + "r".repeat(300) + "\"]}}}"); // huge, delivered to nobody
    inject(json(new ClusterMessage.Signal("0123456789abcdef", "/", ClusterMessageType.HEARTBEAT)));
    inject(json(new ClusterMessage.ServerSideEmit("0123456789abcdef", "/other", NODES.arrayNode().add("e"))));
    cluster.settle();
    for (int i = 0; i < 2; i++) {
      assertEquals(4, metrics(i).dropped(ClusterMetrics.Drop.MALFORMED), "node " + i + ": " + metrics(i));
      assertEquals(1, metrics(i).dropped(ClusterMetrics.Drop.UNSUPPORTED));
      assertEquals(1, metrics(i).dropped(ClusterMetrics.Drop.OTHER_NAMESPACE));
      assertEquals(0, adapter(i).pendingRequests());
      assertEquals(0, metrics(i).backlog());
    }
    sio(0).io().emit("still", 1);
    cluster.settle();
    Await.until("the cluster still delivers", () -> events(here).size() == 1 && events(there).size() == 1);
    assertEquals("[\"still\",1]", events(there).get(0));
  }

  @Test
  void aFloodBeyondTheQueueIsDroppedNotKept() throws Exception {
    start(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    adapter(0).runSerially(() -> {
      blocked.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(blocked.await(10, TimeUnit.SECONDS));
    byte[] heartbeat = CODEC.encode(new ClusterMessage.Signal("0123456789abcdef", "/", ClusterMessageType.HEARTBEAT));
    for (int i = 0; i <= ClusterAdapterBase.MAX_QUEUED_MESSAGES; i++) inject(heartbeat);
    Await.until("the bus handed every message over", () -> metrics(0).messagesReceived() == ClusterAdapterBase.MAX_QUEUED_MESSAGES + 1);
    assertEquals(ClusterAdapterBase.MAX_QUEUED_MESSAGES, metrics(0).backlog());
    assertEquals(1, metrics(0).dropped(ClusterMetrics.Drop.OVERLOADED));
    release.countDown();
    cluster.settle();
    assertEquals(0, metrics(0).backlog());
    assertEquals(ClusterAdapterBase.MAX_QUEUED_MESSAGES, metrics(0).dropped(ClusterMetrics.Drop.UNSUPPORTED));
  }
}
