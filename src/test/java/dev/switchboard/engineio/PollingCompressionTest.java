package dev.switchboard.engineio;

import static dev.switchboard.engineio.EngineIoTestServer.polling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.RawHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compression of polling GET payloads, engine.io's {@code httpCompression} (on by default, 1 KB
 * threshold, gzip or deflate as the client prefers). The echo server sends back what is posted.
 */
class PollingCompressionTest {
  private static final String BIG = "4" + "x".repeat(2000);
  private EngineIoTestServer server;

  @AfterEach
  void stop() {
    // The sessions are still open and the clock is fake: no need to wait for them to end.
    if (server != null) server.host.close(Duration.ZERO);
  }

  private static EngineIoTestServer start(EngineIoOptions.Builder b) throws IOException {
    return new EngineIoTestServer(b.path(EngineIoTestServer.PATH).pingInterval(Duration.ofMillis(300))
        .pingTimeout(Duration.ofMillis(200)).build(), NetOptions.builder().host("127.0.0.1").port(0).build());
  }

  /** Posts {@code payload} and returns the GET that carries the echo, asking with {@code acceptEncoding}. */
  private RawHttpClient.Response echo(String payload, String acceptEncoding) throws IOException {
    String sid = server.handshake();
    assertEquals("ok", server.post(polling(sid), payload).bodyText());
    String[] headers = acceptEncoding == null ? new String[0] : new String[] {"Accept-Encoding", acceptEncoding};
    return RawHttpClient.request(server.port(), "GET", EngineIoTestServer.PATH + "?" + polling(sid), null, headers);
  }

  private static String decode(RawHttpClient.Response r) throws IOException {
    String coding = r.header("Content-Encoding");
    if (coding == null) return r.bodyText();
    try (InputStream in = coding.equals("gzip") ? new GZIPInputStream(new ByteArrayInputStream(r.body()))
        : new InflaterInputStream(new ByteArrayInputStream(r.body()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aLargePayloadIsGzippedWhenTheClientAcceptsIt() throws Exception {
    server = start(EngineIoOptions.builder());
    RawHttpClient.Response r = echo(BIG, "gzip, deflate, br");
    assertEquals(200, r.status());
    assertEquals("gzip", r.header("Content-Encoding"));
    assertTrue(r.body().length < 200, "2 KB of x compress well: " + r.body().length);
    assertEquals(String.valueOf(r.body().length), r.header("Content-Length"));
    assertEquals("text/plain; charset=UTF-8", r.header("Content-Type"));
    assertEquals(BIG, decode(r));
  }

  @Test
  void deflateIsTheZlibFormatWhenTheClientPrefersIt() throws Exception {
    server = start(EngineIoOptions.builder());
    RawHttpClient.Response r = echo(BIG, "gzip;q=0.5, deflate");
    assertEquals("deflate", r.header("Content-Encoding"));
    assertEquals(BIG, decode(r));
  }

  @Test
  void nothingIsCompressedForAClientThatDidNotAsk() throws Exception {
    server = start(EngineIoOptions.builder());
    RawHttpClient.Response r = echo(BIG, null);
    assertNull(r.header("Content-Encoding"));
    assertEquals(BIG, r.bodyText());
  }

  @Test
  void aPayloadUnderTheThresholdGoesAsItIs() throws Exception {
    server = start(EngineIoOptions.builder().httpCompressionThreshold(4096));
    RawHttpClient.Response r = echo(BIG, "gzip");
    assertNull(r.header("Content-Encoding"));
    assertEquals(BIG, r.bodyText());
  }

  @Test
  void compressionCanBeTurnedOff() throws Exception {
    server = start(EngineIoOptions.builder().httpCompression(false));
    RawHttpClient.Response r = echo(BIG, "gzip");
    assertNull(r.header("Content-Encoding"));
    assertEquals(BIG, r.bodyText());
  }

  @Test
  void errorsAndOkAreNeverCompressedButTheHandshakeIsLikeAnyGet() throws Exception {
    server = start(EngineIoOptions.builder().httpCompressionThreshold(0));
    // Node sends the open packet like any other (its ~100 bytes are under the default threshold).
    RawHttpClient.Response open = RawHttpClient.request(server.port(), "GET",
        EngineIoTestServer.PATH + "?EIO=4&transport=polling", null, "Accept-Encoding", "gzip");
    assertEquals("gzip", open.header("Content-Encoding"));
    String sid = decode(open).replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
    RawHttpClient.Response ok = RawHttpClient.request(server.port(), "POST",
        EngineIoTestServer.PATH + "?" + polling(sid), "4hi", "Accept-Encoding", "gzip");
    assertEquals("ok", ok.bodyText());
    assertNull(ok.header("Content-Encoding"));
    RawHttpClient.Response unknown = RawHttpClient.request(server.port(), "GET",
        EngineIoTestServer.PATH + "?EIO=4&transport=polling&sid=nope", null, "Accept-Encoding", "gzip");
    assertEquals(400, unknown.status());
    assertNull(unknown.header("Content-Encoding"));
  }
}
