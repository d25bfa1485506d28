package dev.switchboard.cli;

import dev.switchboard.engineio.EngineIoHost;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.NetOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The default command: the server on {@code PORT} (default 3000). */
final class ServeCommand {
  private ServeCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options opts = new Options(args, System.getenv());
    int port = opts.getInt("port", "PORT", 3000);
    String host = opts.get("host", "HOST", "0.0.0.0");
    EngineIoHost server = EngineIoHost.start(NetOptions.DEFAULTS.withHost(host).withPort(port),
        EngineIoOptions.DEFAULTS, new EchoApplication(), null,
        router -> router.exact("/healthz", ex -> ex.respond(HttpResponse.status(200)
            .header("Content-Type", "text/plain; charset=UTF-8")
            .body("ok\n".getBytes(StandardCharsets.UTF_8))
            .build())));
    out.println("Switchboard listening on http://" + host + ":" + server.port() + "/");
    out.flush();
    ConformanceCommand.awaitShutdown(server);
    return 0;
  }
}
