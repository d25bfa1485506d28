package dev.switchboard.cluster;

import dev.switchboard.cluster.redis.ShardedCodec;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ClusterAdapterBase} over a {@link ClusterBus}: the smallest transport — bytes in the
 * sharded adapter's encoding ({@link ShardedCodec}), so every message crosses a real codec — with
 * which the base's logic is tested without Redis. With {@code numbered}, it uses the bus's
 * offsets as the streams adapter uses stream entry ids ({@link #offsetFromTransport()}).
 *
 * <p>Threading: as the base; the bus calls {@link #receive} on its own thread.
 */
final class BusClusterAdapter extends ClusterAdapterBase implements ClusterBus.Subscriber {
  private static final ShardedCodec CODEC = new ShardedCodec();

  private final ClusterBus bus;
  private final boolean numbered;

  static AdapterFactory factory(ClusterBus bus, ClusterMetrics metrics, Duration requestsTimeout, boolean numbered) {
    return ns -> new BusClusterAdapter(ns, bus, metrics, requestsTimeout, numbered);
  }

  BusClusterAdapter(AdapterNamespace namespace, ClusterBus bus, ClusterMetrics metrics, Duration requestsTimeout,
      boolean numbered) {
    super(namespace, requestsTimeout, metrics);
    this.bus = bus;
    this.numbered = numbered;
    bus.subscribe(namespace.name(), this);
  }

  @Override
  protected CompletableFuture<String> publishMessage(ClusterMessage message) {
    return bus.publish(namespace.name(), CODEC.encode(message)).thenApply(offset -> numbered ? offset : null);
  }

  @Override
  protected CompletableFuture<?> publishResponse(String requesterUid, ClusterMessage response) {
    return bus.respond(namespace.name(), requesterUid, CODEC.encode(response));
  }

  @Override
  public CompletableFuture<Integer> serverCount() {
    Runnable release = bus.hold();
    CompletableFuture<Integer> out = new CompletableFuture<>();
    // Released after what the count sets off on the serial executor (a request's publication).
    bus.subscribers(namespace.name()).whenComplete((n, e) -> namespace.completions().execute(() -> {
      try {
        if (e != null) out.completeExceptionally(e);
        else out.complete(n);
      } finally {
        runSerially(release);
      }
    }));
    return out;
  }

  @Override
  protected boolean offsetFromTransport() {
    return numbered;
  }

  @Override
  public void receive(byte[] message, String offset, Runnable handled) {
    boolean queued = enqueue(() -> {
      try {
        onMessage(CODEC.decode(message), numbered ? offset : null);
      } finally {
        handled.run();
      }
    });
    if (!queued) handled.run();
  }

  @Override
  public void close() {
    bus.unsubscribe(namespace.name(), this);
    super.close();
  }
}
