package dev.switchboard.socketio.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.socketio.protocol.SocketIoEncoder;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link InMemoryAdapter} on its own, under a fake namespace and fake sockets: room membership
 * both ways with eager cleanup (socket.io-adapter {@code addAll}/{@code del}/{@code delAll}),
 * selection by rooms and exceptions, and broadcasts encoded once; also the adapter's value types
 * {@link BroadcastFlags}, {@link BroadcastOptions} and {@link Outgoing}.
 */
class InMemoryAdapterTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What the adapter did to the sockets, in order, across all of them. */
  private final List<String> log = new ArrayList<>();

  private final class FakeSocket implements AdapterSocket {
    final String id;
    final List<Outgoing> delivered = new ArrayList<>();
    final List<BroadcastFlags> flags = new ArrayList<>();
    final Map<Long, AckSink> acks = new LinkedHashMap<>();

    FakeSocket(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public void deliver(Outgoing packet, BroadcastFlags f) {
      log.add("deliver " + id);
      delivered.add(packet);
      flags.add(f);
    }

    @Override
    public void expectAck(long ackId, AckSink listener) {
      log.add("expectAck " + id + " " + ackId);
      acks.put(ackId, listener);
    }
  }

  private final class FakeNamespace implements AdapterNamespace {
    final Map<String, FakeSocket> sockets = new LinkedHashMap<>();
    /** What the adapter had the namespace do to its sockets: joins, leaves, disconnections. */
    final List<String> joined = new ArrayList<>();
    final AtomicLong ackIds = new AtomicLong(5);

    @Override
    public String name() {
      return "/";
    }

    @Override
    public AdapterSocket socket(String id) {
      return sockets.get(id);
    }

    @Override
    public SocketDetails details(String socketId) {
      return socket(socketId) == null ? null
          : SocketDetails.of(socketId, NODES.objectNode(), Set.of(socketId), NODES.objectNode());
    }

    @Override
    public void join(String socketId, Set<String> rooms) {
      joined.add(socketId + " +" + new java.util.TreeSet<>(rooms));
    }

    @Override
    public void leave(String socketId, Set<String> rooms) {
      joined.add(socketId + " -" + new java.util.TreeSet<>(rooms));
    }

    @Override
    public void disconnect(String socketId, boolean close) {
      joined.add(socketId + " disconnect close=" + close);
    }

    @Override
    public void dispatchServerSideEmit(ArrayNode packet, java.util.function.Consumer<ArrayNode> ack) {
      joined.add("server-side " + packet);
    }

    @Override
    public long nextAckId() {
      return ackIds.getAndIncrement();
    }

    @Override
    public java.util.Optional<java.time.Duration> maxDisconnectionDuration() {
      return java.util.Optional.empty();
    }

    @Override
    public dev.switchboard.scheduling.Scheduler scheduler() {
      return new dev.switchboard.testing.FakeScheduler();
    }

    @Override
    public java.util.concurrent.Executor completions() {
      return Runnable::run;
    }

    FakeSocket add(String id) {
      FakeSocket s = new FakeSocket(id);
      sockets.put(id, s);
      return s;
    }
  }

  private final FakeNamespace ns = new FakeNamespace();
  private final InMemoryAdapter adapter = new InMemoryAdapter(ns);

  private static BroadcastOptions select(Set<String> rooms, Set<String> except) {
    return new BroadcastOptions(rooms, except, BroadcastFlags.NONE);
  }

  private static SocketIoPacket event(Object... args) {
    ArrayNode data = NODES.arrayNode();
    for (Object a : args) data.add(a instanceof byte[] b ? BinaryNode.valueOf(b) : NODES.textNode((String) a));
    return SocketIoPacket.event("/", data);
  }

  // ------------------------------------------------------------------ membership

  @Test
  void addAllJoinsRoomsAndBothDirectionsAgree() {
    adapter.addAll("s1", Set.of("s1", "a", "b"));
    adapter.addAll("s2", Set.of("s2", "b"));
    assertEquals(Set.of("s1", "a", "b"), adapter.socketRooms("s1"));
    assertEquals(Set.of("s2", "b"), adapter.socketRooms("s2"));
    assertEquals(Set.of("s1", "s2", "a", "b"), adapter.rooms());
    assertEquals(Set.of("s1", "s2"), adapter.sockets(select(Set.of("b"), Set.of())));
  }

  @Test
  void delLeavesOneRoomAndAnEmptyRoomIsRemovedAtOnce() {
    adapter.addAll("s1", Set.of("s1", "a", "b"));
    adapter.addAll("s2", Set.of("s2", "b"));
    adapter.del("s1", "a");
    adapter.del("s1", "b");
    adapter.del("s1", "not-joined");
    adapter.del("unknown", "b");
    assertEquals(Set.of("s1"), adapter.socketRooms("s1"));
    assertEquals(Set.of("s1", "s2", "b"), adapter.rooms(), "room a is gone, b still has s2");
    adapter.del("s1", "s1");
    assertEquals(Set.of(), adapter.socketRooms("s1"));
    assertEquals(Set.of("s2"), adapter.sockets(BroadcastOptions.all()), "a socket in no room is forgotten");
  }

  @Test
  void delAllLeavesEveryRoom() {
    adapter.addAll("s1", Set.of("s1", "a", "b"));
    adapter.addAll("s2", Set.of("s2", "b"));
    adapter.delAll("s1");
    adapter.delAll("s1");
    adapter.delAll("unknown");
    assertEquals(Set.of(), adapter.socketRooms("s1"));
    assertEquals(Set.of("s2", "b"), adapter.rooms());
    assertEquals(Set.of("s2"), adapter.sockets(BroadcastOptions.all()));
  }

  @Test
  void roomCreationAndRemovalAreReportedInOrderToASubclass() {
    List<String> events = new ArrayList<>();
    InMemoryAdapter hooked = new InMemoryAdapter(ns) {
      @Override
      protected void roomCreated(String room, boolean isSocketId) {
        assertTrue(Thread.holdsLock(this), "under the adapter's monitor, in membership order");
        events.add("+" + room + (isSocketId ? " (socket id)" : ""));
      }

      @Override
      protected void roomDeleted(String room) {
        assertTrue(Thread.holdsLock(this));
        events.add("-" + room);
      }
    };
    hooked.addAll("s1", new java.util.LinkedHashSet<>(List.of("s1", "a")));
    hooked.addAll("s2", new java.util.LinkedHashSet<>(List.of("s2", "a", "s1")));
    assertEquals(List.of("+s1 (socket id)", "+a", "+s2 (socket id)"), events, "a room is created once, by its first member");
    hooked.del("s1", "a");
    assertEquals(List.of("+s1 (socket id)", "+a", "+s2 (socket id)"), events, "a still has s2");
    hooked.delAll("s2");
    assertEquals(Set.of("-a", "-s2"), Set.copyOf(events.subList(3, events.size())), "s1 keeps s1's own room");
    hooked.delAll("s1");
    assertEquals("-s1", events.get(events.size() - 1));
    assertEquals(Set.of(), hooked.rooms());
  }

  @Test
  void socketRoomsAndRoomsAreUnmodifiableSnapshots() {
    adapter.addAll("s1", Set.of("s1", "a"));
    Set<String> mine = adapter.socketRooms("s1");
    Set<String> all = adapter.rooms();
    adapter.addAll("s1", Set.of("b"));
    assertEquals(Set.of("s1", "a"), mine);
    assertEquals(Set.of("s1", "a"), all);
    assertThrows(UnsupportedOperationException.class, () -> mine.add("x"));
    assertThrows(UnsupportedOperationException.class, () -> all.add("x"));
    assertEquals(Set.of(), adapter.socketRooms("unknown"));
  }

  // ------------------------------------------------------------------ selection

  @Test
  void socketsSelectsByRoomsAndExceptions() {
    adapter.addAll("s1", Set.of("s1", "red"));
    adapter.addAll("s2", Set.of("s2", "blue"));
    adapter.addAll("s3", Set.of("s3", "red", "blue"));
    adapter.addAll("s4", Set.of("s4"));
    assertEquals(Set.of("s1", "s2", "s3", "s4"), adapter.sockets(BroadcastOptions.all()));
    assertEquals(Set.of("s1", "s3"), adapter.sockets(select(Set.of("red"), Set.of())));
    assertEquals(Set.of("s1", "s2", "s3"), adapter.sockets(select(Set.of("red", "blue"), Set.of())));
    assertEquals(Set.of("s1"), adapter.sockets(select(Set.of("red"), Set.of("blue"))));
    assertEquals(Set.of("s4"), adapter.sockets(select(Set.of(), Set.of("red", "blue"))));
    assertEquals(Set.of("s2", "s3", "s4"), adapter.sockets(select(Set.of(), Set.of("s1"))), "an id is a room");
    assertEquals(Set.of(), adapter.sockets(select(Set.of("nobody"), Set.of())));
  }

  // ------------------------------------------------------------------ broadcast

  @Test
  void aBroadcastIsEncodedOnceAndTheSameOutgoingGoesToEveryTarget() {
    FakeSocket s1 = ns.add("s1");
    FakeSocket s2 = ns.add("s2");
    FakeSocket s3 = ns.add("s3");
    adapter.addAll("s1", Set.of("s1", "r"));
    adapter.addAll("s2", Set.of("s2", "r"));
    adapter.addAll("s3", Set.of("s3"));
    BroadcastFlags flags = BroadcastFlags.NONE.withVolatile();
    adapter.broadcast(event("x", new byte[] {1}), new BroadcastOptions(Set.of("r"), Set.of(), flags));
    assertEquals(1, s1.delivered.size());
    assertSame(s1.delivered.get(0), s2.delivered.get(0));
    assertEquals(List.of(), s3.delivered);
    Outgoing out = s1.delivered.get(0);
    assertEquals("51-[\"x\",{\"_placeholder\":true,\"num\":0}]", out.encoded().text());
    assertTrue(out.message().isBroadcast(), "frames built once for many recipients");
    assertEquals(List.of(flags), s1.flags);
    assertEquals(List.of(flags), s2.flags);
  }

  @Test
  void everySelectionShapeDeliversToTheSameSockets() {
    FakeSocket s1 = ns.add("s1");
    FakeSocket s2 = ns.add("s2");
    FakeSocket s3 = ns.add("s3");
    adapter.addAll("s1", Set.of("s1", "a"));
    adapter.addAll("s2", Set.of("s2", "b"));
    adapter.addAll("s3", Set.of("s3", "a", "b"));
    adapter.broadcast(event("all"), BroadcastOptions.all());
    adapter.broadcast(event("a-but-s3"), select(Set.of("a"), Set.of("s3")));
    adapter.broadcast(event("a-or-b-but-a"), select(Set.of("a", "b"), Set.of("a")));
    adapter.broadcast(event("all-but-a-and-b"), select(Set.of(), Set.of("a", "b")));
    assertEquals(List.of("2[\"all\"]", "2[\"a-but-s3\"]"), texts(s1));
    assertEquals(List.of("2[\"all\"]", "2[\"a-or-b-but-a\"]"), texts(s2));
    assertEquals(List.of("2[\"all\"]"), texts(s3));
  }

  private static List<String> texts(FakeSocket s) {
    List<String> out = new ArrayList<>();
    for (Outgoing o : s.delivered) out.add(o.encoded().text());
    return out;
  }

  @Test
  void aMemberTheNamespaceNoLongerKnowsIsSkipped() {
    FakeSocket s1 = ns.add("s1");
    adapter.addAll("s1", Set.of("s1"));
    adapter.addAll("gone", Set.of("gone"));
    adapter.broadcast(event("x"), BroadcastOptions.all());
    adapter.broadcast(event("y"), select(Set.of("s1", "gone"), Set.of()));
    assertEquals(List.of("2[\"x\"]", "2[\"y\"]"), texts(s1));
    assertFalse(s1.delivered.get(0).message().isBroadcast(), "one recipient: no shared frames");
  }

  @Test
  void broadcastWithAckUsesOneAckIdForEveryRecipientAndCountsThem() {
    FakeSocket s1 = ns.add("s1");
    FakeSocket s2 = ns.add("s2");
    adapter.addAll("s1", Set.of("s1"));
    adapter.addAll("s2", Set.of("s2"));
    List<Integer> counts = new ArrayList<>();
    AckSink listener = new AckSink() {
      @Override public void onAck(String socketId, com.fasterxml.jackson.databind.node.ArrayNode args) { }
      @Override public void onDisconnect(String socketId) { }
    };
    adapter.broadcastWithAck(event("q"), BroadcastOptions.all(), counts::add, listener);
    assertEquals(List.of(2), counts);
    assertEquals(6, ns.ackIds.get(), "one id taken from the namespace counter");
    assertSame(s1.delivered.get(0), s2.delivered.get(0));
    assertEquals("25[\"q\"]", s1.delivered.get(0).encoded().text());
    assertSame(listener, s1.acks.get(5L));
    assertSame(listener, s2.acks.get(5L));
    assertEquals(List.of("expectAck s1 5", "expectAck s2 5", "deliver s1", "deliver s2"), log,
        "every recipient waits for the answer before any packet leaves");
  }

  @Test
  void broadcastWithAckToNobodyCountsZero() {
    List<Integer> counts = new ArrayList<>();
    adapter.broadcastWithAck(event("q"), select(Set.of("empty"), Set.of()), counts::add, new AckSink() {
      @Override public void onAck(String socketId, com.fasterxml.jackson.databind.node.ArrayNode args) { }
      @Override public void onDisconnect(String socketId) { }
    });
    assertEquals(List.of(0), counts);
    assertEquals(List.of(), log);
  }

  // ------------------------------------------------------------------ what spans a cluster, on one node

  @Test
  void fetchSocketsReportsTheSelectedSocketsOfTheNamespaceAtOnce() {
    ns.add("s1");
    ns.add("s2");
    adapter.addAll("s1", Set.of("s1", "r"));
    adapter.addAll("s2", Set.of("s2"));
    adapter.addAll("gone", Set.of("gone", "r"));
    java.util.concurrent.CompletableFuture<List<SocketDetails>> f = adapter.fetchSockets(select(Set.of("r"), Set.of()));
    assertTrue(f.isDone());
    assertEquals(List.of("s1"), f.join().stream().map(SocketDetails::id).toList(), "a member no longer connected is left out");
    assertEquals(Set.of("s1", "s2"),
        new HashSet<>(adapter.fetchSockets(BroadcastOptions.all()).join().stream().map(SocketDetails::id).toList()));
  }

  @Test
  void addSocketsDelSocketsAndDisconnectSocketsAskTheNamespaceForEachSelectedSocket() {
    ns.add("s1");
    ns.add("s2");
    adapter.addAll("s1", Set.of("s1", "r"));
    adapter.addAll("s2", Set.of("s2"));
    adapter.addSockets(select(Set.of("r"), Set.of()), Set.of("a", "b"));
    adapter.delSockets(select(Set.of(), Set.of("r")), Set.of("c"));
    adapter.disconnectSockets(BroadcastOptions.all(), true);
    assertEquals(List.of("s1 +[a, b]", "s2 -[c]", "s1 disconnect close=true", "s2 disconnect close=true"), ns.joined);
  }

  @Test
  void allRoomsIsThisNodesRooms() {
    adapter.addAll("s1", Set.of("s1", "r"));
    assertEquals(Set.of("s1", "r"), adapter.allRooms().join());
  }

  @Test
  void concurrentJoinsAndLeavesKeepBothDirectionsConsistent() throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String id = "s" + t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 2_000; i++) {
          adapter.addAll(id, Set.of("shared", "r" + (i % 3)));
          adapter.del(id, "r" + (i % 3));
        }
        adapter.addAll(id, Set.of(id));
        adapter.del(id, "shared");
      }));
    }
    for (Thread t : threads) t.start();
    for (Thread t : threads) t.join(10_000);
    assertEquals(Set.of("s0", "s1", "s2", "s3"), adapter.rooms());
    assertEquals(Set.of("s0", "s1", "s2", "s3"), adapter.sockets(BroadcastOptions.all()));
    for (int t = 0; t < 4; t++) assertEquals(Set.of("s" + t), adapter.socketRooms("s" + t));
  }

  // ------------------------------------------------------------------ value types

  @Test
  void broadcastFlagsDefaultToCompressedAndEachWithChangesOneFlag() {
    assertEquals(new BroadcastFlags(false, true, false), BroadcastFlags.NONE);
    assertEquals(new BroadcastFlags(true, true, false), BroadcastFlags.NONE.withVolatile());
    assertEquals(new BroadcastFlags(false, false, false), BroadcastFlags.NONE.withCompress(false));
    assertEquals(new BroadcastFlags(false, true, true), BroadcastFlags.NONE.withLocal());
    assertEquals(new BroadcastFlags(true, false, true),
        BroadcastFlags.NONE.withLocal().withCompress(false).withVolatile());
    assertEquals(java.util.Optional.empty(), BroadcastFlags.NONE.timeout());
    BroadcastFlags timed = BroadcastFlags.NONE.withVolatile().withTimeout(java.time.Duration.ofSeconds(2));
    assertEquals(new BroadcastFlags(true, true, false, java.util.Optional.of(java.time.Duration.ofSeconds(2))), timed);
    assertEquals(timed.timeout(), timed.withLocal().withCompress(false).timeout(), "the others keep the timeout");
  }

  @Test
  void aBroadcastTimeoutMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BroadcastFlags.NONE.withTimeout(java.time.Duration.ZERO));
    assertEquals("timeout must be positive, got PT0S", e.getMessage());
    assertThrows(NullPointerException.class, () -> new BroadcastFlags(false, true, false, null));
  }

  @Test
  void theInMemoryAdapterIsOneServerAndKeepsNothingForABroadcastWithAck() {
    assertEquals(1, adapter.serverCount().join());
    ns.add("s1");
    adapter.addAll("s1", Set.of("s1"));
    assertSame(dev.switchboard.scheduling.Cancellable.NONE, adapter.broadcastWithAck(event("q"), BroadcastOptions.all(),
        n -> { }, new AckSink() {
          @Override public void onAck(String socketId, ArrayNode args) { }
          @Override public void onDisconnect(String socketId) { }
        }));
  }

  @Test
  void broadcastOptionsCopyTheirSets() {
    Set<String> rooms = new HashSet<>(Set.of("a"));
    BroadcastOptions o = new BroadcastOptions(rooms, Set.of("b"), BroadcastFlags.NONE);
    rooms.add("later");
    assertEquals(Set.of("a"), o.rooms());
    assertThrows(UnsupportedOperationException.class, () -> o.except().add("x"));
    assertEquals(new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE), BroadcastOptions.all());
  }

  @Test
  void outgoingHoldsThePacketTextThenEachAttachmentAsEngineIoMessages() {
    SocketIoEncoder.Encoded encoded = SocketIoEncoder.encode(event("x", new byte[] {1, 2}, new byte[] {3}));
    Outgoing out = new Outgoing(encoded);
    assertSame(encoded, out.encoded());
    List<EngineIoPacket> packets = out.message().packets();
    assertEquals(3, packets.size());
    assertEquals("52-[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
        packets.get(0).text());
    assertEquals(List.of((byte) 1, (byte) 2), bytes(packets.get(1).binary()));
    assertEquals(List.of((byte) 3), bytes(packets.get(2).binary()));
    assertFalse(out.message().isBroadcast());
    assertTrue(new Outgoing(encoded, true).message().isBroadcast());
  }

  private static List<Byte> bytes(byte[] b) {
    List<Byte> out = new ArrayList<>();
    for (byte x : b) out.add(x);
    return out;
  }

  @Test
  void aMembershipListenerHearsEachRealJoinAndLeaveOnceAndCannotBreakTheRooms() {
    List<String> heard = new ArrayList<>();
    adapter.membershipListener(new MembershipListener() {
      @Override
      public void joined(String room, String socketId) {
        heard.add("+" + room + " " + socketId);
        if (room.equals("boom")) throw new IllegalStateException("listener bug");
      }

      @Override
      public void left(String room, String socketId) {
        heard.add("-" + room + " " + socketId);
      }
    });
    adapter.addAll("s1", Set.of("s1"));
    adapter.addAll("s1", Set.of("s1")); // already a member: nothing new
    adapter.del("s1", "nowhere");       // never a member: nothing left
    try (dev.switchboard.testing.LogLines logs = dev.switchboard.testing.LogLines.of(InMemoryAdapter.class.getName())) {
      adapter.addAll("s1", Set.of("boom"));
      assertEquals(1, logs.count(java.util.logging.Level.WARNING, "membership listener failed"), logs.lines().toString());
    }
    assertEquals(Set.of("s1", "boom"), adapter.socketRooms("s1"), "a throwing listener leaves the membership whole");
    adapter.del("s1", "boom");
    adapter.delAll("s1");
    assertEquals(List.of("+s1 s1", "+boom s1", "-boom s1", "-s1 s1"), heard);
    adapter.membershipListener(null);
    adapter.addAll("s2", Set.of("x"));
    assertEquals(4, heard.size());
  }
}
