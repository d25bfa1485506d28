package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.socketio.protocol.SocketIoLimits;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.socketio.testing.LogCapture;
import dev.switchboard.testing.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Joining a namespace (socket.io-protocol §Connection to a namespace): the CONNECT answer, the
 * handshake a socket carries, handshake middlewares ({@code use}), "Invalid namespace",
 * {@code connectTimeout}, and the protocol errors that close the whole connection.
 */
class ConnectTest {
  private InMemorySocketIo sio = new InMemorySocketIo();

  @AfterEach
  void close() {
    sio.close();
  }

  // ------------------------------------------------------------------ CONNECT and its answer

  @Test
  void connectToTheMainNamespaceIsAnsweredWithTheSocketId() {
    List<Socket> connected = new ArrayList<>();
    sio.io().onConnection(connected::add);
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    assertEquals(List.of("0{\"sid\":\"id1\"}"), c.sent());
    assertEquals(1, connected.size());
    assertEquals("id1", connected.get(0).id());
    assertSame(sio.io().sockets(), connected.get(0).namespace());
    assertSame(connected.get(0), sio.io().sockets().sockets().get("id1"));
  }

  @Test
  void connectWithoutAuthGivesAnEmptyAuthObject() {
    FakeEngineIoConnection c = sio.client();
    assertEquals("{}", sio.socket(c).handshake().auth().toString());
  }

  @Test
  void theAuthPayloadOfConnectReachesTheHandshake() {
    FakeEngineIoConnection c = sio.connect();
    c.receive("0{\"token\":\"x\",\"n\":2}");
    assertEquals(List.of("0{\"sid\":\"id1\"}"), c.sent());
    Handshake h = sio.io().sockets().sockets().get("id1").handshake();
    assertEquals("x", h.auth().path("token").textValue());
    assertEquals(2, h.auth().path("n").intValue());
  }

