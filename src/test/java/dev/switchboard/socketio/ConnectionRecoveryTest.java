package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.adapter.PersistedSession;
import dev.switchboard.socketio.adapter.RestoredSession;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connection state recovery (socket.io 4.6+) end to end in memory, with the default adapter
 * (Node's session-aware in-memory adapter; the adapter on its own: {@code adapter/SessionStoreTest})
 * — offsets appended to events, state kept on recoverable disconnects only and in the socket's
 * namespace's adapter, restored with {@code {pid, offset}} together with the packets missed,
 * expiry after {@code maxDisconnectionDuration}, the {@link InMemoryAdapter#MAX_KEPT_PACKETS}
 * bound, {@code isRecovered} and {@code skipMiddlewares}; and an adapter that answers a restore
 * later, or fails.
 *
 * <p>Ids: with recovery each new socket draws its pid first, from two ids, then its socket id —
 * the first socket is {@code pid id1id2, sid id3}.
 */
class ConnectionRecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SocketIoOptions RECOVERY =
      SocketIoOptions.builder().recovery(SocketIoOptions.Recovery.DEFAULTS).build();

  private InMemorySocketIo sio = new InMemorySocketIo(RECOVERY);

  @AfterEach
  void close() {
    sio.close();
  }

  /** The JSON array of an EVENT's wire text, such as {@code 2/admin,["x",1,"ab-0"]}. */
  private static ArrayNode payload(String wire) {
    try {
      return (ArrayNode) JSON.readTree(wire.substring(wire.indexOf('[')));
    } catch (IOException e) {
      throw new AssertionError(wire, e);
    }
  }

  /** The offset the server appended as an event's last argument. */
  private static String offset(String wire) {
    ArrayNode a = payload(wire);
    return a.get(a.size() - 1).textValue();
  }

  /** The event's wire text without its offset, to compare with the text of a plain emit. */
  private static String withoutOffset(String wire) {
    ArrayNode a = payload(wire);
    a.remove(a.size() - 1);
    return wire.substring(0, wire.indexOf('[')) + a;
  }

  private static String reconnect(String pid, String offset) {
    return "0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}";
  }

  /** A client joined to "/" that has received one event, whose offset it returns. */
  private String joinAndReceiveOne(FakeEngineIoConnection c) {
    c.receive("0");
    assertEquals("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}", c.next());
    sio.io().sockets().sockets().get("id3").emit("hello");
    return offset(c.next());
  }

  // ------------------------------------------------------------------ the adapter keeps the state

  private InMemoryAdapter adapter() {
    return (InMemoryAdapter) sio.io().sockets().adapter();
  }

  @Test
  void theRecoverableReasonsAreNodes() {
    assertEquals(Set.of("transport error", "transport close", "forced close", "ping timeout",
        "server shutting down", "forced server close"),
        java.util.Arrays.stream(DisconnectReason.values()).filter(DisconnectReason::isRecoverable)
            .map(DisconnectReason::wireName).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void aDroppedSocketsStateGoesToItsNamespacesAdapter() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = sio.connect();
    c.receive("0/admin,");
    assertEquals("0/admin,{\"sid\":\"id3\",\"pid\":\"id1id2\"}", c.next());
    Socket s = sio.io().of("/admin").sockets().get("id3");
    s.join("r");
    s.data().put("k", "v");
    sio.io().of("/admin").emit("x");
    String from = offset(c.next());
    c.drop(CloseReason.TRANSPORT_CLOSE);
    InMemoryAdapter admin = (InMemoryAdapter) sio.io().of("/admin").adapter();
    assertEquals(1, admin.keptSessions());
    assertEquals(0, adapter().keptSessions(), "each namespace's adapter keeps its own sessions");
    RestoredSession restored = admin.restoreSession("id1id2", from).join().orElseThrow();
    assertEquals(new PersistedSession("id3", "id1id2", Set.of("id3", "r"), Map.of("k", "v")), restored.session());
    assertEquals(List.of(), restored.missedPackets());
  }

  // ------------------------------------------------------------------ end to end: offsets

  @Test
  void theConnectAnswerCarriesThePrivateSessionId() {
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    assertEquals(List.of("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}"), c.sent());
    assertFalse(sio.io().sockets().sockets().get("id3").isRecovered());
  }

  @Test
  void emitsAndBroadcastsGetAnOffsetButAcksAndVolatilePacketsDoNot() {
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    c.next();
    Socket s = sio.io().sockets().sockets().get("id3");
    s.on("q", (args, ack) -> ack.send("answer"));
    s.emit("plain", 1);
    sio.io().emit("broadcast");
    s.emitWithAck("with-ack");
    s.asVolatile().emit("volatile");
    sio.io().sockets().asVolatile().emit("volatile-broadcast");
    c.receive("21[\"q\"]");
    List<String> sent = c.sent();
    assertEquals("2[\"plain\",1]", withoutOffset(sent.get(0)));
    assertEquals("2[\"broadcast\"]", withoutOffset(sent.get(1)));
    assertNotEquals(offset(sent.get(0)), offset(sent.get(1)));
    assertEquals(List.of("20[\"with-ack\"]", "2[\"volatile\"]", "2[\"volatile-broadcast\"]", "31[\"answer\"]"),
        sent.subList(2, 6));
  }

  // ------------------------------------------------------------------ end to end: persist

  /** Node's RECOVERABLE_DISCONNECT_REASONS: every Engine.IO close but "parse error". */
  @ParameterizedTest
  @EnumSource(CloseReason.class)
  void aDroppedConnectionIsKeptForRecoveryUnlessItWasAParseError(CloseReason why) {
    FakeEngineIoConnection c = sio.client();
    c.drop(why);
    assertEquals(why == CloseReason.PARSE_ERROR ? 0 : 1, adapter().keptSessions());
  }

  @Test
  void aProtocolErrorIsRecoverableButADeliberateDisconnectIsNot() {
    sio.client().receive("0"); // second CONNECT: forced server close
    assertEquals(1, adapter().keptSessions());
    sio.client().receive("1"); // client namespace disconnect
    FakeEngineIoConnection c = sio.client();
    sio.socket(c).disconnect(false); // server namespace disconnect
    assertEquals(1, adapter().keptSessions());
  }

  // ------------------------------------------------------------------ end to end: restore

  @Test
  void aReconnectingClientGetsItsIdRoomsDataAndTheEventsItMissed() {
    sio.io().of("/admin");
    List<String> connections = new ArrayList<>();
    sio.io().onConnection(s -> {
      connections.add(s.id() + " recovered=" + s.isRecovered());
      if (!s.isRecovered()) {
        s.join("r");
        s.data().put("user", "ada");
      }
      s.emit("welcome");
    });
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    assertEquals("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}", c.next());
    String from = offset(c.next()); // welcome
    c.drop(CloseReason.TRANSPORT_CLOSE);

    sio.io().to("r").emit("to-r");
    sio.io().to("other").emit("to-other");
    sio.io().except("r").emit("all-but-r");
    sio.io().to("id3").emit("to-my-id");
    sio.io().emit("all");
    sio.io().of("/admin").emit("admin");

    FakeEngineIoConnection back = sio.connect();
    back.receive(reconnect("id1id2", from));
    List<String> sent = back.sent();
    assertEquals("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}", sent.get(0));
    List<String> events = new ArrayList<>();
    for (String w : sent.subList(1, sent.size())) events.add(withoutOffset(w));
    assertEquals(List.of("2[\"to-r\"]", "2[\"to-my-id\"]", "2[\"all\"]", "2[\"welcome\"]"), events,
        "the missed events come first, in order, then what the connection handler sends");
    Socket s = sio.io().sockets().sockets().get("id3");
    assertTrue(s.isRecovered());
    assertEquals(Set.of("id3", "r"), s.rooms());
    assertEquals(Map.of("user", "ada"), s.data());
    assertEquals(List.of("id3 recovered=false", "id3 recovered=true"), connections);
    assertEquals(0, adapter().keptSessions());
  }

  @Test
  void aRecoveredSocketKeepsItsPidForTheNextDrop() {
    FakeEngineIoConnection c = sio.connect();
    String from = joinAndReceiveOne(c);
    c.drop(CloseReason.PING_TIMEOUT);
    FakeEngineIoConnection back = sio.connect();
    back.receive(reconnect("id1id2", from));
    assertEquals("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}", back.next());
    sio.io().sockets().sockets().get("id3").emit("again");
    String next = offset(back.next());
    back.drop(CloseReason.TRANSPORT_CLOSE);
    FakeEngineIoConnection third = sio.connect();
    third.receive(reconnect("id1id2", next));
    assertEquals(List.of("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}"), third.sent());
  }

  @Test
  void afterMaxDisconnectionDurationTheClientGetsANewSession() {
    FakeEngineIoConnection c = sio.connect();
    String from = joinAndReceiveOne(c);
    c.drop(CloseReason.TRANSPORT_CLOSE);
    sio.clock.advanceBy(Duration.ofMinutes(2).plusMillis(1));
    FakeEngineIoConnection back = sio.connect();
    back.receive(reconnect("id1id2", from));
    assertEquals(List.of("0{\"sid\":\"id6\",\"pid\":\"id4id5\"}"), back.sent());
    assertFalse(sio.io().sockets().sockets().get("id6").isRecovered());
  }

  @Test
  void withinMaxDisconnectionDurationTheClientIsRecovered() {
    FakeEngineIoConnection c = sio.connect();
    String from = joinAndReceiveOne(c);
    c.drop(CloseReason.TRANSPORT_CLOSE);
    sio.clock.advanceBy(Duration.ofSeconds(119));
    FakeEngineIoConnection back = sio.connect();
    back.receive(reconnect("id1id2", from));
    assertEquals(List.of("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}"), back.sent());
  }

  @Test
  void anUnknownOffsetGivesANewSession() {
    FakeEngineIoConnection c = sio.connect();
    joinAndReceiveOne(c);
    c.drop(CloseReason.TRANSPORT_CLOSE);
    FakeEngineIoConnection back = sio.connect();
    back.receive(reconnect("id1id2", "zz-404"));
    assertEquals(List.of("0{\"sid\":\"id6\",\"pid\":\"id4id5\"}"), back.sent());
  }

  @Test
  void aPidOrOffsetThatIsNotAStringIsAnOrdinaryConnect() {
    FakeEngineIoConnection c = sio.connect();
    String from = joinAndReceiveOne(c);
    c.drop(CloseReason.TRANSPORT_CLOSE);
    FakeEngineIoConnection back = sio.connect();
    back.receive("0{\"pid\":12,\"offset\":\"" + from + "\"}");
    assertEquals(List.of("0{\"sid\":\"id6\",\"pid\":\"id4id5\"}"), back.sent());
    assertEquals(1, adapter().keptSessions(), "the kept session is untouched");
  }

  @Test
  void theStoreKeepsAtMostMaxPacketsPackets() {
    FakeEngineIoConnection c = sio.connect();
    String from = joinAndReceiveOne(c);
    c.drop(CloseReason.TRANSPORT_CLOSE);
    // From the offset on, the store holds MAX_PACKETS packets: one more pushes it out.
    for (int i = 0; i < InMemoryAdapter.MAX_KEPT_PACKETS - 1; i++) sio.io().to("nobody").emit("filler");
    FakeEngineIoConnection back = sio.connect();
    back.receive(reconnect("id1id2", from));
    assertEquals(List.of("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}"), back.sent(), "still in the window");
    String again = offset(emitTo(back, "id3"));
    back.drop(CloseReason.TRANSPORT_CLOSE);
    for (int i = 0; i < InMemoryAdapter.MAX_KEPT_PACKETS; i++) sio.io().to("nobody").emit("filler");
    FakeEngineIoConnection third = sio.connect();
    third.receive(reconnect("id1id2", again));
    assertEquals(List.of("0{\"sid\":\"id6\",\"pid\":\"id4id5\"}"), third.sent(), "the offset was pushed out");
  }

  private String emitTo(FakeEngineIoConnection c, String sid) {
    c.takeSent();
    sio.io().sockets().sockets().get(sid).emit("x");
    return c.next();
  }

  // ------------------------------------------------------------------ skipMiddlewares

  @Test
  void middlewaresAreSkippedForARecoveredSocketByDefault() {
    List<String> ran = new ArrayList<>();
    sio.io().use((socket, next) -> {
      ran.add("middleware " + socket.id());
      next.proceed();
    });
    FakeEngineIoConnection c = sio.connect();
    String from = joinAndReceiveOne(c);
    c.drop(CloseReason.TRANSPORT_CLOSE);
    sio.connect().receive(reconnect("id1id2", from));
    assertEquals(List.of("middleware id3"), ran);
    assertTrue(sio.io().sockets().sockets().get("id3").isRecovered());
  }

  @Test
  void withoutSkipMiddlewaresARecoveredSocketRunsThemAndMayBeRefused() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().recovery(SocketIoOptions.Recovery.builder().skipMiddlewares(false).build()).build());
    List<String> ran = new ArrayList<>();
    sio.io().use((socket, next) -> {
      ran.add("middleware " + socket.id() + " recovered=" + socket.isRecovered());
      if (socket.handshake().auth().path("token").asText().equals("ok")) next.proceed();
      else next.fail(new ConnectError("expired"));
    });
    FakeEngineIoConnection c = sio.connect();
    c.receive("0{\"token\":\"ok\"}");
    assertEquals("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}", c.next());
    sio.io().sockets().sockets().get("id3").emit("hello");
    String from = offset(c.next());
    c.drop(CloseReason.TRANSPORT_CLOSE);

    FakeEngineIoConnection refused = sio.connect();
    refused.receive("0{\"pid\":\"id1id2\",\"offset\":\"" + from + "\",\"token\":\"bad\"}");
    assertEquals(List.of("4{\"message\":\"expired\"}"), refused.sent());
    assertEquals(List.of("middleware id3 recovered=false", "middleware id3 recovered=true"), ran,
        "the middleware sees the old id and knows the state was recovered, as in Node");
  }

  @Test
  void withoutSkipMiddlewaresAnAcceptedSocketIsRecovered() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().recovery(SocketIoOptions.Recovery.builder().skipMiddlewares(false).build()).build());
    List<String> ran = new ArrayList<>();
    sio.io().use((socket, next) -> {
      ran.add("middleware " + socket.id());
      next.proceed();
    });
    FakeEngineIoConnection c = sio.connect();
    String from = joinAndReceiveOne(c);
    c.drop(CloseReason.TRANSPORT_CLOSE);
    FakeEngineIoConnection back = sio.connect();
    back.receive(reconnect("id1id2", from));
    assertEquals(List.of("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}"), back.sent());
    assertEquals(List.of("middleware id3", "middleware id3"), ran);
    assertTrue(sio.io().sockets().sockets().get("id3").isRecovered());
  }

  // ------------------------------------------------------------------ an adapter that answers later

  /** An in-memory adapter whose restores the test answers, later and from another thread. */
  private static final class LaterRestore extends InMemoryAdapter {
    final CompletableFuture<Optional<RestoredSession>> answer = new CompletableFuture<>();
    volatile String asked;

    LaterRestore(AdapterNamespace ns) {
      super(ns);
    }

    @Override
    public CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset) {
      asked = pid + " " + offset;
      return answer;
    }
  }

  private LaterRestore laterRestore() {
    sio = new InMemorySocketIo(RECOVERY.toBuilder().adapter(LaterRestore::new).build());
    return (LaterRestore) sio.io().sockets().adapter();
  }

  private static void completeOnAnotherThread(Runnable completion) throws InterruptedException {
    Thread t = new Thread(completion, "adapter-thread");
    t.start();
    t.join(10_000);
  }

  @Test
  void aRestoreAnsweredLaterConnectsTheRecoveredSocketThen() throws Exception {
    LaterRestore adapter = laterRestore();
    List<String> connected = new ArrayList<>();
    sio.io().onConnection(s -> connected.add(s.id() + " recovered=" + s.isRecovered() + " " + new java.util.TreeSet<>(s.rooms())
        + " " + s.data()));
    FakeEngineIoConnection c = sio.connect();
    c.receive(reconnect("p1", "o1"));
    assertEquals("p1 o1", adapter.asked);
    assertEquals(List.of(), c.sent(), "nothing is answered before the adapter is");
    ArrayNode missed = JSON.createArrayNode().add("missed").add("o2");
    completeOnAnotherThread(() -> adapter.answer.complete(Optional.of(new RestoredSession(
        new PersistedSession("old", "p1", Set.of("old", "r"), Map.of("k", 1)), List.of(missed)))));
    assertEquals(List.of("0{\"sid\":\"old\",\"pid\":\"p1\"}", "2[\"missed\",\"o2\"]"), c.sent());
    assertEquals(List.of("old recovered=true [old, r] {k=1}"), connected);
  }

  @Test
  void aRestoreThatFailsGivesAFreshSession() throws Exception {
    LaterRestore adapter = laterRestore();
    FakeEngineIoConnection c = sio.connect();
    c.receive(reconnect("p1", "o1"));
    completeOnAnotherThread(() -> adapter.answer.completeExceptionally(new IllegalStateException("store down")));
    assertEquals(List.of("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}"), c.sent());
    assertFalse(sio.io().sockets().sockets().get("id3").isRecovered());
  }

  @Test
  void aClientGoneBeforeTheRestoreAnswersGetsNoSocket() throws Exception {
    LaterRestore adapter = laterRestore();
    FakeEngineIoConnection c = sio.connect();
    c.receive(reconnect("p1", "o1"));
    c.drop(CloseReason.TRANSPORT_CLOSE);
    completeOnAnotherThread(() -> adapter.answer.complete(Optional.of(new RestoredSession(
        new PersistedSession("old", "p1", Set.of("old"), Map.of()), List.of()))));
    assertEquals(List.of(), c.sent());
    assertTrue(sio.io().sockets().sockets().isEmpty());
  }
}
