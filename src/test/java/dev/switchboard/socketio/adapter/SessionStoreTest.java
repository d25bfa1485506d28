package dev.switchboard.socketio.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.testing.FakeScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The in-memory adapter as Node's {@code SessionAwareAdapter} (connection state recovery), on its
 * own under a fake namespace and a fake clock: which broadcasts get an offset ({@link Offsets}),
 * sessions kept and restored once with the packets that would have reached them
 * ({@link PersistedSession#isReachedBy}), expiry after {@code maxDisconnectionDuration}, and
 * nothing at all when recovery is off. End to end: {@code ConnectionRecoveryTest}.
 */
class SessionStoreTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final FakeScheduler clock = new FakeScheduler();

  /** A namespace of sockets that record the text of what they are delivered. */
  private final class Ns implements AdapterNamespace {
    final Map<String, List<String>> delivered = new LinkedHashMap<>();
    final Optional<Duration> recovery;
    /** What the adapter had the namespace do to its sockets: joins, leaves, disconnections. */
    final List<String> joined = new ArrayList<>();
    final AtomicLong ackIds = new AtomicLong();

    Ns(Optional<Duration> recovery) {
      this.recovery = recovery;
    }

    @Override
    public String name() {
      return "/";
    }

    @Override
    public AdapterSocket socket(String id) {
      List<String> texts = delivered.get(id);
      if (texts == null) return null;
      return new AdapterSocket() {
        @Override
        public String id() {
          return id;
        }

        @Override
        public void deliver(Outgoing packet, BroadcastFlags flags) {
          texts.add(packet.encoded().text());
        }

        @Override
        public void expectAck(long ackId, AckSink sink) { }
      };
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
    public Optional<Duration> maxDisconnectionDuration() {
      return recovery;
    }

    @Override
    public Scheduler scheduler() {
      return clock;
    }

    @Override
    public Executor completions() {
      return Runnable::run;
    }
  }

  private final Ns ns = new Ns(Optional.of(Duration.ofMinutes(2)));
  private final InMemoryAdapter adapter = new InMemoryAdapter(ns);

  private List<String> join(String id, String... rooms) {
    List<String> texts = new ArrayList<>();
    ns.delivered.put(id, texts);
    Set<String> all = new java.util.HashSet<>(Set.of(rooms));
    all.add(id);
    adapter.addAll(id, all);
    return texts;
  }

  private static SocketIoPacket event(String name) {
    return SocketIoPacket.event("/", NODES.arrayNode().add(name));
  }

  private static BroadcastOptions to(Set<String> rooms, Set<String> except) {
    return new BroadcastOptions(rooms, except, BroadcastFlags.NONE);
  }

  /** The offset appended to the last delivered event of {@code texts}, such as {@code 2["x","ab-0"]}. */
  private static String lastOffset(List<String> texts) {
    String t = texts.get(texts.size() - 1);
    return t.substring(t.lastIndexOf(",\"") + 2, t.length() - 2);
  }

  private static List<String> names(RestoredSession r) {
    List<String> out = new ArrayList<>();
    for (ArrayNode a : r.missedPackets()) out.add(a.get(0).textValue());
    return out;
  }

  @Test
  void aPersistedSessionIsRestoredOnceWithThePacketsThatReachItsRooms() {
    List<String> texts = join("s1", "r");
    SocketIoPacket first = event("first");
    adapter.broadcast(first, BroadcastOptions.all());
    String from = lastOffset(texts);
    assertEquals(1, first.data().size(), "the caller's packet is not changed");

    adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1", "r"), Map.of("k", "v")));
    assertEquals(1, adapter.keptSessions());
    adapter.broadcast(event("to-r"), to(Set.of("r"), Set.of()));
    adapter.broadcast(event("to-other"), to(Set.of("other"), Set.of()));
    adapter.broadcast(event("all-but-r"), to(Set.of(), Set.of("r")));
    adapter.broadcast(event("all"), BroadcastOptions.all());
    adapter.broadcast(event("mine"), to(Set.of("s1"), Set.of()));
    adapter.broadcast(event("volatile"), new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE.withVolatile()));

    RestoredSession restored = adapter.restoreSession("p1", from).join().orElseThrow();
    assertEquals(new PersistedSession("s1", "p1", Set.of("s1", "r"), Map.of("k", "v")), restored.session());
    assertEquals(List.of("to-r", "all", "mine"), names(restored));
    ArrayNode mine = restored.missedPackets().get(2);
    assertTrue(mine.get(mine.size() - 1).isTextual(), "each missed packet carries its own offset last");
    assertEquals(0, adapter.keptSessions());
    assertEquals(Optional.empty(), adapter.restoreSession("p1", from).join(), "a session is restored once");
  }

  @Test
  void offsetsAreDistinctAndOnlyKeptBroadcastsGetOne() {
    List<String> texts = join("s1");
    adapter.broadcast(event("a"), BroadcastOptions.all());
    adapter.broadcast(event("b"), BroadcastOptions.all());
    adapter.broadcast(event("v"), new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE.withVolatile()));
    adapter.broadcast(SocketIoPacket.event("/", NODES.arrayNode().add("with-ack"), 7), BroadcastOptions.all());
    assertTrue(texts.get(0).startsWith("2[\"a\",\""), texts.get(0));
    assertTrue(texts.get(1).startsWith("2[\"b\",\""), texts.get(1));
    assertNotEquals(lastOffset(texts.subList(0, 1)), lastOffset(texts.subList(0, 2)));
    assertEquals(List.of("2[\"v\"]", "27[\"with-ack\"]"), texts.subList(2, 4));
  }

  @Test
  void offsetsAppendToACopyAndSayWhichPacketsAreKept() {
    SocketIoPacket p = event("x");
    SocketIoPacket stamped = Offsets.append(p, "o-1");
    assertEquals("[\"x\"]", p.data().toString());
    assertEquals("[\"x\",\"o-1\"]", stamped.data().toString());
    assertTrue(Offsets.isKept(p, BroadcastOptions.all()));
    assertFalse(Offsets.isKept(p, new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE.withVolatile())));
    assertFalse(Offsets.isKept(SocketIoPacket.event("/", NODES.arrayNode().add("x"), 1), BroadcastOptions.all()));
  }

  @Test
  void anUnknownPidOrAnUnknownOffsetRestoresNothing() {
    List<String> texts = join("s1");
    adapter.broadcast(event("a"), BroadcastOptions.all());
    String from = lastOffset(texts);
    assertEquals(Optional.empty(), adapter.restoreSession("nobody", from).join());
    adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of()));
    assertEquals(Optional.empty(), adapter.restoreSession("p1", "no-such-offset").join());
  }

  @Test
  void sessionsAndPacketsExpireAfterMaxDisconnectionDuration() {
    List<String> texts = join("s1");
    adapter.broadcast(event("a"), BroadcastOptions.all());
    String from = lastOffset(texts);
    adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of()));
    clock.advanceBy(Duration.ofMinutes(2));
    assertEquals(1, adapter.keptSessions(), "kept for the whole window");
    clock.advanceBy(Duration.ofMillis(1));
    assertEquals(Optional.empty(), adapter.restoreSession("p1", from).join());
    assertEquals(0, adapter.keptSessions());
  }

  @Test
  void anOffsetOutOfTheWindowOfPacketsCannotBeRestored() {
    List<String> texts = join("s1");
    adapter.broadcast(event("a"), BroadcastOptions.all());
    String from = lastOffset(texts);
    clock.advanceBy(Duration.ofMinutes(2).plusMillis(1));
    adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of())); // fresh session, stale offset
    assertEquals(Optional.empty(), adapter.restoreSession("p1", from).join());
  }

  @Test
  void withRecoveryOffTheAdapterKeepsNothingAndStampsNothing() {
    Ns off = new Ns(Optional.empty());
    InMemoryAdapter plain = new InMemoryAdapter(off);
    List<String> texts = new ArrayList<>();
    off.delivered.put("s1", texts);
    plain.addAll("s1", Set.of("s1"));
    SocketIoPacket p = event("a");
    plain.broadcast(p, BroadcastOptions.all());
    assertEquals(List.of("2[\"a\"]"), texts);
    plain.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of()));
    assertEquals(0, plain.keptSessions());
    assertSame(Optional.empty(), plain.restoreSession("p1", "x").join());
  }

  @Test
  void aSessionIsReachedByWhatWouldHaveReachedItsRooms() {
    PersistedSession s = new PersistedSession("s1", "p1", Set.of("s1", "r"), Map.of());
    assertTrue(s.isReachedBy(BroadcastOptions.all()));
    assertTrue(s.isReachedBy(to(Set.of("x", "r"), Set.of())));
    assertTrue(s.isReachedBy(to(Set.of("s1"), Set.of("x"))));
    assertFalse(s.isReachedBy(to(Set.of("x"), Set.of())));
    assertFalse(s.isReachedBy(to(Set.of(), Set.of("r"))));
    assertFalse(s.isReachedBy(to(Set.of("r"), Set.of("s1"))));
  }
}
