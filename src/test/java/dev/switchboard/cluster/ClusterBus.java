package dev.switchboard.cluster;

import dev.switchboard.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Bytes between the adapters of a test cluster, in the role Redis plays for the real ones: a
 * message published to a namespace reaches every subscriber of it — its publisher too, as a
 * Redis channel echoes a subscriber's own messages — and an answer reaches one node. Delivery
 * is asynchronous, on the bus's own thread ({@code cluster-bus}, as Lettuce's event loop would
 * deliver), one message at a time in publishing order. Each publication gets an offset
 * ({@code 1-0}, {@code 2-0}, …), as a Redis stream numbers its entries.
 *
 * <p>{@link #awaitIdle()} waits for the cluster to settle: a message is in flight from its
 * publication until every receiver has handled it (and whatever that published in turn), and so
 * is an answer of the bus itself ({@link #subscribers}) until the adapter has acted on it
 * ({@link #hold}).
 *
 * <p>Threading: every method may be called from any thread.
 */
final class ClusterBus implements AutoCloseable {
  /** An adapter of one namespace on the bus. */
  interface Subscriber {
    String uid();

    /** On the bus thread: hand {@code message} off, and run {@code handled} once it is dealt with (any thread). */
    void receive(byte[] message, String offset, Runnable handled);
  }

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "cluster-bus");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, List<Subscriber>> byNamespace = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong offsets = new AtomicLong();
  /** Every publication, for tests that look at the wire. */
  final List<byte[]> wire = new CopyOnWriteArrayList<>();

  void subscribe(String namespace, Subscriber s) {
    byNamespace.computeIfAbsent(namespace, k -> new CopyOnWriteArrayList<>()).add(s);
  }

  void unsubscribe(String namespace, Subscriber s) {
    List<Subscriber> subs = byNamespace.get(namespace);
    if (subs != null) subs.remove(s);
  }

  /** To every subscriber of {@code namespace}, its publisher included; completes (on the bus thread) with the offset. */
  CompletableFuture<String> publish(String namespace, byte[] message) {
    wire.add(message);
    return deliver(namespace, message, s -> true);
  }

  /** To the one subscriber {@code uid} of {@code namespace}. */
  CompletableFuture<String> respond(String namespace, String uid, byte[] message) {
    wire.add(message);
    return deliver(namespace, message, s -> s.uid().equals(uid));
  }

  private CompletableFuture<String> deliver(String namespace, byte[] message, Predicate<Subscriber> to) {
    CompletableFuture<String> published = new CompletableFuture<>();
    inFlight.incrementAndGet();
    try {
      thread.execute(() -> {
        try {
          String offset = offsets.incrementAndGet() + "-0";
          published.complete(offset);
          for (Subscriber s : byNamespace.getOrDefault(namespace, List.of())) {
            if (!to.test(s)) continue;
            inFlight.incrementAndGet();
            s.receive(message.clone(), offset, inFlight::decrementAndGet);
          }
        } finally {
          inFlight.decrementAndGet();
        }
      });
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      published.completeExceptionally(new IllegalStateException("the bus is closed"));
    }
    return published;
  }

  /** How many subscribe to {@code namespace} (SHARDNUMSUB's role), answered on the bus thread. */
  CompletableFuture<Integer> subscribers(String namespace) {
    CompletableFuture<Integer> out = new CompletableFuture<>();
    try {
      thread.execute(() -> out.complete(byNamespace.getOrDefault(namespace, List.of()).size()));
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(new IllegalStateException("the bus is closed"));
    }
    return out;
  }

  /** Counts work outside the bus as in flight until the returned release runs. */
  Runnable hold() {
    inFlight.incrementAndGet();
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) inFlight.decrementAndGet();
    };
  }

  /** Returns once nothing is in flight (fails after 10 s). */
  void awaitIdle() {
    Await.until("the cluster bus is idle", Duration.ofSeconds(10), () -> inFlight.get() == 0);
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
