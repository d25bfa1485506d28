package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cluster.redis.RedisAdapter;
import dev.switchboard.cluster.redis.RedisStreamsAdapter;
import dev.switchboard.cluster.redis.ShardedRedisAdapter;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster flags in the chat server and in {@code conformance socket.io} (bench-server's are in
 * {@link BenchServerClusterTest}): the configuration reaches the adapter, {@code /metrics} and
 * {@code /healthz}, and closing the server closes its Redis link.
 */
class ClusterWiringTest {
  private static RedisServer redis;
  private final List<AutoCloseable> open = new ArrayList<>();
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

  private static ServerConfig chatConfig(Path dir, Map<String, String> env, String... args) throws Exception {
    ServerConfig parsed = ServerConfig.from(new Options(List.of(args), env), env);
    return ServerConfig.forTests(dir).withCluster(parsed.cluster());
  }

  private static String get(int port, String path) throws Exception {
    RawHttpClient.Response r = RawHttpClient.request(port, "GET", path, null);
    assertEquals(200, r.status(), path);
    return r.bodyText();
  }

  @Test
  void theChatServerReadsTheClusterFlagsAndShowsTheClusterInItsMetrics(@TempDir Path dir) throws Exception {
    ServerConfig config = chatConfig(dir, Map.of("REDIS_URL", redis.url(), "ADAPTER", "redis-sharded"),
        "--subscription-mode", "static", "--redis-key", "chat");
    assertEquals("ClusterConfig{adapter=redis-sharded, key=chat, subscriptionMode=static}", config.cluster().toString());
    ChatServer a = ChatServer.start(config, new PrintStream(err, true, StandardCharsets.UTF_8));
    open.add(a);
    ChatServer b = ChatServer.start(config, new PrintStream(err, true, StandardCharsets.UTF_8));
    open.add(b);
    assertTrue(a.io().sockets().adapter() instanceof ShardedRedisAdapter, a.io().sockets().adapter().getClass().getName());
    assertEquals("ok\n", get(a.port(), "/healthz"));
    Await.until("both nodes counted", () -> {
      try {
        return get(a.port(), "/metrics").contains("\nswitchboard_cluster_server_count 2\n");
      } catch (Exception e) {
        return false;
      }
    });
    String page = get(b.port(), "/metrics");
    assertTrue(page.contains("\nswitchboard_cluster_outages 0\n"), page);
    assertTrue(page.contains("\nswitchboard_users_registered "), "the chat's own lines stay: " + page);
    assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing to say when Redis is there");

    // Closing a node closes its link: Redis counts one subscriber fewer, as A sees it.
    b.close();
    open.remove(b);
    Await.until("one node left", () -> {
      try {
        return get(a.port(), "/metrics").contains("\nswitchboard_cluster_server_count 1\n");
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  void thePresenceHeartbeatIsAClusterFlag(@TempDir Path dir) throws Exception {
    assertEquals(ClusterConfig.DEFAULT_HEARTBEAT, chatConfig(dir, Map.of("REDIS_URL", redis.url())).cluster().presenceHeartbeat());
    assertEquals(java.time.Duration.ofSeconds(2),
        chatConfig(dir, Map.of("REDIS_URL", redis.url(), "PRESENCE_HEARTBEAT", "2s")).cluster().presenceHeartbeat());
    IllegalArgumentException alone = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> chatConfig(dir, Map.of(), "--presence-heartbeat", "2s"));
    assertEquals("--presence-heartbeat needs --redis-url (or REDIS_URL)", alone.getMessage());
    IllegalArgumentException tooShort = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> chatConfig(dir, Map.of("REDIS_URL", redis.url()), "--presence-heartbeat", "0s"));
    assertEquals("--presence-heartbeat must be between 1 s and 1 min", tooShort.getMessage());
  }

  @Test
  void theChatServerWithoutRedisUrlHasNoClusterLines(@TempDir Path dir) throws Exception {
    ChatServer chat = ChatServer.start(chatConfig(dir, Map.of()));
    open.add(chat);
    assertFalse(chat.io().sockets().adapter() instanceof RedisAdapter);
    assertFalse(get(chat.port(), "/metrics").contains("switchboard_cluster_"));
  }

  @Test
  void conformanceSocketIoJoinsTheClusterAndAnswersHealthz() throws Exception {
    Options options = new Options(List.of("--redis-url", redis.url(), "--adapter", "redis-streams"), Map.of());
    ClusterConfig config = ClusterConfig.from(options);
    options.rejectUnknown();
    RedisCluster cluster = RedisCluster.open(config, new PrintStream(err, true, StandardCharsets.UTF_8));
    open.add(cluster);
    SocketIoServer io = ConformanceCommand.socketIoServer("127.0.0.1", 0, cluster);
    open.add(io);
    assertTrue(io.sockets().adapter() instanceof RedisStreamsAdapter, io.sockets().adapter().getClass().getName());
    assertEquals("ok\n", get(io.port(), "/healthz"));

    SocketIoServer alone = ConformanceCommand.socketIoServer("127.0.0.1", 0, null);
    open.add(alone);
    assertEquals("ok\n", get(alone.port(), "/healthz"));
  }

  @Test
  void theEngineIoConformanceServerRefusesTheClusterFlags() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(List.of("conformance", "engine.io", "--port", "0", "--redis-url", redis.url()), Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertEquals("switchboard: unknown option: --redis-url (see --help)", err.toString(StandardCharsets.UTF_8).strip());
  }
}
