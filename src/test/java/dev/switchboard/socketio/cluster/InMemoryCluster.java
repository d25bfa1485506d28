package dev.switchboard.socketio.cluster;

import dev.switchboard.socketio.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every cluster of {@link InMemoryNode}s shares, whatever carries their messages (a loopback
 * bus, an in-memory bus, a real Redis): the nodes in order, server 0 as the one the contract
 * drives, fake clocks moved together, and closing every node. A subclass adds its nodes to
 * {@link #nodes} in its constructor and says how to settle and count pending requests; one that
 * owns more (a bus, links) overrides {@link #close()} and calls {@code super.close()} first.
 *
 * <p>Threading: the test's thread only.
 */
public abstract class InMemoryCluster implements AdapterContractTest.Cluster {
  /** The cluster's nodes; node 0 is {@link #server()}'s. */
  protected final List<InMemoryNode> nodes = new ArrayList<>();

  @Override
  public SocketIoServer server() {
    return nodes.get(0).sio().io();
  }

  @Override
  public InMemoryNode node(int i) {
    return nodes.get(i);
  }

  @Override
  public int size() {
    return nodes.size();
  }

  /** Moves every node's fake clock by {@code d}. */
  @Override
  public void elapse(Duration d) {
    for (InMemoryNode n : nodes) n.sio().clock.advanceBy(d);
  }

  /** Closes every node (their adapters with them). */
  @Override
  public void close() {
    for (InMemoryNode n : nodes) n.sio().close();
  }
}
