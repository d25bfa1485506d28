package dev.switchboard.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar switchboard.jar [command] [options]}. Commands:
 * <ul>
 *   <li>(none) — the chat server ({@link ServeCommand}, configured by {@link ServerConfig})</li>
 *   <li>{@code user add|list|remove} — user administration ({@link UserCommand})</li>
 *   <li>{@code conformance engine.io|socket.io [--port N]} — the servers the official protocol
 *       test suites expect</li>
 *   <li>{@code bench-server} — the benchmark application</li>
 * </ul>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    int code = run(Arrays.asList(args), System.out, System.err);
    if (code != 0) System.exit(code);
  }

  /** Runs a command; returns the exit code (0 while a server keeps running). */
  static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    return run(args, System.getenv(), out, err);
  }

  /** {@link #run(List, PrintStream, PrintStream)} with the environment given (tests). */
  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    if (args.contains("--help") || args.contains("-h")) {
      out.println(usage());
      return 0;
    }
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      return ServeCommand.run(args, env, out, err);
    }
    try {
      return runCommand(args, env, out, err);
    } catch (IllegalArgumentException e) { // a bad option or value: one line, no stack trace
      err.println("switchboard: " + e.getMessage());
      return 2;
    }
  }

  private static int runCommand(List<String> args, Map<String, String> env, PrintStream out, PrintStream err)
      throws Exception {
    switch (args.get(0)) {
      case "user":
        return UserCommand.run(args.subList(1, args.size()), System.in, out, err);
      case "conformance":
        return ConformanceCommand.run(args.subList(1, args.size()), env, out, err);
      case "bench-server":
        return BenchServerCommand.run(args.subList(1, args.size()), env, out, err);
      case "help":
        out.println(usage());
        return 0;
      default:
        err.println("Unknown command: " + args.get(0));
        err.println(usage());
        return 2;
    }
  }

  static String usage() {
    return String.join("\n",
        "Usage: java -jar target/switchboard.jar [command] [options]",
        "",
        "Commands:",
        "  (none)                         the chat server: --port/PORT (3000), --host/HOST, --data-dir/DATA_DIR (./data),",
        "                                 --allowed-origins/ALLOWED_ORIGINS, --token-ttl/TOKEN_TTL (1h), --registration on|off,",
        "                                 --bcrypt-cost N, --tls-cert F --tls-key F | --tls-p12 F; env JWT_SECRET (>= 32 bytes)",
        "                                 --database-url/DATABASE_URL U  users and sessions in PostgreSQL",
        "                                 (postgresql://user:password@host:5432/db); unset: SQLite in DATA_DIR/switchboard.db",
        "                                 --history-days/HISTORY_DAYS (30), --history-per-room/HISTORY_PER_ROOM (10000)",
        "                                 limits (README 'Limits'; 0 = off): --max-connections-per-address N (500),",
        "                                 --max-new-connections-per-second N (200), --max-unconnected-sessions-per-address N",
        "                                 (50), --trusted-proxy LIST (none), --max-failed-connects N (5); each also an env var",
        "  user add NAME | list | remove NAME  manage users (password read from stdin; --data-dir D, --database-url U)",
        "  conformance engine.io [--port N]  echo server for the official engine.io-protocol suite (port 3000)",
        "  conformance socket.io [--port N]  the app the official socket.io-protocol suite expects (port 3000)",
        "  bench-server                   the benchmark application on 127.0.0.1:PORT (env TOKEN, AUTH_MODE=jwt, JWT_SECRET);",
        "                                 --recovery (RECOVERY=on) connection state recovery, --node-id/NODE_ID ID its whoami",
        "                                 answer (random when unset); per-address limits off unless given, --max-failed-connects N",
        "                                 (5)",
        "  help                           this text",
        "",
        "Cluster (the chat server, bench-server, conformance socket.io; without a Redis URL: one process, no Redis):",
        "  --redis-url/REDIS_URL U        join the nodes on this Redis: redis://[[user]:password@]host[:port][/db], rediss:// for TLS",
        "  --adapter/ADAPTER A            redis (the default with a URL) | redis-sharded | redis-streams, as Node's adapters",
        "  --redis-key/REDIS_KEY K        channel prefix (and stream name) shared with the other nodes (socket.io)",
        "  --subscription-mode/SUBSCRIPTION_MODE M  redis-sharded only: dynamic (default) | static | dynamic-private",
        "  --presence-heartbeat/PRESENCE_HEARTBEAT D  chat server: a dead node's users leave within 1.5 x D (5s)",
        "  The chat server, bench-server and conformance socket.io answer GET /healthz (200 ok); the first two GET /metrics.");
  }
}
