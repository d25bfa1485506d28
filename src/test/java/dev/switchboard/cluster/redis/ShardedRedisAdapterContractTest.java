package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterAdapterBase;
import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.socketio.cluster.InMemoryCluster;
import dev.switchboard.socketio.cluster.InMemoryNode;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The adapter contract (the scenarios of {@code @socket.io/redis-adapter}'s own suite) on three
 * Switchboard servers over a real Redis 7 with the sharded adapter, in one subscription mode per
 * subclass. Redis and the three links start once per class; each test gets fresh servers on a
 * channel prefix of its own. The servers are in memory (fake clients, fake clocks, Node's
 * 20-character random socket ids); only the adapters' traffic is real.
 */
abstract class ShardedRedisAdapterContractTest extends AdapterContractTest {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static RedisServer redis;
  private static final List<RedisLink> LINKS = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
    for (int i = 0; i < 3; i++) LINKS.add(RedisLink.connect(redis.url()));
  }

  @AfterAll
  static void stopRedis() {
    for (RedisLink l : LINKS) l.close();
    LINKS.clear();
    redis.close();
  }

  /** The subscription mode of every node. */
  protected abstract SubscriptionMode mode();

  @Override
  protected Cluster startCluster(int nodes) {
    ShardedRedisAdapterOptions options = ShardedRedisAdapterOptions.builder().subscriptionMode(mode())
        .channelPrefix("contract-" + PREFIXES.incrementAndGet()).build();
    return new JavaCluster(LINKS.subList(0, nodes), options, SocketIoOptions.DEFAULTS);
  }

  /** Switchboard servers in memory, one link each, over one Redis. */
  static final class JavaCluster extends InMemoryCluster {
    final List<ShardedRedisAdapter.Factory> factories = new ArrayList<>();
    /** What the links had received before this cluster: they outlive it. */
    final long receivedBefore;

    JavaCluster(List<RedisLink> links, ShardedRedisAdapterOptions options, SocketIoOptions serverOptions) {
      for (RedisLink link : links) {
        ShardedRedisAdapter.Factory factory = ShardedRedisAdapter.factory(link, options);
        factories.add(factory);
        InMemorySocketIo sio = new InMemorySocketIo(serverOptions.toBuilder().adapter(factory).build(),
            SessionIdGenerator.secureRandom());
        nodes.add(new InMemoryNode(sio));
      }
      for (InMemoryNode n : nodes) {
        try {
          ((ShardedRedisAdapter) n.sio().io().sockets().adapter()).subscribed().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError("the adapter did not subscribe", e);
        }
      }
      long before = 0;
      for (ShardedRedisAdapter.Factory f : factories) before += f.metrics().messagesReceived();
      receivedBefore = before;
    }

    /**
     * Every command answered, and every message SPUBLISH said it reached received and handled
     * (read in this order: received, then waiting, then commands, then deliveries — see
     * {@code ClusterAdapterBase.enqueue}).
     */
    @Override
    public void settle() {
      Await.until("the cluster settled", Duration.ofSeconds(10), () -> {
        long received = 0;
        long backlog = 0;
        long inFlight = 0;
        long delivered = 0;
        for (ShardedRedisAdapter.Factory f : factories) received += f.metrics().messagesReceived();
        for (ShardedRedisAdapter.Factory f : factories) backlog += f.metrics().backlog();
        for (ShardedRedisAdapter.Factory f : factories) inFlight += f.commandsInFlight.get();
        for (ShardedRedisAdapter.Factory f : factories) delivered += f.deliveries.get();
        return backlog == 0 && inFlight == 0 && received - receivedBefore == delivered;
      });
    }

    @Override
    public int pendingRequests() {
      return ((ClusterAdapterBase) server().sockets().adapter()).pendingRequests();
    }

  }
}
