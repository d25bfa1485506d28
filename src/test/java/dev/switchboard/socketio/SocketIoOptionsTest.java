package dev.switchboard.socketio;

import dev.switchboard.socketio.protocol.SocketIoParser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** {@link SocketIoOptions} and its {@link SocketIoOptions.Recovery}: builders, defaults, no nulls, and their effect. */
class SocketIoOptionsTest {
  @Test
  void defaultsAreNodes() {
    SocketIoOptions o = SocketIoOptions.DEFAULTS;
    assertEquals(Duration.ofSeconds(45), o.connectTimeout());
    assertEquals(5, o.maxFailedConnects());
    assertEquals(Optional.empty(), o.ackTimeout());
    assertEquals(Optional.empty(), o.recovery());
    assertFalse(o.cleanupEmptyChildNamespaces());
    assertEquals(SocketIoParser.DEFAULT, o.parser());
    assertEquals("/socket.io/", o.engine().path());
    assertEquals(Duration.ofMinutes(2), SocketIoOptions.Recovery.DEFAULTS.maxDisconnectionDuration());
    assertTrue(SocketIoOptions.Recovery.DEFAULTS.skipMiddlewares());
    assertEquals(SocketIoOptions.DEFAULTS, SocketIoOptions.builder().build());
  }

  @Test
  void eachSetterSetsItsOwnValueAndToBuilderKeepsTheRest() {
    AdapterFactory factory = InMemoryAdapter::new;
    SocketIoOptions.Recovery recovery = SocketIoOptions.Recovery.builder()
        .maxDisconnectionDuration(Duration.ofMinutes(5)).skipMiddlewares(false).build();
    SocketIoOptions o = SocketIoOptions.builder()
        .connectTimeout(Duration.ofSeconds(3))
        .maxFailedConnects(9)
        .ackTimeout(Duration.ofSeconds(7))
        .recovery(recovery)
        .cleanupEmptyChildNamespaces(true)
        .adapter(factory)
        .parser(SocketIoParser.MSGPACK)
        .build();
    assertEquals(Duration.ofSeconds(3), o.connectTimeout());
    assertEquals(9, o.maxFailedConnects());
    assertEquals(Optional.of(Duration.ofSeconds(7)), o.ackTimeout());
    assertEquals(Optional.of(recovery), o.recovery());
    assertEquals(Duration.ofMinutes(5), o.recovery().orElseThrow().maxDisconnectionDuration());
    assertFalse(o.recovery().orElseThrow().skipMiddlewares());
    assertTrue(o.cleanupEmptyChildNamespaces());
    assertEquals(factory, o.adapter());
    assertEquals(SocketIoParser.MSGPACK, o.parser());

    SocketIoOptions changed = o.toBuilder().connectTimeout(Duration.ofSeconds(9)).build();
    assertEquals(Duration.ofSeconds(9), changed.connectTimeout());
    assertEquals(o.ackTimeout(), changed.ackTimeout());
    assertEquals(9, changed.maxFailedConnects());
    assertNotEquals(o, o.toBuilder().maxFailedConnects(5).build());
    assertEquals(o.recovery(), changed.recovery());
    assertTrue(changed.cleanupEmptyChildNamespaces());
    assertEquals(SocketIoParser.MSGPACK, changed.parser());
    assertNotEquals(o, o.toBuilder().parser(SocketIoParser.DEFAULT).build());
    assertNotEquals(o, changed);
    assertEquals(o, o.toBuilder().build());
    assertEquals(o.hashCode(), o.toBuilder().build().hashCode());

    SocketIoOptions off = o.toBuilder().noAckTimeout().noRecovery().build();
    assertEquals(Optional.empty(), off.ackTimeout());
    assertEquals(Optional.empty(), off.recovery());
    assertEquals(recovery, recovery.toBuilder().build());
  }

