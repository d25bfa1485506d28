package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.ClusterMetrics;
import dev.switchboard.cluster.redis.testing.NodeNodeProcess;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bench-server} as a cluster node: two of them, started by the command's own code in this
 * JVM, on one real redis-server with each adapter name; a Node socket.io server
 * ({@code node-node.mjs}) and a bench-server on one Redis answering each other's {@code whoami}
 * and sharing a broadcast; {@code /metrics}, {@code /healthz}, {@code --recovery}; a Redis
 * unreachable at start; the configuration errors of
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
    BenchServerCommand.Running a = benchServer(Map.of("REDIS_URL", redis.url(), "NODE_ID", "node-a"), "--port", "0",
        "--adapter", adapter, "--redis-key", key);
    BenchServerCommand.Running b = benchServer(Map.of(), "--port", "0", "--redis-url", redis.url(),
        "--adapter", adapter, "--redis-key", key);
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

    // whoami: each node answers the other's serverSideEmit with its kind and id.
    String idOfB = b.nodeId();
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("(node " + idOfB + ", " + adapter + " adapter on "), out.toString());
    List<Args> fromA = a.io().serverSideEmitWithAck(Duration.ofSeconds(5), "whoami").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("{\"kind\":\"switchboard\",\"id\":\"" + idOfB + "\"}"), fromA.stream().map(x -> x.get(0).toString()).toList());
    List<Args> fromB = b.io().serverSideEmitWithAck(Duration.ofSeconds(5), "whoami").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("{\"kind\":\"switchboard\",\"id\":\"node-a\"}"), fromB.stream().map(x -> x.get(0).toString()).toList());
    assertEquals("node-a", onA.emitWithAck("whoami").path("id").asText());

    assertTrue(onB.emitWithAck("broadcast", "hello from B").asBoolean());
    assertEquals("hello from B", onA.awaitEvent("bcast", v -> v.asText().startsWith("hello")).asText());
    assertEquals("hello from B", onB.awaitEvent("bcast", v -> v.asText().startsWith("hello")).asText());
    onA.emitWithAck("broadcast", "hello from A");
    assertEquals("hello from A", onB.awaitEvent("bcast", v -> v.asText().equals("hello from A")).asText());
    onA.assertNoEvent("bcast" + "-none");
    List<String> seen = onA.takeEvents("bcast").stream().map(v -> v.asText()).filter(s -> s.startsWith("hello")).toList();
    assertEquals(List.of("hello from A"), seen, "each broadcast once");

    // /metrics: the link's counters, and the number of nodes once counted.
    Await.until("server_count 2 in /metrics", () -> metrics(a).contains("\nswitchboard_cluster_server_count 2\n"));
    String page = metrics(a);
    for (String name : new ClusterMetrics().snapshot().keySet()) {
      assertTrue(page.contains("\n# TYPE switchboard_cluster_" + name + " " + (name.equals("backlog") ? "gauge" : "counter") + "\n"),
          name + " in:\n" + page);
    }
    Matcher received = Pattern.compile("\nswitchboard_cluster_messages_received (\\d+)\n").matcher(page);
    assertTrue(received.find() && Long.parseLong(received.group(1)) > 0, page);
    assertTrue(page.contains("\nswitchboard_sockets_connected 1\n"), page);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-sharded", "redis-streams"})
  void aNodeServerAndABenchServerShareTheClusterAndAnswerEachOthersWhoami(String adapter) throws Exception {
    String key = "mixed-" + adapter;
    NodeNodeProcess node = NodeNodeProcess.start("node-1", redis.url(), "--adapter", adapter, "--key", key,
        "--requests-timeout", "1000");
    open.add(node);
    BenchServerCommand.Running bench = benchServer(Map.of(), "--port", "0", "--redis-url", redis.url(),
        "--adapter", adapter, "--redis-key", key, "--node-id", "bench-1");
    // Node asks: its serverSideEmit with an ack is answered by the Switchboard node. Until both
    // have subscribed, the request times out (1 s) or is answered by no one; ask again.
    Await.until("Node's whoami answered by bench-1", Duration.ofSeconds(15), () -> {
      JsonNode r = node.call("serverSideEmit", "event", "whoami", "args", List.of(), "withAck", true);
      return r.path("error").isNull() && r.path("responses").toString().equals("[{\"kind\":\"switchboard\",\"id\":\"bench-1\"}]");
    });
    List<Args> answers = bench.io().serverSideEmitWithAck(Duration.ofSeconds(5), "whoami").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("{\"kind\":\"node\",\"id\":\"node-1\"}"), answers.stream().map(x -> x.get(0).toString()).toList());

    // A broadcast emitted on the Node server reaches a client of the Switchboard node.
    SocketIoTestClient onBench = client(bench);
    onBench.sync();
    AtomicInteger sent = new AtomicInteger();
    Await.until("Node's broadcast reaches bench-1's client", Duration.ofSeconds(10), () -> {
      node.call("emit", "event", "bcast", "args", List.of("from node " + sent.incrementAndGet()));
      try {
        return onBench.awaitPacket("bcast", Duration.ofMillis(200), p -> "bcast".equals(p.event())) != null;
      } catch (AssertionError notYet) {
        return false;
      }
    });
  }

  private static String metrics(BenchServerCommand.Running server) {
    try {
      RawHttpClient.Response r = RawHttpClient.request(server.io().port(), "GET", "/metrics", null);
      assertEquals(200, r.status());
      return "\n" + r.bodyText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void healthzAnswersOkAndRecoveryIsASwitch() throws Exception {
    BenchServerCommand.Running plain = benchServer(Map.of(), "--port", "0");
    RawHttpClient.Response health = RawHttpClient.request(plain.io().port(), "GET", "/healthz", null);
    assertEquals(200, health.status());
    assertEquals("ok\n", health.bodyText());
    assertTrue(String.valueOf(health.header("Content-Type")).startsWith("text/plain"), health.headers().toString());
    assertTrue(plain.io().options().recovery().isEmpty());
    assertFalse(metrics(plain).contains("switchboard_cluster_"), "no cluster lines without a cluster");
    assertTrue(out.toString(StandardCharsets.UTF_8).matches("(?s)\\S+Z INFO  BenchServer: bench-server listening on http://127\\.0\\.0\\.1:\\d+ \\(node bench-[0-9a-f]{12}\\)\\R"),
        out.toString());

    BenchServerCommand.Running recovering = benchServer(Map.of("RECOVERY", "on"), "--port", "0");
    assertEquals(Duration.ofMinutes(1), recovering.io().options().recovery().orElseThrow().maxDisconnectionDuration());
    BenchServerCommand.Running byFlag = benchServer(Map.of(), "--port", "0", "--recovery");
    assertTrue(byFlag.io().options().recovery().isPresent());
    assertRefused(Map.of(), "--recovery must be on or off", "bench-server", "--recovery", "maybe");
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
    assertRefused(Map.of("REDIS_URL", redis.url()), "--redis-key must not contain spaces or control characters",
        "bench-server", "--redis-key", "my app");
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
