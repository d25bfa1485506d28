package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.ClusterMetrics;
import dev.switchboard.cluster.redis.RedisLink.StreamEntry;
import dev.switchboard.scheduling.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * What the adapters made by one {@link RedisStreamsAdapter#factory} share, as the adapters made by
 * one upstream {@code createAdapter(...)} do (lib/adapter.ts 178–247): the link, the options, the
 * codec, the namespaces' adapters by name, and one {@link StreamReader} per stream, which every
 * namespace's lasting messages come through. The readers start with the first adapter and stop
 * when the last one closes (started again by a later one).
 *
 * <p>A batch read from a stream is dispatched entry by entry: an entry without {@code nsp}, of a
 * namespace without an adapter here, or written by the adapter it would go to (its {@code uid})
 * is passed over without decoding it; every other one is queued on its adapter's serial executor
 * ({@link RedisStreamsAdapter#onStreamEntry}), where it is decoded and acted on. The reader's
 * next read waits until every adapter that got part of the batch has handled it.
 *
 * <p>Threading: {@link #register}/{@link #unregister} from any thread (guarded by this); the
 * dispatch runs on the worker pool, in the reader's task.
 */
final class StreamsHub {
  private final RedisLink link;
  private final RedisStreamsAdapterOptions options;
  private final StreamsNames names;
  private final StreamsCodec codec;
  private final Map<String, RedisStreamsAdapter> adapters = new ConcurrentHashMap<>();
  private List<StreamReader> readers = List.of(); // guarded by this

  StreamsHub(RedisLink link, RedisStreamsAdapterOptions options) {
    this.link = link;
    this.options = options;
    this.names = options.names();
    this.codec = new StreamsCodec(dev.switchboard.cluster.NotepackCodec.msgpackJs(), options.onlyPlaintext());
  }

  RedisLink link() {
    return link;
  }

  RedisStreamsAdapterOptions options() {
    return options;
  }

  StreamsNames names() {
    return names;
  }

  StreamsCodec codec() {
    return codec;
  }

  ClusterMetrics metrics() {
    return link.metrics();
  }

  /**
   * {@code adapter} receives its namespace's entries from now on (replacing an earlier adapter of
   * the same namespace, as upstream's map does); the readers start, on its namespace's scheduler
   * and worker pool, if they were not reading.
   */
  synchronized void register(RedisStreamsAdapter adapter, Scheduler scheduler, Executor completions) {
    adapters.put(adapter.namespaceName(), adapter);
    if (!readers.isEmpty()) return;
    List<StreamReader> started = new ArrayList<>();
    for (String stream : names.streams()) {
      StreamReader r = new StreamReader(link, stream, options.readCount(), Duration.ofMillis(options.blockTimeInMs()),
          scheduler, completions, this::dispatch);
      started.add(r);
    }
    readers = List.copyOf(started);
    for (StreamReader r : readers) r.start();
  }

  /**
   * {@code adapter} no longer receives entries; the readers stop with the last adapter.
   *
   * @return whether it was the namespace's adapter (not replaced by a newer one meanwhile)
   */
  synchronized boolean unregister(RedisStreamsAdapter adapter) {
    boolean current = adapters.remove(adapter.namespaceName(), adapter);
    if (adapters.isEmpty()) {
      for (StreamReader r : readers) r.close();
      readers = List.of();
    }
    return current;
  }

  /** The readers now (for tests). */
  synchronized List<StreamReader> readers() {
    return readers;
  }

  /** A reader's task: hands each entry to its namespace's adapter; completes once they all handled it. */
  CompletionStage<?> dispatch(List<StreamEntry> entries) {
    Map<RedisStreamsAdapter, Boolean> touched = null;
    for (StreamEntry entry : entries) {
      byte[] nsp = entry.fields().get("nsp");
      RedisStreamsAdapter adapter = nsp == null ? null : adapters.get(new String(nsp, StandardCharsets.UTF_8));
      if (adapter == null) {
        // lib/adapter.ts 151-153 and 200-202: no namespace, or none of ours — normal filtering
        link.metrics().recordReceived();
        continue;
      }
      adapter.onStreamEntry(entry);
      if (touched == null) touched = new HashMap<>(4);
      touched.put(adapter, Boolean.TRUE);
    }
    if (touched == null) return CompletableFuture.completedFuture(null);
    List<CompletableFuture<?>> handled = new ArrayList<>(touched.size());
    for (RedisStreamsAdapter a : touched.keySet()) handled.add(a.afterQueued());
    return CompletableFuture.allOf(handled.toArray(CompletableFuture[]::new));
  }
}
