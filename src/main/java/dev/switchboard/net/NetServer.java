package dev.switchboard.net;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.scheduling.Scheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The TCP side of Switchboard: a non-blocking accept loop and {@code ioThreads} selector loops,
 * no thread per connection. Requests are parsed on the loops and handed to {@code handler} on
 * the worker executor.
 *
 * <pre>{@code
 * HttpRouter router = new HttpRouter(workers)
 *     .exact("/hello", ex -> ex.respond(HttpResponse.status(200).body("hi".getBytes(UTF_8)).build()));
 * try (NetServer server = new NetServer(NetOptions.builder().host("127.0.0.1").build(), router,
 *     workers, scheduler).start()) {
 *   System.out.println("listening on " + server.port());
 *   ...
 * }
 * }</pre>
 *
 * <p>Threading: {@link #start} and {@link #close} from one controlling thread; the rest is
 * internal to the loops.
 */
public final class NetServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NetServer.class.getName());

  private final NetOptions options;
  private final HttpHandler handler;
  private final Executor workers;
  private final Scheduler scheduler;
  private final IoLoop[] loops;
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private ServerSocketChannel serverChannel;
  private volatile boolean closed;

  /**
   * A server not yet listening: {@link #start} binds. {@code handler} gets every request on the I/O
   * thread that parsed it (an {@link HttpRouter} hands them to {@code workers}); {@code scheduler}
   * is the clock of the connections' timeouts.
   */
  public NetServer(NetOptions options, HttpHandler handler, Executor workers, Scheduler scheduler) {
    this.options = options;
    this.handler = handler;
    this.workers = workers;
    this.scheduler = scheduler;
    this.loops = new IoLoop[Math.max(1, options.ioThreads())];
  }

  NetOptions options() {
    return options;
  }

  /** Binds and starts the loops. Returns once the port accepts connections. */
  public NetServer start() throws IOException {
    for (int i = 0; i < loops.length; i++) {
      loops[i] = new IoLoop("switchboard-io-" + i, scheduler::nanoTime);
    }
    serverChannel = ServerSocketChannel.open();
    serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    serverChannel.bind(new InetSocketAddress(options.host(), options.port()), 1024);
    serverChannel.configureBlocking(false);
    IoLoop acceptLoop = loops[0];
    CountDownLatch registered = new CountDownLatch(1);
    for (IoLoop l : loops) l.start();
    acceptLoop.execute(() -> {
      try {
        serverChannel.register(acceptLoop.selector, SelectionKey.OP_ACCEPT, (IoLoop.Acceptor) this::acceptAll);
      } catch (IOException e) {
        LOG.log(Level.SEVERE, "cannot listen", e);
      }
      registered.countDown();
    });
    try {
      registered.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return this;
  }

  /** The bound port (useful when started with port 0). */
  public int port() {
    return serverChannel.socket().getLocalPort();
  }

  /** The bound address and port. */
  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) serverChannel.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Open TCP connections right now. */
  public int connectionCount() {
    return open.get();
  }

  private void acceptAll() throws IOException {
    while (true) {
      SocketChannel ch = serverChannel.accept();
      if (ch == null) return;
      InetSocketAddress remote;
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        remote = (InetSocketAddress) ch.getRemoteAddress();
      } catch (IOException e) {
        closeQuietly(ch);
        continue;
      }
      if (closed || !admit(remote)) {
        closeQuietly(ch);
        continue;
      }
      open.incrementAndGet();
      IoLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
      Connection c = new Connection(this, loop, ch, remote);
      loop.execute(() -> {
        try {
          c.register();
        } catch (IOException e) {
          c.closeNow(CloseCause.ERROR);
        }
      });
    }
  }

  /** Per-address connection cap (hostile-inputs.md#A31): refused connections are closed at once. */
  private boolean admit(InetSocketAddress remote) {
    if (options.maxConnectionsPerAddress().isEmpty()) return true;
    int max = options.maxConnectionsPerAddress().getAsInt();
    AtomicInteger n = perAddress.computeIfAbsent(remote.getAddress(), a -> new AtomicInteger());
    if (n.incrementAndGet() > max) {
      release(remote);
      return false;
    }
    return true;
  }

  private void release(InetSocketAddress remote) {
    if (options.maxConnectionsPerAddress().isEmpty()) return;
    perAddress.computeIfPresent(remote.getAddress(), (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** Loop thread: a connection has ended. */
  void onClosed(Connection c) {
    open.decrementAndGet();
    release(c.remoteAddress());
  }

  /**
   * Loop thread: hands a parsed request to the handler. The handler (normally an
   * {@link HttpRouter}) decides what runs on a worker; it must not block here.
   */
  void dispatch(HttpExchange exchange) {
    try {
      handler.handle(exchange);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "handler failed", e);
      exchange.respond(HttpResponse.status(500)
          .header("Content-Type", "text/plain; charset=UTF-8")
          .body("Internal server error\n".getBytes(StandardCharsets.UTF_8))
          .build());
    }
  }

  /** Loop thread: a request's body is still arriving. */
  void headReceived(Connection c, dev.switchboard.http.HttpRequest head) {
    try {
      handler.onRequestHead(head, c);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "head handler failed", e);
    }
  }

  /** Loop thread: an announced request will not complete. */
  void headAbandoned(Connection c, dev.switchboard.http.HttpRequest head) {
    try {
      handler.onRequestAbandoned(head, c);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "head handler failed", e);
    }
  }

  /** Stops accepting and drops every connection. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    closeQuietly(serverChannel);
    for (IoLoop l : loops) if (l != null) l.shutdown();
    for (IoLoop l : loops) {
      if (l == null) continue;
      try {
        l.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      if (c != null) c.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
