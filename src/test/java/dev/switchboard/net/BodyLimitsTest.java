package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.LogLines;
import dev.switchboard.testing.RawHttpClient;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Body limits applied before buffering (issue #14): a route's own limit answered 413 at the head,
 * the server-wide budget of bytes buffered for bodies being received (503), and the minimum body
 * rate (408), each with a well-behaved client served during the attack.
 */
class BodyLimitsTest {
  private static final int SMALL = 4096;

  private Scheduler scheduler;
  private ExecutorService workers;
  private NetServer server;

  private void start(NetOptions options, Scheduler clock) throws Exception {
    scheduler = clock;
    workers = Executors.newFixedThreadPool(2);
    HttpRouter router = new HttpRouter(workers)
        .exact("/small", new Echo(SMALL))
        .exact("/echo", new Echo(Long.MAX_VALUE));
    server = new NetServer(options, router, workers, scheduler).start();
  }

  /** Echoes the body; declares {@code max} as its route's body limit, as the login route does. */
  private record Echo(long max) implements HttpHandler {
    @Override
    public void handle(HttpExchange ex) {
      ex.respond(HttpResponse.status(200).header("Content-Type", "text/plain").body(ex.request().body()).build());
    }

    @Override
    public long maxBodyBytes(HttpRequest head) {
      return max;
    }
  }

  /** The refusals' log lines are expected here; captured so that the build output stays quiet. */
  private final LogLines refusalLines = LogLines.of(NetServer.class.getName());

  @AfterEach
  void stop() {
    refusalLines.close();
    if (server != null) server.close();
    if (workers != null) workers.shutdownNow();
    if (scheduler instanceof SystemScheduler s) s.close();
  }

  private static NetOptions.Builder options() {
    return NetOptions.builder().host("127.0.0.1").port(0).closeTimeout(Duration.ofMillis(500));
  }

  @Test
  void aMegabyteDeclaredOnASmallRouteIs413AtOnceAndNothingIsBuffered() throws Exception {
    start(options().build(), new SystemScheduler());
    // The attack, scaled down: 200 connections each declaring 1 MB on a 4 KB route (the
    // login) and then sending body bytes. Each is answered 413 before any body byte is read.
    List<RawHttpClient> attackers = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        RawHttpClient c = new RawHttpClient(server.port());
        attackers.add(c);
        c.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n");
      }
      byte[] chunk = new byte[16 * 1024];
      for (RawHttpClient c : attackers) {
        RawHttpClient.Response r = c.readResponse();
        assertEquals(413, r.status());
        try {
          c.send(chunk); // what the attacker goes on sending is read and dropped
        } catch (java.io.IOException closedAlready) {
          // the server may have closed first
        }
        assertEquals(0, server.bufferedBodyBytes(), "no attacker's body is buffered");
      }
      // A well-behaved client is served meanwhile, on both routes.
      assertEquals("hi", RawHttpClient.request(server.port(), "POST", "/small", "hi").bodyText());
      assertEquals(200, RawHttpClient.request(server.port(), "POST", "/echo", "x".repeat(100_000)).status());
      assertEquals(200, server.refusals(Refusal.BODY_TOO_LARGE));
    } finally {
      for (RawHttpClient c : attackers) c.close();
    }
    Await.until("connections released", () -> server.connectionCount() == 0);
    assertEquals(0, server.bufferedBodyBytes());
  }

  @Test
  void aChunkedBodyIsCutAtTheChunkThatCrossesTheRouteLimit() throws Exception {
    start(options().build(), new SystemScheduler());
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + "a".repeat(2048) + "\r\n");
      c.send("801\r\n"); // 2048 + 2049 > 4096: refused before its data is read
      assertEquals(413, c.readResponse().status());
      assertTrue(c.isClosedByServer());
    }
    assertEquals(0, server.bufferedBodyBytes());
  }

  @Test
  void bodiesOverTheServerWideBudgetGet503AndTheBudgetComesBack() throws Exception {
    start(options().maxBufferedBodyBytes(64 * 1024).build(), new SystemScheduler());
    try (RawHttpClient a = new RawHttpClient(server.port()); RawHttpClient b = new RawHttpClient(server.port())) {
      a.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "a".repeat(40_000));
      Await.until("a's body buffered", () -> server.bufferedBodyBytes() >= 40_000);
      b.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "b".repeat(30_000));
      RawHttpClient.Response r = b.readResponse();
      assertEquals(503, r.status());
      assertEquals("1", r.header("Retry-After"));
      assertEquals(1, server.refusals(Refusal.BODY_BUDGET));
    }
    // Closing a gives its bytes back: the next body is taken again.
    Await.until("budget returned", () -> server.bufferedBodyBytes() == 0);
    assertEquals(30_000, RawHttpClient.request(server.port(), "POST", "/echo", "c".repeat(30_000)).body().length);
    assertEquals(0, server.bufferedBodyBytes());
  }

  @Test
  void aBodyBelowTheMinimumRateAfterTheGracePeriodIs408WhileAFasterOneCompletes() throws Exception {
    FakeScheduler clock = new FakeScheduler();
    start(options().requestTimeout(Duration.ofSeconds(60)).minBodyRate(1000, Duration.ofSeconds(2)).build(), clock);
    try (RawHttpClient slow = new RawHttpClient(server.port()); RawHttpClient fast = new RawHttpClient(server.port())) {
      slow.socket().setSoTimeout(300);
      slow.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n" + "s".repeat(100));
      fast.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n" + "f".repeat(5000));
      Await.until("both bodies started", () -> server.bufferedBodyBytes() >= 2 * 4096);
      clock.advanceBy(Duration.ofSeconds(1));
      assertFalse(answered(slow), "within the grace period no rate applies");
      clock.advanceBy(Duration.ofSeconds(2));
      // 100 bytes in 3 s is under 1000 B/s: 408 at the next sweep, long before the 60 s timeout.
      slow.socket().setSoTimeout(10_000);
      assertEquals(408, slow.readResponse().status());
      assertTrue(slow.isClosedByServer());
      assertEquals(1, server.refusals(Refusal.SLOW_BODY));
      // 5000 bytes in 3 s is above it: the fast body is still being received and completes.
      fast.send("f".repeat(5000));
      RawHttpClient.Response r = fast.readResponse();
      assertEquals(200, r.status());
      assertEquals(10_000, r.body().length);
    }
  }

  private static boolean answered(RawHttpClient c) throws Exception {
    try {
      return c.input().read() >= 0;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  void parserBudgetIsReturnedWhenARequestCompletes() throws Exception {
    start(options().build(), new SystemScheduler());
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n" + "a".repeat(10_000));
      Await.until("buffered", () -> server.bufferedBodyBytes() > 0);
      c.send("a".repeat(10_000));
      assertEquals(200, c.readResponse().status());
      assertEquals(0, server.bufferedBodyBytes());
    }
  }
}
