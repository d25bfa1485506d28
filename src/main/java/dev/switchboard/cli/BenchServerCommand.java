package dev.switchboard.cli;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * {@code bench-server}: the benchmark application, the same as {@code bench/node-server.js} does on
 * Node's socket.io, so both are measured doing the same work. Binds 127.0.0.1:{@code PORT}.
 *
 * <ul>
 *   <li>Handshake: {@code auth.token} must equal {@code bench-secret} (env {@code TOKEN}), or with
 *       {@code AUTH_MODE=jwt} be an HS256 JWT signed with {@code JWT_SECRET} whose {@code exp} is in
 *       the future; otherwise {@code connect_error} "unauthorized".</li>
 *   <li>{@code echo(payload, ack)} acks the payload; {@code broadcast(payload, ack)} emits
 *       {@code bcast} to every socket, then acks {@code true}; {@code join(room, ack)} joins and acks
 *       {@code true}; {@code toRoom(room, payload, ack)} emits {@code roomMsg} to the room, then acks
 *       {@code true}.</li>
 * </ul>
 */
final class BenchServerCommand {
  private BenchServerCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options opts = new Options(args, System.getenv());
    int port = opts.getInt("port", "PORT", 3000);
    opts.rejectUnknown();
    SocketIoServer io = start(port, System.getenv());
    out.println("bench-server listening on http://127.0.0.1:" + io.port());
    out.flush();
    ConformanceCommand.awaitShutdown(io);
    return 0;
  }

  static SocketIoServer start(int port, Map<String, String> env) throws Exception {
    SocketIoOptions options = SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build();
    SocketIoServer io = new SocketIoServer(options);
    io.use(authMiddleware(env));
    io.onConnection(socket -> {
      socket.on("echo", (a, ack) -> ack.send(a.get(0)));
      socket.on("broadcast", (a, ack) -> {
        io.emit("bcast", a.get(0));
        ack.send(true);
      });
      socket.on("join", (a, ack) -> {
        String room = a.getString(0);
        if (room != null) socket.join(room);
        ack.send(room != null);
      });
      socket.on("toRoom", (a, ack) -> {
        String room = a.getString(0);
        if (room != null) io.to(room).emit("roomMsg", a.get(1));
        ack.send(room != null);
      });
    });
    return io.listen(port);
  }

  private static Middleware authMiddleware(Map<String, String> env) throws Exception {
    if ("jwt".equalsIgnoreCase(env.getOrDefault("AUTH_MODE", ""))) {
      String secret = env.get("JWT_SECRET");
      if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
        throw new IllegalArgumentException("AUTH_MODE=jwt needs JWT_SECRET of at least 32 bytes");
      }
      MACVerifier verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
      return (socket, next) -> {
        String token = socket.handshake().auth().path("token").asText("");
        try {
          SignedJWT jwt = SignedJWT.parse(token);
          Date exp = jwt.getJWTClaimsSet().getExpirationTime();
          if (JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) && jwt.verify(verifier)
              && exp != null && exp.after(new Date())) {
            next.proceed();
            return;
          }
        } catch (Exception e) {
          // falls through to the refusal
        }
        next.fail(new ConnectError("unauthorized"));
      };
    }
    String expected = env.getOrDefault("TOKEN", "bench-secret");
    return (socket, next) -> {
      if (expected.equals(socket.handshake().auth().path("token").asText(null))) next.proceed();
      else next.fail(new ConnectError("unauthorized"));
    };
  }
}
