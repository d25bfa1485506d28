package dev.switchboard.socketio.cluster;

import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.time.Duration;

/**
 * The adapter contract on three in-memory servers sharing a {@link LoopbackBus}, each with the
 * {@link LoopbackClusterAdapter}: the adapter API carries every cluster scenario, asynchronously,
 * as a Redis adapter will have to. Each server has its own fake clock; {@code elapse} moves them
 * all.
 */
class LoopbackAdapterContractTest extends AdapterContractTest {
  @Override
  protected Cluster startCluster(int nodes) {
    return new LoopbackCluster(nodes);
  }

  /** {@code n} in-memory servers on one bus; server {@code i}'s ids start with a letter of its own. */
  static final class LoopbackCluster extends InMemoryCluster {
    final LoopbackBus bus = new LoopbackBus();

    LoopbackCluster(int n) {
      this(n, LoopbackClusterAdapter.DEFAULT_REQUESTS_TIMEOUT, SocketIoOptions.DEFAULTS);
    }

    LoopbackCluster(int n, Duration requestsTimeout, SocketIoOptions options) {
      for (int i = 0; i < n; i++) {
        SocketIoOptions o = options.toBuilder().adapter(LoopbackClusterAdapter.factory(bus, requestsTimeout)).build();
        nodes.add(new InMemoryNode(new InMemorySocketIo(o, (char) ('a' + i) + "-")));
      }
    }

    @Override
    public void settle() {
      bus.awaitIdle();
    }

    @Override
    public int pendingRequests() {
      return ((LoopbackClusterAdapter) server().sockets().adapter()).pendingRequests();
    }

    @Override
    public void close() {
      super.close();
      bus.close();
    }
  }
}
