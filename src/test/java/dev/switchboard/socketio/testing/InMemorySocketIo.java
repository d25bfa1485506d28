package dev.switchboard.socketio.testing;

import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.FakeScheduler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SocketIoServer} with no network: a fake clock, predictable ids ({@code id1},
 * {@code id2}, … for every id the server draws, sockets and recovery pids alike) and in-memory
 * Engine.IO connections.
 *
 * <pre>{@code
 * InMemorySocketIo sio = new InMemorySocketIo();
 * sio.io().onConnection(socket -> socket.on("ping", (args, ack) -> ack.send("pong")));
 * FakeEngineIoConnection c = sio.connect();
 * c.receive("0");                      // CONNECT to "/"
 * c.receive("21[\"ping\"]");           // EVENT with ack id 1
 * assertEquals(List.of("0{\"sid\":\"id1\"}", "31[\"pong\"]"), c.sent());
 * }</pre>
 */
public final class InMemorySocketIo implements AutoCloseable {
  public final FakeScheduler clock = new FakeScheduler();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final SocketIoServer io;

  public InMemorySocketIo() {
    this(SocketIoOptions.DEFAULTS);
  }

  public InMemorySocketIo(SocketIoOptions options) {
    this(options, "");
  }

  /**
   * A server whose ids start with {@code idPrefix} ({@code b-id1}, …): several in-memory servers of
   * one cluster need distinct socket ids, as random ids are in production.
   */
  public InMemorySocketIo(SocketIoOptions options, String idPrefix) {
    this.io = new SocketIoServer(options, clock, () -> idPrefix + "id" + ids.incrementAndGet());
  }

  /**
   * A server whose socket ids come from {@code ids}: {@code SessionIdGenerator.secureRandom()} gives
   * Node's 20-character ids, which the sharded Redis adapter's {@code dynamic} mode relies on to
   * tell a socket's own room from a public one.
   */
  public InMemorySocketIo(SocketIoOptions options, SessionIdGenerator ids) {
    this.io = new SocketIoServer(options, clock, ids);
  }

  public SocketIoServer io() {
    return io;
  }

  /** A new Engine.IO connection (ids {@code c1}, {@code c2}, …) handed to the server. */
  public FakeEngineIoConnection connect() {
    return connect(FakeEngineIoConnection.of(nextConnectionId()));
  }

  /**
   * A fresh connection id ({@code c1}, {@code c2}, …, the sequence {@link #connect()} uses) for a
   * connection the test builds itself.
   */
  public String nextConnectionId() {
    return "c" + connections.incrementAndGet();
  }

  /** Hands a connection built by the test (own headers, target, address) to the server. */
  public FakeEngineIoConnection connect(FakeEngineIoConnection c) {
    c.executor().execute(() -> io.engineListener().onConnection(c));
    return c;
  }

  /** A new connection already joined to namespace {@code nsp}; its socket id is {@code sid(nsp)}. */
  public FakeEngineIoConnection client(String nsp) {
    FakeEngineIoConnection c = connect();
    c.connectTo(nsp);
    return c;
  }

  /** A new connection already joined to "/"; its socket id is {@code sid()}. */
  public FakeEngineIoConnection client() {
    return client("/");
  }

  /** The server's socket of connection {@code c} in namespace {@code nsp}; fails when there is none. */
  public Socket socket(FakeEngineIoConnection c, String nsp) {
    Socket s = io.of(nsp).sockets().get(c.sid(nsp));
    if (s == null) throw new AssertionError("no socket " + c.sid(nsp) + " in " + nsp);
    return s;
  }

  /** The server's socket of connection {@code c} in "/". */
  public Socket socket(FakeEngineIoConnection c) {
    return socket(c, "/");
  }

  @Override
  public void close() {
    io.close();
  }
}
