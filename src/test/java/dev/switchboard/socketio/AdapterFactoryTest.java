package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Which adapter each namespace gets: the {@code adapter} option (which reaches "/", made in the
 * server's constructor), {@code io.adapter(factory)} afterwards (re-creating the adapters of
 * namespaces without sockets, as Node's {@code io.adapter()} re-initialises them, and refusing
 * once sockets are connected), and what an adapter sees of its namespace.
 */
class AdapterFactoryTest {
  /** An in-memory adapter that records the namespace it serves and the events it broadcast. */
  private static final class Recording extends InMemoryAdapter {
    final String label;
    final AdapterNamespace ns;
    final List<String> broadcasts;

    Recording(String label, AdapterNamespace ns, List<String> broadcasts) {
      super(ns);
      this.label = label;
      this.ns = ns;
      this.broadcasts = broadcasts;
    }

    @Override
    public void broadcast(SocketIoPacket packet, BroadcastOptions options) {
      broadcasts.add(label + " " + ns.name() + " " + packet.data().get(0).asText());
      super.broadcast(packet, options);
    }

    @Override
    public void close() {
      broadcasts.add(label + " " + ns.name() + " closed");
    }
  }

  private static AdapterFactory recording(String label, List<String> broadcasts) {
    return ns -> new Recording(label, ns, broadcasts);
  }

  @Test
  void theOptionReachesTheMainNamespaceMadeInTheConstructor() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    SocketIoOptions options = SocketIoOptions.builder().adapter(recording("opt", seen)).build();
    try (InMemorySocketIo sio = new InMemorySocketIo(options)) {
      assertInstanceOf(Recording.class, sio.io().sockets().adapter());
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      sio.io().emit("hello");
      sio.io().of("/admin").emit("hi");
      assertEquals(List.of("opt / hello", "opt /admin hi"), seen);
      assertEquals(List.of("0{\"sid\":\"id1\"}", "2[\"hello\"]"), c.sent());
    }
  }

  @Test
  void adapterAfterConstructionReplacesTheAdaptersOfNamespacesWithoutSockets() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      SocketIoServer io = sio.io();
      Adapter before = io.sockets().adapter();
      io.of("/admin");
      ParentNamespace teams = io.of(Pattern.compile("^/team-\\d+$"));
      assertSame(io, io.adapter(recording("later", seen)));
      assertNotSame(before, io.sockets().adapter());
      assertInstanceOf(Recording.class, io.sockets().adapter());
      assertInstanceOf(Recording.class, io.of("/admin").adapter());
      assertInstanceOf(Recording.class, io.of("/new").adapter());

      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      c.receive("0/team-7,");
      io.emit("a");
      teams.emit("b");
      assertEquals(List.of("later / a", "later /team-7 b"), seen);
      assertEquals(List.of("0{\"sid\":\"id1\"}", "0/team-7,{\"sid\":\"id2\"}", "2[\"a\"]", "2/team-7,[\"b\"]"), c.sent());
    }
  }

  @Test
  void adapterIsRefusedOnceSocketsAreConnected() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      SocketIoServer io = sio.io();
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      io.sockets().sockets().values().forEach(s -> s.join("room"));
      Adapter before = io.sockets().adapter();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> io.adapter(recording("x", new ArrayList<>())));
      assertTrue(e.getMessage().startsWith("cannot replace the adapter: namespace / has 1 connected socket(s)"),
          e.getMessage());
      assertSame(before, io.sockets().adapter());
      assertEquals(1, io.to("room").fetchSockets().join().size(), "the rooms are where they were");
      assertThrows(NullPointerException.class, () -> io.adapter(null));
    }
  }

  @Test
  void aFactoryThatReturnsNullIsRefusedByName() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      NullPointerException e = assertThrows(NullPointerException.class, () -> sio.io().adapter(ns -> null));
      assertEquals("the adapter factory returned null", e.getMessage());
    }
  }

  @Test
  void theAdapterSeesItsNamespacesNameSocketsAndAckCounter() {
    List<Recording> made = Collections.synchronizedList(new ArrayList<>());
    SocketIoOptions options = SocketIoOptions.builder().adapter(ns -> {
      Recording r = new Recording("r", ns, new ArrayList<>());
      made.add(r);
      return r;
    }).build();
    try (InMemorySocketIo sio = new InMemorySocketIo(options)) {
      List<Socket> sockets = new ArrayList<>();
      sio.io().onConnection(sockets::add);
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      AdapterNamespace view = made.get(0).ns;
      assertEquals("/", view.name());
      assertSame(sockets.get(0), view.socket("id1"));
      assertEquals(null, view.socket("nobody"));
      // One counter for the namespace: the socket's own emitWithAck and the adapter share it.
      assertEquals(0, view.nextAckId());
      sockets.get(0).emitWithAck("q");
      assertEquals(2, view.nextAckId());
      assertEquals("21[\"q\"]", c.sent().get(1));
    }
  }

  // ------------------------------------------------------------------ closing

  @Test
  void closingTheServerClosesEveryNamespacesAdapter() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(recording("a", seen)).build());
    sio.io().of("/admin");
    sio.io().of(Pattern.compile("^/team-\\d+$"));
    sio.connect().receive("0/team-1,");
    sio.close();
    assertEquals(java.util.Set.of("a / closed", "a /admin closed", "a /team-1 closed"), new java.util.HashSet<>(seen));
  }

  @Test
  void aReplacedAdapterIsClosed() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(recording("old", seen)).build())) {
      sio.io().adapter(recording("new", seen));
      assertEquals(List.of("old / closed"), seen);
    }
  }

  @Test
  void anEmptyChildThatIsRemovedHasItsAdapterClosed() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    SocketIoOptions options = SocketIoOptions.builder().adapter(recording("a", seen)).cleanupEmptyChildNamespaces(true).build();
    try (InMemorySocketIo sio = new InMemorySocketIo(options)) {
      sio.io().of(Pattern.compile("^/team-\\d+$"));
      FakeEngineIoConnection c = sio.connect();
      c.receive("0/team-1,");
      c.receive("1/team-1,");
      assertEquals(List.of("a /team-1 closed"), seen);
    }
  }
}
