package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.AckSink;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Acknowledgements of broadcasts ({@code io.emitWithAck}, {@code to(...).timeout(...).emitWithAck})
 * and of a socket's own emits, in memory: how they end (every answer, a timeout, targets that
 * disconnect), on which thread their futures complete, and that nothing is kept once they ended;
 * and how a broadcast's collection counts the servers of a cluster, with an adapter that plays a
 * second server (the whole cluster: {@code cluster/LoopbackAdapterContractTest}).
 */
class BroadcastAckTest {
  private static final class Clients implements AutoCloseable {
    final InMemorySocketIo sio = new InMemorySocketIo();
    final List<Socket> sockets = new ArrayList<>();
    final List<FakeEngineIoConnection> conns = new ArrayList<>();

    Clients(int n) {
      sio.io().onConnection(sockets::add);
      for (int i = 0; i < n; i++) {
        FakeEngineIoConnection c = sio.connect();
        c.receive("0");
        c.takeSent();
        conns.add(c);
      }
    }

    FakeEngineIoConnection c(int i) {
      return conns.get(i);
    }

    @Override
    public void close() {
      sio.close();
    }
  }

  private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void everyAnswerCompletesTheFutureInArrivalOrder() throws Exception {
    try (Clients cs = new Clients(2)) {
      CompletableFuture<List<Args>> f = cs.sio.io().emitWithAck("q", 1);
      assertEquals(List.of("20[\"q\",1]"), cs.c(0).takeSent());
      assertEquals(List.of("20[\"q\",1]"), cs.c(1).takeSent());
      cs.c(1).receive("30[\"b\"]");
      assertFalse(f.isDone());
      cs.c(0).receive("30[\"a\"]");
      List<Args> answers = f.get(10, TimeUnit.SECONDS);
      assertEquals(List.of("b", "a"), answers.stream().map(a -> a.getString(0)).toList());
    }
  }

  @Test
  void aTargetThatDisconnectsWithoutAnsweringEndsTheWaitWithTheAnswersSoFar() throws Exception {
    try (Clients cs = new Clients(3)) {
      CompletableFuture<List<Args>> f = cs.sio.io().emitWithAck("q"); // no timeout anywhere
      cs.c(0).receive("30[\"yes\"]");
      cs.c(1).drop(CloseReason.TRANSPORT_CLOSE);
      assertFalse(f.isDone(), "id3 has neither answered nor left");
      cs.c(2).receive("1"); // leaves the namespace
      AckDisconnectedException e = assertInstanceOf(AckDisconnectedException.class, failure(f));
      assertEquals(List.of("yes"), e.responses().stream().map(a -> a.getString(0)).toList());
      assertEquals(Set.of("id2", "id3"), e.missingSocketIds());
      assertEquals("2 sockets have been disconnected", e.getMessage());
    }
  }

  @Test
  void everyTargetGoneIsAFailureWithNoAnswers() throws Exception {
    try (Clients cs = new Clients(1)) {
      CompletableFuture<List<Args>> f = cs.sio.io().to("id1").emitWithAck("q");
      cs.c(0).drop(CloseReason.PING_TIMEOUT);
      AckDisconnectedException e = assertInstanceOf(AckDisconnectedException.class, failure(f));
      assertEquals(List.of(), e.responses());
      assertEquals(Set.of("id1"), e.missingSocketIds());
      assertEquals("socket has been disconnected", e.getMessage());
    }
  }

  @Test
  void aTimeoutListsTheSilentAndTheDisconnectedAndForgetsTheirCallbacks() throws Exception {
    try (Clients cs = new Clients(3)) {
      CompletableFuture<List<Args>> f = cs.sio.io().timeout(Duration.ofSeconds(5)).emitWithAck("q");
      cs.c(0).receive("30[1]");
      cs.c(1).drop(CloseReason.TRANSPORT_ERROR);
      assertEquals(1, cs.sockets.get(2).pendingAcks());
      cs.sio.clock.advanceBy(Duration.ofSeconds(5));
      AckTimeoutException e = assertInstanceOf(AckTimeoutException.class, failure(f));
      assertEquals(1, e.responses().size());
      assertEquals(Set.of("id2", "id3"), e.missingSocketIds());
      Await.until("the silent socket forgot the broadcast's callback", () -> cs.sockets.get(2).pendingAcks() == 0);
      cs.c(2).receive("30[\"late\"]"); // an unknown id by now: ignored, the connection carries on
      assertFalse(cs.c(2).closedByServer());
      assertEquals(2, cs.sio.io().sockets().sockets().size(), "id1 and id3 are still connected");
      assertEquals(0, cs.sio.clock.pendingTasks(), "no timer is left behind");
    }
  }

