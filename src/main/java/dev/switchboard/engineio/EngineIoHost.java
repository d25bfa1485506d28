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
 */
public final class EngineIoHost implements AutoCloseable {
  private final NetServer net;
  private final EngineIoServer engine;
  private final ExecutorService workers;
  private final SystemScheduler ownedScheduler;

  private EngineIoHost(NetServer net, EngineIoServer engine, ExecutorService workers, SystemScheduler owned) {
    this.net = net;
    this.engine = engine;
    this.workers = workers;
    this.ownedScheduler = owned;
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
    EngineIoServer engine = new EngineIoServer(eioOptions, scheduler, workers,
        SessionIdGenerator.secureRandom(), filter, app);
    // Engine.IO routing never blocks: inline keeps one session's requests in arrival order.
    HttpRouter router = new HttpRouter(workers).inline(engine::matches, engine);
    if (extraRoutes != null) extraRoutes.accept(router);
    // The body cap of every request is Engine.IO's maxHttpBufferSize (hostile-inputs.md#A16).
    NetOptions effective = netOptions.toBuilder().maxBodyBytes(eioOptions.maxHttpBufferSize()).build();
    NetServer net = new NetServer(effective, router, workers, scheduler).start();
    return new EngineIoHost(net, engine, workers, owned);
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
   */
  public void close(java.time.Duration grace) {
    engine.closeAll(CloseReason.SERVER_SHUTDOWN);
    long deadline = System.nanoTime() + grace.toNanos();
    while (System.nanoTime() - deadline < 0 && engine.sessionCount() > 0) {
      try {
        Thread.sleep(10); // shutdown only: polling two counters, no test depends on this
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    net.close();
    workers.shutdownNow();
    if (ownedScheduler != null) ownedScheduler.close();
  }
}
