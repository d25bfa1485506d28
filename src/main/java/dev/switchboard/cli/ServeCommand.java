package dev.switchboard.cli;

import dev.switchboard.storage.DatabaseOpenException;
import dev.switchboard.storage.UsersFileImport;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The default command: the chat server ({@link ChatServer}) configured by {@link ServerConfig}.
 * Exit code 2, with one sentence and no stack trace, for a configuration mistake, a database that
 * cannot be opened, or a users file that cannot be imported.
 */
final class ServeCommand {
  private ServeCommand() {}

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    ServerConfig config;
    ChatServer server;
    try {
      config = ServerConfig.from(new Options(args, env), env);
      server = ChatServer.start(config, err);
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("switchboard: " + e.getMessage());
      return 2;
    } catch (DatabaseOpenException | UsersFileImport.CorruptUsersFileException e) {
      // The database unreachable (its URL masked), or users.json refused (left as it is): one
      // sentence, no stack trace, exit 2 as for any configuration mistake.
      err.println("switchboard: " + e.getMessage());
      return 2;
    }
    String scheme = config.tls() != null ? "https" : "http";
    String shown = config.host().equals("0.0.0.0") ? "localhost" : config.host();
    out.println("Switchboard listening on " + scheme + "://" + shown + ":" + server.port() + "/");
    out.flush();
    ConformanceCommand.awaitShutdown(server);
    return 0;
  }
}
