package dev.switchboard.conformance;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The server the Engine.IO 3 client tests ({@link SocketIoClientV2Test}, {@link JavaClientV1Test})
 * talk to, on 127.0.0.1 and a free port, with {@code allowEIO3} and a short ping interval (200 ms,
 * so that the client-driven pings of v3 happen within a test; the pong may take up to 10 s, as a
 * loaded build machine needs on the first connection of a cold JVM):
 * <ul>
 *   <li>"/" needs the token {@code secret}: in the CONNECT's auth (a v4 client), else in the
 *       handshake query ({@code ?token=}) or an {@code Authorization: Bearer} header (the ways a
 *       2.x client can carry it); else the error "unauthorized" with data {@code {code: "BAD_TOKEN"}}.
 *       A connected socket gets {@code welcome <transport> <engine.io protocol>};
 *   <li>{@code bytes} acks {@code [Arrays.toString(bytes), bytes]}; {@code transport} acks the
 *       server's transport name; {@code ask} emits {@code question} with an ack to the client and
 *       acks {@code "client said " + answer};
 *   <li>"/admin" needs {@code token=secret} in its CONNECT query (a 2.x client's
 *       {@code handshake.auth}), else the error "unauthorized" without data; acks {@code ping-admin}
 *       with {@code "admin pong " + token}.
 * </ul>
 */
final class Eio3ClientApp {
  private Eio3ClientApp() {}

  static SocketIoServer start() throws IOException {
    EngineIoOptions engine = EngineIoOptions.builder().allowEIO3(true)
        .pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofSeconds(10)).build();
    SocketIoServer io = new SocketIoServer(SocketIoOptions.builder()
        .net(NetOptions.builder().host("127.0.0.1").build()).engine(engine).build());
    io.use((socket, next) -> {
      if ("secret".equals(token(socket.handshake()))) next.proceed();
      else next.fail(new ConnectError("unauthorized", Map.of("code", "BAD_TOKEN")));
    });
    io.onConnection(socket -> {
      socket.emit("welcome", socket.transport(), socket.engineIoProtocol());
      socket.on("bytes", (args, ack) -> ack.send(Arrays.toString(args.getBytes(0)), args.getBytes(0)));
      socket.on("transport", (args, ack) -> ack.send(socket.transport()));
      socket.on("id", (args, ack) -> ack.send(socket.id()));
      socket.on("ask", (args, ack) -> socket.emitWithAck("question", args.getString(0))
          .thenAccept(answer -> ack.send("client said " + answer.getString(0))));
    });
    io.of("/admin").use((socket, next) -> {
      if ("secret".equals(socket.handshake().auth().path("token").asText())) next.proceed();
      else next.fail(new ConnectError("unauthorized")); // no data: the ERROR packet is the message
    });
    io.of("/admin").onConnection(socket -> {
      socket.on("ping-admin", (args, ack) -> ack.send("admin pong " + socket.handshake().auth().path("token").asText()));
      socket.on("id", (args, ack) -> ack.send(socket.id()));
    });
    io.listen(0);
    return io;
  }

  private static String token(Handshake h) {
    if (h.auth().path("token").isTextual()) return h.auth().path("token").asText();
    if (h.query().get("token") != null) return h.query().get("token");
    String authorization = h.headers().first("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) return authorization.substring(7);
    return null;
  }
}
