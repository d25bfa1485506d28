package dev.switchboard.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real HAProxy (Debian's {@code haproxy}) for the tests, running the project's own
 * {@code deploy/haproxy.cfg} rewritten for the test's ports: it listens on a free loopback port
 * and balances over the given Switchboard nodes ({@code node1}, {@code node2}, … in the order
 * given). {@link Stickiness#NONE} drops the cookie lines, to show what breaks without them.
 *
 * <pre>{@code
 * try (HaproxyServer proxy = HaproxyServer.start(List.of(node1.port(), node2.port()))) {
 *   String url = proxy.url();   // point clients here
 * }
 * }</pre>
 *
 * <p>When {@code haproxy} is not on the PATH the test fails, saying how to install it: a deploy
 * test that silently skipped would pass on a machine that cannot run it.
 *
 * <p>Called by the test thread only.
 */
public final class HaproxyServer implements AutoCloseable {
  private static final Duration READY_DEADLINE = Duration.ofSeconds(15);
  private static final Pattern BIND = Pattern.compile("^\\s*bind\\s.*$");
  private static final Pattern NODE_SERVER = Pattern.compile("^\\s*server\\s+node\\d+\\s.*$");
  private static final Pattern COOKIE = Pattern.compile("^\\s*cookie\\s.*$");

  /** Whether the rewritten configuration keeps the shipped cookie persistence. */
  public enum Stickiness {
    /** As shipped: the SERVERID cookie pins a session to its node. */
    COOKIE,
    /** The {@code cookie} lines removed: every request is balanced on its own. */
    NONE,
    /**
     * The Socket.IO documentation's HAProxy example: {@code cookie io prefix indirect nocache},
     * HAProxy prefixing the node's name to the {@code io} cookie the node sets (Engine.IO's
     * session cookie, {@code EngineIoOptions.cookie}) and taking it off again on the way in.
     */
    IO_PREFIX
  }

  private final Path dir;
  private final int port;
  private Process process;

  private HaproxyServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** The shipped configuration, {@code deploy/haproxy.cfg}, in front of {@code nodePorts}. */
  public static HaproxyServer start(List<Integer> nodePorts) throws IOException {
    return start(nodePorts, Stickiness.COOKIE);
  }

  /**
   * {@code deploy/haproxy.cfg} rewritten for {@code nodePorts} and {@code stickiness}, started with
   * {@code haproxy -f <config> -db} on a free port; returns once the port accepts connections.
   *
   * <p>Start it once the nodes listen: HAProxy 2.6 starts each server UP but at the edge, so the
   * first health check that fails (a node not listening yet) marks it DOWN at once, and it takes
   * {@code rise} good checks, 2 s apart, to bring it back — meanwhile clients get 503. (HAProxy
   * 3.1's {@code init-state} would choose that start state.) Once a node has passed its checks,
   * {@code fall 3} lets it miss two in a row, e.g. while a test restarts it on the same port.
   */
  public static HaproxyServer start(List<Integer> nodePorts, Stickiness stickiness) throws IOException {
    String template = Files.readString(shippedConfig(), StandardCharsets.UTF_8);
    Path dir = Files.createTempDirectory("switchboard-haproxy-");
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before haproxy binds it
      int port = LocalResources.freePort();
      HaproxyServer server = new HaproxyServer(dir, port);
      try {
        Files.writeString(server.config(), render(template, port, nodePorts, stickiness), StandardCharsets.UTF_8);
        server.launch();
        return server;
      } catch (IOException e) {
        last = e;
        server.stop();
      }
    }
    LocalResources.deleteRecursively(dir);
    throw last;
  }

  /** {@code deploy/haproxy.cfg} of this project. */
  public static Path shippedConfig() {
    return NodeScripts.projectDir().resolve("deploy/haproxy.cfg");
  }

  /**
   * The configuration {@code template} (the shipped file's text) for a proxy on
   * 127.0.0.1:{@code port} in front of nodes on 127.0.0.1:{@code nodePorts}: its one {@code bind}
   * line is replaced, its {@code server nodeN} lines give way to one per port (keeping the first
   * one's options, the cookie value following the name), and with {@link Stickiness#NONE} its
   * {@code cookie} directive goes. Fails when the template no longer has that shape.
   */
  public static String render(String template, int port, List<Integer> nodePorts, Stickiness stickiness) {
    if (nodePorts.isEmpty()) throw new IllegalArgumentException("no nodes");
    List<String> lines = template.lines().toList();
    List<String> binds = lines.stream().filter(l -> BIND.matcher(l).matches()).toList();
    List<String> servers = lines.stream().filter(l -> NODE_SERVER.matcher(l).matches()).toList();
    List<String> cookies = lines.stream().filter(l -> COOKIE.matcher(l).matches()).toList();
    if (binds.size() != 1 || servers.isEmpty() || cookies.size() != 1) {
      throw new IllegalStateException("deploy/haproxy.cfg changed shape: expected one `bind` line, `server nodeN` "
          + "lines and one `cookie` line, found " + binds.size() + ", " + servers.size() + ", " + cookies.size());
    }
    // `  server node1 "<address>" cookie node1 [options]`: keep the indentation and what follows
    // the cookie value.
    String first = servers.get(0);
    String indent = first.substring(0, first.indexOf("server"));
    String[] words = first.trim().split("\\s+");
    if (words.length < 5 || !words[3].equals("cookie") || !words[4].equals(words[1])) {
      throw new IllegalStateException("expected `server nodeN <address> cookie nodeN …`, found: " + first.trim());
    }
    String options = String.join(" ", List.of(words).subList(5, words.length));

    StringBuilder out = new StringBuilder();
    boolean serversWritten = false;
    for (String line : lines) {
      if (BIND.matcher(line).matches()) {
        out.append(line, 0, line.indexOf("bind")).append("bind 127.0.0.1:").append(port).append('\n');
      } else if (NODE_SERVER.matcher(line).matches()) {
        if (serversWritten) continue;
        serversWritten = true;
        for (int i = 0; i < nodePorts.size(); i++) {
          String name = "node" + (i + 1);
          out.append(indent).append("server ").append(name).append(" 127.0.0.1:").append(nodePorts.get(i));
          if (stickiness != Stickiness.NONE) out.append(" cookie ").append(name);
          if (!options.isEmpty()) out.append(' ').append(options);
          out.append('\n');
        }
      } else if (COOKIE.matcher(line).matches() && stickiness == Stickiness.NONE) {
        out.append("  # (cookie persistence removed by the test)\n");
      } else if (COOKIE.matcher(line).matches() && stickiness == Stickiness.IO_PREFIX) {
        out.append(line, 0, line.indexOf("cookie")).append("cookie io prefix indirect nocache\n");
      } else {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * {@code haproxy -c -f config}: returns haproxy's output when the file is valid, fails with it
   * otherwise.
   */
  public static String check(Path config) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("haproxy", "-c", "-f", config.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw missing(e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("haproxy -c did not finish in 30 s");
    }
    if (p.exitValue() != 0) throw new AssertionError(config + " is not a valid haproxy configuration:\n" + out);
    return out;
  }

  private static AssertionError missing(IOException e) {
    return new AssertionError("The sticky-session tests need HAProxy: haproxy is not on the PATH. "
        + "Install it with `apt-get install -y haproxy` (.ci/run does), then run `mvn -B verify` again.", e);
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The configuration file this proxy runs. */
  public Path config() {
    return dir.resolve("haproxy.cfg");
  }

  /** What haproxy has printed so far (warnings, servers going DOWN/UP), for failure messages. */
  public String log() {
    try {
      String s = Files.readString(dir.resolve("haproxy.out"), StandardCharsets.UTF_8).strip();
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no output)";
    }
  }

  /** Whether the process is alive. */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /** SIGTERM (haproxy stops at once, closing every connection), and waits for the exit. */
  public void stop() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops haproxy and deletes its directory. */
  @Override
  public void close() {
    stop();
    LocalResources.deleteRecursively(dir);
  }

  private void launch() throws IOException {
    // -db: stay in the foreground (no daemon), so the process is ours to stop.
    ProcessBuilder pb = new ProcessBuilder("haproxy", "-f", config().toString(), "-db").directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.out").toFile());
    try {
      process = pb.start();
    } catch (IOException e) {
      throw missing(e);
    }
    long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
    while (!accepts()) {
      if (!process.isAlive()) {
        throw new IOException("haproxy exited with " + process.exitValue() + " on port " + port + ": " + log());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("haproxy did not accept on port " + port + " within " + READY_DEADLINE + ": " + log());
      }
      try {
        Thread.sleep(10); // a poll interval: the condition is the accepted connection
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for haproxy", e);
      }
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }



  @Override
  public String toString() {
    return "HaproxyServer{port=" + port + ", running=" + running() + "}";
  }
}
