package dev.switchboard.engineio;

import dev.switchboard.cli.EchoApplication;
import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.RawHttpClient;
import java.io.IOException;
import java.time.Duration;

/**
 * The echo application on a real socket with a fake clock: what the official suite's server does,
 * with time under the test's control.
 */
final class EngineIoTestServer implements AutoCloseable {
  static final String PATH = "/engine.io/";
  final FakeScheduler clock = new FakeScheduler();
  final EngineIoHost host;

  EngineIoTestServer() throws IOException {
    this(EngineIoOptions.builder().path(PATH).pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
        .build(),
        NetOptions.builder().host("127.0.0.1").port(0).build());
  }

  EngineIoTestServer(EngineIoOptions options, NetOptions net) throws IOException {
    host = EngineIoHost.start(net, options, new EchoApplication(), null, null, clock);
  }

  int port() {
    return host.port();
  }

  int sessions() {
    return host.engine().sessionCount();
  }

  RawHttpClient.Response get(String query) throws IOException {
    return RawHttpClient.request(port(), "GET", PATH + "?" + query, null);
  }

  RawHttpClient.Response post(String query, String body, String... headers) throws IOException {
    return RawHttpClient.request(port(), "POST", PATH + "?" + query, body, headers);
  }

  /** Opens a polling session and returns its sid. */
  String handshake() throws IOException {
    RawHttpClient.Response r = get("EIO=4&transport=polling");
    if (r.status() != 200) throw new AssertionError("handshake failed: " + r.status() + " " + r.bodyText());
    String body = r.bodyText();
    int i = body.indexOf("\"sid\":\"") + 7;
    return body.substring(i, body.indexOf('"', i));
  }

  /** Reads session state on the session's own executor (its thread rule); {@code absent} if gone. */
  <T> T onSession(String sid, java.util.function.Function<EngineIoSession, T> query, T absent) {
    EngineIoSession s = host.engine().session(sid);
    if (s == null) return absent;
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    s.executor().execute(() -> f.complete(query.apply(s)));
    return f.join();
  }

  static String polling(String sid) {
    return "EIO=4&transport=polling&sid=" + sid;
  }

  @Override
  public void close() {
    // No grace: on the fake clock a polling session left open never reaches its close timeout, so
    // the default 3 s grace would be waited out in full after each test.
    host.close(java.time.Duration.ZERO);
  }
}
