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
 *
 * <p>What the command line prints: {@code --help} ({@link Help}, with the exit codes) and results
 * on standard output; every message of its own on standard error as one line
 * {@code switchboard: <lower-case sentence without a final period>} ({@link #say}); a server's
 * "listening on" line, and its "stopping" and "stopped" lines, on standard output in the log
 * format ({@link LogFormat}), where scripts wait for the first; log records on standard error.
 */
public final class Main {
  private Main() {}

  /**
   * The runnable jar's entry point: installs the one-line log format ({@link LogFormat}; only
   * here, so that an application embedding the library keeps its own logging), runs the command
   * and exits with its code.
   */
  public static void main(String[] args) throws Exception {
    try {
      LogFormat.install(System.getenv(), System.err);
    } catch (IllegalArgumentException e) {
      System.err.println(say(e.getMessage()));
      System.exit(Help.USAGE);
    }
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
      return Help.OK;
    }
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      return ServeCommand.run(args, env, out, err);
    }
    try {
      return runCommand(args, env, out, err);
    } catch (IllegalArgumentException e) { // a bad option or value: one line, no stack trace
      err.println(say(e.getMessage()));
      return Help.USAGE;
    } catch (CannotListen e) {
      err.println(cannotListen(e.host, e.port, e.getCause()));
      return Help.CANNOT_LISTEN;
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
        return Help.OK;
      default:
        err.println(say("unknown command: " + args.get(0) + " (see --help)"));
        return Help.USAGE;
    }
  }

  /** Words {@link #say} leaves capitalised at the start of a sentence. */
  private static final java.util.Set<String> PROPER_NAMES =
      java.util.Set.of("Redis", "PostgreSQL", "SQLite", "Switchboard", "Node", "Engine.IO", "Socket.IO", "Java");

  /** The text of {@code --help}. */
  static String usage() {
    return Help.text();
  }

  /**
   * A message of the command line, in its one style: {@code switchboard: } and the sentence with
   * a lower-case start (unless it starts with a name in capitals, {@code JWT_SECRET}, {@code TLS})
   * and no final period — also for the sentences of other packages' exceptions it passes on.
   */
  static String say(String message) {
    String m = message == null ? "failed" : message.strip();
    if (m.endsWith(".") && !m.endsWith("..")) m = m.substring(0, m.length() - 1);
    String first = m.split("[ :,]", 2)[0];
    if (!PROPER_NAMES.contains(first) && m.length() > 1 && Character.isUpperCase(m.charAt(0)) && !Character.isUpperCase(m.charAt(1))
        && !Character.isDigit(m.charAt(1)) && m.charAt(1) != '_' && m.charAt(1) != '-') {
      m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
    return "switchboard: " + m;
  }

  /**
   * The sentence for a server that cannot listen on {@code host:port} ({@code e}: the bind's
   * exception, "Address already in use" or "Permission denied"), with what to do about it.
   */
  static String cannotListen(String host, int port, java.net.BindException e) {
    String why = e.getMessage() == null ? "the address cannot be bound" : e.getMessage();
    String hint = why.toLowerCase(java.util.Locale.ROOT).contains("in use")
        ? "another process listens there; choose another port with --port or PORT"
        : port < 1024 && port != 0 ? "ports below 1024 need privileges; choose another with --port or PORT"
        : "check --host and --port";
    return say("cannot listen on " + host + ":" + port + ": " + why.toLowerCase(java.util.Locale.ROOT) + " (" + hint + ")");
  }

  /** A server's bind failed: {@code host:port} and the JDK's exception, for {@link #cannotListen}. */
  static final class CannotListen extends Exception {
    private static final long serialVersionUID = 1L;
    final String host;
    final int port;

    CannotListen(String host, int port, java.net.BindException cause) {
      super(host + ":" + port, cause);
      this.host = host;
      this.port = port;
    }

    @Override
    public synchronized java.net.BindException getCause() {
      return (java.net.BindException) super.getCause();
    }
  }
}
