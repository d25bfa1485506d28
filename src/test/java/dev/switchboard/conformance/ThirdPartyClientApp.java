package dev.switchboard.conformance;

import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The server the third-party client tests ({@link JavaClientTest}, {@link PythonClientTest}) talk
 * to, on 127.0.0.1 and a free port:
 * <ul>
 *   <li>"/" needs {@code auth: {token: "secret"}}, else {@code connect_error} "unauthorized" with
 *       data {@code {code: "BAD_TOKEN"}}; a connected socket gets {@code welcome <transport>};
 *   <li>{@code bytes} acks {@code [Arrays.toString(bytes), bytes]}; {@code transport} acks the
 *       server's transport name; {@code ask} emits {@code question} with an ack to the client and
 *       acks {@code "client said " + answer}; {@code kick-me} disconnects the socket;
 *   <li>"/admin" acks {@code ping-admin} with {@code "admin pong"}.
 * </ul>
 */
final class ThirdPartyClientApp {
  private ThirdPartyClientApp() {}

  static SocketIoServer start() throws IOException {
    return start(0);
  }

  /** The same server on {@code port} (0: a free one), to restart one where a client expects it. */
  static SocketIoServer start(int port) throws IOException {
    SocketIoServer io = new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build());
    io.use((socket, next) -> {
      if (socket.handshake().auth().path("token").asText().equals("secret")) next.proceed();
      else next.fail(new ConnectError("unauthorized", Map.of("code", "BAD_TOKEN")));
    });
    io.onConnection(socket -> {
      socket.emit("welcome", socket.transport());
      socket.on("bytes", (args, ack) -> ack.send(Arrays.toString(args.getBytes(0)), args.getBytes(0)));
      socket.on("transport", (args, ack) -> ack.send(socket.transport()));
      socket.on("ask", (args, ack) -> socket.emitWithAck("question", args.getString(0))
          .thenAccept(answer -> ack.send("client said " + answer.getString(0))));
      socket.on("kick-me", (args, ack) -> socket.disconnect());
    });
    io.of("/admin").onConnection(socket -> socket.on("ping-admin", (args, ack) -> ack.send("admin pong")));
    io.listen(port);
    return io;
  }
}
