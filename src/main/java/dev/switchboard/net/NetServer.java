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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

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
  private static final Logger LOG = LoggerFactory.getLogger(NetServer.class);

  private final NetOptions options;
  private final HttpHandler handler;
  private final Executor workers;
  private final Scheduler scheduler;
  private final IoLoop[] loops;
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  /** Only addresses with open connections or opened some in the current window; see {@link #admit}. */
  private final ConcurrentHashMap<InetAddress, AddressLoad> perAddress = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.LongAdder[] refusals = new java.util.concurrent.atomic.LongAdder[Refusal.values().length];
  private final java.util.concurrent.atomic.AtomicLong bufferedBodyBytes = new java.util.concurrent.atomic.AtomicLong();
  private final dev.switchboard.http.BodyPolicy bodyPolicy = new Bodies();
  private final dev.switchboard.scheduling.RateLimitedLog[] refusalLogs =
      new dev.switchboard.scheduling.RateLimitedLog[Refusal.values().length];
  /** Accept thread only: when {@link #perAddress} was last pruned. */
  private long lastPrune;
  private volatile ServerSocketChannel serverChannel;
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
    for (Refusal r : Refusal.values()) {
      refusals[r.ordinal()] = new java.util.concurrent.atomic.LongAdder();
      refusalLogs[r.ordinal()] = new dev.switchboard.scheduling.RateLimitedLog(LOG, Level.INFO, "refused_" + r.label(),
          scheduler);
    }
  }

  /** Connections and requests refused for {@code reason} since the start. Any thread. */
  public long refusals(Refusal reason) {
    return refusals[reason.ordinal()].sum();
  }

  /** Bytes buffered right now for request bodies still arriving ({@link NetOptions#maxBufferedBodyBytes()}). */
  public long bufferedBodyBytes() {
    return bufferedBodyBytes.get();
  }

  /** Counts a refusal and logs it through its kind's {@link dev.switchboard.scheduling.RateLimitedLog}. Any thread. */
  void refused(Refusal reason, InetSocketAddress remote) {
    refusals[reason.ordinal()].increment();
    refusalLogs[reason.ordinal()].event(() -> "refused (" + reason.label() + "): " + remote.getAddress().getHostAddress());
  }

  /** The parsers' {@link dev.switchboard.http.BodyPolicy}: the routes' limits and the server-wide budget. */
  dev.switchboard.http.BodyPolicy bodyPolicy() {
    return bodyPolicy;
  }

  private final class Bodies implements dev.switchboard.http.BodyPolicy {
    @Override
    public long maxBodyBytes(dev.switchboard.http.HttpRequest head) {
      return handler.maxBodyBytes(head);
    }

    @Override
    public boolean reserve(int bytes) {
      if (bufferedBodyBytes.addAndGet(bytes) <= options.maxBufferedBodyBytes()) return true;
      bufferedBodyBytes.addAndGet(-bytes);
      return false;
    }

    @Override
    public void release(int bytes) {
      bufferedBodyBytes.addAndGet(-bytes);
    }
  }

  NetOptions options() {
    return options;
  }

  /**
   * Binds and starts the loops. Returns once the port accepts connections. When it throws (the
   * port is taken, no selector can be opened) nothing is left behind: the channel and every
   * selector opened so far are closed and no thread was started, so the caller may simply try
   * again.
   */
  public NetServer start() throws IOException {
    if (serverChannel != null || closed) throw new IllegalStateException("start is called once");
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(options.host(), options.port()), 1024);
      channel.configureBlocking(false);
      for (int i = 0; i < loops.length; i++) {
        loops[i] = new IoLoop("switchboard-io-" + i, scheduler::nanoTime);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      for (int i = 0; i < loops.length; i++) {
        if (loops[i] != null) loops[i].closeUnstarted();
        loops[i] = null;
      }
      throw e;
    }
    serverChannel = channel;
    IoLoop acceptLoop = loops[0];
    CountDownLatch registered = new CountDownLatch(1);
    for (IoLoop l : loops) l.start();
    acceptLoop.execute(() -> {
      try {
        serverChannel.register(acceptLoop.selector, SelectionKey.OP_ACCEPT, (IoLoop.Acceptor) this::acceptAll);
      } catch (IOException e) {
        LOG.error("cannot listen", e);
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

  /** The bound port (useful when started with port 0); IllegalStateException before {@link #start}. */
  public int port() {
    ServerSocketChannel ch = serverChannel;
    if (ch == null) throw new IllegalStateException("not listening: start() has not bound a port yet");
    return ch.socket().getLocalPort();
  }

  /** Whether {@link #close} has been called. Any thread. */
  public boolean isClosed() {
    return closed;
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
      if (closed) {
        closeQuietly(ch);
        continue;
      }
      Refusal refusal = admit(remote);
      if (refusal != null) {
        closeQuietly(ch);
        refused(refusal, remote);
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

  /**
   * One remote address's load: its open connections and the connections it opened in the current
   * one-second window. Changed only inside {@link #perAddress}'s compute functions.
   */
  private static final class AddressLoad {
    int open;
    long windowStart;
    int openedInWindow;
  }

  private static final long WINDOW_NANOS = 1_000_000_000L;

  private boolean tracksAddresses() {
    return options.maxConnectionsPerAddress().isPresent() || options.maxNewConnectionsPerSecondPerAddress().isPresent();
  }

  /**
   * Accept thread: the per-address caps (hostile-inputs.md#A31, issue #14) — open connections,
   * and connections opened per one-second window. A refused connection is closed at once, before
   * any byte is read or any object made for it; returns why, or null when admitted. Trusted proxies are exempt: every client behind
   * one shares its address. Counted on accept and close only, never per byte.
   */
  private Refusal admit(InetSocketAddress remote) {
    if (!tracksAddresses() || options.trustedProxies().contains(remote.getAddress())) return null;
    int max = options.maxConnectionsPerAddress().orElse(Integer.MAX_VALUE);
    int rate = options.maxNewConnectionsPerSecondPerAddress().orElse(Integer.MAX_VALUE);
    long now = scheduler.nanoTime();
    pruneAddresses(now);
    Refusal[] refusal = new Refusal[1];
    perAddress.compute(remote.getAddress(), (a, load) -> {
      if (load == null) {
        load = new AddressLoad();
        load.windowStart = now;
      }
      if (now - load.windowStart >= WINDOW_NANOS) {
        load.windowStart = now;
        load.openedInWindow = 0;
      }
      if (load.openedInWindow >= rate) {
        refusal[0] = Refusal.CONNECTION_RATE_PER_ADDRESS;
      } else if (load.open >= max) {
        refusal[0] = Refusal.CONNECTIONS_PER_ADDRESS;
      } else {
        load.open++;
        load.openedInWindow++;
      }
      return load;
    });
    return refusal[0];
  }

  /** Any loop thread: a connection counted by {@link #admit} has closed. */
  private void release(InetSocketAddress remote) {
    if (!tracksAddresses() || options.trustedProxies().contains(remote.getAddress())) return;
    long now = scheduler.nanoTime();
    perAddress.computeIfPresent(remote.getAddress(), (a, load) -> {
      load.open--;
      return load.open <= 0 && now - load.windowStart >= WINDOW_NANOS ? null : load;
    });
  }

  /**
   * Accept thread, at most once a second: forgets addresses with nothing open whose window has
   * passed, so the table holds only addresses with open connections or recent ones.
   */
  private void pruneAddresses(long now) {
    if (now - lastPrune < WINDOW_NANOS) return;
    lastPrune = now;
    for (InetAddress a : perAddress.keySet()) {
      perAddress.computeIfPresent(a, (k, load) -> load.open <= 0 && now - load.windowStart >= WINDOW_NANOS ? null : load);
    }
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
      LOG.warn("handler failed", e);
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
      LOG.warn("head handler failed", e);
    }
  }

  /** Loop thread: an announced request will not complete. */
  void headAbandoned(Connection c, dev.switchboard.http.HttpRequest head) {
    try {
      handler.onRequestAbandoned(head, c);
    } catch (RuntimeException e) {
      LOG.warn("head handler failed", e);
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
