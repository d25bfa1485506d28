package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.ConnectionError;
import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.SocketIoTestClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketIoServer#onConnectionError}, Node's {@code io.engine.on("connection_error")}: each
 * request refused with an Engine.IO error is reported once, with the code and message the client
 * got and the check that refused it, on a worker thread; an observer that throws costs nobody
 * anything.
 */
class ConnectionErrorTest {
  private record Seen(ConnectionError error, String thread) { }

  private static SocketIoServer server() {
    return new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build());
  }

  private static Seen awaitNth(List<Seen> seen, int n) {
    Await.until("connection error " + n, () -> seen.size() >= n);
    return seen.get(n - 1);
  }

  @Test
  void everyRefusedRequestIsReportedWithTheAnswersCodeAndMessageOffTheIoThreads() throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    try (SocketIoServer io = server()) {
      io.onConnectionError(e -> seen.add(new Seen(e, Thread.currentThread().getName())));
      io.onConnection(socket -> { });
      io.listen(0);
      String[][] cases = {
          // method, target, status, code, message, context
          {"GET", "/socket.io/?EIO=4&transport=carrier-pigeon", "400", "0", "Transport unknown", "transport not enabled"},
          {"GET", "/socket.io/?EIO=4&transport=polling&sid=nobody-has-this", "400", "1", "Session ID unknown", "unknown sid"},
          {"POST", "/socket.io/?EIO=4&transport=polling", "400", "2", "Bad handshake method", "handshake not a GET"},
          {"GET", "/socket.io/?EIO=4&transport=polling&transport=websocket", "400", "3", "Bad request", "repeated query parameter"},
          {"GET", "/socket.io/?EIO=5&transport=polling", "400", "5", "Unsupported protocol version", "protocol version not served"},
      };
      for (int i = 0; i < cases.length; i++) {
        String[] c = cases[i];
        RawHttpClient.Response r = RawHttpClient.request(io.port(), c[0], c[1], c[0].equals("POST") ? "x" : null);
        assertEquals(Integer.parseInt(c[2]), r.status(), c[1]);
        assertEquals("{\"code\":" + c[3] + ",\"message\":\"" + c[4] + "\"}", r.bodyText());
        Seen s = awaitNth(seen, i + 1);
        assertEquals(Integer.parseInt(c[3]), s.error().code(), c[1]);
        assertEquals(c[4], s.error().message());
        assertEquals(c[5], s.error().context());
        assertEquals(Integer.parseInt(c[2]), s.error().error().httpStatus());
        assertEquals(c[0], s.error().request().method());
        assertEquals(c[1], s.error().request().target());
        assertTrue(s.error().remoteAddress().getAddress().isLoopbackAddress(), s.error().remoteAddress().toString());
        assertFalse(s.thread().startsWith("switchboard-io-"), "observer ran on " + s.thread());
      }
      // a good handshake is not an error
      try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
        assertTrue(c.sid() != null);
      }
      RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=nope", null);
      assertEquals("transport not enabled", awaitNth(seen, cases.length + 1).error().context());
      assertEquals(cases.length + 1, seen.size(), "exactly one report per refused request");
    }
  }

  @Test
  void aFloodOfBadRequestsQueuesAtMost1024ReportsForASlowObserverAndCountsThemAll() throws Exception {
    // hostile-inputs.md#A115
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
    int flood = dev.switchboard.engineio.EngineIoServer.MAX_PENDING_ERROR_REPORTS + 76;
    try (SocketIoServer io = server()) {
      io.onConnectionError(e -> {
        try {
          release.await();
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
        told.incrementAndGet();
      });
      io.onConnection(socket -> socket.on("ping", (args, ack) -> ack.send("pong")));
      io.listen(0);
      for (int i = 0; i < flood; i++) {
        assertEquals(400, RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=flood", null).status());
      }
      // the observer is stuck: answers still go out, and a well-behaved client is served
      try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
        assertEquals("pong", c.emitWithAck("ping").asText());
      }
      assertEquals((long) flood, io.engineHost().engine().errorCounts().get("transport_unknown"));
      release.countDown();
      Await.until("the queued reports", () -> told.get() == dev.switchboard.engineio.EngineIoServer.MAX_PENDING_ERROR_REPORTS);
      // once they have run, reports flow again
      assertEquals(400, RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=flood", null).status());
      Await.until("a report after the flood", () -> told.get() == dev.switchboard.engineio.EngineIoServer.MAX_PENDING_ERROR_REPORTS + 1);
    }
  }

  @Test
  void anAllowRequestRefusalIsForbiddenAndReportedAsSuch() throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    try (SocketIoServer io = server()) {
      io.allowRequest((request, remote) -> CompletableFuture.completedFuture(request.header("X-Let-In") != null));
      io.onConnectionError(e -> seen.add(new Seen(e, Thread.currentThread().getName())));
      io.listen(0);
      assertEquals(403, RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=polling", null).status());
      Seen s = awaitNth(seen, 1);
      assertEquals(4, s.error().code());
      assertEquals("Forbidden", s.error().message());
      assertEquals("allowRequest refused", s.error().context());
    }
  }

  @Test
  void aThrowingObserverChangesNoAnswerAndAnObserverSetLaterReplacesTheFirst() throws Exception {
    List<Seen> first = new CopyOnWriteArrayList<>();
    List<Seen> second = new CopyOnWriteArrayList<>();
    try (SocketIoServer io = server()) {
      io.listen(0);
      io.onConnection(socket -> socket.on("ping", (args, ack) -> ack.send("pong")));
      // set after listen: applies to the running server
      io.onConnectionError(e -> {
        first.add(new Seen(e, Thread.currentThread().getName()));
        throw new IllegalStateException("observer bug");
      });
      for (int i = 1; i <= 3; i++) {
        assertEquals(400, RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=x", null).status());
        awaitNth(first, i);
      }
      try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
        assertEquals("pong", c.emitWithAck("ping").asText());
      }
      io.onConnectionError(e -> second.add(new Seen(e, Thread.currentThread().getName())));
      assertEquals(400, RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=x", null).status());
      awaitNth(second, 1);
      assertEquals(3, first.size(), "the replaced observer is no longer told");
      io.onConnectionError(null);
      assertEquals(400, RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=x", null).status());
      try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
        assertEquals("pong", c.emitWithAck("ping").asText());
      }
      assertEquals(1, second.size(), "a removed observer is no longer told");
    }
  }
}
