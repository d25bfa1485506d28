package dev.switchboard.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package) for the tests: {@code initdb} in
 * a temporary directory and {@code pg_ctl} on a free loopback port, with a password for the test
 * role. It can be stopped and started again on the same port, as an outage would.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.create()) {
 *   String url = pg.createDatabase();   // postgresql://switchboard:…@127.0.0.1:PORT/test_1
 *   pg.stop();                          // the database goes away
 *   pg.start();                         // and comes back, same port, same data
 * }
 * }</pre>
 *
 * <p>initdb and postgres refuse to run as root, and the tests run as root (here and in CI): when
 * we are root, every PostgreSQL command runs through {@code runuser -u postgres} (Debian's package
 * creates that user; {@code nobody} otherwise), and the temporary directory is handed to that
 * user. The binaries are looked up on the PATH, then in {@code /usr/lib/postgresql/<newest>/bin}.
 * When they are missing the test fails, saying how to install them: a storage test that silently
 * skipped would pass on a machine that cannot run it. Start one per test class.
 *
 * <p>Called by the test thread only.
 */
public final class PostgresServer implements AutoCloseable {
  /** The role the tests connect as: a superuser, with {@link #password()}. */
  public static final String USER = "switchboard";
  private static final String INSTALL =
      "The storage tests need a real PostgreSQL: initdb, pg_ctl and postgres were found neither on the PATH nor in "
          + "/usr/lib/postgresql/*/bin. Install it with `apt-get install -y postgresql` (.ci/run does), then run "
          + "`mvn -B verify` again.";

  private final Path dir;
  private final Path bin;
  private final String runAs;
  private final String password;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(Path dir, Path bin, String runAs, String password, int port) {
    this.dir = dir;
    this.bin = bin;
    this.runAs = runAs;
    this.password = password;
    this.port = port;
  }

  /** Creates a cluster in a new temporary directory and starts it on a free port. */
  public static PostgresServer create() throws IOException {
    Path bin = findBinaries();
    String runAs = isRoot() ? (userExists("postgres") ? "postgres" : "nobody") : null;
    Path dir = Files.createTempDirectory("switchboard-pg-");
    String password = HexFormat.of().formatHex(randomBytes());
    Files.writeString(dir.resolve("pwfile"), password + "\n", StandardCharsets.UTF_8);
    if (runAs != null) run(List.of("chown", "-R", runAs, dir.toString()), dir, 30);
    try {
      run(command(runAs, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
          "--pwfile=" + dir.resolve("pwfile"), "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"),
          dir, 120);
    } catch (IOException e) {
      LocalResources.deleteRecursively(dir);
      throw e;
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before postgres binds it
      PostgresServer server = new PostgresServer(dir, bin, runAs, password, LocalResources.freePort());
      try {
        server.start0();
        return server;
      } catch (IOException e) {
        last = e;
      }
    }
    LocalResources.deleteRecursively(dir);
    throw last;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** The port, the same across restarts. */
  public int port() {
    return port;
  }

  /** The test role's password. */
  public String password() {
    return password;
  }

  /**
   * A new, empty database, as a {@code postgresql://} URL with user and password: one per test
   * keeps tests apart on one server.
   */
  public String createDatabase() throws SQLException {
    String name = "test_" + databases.incrementAndGet();
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name); // our own counter: no input reaches this text
    }
    return url(name);
  }

  /** {@code postgresql://switchboard:<password>@127.0.0.1:<port>/<database>}. */
  public String url(String database) {
    return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + database;
  }

  /** A JDBC connection as the test role, for tests that look behind the code under test. */
  public Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
  }

  /** Stops the server (fast shutdown: connections are closed) and waits for it to be gone. */
  public void stop() throws IOException {
    run(command(runAs, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
        "stop"), dir, 60);
  }

  /** Starts the server again on the same port with the same data, and waits until it accepts. */
  public void start() throws IOException {
    start0();
  }

  /** Whether something accepts TCP connections on the port. */
  public boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    try {
      run(command(runAs, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
          "-w", "stop"), dir, 60);
    } catch (IOException ignored) {
      // not running
    }
    LocalResources.deleteRecursively(dir);
  }

  private void start0() throws IOException {
    // -k: the Unix socket in our directory (the default one may not exist, or not be writable by us).
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off"
        + " -c synchronous_commit=off -c full_page_writes=off";
    run(command(runAs, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
        dir.resolve("postgres.log").toString(), "-o", options, "-w", "-t", "60", "start"), dir, 90);
  }

  private static List<String> command(String runAs, String... args) {
    List<String> out = new ArrayList<>();
    if (runAs != null) out.addAll(List.of("runuser", "-u", runAs, "--"));
    out.addAll(List.of(args));
    return out;
  }

  private static void run(List<String> command, Path dir, int timeoutSeconds) throws IOException {
    Path output = Files.createTempFile("switchboard-pg-cmd-", ".out");
    try {
      Process p = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
            + tail(Files.readString(output)) + tail(log(dir)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String log(Path dir) {
    try {
      return "\n" + Files.readString(dir.resolve("postgres.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String s) {
    String t = s.strip();
    return t.length() > 2000 ? t.substring(t.length() - 2000) : t;
  }

  private static Path findBinaries() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        Path candidate = Path.of(d);
        if (hasAll(candidate)) return candidate;
      }
    }
    Path lib = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        Path newest = versions.map(v -> v.resolve("bin")).filter(PostgresServer::hasAll)
            .max(Comparator.comparingInt(PostgresServer::majorVersion)).orElse(null);
        if (newest != null) return newest;
      } catch (IOException ignored) {
        // fall through to the failure
      }
    }
    throw new AssertionError(INSTALL);
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean hasAll(Path dir) {
    for (String name : List.of("initdb", "pg_ctl", "postgres")) {
      if (!Files.isExecutable(dir.resolve(name))) return false;
    }
    return true;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean userExists(String name) {
    try {
      Process p = new ProcessBuilder("id", "-u", name).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
