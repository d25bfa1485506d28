package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.redis.RedisLink.BlockingConnection;
import dev.switchboard.cluster.redis.RedisLink.StreamEntry;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader of one Redis stream of the streams adapter: {@code XREAD COUNT <readCount> BLOCK
 * <blockTimeInMs> STREAMS <stream> <last id>} in a loop, on a connection of its own ({@link
 * RedisLink#openBlockingConnection}), starting at {@code $} — only entries added from its first
 * read on — and then after the last entry it read, so that nothing is skipped between two reads
 * (startPolling, {@code @socket.io/redis-streams-adapter} 0.3.1 lib/adapter.ts 127–170).
 *
 * <p>Each batch goes to the sink on the executor, and the next read is sent only once the stage
 * the sink returns has completed — once the batch is handled: a node reads as fast as it handles
 * what it reads, so a flood on the stream waits in Redis (trimmed by {@code maxLen}) rather than
 * in this process's memory — at most {@code readCount} entries are in hand per stream.
 *
 * <p>When a read fails (Redis away: the link fails commands at once; a command timeout; the
 * connection could not be opened) the reader waits before it tries again — 50 ms, doubling up to
 * 1 s, on the {@link Scheduler} — and goes on from the same id once Redis answers: entries added
 * while it waited are read then, those trimmed meanwhile are lost. The link logs the outage; the
 * reader only a FINE line per failed read.
 *
 * <p>States, each change under this object's monitor:
 *
 * <pre>
 *   NEW ──start──▶ CONNECTING ──opened──▶ READING ◀──retry── WAITING
 *                      │  ▲                 │  ▲ batch handled  ▲
 *                      │  └──retry──────────┼──┴────────────────┤
 *                      └──failed──▶ WAITING ◀──read failed──────┘
 *   any ──close──▶ CLOSED (the connection is closed, which ends a blocked read; nothing runs after)
 * </pre>
 *
 * <p>Threading: {@link #start} and {@link #close} from any thread. Lettuce's threads (which
 * complete the reads) and the timer only hand work to {@code executor} — the server's worker
 * pool — where the loop runs and the sink is called, one batch at a time, in stream order.
 */
final class StreamReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
  static final Duration FIRST_RETRY = Duration.ofMillis(50);
  static final Duration MAX_RETRY = Duration.ofSeconds(1);

  enum State { NEW, CONNECTING, READING, WAITING, CLOSED }

  private final RedisLink link;
  private final String stream;
  private final int readCount;
  private final Duration block;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Function<List<StreamEntry>, CompletionStage<?>> sink;

  // guarded by this
  private State state = State.NEW;
  private BlockingConnection connection;
  private String lastId = "$";
  private Duration retryDelay = FIRST_RETRY;
  private Cancellable retry = Cancellable.NONE;

  /**
   * A reader of {@code stream}, not started.
   *
   * @param sink called on {@code executor} with each non-empty batch, in stream order, one at a
   *     time; the next read waits for the stage it returns (its outcome does not matter)
   */
  StreamReader(RedisLink link, String stream, int readCount, Duration block, Scheduler scheduler, Executor executor,
      Function<List<StreamEntry>, CompletionStage<?>> sink) {
    this.link = Objects.requireNonNull(link, "link");
    this.stream = Objects.requireNonNull(stream, "stream");
    this.readCount = readCount;
    this.block = block;
    this.scheduler = scheduler;
    this.executor = executor;
    this.sink = sink;
  }

  /** The stream's name. */
  String stream() {
    return stream;
  }

  /** The state now (for tests and monitoring). */
  synchronized State state() {
    return state;
  }

  /** The id the next read starts after: {@code $} until the first entry was read. */
  synchronized String lastId() {
    return lastId;
  }

  /** Opens the reader's connection and starts reading; nothing once started or closed. */
  void start() {
    synchronized (this) {
      if (state != State.NEW) return;
      state = State.CONNECTING;
    }
    connect();
  }

  private void connect() {
    link.openBlockingConnection().whenComplete((c, e) -> executor.execute(() -> onConnected(c, e)));
  }

  /** Executor: the connection is open, or could not be opened. */
  private void onConnected(BlockingConnection c, Throwable error) {
    synchronized (this) {
      if (state == State.CLOSED) {
        if (c != null) c.close();
        return;
      }
      if (error != null) {
        LOG.atDebug().log(() -> "stream " + stream + ": no connection for its reader yet: " + error.getMessage());
        waitThen(this::connect, State.CONNECTING);
        return;
      }
      connection = c;
    }
    read();
  }

  /** Any thread but Lettuce's: sends the next read. */
  private void read() {
    BlockingConnection c;
    String after;
    synchronized (this) {
      if (state == State.CLOSED) return;
      state = State.READING;
      c = connection;
      after = lastId;
    }
    c.xread(stream, after, readCount, block).whenComplete((entries, e) -> executor.execute(() -> onRead(entries, e)));
  }

  /** Executor: a read answered — entries, none within the block time, or a failure. */
  private void onRead(List<StreamEntry> entries, Throwable error) {
    synchronized (this) {
      if (state == State.CLOSED) return;
      if (error != null) {
        LOG.atDebug().log(() -> "stream " + stream + ": read failed, trying again: " + error.getMessage());
        waitThen(this::read, State.READING);
        return;
      }
      retryDelay = FIRST_RETRY;
      if (!entries.isEmpty()) lastId = entries.get(entries.size() - 1).id();
    }
    if (entries.isEmpty()) {
      read();
      return;
    }
    CompletionStage<?> handled;
    try {
      handled = sink.apply(entries);
    } catch (RuntimeException e) {
      LOG.warn("stream " + stream + ": handling a batch failed", e); // a bug; the loop goes on
      handled = CompletableFuture.completedFuture(null);
    }
    handled.whenComplete((x, e) -> executor.execute(this::read));
  }

  /** Under the monitor: WAITING, then {@code next} on the executor after the current delay (doubled for next time). */
  private void waitThen(Runnable next, State resumeAs) {
    assert Thread.holdsLock(this);
    state = State.WAITING;
    Duration delay = retryDelay;
    retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
    retry = scheduler.schedule(delay, () -> executor.execute(() -> {
      synchronized (this) {
        if (state != State.WAITING) return;
        state = resumeAs;
      }
      next.run();
    }));
  }

  /** Stops the loop: closes the connection (a blocked read fails and is ignored). Idempotent. */
  @Override
  public void close() {
    BlockingConnection c;
    synchronized (this) {
      if (state == State.CLOSED) return;
      state = State.CLOSED;
      c = connection;
      connection = null;
      retry.cancel();
    }
    if (c != null) c.close();
  }
}
