package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optional TLS on the same NIO connections: a real TLS client, large bodies, plain HTTP refused,
 * and, with {@code openssl s_client}, TLS 1.2+ only and no client-initiated renegotiation.
 */
class TlsTest {
  @TempDir static Path dir;
  private static SystemScheduler scheduler;
  private static ExecutorService workers;
  private static NetServer server;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    Path store = dir.resolve("server.p12");
    // A throwaway self-signed certificate made by the JDK's own keytool.
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
        "-keypass", "changeit").redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    SSLContext ctx = TlsContexts.fromPkcs12(store, "changeit".toCharArray());
    scheduler = new SystemScheduler();
    workers = Executors.newFixedThreadPool(2);
    HttpRouter router = new HttpRouter(workers)
        .exact("/hello", ex -> ex.respond(HttpResponse.status(200).body(("secure=" + ex.isSecure()).getBytes(StandardCharsets.UTF_8)).build()))
        .exact("/echo", ex -> ex.respond(HttpResponse.status(200).body(ex.request().body()).build()));
    server = new NetServer(NetOptions.builder().host("127.0.0.1").port(0).sslContext(ctx).build(), router, workers, scheduler).start();
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] c, String a) { }
      public void checkServerTrusted(X509Certificate[] c, String a) { }
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    client = HttpClient.newBuilder().sslContext(trustAll).version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    server.close();
    workers.shutdownNow();
    scheduler.close();
  }

  private static URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  @Test
  void servesHttpsAndReportsSecure() throws Exception {
    var r = client.send(HttpRequest.newBuilder(uri("/hello")).build(), BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("secure=true", r.body());
  }

  @Test
  void carriesLargeBodiesBothWays() throws Exception {
    byte[] big = new byte[900_000];
    new SecureRandom().nextBytes(big);
    var r = client.send(HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
        BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertTrue(java.util.Arrays.equals(big, r.body()));
  }

  @Test
  void plainHttpOnTheTlsPortIsDropped() throws Exception {
    // hostile-inputs.md#A38
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(c.isClosedByServer());
    }
    var r = client.send(HttpRequest.newBuilder(uri("/hello")).build(), BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
  }

  @Test
  void loadsPemCertificateAndKey() throws Exception {
    Path store = dir.resolve("server.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    var key = ks.getKey("server", "changeit".toCharArray());
    var cert = ks.getCertificate("server");
    Base64Pem pem = new Base64Pem();
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    Files.writeString(certFile, pem.wrap("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyFile, pem.wrap("PRIVATE KEY", key.getEncoded()));
    SSLContext ctx = TlsContexts.fromPem(certFile, keyFile);
    assertEquals("TLS", ctx.getProtocol());
  }

  // ------------------------------------------------------------------ openssl s_client

  /** {@code openssl s_client} on our port, its output gathered as it comes; stdin stays open until closed. */
  private static final class SClient implements AutoCloseable {
    final Process process;
    final StringBuffer output = new StringBuffer();

    SClient(String... options) throws Exception {
      List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
          "127.0.0.1:" + server.port(), "-servername", "localhost"));
      command.addAll(List.of(options));
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (java.io.IOException e) {
        throw new AssertionError("openssl is needed for the TLS tests: apt-get install -y openssl", e);
      }
      Thread reader = new Thread(() -> {
        byte[] buf = new byte[4096];
        try (var in = process.getInputStream()) {
          for (int n; (n = in.read(buf)) > 0; ) output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        } catch (java.io.IOException ended) {
          // the process is gone
        }
      }, "s_client-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Types a line, as a user at s_client's prompt would. */
    void type(String line) throws java.io.IOException {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
      process.getOutputStream().flush();
    }

    int count(String text) {
      String all = output.toString();
      int n = 0;
      for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + 1)) n++;
      return n;
    }

    /** Waits until the handshake is done, then asks for /hello on the connection and waits for the answer. */
    void handshakeAndRequest(int answersBefore) throws Exception {
      Await.until("s_client's handshake: " + output, () -> output.indexOf("Verify return code") >= 0);
      // s_client sends each line as typed; HTTP wants CRLF.
      type("GET /hello HTTP/1.1\r\nHost: localhost\r");
      type("\r");
      Await.until("the answer on the connection: " + output, () -> count("secure=true") == answersBefore + 1);
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  @Test
  void clientInitiatedRenegotiationOnTls12ClosesTheConnection() throws Exception {
    // Issue #14: `openssl s_client -tls1_2` and `R` renegotiated without limit (30 full
    // handshakes in 254 ms on one connection).
    try (SClient bystander = new SClient("-tls1_2"); SClient attacker = new SClient("-tls1_2")) {
      bystander.handshakeAndRequest(0);
      attacker.handshakeAndRequest(0);
      assertTrue(attacker.output.indexOf("Protocol  : TLSv1.2") >= 0 || attacker.output.indexOf("TLSv1.2") >= 0);
      attacker.type("R");
      Await.until("s_client's RENEGOTIATING: " + attacker.output, () -> attacker.output.indexOf("RENEGOTIATING") >= 0);
      // Renegotiated, s_client would wait for more input with its stdin open; refused, the
      // connection is gone and it exits.
      Await.until("s_client's exit after R: " + attacker.output, () -> !attacker.process.isAlive());
      assertTrue(attacker.output.indexOf("RENEGOTIATING") >= 0, attacker.output.toString());
      assertEquals(1, attacker.count("secure=true"), "nothing more was served on that connection");
      // The TLS 1.2 client connected during the attack is still served on its connection.
      bystander.handshakeAndRequest(1);
    }
    // New clients too (the JDK's client negotiates TLS 1.3).
    var r = client.send(HttpRequest.newBuilder(uri("/hello")).build(), BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
  }

  @Test
  void aTls13KeyUpdateIsNotARenegotiation() throws Exception {
    // RFC 8446 §4.6.3: either side may update its keys at any time; the connection goes on.
    try (SClient c = new SClient("-tls1_3")) {
      c.handshakeAndRequest(0);
      c.type("K"); // KeyUpdate, asking the server to update its keys too
      // s_client takes a command from the start of what it reads: the request must come after.
      Await.until("s_client's KEYUPDATE: " + c.output, () -> c.output.indexOf("KEYUPDATE") >= 0);
      c.handshakeAndRequest(1);
      assertTrue(c.process.isAlive());
    }
  }

  @Test
  void tls11AndOlderAreRefused() throws Exception {
    // TLS 1.2 and 1.3 only (the JDK 17 defaults, kept); SECLEVEL=0 lets openssl offer TLS 1.1 at all.
    for (String version : new String[] {"-tls1_1", "-tls1"}) {
      try (SClient old = new SClient(version, "-cipher", "DEFAULT@SECLEVEL=0")) {
        Await.until("s_client gives up: " + old.output, () -> !old.process.isAlive());
        // openssl did offer it (it says "no protocols available" when it cannot), and the server
        // ended the handshake: the connection closes with no session.
        assertTrue(old.output.indexOf("no protocols available") < 0, old.output.toString());
        assertTrue(old.output.indexOf("CONNECTED(") >= 0, old.output.toString());
        assertTrue(old.output.indexOf("Verify return code") < 0 || old.output.indexOf("Cipher is (NONE)") >= 0,
            old.output.toString());
        assertTrue(old.process.exitValue() != 0, old.output.toString());
      }
    }
  }

  private static final class Base64Pem {
    String wrap(String type, byte[] der) {
      return "-----BEGIN " + type + "-----\n"
          + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
          + "\n-----END " + type + "-----\n";
    }
  }
}
