package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The one middleware runner ({@link MiddlewareChain}) through its three users, in memory: the
 * handshake chain of a namespace ({@code io.use}), a dynamic namespace's chain
 * ({@code io.of(pattern).use}) and the per-packet chain ({@code socket.use}). For each: a second
 * {@code proceed()} is ignored, a throwing step is a refusal, {@code fail} refuses, a
 * {@code proceed()} from another thread continues on the socket's executor, the chain is a
 * snapshot, and a client gone meanwhile stops it.
 */
class MiddlewareChainTest {
  private static final java.util.Map<InMemorySocketIo, ParentNamespace> PARENTS = new java.util.WeakHashMap<>();

  /** The two handshake users: the main namespace's chain, and a dynamic namespace's. */
  private enum Handshake {
    SERVER("", "0", "0{\"sid\":\"id1\"}", "4"),
    PARENT("/dyn-1", "0/dyn-1,", "0/dyn-1,{\"sid\":\"id1\"}", "4/dyn-1,");

    final String name;
    final String connect;
    final String accepted;
    final String refusedPrefix;

    Handshake(String name, String connect, String accepted, String refusedPrefix) {
      this.name = name;
      this.connect = connect;
      this.accepted = accepted;
      this.refusedPrefix = refusedPrefix;
    }

    /** Adds a step to this user's chain on {@code sio} (one dynamic namespace per server). */
    void use(InMemorySocketIo sio, Middleware m) {
      if (this == SERVER) {
        sio.io().use(m);
        return;
      }
      synchronized (PARENTS) {
        PARENTS.computeIfAbsent(sio, k -> k.io().of(Pattern.compile("^/dyn-\\d+$"))).use(m);
      }
    }

    String refused(String json) {
      return refusedPrefix + json;
    }
  }

  // ------------------------------------------------------------------ handshake chains

  @Test
  void aSecondProceedIsIgnored() {
    for (Handshake h : Handshake.values()) {
      try (InMemorySocketIo sio = new InMemorySocketIo()) {
        AtomicInteger second = new AtomicInteger();
        h.use(sio, (socket, next) -> {
          next.proceed();
          next.proceed();
          next.fail(new ConnectError("too late"));
        });
        h.use(sio, (socket, next) -> {
          second.incrementAndGet();
          next.proceed();
        });
        FakeEngineIoConnection c = sio.connect();
        c.receive(h.connect);
        assertEquals(1, second.get(), h.name());
        assertEquals(List.of(h.accepted), c.sent(), h.name());
      }
    }
  }

  @Test
  void aThrowingStepRefusesWithInternalServerError() {
    for (Handshake h : Handshake.values()) {
      try (InMemorySocketIo sio = new InMemorySocketIo(); Logs logs = Logs.of(SocketIoServer.class)) {
        AtomicInteger second = new AtomicInteger();
        h.use(sio, (socket, next) -> {
          throw new IllegalStateException("database down");
        });
        h.use(sio, (socket, next) -> second.incrementAndGet());
        FakeEngineIoConnection c = sio.connect();
        c.receive(h.connect);
        assertEquals(List.of(h.refused("{\"message\":\"Internal server error\"}")), c.sent(), h.name());
        assertEquals(0, second.get());
        assertEquals(List.of("handshake middleware failed"), logs.messages(Level.WARNING));
        assertTrue(sio.io().of(h.name().isEmpty() ? "/" : h.name()).sockets().isEmpty());
      }
    }
  }

  @Test
  void failRefusesWithTheErrorsMessageAndData() {
    for (Handshake h : Handshake.values()) {
      try (InMemorySocketIo sio = new InMemorySocketIo()) {
        AtomicInteger second = new AtomicInteger();
        h.use(sio, (socket, next) -> next.fail(new ConnectError("unauthorized", java.util.Map.of("code", 7))));
        h.use(sio, (socket, next) -> second.incrementAndGet());
        FakeEngineIoConnection c = sio.connect();
        c.receive(h.connect);
        assertEquals(List.of(h.refused("{\"message\":\"unauthorized\",\"data\":{\"code\":7}}")), c.sent(), h.name());
        assertEquals(0, second.get());
        c.receive(h.connect); // refused, so connecting again is allowed and refused again
        assertEquals(2, c.sent().size());
        assertFalse(c.closedByServer());
      }
    }
  }

  @Test
  void aStepThatThrowsAfterAnotherThreadProceededStillRefusesAndTheCallerSeesNothing() throws Exception {
    for (Handshake h : Handshake.values()) {
      try (InMemorySocketIo sio = new InMemorySocketIo(); Logs logs = Logs.of(SocketIoServer.class)) {
        AtomicReference<Middleware.Next> held = new AtomicReference<>();
        h.use(sio, (socket, next) -> held.set(next));
        h.use(sio, (socket, next) -> {
          throw new IllegalStateException("boom");
        });
        FakeEngineIoConnection c = sio.connect();
        c.receive(h.connect);
        AtomicReference<Throwable> seenByCaller = new AtomicReference<>();
        Thread pool = new Thread(() -> {
          try {
            held.get().proceed();
          } catch (Throwable t) {
            seenByCaller.set(t);
          }
        });
        pool.start();
        pool.join(10_000);
        assertEquals(null, seenByCaller.get(), h.name());
        assertEquals(List.of(h.refused("{\"message\":\"Internal server error\"}")), c.sent(), h.name());
      }
    }
  }

