package dev.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real {@code redis-server} (Debian's package; Redis 7 for sharded pub/sub) for the tests, on a
 * free loopback port in its own temporary directory, with no persistence. It can be stopped
 * (SIGTERM), killed (SIGKILL) and started again on the same port, as an outage would.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   RedisLink link = RedisLink.connect(redis.url());
 *   redis.stop();      // Redis goes away
 *   redis.restart();   // and comes back on the same port
 * }
 * }</pre>
 *
 * <p>When {@code redis-server} is not on the PATH the test fails, saying how to install it: a
 * cluster test that silently skipped would pass on a machine that cannot run it.
 *
 * <p>Called by the test thread only.
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration READY_DEADLINE = Duration.ofSeconds(15);

  private final Path dir;
  private final int port;
  private final boolean tls;
  private final List<String> extraArgs;
  private Process process;

  private RedisServer(Path dir, int port, boolean tls, List<String> extraArgs) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
    this.extraArgs = extraArgs;
  }

  /**
   * Starts redis-server on a free port with {@code extraArgs} added to its command line (e.g.
   * {@code "--requirepass", "s3cret"}), and waits until it answers.
   */
  public static RedisServer start(String... extraArgs) throws IOException {
    return start(false, extraArgs);
  }

  /**
   * Like {@link #start(String...)}, but serving TLS only ({@code rediss://}), with a self-signed
   * certificate for 127.0.0.1 made by {@code openssl} in its directory ({@link #certificate()}).
   */
  public static RedisServer startTls(String... extraArgs) throws IOException {
    return start(true, extraArgs);
  }

  private static RedisServer start(boolean tls, String... extraArgs) throws IOException {
    Path dir = Files.createTempDirectory("switchboard-redis-");
    if (tls) makeCertificate(dir);
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before redis binds it
      RedisServer server = new RedisServer(dir, LocalResources.freePort(), tls, List.of(extraArgs));
      try {
        server.launch();
        return server;
      } catch (IOException e) {
        last = e;
        server.kill();
      }
    }
    LocalResources.deleteRecursively(dir);
    throw last;
  }

  /** The port, the same across restarts. */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}, or {@code rediss://…} for a TLS server. */
  public String url() {
    return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
  }

  /** The PEM certificate a TLS server presents (self-signed, for 127.0.0.1). */
  public Path certificate() {
    return dir.resolve("cert.pem");
  }

  /** Whether the process is alive. */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /** SIGTERM, and waits for the process to exit (Redis closes its clients' connections). */
  public void stop() {
    if (process == null) return;
    process.destroy();
    waitForExit();
  }

  /** SIGKILL, and waits for the process to exit (connections die with it). */
  public void kill() {
    if (process == null) return;
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGSTOP: the server hangs with its connections open, as an overloaded or frozen Redis would. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new IOException("kill -" + name + " failed");
  }

  /** Starts redis-server again on the same port, empty (nothing is persisted), after a stop or kill. */
  public void restart() throws IOException {
    if (running()) stop();
    launch();
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    kill();
    LocalResources.deleteRecursively(dir);
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString(),
        "--daemonize", "no"));
    if (tls) {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
          "--tls-cert-file", certificate().toString(), "--tls-key-file", dir.resolve("key.pem").toString(),
          "--tls-ca-cert-file", certificate().toString(), "--tls-auth-clients", "no"));
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    command.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile());
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new AssertionError("The cluster tests need a real Redis 7: redis-server is not on the PATH. "
          + "Install it with `apt-get install -y redis-server` (.ci/run does), then run `mvn -B verify` again.", e);
    }
    long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
    while (!answersPing()) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port + ": " + log());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("redis-server did not answer PING on port " + port + " within " + READY_DEADLINE + ": " + log());
      }
      try {
        Thread.sleep(10); // a poll interval: the condition is the PING answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for redis-server", e);
      }
    }
  }

  /** PONG, or NOAUTH when a password is required: either way it is serving. */
  private boolean answersPing() {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      Socket s = tls ? trustingOurCertificate().getSocketFactory().createSocket(plain, "127.0.0.1", port, true) : plain;
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64];
      int n = in.read(buf);
      String answer = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII) : "";
      return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  private SSLContext trustingOurCertificate() throws IOException {
    try (InputStream pem = Files.newInputStream(certificate())) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("redis", CertificateFactory.getInstance("X.509").generateCertificate(pem));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + certificate(), e);
    }
  }

  private static void makeCertificate(Path dir) throws IOException {
    List<String> command = List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.out").toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("The TLS Redis test needs openssl to make its certificate: install it with "
          + "`apt-get install -y openssl` (.ci/run does), then run `mvn -B verify` again.", e);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("openssl failed: " + Files.readString(dir.resolve("openssl.out")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making a certificate", e);
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String log() {
    StringBuilder sb = new StringBuilder();
    for (String name : List.of("redis.out", "redis.log")) {
      try {
        sb.append(Files.readString(dir.resolve(name))).append('\n');
      } catch (IOException ignored) {
        // not written yet
      }
    }
    String s = sb.toString().strip();
    return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
  }
}
