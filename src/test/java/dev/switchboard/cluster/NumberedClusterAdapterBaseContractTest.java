package dev.switchboard.cluster;

import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.cluster.AdapterContractTest;

/**
 * The adapter contract on {@link ClusterAdapterBase} when the transport numbers its messages
 * ({@code offsetFromTransport}), as the Redis streams adapter's stream does: local delivery of a
 * broadcast takes the other path, the contract stays the same.
 */
class NumberedClusterAdapterBaseContractTest extends AdapterContractTest {
  @Override
  protected Cluster startCluster(int nodes) {
    return new ClusterAdapterBaseContractTest.BusCluster(nodes, true, SocketIoOptions.DEFAULTS);
  }
}
