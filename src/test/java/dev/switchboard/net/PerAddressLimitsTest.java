package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.LogLines;
import dev.switchboard.testing.RawHttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-address connection caps of the net layer (issue #14): open connections and new
 * connections per second, refused right after accept and counted; a client from another address
 * is served during the attack; a trusted proxy is exempt. The clock is fake, so the one-second
 * window moves only when the test says so.
 */
class PerAddressLimitsTest {
  private final FakeScheduler clock = new FakeScheduler();
  private ExecutorService workers;
  private NetServer server;

  private void start(NetOptions options) throws Exception {
    workers = Executors.newFixedThreadPool(2);
    HttpRouter router = new HttpRouter(workers)
        .exact("/hello", ex -> ex.respond(text("hello")))
        .exact("/who", ex -> ex.respond(text(ex.clientAddress().getHostAddress())));
    server = new NetServer(options, router, workers, clock).start();
  }

  private static HttpResponse text(String body) {
    return HttpResponse.status(200).header("Content-Type", "text/plain").body(body.getBytes(StandardCharsets.UTF_8)).build();
  }

  /** The refusals' log lines are expected here; captured so that the build output stays quiet. */
  private final LogLines refusalLines = LogLines.of(NetServer.class.getName());

  @AfterEach
  void stop() {
    refusalLines.close();
    if (server != null) server.close();
    if (workers != null) workers.shutdownNow();
  }

  private static NetOptions.Builder options() {
    return NetOptions.builder().host("127.0.0.1").port(0);
  }

  private static boolean served(RawHttpClient c) throws Exception {
    c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    return c.readResponse().status() == 200;
  }

  @Test
  void connectionsOverTheCapAreClosedAtOnceWhileAnotherAddressIsServed() throws Exception {
    start(options().maxConnectionsPerAddress(50).build());
    // The 2 000 bare connections from one address, scaled down: 200 against a cap of 50.
    List<RawHttpClient> attack = new ArrayList<>();
    try (LogLines log = LogLines.of(NetServer.class.getName())) {
      for (int i = 0; i < 200; i++) attack.add(new RawHttpClient(server.port()));
      Await.until("refusals counted", () -> server.refusals(Refusal.CONNECTIONS_PER_ADDRESS) == 150);
      int closed = 0;
      for (RawHttpClient c : attack) {
        c.socket().setSoTimeout(20); // the refused ones were closed before they were counted
        if (c.isClosedByServer()) closed++;
      }
      assertEquals(150, closed);
      assertEquals(50, server.connectionCount());
      try (RawHttpClient other = new RawHttpClient(server.port(), "127.0.0.2")) {
        assertTrue(served(other), "another address is served during the attack");
      }
      // 150 refusals, one log line (the rest are counted, and reported by the next line).
      assertEquals(1, log.count(Level.INFO, "refused (connections_per_address): 127.0.0.1"));
    } finally {
      for (RawHttpClient c : attack) c.close();
    }
    Await.until("released", () -> server.connectionCount() == 0);
    try (RawHttpClient again = new RawHttpClient(server.port())) {
      assertTrue(served(again), "the address is admitted again once its connections closed");
    }
  }

  @Test
  void newConnectionsOverTheRatePerAddressAreRefusedUntilTheNextSecond() throws Exception {
    start(options().maxNewConnectionsPerSecondPerAddress(20).build());
    List<RawHttpClient> burst = new ArrayList<>();
    try (LogLines log = LogLines.of(NetServer.class.getName())) {
      for (int i = 0; i < 60; i++) burst.add(new RawHttpClient(server.port()));
      Await.until("refusals counted", () -> server.refusals(Refusal.CONNECTION_RATE_PER_ADDRESS) == 40);
      assertEquals(20, server.connectionCount());
      try (RawHttpClient other = new RawHttpClient(server.port(), "127.0.0.2")) {
        assertTrue(served(other), "another address has a window of its own");
      }
      for (RawHttpClient c : burst) c.close();
      Await.until("released", () -> server.connectionCount() == 0);
      // Closing does not give the window back: the address waits for the next second.
      try (RawHttpClient refused = new RawHttpClient(server.port())) {
        assertTrue(refused.isClosedByServer());
      }
      clock.advanceBy(Duration.ofSeconds(1));
      try (RawHttpClient next = new RawHttpClient(server.port())) {
        assertTrue(served(next));
      }
      assertTrue(log.count(Level.INFO, "refused (connection_rate_per_address)") <= 2, log.lines().toString());
    }
  }

  @Test
  void aTrustedProxyIsExemptAndNamesTheClient() throws Exception {
    start(options().maxConnectionsPerAddress(2).trustedProxies(TrustedProxies.parse("127.0.0.1")).build());
    List<RawHttpClient> viaProxy = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) viaProxy.add(new RawHttpClient(server.port()));
      RawHttpClient c = viaProxy.get(4);
      c.send("GET /who HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9, 10.0.0.1\r\n\r\n");
      // 127.0.0.1 is trusted, 10.0.0.1 is not: the right-most untrusted entry is the client.
      assertEquals("10.0.0.1", c.readResponse().bodyText());
    } finally {
      for (RawHttpClient c : viaProxy) c.close();
    }
    // From an untrusted peer the header is ignored, and the cap applies.
    try (RawHttpClient a = new RawHttpClient(server.port(), "127.0.0.2");
        RawHttpClient b = new RawHttpClient(server.port(), "127.0.0.2");
        RawHttpClient c = new RawHttpClient(server.port(), "127.0.0.2")) {
      a.send("GET /who HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n");
      assertEquals("127.0.0.2", a.readResponse().bodyText());
      assertTrue(c.isClosedByServer());
    }
  }
}
