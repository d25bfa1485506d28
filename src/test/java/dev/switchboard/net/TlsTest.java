package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.scheduling.SystemScheduler;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Optional TLS on the same NIO connections: a real TLS client, large bodies, and plain HTTP refused. */
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

  private static final class Base64Pem {
    String wrap(String type, byte[] der) {
      return "-----BEGIN " + type + "-----\n"
          + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
          + "\n-----END " + type + "-----\n";
    }
  }
}
