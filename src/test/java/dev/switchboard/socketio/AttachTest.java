package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.EngineIoServer;
import dev.switchboard.engineio.WorkerPool;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpRouter;
import dev.switchboard.net.NetOptions;
import dev.switchboard.net.NetServer;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.SocketIoTestClient;
import io.socket.client.IO;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SocketIoServer#attach}: Socket.IO on an application's own {@link NetServer} and
 * {@link HttpRouter} (Node's {@code sio.attach(httpServer)}, issue #12), next to the application's
 * routes, with the application's server outliving {@code sio.close()}.
 */
class AttachTest {
  private ExecutorService workers;
  private SystemScheduler clock;
  private HttpRouter router;
  private NetServer server;
  private SocketIoServer sio;

  @BeforeAll
  static void quietClientLogs() {
    Logger.getLogger("io.socket").setLevel(Level.SEVERE);
  }

  @BeforeEach
  void application() throws Exception {
    workers = WorkerPool.create("app-worker", 4);
    clock = new SystemScheduler();
    // The application's own routes, a catch-all included: /socket.io/ must still reach Socket.IO.
    router = new HttpRouter(workers)
        .exact("/hello", ex -> ex.respond(HttpResponse.status(200).body("hi", "text/plain").build()))
        .matching(path -> true, ex -> ex.respond(HttpResponse.status(418).body("app", "text/plain").build()));
    server = new NetServer(NetOptions.builder().host("127.0.0.1").port(0).build(), router, workers, clock);
    sio = new SocketIoServer();
    sio.onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0), socket.transport())));
  }

  @AfterEach
  void stop() throws Exception {
    sio.close();
    server.close();
    clock.close();
    workers.shutdownNow();
    assertTrue(workers.awaitTermination(5, TimeUnit.SECONDS));
  }

  private static int status(int port, String path) throws Exception {
    return RawHttpClient.request(port, "GET", path, null).status();
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
  void theOfficialJavaClientConnectsOnTheApplicationsPortNextToItsRoutes(String transports) throws Exception {
    sio.attach(server, router); // before the start: the router may be built either way
    server.start();
    assertEquals(server.port(), sio.port());
    assertEquals("hi", RawHttpClient.request(server.port(), "GET", "/hello", null).bodyText());
    assertEquals(418, status(server.port(), "/anything/else"));

    IO.Options o = new IO.Options();
    o.forceNew = true;
    o.reconnection = false;
    o.transports = transports.split(",");
    io.socket.client.Socket client = IO.socket(new URI("http://127.0.0.1:" + server.port()), o);
    try {
      CompletableFuture<Object[]> answer = new CompletableFuture<>();
      client.on(io.socket.client.Socket.EVENT_CONNECT, none ->
          client.emit("echo", new Object[] {"over " + transports}, answer::complete));
      client.connect();
      Object[] echoed = answer.get(10, TimeUnit.SECONDS);
      assertEquals("over " + transports, echoed[0]);
      if (!transports.equals("polling")) {
        // After the upgrade (or from the start) the session is on WebSocket: the upgrade request
        // reached Socket.IO through the application's router too.
        Await.until("the session on WebSocket", () -> {
          CompletableFuture<Object[]> f = new CompletableFuture<>();
          client.emit("echo", new Object[] {"again"}, f::complete);
          return "websocket".equals(f.orTimeout(5, TimeUnit.SECONDS).join()[1]);
        });
      }
    } finally {
      client.close();
    }
  }

  @Test
  void ioCloseEndsTheSessionsButNotTheApplicationsServer() throws Exception {
    server.start();
    sio.attach(server, router); // after the start: mounted on a running server
    EngineIoServer engine = sio.engineHost().engine();
    try (SocketIoTestClient c = SocketIoTestClient.connect(sio.port(), null)) {
      assertEquals("x", c.emitWithAck("echo", "x").asText());
      sio.close();
      c.awaitDisconnect();
      assertEquals(0, engine.sessionCount());
    }
    assertFalse(server.isClosed());
    assertEquals(200, status(server.port(), "/hello"));
    // Our route is gone: the application's catch-all answers our path again.
    assertEquals(418, status(server.port(), "/socket.io/?EIO=4&transport=polling"));
    assertThrows(IllegalStateException.class, sio::port);
  }

  @Test
  void theApplicationClosingItsServerFirstEndsTheSessionsAndIoCloseStillReturns() throws Exception {
    server.start();
    sio.attach(server, router);
    EngineIoServer engine = sio.engineHost().engine();
    try (SocketIoTestClient c = SocketIoTestClient.connect(sio.port(), null)) {
      assertEquals("y", c.emitWithAck("echo", "y").asText());
      server.close();
      c.awaitDisconnect();
      Await.until("the session to end with its connection", () -> engine.sessionCount() == 0);
      sio.close();
    }
    assertTrue(server.isClosed());
  }

  @Test
  void attachingTwiceOrAfterListenIsRefused() throws Exception {
    sio.attach(server, router);
    assertThrows(IllegalStateException.class, () -> sio.attach(server, router));
    assertThrows(IllegalStateException.class, () -> sio.listen(0));
  }

  @Test
  void routesAddedWithIoRouteGoOnTheApplicationsRouterAfterItsOwn() throws Exception {
    HttpRouter plain = new HttpRouter(workers)
        .exact("/hello", ex -> ex.respond(HttpResponse.status(200).body("hi", "text/plain").build()));
    try (NetServer other = new NetServer(NetOptions.builder().host("127.0.0.1").port(0).build(), plain, workers, clock)) {
      sio.route("/from-io", ex -> ex.respond(HttpResponse.status(200).body("io route", "text/plain").build()));
      sio.attach(other, plain);
      other.start();
      assertEquals("io route", RawHttpClient.request(other.port(), "GET", "/from-io", null).bodyText());
      assertEquals("hi", RawHttpClient.request(other.port(), "GET", "/hello", null).bodyText());
      assertEquals(404, status(other.port(), "/nothing"));
      sio.close();
      assertEquals("hi", RawHttpClient.request(other.port(), "GET", "/hello", null).bodyText());
    }
  }
}
