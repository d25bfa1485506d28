package dev.switchboard.examples;

import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.SocketIoServer;
import java.util.Map;

/** The README's example, compiled with the tests so that it cannot rot. */
public final class ChatServerExample {
  public static void main(String[] args) throws Exception {
    SocketIoServer io = new SocketIoServer();

    io.use((socket, next) -> {                        // handshake middleware
      String token = socket.handshake().auth().path("token").asText();
      if (token.equals("let-me-in")) next.proceed();
      else next.fail(new ConnectError("unauthorized", Map.of("code", "BAD_TOKEN")));
    });

    io.onConnection(socket -> {
      socket.join("lobby");
      socket.on("chat", (msg, ack) -> {               // broadcast to the room, except the sender
        socket.to("lobby").emit("chat", socket.id(), msg.get(0));
        ack.send("delivered");
      });
      socket.on("whoami", (msg, ack) -> ack.send(socket.id(), socket.rooms()));
      socket.onDisconnect(reason -> io.emit("left", socket.id(), reason));
    });

    io.listen(3000);
    System.out.println("listening on http://localhost:3000");
  }
}
