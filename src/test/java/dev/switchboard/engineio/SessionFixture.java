package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.WebSocketTransport;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.testing.FakeScheduler;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One real {@link EngineIoSession} with no network: a fake clock, a small worker pool for its
 * serial executor, and transports the test builds (a {@link WebSocketTransport} on a
 * {@link FakeWebSocketConnection}, or a polling transport that no GET ever reaches, which is a
 * client that has paused polling). The session's executor-only methods are called through
 * {@link #onExecutor}, as its thread rule demands.
 */
final class SessionFixture implements AutoCloseable {
  static final String SID = "fixture-sid";

  final FakeScheduler clock = new FakeScheduler();
  final ExecutorService workers = WorkerPool.create("fixture-worker", 2);
  final EngineIoOptions options = EngineIoOptions.builder().path("/engine.io/").build();
  final EngineIoServer server = new EngineIoServer(options, clock, workers, () -> SID, null, s -> { });
  final SerialExecutor executor = new SerialExecutor(workers);
  final EngineIoSession session = new EngineIoSession(SID, server, options, clock, executor,
      HttpRequest.of("GET", "/engine.io/?EIO=4&transport=polling", "HTTP/1.1", HttpHeaders.of(), null),
      new InetSocketAddress("127.0.0.1", 1), false);

  /** A WebSocket transport writing to {@code conn}. */
  WebSocketTransport webSocket(FakeWebSocketConnection conn) {
    WebSocketTransport ws = new WebSocketTransport();
    ws.attach(conn);
    return ws;
  }

  /** Runs {@code action} on the session's executor and waits for it (10 s at most). */
  void onExecutor(Runnable action) {
    CompletableFuture.runAsync(action, executor).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
