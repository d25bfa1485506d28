package dev.switchboard.socketio.cluster;

import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.time.Duration;

/**
 * The adapter contract on one server with the default {@code InMemoryAdapter}: the cluster
 * scenarios as they read with a single server — every client is local, no other server hears a
 * server-side event or has anything to answer — and everything completes without waiting.
 */
class InMemoryAdapterContractTest extends AdapterContractTest {
  @Override
  protected int nodes() {
    return 1;
  }

  @Override
  protected Cluster startCluster(int nodes) {
    InMemoryNode node = new InMemoryNode(new InMemorySocketIo());
    return new Cluster() {
      @Override
      public SocketIoServer server() {
        return node.sio().io();
      }

      @Override
      public Node node(int i) {
        if (i != 0) throw new IndexOutOfBoundsException(i);
        return node;
      }

      @Override
      public int size() {
        return 1;
      }

      @Override
      public void settle() {
        // one server in memory: everything happened before the call returned
      }

      @Override
      public void elapse(Duration d) {
        node.sio().clock.advanceBy(d);
      }

      @Override
      public int pendingRequests() {
        return 0; // the in-memory adapter keeps nothing for a request (InMemoryAdapterTest)
      }

      @Override
      public void close() {
        node.sio().close();
      }
    };
  }
}
