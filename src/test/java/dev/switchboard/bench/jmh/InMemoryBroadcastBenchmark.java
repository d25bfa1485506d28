package dev.switchboard.bench.jmh;

import dev.switchboard.engineio.EngineIoConnection;
import dev.switchboard.engineio.SessionHandler;
import dev.switchboard.engineio.SharedMessage;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.FakeScheduler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Socket.IO layer's fan-out in memory, without any transport below it: a server with the
 * default (in-memory) adapter and {@code clients} sockets on connections that only count what
 * they are given, so what is measured is the selection, the encoding once, the delivery loop and
 * the ack bookkeeping — the paths a cluster-capable adapter API must not make slower. Run with
 * {@code bench/jmh.sh InMemoryBroadcast}.
 *
 * <ul>
 *   <li>{@code emitToAll}: {@code io.emit("bcast", payload)};</li>
 *   <li>{@code emitToRoomFromSocket}: {@code socket.to("half").emit(...)}, a room holding half of
 *       the sockets minus the sender;</li>
 *   <li>{@code socketEmit}: one socket's own {@code emit};</li>
 *   <li>{@code emitWithAckToAll}: {@code io.emitWithAck}, every client answering, until the
 *       future completes.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InMemoryBroadcastBenchmark {
  @Param({"1000"})
  public int clients;

  private SocketIoServer io;
  private final List<SinkConnection> connections = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private Args payload;

  /** An Engine.IO session that runs its tasks at once and only counts what it is sent. */
  static final class SinkConnection implements EngineIoConnection {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    final String id;
    SessionHandler handler;
    long messages;

    SinkConnection(String id) {
      this.id = id;
    }

    @Override public String id() { return id; }
    @Override public String transportName() { return "websocket"; }
    @Override public HttpHeaders handshakeHeaders() { return HttpHeaders.of(); }
    @Override public String handshakeTarget() { return "/socket.io/?EIO=4&transport=websocket"; }
    @Override public InetSocketAddress remoteAddress() { return PEER; }
    @Override public boolean isSecure() { return false; }
    @Override public Executor executor() { return Runnable::run; }
    @Override public void setHandler(SessionHandler handler) { this.handler = handler; }
    @Override public boolean isOpen() { return true; }
    @Override public void send(String text) { messages++; }
    @Override public void send(byte[] data) { messages++; }
    @Override public void send(SharedMessage message, boolean isVolatile) { messages++; }
    @Override public void close() { }
  }

  @Setup(Level.Trial)
  public void setUp() {
    AtomicInteger ids = new AtomicInteger();
    io = new SocketIoServer(SocketIoOptions.DEFAULTS, new FakeScheduler(), () -> "s" + ids.incrementAndGet());
    io.onConnection(sockets::add);
    for (int i = 0; i < clients; i++) {
      SinkConnection c = new SinkConnection("c" + i);
      io.engineListener().onConnection(c);
      c.handler.onMessage("0");
      connections.add(c);
    }
    for (int i = 0; i < clients; i += 2) sockets.get(i).join("half");
    payload = Args.of(java.util.Map.of("b", 17, "p", "x".repeat(64)));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    io.close();
  }

  @Benchmark
  public void emitToAll() {
    io.emit("bcast", payload.get(0));
  }

  @Benchmark
  public void emitToRoomFromSocket() {
    sockets.get(0).to("half").emit("bcast", payload.get(0));
  }

  @Benchmark
  public void socketEmit() {
    sockets.get(1).emit("bcast", payload.get(0));
  }

  @Benchmark
  public List<Args> emitWithAckToAll() throws Exception {
    CompletableFuture<List<Args>> f = io.emitWithAck("q", 1);
    // Every client answers the ack id the broadcast drew (the namespace counter, one per call).
    String answer = "3" + lastAckId() + "[1]";
    for (SinkConnection c : connections) c.handler.onMessage(answer);
    return f.get(10, TimeUnit.SECONDS);
  }

  private long ackCounter = -1;

  private long lastAckId() {
    return ++ackCounter;
  }
}
