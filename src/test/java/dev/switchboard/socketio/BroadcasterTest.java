package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link Broadcaster}: the one broadcast API of the server, a namespace, a dynamic namespace and
 * an operator. Every case below runs against all four, each with two connected clients, in memory.
 * (What each action does in detail: {@code ServerBroadcastTest}; acknowledgements:
 * {@code BroadcastAckTest}.)
 */
class BroadcasterTest {
  /** The adapter flags each broadcast reached the adapter with, across every namespace. */
  private static final class FlagRecorder extends InMemoryAdapter {
    final List<BroadcastFlags> seen;

    FlagRecorder(AdapterNamespace ns, List<BroadcastFlags> seen) {
      super(ns);
      this.seen = seen;
    }

    @Override
    public void broadcast(SocketIoPacket packet, BroadcastOptions options) {
      seen.add(options.flags());
      super.broadcast(packet, options);
    }
  }

  /** One of the four broadcasters, with two clients in what it selects. */
  private enum Kind {
    SERVER("0", "0", "", ""),
    NAMESPACE("0/admin,", "0/admin,", "/admin,", "/admin,"),
    PARENT("0/team-1,", "0/team-2,", "/team-1,", "/team-2,"),
    OPERATOR("0", "0", "", "");

    final String connect1;
    final String connect2;
    final String prefix1;
    final String prefix2;

    Kind(String connect1, String connect2, String prefix1, String prefix2) {
      this.connect1 = connect1;
      this.connect2 = connect2;
      this.prefix1 = prefix1;
      this.prefix2 = prefix2;
    }
  }

  private static final class Setup implements AutoCloseable {
    final List<BroadcastFlags> flags = Collections.synchronizedList(new ArrayList<>());
    final InMemorySocketIo sio;
    final Broadcaster broadcaster;
    final FakeEngineIoConnection c1;
    final FakeEngineIoConnection c2;
    final Kind kind;

    Setup(Kind kind) {
      this.kind = kind;
      sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(ns -> new FlagRecorder(ns, flags)).build());
      SocketIoServer io = sio.io();
      ParentNamespace teams = io.of(Pattern.compile("^/team-\\d+$"));
      io.onConnection(socket -> socket.join("r"));
      io.of("/admin").onConnection(socket -> { });
      Function<SocketIoServer, Broadcaster> pick = switch (kind) {
        case SERVER -> s -> s;
        case NAMESPACE -> s -> s.of("/admin");
        case PARENT -> s -> teams;
        case OPERATOR -> s -> s.in("r");
      };
      broadcaster = pick.apply(io);
      c1 = sio.connect();
      c1.receive(kind.connect1);
      c2 = sio.connect();
      c2.receive(kind.connect2);
      c1.takeSent();
      c2.takeSent();
    }

    List<String> sent1() {
      return c1.takeSent();
    }

    List<String> sent2() {
      return c2.takeSent();
    }

