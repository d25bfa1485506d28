package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.socketio.testing.LogCapture;
import dev.switchboard.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a socket hears (socket.io-protocol §Sending and receiving data, §Disconnection from a
 * namespace): event handlers ({@code on}, {@code off}, {@code onAny}), per-packet middlewares
 * ({@code use}) and {@code onError}, the disconnect listeners and their reasons, and
 * {@code data()}.
 */
class SocketListenersTest {
  private final InMemorySocketIo sio = new InMemorySocketIo();

  @AfterEach
  void close() {
    sio.close();
  }

  // ------------------------------------------------------------------ on / off / onAny

  @Test
  void onRunsEveryHandlerOfTheEventInRegistrationOrder() {
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.on("chat", (args, ack) -> ran.add("first " + args));
    s.on("other", (args, ack) -> ran.add("other"));
    s.on("chat", (args, ack) -> ran.add("second " + args.getString(0)));
    c.receive("2[\"chat\",\"hi\",3]");
    assertEquals(List.of("first [\"hi\",3]", "second hi"), ran);
  }

  @Test
  void anEventWithoutHandlersIsDroppedQuietly() {
    FakeEngineIoConnection c = sio.client();
    c.receive("21[\"nobody-listens\"]");
    assertEquals(List.of(), c.sent(), "no handler, so no ack either");
    assertTrue(sio.socket(c).isConnected());
  }

  @Test
  void offRemovesOneRegistrationOfTheHandler() {
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    EventHandler counted = (args, ack) -> ran.add("counted");
    EventHandler kept = (args, ack) -> ran.add("kept");
    s.on("x", counted).on("x", kept).on("x", counted);
    assertSame(s, s.off("x", counted));
    c.receive("2[\"x\"]");
    assertEquals(List.of("kept", "counted"), ran, "the first registration went");
    ran.clear();
    s.off("x", counted).off("x", kept).off("x", kept).off("unknown", kept);
    c.receive("2[\"x\"]");
    assertEquals(List.of(), ran);
  }

  @Test
  void offOnlyRemovesTheHandlerFromThatEvent() {
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    EventHandler h = (args, ack) -> ran.add("h");
    s.on("a", h).on("b", h);
    s.off("a", h);
    c.receive("2[\"a\"]");
    c.receive("2[\"b\"]");
    assertEquals(List.of("h"), ran);
  }

  @Test
  void onAnySeesEveryIncomingEventBeforeItsHandlers() {
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.on("x", (args, ack) -> ran.add("handler"));
    s.onAny((event, args) -> ran.add("any1 " + event + args));
    s.onAny((event, args) -> ran.add("any2 " + event));
    c.receive("2[\"x\",1]");
    c.receive("2[\"unhandled\"]");
    assertEquals(List.of("any1 x[1]", "any2 x", "handler", "any1 unhandled[]", "any2 unhandled"), ran);
  }

  @Test
  void aFailingHandlerIsLoggedAndBreaksNeitherTheOtherHandlersNorTheSocket() {
    try (LogCapture log = LogCapture.of(Socket.class)) {
      List<String> ran = new ArrayList<>();
      FakeEngineIoConnection c = sio.client();
      Socket s = sio.socket(c);
      s.onAny((event, args) -> {
        throw new IllegalStateException("any bug");
      });
      s.on("x", (args, ack) -> {
        throw new IllegalStateException("handler bug");
      });
      s.on("x", (args, ack) -> ran.add("second"));
      c.receive("2[\"x\"]");
      c.receive("2[\"x\"]");
      assertEquals(List.of("second", "second"), ran);
      assertTrue(s.isConnected());
      assertTrue(c.isOpen());
      assertEquals(List.of("onAny listener failed", "handler for event 'x' failed", "onAny listener failed",
          "handler for event 'x' failed"), log.messages(Level.WARNING));
    }
  }

  // ------------------------------------------------------------------ use (per-packet middlewares)

  @Test
  void packetMiddlewaresRunInOrderBeforeOnAnyAndTheHandlers() {
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.use((event, args, next) -> {
      ran.add("m1 " + event + args);
      next.proceed();
    });
    s.use((event, args, next) -> {
      ran.add("m2");
      next.proceed();
    });
    s.onAny((event, args) -> ran.add("any"));
    s.on("x", (args, ack) -> {
      ran.add("handler");
      ack.send("done");
    });
    c.receive("23[\"x\",\"a\"]");
    assertEquals(List.of("m1 x[\"a\"]", "m2", "any", "handler"), ran);
    assertEquals(List.of("33[\"done\"]"), c.sent());
  }