  @Test
  void theTimerIsCancelledWhenEveryoneAnswered() throws Exception {
    try (Clients cs = new Clients(1)) {
      int before = cs.sio.clock.pendingTasks();
      CompletableFuture<List<Args>> f = cs.sio.io().timeout(Duration.ofSeconds(5)).emitWithAck("q");
      assertEquals(before + 1, cs.sio.clock.pendingTasks());
      cs.c(0).receive("30[1]");
      assertEquals(1, f.get(10, TimeUnit.SECONDS).size());
      assertEquals(before, cs.sio.clock.pendingTasks());
    }
  }

  @Test
  void aTimedOutFutureCompletesOffTheThreadThatMovedTheClock() throws Exception {
    try (Clients cs = new Clients(1)) {
      CompletableFuture<List<Args>> f = cs.sio.io().timeout(Duration.ofSeconds(1)).emitWithAck("q");
      AtomicReference<Thread> stageRanOn = new AtomicReference<>();
      f.whenComplete((answers, err) -> stageRanOn.set(Thread.currentThread()));
      cs.sio.clock.advanceBy(Duration.ofSeconds(1)); // this thread plays the timer thread
      Await.until("the dependent stage ran", () -> stageRanOn.get() != null);
      assertNotSame(Thread.currentThread(), stageRanOn.get());
      assertTrue(stageRanOn.get().getName().startsWith("switchboard-sio-completions-"), stageRanOn.get().getName());
      assertInstanceOf(AckTimeoutException.class, failure(f));
    }
  }

  @Test
  void anAnsweredFutureCompletesOffTheSessionExecutorThatDeliveredTheLastAnswer() throws Exception {
    try (Clients cs = new Clients(1)) {
      CompletableFuture<List<Args>> f = cs.sio.io().emitWithAck("q");
      AtomicReference<Thread> stageRanOn = new AtomicReference<>();
      f.thenRun(() -> stageRanOn.set(Thread.currentThread()));
      cs.c(0).receive("30[1]"); // the in-memory session executor runs on this thread
      Await.until("the dependent stage ran", () -> stageRanOn.get() != null);
      assertNotSame(Thread.currentThread(), stageRanOn.get());
    }
  }

