package dev.switchboard.socketio.cluster;

import dev.switchboard.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What several in-memory servers of one test cluster share, in the role Redis plays for the real
 * adapters: each {@link LoopbackClusterAdapter} subscribes under its namespace's name; a message
 * published to a namespace reaches every other subscriber of it, a response reaches one. Delivery
 * is asynchronous, on the bus's own thread ({@code loopback-bus}, as a Redis client library's event
 * loop would deliver), one message at a time in publishing order — so the adapters must hand the
 * work off, as they must with Lettuce.
 *
 * <p>{@link #awaitIdle()} is how a test waits for the cluster to settle: every message counts as
 * in flight from its publication until the receiving adapter has finished handling it (including
 * whatever the handling published in turn), and so does an answer of the bus itself
 * ({@link #subscribers}) until the adapter has acted on it ({@link #hold}).
 *
 * <p>Threading: every method may be called from any thread.
 */
public final class LoopbackBus implements AutoCloseable {
  /** Someone on the bus: an adapter of one namespace, with the id its messages carry. */
  interface Subscriber {
    String uid();

    /**
     * A message for this subscriber, on the bus thread: the subscriber hands it off and calls
     * {@code handled} once it has dealt with it, on whatever thread.
     */
    void receive(LoopbackMessage message, Runnable handled);
  }

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "loopback-bus");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, List<Subscriber>> byNamespace = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger uids = new AtomicInteger();
  private final AtomicInteger published = new AtomicInteger();

  /** A new subscriber id, distinct on this bus ({@code node-1}, {@code node-2}, …). */
  String nextUid() {
    return "node-" + uids.incrementAndGet();
  }

  void subscribe(String namespace, Subscriber s) {
    byNamespace.computeIfAbsent(namespace, k -> new CopyOnWriteArrayList<>()).add(s);
  }

  void unsubscribe(String namespace, Subscriber s) {
    List<Subscriber> subs = byNamespace.get(namespace);
    if (subs != null) subs.remove(s);
  }

  /** To every other subscriber of the message's namespace (never back to its sender). */
  void publish(LoopbackMessage message) {
    deliver(message, s -> !s.uid().equals(message.uid()));
  }

  /** To the one subscriber {@code uid} of the message's namespace (an answer to its request). */
  void respond(String uid, LoopbackMessage message) {
    deliver(message, s -> s.uid().equals(uid));
  }

  private void deliver(LoopbackMessage message, java.util.function.Predicate<Subscriber> to) {
    published.incrementAndGet();
    inFlight.incrementAndGet();
    try {
      thread.execute(() -> {
        try {
          for (Subscriber s : byNamespace.getOrDefault(message.nsp(), List.of())) {
            if (!to.test(s)) continue;
            inFlight.incrementAndGet();
            s.receive(message, inFlight::decrementAndGet);
          }
        } finally {
          inFlight.decrementAndGet();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      inFlight.decrementAndGet(); // the bus is closed: the message is lost, as on a dead Redis
    }
  }

  /**
   * How many subscribe to {@code namespace} (PUBSUB NUMSUB's role): asked on the bus thread, so
   * the answer comes on it, as a client library's would.
   */
  CompletableFuture<Integer> subscribers(String namespace) {
    CompletableFuture<Integer> out = new CompletableFuture<>();
    try {
      thread.execute(() -> out.complete(byNamespace.getOrDefault(namespace, List.of()).size()));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      out.completeExceptionally(new IllegalStateException("the bus is closed"));
    }
    return out;
  }

  /**
   * Counts some work outside the bus as in flight — an adapter's continuation of a bus answer on
   * its own executor — until the returned release runs, so that {@link #awaitIdle()} waits for it.
   */
  Runnable hold() {
    inFlight.incrementAndGet();
    java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) inFlight.decrementAndGet();
    };
  }

  /** How many messages were published so far (requests and responses alike). */
  public int published() {
    return published.get();
  }

  /** Returns once no message is in flight (fails after 10 s). */
  public void awaitIdle() {
    Await.until("the loopback bus is idle", Duration.ofSeconds(10), () -> inFlight.get() == 0);
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
