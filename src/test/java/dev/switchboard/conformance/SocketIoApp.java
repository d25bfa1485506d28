package dev.switchboard.conformance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.protocol.SocketIoParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Socket.IO test application of conformance/README.md — the same one
 * conformance/reference/socket-io-server.mjs runs on Node's socket.io.
 */
final class SocketIoApp implements TestApps.Running {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private SocketIoServer io;
  private final int port;
  private final boolean recovery;
  private final SocketIoParser parser;

  private SocketIoApp(SocketIoServer io, boolean recovery, SocketIoParser parser) {
    this.io = io;
    this.port = io.port();
    this.recovery = recovery;
    this.parser = parser;
  }

  static SocketIoApp start(int port, boolean recovery) throws Exception {
    return start(port, recovery, SocketIoParser.DEFAULT);
  }

  /** With {@code parser} ({@code PARSER=msgpack} on the Node reference server). */
  static SocketIoApp start(int port, boolean recovery, SocketIoParser parser) throws Exception {
    return new SocketIoApp(create(port, recovery, parser), recovery, parser);
  }

  static SocketIoServer create(int port, boolean recovery) throws Exception {
    return create(port, recovery, SocketIoParser.DEFAULT);
  }

  static SocketIoServer create(int port, boolean recovery, SocketIoParser parser) throws Exception {
    SocketIoOptions.Builder options = SocketIoOptions.builder()
        .parser(parser)
        .engine(EngineIoOptions.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200)).build())
        .connectTimeout(Duration.ofMillis(1000))
        .net(NetOptions.builder().host("127.0.0.1").build());
    if (recovery) {
      options.recovery(SocketIoOptions.Recovery.builder().maxDisconnectionDuration(Duration.ofMinutes(1)).build());
    }
    SocketIoServer io = new SocketIoServer(options.build());
    io.onConnection(socket -> {
      socket.emit("auth", socket.handshake().auth());
      socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
      socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
      socket.on("echo", (args, ack) -> {
        if (ack.isRequested()) ack.send(args.toArray());
        else socket.emit("echo", args.toArray());
      });
      socket.on("never-ack", (args, ack) -> { });
      socket.on("join", (args, ack) -> {
        socket.join(args.getString(0));
        ack.send(true);
      });
      socket.on("leave", (args, ack) -> {
        socket.leave(args.getString(0));
        ack.send(true);
      });
      socket.on("to-room", (args, ack) -> {
        socket.to(args.getString(0)).emit("room-message", args.get(1));
        ack.send(true);
      });
      socket.on("to-room-except", (args, ack) -> {
        io.to(args.getString(0)).except(args.getString(1)).emit("room-message", args.get(2));
        ack.send(true);
      });
      socket.on("volatile", (args, ack) -> {
        for (int i = 0; i < args.get(0).asInt(); i++) socket.asVolatile().emit("v", i);
      });
      socket.on("server-ack", (args, ack) -> socket.timeout(Duration.ofMillis(args.get(0).asLong()))
          .emitWithAck("question", 42)
          .whenComplete((answer, err) -> ack.send(result(answer, err, false))));
      socket.on("server-ack-binary", (args, ack) -> socket.timeout(Duration.ofMillis(args.get(0).asLong()))
          .emitWithAck("question", 42)
          .whenComplete((answer, err) -> ack.send(result(answer, err, true))));
      socket.on("send-binary", (args, ack) ->
          socket.emit("binary", Map.of("data", new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255})));
      socket.on("ack-all", (args, ack) -> io.to(args.getString(0)).timeout(Duration.ofMillis(args.get(1).asLong()))
          .emitWithAck("poll")
          .whenComplete((answers, err) -> {
            ObjectNode r = JSON.objectNode();
            List<Args> got = err instanceof AckTimeoutException t ? t.responses() : answers;
            r.put("ok", err == null);
            var responses = r.putArray("responses");
            for (Args a : got == null ? List.<Args>of() : got) responses.add(a.get(0));
            if (err instanceof AckTimeoutException t) {
              r.put("error", t.getMessage());
              var missing = r.putArray("missing");
              for (String id : new ArrayList<>(t.missingSocketIds())) missing.add(id);
            }
            ack.send(r);
          }));
      socket.on("disconnect-me", (args, ack) -> socket.disconnect(args.get(0).asBoolean()));
    });
    io.of("/custom").onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
    io.of("/private")
        .use((socket, next) -> {
          if ("secret".equals(socket.handshake().auth().path("token").asText())) next.proceed();
          else next.fail(new ConnectError("unauthorized", Map.of("code", "BAD_TOKEN")));
        })
        .onConnection(socket -> socket.emit("welcome", "private"));
    io.of(Pattern.compile("^/dyn-\\d+$")).onConnection(socket -> socket.emit("hello", socket.namespace().name()));
    return io.listen(port);
  }

  private static ObjectNode result(Args answer, Throwable err, boolean asBytes) {
    ObjectNode r = JSON.objectNode();
    if (err != null) {
      Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
      r.put("ok", false);
      r.put("error", cause.getMessage());
      return r;
    }
    r.put("ok", true);
    if (asBytes) {
      var bytes = r.putArray("bytes");
      for (byte b : answer.getBytes(0)) bytes.add(b & 0xff);
    } else {
      r.set("answer", answer.get(0));
    }
    return r;
  }

  @Override
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void restart() throws Exception {
    io.close();
    io = create(port, recovery, parser);
  }

  @Override
  public void close() {
    io.close();
  }
}
