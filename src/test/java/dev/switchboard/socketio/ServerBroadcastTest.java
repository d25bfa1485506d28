package dev.switchboard.socketio;

import static dev.switchboard.socketio.testing.FakeEngineIoConnection.binary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Broadcasting from the server and from a namespace: {@code emit}, {@code to}/{@code in}/
 * {@code except}, {@code emitWithAck} with and without {@code timeout}, {@code fetchSockets},
 * {@code socketsJoin}/{@code socketsLeave}, {@code disconnectSockets}, and the flags
 * {@code compress}, {@code local} and {@code volatile}.
 */
class ServerBroadcastTest {
  private InMemorySocketIo sio = new InMemorySocketIo();

  @AfterEach
  void close() {
    sio.close();
  }

  private static Set<String> ids(CompletableFuture<List<RemoteSocket>> sockets) {
    return sockets.join().stream().map(RemoteSocket::id).collect(Collectors.toSet());
  }

  private static List<String> strings(List<Args> answers) {
    List<String> out = new ArrayList<>();
    for (Args a : answers) out.add(a.getString(0));
    return out;
  }

  // ------------------------------------------------------------------ emit

  @Test
  void emitReachesEverySocketOfTheMainNamespaceOnly() {
    sio.io().of("/admin");
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection admin = sio.client("/admin");
    sio.io().emit("news", "hello", 1);
    assertEquals(List.of("2[\"news\",\"hello\",1]"), a.sent());
    assertEquals(List.of("2[\"news\",\"hello\",1]"), b.sent());
    assertEquals(List.of(), admin.sent());
  }

