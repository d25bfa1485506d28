package dev.switchboard.engineio;

import dev.switchboard.net.HttpRouter;
import dev.switchboard.net.NetOptions;
import dev.switchboard.net.NetServer;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SystemScheduler;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * One running Engine.IO server: the worker pool, the timer, the NIO server and the Engine.IO
 * server on its path, plus any extra HTTP routes. Used by the command line, by the Socket.IO
 * server and by end-to-end tests.
 *
 * <p>Two kinds: {@link #start} owns everything (its close stops the server and the pool);
 * {@link #attach} mounts the Engine.IO server on an application's own {@link HttpRouter} and
 * {@link NetServer}, which stay the application's: its close ends the sessions and takes the
 * route away, nothing else.
 *
 * <p>Threading: made and closed by one controlling thread; the accessors from any thread.
 */
public final class EngineIoHost implements AutoCloseable {
  private final NetServer net;
  private final EngineIoServer engine;
  private final java.util.concurrent.Executor workers;
  /** The pool {@link #start} made, shut down by {@link #close}; null when attached. */
  private final ExecutorService ownedWorkers;
  /** The application's router we are mounted on ({@link #attach}); null when we own the server. */
  private final HttpRouter attachedTo;
  private final SystemScheduler ownedScheduler;

  private EngineIoHost(NetServer net, EngineIoServer engine, java.util.concurrent.Executor workers,
      ExecutorService ownedWorkers, HttpRouter attachedTo, SystemScheduler owned) {
    this.net = net;
    this.engine = engine;
    this.workers = workers;
    this.ownedWorkers = ownedWorkers;
    this.attachedTo = attachedTo;
    this.ownedScheduler = owned;
  }

  /**
   * Mounts an Engine.IO server on an application's own server: its path ({@link
   * EngineIoOptions#path()}) goes to Engine.IO ahead of the router's other routes, HTTP polling and
   * the WebSocket upgrade alike; every other path stays the application's. The sessions' serial
   * executors run on the router's {@link HttpRouter#workers()}, the timers on {@code scheduler}.
   * {@code net} is the server whose handler is {@code router} (or passes its requests to it); it
   * may be started before or after, and {@link #port()} asks it. Request bodies on our path are
   * capped by {@link EngineIoOptions#maxHttpBufferSize()} (the route's limit) below the
   * application's own {@code NetOptions.maxBodyBytes}.
   */
  public static EngineIoHost attach(NetServer net, HttpRouter router, EngineIoOptions eioOptions, EngineIoListener app,
      RequestFilter filter, Scheduler scheduler) {
    java.util.Objects.requireNonNull(net, "net");
    EngineIoServer engine = new EngineIoServer(eioOptions, scheduler, router.workers(),
        SessionIdGenerator.secureRandom(), filter, app);
    // Inline, as in start(): Engine.IO routing never blocks and keeps one session's requests in order.
    router.mount(engine::matches, engine);
    return new EngineIoHost(net, engine, router.workers(), null, router, null);
  }

  /** Starts a server; {@code extraRoutes} may add routes after the Engine.IO path. */
  public static EngineIoHost start(NetOptions netOptions, EngineIoOptions eioOptions, EngineIoListener app,
      RequestFilter filter, Consumer<HttpRouter> extraRoutes) throws IOException {
    SystemScheduler scheduler = new SystemScheduler();
    return start(netOptions, eioOptions, app, filter, extraRoutes, scheduler, scheduler);
  }

  /** Starts a server on a scheduler the caller owns (tests pass a fake clock). */
  public static EngineIoHost start(NetOptions netOptions, EngineIoOptions eioOptions, EngineIoListener app,
      RequestFilter filter, Consumer<HttpRouter> extraRoutes, Scheduler scheduler) throws IOException {
    return start(netOptions, eioOptions, app, filter, extraRoutes, scheduler, null);
  }

  private static EngineIoHost start(NetOptions netOptions, EngineIoOptions eioOptions, EngineIoListener app,
      RequestFilter filter, Consumer<HttpRouter> extraRoutes, Scheduler scheduler, SystemScheduler owned)
      throws IOException {
    ExecutorService workers = WorkerPool.create("switchboard-worker", WorkerPool.defaultSize());
    try {
      EngineIoServer engine = new EngineIoServer(eioOptions, scheduler, workers,
          SessionIdGenerator.secureRandom(), filter, app);
      // Engine.IO routing never blocks: inline keeps one session's requests in arrival order.
      HttpRouter router = new HttpRouter(workers).inline(engine::matches, engine);
      if (extraRoutes != null) extraRoutes.accept(router);
      // The body cap of every request is Engine.IO's maxHttpBufferSize (hostile-inputs.md#A16).
      NetOptions effective = netOptions.toBuilder().maxBodyBytes(eioOptions.maxHttpBufferSize()).build();
      NetServer net = new NetServer(effective, router, workers, scheduler).start();
      return new EngineIoHost(net, engine, workers, workers, null, owned);
    } catch (IOException | RuntimeException | Error e) {
      // A failed bind (the port is taken) leaves nothing running: NetServer.start closed its own
      // channel and selectors; the pool and an owned timer are ours to stop.
      workers.shutdownNow();
      if (owned != null) owned.close();
      throw e;
    }
  }

  /** The port the server listens on (the one picked when 0 was asked). */
  public int port() {
    return net.port();
  }

  /** The Engine.IO server on its path. */
  public EngineIoServer engine() {
    return engine;
  }

  /** The network server underneath (connections, I/O loops). */
  public NetServer net() {
    return net;
  }

  /** The worker pool: handlers, every session's serial executor, and work the layers above hand off. */
  public java.util.concurrent.Executor workers() {
    return workers;
  }

  @Override
  public void close() {
    close(java.time.Duration.ofSeconds(3));
  }

  /**
   * Graceful shutdown: new handshakes get 503, every session is closed with "server shutting
   * down" (buffered packets and the close go out first), then we wait up to {@code grace} for the
   * sessions to end; the I/O loops write what is still queued before they close the sockets.
   * Attached ({@link #attach}): the same for the sessions (not waited for once the application
   * has closed its server, whose close already dropped their connections), then our route is
   * taken off the application's router; its server, its routes and its workers keep running.
   */
  public void close(java.time.Duration grace) {
    engine.closeAll(CloseReason.SERVER_SHUTDOWN);
    long deadline = System.nanoTime() + grace.toNanos();
    while (System.nanoTime() - deadline < 0 && engine.sessionCount() > 0 && !net.isClosed()) {
      try {
        Thread.sleep(10); // shutdown only: polling two counters, no test depends on this
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (attachedTo != null) {
      attachedTo.unmount(engine);
      return;
    }
    net.close();
    ownedWorkers.shutdownNow();
    if (ownedScheduler != null) ownedScheduler.close();
  }
}
