package dev.switchboard.cli;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The default command: the server, configured by {@link ServerConfig}. */
final class ServeCommand {
  private ServeCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    ServerConfig config;
    try {
      config = ServerConfig.from(new Options(args, System.getenv()), System.getenv());
    } catch (IllegalArgumentException e) {
      err.println("switchboard: " + e.getMessage());
      return 2;
    }
    SocketIoServer io = start(config);
    String scheme = config.tls() != null ? "https" : "http";
    out.println("Switchboard listening on " + scheme + "://" + config.host() + ":" + io.port() + "/");
    out.flush();
    ConformanceCommand.awaitShutdown(io);
    return 0;
  }

  static SocketIoServer start(ServerConfig config) throws Exception {
    NetOptions net = NetOptions.DEFAULTS.withHost(config.host()).withTls(config.tls());
    EngineIoOptions engine = EngineIoOptions.DEFAULTS.withCors(config.allowedOrigins(), false);
    SocketIoServer io = new SocketIoServer(SocketIoOptions.DEFAULTS.withNet(net).withEngine(engine));
    Metrics metrics = new Metrics()
        .gauge("switchboard_sockets_connected", "Connected Socket.IO sockets on the main namespace.",
            () -> io.sockets().sockets().size())
        .jvm();
    io.route("/healthz", ex -> ex.respond(HttpResponse.status(200)
        .header("Content-Type", "text/plain; charset=UTF-8")
        .header("Cache-Control", "no-store")
        .body("ok\n".getBytes(StandardCharsets.UTF_8))
        .build()));
    io.route("/metrics", metrics);
    return io.listen(config.port());
  }
}
