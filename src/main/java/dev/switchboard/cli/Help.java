package dev.switchboard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --help}: generated from the tables below, aligned column by column. Adding an option is
 * one line in {@link #SECTIONS}: {@code opt("--name V", "VARIABLE", "default", "what it does")}
 * (an empty string for a column that does not apply); the commands read their options themselves
 * ({@link Options}), this class only describes them. {@link #synopsis} lets {@link Options} say
 * what a flag given without its value expects.
 *
 * <p>Threading: the main thread; the tables are constants.
 */
final class Help {
  private Help() {}

  /** One line of a table: the flag with its value's name, the environment variable, the default, what it does. */
  record Opt(String flag, String variable, String defaultValue, String what) {}

  /** A titled table. */
  record Section(String title, List<Opt> options) {}

  /** Exit codes, also the values the commands return. */
  static final int OK = 0;
  /** A command failed while running (user remove of an unknown user, the database lost). */
  static final int FAILED = 1;
  /** Bad usage or configuration: nothing was started. */
  static final int USAGE = 2;
  /** The server cannot listen on its address (in use, or not permitted). */
  static final int CANNOT_LISTEN = 3;

  private static Opt opt(String flag, String variable, String defaultValue, String what) {
    return new Opt(flag, variable, defaultValue, what);
  }

  private static final List<Section> SECTIONS = List.of(
      new Section("Commands:", List.of(
          opt("(none)", "", "", "the chat server, with the options below"),
          opt("user add NAME", "", "", "add a user; the password is read from the terminal or one line of stdin"),
          opt("user list", "", "", "list the users (name, id, created)"),
          opt("user remove NAME", "", "", "remove a user and its sessions (a running server ends them within 10 s)"),
          opt("conformance engine.io", "", "", "the echo server the official engine.io-protocol suite expects"),
          opt("conformance socket.io", "", "", "the application the official socket.io-protocol suite expects"),
          opt("bench-server", "", "", "the benchmark application (bench/), on 127.0.0.1"),
          opt("help, --help, -h", "", "", "this text"))),
      new Section("Chat server options (a flag wins over its variable, which wins over the default):", List.of(
          opt("--port N", "PORT", "3000", "the port to listen on (0: any free one)"),
          opt("--host H", "HOST", "0.0.0.0", "the address to listen on"),
          opt("--data-dir D", "DATA_DIR", "./data", "switchboard.db (users, sessions) and the generated jwt-secret"),
          opt("--database-url U", "DATABASE_URL", "SQLite", "PostgreSQL instead: postgresql://user:password@host:5432/db"),
          opt("", "JWT_SECRET", "generated", "the token key, at least 32 bytes; environment only"),
          opt("--token-ttl D", "TOKEN_TTL", "1h", "token lifetime: 900, 30s, 15m, 1h, 7d (also JWT_EXPIRES_IN)"),
          opt("--allowed-origins L", "ALLOWED_ORIGINS", "none", "comma-separated origins allowed by CORS"),
          opt("--registration on|off", "REGISTRATION", "on", "sign-up (POST /auth/register); also ALLOW_REGISTRATION"),
          opt("--no-registration", "", "", "the same as --registration off"),
          opt("--bcrypt-cost N", "BCRYPT_COST", "12", "password hashing cost, 4 to 16"),
          opt("--login-max-failures N", "LOGIN_MAX_FAILURES", "5", "failed logins per account (per address: 10 x)…"),
          opt("--login-window D", "LOGIN_WINDOW", "15m", "…within this sliding window, then 429"),
          opt("--tls-cert F --tls-key F", "TLS_CERT, TLS_KEY", "off", "HTTPS with a PEM certificate chain and PKCS#8 key"),
          opt("--tls-p12 F", "TLS_P12", "off", "HTTPS with a PKCS#12 store (password in TLS_P12_PASSWORD)"),
          opt("", "LOG_LEVEL", "info", "error, warn, info, debug (adds stack traces) or trace"),
          opt("--history-days N", "HISTORY_DAYS", "30", "chat history older than this is deleted (hourly)"),
          opt("--history-per-room N", "HISTORY_PER_ROOM", "10000", "…and beyond the newest N of each room or conversation"),
          opt("--admin-ui", "ADMIN_UI", "off", "the Socket.IO Admin UI: namespace /admin, page at /admin/"),
          opt("", "ADMIN_UI_USER", "admin", "…its user name"),
          opt("", "ADMIN_UI_PASSWORD_HASH", "none", "…bcrypt hash of its password, required; environment only"),
          opt("--admin-ui-mode M", "ADMIN_UI_MODE", "development", "…development (every socket and event) or production (counts)"))),
      new Section("Limits (the chat server; bench-server: per-address caps off unless given; 0 = off):", List.of(
          opt("--max-connections-per-address N", "MAX_CONNECTIONS_PER_ADDRESS", "500", "open connections of one address"),
          opt("--max-new-connections-per-second N", "MAX_NEW_CONNECTIONS_PER_SECOND", "200", "new connections of one address per second"),
          opt("--max-unconnected-sessions-per-address N", "MAX_UNCONNECTED_SESSIONS_PER_ADDRESS", "50",
              "Engine.IO sessions of one client that joined no namespace"),
          opt("--trusted-proxy L", "TRUSTED_PROXY", "none", "proxies (addresses, CIDRs) whose X-Forwarded-For is believed"),
          opt("--max-failed-connects N", "MAX_FAILED_CONNECTS", "5", "refused CONNECTs per connection; the next closes it"),
          opt("--max-buffered-body-bytes N", "MAX_BUFFERED_BODY_BYTES", "67108864",
              "bytes of all request bodies being received at once; over it 503"),
          opt("--min-body-rate N", "MIN_BODY_RATE", "1024", "bytes/s a body must average from 5 s after its head; below it 408"))),
      new Section("Cluster options (the chat server, bench-server, conformance socket.io):", List.of(
          opt("--redis-url U", "REDIS_URL", "none", "the nodes' Redis: redis://[[user]:password@]host[:port][/db], rediss://"),
          opt("--adapter A", "ADAPTER", "redis", "redis, redis-sharded (Redis 7) or redis-streams, as Node's adapters"),
          opt("--redis-key K", "REDIS_KEY", "socket.io", "channel prefix (and stream name) shared with the other nodes"),
          opt("--subscription-mode M", "SUBSCRIPTION_MODE", "dynamic", "redis-sharded only: static, dynamic or dynamic-private"),
          opt("--presence-heartbeat D", "PRESENCE_HEARTBEAT", "5s", "chat server: a dead node's users leave within 1.5 x D"))),
      new Section("user options:", List.of(
          opt("--data-dir D", "DATA_DIR", "./data", "the server's data directory (its SQLite database)"),
          opt("--database-url U", "DATABASE_URL", "SQLite", "the server's PostgreSQL database instead"),
          opt("--bcrypt-cost N", "BCRYPT_COST", "12", "user add: password hashing cost, 4 to 16"),
          opt("--redis-url U --redis-key K", "REDIS_URL", "none", "user remove: tell the running nodes at once"))),
      new Section("bench-server options:", List.of(
          opt("--port N", "PORT", "3000", "the port on 127.0.0.1 (0: any free one)"),
          opt("--recovery on|off", "RECOVERY", "off", "connection state recovery, one minute"),
          opt("--node-id ID", "NODE_ID", "random", "the id answered to whoami"),
          opt("", "TOKEN", "bench-secret", "the auth.token a client must send"),
          opt("", "AUTH_MODE", "", "jwt: an HS256 token signed with JWT_SECRET instead"),
          opt("--ping-interval-ms N", "PING_INTERVAL_MS", "25000", "the heartbeat interval"),
          opt("--ping-timeout-ms N", "PING_TIMEOUT_MS", "20000", "the heartbeat timeout"),
          opt("--non-blocking-handlers on|off", "NON_BLOCKING_HANDLERS", "on", "handle an idle session's messages on the I/O thread"))),
      new Section("conformance options:", List.of(
          opt("--port N", "PORT", "3000", "the port the official suites expect"),
          opt("--host H", "HOST", "localhost", "the address to listen on"))),
      new Section("HTTP endpoints of the chat server:", List.of(
          opt("GET /", "", "", "the chat page"),
          opt("/socket.io/", "", "", "Socket.IO; a client connects with io(url, { auth: { token } })"),
          opt("POST /auth/register", "", "", "sign up: {username, password} → a token"),
          opt("POST /auth/login", "", "", "log in: {username, password} → a token"),
          opt("POST /auth/refresh", "", "", "a new token for the session (Authorization: Bearer)"),
          opt("POST /auth/logout", "", "", "end the session; its sockets are disconnected"),
          opt("GET /auth/config", "", "", "the page's settings (whether sign-up is open)"),
          opt("GET /healthz", "", "", "200 ok while the server runs (also bench-server, conformance socket.io)"),
          opt("GET /metrics", "", "", "Prometheus text: sockets, users, sessions, logins, messages, JVM, cluster"))),
      new Section("Exit codes:", List.of(
          opt(String.valueOf(OK), "", "", "done (help, user commands)"),
          opt(String.valueOf(FAILED), "", "", "a command failed while running (no such user, database lost)"),
          opt(String.valueOf(USAGE), "", "", "bad usage or configuration; database unreachable or users.json unreadable at start"),
          opt(String.valueOf(CANNOT_LISTEN), "", "", "the server cannot listen on its address (in use, or not permitted)"),
          opt("130, 143", "", "", "a server stopped by Ctrl-C or SIGTERM (after closing its connections)"))));

  /** The whole text, without a final line break; the columns line up across every table. */
  static String text() {
    int flagWidth = 0;
    int varWidth = 0;
    int defWidth = 0;
    for (Section s : SECTIONS) {
      for (Opt o : s.options()) {
        flagWidth = Math.max(flagWidth, o.flag().length());
        varWidth = Math.max(varWidth, o.variable().length());
        defWidth = Math.max(defWidth, o.defaultValue().length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add("Usage: java -jar target/switchboard.jar [command] [options]");
    for (Section s : SECTIONS) {
      lines.add("");
      lines.add(s.title());
      boolean table = s.options().stream().anyMatch(o -> !o.variable().isEmpty() || !o.defaultValue().isEmpty());
      for (Opt o : s.options()) {
        StringBuilder b = new StringBuilder("  ");
        column(b, o.flag(), flagWidth);
        if (table) {
          column(b, o.variable(), varWidth);
          column(b, o.defaultValue(), defWidth);
        }
        lines.add(b.append(o.what()).toString().stripTrailing());
      }
    }
    lines.add("");
    lines.add("An option a command does not take is refused by name (exit code 2).");
    return String.join("\n", lines);
  }

  private static void column(StringBuilder b, String text, int width) {
    b.append(text);
    for (int i = text.length(); i < width + 2; i++) b.append(' ');
  }

  /**
   * How the help writes {@code --name} with its value ({@code --port N}), for a message about a
   * flag given without one; {@code --name VALUE} for a flag the tables do not have.
   */
  static String synopsis(String name) {
    String flag = "--" + name;
    for (Section s : SECTIONS) {
      for (Opt o : s.options()) {
        for (String part : o.flag().split(" (?=--)")) {
          if (part.startsWith(flag + " ")) return part;
        }
      }
    }
    return flag + " " + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
