package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import dev.switchboard.testing.SocketIoTestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bench-server} as a cluster node: two of them, started by the command's own code in this
 * JVM, on one real redis-server with each adapter name; the configuration errors of
 * {@link ClusterConfig} through {@link Main} (message and exit code); without a Redis URL, one
 * process as before.
 */
class BenchServerClusterTest {
  private static final String AUTH = "{\"token\":\"bench-secret\"}";
  private static RedisServer redis;

  private final List<AutoCloseable> open = new ArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) redis.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  private BenchServerCommand.Running benchServer(Map<String, String> env, String... args) throws Exception {
    BenchServerCommand.Running r = BenchServerCommand.start(List.of(args), env, print(out), print(err));
    open.add(r);
    return r;
  }

  private SocketIoTestClient client(BenchServerCommand.Running server) throws Exception {
    SocketIoTestClient c = SocketIoTestClient.connect(server.io().port(), AUTH);
    open.add(c);
    return c;
  }

  private static PrintStream print(ByteArrayOutputStream sink) {
    return new PrintStream(sink, true, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-sharded", "redis-streams"})
  void aBroadcastFromOneNodeReachesTheClientsOfTheOther(String adapter) throws Exception {
    String key = "bench-" + adapter; // each case its own channels, on one Redis
    BenchServerCommand.Running a = benchServer(Map.of("REDIS_URL", redis.url()), "--port", "0", "--adapter", adapter,
        "--redis-key", key);
    BenchServerCommand.Running b = benchServer(Map.of(), "--port", "0", "--redis-url", redis.url(),
        "--adapter", adapter, "--redis-key", key);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("(" + adapter + " adapter on " + redis.url() + ")"), out.toString());
    SocketIoTestClient onA = client(a);
    SocketIoTestClient onB = client(b);

    // The adapters subscribe asynchronously after the start: broadcast until one crosses, then
    // check that every later one does, once.
    AtomicInteger sent = new AtomicInteger();
    Await.until("a broadcast from B reaches A", Duration.ofSeconds(10), () -> {
      try {
        onB.emitWithAck("broadcast", "probe-" + sent.incrementAndGet());
        return onA.awaitPacket("bcast", Duration.ofMillis(100), p -> "bcast".equals(p.event())) != null;
      } catch (AssertionError | Exception timedOut) {
        return false;
      }
    });
    onA.takeEvents("bcast");
    assertTrue(onB.emitWithAck("broadcast", "hello from B").asBoolean());
    assertEquals("hello from B", onA.awaitEvent("bcast", v -> v.asText().startsWith("hello")).asText());
    assertEquals("hello from B", onB.awaitEvent("bcast", v -> v.asText().startsWith("hello")).asText());
    onA.emitWithAck("broadcast", "hello from A");
    assertEquals("hello from A", onB.awaitEvent("bcast", v -> v.asText().equals("hello from A")).asText());
    onA.assertNoEvent("bcast" + "-none");
    List<String> seen = onA.takeEvents("bcast").stream().map(v -> v.asText()).filter(s -> s.startsWith("hello")).toList();
    assertEquals(List.of("hello from A"), seen, "each broadcast once");
  }

  @Test
  void withoutARedisUrlTheServerIsOneProcessWithTheInMemoryAdapter() throws Exception {
    BenchServerCommand.Running server = benchServer(Map.of(), "--port", "0");
    assertNull(server.cluster());
    assertTrue(server.io().sockets().adapter() instanceof InMemoryAdapter, server.io().sockets().adapter().getClass().getName());
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("adapter on"), out.toString());
    SocketIoTestClient c = client(server);
    c.emitWithAck("broadcast", "alone");
    assertEquals("alone", c.awaitEvent("bcast").asText());
  }

  @Test
  void aRedisUnreachableAtStartIsWaitedForWithOneLineThenTheNodeServes() throws Exception {
    RedisServer later = RedisServer.start("--requirepass", "hunter2");
    open.add(later); // closed after the server (in reverse order): its going is no outage here
    later.stop();
    String url = "redis://:hunter2@127.0.0.1:" + later.port();
    FutureTask<BenchServerCommand.Running> starting = new FutureTask<>(
        () -> BenchServerCommand.start(List.of("--port", "0"), Map.of("REDIS_URL", url), print(out), print(err)));
    Thread main = new Thread(starting, "bench-server-main");
    main.setDaemon(true);
    main.start();
    try {
      Await.until("the line about Redis", () -> err.toString(StandardCharsets.UTF_8).contains("waiting for Redis"));
      assertFalse(starting.isDone(), "the node does not serve outside the cluster it was told to join");
      later.restart();
      BenchServerCommand.Running server = starting.get(20, TimeUnit.SECONDS);
      open.add(server);
      String said = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, said.lines().count(), "one line when Redis is unreachable, one when it is reached: " + said);
      assertTrue(said.contains("redis://:***@127.0.0.1:" + later.port()), said);
      assertTrue(said.contains("reached; joining the cluster"), said);
      assertFalse(said.contains("hunter2"), said);
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("bench-server listening on http://127.0.0.1:" + server.io().port()));
      SocketIoTestClient c = client(server);
      c.emitWithAck("broadcast", "joined");
      assertEquals("joined", c.awaitEvent("bcast").asText());
    } finally {
      main.interrupt();
    }
  }

  @Test
  void configurationErrorsStopTheCommandWithOneSentenceAndExitCode2() throws Exception {
    assertRefused(Map.of(), "--adapter redis needs --redis-url (or REDIS_URL)", "bench-server", "--adapter", "redis");
    assertRefused(Map.of("ADAPTER", "redis-streams"), "--adapter redis-streams needs --redis-url (or REDIS_URL)",
        "bench-server");
    assertRefused(Map.of("REDIS_URL", redis.url()),
        "--adapter must be redis, redis-sharded or redis-streams, not \"kafka\"", "bench-server", "--adapter", "kafka");
    assertRefused(Map.of(), "--redis-url must be a redis:// or rediss:// URL", "bench-server",
        "--redis-url", "http://:hunter2@127.0.0.1:1");
    assertRefused(Map.of("REDIS_URL", "redis://:hunter2@"), "not a redis://host[:port] or rediss:// URL", "bench-server");
    assertRefused(Map.of("REDIS_URL", redis.url()), "--subscription-mode applies to --adapter redis-sharded only",
        "bench-server", "--subscription-mode", "static");
    assertRefused(Map.of("REDIS_URL", redis.url(), "ADAPTER", "redis-sharded"),
        "--subscription-mode must be static, dynamic or dynamic-private, not \"sometimes\"",
        "bench-server", "--subscription-mode", "sometimes");
    assertRefused(Map.of(), "--redis-key needs --redis-url (or REDIS_URL)", "bench-server", "--redis-key", "app");
  }

  private void assertRefused(Map<String, String> env, String message, String... args) throws Exception {
    err.reset();
    Map<String, String> environment = new HashMap<>(env);
    int code = Main.run(List.of(args), environment, print(out), print(err));
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, said);
    assertTrue(said.startsWith("switchboard: "), said);
    assertTrue(said.contains(message), said);
    assertFalse(said.contains("hunter2"), "the password stays out of the message: " + said);
    assertEquals(1, said.strip().lines().count(), said);
  }
}