  @Test
  void aMiddlewareThatFailsStopsTheEventAndReportsToOnError() {
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.use((event, args, next) -> {
      if (event.equals("forbidden")) next.fail(new IllegalArgumentException("not allowed: " + event));
      else next.proceed();
    });
    s.onError(e -> ran.add("error " + e.getMessage()));
    s.onAny((event, args) -> ran.add("any " + event));
    s.on("forbidden", (args, ack) -> ran.add("forbidden handler"));
    s.on("fine", (args, ack) -> ran.add("fine handler"));
    c.receive("21[\"forbidden\"]");
    c.receive("2[\"fine\"]");
    assertEquals(List.of("error not allowed: forbidden", "any fine", "fine handler"), ran);
    assertEquals(List.of(), c.sent(), "a refused event gets no ack");
    assertTrue(s.isConnected());
  }

  @Test
  void aMiddlewareThatThrowsIsReportedToOnError() {
    List<Exception> errors = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    IllegalStateException boom = new IllegalStateException("boom");
    s.use((event, args, next) -> {
      throw boom;
    });
    s.onError(errors::add);
    s.on("x", (args, ack) -> ran.add("handler"));
    c.receive("2[\"x\"]");
    assertEquals(List.of(boom), errors);
    assertEquals(List.of(), ran);
    assertTrue(s.isConnected());
  }

  @Test
  void aMiddlewareMayProceedLaterFromAnotherThread() {
    List<String> ran = new CopyOnWriteArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.use((event, args, next) -> new Thread(next::proceed, "rate-limiter").start());
    s.on("x", (args, ack) -> {
      ran.add("handler " + args.getString(0));
      ack.send("ok");
    });
    c.receive("21[\"x\",\"later\"]");
    Await.until("the handler", () -> ran.size() == 1);
    assertEquals(List.of("handler later"), ran);
    Await.until("the ack", () -> c.sent().equals(List.of("31[\"ok\"]")));
  }

  @Test
  void onlyTheFirstAnswerOfAPacketMiddlewareCounts() {
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.use((event, args, next) -> {
      next.proceed();
      next.proceed();
      next.fail(new IllegalStateException("too late"));
    });
    s.onError(e -> ran.add("error"));
    s.on("x", (args, ack) -> ran.add("handler"));
    c.receive("2[\"x\"]");
    assertEquals(List.of("handler"), ran);
  }

  @Test
  void aRefusalWithoutErrorListenersIsOnlyLoggedAtFine() {
    try (LogCapture log = LogCapture.of(Socket.class)) {
      FakeEngineIoConnection c = sio.client();
      Socket s = sio.socket(c);
      s.use((event, args, next) -> next.fail(new IllegalArgumentException("nope")));
      c.receive("2[\"x\"]");
      assertEquals(List.of("packet middleware refused an event: nope"), log.messages(Level.FINE));
      assertTrue(s.isConnected());
    }
  }

  @Test
  void everyErrorListenerHearsTheErrorEvenWhenOneFails() {
    try (LogCapture log = LogCapture.of(Socket.class)) {
      List<String> heard = new ArrayList<>();
      FakeEngineIoConnection c = sio.client();
      Socket s = sio.socket(c);
      s.use((event, args, next) -> next.fail(new IllegalArgumentException("nope")));
      s.onError(e -> {
        throw new IllegalStateException("listener bug");
      });
      s.onError(e -> heard.add(e.getMessage()));
      c.receive("2[\"x\"]");
      assertEquals(List.of("nope"), heard);
      assertEquals(List.of("error listener failed"), log.messages(Level.WARNING));
    }
  }

  // ------------------------------------------------------------------ disconnecting / disconnect

  @Test
  void onDisconnectingRunsWhileTheSocketIsStillInItsRoomsThenOnDisconnect() {
    List<String> ran = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    String id = s.id();
    s.join("lobby");
    s.onDisconnecting(reason -> ran.add("disconnecting " + reason + " rooms=" + s.rooms().equals(Set.of(id, "lobby"))
        + " inNamespace=" + sio.io().sockets().sockets().containsKey(id)
        + " inLobby=" + sio.io().in("lobby").fetchSockets().join().contains(s)));
    s.onDisconnect(reason -> ran.add("disconnect " + reason + " rooms=" + s.rooms()
        + " inNamespace=" + sio.io().sockets().sockets().containsKey(id) + " connected=" + s.isConnected()));
    c.receive("1");
    assertEquals(List.of(
        "disconnecting client namespace disconnect rooms=true inNamespace=true inLobby=true",
        "disconnect client namespace disconnect rooms=[] inNamespace=false connected=false"), ran);
    assertTrue(c.isOpen(), "a namespace disconnect leaves the connection open");
    assertEquals(Set.of(), sio.io().sockets().adapter().rooms());
  }

  @Test
  void theClientLeavingOneNamespaceLeavesTheOthersConnected() {
    sio.io().of("/admin");
    List<String> reasons = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    c.connectTo("/admin");
    sio.socket(c, "/admin").onDisconnect(r -> reasons.add(r.wireName()));
    Socket main = sio.socket(c);
    c.receive("1/admin,");
    assertEquals(List.of("client namespace disconnect"), reasons);
    assertTrue(main.isConnected());
    c.receive("2/admin,[\"x\"]"); // no longer joined: a protocol error
    assertTrue(c.closedByServer());
  }