  @Test
  void aProceedFromAnotherThreadContinuesOnTheSocketsExecutor() throws Exception {
    for (Handshake h : Handshake.values()) {
      try (InMemorySocketIo sio = new InMemorySocketIo()) {
        AtomicReference<Middleware.Next> held = new AtomicReference<>();
        AtomicReference<Thread> secondRanOn = new AtomicReference<>();
        h.use(sio, (socket, next) -> held.set(next));
        h.use(sio, (socket, next) -> {
          secondRanOn.set(Thread.currentThread());
          next.proceed();
        });
        FakeEngineIoConnection c = sio.connect();
        c.receive(h.connect);
        assertEquals(List.of(), c.sent());

        Busy busy = Busy.occupy(c);
        held.get().proceed(); // from this thread, while the connection's executor is busy elsewhere
        assertEquals(null, secondRanOn.get(), h.name() + ": the next step must wait for the executor");
        busy.release();
        Await.until("the socket connected", () -> c.sent().size() == 1);
        assertSame(busy.thread, secondRanOn.get(), h.name() + ": the next step ran on the executor's thread");
        assertEquals(List.of(h.accepted), c.sent());
      }
    }
  }

  @Test
  void theChainIsCopiedWhenASocketStartsConnecting() {
    for (Handshake h : Handshake.values()) {
      try (InMemorySocketIo sio = new InMemorySocketIo()) {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        h.use(sio, (socket, next) -> {
          ran.add("first " + socket.id());
          if (ran.size() == 1) h.use(sio, (s, n) -> {
            ran.add("added " + s.id());
            n.proceed();
          });
          next.proceed();
        });
        sio.connect().receive(h.connect);
        sio.connect().receive(h.connect);
        assertEquals(List.of("first id1", "first id2", "added id2"), ran, h.name());
      }
    }
  }

  @Test
  void aClientGoneWhileAStepIsPendingStopsTheChain() {
    for (Handshake h : Handshake.values()) {
      try (InMemorySocketIo sio = new InMemorySocketIo()) {
        AtomicReference<Middleware.Next> held = new AtomicReference<>();
        AtomicInteger second = new AtomicInteger();
        h.use(sio, (socket, next) -> held.set(next));
        h.use(sio, (socket, next) -> second.incrementAndGet());
        FakeEngineIoConnection c = sio.connect();
        c.receive(h.connect);
        c.drop(CloseReason.TRANSPORT_CLOSE);
        held.get().proceed();
        assertEquals(0, second.get(), h.name());
        assertEquals(List.of(), c.sent());
      }
    }
  }

