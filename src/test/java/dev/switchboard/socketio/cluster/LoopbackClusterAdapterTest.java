package dev.switchboard.socketio.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.socketio.cluster.LoopbackAdapterContractTest.LoopbackCluster;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the contract scenarios do not reach, on the loopback cluster: a server that is counted but
 * never answers (a node that hangs), which requests it makes fail and how; the adapter closing;
 * the thread futures complete on; and connection state recovery, which this adapter keeps per
 * server, as Node's classic Redis adapter does — with the broadcasts of other servers kept too.
 */
class LoopbackClusterAdapterTest {
  private LoopbackCluster cluster = new LoopbackCluster(2);

  @AfterEach
  void close() {
    cluster.close();
  }

  /** A third server that is subscribed — so it is counted — and never answers anything. */
  private void addAHangingServer() {
    cluster.bus.subscribe("/", new LoopbackBus.Subscriber() {
      @Override
      public String uid() {
        return "hanging";
      }

      @Override
      public void receive(LoopbackMessage message, Runnable handled) {
        handled.run();
      }
    });
  }

  private static Throwable failure(CompletableFuture<?> f) {
    return assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
  }

  private LoopbackClusterAdapter adapter0() {
    return (LoopbackClusterAdapter) cluster.server().sockets().adapter();
  }

  @Test
  void fetchSocketsFailsAfterTheOperatorsTimeoutWhenAServerDoesNotAnswer() {
    cluster.node(1).connect("/");
    addAHangingServer();
    CompletableFuture<List<RemoteSocket>> f = cluster.server().timeout(Duration.ofSeconds(2)).fetchSockets();
    cluster.settle();
    cluster.elapse(Duration.ofMillis(1_999));
    assertFalse(f.isDone());
    cluster.elapse(Duration.ofMillis(1));
    ClusterRequestTimeoutException e = assertInstanceOf(ClusterRequestTimeoutException.class, failure(f));
    assertEquals("timeout reached: only 1 responses received out of 2", e.getMessage());
    assertEquals(List.of(), e.responses());
    assertEquals(0, adapter0().pendingRequests());
  }

  @Test
  void allRoomsAndServerSideEmitWithAckFailAfterTheirTimeouts() {
    cluster.node(1).onServerSideEmit("ping", "pong");
    addAHangingServer();
    CompletableFuture<java.util.Set<String>> rooms = cluster.server().sockets().allRooms();
    CompletableFuture<List<Args>> pings = cluster.server().serverSideEmitWithAck(Duration.ofSeconds(1), "ping");
    cluster.settle();
    Await.until("server 1 answered", () -> !cluster.node(1).serverSideEvents().isEmpty());
    cluster.settle();
    cluster.elapse(Duration.ofSeconds(1));
    ClusterRequestTimeoutException e = assertInstanceOf(ClusterRequestTimeoutException.class, failure(pings));
    assertEquals(List.of("[\"pong\"]"), e.responses().stream().map(ArrayNode::toString).toList());
    assertFalse(rooms.isDone(), "allRooms waits for the adapter's requestsTimeout (5 s)");
    cluster.elapse(Duration.ofSeconds(4));
    assertInstanceOf(ClusterRequestTimeoutException.class, failure(rooms));
  }

  @Test
  void aBroadcastWithAcksCountsOnlyTheServersThatReportedWhenItTimesOut() {
    List<AdapterContractTest.Client> clients = List.of(cluster.node(0).connect("/"), cluster.node(1).connect("/"));
    clients.get(1).answer("q", "b");
    addAHangingServer();
    CompletableFuture<List<Args>> f = cluster.server().timeout(Duration.ofSeconds(1)).emitWithAck("q");
    cluster.settle();
    cluster.elapse(Duration.ofSeconds(1));
    AckTimeoutException e = assertInstanceOf(AckTimeoutException.class, failure(f));
    assertEquals(1, e.responses().size());
    assertEquals(Set.of(clients.get(0).id()), e.missingSocketIds());
    assertEquals(1, e.missingCount(), "the hanging server never said how many clients it reached");
    Await.until("the request is forgotten", () -> adapter0().pendingRequests() == 0);
  }

  @Test
  void anAnswerToAnUnknownRequestIsIgnored() {
    int before = cluster.bus.published();
    cluster.bus.respond(adapter0().uid(), new LoopbackMessage.FetchSocketsResponse("x", "/", "no-such-request", List.of()));
    cluster.bus.respond(adapter0().uid(), new LoopbackMessage.BroadcastClientCount("x", "/", "nor-this", 3));
    cluster.settle();
    assertEquals(before + 2, cluster.bus.published());
    assertEquals(0, adapter0().pendingRequests());
  }

  @Test
  void closingAServerTakesItOutOfTheCountAndFailsWhatItWaitsFor() throws Exception {
    addAHangingServer();
    assertEquals(3, adapter0().serverCount().get(10, TimeUnit.SECONDS));
    CompletableFuture<List<RemoteSocket>> pending = cluster.server().fetchSockets();
    cluster.settle();
    cluster.node(1).sio().close();
    assertEquals(2, adapter0().serverCount().get(10, TimeUnit.SECONDS), "server 1 left the bus");
    cluster.node(0).sio().close();
    Throwable e = failure(pending);
    assertEquals("the adapter of / was closed", e.getMessage());
  }

  @Test
  void futuresCompleteOnTheServersWorkerPoolNeverOnTheBusThread() throws Exception {
    cluster.node(1).connect("/");
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    cluster.server().fetchSockets().thenRun(() -> ranOn.set(Thread.currentThread())).get(10, TimeUnit.SECONDS);
    assertTrue(ranOn.get().getName().startsWith("switchboard-sio-completions-"), ranOn.get().getName());
  }

  @Test
  void recoveryIsPerServerAndKeepsWhatOtherServersBroadcast() {
    cluster.close();
    cluster = new LoopbackCluster(2, LoopbackClusterAdapter.DEFAULT_REQUESTS_TIMEOUT,
        SocketIoOptions.builder().recovery(SocketIoOptions.Recovery.DEFAULTS).build());
    InMemoryNode node1 = cluster.node(1);
    FakeEngineIoConnection c = node1.sio().connect();
    c.receive("0");
    String connected = c.next(); // 0{"sid":"b-id3","pid":"b-id1b-id2"}
    assertEquals("0{\"sid\":\"b-id3\",\"pid\":\"b-id1b-id2\"}", connected);
    cluster.server().emit("first");
    cluster.settle();
    String first = c.next();
    String offset = first.substring(first.indexOf(",\"") + 2, first.length() - 2);
    c.drop(CloseReason.TRANSPORT_CLOSE);
    cluster.server().emit("missed", 1);
    cluster.settle();
    FakeEngineIoConnection back = node1.sio().connect();
    back.receive("0{\"pid\":\"b-id1b-id2\",\"offset\":\"" + offset + "\"}");
    List<String> sent = back.sent();
    assertEquals("0{\"sid\":\"b-id3\",\"pid\":\"b-id1b-id2\"}", sent.get(0));
    assertTrue(sent.get(1).startsWith("2[\"missed\",1,\""), "server 0's broadcast, kept by server 1: " + sent);
  }
}
