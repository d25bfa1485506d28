package dev.switchboard.cluster;

import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.socketio.cluster.InMemoryCluster;
import dev.switchboard.socketio.cluster.InMemoryNode;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.ArrayList;
import java.util.List;

/**
 * The adapter contract (Node's Redis adapter suite) on three in-memory servers whose adapters are
 * {@link ClusterAdapterBase} over a {@link ClusterBus}, every message through the sharded
 * adapter's codec: socket.io-adapter's ClusterAdapter logic, without Redis. Each server has its
 * own fake clock; {@code elapse} moves them all.
 */
class ClusterAdapterBaseContractTest extends AdapterContractTest {
  @Override
  protected Cluster startCluster(int nodes) {
    return new BusCluster(nodes, false, SocketIoOptions.DEFAULTS);
  }

  /** {@code n} in-memory servers on one bus; server {@code i}'s socket ids start with a letter of its own. */
  static final class BusCluster extends InMemoryCluster {
    final ClusterBus bus = new ClusterBus();
    final List<ClusterMetrics> metrics = new ArrayList<>();

    BusCluster(int n, boolean numbered, SocketIoOptions options) {
      for (int i = 0; i < n; i++) {
        ClusterMetrics m = new ClusterMetrics();
        metrics.add(m);
        SocketIoOptions o = options.toBuilder()
            .adapter(BusClusterAdapter.factory(bus, m, ClusterAdapterBase.DEFAULT_TIMEOUT, numbered)).build();
        nodes.add(new InMemoryNode(new InMemorySocketIo(o, (char) ('a' + i) + "-")));
      }
    }

    @Override
    public void settle() {
      bus.awaitIdle();
    }

    @Override
    public int pendingRequests() {
      return ((ClusterAdapterBase) server().sockets().adapter()).pendingRequests();
    }

    @Override
    public void close() {
      super.close();
      bus.close();
    }
  }
}