  @Test
  void aDynamicNamespaceRunsTheParentsStepsThenTheChildsOwn() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      List<String> ran = new ArrayList<>();
      ParentNamespace parent = sio.io().of(Pattern.compile("^/dyn-\\d+$"));
      parent.use((socket, next) -> {
        ran.add("parent");
        next.proceed();
      });
      parent.onConnection(socket -> ran.add("parent handler"));
      FakeEngineIoConnection c = sio.connect();
      c.receive("0/dyn-1,");
      Namespace child = parent.children().get("/dyn-1");
      child.use((socket, next) -> {
        ran.add("child");
        next.proceed();
      });
      child.onConnection(socket -> ran.add("child handler"));
      sio.connect().receive("0/dyn-1,");
      assertEquals(List.of("parent", "parent handler", "parent", "child", "parent handler", "child handler"), ran);
    }
  }

  // ------------------------------------------------------------------ per-packet chain

  /** A connected socket whose handler for "x" and onAny record what got through, and whose onError records refusals. */
  private static final class PacketSetup implements AutoCloseable {
    final InMemorySocketIo sio = new InMemorySocketIo();
    final List<String> heard = Collections.synchronizedList(new ArrayList<>());
    final FakeEngineIoConnection c;

    PacketSetup(PacketMiddleware... chain) {
      sio.io().onConnection(socket -> {
        for (PacketMiddleware m : chain) socket.use(m);
        socket.onAny((event, args) -> heard.add("any " + event));
        socket.on("x", (args, ack) -> {
          heard.add("handler " + args);
          ack.send("ok");
        });
        socket.onError(e -> heard.add("error " + e.getClass().getSimpleName() + ": " + e.getMessage()));
      });
      c = sio.connect();
      c.receive("0");
      c.takeSent();
    }

    @Override
    public void close() {
      sio.close();
    }
  }

  @Test
  void packetChainASecondProceedIsIgnored() {
    AtomicInteger second = new AtomicInteger();
    try (PacketSetup s = new PacketSetup((event, args, next) -> {
      next.proceed();
      next.proceed();
      next.fail(new Exception("too late"));
    }, (event, args, next) -> {
      second.incrementAndGet();
      next.proceed();
    })) {
      s.c.receive("21[\"x\",1]");
      assertEquals(1, second.get());
      assertEquals(List.of("any x", "handler [1]"), s.heard);
      assertEquals(List.of("31[\"ok\"]"), s.c.sent());
    }
  }

  @Test
  void packetChainAThrowingStepIsReportedToOnErrorAndTheEventDropped() {
    try (PacketSetup s = new PacketSetup((event, args, next) -> {
      throw new IllegalArgumentException("bad payload");
    })) {
      s.c.receive("21[\"x\",1]");
      assertEquals(List.of("error IllegalArgumentException: bad payload"), s.heard);
      assertEquals(List.of(), s.c.sent());
    }
  }

  @Test
  void packetChainFailIsReportedToOnErrorAndTheEventDropped() {
    try (PacketSetup s = new PacketSetup(
        (event, args, next) -> next.fail(new SecurityException("not allowed: " + event)),
        (event, args, next) -> {
          throw new AssertionError("must not run");
        })) {
      s.c.receive("2[\"x\"]");
      assertEquals(List.of("error SecurityException: not allowed: x"), s.heard);
    }
  }

  @Test
  void packetChainAProceedFromAnotherThreadContinuesOnTheSocketsExecutor() throws Exception {
    AtomicReference<PacketMiddleware.Next> held = new AtomicReference<>();
    AtomicReference<Thread> secondRanOn = new AtomicReference<>();
    try (PacketSetup s = new PacketSetup((event, args, next) -> held.set(next), (event, args, next) -> {
      secondRanOn.set(Thread.currentThread());
      next.proceed();
    })) {
      s.c.receive("2[\"x\"]");
      assertEquals(List.of(), s.heard);
      Busy busy = Busy.occupy(s.c);
      held.get().proceed();
      assertEquals(null, secondRanOn.get(), "the next step must wait for the executor");
      busy.release();
      Await.until("the event was dispatched", () -> s.heard.size() == 2);
      assertSame(busy.thread, secondRanOn.get());
      assertEquals(List.of("any x", "handler []"), s.heard);
    }
  }

  @Test
  void packetChainIsCopiedWhenTheEventArrives() {
    AtomicReference<Socket> socketRef = new AtomicReference<>();
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    try (PacketSetup s = new PacketSetup((event, args, next) -> {
      ran.add("first " + event);
      if (ran.size() == 1) socketRef.get().use((e, a, n) -> {
        ran.add("added " + e);
        n.proceed();
      });
      next.proceed();
    })) {
      s.sio.io().sockets().sockets().values().forEach(socketRef::set);
      s.c.receive("2[\"x\"]");
      s.c.receive("2[\"y\"]");
      assertEquals(List.of("first x", "first y", "added y"), ran);
    }
  }

  @Test
  void packetChainStopsWhenTheSocketDisconnectedMeanwhile() {
    AtomicReference<PacketMiddleware.Next> held = new AtomicReference<>();
    try (PacketSetup s = new PacketSetup((event, args, next) -> held.set(next))) {
      s.c.receive("2[\"x\"]");
      s.c.receive("1");
      held.get().proceed();
      assertEquals(List.of(), s.heard);
    }
  }

  @Test
  void withoutPacketMiddlewaresAnEventGoesStraightToTheHandlers() {
    try (PacketSetup s = new PacketSetup()) {
      s.c.receive("21[\"x\",\"a\"]");
      assertEquals(List.of("any x", "handler [\"a\"]"), s.heard);
      assertEquals(List.of("31[\"ok\"]"), s.c.sent());
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Keeps a connection's serial executor busy on a thread of its own until released. */
  private static final class Busy {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);
    volatile Thread thread;

    static Busy occupy(FakeEngineIoConnection c) throws InterruptedException {
      Busy b = new Busy();
      Thread t = new Thread(() -> c.executor().execute(() -> {
        b.thread = Thread.currentThread();
        b.entered.countDown();
        try {
          b.released.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }), "busy-executor");
      t.setDaemon(true);
      t.start();
      assertTrue(b.entered.await(10, TimeUnit.SECONDS), "the executor task started");
      return b;
    }

    void release() {
      released.countDown();
    }
  }

  /** Keeps one class's log records for the test instead of printing them. */
  private static final class Logs extends Handler implements AutoCloseable {
    private final Logger logger;
    private final boolean parentHandlers;
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());

    private Logs(Logger logger) {
      this.logger = logger;
      this.parentHandlers = logger.getUseParentHandlers();
      logger.setUseParentHandlers(false);
      logger.addHandler(this);
    }

    static Logs of(Class<?> type) {
      return new Logs(Logger.getLogger(type.getName()));
    }

    List<String> messages(Level level) {
      List<String> out = new ArrayList<>();
      synchronized (records) {
        for (LogRecord r : records) if (r.getLevel().equals(level)) out.add(r.getMessage());
      }
      return out;
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() { }

    @Override
    public void close() {
      logger.removeHandler(this);
      logger.setUseParentHandlers(parentHandlers);
    }
  }
}
