package dev.switchboard.conformance;

import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.engineio.EngineIoOptions;
import java.time.Duration;

/** The Socket.IO test application of conformance/README.md. */
final class SocketIoApp implements TestApps.Running {
  private SocketIoServer io;
  private final int port;

  private SocketIoApp(SocketIoServer io) {
    this.io = io;
    this.port = io.port();
  }

  static SocketIoApp start(int port) throws Exception {
    return new SocketIoApp(create(port));
  }

  static SocketIoServer create(int port) throws Exception {
    SocketIoOptions options = SocketIoOptions.DEFAULTS
        .withEngine(EngineIoOptions.DEFAULTS.withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200)))
        .withConnectTimeout(Duration.ofMillis(1000))
        .withNet(NetOptions.DEFAULTS.withHost("127.0.0.1"));
    SocketIoServer io = new SocketIoServer(options);
    io.onConnection(socket -> {
      socket.emit("auth", socket.handshake().auth());
      socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
      socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
    });
    io.of("/custom").onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
    return io.listen(port);
  }

  @Override
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void restart() throws Exception {
    io.close();
    io = create(port);
  }

  @Override
  public void close() {
    io.close();
  }
}