  @Test
  void nullsAndNonPositiveDurationsAreRefusedByName() {
    SocketIoOptions.Builder b = SocketIoOptions.builder();
    assertEquals("ackTimeout", assertThrows(NullPointerException.class, () -> b.ackTimeout(null)).getMessage());
    assertEquals("recovery", assertThrows(NullPointerException.class, () -> b.recovery(null)).getMessage());
    assertEquals("engine", assertThrows(NullPointerException.class, () -> b.engine(null)).getMessage());
    assertEquals("net", assertThrows(NullPointerException.class, () -> b.net(null)).getMessage());
    assertEquals("limits", assertThrows(NullPointerException.class, () -> b.limits(null)).getMessage());
    assertEquals("adapter", assertThrows(NullPointerException.class, () -> b.adapter(null)).getMessage());
    assertEquals("parser", assertThrows(NullPointerException.class, () -> b.parser(null)).getMessage());
    assertEquals("connectTimeout must be positive, got PT0S",
        assertThrows(IllegalArgumentException.class, () -> b.connectTimeout(Duration.ZERO)).getMessage());
    assertEquals("ackTimeout must be positive, got PT-1S",
        assertThrows(IllegalArgumentException.class, () -> b.ackTimeout(Duration.ofSeconds(-1))).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> SocketIoOptions.Recovery.builder().maxDisconnectionDuration(Duration.ZERO));
    assertEquals("maxFailedConnects must be 1 to 100, got 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxFailedConnects(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.maxFailedConnects(101));
  }

  @Test
  void ackTimeoutFailsAnEmitWithAckThatGaveNoTimeOfItsOwn() throws Exception {
    SocketIoOptions options = SocketIoOptions.builder().ackTimeout(Duration.ofSeconds(2)).build();
    try (InMemorySocketIo sio = new InMemorySocketIo(options)) {
      List<CompletableFuture<Args>> asked = new java.util.ArrayList<>();
      sio.io().onConnection(socket -> asked.add(socket.emitWithAck("question")));
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      assertEquals(List.of("0{\"sid\":\"id1\"}", "20[\"question\"]"), c.takeSent());
      sio.clock.advanceBy(Duration.ofMillis(1999));
      assertFalse(asked.get(0).isDone());
      sio.clock.advanceBy(Duration.ofMillis(1));
      ExecutionException e = assertThrows(ExecutionException.class, () -> asked.get(0).get());
      assertInstanceOf(AckTimeoutException.class, e.getCause());
    }
  }

  @Test
  void withoutAckTimeoutAnEmitWithAckWaitsForTheAnswer() throws Exception {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      List<CompletableFuture<Args>> asked = new java.util.ArrayList<>();
      sio.io().onConnection(socket -> asked.add(socket.emitWithAck("question")));
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      sio.clock.advanceBy(Duration.ofDays(1));
      assertFalse(asked.get(0).isDone());
      c.receive("30[42]");
      assertEquals(42, asked.get(0).get().get(0).asInt());
    }
  }

  @Test
  void recoveryOnAddsAPrivateIdToTheConnectAnswer() {
    SocketIoOptions options = SocketIoOptions.builder().recovery(SocketIoOptions.Recovery.DEFAULTS).build();
    try (InMemorySocketIo sio = new InMemorySocketIo(options)) {
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      // ids are drawn in order: the pid from two draws, then the socket id.
      assertEquals(List.of("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}"), c.sent());
    }
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      assertEquals(List.of("0{\"sid\":\"id1\"}"), c.sent());
    }
  }

  @Test
  void connectTimeoutClosesAConnectionThatJoinsNoNamespace() {
    SocketIoOptions options = SocketIoOptions.builder().connectTimeout(Duration.ofSeconds(3)).build();
    try (InMemorySocketIo sio = new InMemorySocketIo(options)) {
      FakeEngineIoConnection c = sio.connect();
      sio.clock.advanceBy(Duration.ofMillis(2999));
      assertFalse(c.closedByServer());
      sio.clock.advanceBy(Duration.ofMillis(1));
      assertTrue(c.closedByServer());
    }
  }
}