  @Test
  void aBinaryBroadcastSendsTheAttachmentsToEveryone() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    sio.io().emit("blob", new byte[] {7});
    List<String> expected = List.of("51-[\"blob\",{\"_placeholder\":true,\"num\":0}]", binary(7));
    assertEquals(expected, a.sent());
    assertEquals(expected, b.sent());
  }

  @Test
  void namespaceEmitReachesItsOwnSockets() {
    FakeEngineIoConnection main = sio.client();
    sio.io().of("/admin");
    FakeEngineIoConnection admin = sio.client("/admin");
    sio.io().of("/admin").emit("alert", "disk full");
    assertEquals(List.of("2/admin,[\"alert\",\"disk full\"]"), admin.sent());
    assertEquals(List.of(), main.sent());
  }

  @Test
  void toInAndExceptSelectByRoom() {
    FakeEngineIoConnection red = sio.client();
    FakeEngineIoConnection blue = sio.client();
    FakeEngineIoConnection both = sio.client();
    sio.socket(red).join("red");
    sio.socket(blue).join("blue");
    sio.socket(both).join("red", "blue");
    sio.io().to("red").emit("1");
    sio.io().in("blue").emit("2");
    sio.io().except("red").emit("3");
    sio.io().to("red", "blue").except("blue").emit("4");
    sio.io().to(blue.sid()).emit("5");
    assertEquals(List.of("2[\"1\"]", "2[\"4\"]"), red.sent());
    assertEquals(List.of("2[\"2\"]", "2[\"3\"]", "2[\"5\"]"), blue.sent());
    assertEquals(List.of("2[\"1\"]", "2[\"2\"]"), both.sent());
  }

  @Test
  void namespaceToInAndExceptSelectWithinTheNamespace() {
    sio.io().of("/admin");
    FakeEngineIoConnection a = sio.client("/admin");
    FakeEngineIoConnection b = sio.client("/admin");
    sio.socket(a, "/admin").join("ops");
    Namespace admin = sio.io().of("/admin");
    admin.to("ops").emit("1");
    admin.in("ops").emit("2");
    admin.except("ops").emit("3");
    assertEquals(List.of("2/admin,[\"1\"]", "2/admin,[\"2\"]"), a.sent());
    assertEquals(List.of("2/admin,[\"3\"]"), b.sent());
  }

  // ------------------------------------------------------------------ emitWithAck

  @Test
  void emitWithAckSendsOneAckIdToEveryoneAndCollectsEveryAnswer() throws Exception {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    CompletableFuture<List<Args>> answers = sio.io().emitWithAck("vote", "lunch?");
    assertEquals(List.of("20[\"vote\",\"lunch?\"]"), a.sent());
    assertEquals(List.of("20[\"vote\",\"lunch?\"]"), b.sent());
    b.receive("30[\"pizza\"]");
    assertFalse(answers.isDone());
    a.receive("30[\"salad\"]");
    assertEquals(List.of("pizza", "salad"), strings(answers.get()));
  }

  @Test
  void aTimeoutFailsWithTheAnswersReceivedAndTheSocketsThatDidNotAnswer() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<List<Args>> answers = sio.io().timeout(Duration.ofSeconds(5)).emitWithAck("ping");
    a.receive("30[\"pong\"]");
    sio.clock.advanceBy(Duration.ofMillis(4_999));
    assertFalse(answers.isDone());
    sio.clock.advanceBy(Duration.ofMillis(1));
    ExecutionException e = assertThrows(ExecutionException.class, answers::get);
    AckTimeoutException timeout = assertInstanceOf(AckTimeoutException.class, e.getCause());
    assertEquals(List.of("pong"), strings(timeout.responses()));
    assertEquals(Set.of(b.sid(), c.sid()), timeout.missingSocketIds());
  }

  @Test
  void answersInTimeCancelTheTimer() throws Exception {
    FakeEngineIoConnection a = sio.client();
    CompletableFuture<List<Args>> answers = sio.io().timeout(Duration.ofSeconds(5)).emitWithAck("ping");
    a.receive("30[\"pong\"]");
    assertEquals(List.of("pong"), strings(answers.get()));
    assertEquals(0, sio.clock.pendingTasks());
  }

  /** An adapter that remembers the options each broadcast with ack was handed. */
  static final class AckOptionsRecorder extends InMemoryAdapter {
    final List<BroadcastOptions> seen = new CopyOnWriteArrayList<>();

    AckOptionsRecorder(AdapterNamespace namespace) {
      super(namespace);
    }

    @Override
    public dev.switchboard.scheduling.Cancellable broadcastWithAck(SocketIoPacket packet, BroadcastOptions options,
        java.util.function.IntConsumer clientCount, dev.switchboard.socketio.adapter.AckSink acks) {
      seen.add(options);
      return super.broadcastWithAck(packet, options, clientCount, acks);
    }
  }

  @Test
  void theAdapterIsToldTheTimeoutABroadcastWithAckWaits() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().ackTimeout(Duration.ofSeconds(2))
        .adapter(AckOptionsRecorder::new).build());
    sio.io().emitWithAck("a");
    sio.io().timeout(Duration.ofSeconds(7)).emitWithAck("b");
    sio.io().to("r").local().emitWithAck("c");
    List<BroadcastOptions> seen = ((AckOptionsRecorder) sio.io().sockets().adapter()).seen;
    assertEquals(List.of(Optional.of(Duration.ofSeconds(2)), Optional.of(Duration.ofSeconds(7)),
        Optional.of(Duration.ofSeconds(2))), seen.stream().map(o -> o.flags().timeout()).toList());
    assertEquals(new BroadcastOptions(Set.of("r"), Set.of(), BroadcastFlags.NONE.withLocal().withTimeout(Duration.ofSeconds(2))),
        seen.get(2));
  }

  @Test
  void theServersAckTimeoutAppliesToBroadcastsToo() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().ackTimeout(Duration.ofSeconds(2)).build());
    FakeEngineIoConnection a = sio.client();
    CompletableFuture<List<Args>> answers = sio.io().emitWithAck("ping");
    sio.clock.advanceBy(Duration.ofSeconds(2));
    ExecutionException e = assertThrows(ExecutionException.class, answers::get);
    assertEquals(Set.of(a.sid()), assertInstanceOf(AckTimeoutException.class, e.getCause()).missingSocketIds());
  }

  @Test
  void emitWithAckToNobodyCompletesAtOnceWithNoAnswers() throws Exception {
    sio.client();
    assertEquals(List.of(), sio.io().to("empty").timeout(Duration.ofSeconds(5)).emitWithAck("x").get());
    assertEquals(List.of(), sio.io().of("/nobody-here").emitWithAck("x").get());
  }

  @Test
  void aSecondAnswerFromOneSocketIsNotCountedTwice() {
    FakeEngineIoConnection a = sio.client();
    sio.client();
    CompletableFuture<List<Args>> answers = sio.io().emitWithAck("x");
    a.receive("30[\"once\"]");
    a.receive("30[\"twice\"]");
    assertFalse(answers.isDone(), "still waiting for the second socket");
  }

  @Test
  void emitWithAckOnARoomAsksOnlyItsMembers() throws Exception {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    sio.socket(a).join("r");
    CompletableFuture<List<Args>> answers = sio.io().to("r").timeout(Duration.ofSeconds(1)).emitWithAck("x");
    assertEquals(List.of(), b.sent());
    a.receive("30[\"ok\"]");
    assertEquals(List.of("ok"), strings(answers.get()));
  }

  @Test
  void namespaceEmitWithAckAndTimeout() throws Exception {
    sio.io().of("/admin");
    FakeEngineIoConnection a = sio.client("/admin");
    Namespace admin = sio.io().of("/admin");
    CompletableFuture<List<Args>> first = admin.emitWithAck("x");
    CompletableFuture<List<Args>> second = admin.timeout(Duration.ofSeconds(1)).emitWithAck("y");
    assertEquals(List.of("2/admin,0[\"x\"]", "2/admin,1[\"y\"]"), a.sent());
    a.receive("3/admin,0[\"a\"]");
    assertEquals(List.of("a"), strings(first.get()));
    sio.clock.advanceBy(Duration.ofSeconds(1));
    // completes off the timer's thread (BroadcastAckTest), so wait for it
    assertInstanceOf(AckTimeoutException.class,
        assertThrows(java.util.concurrent.ExecutionException.class,
            () -> second.get(10, java.util.concurrent.TimeUnit.SECONDS)).getCause());
  }

  // ------------------------------------------------------------------ fetchSockets, socketsJoin/Leave

  @Test
  void fetchSocketsReturnsTheSelectedSockets() {
    sio.io().of("/admin");
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    sio.client("/admin");
    sio.socket(a).join("r");
    assertEquals(Set.of(a.sid(), b.sid()), ids(sio.io().fetchSockets()));
    assertEquals(Set.of(a.sid()), ids(sio.io().in("r").fetchSockets()));
    assertEquals(Set.of(b.sid()), ids(sio.io().except("r").fetchSockets()));
    assertEquals(List.of(sio.socket(a)), sio.io().to("r").fetchSockets().join(), "the live sockets themselves");
    assertEquals(1, sio.io().of("/admin").fetchSockets().join().size());
  }

  @Test
  void fetchSocketsInMemoryCompletesAtOnceWithLiveSocketsThatAreRemoteSockets() {
    FakeEngineIoConnection a = sio.client();
    CompletableFuture<List<RemoteSocket>> f = sio.io().fetchSockets();
    assertTrue(f.isDone());
    RemoteSocket s = f.join().get(0);
    assertTrue(s == sio.socket(a), "this server's socket is the Socket itself, as in Node");
    s.join("x", "y", "x").leave("y").emit("hi");
    assertEquals(Set.of(a.sid(), "x"), s.rooms());
    assertEquals(List.of("2[\"hi\"]"), a.sent());
    s.disconnect();
    assertEquals(List.of("2[\"hi\"]", "1"), a.sent());
  }

  @Test
  void allRoomsOfANamespaceInMemoryAreItsRooms() {
    FakeEngineIoConnection a = sio.client();
    sio.socket(a).join("r");
    assertEquals(Set.of(a.sid(), "r"), sio.io().sockets().allRooms().join());
    assertEquals(Set.of(), sio.io().of("/empty").allRooms().join());
  }

  @Test
  void socketsJoinAndSocketsLeaveMoveTheSelectedSockets() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    sio.socket(a).join("old");
    sio.io().in("old").socketsJoin("new", "newer");
    assertEquals(Set.of(a.sid(), "old", "new", "newer"), sio.socket(a).rooms());
    assertEquals(Set.of(b.sid()), sio.socket(b).rooms());
    sio.io().socketsJoin("all");
    assertEquals(Set.of(b.sid(), "all"), sio.socket(b).rooms());
    sio.io().socketsLeave("old", "all");
    assertEquals(Set.of(a.sid(), "new", "newer"), sio.socket(a).rooms());
    sio.io().in("new").socketsLeave("newer");
    assertEquals(Set.of(a.sid(), "new"), sio.socket(a).rooms());
    assertEquals(Set.of(b.sid()), sio.socket(b).rooms());
  }

  @Test
  void namespaceSocketsJoinAndLeave() {
    sio.io().of("/admin");
    FakeEngineIoConnection a = sio.client("/admin");
    sio.io().of("/admin").socketsJoin("ops");
    assertEquals(Set.of(a.sid("/admin"), "ops"), sio.socket(a, "/admin").rooms());
    sio.io().of("/admin").socketsLeave("ops");
    assertEquals(Set.of(a.sid("/admin")), sio.socket(a, "/admin").rooms());
  }

  // ------------------------------------------------------------------ disconnectSockets

  @Test
  void disconnectSocketsWithoutCloseLeavesTheConnectionsOpen() {
    List<String> reasons = new CopyOnWriteArrayList<>();
    sio.io().onConnection(s -> s.onDisconnect(r -> reasons.add(r.wireName())));
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection kept = sio.client();
    sio.socket(kept).join("vip");
    sio.io().except("vip").disconnectSockets(false);
    assertEquals(List.of("1"), a.sent());
    assertEquals(List.of("1"), b.sent());
    assertEquals(List.of(), kept.sent());
    assertEquals(List.of("server namespace disconnect", "server namespace disconnect"), reasons);
    assertTrue(a.isOpen());
    assertEquals(Set.of(kept.sid()), sio.io().sockets().sockets().keySet());
  }

  @Test
  void disconnectSocketsWithCloseClosesTheConnections() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    sio.io().disconnectSockets(true);
    assertEquals(List.of("1"), a.sent());
    assertTrue(a.closedByServer());
    assertTrue(b.closedByServer());
    assertTrue(sio.io().sockets().sockets().isEmpty());
  }

  @Test
  void namespaceDisconnectSocketsStaysInTheNamespace() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = sio.client();
    c.connectTo("/admin");
    sio.io().of("/admin").disconnectSockets(false);
    assertEquals(List.of("1/admin,"), c.sent());
    assertTrue(sio.socket(c).isConnected());
  }

  // ------------------------------------------------------------------ flags

  /** An adapter that remembers what each broadcast asked for. */
  static final class RecordingAdapter extends InMemoryAdapter {
    final List<BroadcastFlags> flags = new CopyOnWriteArrayList<>();

    RecordingAdapter(AdapterNamespace namespace) {
      super(namespace);
    }

    @Override
    public void broadcast(SocketIoPacket packet, BroadcastOptions options) {
      flags.add(options.flags());
      super.broadcast(packet, options);
    }
  }

  @Test
  void compressAndLocalAreHandedToTheAdapterAndTheEventStillArrives() {
    sio.io().adapter(RecordingAdapter::new);
    Namespace ns = sio.io().of("/x");
    FakeEngineIoConnection c = sio.client("/x");
    ns.compress(false).emit("a");
    ns.local().emit("b");
    ns.emit("c");
    ns.local().compress(false).to(c.sid("/x")).emit("d");
    assertEquals(List.of("2/x,[\"a\"]", "2/x,[\"b\"]", "2/x,[\"c\"]", "2/x,[\"d\"]"), c.sent());
    assertEquals(List.of(new BroadcastFlags(false, false, false), new BroadcastFlags(false, true, true),
        BroadcastFlags.NONE, new BroadcastFlags(false, false, true)), ((RecordingAdapter) ns.adapter()).flags);
  }

  @Test
  void aVolatileBroadcastSkipsBusyClients() {
    FakeEngineIoConnection ready = sio.client();
    FakeEngineIoConnection busy = sio.client();
    busy.dropVolatile(true);
    sio.io().sockets().asVolatile().emit("position", 1);
    sio.io().to(busy.sid(), ready.sid()).asVolatile().emit("position", 2);
    sio.io().emit("chat", "hi");
    assertEquals(List.of("2[\"position\",1]", "2[\"position\",2]", "2[\"chat\",\"hi\"]"), ready.sent());
    assertEquals(List.of("2[\"chat\",\"hi\"]"), busy.sent());
  }

  @Test
  void theVolatileFlagIsHandedToTheAdapter() {
    sio.io().adapter(RecordingAdapter::new);
    Namespace ns = sio.io().of("/x");
    ns.asVolatile().emit("a");
    ns.to("r").asVolatile().emit("b");
    assertEquals(List.of(new BroadcastFlags(true, true, false), new BroadcastFlags(true, true, false)),
        ((RecordingAdapter) ns.adapter()).flags);
  }

  @Test
  void modifiersReturnNewOperatorsAndLeaveTheOriginalAlone() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    sio.socket(a).join("r");
    BroadcastOperator all = sio.io().except("nothing");
    BroadcastOperator onlyR = all.to("r");
    all.asVolatile().compress(false).local().timeout(Duration.ofSeconds(1));
    b.dropVolatile(true);
    all.emit("x");
    onlyR.in("r").emit("y");
    assertEquals(List.of("2[\"x\"]", "2[\"y\"]"), a.sent());
    assertEquals(List.of("2[\"x\"]"), b.sent(), "the original operator is not volatile");
    assertEquals(new HashSet<>(List.of(a.sid(), b.sid())), ids(all.fetchSockets()));
  }
}
