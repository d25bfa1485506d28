package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NIO server end to end over raw sockets: framing errors, timeouts and isolation
 * (hostile-inputs.md group A, parts of B). Timeouts are short real durations here: the I/O loop's
 * deadlines are what is under test, and every wait is a condition with a deadline.
 */
class NetServerTest {
  private SystemScheduler scheduler;
  private ExecutorService workers;
  private NetServer server;

  @BeforeEach
  void start() throws Exception {
    startWith(NetOptions.builder().host("127.0.0.1").port(0)
        .requestTimeout(Duration.ofMillis(300)).keepAliveTimeout(Duration.ofMillis(600))
        .closeTimeout(Duration.ofMillis(300)).build());
  }

  private void startWith(NetOptions options) throws Exception {
    if (server != null) stop();
    scheduler = new SystemScheduler();
    workers = Executors.newFixedThreadPool(2);
    HttpRouter router = new HttpRouter(workers)
        .exact("/hello", ex -> ex.respond(text(200, "hello")))
        .exact("/echo", ex -> ex.respond(text(200, new String(ex.request().body(), StandardCharsets.UTF_8))));
    server = new NetServer(options, router, workers, scheduler).start();
  }

  private static HttpResponse text(int status, String body) {
    return HttpResponse.status(status).header("Content-Type", "text/plain").body(body.getBytes(StandardCharsets.UTF_8)).build();
  }

  @AfterEach
  void stop() {
    server.close();
    workers.shutdownNow();
    scheduler.close();
    server = null;
  }

  @Test
  void servesPipelinedRequestsInOrder() throws Exception {
    // hostile-inputs.md#A33: pipelined requests on one keep-alive connection are answered in order.
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirstGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("first", c.readResponse().bodyText());
      assertEquals("hello", c.readResponse().bodyText());
      assertEquals(404, c.readResponse().status());
    }
  }

  @Test
  void answersExpectContinue() throws Exception {
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
      assertEquals(100, c.readResponse(false).status());
      c.send("ok");
      assertEquals("ok", c.readResponse().bodyText());
    }
  }

  @Test
  void slowHeadersGet408AndClose() throws Exception {
    // hostile-inputs.md#A31 (slowloris)
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      assertEquals(408, c.readResponse().status());
      assertTrue(c.isClosedByServer());
    }
    Await.until("connection released", () -> server.connectionCount() == 0);
  }

  @Test
  void slowBodyGets408AndClose() throws Exception {
    // hostile-inputs.md#A17 (short body), hostile-inputs.md#A32 (slow body)
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
      assertEquals(408, c.readResponse().status());
      assertTrue(c.isClosedByServer());
    }
  }

  @Test
  void idleKeepAliveConnectionIsClosed() throws Exception {
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
      assertTrue(c.isClosedByServer());
    }
  }

  @Test
  void framingAttacksGetTheirStatusAndClose() throws Exception {
    String[][] cases = {
        // hostile-inputs.md#A34 request smuggling shapes
        {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", "400"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "400"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", "400"},
        {"GET /hello HTTP/1.1\nHost: x\n\n", "400"},
        {"GET /hello HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", "400"},
        // hostile-inputs.md#A37: the HTTP/2 preface
        {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "505"},
        // hostile-inputs.md#A11: a 100 KB URL
        {"GET /" + "a".repeat(100_000) + " HTTP/1.1\r\n\r\n", "414"},
        // hostile-inputs.md#A16, hostile-inputs.md#A17: declared length over the limit, nothing sent
        {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000000\r\n\r\n", "413"},
        // hostile-inputs.md#A18: chunk size overflow
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n", "400"},
    };
    for (String[] c : cases) {
      try (RawHttpClient client = new RawHttpClient(server.port())) {
        client.send(c[0]);
        RawHttpClient.Response r = client.readResponse();
        assertEquals(Integer.parseInt(c[1]), r.status(), c[0].substring(0, Math.min(60, c[0].length())));
        assertTrue(client.isClosedByServer());
      }
    }
    assertServerStillServes();
  }

  @Test
  void bytesAfterABadRequestAreNeverParsed() throws Exception {
    // RFC 9112 §9.6: after a framing error the connection is answered and closed; a request
    // pipelined behind the bad one (a smuggling attempt, say) gets no answer of its own.
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
          + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(400, c.readResponse().status());
      assertEquals(0, c.input().readAllBytes().length, "nothing after the 400 but the server's FIN");
    }
    Await.until("connection released", () -> server.connectionCount() == 0);
  }

  @Test
  void headerFloodGets431() throws Exception {
    // hostile-inputs.md#A36
    StringBuilder many = new StringBuilder("GET /hello HTTP/1.1\r\n");
    for (int i = 0; i < 10_000; i++) many.append("X-").append(i).append(": y\r\n");
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send(many.append("\r\n").toString());
      assertEquals(431, c.readResponse().status());
    }
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("GET /hello HTTP/1.1\r\nCookie: " + "c".repeat(1_000_000) + "\r\n\r\n");
      assertEquals(431, c.readResponse().status());
    }
    assertServerStillServes();
  }

  @Test
  void resetMidRequestLeavesOthersUnaffected() throws Exception {
    // hostile-inputs.md#B62: abrupt resets never escape the I/O loop.
    for (String partial : new String[] {"GET /hel", "POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\nab", "G"}) {
      RawHttpClient c = new RawHttpClient(server.port());
      c.send(partial);
      c.socket().setSoLinger(true, 0);
      c.close();
    }
    assertServerStillServes();
    Await.until("connections released", () -> server.connectionCount() == 0);
  }

  @Test
  void tlsClientHelloOnThePlainPortIsRefused() throws Exception {
    // hostile-inputs.md#A38: a TLS ClientHello is not HTTP.
    byte[] hello = {0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03};
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send(hello);
      c.send("\r\n");
      assertTrue(c.isClosedByServer());
    }
    assertServerStillServes();
  }

  @Test
  void connectionsAboveThePerAddressCapAreClosed() throws Exception {
    // hostile-inputs.md#A31: per-address cap.
    startWith(NetOptions.builder().host("127.0.0.1").port(0).maxConnectionsPerAddress(2).build());
    try (dev.switchboard.testing.LogLines log = dev.switchboard.testing.LogLines.of(NetServer.class.getName());
        RawHttpClient a = new RawHttpClient(server.port()); RawHttpClient b = new RawHttpClient(server.port())) {
      Await.until("two connections open", () -> server.connectionCount() == 2);
      try (RawHttpClient c = new RawHttpClient(server.port())) {
        assertTrue(c.isClosedByServer());
      }
      a.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("hello", a.readResponse().bodyText());
    }
    Await.until("connections released", () -> server.connectionCount() == 0);
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
  }

  private void assertServerStillServes() throws Exception {
    RawHttpClient.Response r = RawHttpClient.request(server.port(), "GET", "/hello", null);
    assertEquals(200, r.status());
  }
}
