package dev.switchboard.cli;

import dev.switchboard.storage.DatabaseOpenException;
import dev.switchboard.storage.UsersFileImport;
import java.io.PrintStream;
import java.net.BindException;
import java.util.List;
import java.util.Map;

/**
 * The default command: the chat server ({@link ChatServer}) configured by {@link ServerConfig}.
 * Exit code 2 ({@link Help#USAGE}), with one sentence and no stack trace, for a configuration
 * mistake, a database that cannot be opened, or a users file that cannot be imported; 3
 * ({@link Help#CANNOT_LISTEN}) when the port cannot be bound, naming host and port.
 */
final class ServeCommand {
  private ServeCommand() {}

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    ServerConfig config;
    try {
      config = ServerConfig.from(new Options(args, env), env);
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println(Main.say(e.getMessage()));
      return Help.USAGE;
    }
    ChatServer server;
    try {
      server = ChatServer.start(config, err);
    } catch (BindException e) { // before anything was written to the data directory (ChatServer)
      err.println(Main.cannotListen(config.host(), config.port(), e));
      return Help.CANNOT_LISTEN;
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println(Main.say(e.getMessage()));
      return Help.USAGE;
    } catch (DatabaseOpenException | UsersFileImport.CorruptUsersFileException e) {
      // The database unreachable (its URL masked), or users.json refused (left as it is): one
      // sentence, no stack trace, exit 2 as for any configuration mistake.
      err.println(Main.say(e.getMessage()));
      return Help.USAGE;
    }
    String scheme = config.tls() != null ? "https" : "http";
    String shown = config.host().equals("0.0.0.0") ? "localhost" : config.host();
    ConformanceCommand.awaitShutdown(server, out, "ChatServer",
        "listening on " + scheme + "://" + shown + ":" + server.port() + "/");
    return Help.OK;
  }

}