  /** Engine.IO's close reasons reach the sockets as Node names them. */
  @ParameterizedTest
  @EnumSource(CloseReason.class)
  void aDroppedConnectionDisconnectsEverySocketOnItWithTheTransportsReason(CloseReason why) {
    sio.io().of("/admin");
    List<String> reasons = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    c.connectTo("/admin");
    sio.socket(c).onDisconnect(r -> reasons.add(r.wireName()));
    sio.socket(c, "/admin").onDisconnect(r -> reasons.add(r.wireName()));
    c.drop(why);
    assertEquals(List.of(why.wireName(), why.wireName()), reasons);
    assertTrue(sio.io().sockets().sockets().isEmpty());
    assertTrue(sio.io().of("/admin").sockets().isEmpty());
  }

  @Test
  void transportCloseIsReportedAsNodeNamesIt() {
    List<String> reasons = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    sio.socket(c).onDisconnect(r -> reasons.add(r.wireName()));
    c.drop(CloseReason.TRANSPORT_CLOSE);
    assertEquals(List.of("transport close"), reasons);
  }

  @Test
  void disconnectSendsDisconnectAndKeepsTheConnection() {
    List<String> reasons = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.onDisconnecting(r -> reasons.add(r.wireName()));
    s.onDisconnect(r -> reasons.add(r.wireName()));
    s.disconnect(false);
    s.disconnect(false);
    assertEquals(List.of("1"), c.sent());
    assertEquals(List.of("server namespace disconnect", "server namespace disconnect"), reasons);
    assertFalse(s.isConnected());
    assertTrue(c.isOpen());
    c.connectTo("/");
    assertEquals("id2", c.sid(), "the client may join again, as a new socket");
  }

  @Test
  void disconnectInAnotherNamespaceNamesIt() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = sio.client("/admin");
    sio.socket(c, "/admin").disconnect(false);
    assertEquals(List.of("1/admin,"), c.sent());
  }

  @Test
  void disconnectWithCloseAlsoClosesTheConnection() {
    List<String> reasons = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.onDisconnect(r -> reasons.add(r.wireName()));
    s.disconnect(true);
    assertEquals(List.of("1"), c.sent());
    assertEquals(List.of("server namespace disconnect"), reasons);
    assertTrue(c.closedByServer());
  }

  @Test
  void aProtocolErrorDisconnectsWithForcedServerClose() {
    List<String> reasons = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    sio.socket(c).onDisconnect(r -> reasons.add(r.wireName()));
    c.receive("0"); // a second CONNECT for "/"
    assertEquals(List.of("forced server close"), reasons);
  }

  @Test
  void disconnectListenersRunOnceEvenWhenTheConnectionDropsAfterwards() {
    List<String> reasons = new ArrayList<>();
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.onDisconnect(r -> reasons.add(r.wireName()));
    c.receive("1");
    c.drop(CloseReason.TRANSPORT_CLOSE);
    s.disconnect(true);
    assertEquals(List.of("client namespace disconnect"), reasons);
  }

  @Test
  void aFailingDisconnectListenerDoesNotStopTheOthers() {
    try (LogCapture log = LogCapture.of(Socket.class)) {
      List<String> ran = new ArrayList<>();
      FakeEngineIoConnection c = sio.client();
      Socket s = sio.socket(c);
      s.onDisconnecting(reason -> {
        throw new IllegalStateException("bug");
      });
      s.onDisconnecting(reason -> ran.add("disconnecting"));
      s.onDisconnect(reason -> {
        throw new IllegalStateException("bug");
      });
      s.onDisconnect(reason -> ran.add("disconnect"));
      c.drop(CloseReason.TRANSPORT_CLOSE);
      assertEquals(List.of("disconnecting", "disconnect"), ran);
      assertEquals(List.of("disconnect listener failed", "disconnect listener failed"), log.messages(Level.WARNING));
    }
  }

  // ------------------------------------------------------------------ data

  @Test
  void dataIsOneMapForTheLifeOfTheSocket() {
    List<Object> seen = new ArrayList<>();
    sio.io().use((socket, next) -> {
      socket.data().put("user", "ada");
      next.proceed();
    });
    sio.io().onConnection(socket -> {
      socket.on("count", (args, ack) -> socket.data().merge("count", 1, (a, b) -> (Integer) a + (Integer) b));
      socket.on("show", (args, ack) -> seen.add(socket.data().get("user") + " " + socket.data().get("count")));
    });
    FakeEngineIoConnection c = sio.client();
    c.receive("2[\"count\"]");
    c.receive("2[\"count\"]");
    c.receive("2[\"show\"]");
    assertEquals(List.of("ada 2"), seen);
    assertSame(sio.socket(c).data(), sio.socket(c).data());
  }

  @Test
  void dataStartsEmpty() {
    FakeEngineIoConnection c = sio.client();
    assertTrue(sio.socket(c).data().isEmpty());
  }
}
