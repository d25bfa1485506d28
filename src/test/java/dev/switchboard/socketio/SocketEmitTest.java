package dev.switchboard.socketio;

import static dev.switchboard.socketio.testing.FakeEngineIoConnection.binary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.socketio.testing.LogCapture;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sending to one client (socket.io-protocol §Sending and receiving data, §Acknowledgement):
 * {@code emit} with every kind of argument, {@code emitWithAck} and {@code timeout}, the acks the
 * server gives the client's events, {@code onAnyOutgoing} and {@code volatileEmit}.
 */
class SocketEmitTest {
  private InMemorySocketIo sio = new InMemorySocketIo();

  @AfterEach
  void close() {
    sio.close();
  }

  record Point(int x, int y) {}

  private static Throwable failure(CompletableFuture<?> f) {
    assertTrue(f.isCompletedExceptionally(), "failed");
    return assertThrows(ExecutionException.class, f::get).getCause();
  }

  // ------------------------------------------------------------------ emit

  @Test
  void emitSendsAnEventWithItsArguments() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.emit("hello");
    s.emit("x", 1, "two", true, null, 2.5);
    assertEquals(List.of("2[\"hello\"]", "2[\"x\",1,\"two\",true,null,2.5]"), c.sent());
  }

  @Test
  void emitConvertsNestedObjectsToJson() {
    FakeEngineIoConnection c = sio.client();
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("name", "ada");
    user.put("tags", List.of("a", "b"));
    user.put("at", new Point(1, 2));
    sio.socket(c).emit("user", user, List.of(List.of(1), Map.of()));
    assertEquals(List.of("2[\"user\",{\"name\":\"ada\",\"tags\":[\"a\",\"b\"],\"at\":{\"x\":1,\"y\":2}},[[1],{}]]"),
        c.sent());
  }

  @Test
  void emitInAnotherNamespaceCarriesItsName() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = sio.client("/admin");
    sio.socket(c, "/admin").emit("x", 1);
    assertEquals(List.of("2/admin,[\"x\",1]"), c.sent());
  }

  @Test
  void bytesBecomeBinaryAttachmentsSentRightAfterThePacket() {
    FakeEngineIoConnection c = sio.client();
    sio.socket(c).emit("file", new byte[] {1, 2, (byte) 0xff});
    assertEquals(List.of("51-[\"file\",{\"_placeholder\":true,\"num\":0}]", binary(1, 2, 0xff)), c.sent());
  }

  @Test
  void severalAttachmentsAreNumberedInTheOrderTheyAppear() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = sio.client("/admin");
    sio.socket(c, "/admin").emit("files", Map.of("a", new byte[] {1}), ByteBuffer.wrap(new byte[] {2, 3}));
    assertEquals(List.of(
        "52-/admin,[\"files\",{\"a\":{\"_placeholder\":true,\"num\":0}},{\"_placeholder\":true,\"num\":1}]",
        binary(1), binary(2, 3)), c.sent());
  }

  @Test
  void aBinaryEventFromTheClientReachesTheHandlerAsBytes() {
    List<String> got = new ArrayList<>();
    sio.io().onConnection(s -> s.on("upload", (args, ack) -> {
      got.add(args.getString(0) + ":" + java.util.HexFormat.of().formatHex(args.getBytes(1)));
      ack.send(args.getBytes(1).length);
    }));
    FakeEngineIoConnection c = sio.client();
    c.receive("51-3[\"upload\",\"a.png\",{\"_placeholder\":true,\"num\":0}]");
    assertEquals(List.of(), got, "the event waits for its attachment");
    c.receive(new byte[] {9, 8, 7});
    assertEquals(List.of("a.png:090807"), got);
    assertEquals(List.of("33[3]"), c.sent());
  }

  // ------------------------------------------------------------------ emitWithAck

  @Test
  void emitWithAckCompletesWithTheClientsAnswer() throws Exception {
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).emitWithAck("question", 42);
    assertEquals(List.of("20[\"question\",42]"), c.takeSent());
    assertFalse(answer.isDone());
    c.receive("30[\"yes\",7]");
    assertEquals("yes", answer.get().getString(0));
    assertEquals(7, answer.get().get(1).intValue());
  }

  @Test
  void ackIdsComeFromOneCounterPerNamespace() {
    sio.io().of("/admin");
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection admin = sio.client("/admin");
    sio.socket(a).emitWithAck("q");
    sio.socket(b).emitWithAck("q");
    sio.socket(a).emitWithAck("q");
    sio.socket(admin, "/admin").emitWithAck("q");
    assertEquals(List.of("20[\"q\"]", "22[\"q\"]"), a.sent());
    assertEquals(List.of("21[\"q\"]"), b.sent());
    assertEquals(List.of("2/admin,0[\"q\"]"), admin.sent());
  }

  @Test
  void aBinaryAnswerReachesTheFutureAsBytes() throws Exception {
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).emitWithAck("photo");
    c.receive("61-0[{\"_placeholder\":true,\"num\":0}]");
    c.receive(new byte[] {4, 5});
    assertArrayEquals(new byte[] {4, 5}, answer.get().getBytes(0));
  }

  @Test
  void timeoutFailsTheAckAfterItsDurationOnTheFakeClock() {
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).timeout(Duration.ofSeconds(5)).emitWithAck("q");
    assertEquals(List.of("20[\"q\"]"), c.takeSent());
    sio.clock.advanceBy(Duration.ofMillis(4_999));
    assertFalse(answer.isDone());
    sio.clock.advanceBy(Duration.ofMillis(1));
    AckTimeoutException e = assertInstanceOf(AckTimeoutException.class, failure(answer));
    assertEquals("operation has timed out", e.getMessage());
    assertEquals(Set.of(c.sid()), e.missingSocketIds());
    assertEquals(List.of(), e.responses());
    c.receive("30[\"late\"]");
    assertTrue(sio.socket(c).isConnected(), "a late answer is ignored");
    assertInstanceOf(AckTimeoutException.class, failure(answer));
  }

  @Test
  void anAnswerInTimeCancelsTheTimer() throws Exception {
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).timeout(Duration.ofSeconds(5)).emitWithAck("q");
    assertEquals(1, sio.clock.pendingTasks());
    c.receive("30[1]");
    assertEquals(0, sio.clock.pendingTasks());
    sio.clock.advanceBy(Duration.ofSeconds(10));
    assertEquals(1, answer.get().get(0).intValue());
  }

  @Test
  void theServersAckTimeoutAppliesWhenNoneIsGiven() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().ackTimeout(Duration.ofSeconds(2)).build());
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).emitWithAck("q");
    sio.clock.advanceBy(Duration.ofSeconds(2));
    assertInstanceOf(AckTimeoutException.class, failure(answer));
  }

  @Test
  void withoutAnyTimeoutEmitWithAckWaitsForTheAnswer() {
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).emitWithAck("q");
    sio.clock.advanceBy(Duration.ofHours(1));
    assertFalse(answer.isDone());
    assertEquals(0, sio.clock.pendingTasks());
  }

  @Test
  void aDisconnectBeforeTheAnswerFailsTheAck() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    CompletableFuture<Args> noTimeout = s.emitWithAck("q");
    CompletableFuture<Args> withTimeout = s.timeout(Duration.ofSeconds(5)).emitWithAck("q");
    c.receive("1");
    assertEquals("socket has been disconnected", assertInstanceOf(AckDisconnectedException.class,
        failure(noTimeout)).getMessage());
    assertInstanceOf(AckDisconnectedException.class, failure(withTimeout));
    assertEquals(0, sio.clock.pendingTasks(), "the timeout's timer is cancelled");
  }

  @Test
  void aDroppedConnectionFailsTheAck() {
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).emitWithAck("q");
    c.drop(CloseReason.PING_TIMEOUT);
    assertInstanceOf(AckDisconnectedException.class, failure(answer));
  }

  @Test
  void emitWithAckOnADisconnectedSocketFailsAtOnceAndSendsNothing() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    c.receive("1");
    CompletableFuture<Args> answer = s.emitWithAck("q");
    assertEquals("socket is not connected", assertInstanceOf(IllegalStateException.class, failure(answer))
        .getMessage());
    assertEquals(List.of(), c.sent());
  }

  @Test
  void anAckForAnUnknownIdIsIgnored() throws Exception {
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).emitWithAck("q");
    c.receive("35[\"stray\"]");
    assertFalse(answer.isDone());
    assertTrue(c.isOpen());
    assertTrue(sio.socket(c).isConnected());
    c.receive("30[\"right\"]");
    assertEquals("right", answer.get().getString(0));
  }

  @Test
  void aSecondAckForTheSameIdIsIgnored() throws Exception {
    FakeEngineIoConnection c = sio.client();
    CompletableFuture<Args> answer = sio.socket(c).emitWithAck("q");
    CompletableFuture<Args> next = sio.socket(c).emitWithAck("q2");
    c.receive("30[\"first\"]");
    c.receive("30[\"second\"]");
    assertEquals("first", answer.get().getString(0));
    assertFalse(next.isDone(), "the duplicate answered nothing else");
    assertTrue(sio.socket(c).isConnected());
  }

  // ------------------------------------------------------------------ acks for the client's events

  @Test
  void ackSendsOneAckPacketWithTheEventsIdAndOnlyTheFirstCounts() {
    sio.io().onConnection(s -> s.on("q", (args, ack) -> {
      ack.send("a", 1);
      ack.send("b");
    }));
    FakeEngineIoConnection c = sio.client();
    c.receive("27[\"q\"]");
    assertEquals(List.of("37[\"a\",1]"), c.sent());
  }

  @Test
  void anAckWithoutArgumentsAndAnAckInAnotherNamespace() {
    sio.io().onConnection(s -> s.on("q", (args, ack) -> ack.send()));
    sio.io().of("/admin").onConnection(s -> s.on("q", (args, ack) -> ack.send("ok")));
    FakeEngineIoConnection c = sio.client();
    c.connectTo("/admin");
    c.receive("20[\"q\"]");
    c.receive("2/admin,4[\"q\"]");
    assertEquals(List.of("30[]", "3/admin,4[\"ok\"]"), c.sent());
  }

  @Test
  void aBinaryAckCarriesItsAttachment() {
    sio.io().onConnection(s -> s.on("q", (args, ack) -> ack.send(new byte[] {1, 2})));
    FakeEngineIoConnection c = sio.client();
    c.receive("21[\"q\"]");
    assertEquals(List.of("61-1[{\"_placeholder\":true,\"num\":0}]", binary(1, 2)), c.sent());
  }

  @Test
  void isRequestedTellsWhetherTheClientAskedForAnAckAndSendIsANoOpOtherwise() {
    List<Boolean> requested = new ArrayList<>();
    sio.io().onConnection(s -> s.on("q", (args, ack) -> {
      requested.add(ack.isRequested());
      ack.send("unused");
    }));
    FakeEngineIoConnection c = sio.client();
    c.receive("2[\"q\"]");
    c.receive("21[\"q\"]");
    assertEquals(List.of(false, true), requested);
    assertEquals(List.of("31[\"unused\"]"), c.sent());
    assertFalse(Ack.NONE.isRequested());
  }

  // ------------------------------------------------------------------ onAnyOutgoing

  @Test
  void onAnyOutgoingSeesEveryEventThisSocketEmitsButNotAcksOrBroadcasts() {
    List<String> seen = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.onAnyOutgoing((event, args) -> seen.add("1:" + event + args));
    s.onAnyOutgoing((event, args) -> seen.add("2:" + event));
    s.on("q", (args, ack) -> ack.send("answer"));
    s.emit("a", 1, "x");
    s.emitWithAck("b");
    s.asVolatile().emit("c", true);
    c.receive("21[\"q\"]");
    sio.io().emit("broadcast");
    assertEquals(List.of("1:a[1,\"x\"]", "2:a", "1:b[]", "2:b", "1:c[true]", "2:c"), seen);
    assertEquals(5, c.sent().size(), "everything was still sent");
  }

  @Test
  void aFailingOutgoingListenerIsLoggedAndTheEmitStillLeaves() {
    try (LogCapture log = LogCapture.of(Socket.class)) {
      List<String> seen = new ArrayList<>();
      FakeEngineIoConnection c = sio.client();
      Socket s = sio.socket(c);
      s.onAnyOutgoing((event, args) -> {
        throw new IllegalStateException("listener bug");
      });
      s.onAnyOutgoing((event, args) -> seen.add(event));
      s.emit("a");
      assertEquals(List.of("a"), seen);
      assertEquals(List.of("2[\"a\"]"), c.sent());
      assertEquals(List.of("onAnyOutgoing listener failed"), log.messages(Level.WARNING));
    }
  }

  // ------------------------------------------------------------------ volatileEmit

  @Test
  void volatileEmitIsDeliveredToAClientReadyForIt() {
    FakeEngineIoConnection c = sio.client();
    sio.socket(c).asVolatile().emit("position", 1, 2);
    assertEquals(List.of("2[\"position\",1,2]"), c.sent());
  }

  @Test
  void volatileEmitIsDroppedForABusyClientWhileOrdinaryEmitsAreNot() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    c.dropVolatile(true);
    s.asVolatile().emit("position", 1);
    s.emit("chat", "hi");
    c.dropVolatile(false);
    s.asVolatile().emit("position", 2);
    assertEquals(List.of("2[\"chat\",\"hi\"]", "2[\"position\",2]"), c.sent());
  }
}
