package dev.switchboard.cluster.redis;

import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.socketio.cluster.InMemoryCluster;
import dev.switchboard.socketio.cluster.InMemoryNode;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The adapter contract ({@code AdapterContractTest}: the scenarios of {@code
 * @socket.io/redis-adapter}'s own test suite) on three Switchboard servers sharing a real Redis
 * through the {@link RedisAdapter}, each with its own {@link RedisLink} — as three processes would
 * — and in-memory clients on fake clocks. Redis and the links are started once for the class; each
 * test gets fresh servers under a fresh {@code key}, so no test hears another's channels.
 */
class RedisAdapterContractTest extends AdapterContractTest {
  private static final AtomicInteger KEYS = new AtomicInteger();
  private static RedisServer redis;
  private static final List<RedisLink> links = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
    for (int i = 0; i < 3; i++) links.add(RedisLink.connect(redis.url()));
  }

  @AfterAll
  static void stopRedis() {
    for (RedisLink l : links) l.close();
    links.clear();
    if (redis != null) redis.close();
  }

  @Override
  protected Cluster startCluster(int nodes) {
    return new RedisCluster(nodes, "test" + KEYS.incrementAndGet());
  }

  /** {@code n} in-memory servers, server {@code i} on link {@code i}, ids starting with a letter of its own. */
  static final class RedisCluster extends InMemoryCluster {

    RedisCluster(int n, String key) {
      RedisAdapterOptions options = RedisAdapterOptions.builder().key(key).build();
      for (int i = 0; i < n; i++) {
        SocketIoOptions o = SocketIoOptions.builder().adapter(RedisAdapter.factory(links.get(i), options)).build();
        InMemoryNode node = new InMemoryNode(new InMemorySocketIo(o, (char) ('a' + i) + "-"));
        String id = "java-" + i;
        node.sio().io().onServerSideEmit("whoami", (args, ack) -> ack.send(id));
        node.sio().io().of("/custom");
        nodes.add(node);
      }
      for (InMemoryNode node : nodes) {
        for (String nsp : List.of("/", "/custom")) {
          ((RedisAdapter) node.sio().io().of(nsp).adapter()).subscribed().orTimeout(10, TimeUnit.SECONDS).join();
        }
      }
    }

    /**
     * A {@code whoami} round trip from each server in turn: each other server answers after it has
     * handled what was published before; the in-memory clients see a delivery at once.
     */
    @Override
    public void settle() {
      for (InMemoryNode n : nodes) {
        try {
          n.sio().io().serverSideEmitWithAck(Duration.ofSeconds(10), "whoami").get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError("the settle round trip failed", e);
        }
      }
    }

    @Override
    public int pendingRequests() {
      return ((RedisAdapter) server().sockets().adapter()).pendingRequests();
    }

    Adapter adapter(int node, String nsp) {
      return nodes.get(node).sio().io().of(nsp).adapter();
    }

  }
}
