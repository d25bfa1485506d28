package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory seam itself: CONNECT, an event with an ack, a drop, all without a socket. */
class InMemorySmokeTest {
  @Test
  void connectEventAckAndDisconnectWithoutANetwork() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      List<DisconnectReason> reasons = new ArrayList<>();
      sio.io().onConnection(socket -> {
        socket.on("ping", (args, ack) -> ack.send("pong", args.get(0)));
        socket.onDisconnect(reason -> reasons.add(reason));
      });
      FakeEngineIoConnection c = sio.connect();
      c.receive("0{\"token\":\"x\"}");
      c.receive("21[\"ping\",7]");
      assertEquals(List.of("0{\"sid\":\"id1\"}", "31[\"pong\",7]"), c.sent());
      c.drop(CloseReason.TRANSPORT_CLOSE);
      assertEquals(List.of(DisconnectReason.TRANSPORT_CLOSE), reasons);
      assertTrue(sio.io().sockets().sockets().isEmpty());
    }
  }
}