  @Test
  void connectToAnotherNamespaceIsAnsweredInThatNamespace() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = sio.connect();
    c.receive("0/admin,{\"role\":\"ops\"}");
    assertEquals(List.of("0/admin,{\"sid\":\"id1\"}"), c.sent());
    Socket s = sio.io().of("/admin").sockets().get("id1");
    assertEquals("/admin", s.namespace().name());
    assertEquals("ops", s.handshake().auth().path("role").textValue());
    assertTrue(sio.io().sockets().sockets().isEmpty(), "the main namespace was not joined");
  }

  @Test
  void oneConnectionHasOneSocketPerNamespaceAndTheirIdsAreNotTheEngineIoId() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = sio.connect();
    String main = c.connectTo("/");
    String admin = c.connectTo("/admin");
    assertNotEquals(main, admin);
    assertEquals("c1", sio.socket(c).connectionId());
    assertEquals("c1", sio.socket(c, "/admin").connectionId());
    assertNotEquals("c1", main, "the socket id is not the Engine.IO sid");
  }

  // ------------------------------------------------------------------ the handshake

  @Test
  void theHandshakeDescribesTheEngineIoRequestAndTheConnectTime() {
    HttpHeaders headers = HttpHeaders.of("User-Agent", "test-agent", "Origin", "https://app.example",
        "Cookie", "a=1");
    String target = "/socket.io/?EIO=4&transport=polling&room=blue&room=red&t=abc";
    FakeEngineIoConnection c = sio.connect(new FakeEngineIoConnection(sio.nextConnectionId(), headers, target,
        new InetSocketAddress("10.1.2.3", 5555), true));
    sio.clock.advanceBy(Duration.ofSeconds(3)); // issued is when CONNECT arrived, not the Engine.IO open
    long now = sio.clock.currentTimeMillis();
    c.connectTo("/", "{\"token\":\"t\"}");
    Handshake h = sio.socket(c).handshake();
    assertEquals("test-agent", h.headers().first("user-agent"));
    assertEquals("a=1", h.headers().first("Cookie"));
    assertEquals(Map.of("EIO", "4", "transport", "polling", "room", "blue", "t", "abc"), h.query());
    assertEquals(target, h.url());
    assertEquals("10.1.2.3", h.address());
    assertTrue(h.secure());
    assertTrue(h.xdomain(), "an Origin header means a browser page on another origin");
    assertEquals(now, h.issued());
    assertEquals(new Date(now).toString(), h.time());
    assertEquals("t", h.auth().path("token").textValue());
  }

  @Test
  void aHandshakeWithoutOriginIsNotCrossDomainAndAPlainConnectionIsNotSecure() {
    FakeEngineIoConnection c = sio.client();
    Handshake h = sio.socket(c).handshake();
    assertFalse(h.xdomain());
    assertFalse(h.secure());
    assertEquals("127.0.0.1", h.address());
    assertEquals(Map.of("EIO", "4", "transport", "websocket"), h.query());
  }

  // ------------------------------------------------------------------ handshake middlewares

  @Test
  void aMiddlewareSeesTheSocketBeforeItConnectsAndMayAttachData() {
    List<String> seen = new ArrayList<>();
    sio.io().use((socket, next) -> {
      seen.add("middleware connected=" + socket.isConnected()
          + " token=" + socket.handshake().auth().path("token").asText());
      socket.data().put("user", "ada");
      next.proceed();
    });
    sio.io().onConnection(socket -> seen.add("connection connected=" + socket.isConnected() + " user="
        + socket.data().get("user")));
    FakeEngineIoConnection c = sio.connect();
    c.receive("0{\"token\":\"let-me-in\"}");
    assertEquals(List.of("0{\"sid\":\"id1\"}"), c.sent());
    assertEquals(List.of("middleware connected=false token=let-me-in", "connection connected=true user=ada"), seen);
  }

  @Test
  void middlewaresRunInOrderAndARefusalStopsTheChainWithConnectErrorData() {
    List<String> ran = new ArrayList<>();
    List<Socket> connected = new ArrayList<>();
    sio.io().use((socket, next) -> {
      ran.add("first");
      next.proceed();
    });
    sio.io().use((socket, next) -> {
      ran.add("second");
      next.fail(new ConnectError("unauthorized", Map.of("code", "BAD_TOKEN")));
    });
    sio.io().use((socket, next) -> {
      ran.add("third");
      next.proceed();
    });
    sio.io().onConnection(connected::add);
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    assertEquals(List.of("4{\"message\":\"unauthorized\",\"data\":{\"code\":\"BAD_TOKEN\"}}"), c.sent());
    assertEquals(List.of("first", "second"), ran);
    assertEquals(List.of(), connected);
    assertTrue(sio.io().sockets().sockets().isEmpty());
    assertTrue(c.isOpen(), "a refused namespace leaves the Engine.IO connection open");
  }

  @Test
  void aRefusalInAnotherNamespaceIsAnsweredInThatNamespaceWithoutData() {
    sio.io().of("/admin").use((socket, next) -> next.fail(new ConnectError("forbidden")));
    FakeEngineIoConnection c = sio.connect();
    c.receive("0/admin,");
    assertEquals(List.of("4/admin,{\"message\":\"forbidden\"}"), c.sent());
  }

  @Test
  void aRefusedClientMayConnectAgainOnTheSameConnection() {
    sio.io().use((socket, next) -> {
      if (socket.handshake().auth().path("token").asText().equals("good")) next.proceed();
      else next.fail(new ConnectError("unauthorized"));
    });
    FakeEngineIoConnection c = sio.connect();
    c.receive("0{\"token\":\"bad\"}");
    c.receive("0{\"token\":\"good\"}");
    assertEquals(List.of("4{\"message\":\"unauthorized\"}", "0{\"sid\":\"id2\"}"), c.sent());
  }

  record Reason(String code, int retryAfter) {}

  @Test
  void connectErrorDataIsAnyJsonConvertibleValue() {
    ConnectError plain = new ConnectError("no");
    assertEquals("no", plain.getMessage());
    assertNull(plain.data());
    assertEquals("{\"code\":\"SLOW_DOWN\",\"retryAfter\":30}",
        new ConnectError("later", new Reason("SLOW_DOWN", 30)).data().toString());
    assertEquals("[1,2]", new ConnectError("x", List.of(1, 2)).data().toString());
    sio.io().use((socket, next) -> next.fail(new ConnectError("later", new Reason("SLOW_DOWN", 30))));
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    assertEquals(List.of("4{\"message\":\"later\",\"data\":{\"code\":\"SLOW_DOWN\",\"retryAfter\":30}}"),
        c.sent());
  }

  @Test
  void failWithoutAnErrorRefusesAsUnauthorized() {
    sio.io().use((socket, next) -> next.fail(null));
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    assertEquals(List.of("4{\"message\":\"unauthorized\"}"), c.sent());
  }

  @Test
  void aMiddlewareThatThrowsRefusesWithInternalServerErrorAndIsLogged() {
    try (LogCapture log = LogCapture.of(SocketIoServer.class)) {
      sio.io().use((socket, next) -> {
        throw new IllegalStateException("database down");
      });
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      assertEquals(List.of("4{\"message\":\"Internal server error\"}"), c.sent());
      assertEquals(List.of("handshake middleware failed"), log.messages(Level.WARNING));
      assertTrue(c.isOpen());
    }
  }

  @Test
  void onlyTheFirstAnswerOfAMiddlewareCounts() {
    List<String> ran = new ArrayList<>();
    sio.io().use((socket, next) -> {
      next.proceed();
      next.proceed();
      next.fail(new ConnectError("too late"));
    });
    sio.io().use((socket, next) -> {
      ran.add("second");
      next.proceed();
    });
    sio.io().onConnection(socket -> ran.add("connection"));
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    assertEquals(List.of("0{\"sid\":\"id1\"}"), c.sent());
    assertEquals(List.of("second", "connection"), ran);
  }

  @Test
  void aMiddlewareMayAnswerLaterFromAnotherThread() throws Exception {
    List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
    sio.io().use((socket, next) -> new Thread(next::proceed, "auth-pool").start());
    sio.io().onConnection(socket -> handlerThreads.add(Thread.currentThread()));
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    Await.until("the CONNECT answer", () -> c.sent().equals(List.of("0{\"sid\":\"id1\"}")));
    Await.until("the connection handler", () -> handlerThreads.size() == 1);
    assertTrue(sio.io().sockets().sockets().get("id1").isConnected());
  }

  @Test
  void aMiddlewareAnsweringAfterTheConnectionWentAwayConnectsNothing() {
    AtomicReference<Middleware.Next> held = new AtomicReference<>();
    List<Socket> connected = new ArrayList<>();
    sio.io().use((socket, next) -> held.set(next));
    sio.io().onConnection(connected::add);
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    c.drop(CloseReason.TRANSPORT_CLOSE);
    held.get().proceed();
    assertEquals(List.of(), c.sent());
    assertEquals(List.of(), connected);
    assertTrue(sio.io().sockets().sockets().isEmpty());
  }

  // ------------------------------------------------------------------ unknown namespaces

  @Test
  void anUnknownNamespaceIsRefusedAndTheConnectionStaysUsable() {
    FakeEngineIoConnection c = sio.connect();
    c.receive("0/nope,");
    assertEquals(List.of("4/nope,{\"message\":\"Invalid namespace\"}"), c.takeSent());
    assertTrue(c.isOpen());
    c.receive("0");
    assertEquals(List.of("0{\"sid\":\"id1\"}"), c.sent());
  }

  // ------------------------------------------------------------------ refused CONNECTs per connection

  /** A handshake middleware that lets in only {@code {"token":"good"}}, counting its runs. */
  private List<String> onlyGoodTokens() {
    List<String> ran = new CopyOnWriteArrayList<>();
    sio.io().use((socket, next) -> {
      String token = socket.handshake().auth().path("token").asText();
      ran.add(token);
      if (token.equals("good")) next.proceed();
      else next.fail(new ConnectError("unauthorized"));
    });
    return ran;
  }

  @Test
  void theIssuesAttackOf200RefusedConnectsOnOneConnectionEndsAfterFive() {
    // Issue #14: 200 failed CONNECTs in 1.1 s on one connection, which stayed open.
    List<String> ran = onlyGoodTokens();
    sio.io().onConnection(s -> s.on("ping", (args, ack) -> ack.send("pong")));
    FakeEngineIoConnection bystander = sio.connect();
    bystander.receive("0{\"token\":\"good\"}");
    bystander.takeSent();
    FakeEngineIoConnection attacker = sio.connect();
    for (int i = 0; i < 200; i++) {
      attacker.receive("0{\"token\":\"bad" + i + "\"}");
      // The bystander is served between the attacker's packets.
      bystander.receive("2" + (i + 1) + "[\"ping\"]");
    }
    List<String> refusals = attacker.sent();
    assertEquals(5, refusals.size(), refusals.toString());
    assertTrue(refusals.stream().allMatch(p -> p.equals("4{\"message\":\"unauthorized\"}")));
    assertEquals(5, ran.stream().filter(t -> t.startsWith("bad")).count(), "the sixth CONNECT ran no middleware");
    assertTrue(attacker.closedByServer());
    assertEquals(CloseReason.FORCED_CLOSE, attacker.closeReason());
    assertEquals(200, bystander.sent().size());
    assertEquals("3200[\"pong\"]", bystander.sent().get(199));
    // A newcomer after the attack connects at once.
    FakeEngineIoConnection newcomer = sio.connect();
    newcomer.receive("0{\"token\":\"good\"}");
    assertTrue(newcomer.sent().get(0).startsWith("0{\"sid\":"), newcomer.sent().toString());
  }

  @Test
  void fiveRefusalsKeepTheConnectionAndTheSixthConnectClosesIt() {
    // The official client sends CONNECT again only when the application calls socket.connect()
    // after a connect_error (a token refreshed, a new login). Five refusals keep the connection
    // open; the CONNECT after them closes it, whatever it carries, and the official client goes
    // on with a new Engine.IO session (SocketIoServerHostileTest#theOfficialClientGetsPastTheLimit…).
    onlyGoodTokens();
    FakeEngineIoConnection c = sio.connect();
    for (int i = 0; i < 4; i++) c.receive("0{\"token\":\"expired\"}");
    c.receive("0{\"token\":\"good\"}");
    assertEquals(5, c.sent().size());
    assertTrue(c.sent().get(4).startsWith("0{\"sid\":"), c.sent().toString());

    FakeEngineIoConnection d = sio.connect();
    for (int i = 0; i < 5; i++) d.receive("0{\"token\":\"expired\"}");
    assertTrue(d.isOpen());
    d.receive("0{\"token\":\"good\"}");
    assertTrue(d.closedByServer());
    assertEquals(5, d.sent().size());
  }

  @Test
  void unknownNamespacesAndMiddlewareRefusalsShareTheCount() {
    onlyGoodTokens();
    FakeEngineIoConnection c = sio.connect();
    c.receive("0/nope,").receive("0{\"token\":\"bad\"}").receive("0/nope2,").receive("0/nope3,")
        .receive("0{\"token\":\"bad\"}");
    assertEquals(5, c.sent().size());
    assertTrue(c.isOpen());
    c.receive("0/nope4,");
    assertTrue(c.closedByServer());
    assertEquals(5, c.sent().size(), "the CONNECT over the limit gets no answer: the connection closes");
  }

  @Test
  void aSuccessfulConnectDoesNotResetTheCount() {
    // Otherwise joining and leaving a namespace would buy five more refusals each time.
    onlyGoodTokens();
    sio.io().of("/admin").use((socket, next) -> next.fail(new ConnectError("forbidden")));
    FakeEngineIoConnection c = sio.connect();
    for (int i = 0; i < 3; i++) c.receive("0/admin,");
    c.receive("0{\"token\":\"good\"}");
    c.receive("1");
    c.receive("0/admin,").receive("0/admin,");
    assertTrue(c.isOpen());
    c.receive("0/admin,");
    assertTrue(c.closedByServer());
  }

  @Test
  void theLimitIsAnOption() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().maxFailedConnects(1).build());
    onlyGoodTokens();
    FakeEngineIoConnection c = sio.connect();
    c.receive("0{\"token\":\"bad\"}");
    assertTrue(c.isOpen());
    c.receive("0{\"token\":\"good\"}");
    assertTrue(c.closedByServer());
    assertEquals(List.of("4{\"message\":\"unauthorized\"}"), c.sent());
  }

  @Test
  void refusalsOfConnectsAlreadyRunningWhenTheLimitWasReachedCloseTheConnection() {
    // A dynamic namespace and a middleware that answers later: the client can have many CONNECTs
    // in flight before the first refusal is counted; the refusal past the limit closes.
    sio = new InMemorySocketIo(SocketIoOptions.builder().maxFailedConnects(2).build());
    List<Middleware.Next> held = new CopyOnWriteArrayList<>();
    sio.io().of(java.util.regex.Pattern.compile("/room-\\d+")).use((socket, next) -> held.add(next));
    FakeEngineIoConnection c = sio.connect();
    for (int i = 0; i < 4; i++) c.receive("0/room-" + i + ",");
    assertEquals(4, held.size());
    for (int i = 0; i < 2; i++) held.get(i).fail(new ConnectError("no"));
    assertTrue(c.isOpen());
    held.get(2).fail(new ConnectError("no"));
    assertTrue(c.closedByServer());
    held.get(3).fail(new ConnectError("no")); // after the close: nothing more is sent
    assertEquals(3, c.sent().size(), c.sent().toString());
  }

  // ------------------------------------------------------------------ connectTimeout

  @Test
  void aConnectionThatJoinsNoNamespaceWithinConnectTimeoutIsClosed() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().connectTimeout(Duration.ofSeconds(5)).build());
    FakeEngineIoConnection c = sio.connect();
    sio.clock.advanceBy(Duration.ofMillis(4_999));
    assertTrue(c.isOpen());
    sio.clock.advanceBy(Duration.ofMillis(1));
    assertTrue(c.closedByServer());
    assertEquals(CloseReason.FORCED_CLOSE, c.closeReason());
  }

  @Test
  void theDefaultConnectTimeoutIsFortyFiveSeconds() {
    FakeEngineIoConnection c = sio.connect();
    sio.clock.advanceBy(Duration.ofSeconds(44));
    assertTrue(c.isOpen());
    sio.clock.advanceBy(Duration.ofSeconds(1));
    assertTrue(c.closedByServer());
  }

  @Test
  void joiningANamespaceCancelsTheConnectTimer() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().connectTimeout(Duration.ofSeconds(5)).build());
    FakeEngineIoConnection c = sio.client();
    assertEquals(0, sio.clock.pendingTasks(), "the timer is cancelled, not left to fire");
    sio.clock.advanceBy(Duration.ofSeconds(10));
    assertTrue(c.isOpen());
    assertTrue(sio.socket(c).isConnected());
  }

  @Test
  void aRefusedConnectDoesNotStopTheConnectTimer() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().connectTimeout(Duration.ofSeconds(5)).build());
    sio.io().use((socket, next) -> next.fail(new ConnectError("no")));
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    c.receive("0/nope,");
    sio.clock.advanceBy(Duration.ofSeconds(5));
    assertTrue(c.closedByServer());
  }

  // ------------------------------------------------------------------ protocol errors

  /**
   * Packets that break the protocol close the whole connection, as Node's socket.io does; every
   * socket on it disconnects with "forced server close" (spec-notes/socket-io.md, Connection to a
   * namespace).
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "0",                     // a second CONNECT for a namespace already joined
      "1/admin,",              // DISCONNECT for a namespace not joined
      "2/admin,[\"x\"]",       // EVENT for a namespace not joined
      "3/admin,0[]",           // ACK for a namespace not joined
      "4{\"message\":\"x\"}",  // CONNECT_ERROR is server → client only
      "9",                     // not a packet type
      "2[\"x\"",               // undecodable JSON
  })
  void aProtocolErrorClosesTheConnectionAndDisconnectsItsSockets(String packet) {
    sio.io().of("/admin");
    List<String> reasons = new ArrayList<>();
    sio.io().onConnection(socket -> socket.onDisconnect(r -> reasons.add(r.wireName())));
    FakeEngineIoConnection c = sio.client();
    Socket socket = sio.socket(c);
    c.receive(packet);
    assertTrue(c.closedByServer(), "closed by the server");
    assertEquals(List.of("forced server close"), reasons);
    assertFalse(socket.isConnected());
    assertTrue(sio.io().sockets().sockets().isEmpty());
    assertEquals(List.of(), c.sent(), "nothing is answered: the connection is closed");
  }

  @Test
  void theCodecLimitsOfTheOptionsApplyToEveryConnection() {
    sio = new InMemorySocketIo(SocketIoOptions.builder().limits(SocketIoLimits.DEFAULTS.withMaxEventNameLength(5)).build());
    List<String> heard = new ArrayList<>();
    sio.io().onConnection(socket -> socket.onAny((event, args) -> heard.add(event)));
    FakeEngineIoConnection c = sio.client();
    c.receive("2[\"short\"]");
    assertTrue(c.isOpen());
    c.receive("2[\"longer\"]");
    assertTrue(c.closedByServer());
    assertEquals(List.of("short"), heard);
  }

  @Test
  void aPacketBeforeAnyConnectClosesTheConnection() {
    FakeEngineIoConnection c = sio.connect();
    c.receive("2[\"hello\"]");
    assertTrue(c.closedByServer());
  }

  @Test
  void aSecondConnectWhileTheFirstIsInItsMiddlewaresClosesTheConnection() {
    AtomicReference<Middleware.Next> held = new AtomicReference<>();
    sio.io().use((socket, next) -> held.compareAndSet(null, next));
    FakeEngineIoConnection c = sio.connect();
    c.receive("0");
    c.receive("0");
    assertTrue(c.closedByServer());
    held.get().proceed();
    assertEquals(List.of(), c.sent());
    assertTrue(sio.io().sockets().sockets().isEmpty());
  }

  // ------------------------------------------------------------------ socket state

  @Test
  void isConnectedFollowsTheSocketsLifecycle() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    assertTrue(s.isConnected());
    c.receive("1");
    assertFalse(s.isConnected());
  }

  @Test
  void transportReportsTheEngineIoTransportInUse() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    assertEquals("websocket", s.transport());
    c.transport("polling");
    assertEquals("polling", s.transport());
  }

  @Test
  void theExecutorIsTheConnectionsSerialExecutorWhereHandlersRun() {
    List<String> order = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    assertSame(c.executor(), s.executor());
    s.on("x", (args, ack) -> {
      // work handed to the executor from a handler runs after it, never inside it
      s.executor().execute(() -> order.add("task"));
      order.add("handler");
    });
    c.receive("2[\"x\"]");
    assertEquals(List.of("handler", "task"), order);
  }

  @Test
  void aSocketHasNoRecoveryPidWithoutRecovery() {
    FakeEngineIoConnection c = sio.client();
    assertNull(sio.socket(c).pid());
    assertFalse(sio.socket(c).isRecovered());
  }
}
