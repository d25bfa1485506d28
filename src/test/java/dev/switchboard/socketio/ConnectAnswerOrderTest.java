package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CONNECT answer leaves only once the connection handlers have run (socket-io.md,
 * "Connecting"): a client that has its CONNECT is already in the rooms its handler joined, so a
 * broadcast to such a room made as soon as the client is connected reaches it — as on Node, where
 * the handlers run in the tick that sends the CONNECT. Before, the answer left first, and a chat
 * client told by its CONNECT that it was in could miss the next messages of {@code general}.
 */
class ConnectAnswerOrderTest {
  private final CountDownLatch handlerEntered = new CountDownLatch(1);
  private final CountDownLatch handlerMayJoin = new CountDownLatch(1);
  private SocketIoServer io;
  private SocketIoTestClient client;

  @AfterEach
  void stop() throws Exception {
    handlerMayJoin.countDown();
    if (client != null) client.close();
    if (io != null) io.close();
  }

  @Test
  void theConnectAnswerLeavesAfterTheConnectionHandlersJoinedTheirRooms() throws Exception {
    io = new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build());
    io.onConnection(socket -> {
      handlerEntered.countDown();
      try {
        // Held by the test: a slow handler, as one on a busy machine.
        assertTrue(handlerMayJoin.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      socket.join("lobby");
      socket.emit("welcome");
    });
    io.listen(0);

    client = SocketIoTestClient.open(io.port());
    client.send("0");
    assertTrue(handlerEntered.await(10, TimeUnit.SECONDS), "the connection handler never ran");
    // While the handler has not joined, the client has no CONNECT (bounded look: it arrived at
    // once when the answer was sent before the handlers).
    assertThrows(AssertionError.class, () -> client.awaitPacket("an early CONNECT", Duration.ofMillis(300),
        p -> p.type() == SocketIoTestClient.CONNECT));

    handlerMayJoin.countDown();
    client.awaitPacket("CONNECT", SocketIoTestClient.DEFAULT_TIMEOUT, p -> p.type() == SocketIoTestClient.CONNECT);
    io.sockets().to("lobby").emit("news", "first");
    // The handler's own emit follows the CONNECT, and the broadcast made once connected arrives.
    client.awaitEvent("welcome");
    assertEquals("first", client.awaitEvent("news").asText());
  }
}