    @Override
    public void close() {
      sio.close();
    }
  }

  @Test
  void everyBroadcasterMethodIsImplementedByTheOperatorItself() {
    // The interface's defaults delegate to operator(); an operator is its own operator(), so a
    // method it did not implement would call itself for ever.
    for (Method m : Broadcaster.class.getMethods()) {
      Method impl;
      try {
        impl = BroadcastOperator.class.getMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        throw new AssertionError(e);
      }
      assertEquals(BroadcastOperator.class, impl.getDeclaringClass(), m.toString());
    }
  }

  @Test
  void theServerNamespacesParentsAndOperatorsAreBroadcasters() {
    Set<String> api = java.util.Arrays.stream(Broadcaster.class.getMethods()).map(Method::getName)
        .collect(Collectors.toSet());
    assertEquals(Set.of("operator", "to", "in", "except", "asVolatile", "local", "compress", "timeout", "emit",
        "emitWithAck", "fetchSockets", "socketsJoin", "socketsLeave", "disconnectSockets"), api);
    for (Class<?> c : List.of(SocketIoServer.class, Namespace.class, ParentNamespace.class, BroadcastOperator.class)) {
      assertTrue(Broadcaster.class.isAssignableFrom(c), c.getSimpleName());
    }
  }

  @Test
  void emitReachesEverySelectedSocket() {
    for (Kind k : Kind.values()) {
      try (Setup s = new Setup(k)) {
        s.broadcaster.emit("news", 1);
        assertEquals(List.of("2" + k.prefix1 + "[\"news\",1]"), s.sent1(), k.name());
        assertEquals(List.of("2" + k.prefix2 + "[\"news\",1]"), s.sent2(), k.name());
      }
    }
  }

  @Test
  void toInAndExceptNarrowTheSelection() {
    for (Kind k : Kind.values()) {
      try (Setup s = new Setup(k)) {
        String first = s.broadcaster.fetchSockets().join().stream().map(RemoteSocket::id).sorted().findFirst().orElseThrow();
        s.broadcaster.except(first).emit("not-first");
        s.broadcaster.to(first).emit("first");
        s.broadcaster.in(first).emit("first-again");
        assertEquals(List.of("2" + k.prefix1 + "[\"first\"]", "2" + k.prefix1 + "[\"first-again\"]"), s.sent1(), k.name());
        if (k == Kind.OPERATOR) {
          // io.in("r") already selects room r; to/in add rooms (a union, as in Node), so both still get them.
          assertEquals(List.of("2[\"not-first\"]", "2[\"first\"]", "2[\"first-again\"]"), s.sent2());
        } else {
          assertEquals(List.of("2" + k.prefix2 + "[\"not-first\"]"), s.sent2(), k.name());
        }
      }
    }
  }

  @Test
  void asVolatileIsDroppedForABusyClientAndFlagged() {
    for (Kind k : Kind.values()) {
      try (Setup s = new Setup(k)) {
        s.c2.dropVolatile(true);
        s.broadcaster.asVolatile().emit("tick");
        assertEquals(List.of("2" + k.prefix1 + "[\"tick\"]"), s.sent1(), k.name());
        assertEquals(List.of(), s.sent2(), k.name());
        assertTrue(s.flags.stream().allMatch(BroadcastFlags::isVolatile), k.name());
      }
    }
  }

  @Test
  void localAndCompressReachTheAdapterAsFlags() {
    for (Kind k : Kind.values()) {
      try (Setup s = new Setup(k)) {
        s.broadcaster.local().emit("a");
        assertTrue(s.flags.stream().allMatch(BroadcastFlags::local), k.name());
        s.flags.clear();
        s.broadcaster.compress(false).emit("b");
        assertTrue(s.flags.stream().noneMatch(BroadcastFlags::compress), k.name());
        assertFalse(s.flags.isEmpty());
        assertEquals(2, s.sent1().size());
        assertEquals(2, s.sent2().size());
      }
    }
  }

  @Test
  void fetchSocketsJoinAndLeave() {
    for (Kind k : Kind.values()) {
      try (Setup s = new Setup(k)) {
        assertEquals(2, s.broadcaster.fetchSockets().join().size(), k.name());
        s.broadcaster.socketsJoin("j");
        assertTrue(s.broadcaster.fetchSockets().join().stream().allMatch(x -> x.rooms().contains("j")), k.name());
        s.broadcaster.socketsLeave("j");
        assertTrue(s.broadcaster.fetchSockets().join().stream().noneMatch(x -> x.rooms().contains("j")), k.name());
        assertEquals(2, s.broadcaster.fetchSockets().join().size(), k.name());
      }
    }
  }

  @Test
  void disconnectSocketsWithoutArgumentKeepsTheConnectionsOpen() {
    for (Kind k : Kind.values()) {
      try (Setup s = new Setup(k)) {
        s.broadcaster.disconnectSockets();
        assertEquals(List.of("1" + k.prefix1), s.sent1(), k.name());
        assertEquals(List.of("1" + k.prefix2), s.sent2(), k.name());
        assertFalse(s.c1.closedByServer());
        assertFalse(s.c2.closedByServer());
      }
    }
  }

  @Test
  void disconnectSocketsWithCloseClosesTheConnections() {
    for (Kind k : Kind.values()) {
      try (Setup s = new Setup(k)) {
        s.broadcaster.disconnectSockets(true);
        assertTrue(s.c1.closedByServer(), k.name());
        assertTrue(s.c2.closedByServer(), k.name());
      }
    }
  }

  // ------------------------------------------------------------------ the socket's own forms

  @Test
  void socketDisconnectWithoutArgumentLeavesTheNamespaceOnly() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      List<DisconnectReason> reasons = new ArrayList<>();
      sio.io().onConnection(socket -> {
        socket.onDisconnect(reasons::add);
        socket.on("leave", (args, ack) -> socket.disconnect());
      });
      sio.io().of("/other").onConnection(socket -> { });
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      c.receive("0/other,");
      c.takeSent();
      c.receive("2[\"leave\"]");
      assertEquals(List.of("1"), c.takeSent());
      assertEquals(List.of(DisconnectReason.SERVER_NAMESPACE_DISCONNECT), reasons);
      assertFalse(c.closedByServer());
      assertEquals(1, sio.io().of("/other").sockets().size());
    }
  }

  @Test
  void socketAsVolatileIsDroppedForABusyClient() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      List<Socket> sockets = new ArrayList<>();
      sio.io().onConnection(sockets::add);
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      c.takeSent();
      sockets.get(0).asVolatile().emit("tick", 1);
      c.dropVolatile(true);
      sockets.get(0).asVolatile().emit("tick", 2);
      assertEquals(List.of("2[\"tick\",1]"), c.sent());
    }
  }
}