  @Test
  void aDynamicNamespaceWaitsForEveryChildsAnswers() throws Exception {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      ParentNamespace teams = sio.io().of(Pattern.compile("^/team-\\d+$"));
      assertEquals(List.of(), teams.emitWithAck("q").get(10, TimeUnit.SECONDS), "no child yet: nobody to wait for");
      FakeEngineIoConnection a = sio.connect();
      a.receive("0/team-1,");
      FakeEngineIoConnection b = sio.connect();
      b.receive("0/team-2,");
      CompletableFuture<List<Args>> f = teams.emitWithAck("q");
      a.receive("3/team-1,0[\"a\"]");
      assertFalse(f.isDone());
      b.receive("3/team-2,0[\"b\"]");
      assertEquals(2, f.get(10, TimeUnit.SECONDS).size());
    }
  }

  @Test
  void selectingNobodyCompletesAtOnceWithNoAnswers() throws Exception {
    try (Clients cs = new Clients(1)) {
      assertEquals(List.of(), cs.sio.io().to("empty-room").emitWithAck("q").get(10, TimeUnit.SECONDS));
    }
  }

  // ------------------------------------------------------------------ a socket's own acks

  @Test
  void aSocketsOwnEmitWithAckFailsWithAckDisconnectedExceptionWhenItLeaves() throws Exception {
    try (Clients cs = new Clients(1)) {
      CompletableFuture<Args> f = cs.sockets.get(0).emitWithAck("q");
      cs.c(0).drop(CloseReason.TRANSPORT_CLOSE);
      AckDisconnectedException e = assertInstanceOf(AckDisconnectedException.class, failure(f));
      assertEquals(Set.of("id1"), e.missingSocketIds());
      assertEquals("socket has been disconnected", e.getMessage());
      assertEquals(0, cs.sockets.get(0).pendingAcks());
    }
  }

  @Test
  void anAckExpectedFromASocketThatAlreadyLeftIsToldSoAtOnce() {
    try (Clients cs = new Clients(1)) {
      Socket gone = cs.sockets.get(0);
      cs.c(0).receive("1");
      List<String> heard = new ArrayList<>();
      gone.expectAck(7, new AckSink() {
        @Override
        public void onAck(String socketId, ArrayNode args) {
          heard.add("ack " + socketId);
        }

        @Override
        public void onDisconnect(String socketId) {
          heard.add("gone " + socketId);
        }
      });
      assertEquals(List.of("gone id1"), heard);
      assertEquals(0, gone.pendingAcks());
    }
  }

  // ------------------------------------------------------------------ across servers (Node's checkCompleteness)

  /**
   * The in-memory adapter plus a second server the test speaks for: it says there are two servers
   * once the test completes {@link #servers}, and hands the test the callbacks the other server's
   * adapter would call.
   */
  private static final class TwoServers extends InMemoryAdapter {
    final CompletableFuture<Integer> servers = new CompletableFuture<>();
    volatile IntConsumer clientCount;
    volatile AckSink acks;
    final AtomicInteger forgotten = new AtomicInteger();

    TwoServers(AdapterNamespace ns) {
      super(ns);
    }

    @Override
    public Cancellable broadcastWithAck(SocketIoPacket packet, BroadcastOptions options, IntConsumer count, AckSink sink) {
      clientCount = count;
      acks = sink;
      super.broadcastWithAck(packet, options, count, sink);
      return forgotten::incrementAndGet;
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
      return servers;
    }
  }

  private static ArrayNode answer(Object value) {
    return Json.array(null, new Object[] {value});
  }

  @Test
  void aClusterBroadcastWaitsForEveryServersCountAndEveryAnswer() throws Exception {
    try (InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(TwoServers::new).build())) {
      FakeEngineIoConnection c = sio.client();
      TwoServers adapter = (TwoServers) sio.io().sockets().adapter();
      CompletableFuture<List<Args>> f = sio.io().emitWithAck("q");
      c.receive("30[\"local\"]");
      assertFalse(f.isDone(), "how many servers there are is not known yet");
      adapter.servers.complete(2);
      assertFalse(f.isDone(), "the other server has not said how many clients it reached");
      adapter.clientCount.accept(2);
      adapter.acks.onAck(null, answer("remote-1"));
      assertFalse(f.isDone(), "one remote answer is still missing");
      assertEquals(0, adapter.forgotten.get());
      adapter.acks.onAck(null, answer("remote-2"));
      List<Args> answers = f.get(10, TimeUnit.SECONDS);
      assertEquals(List.of("local", "remote-1", "remote-2"), answers.stream().map(a -> a.getString(0)).toList());
      assertEquals(1, adapter.forgotten.get(), "the adapter was told to forget the request");
    }
  }

  @Test
  void aClusterTimeoutNamesTheLocalSilentAndCountsEveryMissingAnswer() throws Exception {
    try (InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(TwoServers::new).build())) {
      FakeEngineIoConnection a = sio.client();
      FakeEngineIoConnection b = sio.client();
      TwoServers adapter = (TwoServers) sio.io().sockets().adapter();
      CompletableFuture<List<Args>> f = sio.io().timeout(Duration.ofSeconds(1)).emitWithAck("q");
      a.receive("30[1]");
      adapter.servers.complete(2);
      adapter.clientCount.accept(3);
      adapter.acks.onAck(null, answer(2));
      sio.clock.advanceBy(Duration.ofSeconds(1));
      AckTimeoutException e = assertInstanceOf(AckTimeoutException.class, failure(f));
      assertEquals(2, e.responses().size());
      assertEquals(Set.of(b.sid()), e.missingSocketIds(), "the ids of other servers' clients are not known");
      assertEquals(3, e.missingCount(), "b, and two clients of the other server");
      Await.until("the adapter forgot the request", () -> adapter.forgotten.get() == 1);
    }
  }

  @Test
  void aLocalBroadcastWithAckCountsThisServerOnly() throws Exception {
    try (InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(TwoServers::new).build())) {
      FakeEngineIoConnection c = sio.client();
      CompletableFuture<List<Args>> f = sio.io().local().emitWithAck("q");
      c.receive("30[\"here\"]");
      assertEquals(1, f.get(10, TimeUnit.SECONDS).size(), "the adapter's serverCount was never asked");
    }
  }

  @Test
  void anAdapterThatCannotCountItsServersFailsTheBroadcast() {
    try (InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(TwoServers::new).build())) {
      sio.client();
      TwoServers adapter = (TwoServers) sio.io().sockets().adapter();
      CompletableFuture<List<Args>> f = sio.io().emitWithAck("q");
      IllegalStateException down = new IllegalStateException("transport down");
      adapter.servers.completeExceptionally(down);
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
      assertEquals(down, e.getCause());
      assertEquals(1, adapter.forgotten.get());
    }
  }

  @Test
  void ackExceptionsShareTheirShape() {
    AckException t = new AckTimeoutException(List.of(Args.of(1)), Set.of("x"));
    AckException d = new AckDisconnectedException(List.of(), Set.of("y"));
    assertEquals("operation has timed out", t.getMessage());
    assertEquals(1, t.responses().size());
    assertEquals(Set.of("y"), d.missingSocketIds());
    assertNotNull(d.responses());
    assertEquals(1, t.missingCount());
    assertEquals(1, d.missingCount());
    assertEquals(5, new AckTimeoutException(List.of(), Set.of("x"), 5).missingCount());
  }
}
