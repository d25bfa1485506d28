package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.adapter.Outgoing;
import dev.switchboard.socketio.protocol.SocketIoEncoder;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Namespaces (socket.io-protocol §Namespaces): static ones created on first use, dynamic ones
 * ({@code of(Pattern)}, {@code of(Predicate)}) whose children share the parent's middlewares and
 * connection handlers, broadcasting on a parent, and the removal of empty children.
 */
class NamespaceTest {
  private InMemorySocketIo sio = new InMemorySocketIo();

  @AfterEach
  void close() {
    sio.close();
  }

  // ------------------------------------------------------------------ static namespaces

  @Test
  void ofCreatesANamespaceOnFirstUseAndReturnsItAfterwards() {
    Namespace admin = sio.io().of("/admin");
    assertEquals("/admin", admin.name());
    assertSame(admin, sio.io().of("/admin"));
    assertSame(admin, sio.io().of("admin"), "the leading slash is implied");
    assertSame(sio.io().of("/"), sio.io().sockets());
    assertNull(admin.parent());
  }

  @Test
  void namespacesListsThemAndNewNamespaceListenersHearEachCreationOnceDynamicChildrenIncluded() {
    List<String> made = new java.util.ArrayList<>();
    sio.io().onNewNamespace(ns -> made.add(ns.name()));
    sio.io().of("/admin");
    sio.io().of("/admin");
    sio.io().of(java.util.regex.Pattern.compile("^/team-\\d+$"));
    FakeEngineIoConnection c = sio.client();
    c.receive("0/team-1,");
    c.receive("0/team-1,");
    assertEquals(List.of("/admin", "/team-1"), made);
    assertEquals(java.util.Set.of("/", "/admin", "/team-1"),
        sio.io().namespaces().stream().map(Namespace::name).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void aNamespaceCreatedAfterClientsConnectedCanBeJoined() {
    FakeEngineIoConnection c = sio.client();
    c.receive("0/late,");
    assertEquals(List.of("4/late,{\"message\":\"Invalid namespace\"}"), c.takeSent());
    sio.io().of("/late");
    c.receive("0/late,");
    assertEquals(List.of("0/late,{\"sid\":\"id2\"}"), c.sent());
  }

  @Test
  void socketsIsALiveReadOnlyViewOfTheConnectedSockets() {
    Map<String, Socket> view = sio.io().sockets().sockets();
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    assertEquals(Set.of(a.sid(), b.sid()), view.keySet());
    assertSame(sio.socket(a), view.get(a.sid()));
    assertThrows(UnsupportedOperationException.class, () -> view.remove(a.sid()));
    a.drop(CloseReason.TRANSPORT_CLOSE);
    assertEquals(Set.of(b.sid()), view.keySet());
  }

  @Test
  void everyNamespaceHasItsOwnInMemoryAdapterByDefault() {
    Namespace a = sio.io().of("/a");
    Namespace b = sio.io().of("/b");
    assertInstanceOf(InMemoryAdapter.class, a.adapter());
    assertNotSame(a.adapter(), b.adapter());
  }

  @Test
  void theServerKeepsItsOptions() {
    SocketIoOptions options = SocketIoOptions.builder().connectTimeout(Duration.ofSeconds(1)).build();
    sio = new InMemorySocketIo(options);
    assertSame(options, sio.io().options());
  }

  // ------------------------------------------------------------------ what an adapter sees

  @Test
  void theAdapterFindsSocketsByIdAndSharesTheNamespacesAckCounter() {
    FakeEngineIoConnection c = sio.client();
    Namespace ns = sio.io().sockets();
    assertSame(sio.socket(c), ns.socket(c.sid()));
    assertNull(ns.socket("unknown"));
    sio.socket(c).emitWithAck("q");
    assertEquals(1, ns.nextAckId(), "the socket's emitWithAck took id 0");
    assertEquals(List.of("20[\"q\"]"), c.sent());
  }

  @Test
  void aSocketTakesEncodedPacketsAndAwaitsAcksForAnAdapter() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    List<String> answers = new ArrayList<>();
    s.expectAck(7, ackListener((socketId, args) -> answers.add(socketId + " " + args)));
    s.deliver(new Outgoing(SocketIoEncoder.encode(SocketIoPacket.event("/",
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add("x"), 7))), BroadcastFlags.NONE);
    assertEquals(List.of("27[\"x\"]"), c.sent());
    c.receive("37[\"answer\"]");
    assertEquals(List.of(c.sid() + " [\"answer\"]"), answers);
  }

  @Test
  void aSocketLeavingFailsTheAcksAnAdapterAwaitsWithNoAnswer() {
    FakeEngineIoConnection c = sio.client();
    List<String> answers = new ArrayList<>();
    sio.socket(c).expectAck(3, ackListener((socketId, args) -> answers.add(socketId + " " + (args == null ? "disconnected" : args))));
    c.receive("1");
    assertEquals(List.of(c.sid() + " disconnected"), answers);
  }

  // ------------------------------------------------------------------ dynamic namespaces

  @Test
  void aPatternCreatesAChildOnTheFirstConnectToAMatchingName() {
    List<String> connected = new ArrayList<>();
    ParentNamespace teams = sio.io().of(Pattern.compile("^/team-\\d+$"));
    teams.onConnection(socket -> connected.add(socket.namespace().name() + " " + socket.id()));
    assertEquals(Map.of(), teams.children());
    FakeEngineIoConnection c = sio.connect();
    c.receive("0/team-42,");
    assertEquals(List.of("0/team-42,{\"sid\":\"id1\"}"), c.takeSent());
    assertEquals(List.of("/team-42 id1"), connected);
    Namespace child = teams.children().get("/team-42");
    assertSame(teams, child.parent());
    assertSame(child, child.sockets().get("id1").namespace());
    c.receive("0/team-42x,");
    assertEquals(List.of("4/team-42x,{\"message\":\"Invalid namespace\"}"), c.sent(), "the whole name must match");
  }

  @Test
  void aPredicateDecidesWhichNamesAreChildren() {
    ParentNamespace rooms = sio.io().of(name -> name.startsWith("/room/"));
    FakeEngineIoConnection c = sio.connect();
    c.connectTo("/room/a");
    c.connectTo("/room/b");
    assertEquals(Set.of("/room/a", "/room/b"), rooms.children().keySet());
    c.receive("0/other,");
    assertEquals(List.of("4/other,{\"message\":\"Invalid namespace\"}"), c.sent());
  }

  @Test
  void aStaticNamespaceWinsOverAMatchingRuleAndTheFirstMatchingRuleWins() {
    List<String> ran = new ArrayList<>();
    sio.io().of("/team-1").onConnection(s -> ran.add("static"));
    sio.io().of(Pattern.compile("^/team-\\d+$")).onConnection(s -> ran.add("first rule"));
    sio.io().of(name -> true).onConnection(s -> ran.add("second rule"));
    FakeEngineIoConnection c = sio.connect();
    c.connectTo("/team-1");
    c.connectTo("/team-2");
    c.connectTo("/anything");
    assertEquals(List.of("static", "first rule", "second rule"), ran);
  }

  @Test
  void childrenRunTheParentsMiddlewaresThenTheirOwn() {
    List<String> ran = new ArrayList<>();
    ParentNamespace teams = sio.io().of(Pattern.compile("^/team-\\d+$"));
    teams.use((socket, next) -> {
      ran.add("parent " + socket.namespace().name());
      if (socket.handshake().auth().path("member").asBoolean()) next.proceed();
      else next.fail(new ConnectError("not a member", Map.of("team", socket.namespace().name())));
    });
    FakeEngineIoConnection c = sio.connect();
    c.receive("0/team-1,{\"member\":false}");
    assertEquals(List.of("4/team-1,{\"message\":\"not a member\",\"data\":{\"team\":\"/team-1\"}}"), c.takeSent());
    teams.children().get("/team-1").use((socket, next) -> {
      ran.add("child");
      next.proceed();
    });
    c.receive("0/team-1,{\"member\":true}");
    assertEquals(List.of("0/team-1,{\"sid\":\"id2\"}"), c.sent());
    assertEquals(List.of("parent /team-1", "parent /team-1", "child"), ran);
  }

  @Test
  void middlewaresAndHandlersAddedToTheParentLaterReachExistingChildren() {
    List<String> ran = new ArrayList<>();
    ParentNamespace teams = sio.io().of(Pattern.compile("^/team-\\d+$"));
    sio.connect().connectTo("/team-1");
    teams.use((socket, next) -> {
      ran.add("middleware");
      next.proceed();
    });
    teams.onConnection(socket -> ran.add("connection"));
    sio.connect().connectTo("/team-1");
    assertEquals(List.of("middleware", "connection"), ran);
  }

  /** A parent with a socket in each of two children ("/team-1", "/team-2") and one in "/". */
  private final class Teams {
    final ParentNamespace parent = sio.io().of(Pattern.compile("^/team-\\d+$"));
    final FakeEngineIoConnection one = sio.connect();
    final FakeEngineIoConnection two = sio.connect();
    final FakeEngineIoConnection main = sio.client();

    Teams() {
      one.connectTo("/team-1");
      two.connectTo("/team-2");
    }
  }

  @Test
  void broadcastingOnTheParentReachesEveryChild() {
    Teams t = new Teams();
    sio.socket(t.two, "/team-2").join("captains");
    t.parent.emit("all", 1);
    t.parent.to("captains").emit("captains");
    t.parent.except("captains").emit("crew");
    assertEquals(List.of("2/team-1,[\"all\",1]", "2/team-1,[\"crew\"]"), t.one.sent());
    assertEquals(List.of("2/team-2,[\"all\",1]", "2/team-2,[\"captains\"]"), t.two.sent());
    assertEquals(List.of(), t.main.sent());
  }

  @Test
  void fetchSocketsOnTheParentListsTheSocketsOfEveryChild() {
    Teams t = new Teams();
    Set<String> ids = new java.util.HashSet<>();
    for (RemoteSocket s : t.parent.fetchSockets().join()) ids.add(s.id());
    assertEquals(Set.of(t.one.sid("/team-1"), t.two.sid("/team-2")), ids);
  }

  @Test
  void emitWithAckOnTheParentWaitsForTheAnswersOfEveryChild() throws Exception {
    Teams t = new Teams();
    CompletableFuture<List<Args>> answers = t.parent.emitWithAck("q");
    assertEquals(List.of("2/team-1,0[\"q\"]"), t.one.sent(), "each child counts its own ack ids");
    assertEquals(List.of("2/team-2,0[\"q\"]"), t.two.sent());
    t.one.receive("3/team-1,0[\"a\"]");
    assertFalse(answers.isDone(), "the second child has not answered");
    t.two.receive("3/team-2,0[\"b\"]");
    assertEquals(List.of("a", "b"), List.of(answers.get().get(0).getString(0), answers.get().get(1).getString(0)));
  }

  @Test
  void timeoutOnTheParentFailsWithTheChildSocketsThatDidNotAnswer() {
    Teams t = new Teams();
    CompletableFuture<List<Args>> answers = t.parent.timeout(Duration.ofSeconds(1)).emitWithAck("q");
    t.one.receive("3/team-1,0[\"a\"]");
    sio.clock.advanceBy(Duration.ofSeconds(1));
    AckTimeoutException e = assertInstanceOf(AckTimeoutException.class,
        assertThrows(java.util.concurrent.ExecutionException.class, answers::get).getCause());
    assertEquals(Set.of(t.two.sid("/team-2")), e.missingSocketIds());
    assertEquals(1, e.responses().size());
  }

  @Test
  void disconnectSocketsOnTheParentDisconnectsEveryChildsSockets() {
    Teams t = new Teams();
    t.parent.disconnectSockets(false);
    assertEquals(List.of("1/team-1,"), t.one.sent());
    assertEquals(List.of("1/team-2,"), t.two.sent());
    assertTrue(t.one.isOpen());
    assertTrue(sio.socket(t.main).isConnected());
    t.parent.disconnectSockets(true);
    assertTrue(t.one.isOpen(), "nobody was left to disconnect");
  }

  @Test
  void aParentWithoutChildrenBroadcastsToNobody() throws Exception {
    ParentNamespace teams = sio.io().of(Pattern.compile("^/team-\\d+$"));
    teams.emit("x");
    teams.disconnectSockets(true);
    assertEquals(List.of(), teams.fetchSockets().join());
    assertEquals(List.of(), teams.emitWithAck("x").get());
    assertEquals(List.of(), teams.timeout(Duration.ofSeconds(1)).emitWithAck("x").get());
  }

  // ------------------------------------------------------------------ cleanupEmptyChildNamespaces

  @Test
  void emptyChildrenAreKeptByDefault() {
    ParentNamespace teams = sio.io().of(Pattern.compile("^/team-\\d+$"));
    FakeEngineIoConnection c = sio.connect();
    c.connectTo("/team-1");
    Namespace child = teams.children().get("/team-1");
    c.receive("1/team-1,");
    assertSame(child, teams.children().get("/team-1"));
    c.connectTo("/team-1");
    assertSame(child, sio.socket(c, "/team-1").namespace());
  }

  @Test
  void withCleanupAChildIsRemovedWhenItsLastSocketLeaves() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().cleanupEmptyChildNamespaces(true).build());
    ParentNamespace teams = sio.io().of(Pattern.compile("^/team-\\d+$"));
    FakeEngineIoConnection a = sio.connect();
    a.connectTo("/team-1");
    FakeEngineIoConnection b = sio.connect();
    b.connectTo("/team-1");
    Namespace child = teams.children().get("/team-1");
    a.receive("1/team-1,");
    assertSame(child, teams.children().get("/team-1"), "one socket is left");
    b.drop(CloseReason.TRANSPORT_CLOSE);
    assertEquals(Map.of(), teams.children());
    FakeEngineIoConnection c = sio.connect();
    c.connectTo("/team-1");
    Namespace again = sio.socket(c, "/team-1").namespace();
    assertNotSame(child, again, "a new child for the next client");
    assertSame(again, teams.children().get("/team-1"));
  }

  @Test
  void cleanupNeverRemovesAStaticNamespace() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().cleanupEmptyChildNamespaces(true).build());
    Namespace admin = sio.io().of("/admin");
    FakeEngineIoConnection c = sio.client("/admin");
    c.receive("1/admin,");
    assertSame(admin, sio.io().of("/admin"));
    assertFalse(admin.sockets().containsKey(c.sid("/admin")));
  }

  private static dev.switchboard.socketio.adapter.AckSink ackListener(
      java.util.function.BiConsumer<String, com.fasterxml.jackson.databind.node.ArrayNode> onAck) {
    return new dev.switchboard.socketio.adapter.AckSink() {
      @Override
      public void onAck(String socketId, com.fasterxml.jackson.databind.node.ArrayNode args) {
        onAck.accept(socketId, args);
      }

      @Override
      public void onDisconnect(String socketId) {
        onAck.accept(socketId, null);
      }
    };
  }
}
