package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.SocketIoTestClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The parts of {@link SocketIoServer} that only exist with a network: {@code listen}, {@code port},
 * extra HTTP routes and {@code close}. Everything else about the server is specified in memory
 * (ConnectTest, ServerBroadcastTest, NamespaceTest). Port 0: the system picks a free one.
 */
class SocketIoServerTest {
  private static SocketIoServer server() {
    return new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build());
  }

  @Test
  void aNewServerHasTheDefaultOptionsAndIsNotListening() {
    try (SocketIoServer io = new SocketIoServer()) {
      assertSame(SocketIoOptions.DEFAULTS, io.options());
      assertThrows(IllegalStateException.class, io::port);
      assertEquals("not listening", assertThrows(IllegalStateException.class, io::port).getMessage());
    }
  }

  @Test
  void listenOnPortZeroServesSocketIoAndTheExtraRoutesOnOnePort() throws Exception {
    try (SocketIoServer io = server()) {
      io.route("/hello", ex -> ex.respond(HttpResponse.status(200).body("hi", "text/plain").build()));
      io.route(path -> path.startsWith("/api/"), ex -> ex.respond(HttpResponse.status(204).build()));
      io.onConnection(socket -> socket.on("ping", (args, ack) -> ack.send("pong")));
      io.listen(0);
      assertTrue(io.port() > 0);
      assertTrue(io.port() > 0);
      assertEquals("hi", RawHttpClient.request(io.port(), "GET", "/hello", null).bodyText());
      assertEquals(204, RawHttpClient.request(io.port(), "GET", "/api/anything", null).status());
      assertEquals(404, RawHttpClient.request(io.port(), "GET", "/other", null).status());
      try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
        assertEquals("pong", c.emitWithAck("ping").asText());
      }
    }
  }

  @Test
  void allowRequestDecidesEachHandshakeOffTheIoThreadsAndARefusalIs403Forbidden() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    try (SocketIoServer io = server()) {
      io.allowRequest((request, remote) -> {
        threads.add(Thread.currentThread().getName());
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> "yes".equals(request.header("X-Let-In")));
      });
      io.onConnection(socket -> { });
      io.listen(0);
      RawHttpClient.Response refused = RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=polling", null);
      assertEquals(403, refused.status());
      assertEquals("{\"code\":4,\"message\":\"Forbidden\"}", refused.bodyText());
      RawHttpClient.Response allowed = RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=polling",
          null, "X-Let-In", "yes");
      assertEquals(200, allowed.status());
      assertTrue(allowed.bodyText().startsWith("0{\"sid\""), allowed.bodyText());
      assertEquals(2, threads.size());
      assertTrue(threads.stream().noneMatch(t -> t.startsWith("switchboard-io-")), threads.toString());
      assertThrows(IllegalStateException.class, () -> io.allowRequest((r, a) -> null));
    }
  }

  @Test
  void listeningTwiceIsRefused() throws Exception {
    try (SocketIoServer io = server()) {
      io.listen(0);
      assertEquals("already listening", assertThrows(IllegalStateException.class, () -> io.listen(0)).getMessage());
    }
  }

  @Test
  void closeDisconnectsEverySocketAndStopsListening() throws Exception {
    List<String> reasons = new CopyOnWriteArrayList<>();
    SocketIoServer io = server();
    io.onConnection(socket -> socket.onDisconnect(r -> reasons.add(r.wireName())));
    io.listen(0);
    try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
      io.close();
      Await.until("the socket disconnects", () -> reasons.equals(List.of("server shutting down")));
      c.awaitDisconnect();
      assertThrows(IllegalStateException.class, io::port);
    }
  }
}
