package dev.switchboard.cluster.redis;

import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.socketio.cluster.InMemoryCluster;
import dev.switchboard.socketio.cluster.InMemoryNode;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The adapter contract (the scenarios of {@code @socket.io/redis-adapter}'s test suite) on three
 * Switchboard servers with {@link RedisStreamsAdapter} over one real redis-server: broadcasts,
 * joins, leaves and disconnections through the stream, acks, fetchSockets and server-side events
 * through pub/sub. The servers are in memory (fake clients, fake clocks: {@code elapse} moves them);
 * Redis and each server's {@link RedisLink} are started once for the class, and each test has
 * its own stream and channels (a prefix of its own), so nothing of one test reaches the next.
 */
class RedisStreamsAdapterContractTest extends AdapterContractTest {
  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static RedisServer redis;
  private static RedisProbe probe;
  private static final List<RedisLink> links = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
    probe = new RedisProbe(redis.url());
    for (int i = 0; i < 3; i++) links.add(RedisLink.connect(redis.url()));
  }

  @AfterAll
  static void stopRedis() {
    for (RedisLink l : links) l.close();
    probe.close();
    redis.close();
  }

  @Override
  protected Cluster startCluster(int nodes) {
    String prefix = "contract" + CLUSTERS.incrementAndGet();
    RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.builder().streamName(prefix).channelPrefix(prefix).build();
    return new StreamsCluster(nodes, options, SocketIoOptions.DEFAULTS);
  }

  /**
   * {@code n} in-memory servers, server {@code i} on link {@code i}, each with its own fake clock.
   * Settling is a server-side round trip from each server (whatever it published before has been
   * handled everywhere), then waiting until every stream reader is blocked in Redis again (it has
   * read, and its node handled, every entry written before).
   */
  static final class StreamsCluster extends InMemoryCluster {

    StreamsCluster(int n, RedisStreamsAdapterOptions adapterOptions, SocketIoOptions options) {
      for (int i = 0; i < n; i++) {
        SocketIoOptions o = options.toBuilder().adapter(RedisStreamsAdapter.factory(links.get(i), adapterOptions)).build();
        InMemoryNode node = new InMemoryNode(new InMemorySocketIo(o, (char) ('a' + i) + "-"));
        node.sio().io().onServerSideEmit("__settle", (args, ack) -> ack.send());
        nodes.add(node);
      }
      for (InMemoryNode node : nodes) await(adapter(node).subscribed());
      awaitReadersBlocked();
    }

    static RedisStreamsAdapter adapter(InMemoryNode node) {
      return (RedisStreamsAdapter) node.sio().io().sockets().adapter();
    }

    void awaitReadersBlocked() {
      Await.until("every stream reader blocked in Redis", () -> probe.blockedClients() == nodes.size());
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
      try {
        return f.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void settle() {
      if (nodes.size() > 1) for (InMemoryNode n : nodes) await(n.sio().io().serverSideEmitWithAck("__settle"));
      awaitReadersBlocked();
    }

    @Override
    public int pendingRequests() {
      return adapter(nodes.get(0)).pendingRequests();
    }

    /** Closes the servers (their adapters unsubscribe, their readers stop) and waits until no reader is left in Redis. */
    @Override
    public void close() {
      super.close();
      Await.until("the readers gone", () -> probe.blockedClients() == 0);
    }
  }
}
