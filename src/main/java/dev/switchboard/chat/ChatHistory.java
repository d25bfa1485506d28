package dev.switchboard.chat;

import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.storage.Conversation;
import dev.switchboard.storage.Database;
import dev.switchboard.storage.DatabaseUnavailableException;
import dev.switchboard.storage.MessageIds;
import dev.switchboard.storage.Retention;
import dev.switchboard.storage.StoredMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's history in a {@link Database} (issue #11; spec-notes/chat.md §History and
 * spec-notes/storage.md §Writer): message ids made before delivery ({@link MessageIds}, claimed
 * at start), messages stored off the delivery path ({@link HistoryWriter}), the pages of
 * {@code get-history} and {@code get-private-history} read on threads of its own, and the
 * retention job.
 *
 * <pre>{@code
 * ChatHistory history = ChatHistory.start(db, clock, Retention.DEFAULT);
 * ChatApplication chat = new ChatApplication(clock, ChatOptions.DEFAULTS, history);
 * ...
 * history.close();   // after the server stopped taking messages, before the database closes
 * }</pre>
 *
 * <p>Threading: {@link #start} claims the ids with one transaction on the calling thread (the
 * server's start). The chat calls {@link #nextId} and the {@code record} methods on the sockets'
 * serial executors: they never block. Reads run on {@code switchboard-history-N} (two threads, a
 * queue of {@value #READ_QUEUE}; beyond it a request is answered "unavailable"), and so does the
 * retention job, which the clock's timer only hands over. {@link #close} from the closing thread.
 */
public final class ChatHistory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChatHistory.class);
  /** chat.md: the page size when {@code limit} is absent. */
  public static final int DEFAULT_PAGE = 50;
  /** chat.md: the largest {@code limit}. */
  public static final int MAX_PAGE = 200;
  /** The answer when the database cannot be read (or the read queue is full). */
  static final String UNAVAILABLE = "History is unavailable, try again later";
  /** How often retention runs (and its first run, a minute after start). */
  static final Duration RETENTION_EVERY = Duration.ofHours(1);
  static final Duration FIRST_RETENTION = Duration.ofMinutes(1);
  static final int WRITE_QUEUE = 10_000;
  static final int WRITE_BATCH = 256;
  static final int READ_QUEUE = 256;
  /** How long a read waits for the writer to store what was queued before it (read-your-writes). */
  private static final Duration FLUSH_WAIT = Duration.ofSeconds(5);

  private final Database db;
  private final Scheduler clock;
  private final Retention retention;
  private final MessageIds ids;
  private final HistoryWriter writer;
  private final ThreadPoolExecutor readers;
  private final Object retentionLock = new Object();
  /** Guarded by retentionLock. */
  private Cancellable nextRetention;
  private volatile boolean closed;

  private ChatHistory(Database db, Scheduler clock, Retention retention, MessageIds ids) {
    this.db = db;
    this.clock = clock;
    this.retention = retention;
    this.ids = ids;
    this.writer = new HistoryWriter(db.messages()::appendAll, WRITE_QUEUE, WRITE_BATCH);
    AtomicInteger n = new AtomicInteger();
    this.readers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(READ_QUEUE), r -> {
      Thread t = new Thread(r, "switchboard-history-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    readers.allowCoreThreadTimeOut(true);
  }

  /**
   * Claims this node's message ids in {@code db} (one transaction, on this thread: a
   * {@code DatabaseUnavailableException} stops the start) and starts the writer and the
   * retention job ({@code retention} applied a minute after start, then hourly, on {@code clock}).
   */
  public static ChatHistory start(Database db, Scheduler clock, Retention retention) {
    if (db == null || clock == null || retention == null) throw new IllegalArgumentException("db, clock and retention are required");
    MessageIds ids = db.messages().claimIds(clock::currentTimeMillis, clock.currentTimeMillis());
    ChatHistory h = new ChatHistory(db, clock, retention, ids);
    h.scheduleRetention(FIRST_RETENTION);
    return h;
  }

  /** The next message id. Any thread; never blocks. */
  long nextId() {
    return ids.next();
  }

  /** Queues a room message for storing. Any thread; never blocks. */
  void recordRoom(long id, RoomName room, String senderId, String senderName, String text, long sentAtMillis) {
    StoredMessage m;
    try {
      m = new StoredMessage(id, Conversation.room(room.name()), senderId, senderName, text, sentAtMillis);
    } catch (IllegalArgumentException unstorable) { // the chat's own checks refuse such text first
      writer.dropUnstorable(unstorable.getMessage());
      return;
    }
    writer.offer(m);
  }

  /** Queues a private message for storing. Any thread; never blocks. */
  void recordPrivate(long id, String senderId, String senderName, OnlineUser to, String text, long sentAtMillis) {
    StoredMessage m;
    try {
      m = new StoredMessage(id, Conversation.between(senderId, to.userId()), senderId, senderName, text,
          sentAtMillis, to.username());
    } catch (IllegalArgumentException unstorable) {
      writer.dropUnstorable(unstorable.getMessage());
      return;
    }
    writer.offer(m);
  }

  /**
   * Reads, on a history thread, the {@code limit} messages of {@code conversation} older than
   * message {@code before} (oldest first) once the messages queued before this call are stored,
   * and gives them to {@code page} with whether older ones exist; or gives {@code refusal} the
   * sentence to answer with ({@link #UNAVAILABLE}, or the chat's internal error). Any thread.
   */
  void read(Conversation conversation, long before, int limit, BiConsumer<List<StoredMessage>, Boolean> page,
      Consumer<String> refusal) {
    try {
      readers.execute(() -> {
        try {
          // Read-your-writes: a message acked a moment ago may still be in the writer's queue.
          writer.flush(FLUSH_WAIT);
          // One more than asked for tells whether there is a page beyond this one.
          List<StoredMessage> got = db.messages().before(conversation, before, limit + 1);
          boolean hasMore = got.size() > limit;
          page.accept(hasMore ? got.subList(1, got.size()) : got, hasMore);
        } catch (DatabaseUnavailableException e) {
          refusal.accept(UNAVAILABLE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          refusal.accept(UNAVAILABLE);
        } catch (RuntimeException e) {
          LOG.warn("history: a read failed", e);
          refusal.accept(ChatConnection.INTERNAL_ERROR);
        }
      });
    } catch (RejectedExecutionException full) {
      refusal.accept(UNAVAILABLE);
    }
  }

  /** Messages stored since start. Any thread. */
  public long messagesStored() {
    return writer.written();
  }

  /** Messages delivered but not stored since start (the write queue full, or the database away). Any thread. */
  public long messagesNotStored() {
    return writer.dropped();
  }

  /**
   * Stops the retention job, stores the messages still queued (waiting up to 10 s) and stops the
   * history threads. Call after the server stopped taking messages and before the database closes.
   */
  @Override
  public void close() {
    closed = true;
    synchronized (retentionLock) {
      if (nextRetention != null) nextRetention.cancel();
    }
    writer.close();
    readers.shutdown();
    try {
      readers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void scheduleRetention(Duration delay) {
    synchronized (retentionLock) {
      if (closed) return;
      nextRetention = clock.schedule(delay, () -> {
        // The timer thread only hands the job over: it scans the table.
        try {
          readers.execute(this::applyRetention);
        } catch (RejectedExecutionException busyOrClosed) {
          // Reads are queued up (or we are closing): the next run will do it.
        }
        scheduleRetention(RETENTION_EVERY);
      });
    }
  }

  /** A history thread. */
  private void applyRetention() {
    try {
      int deleted = db.messages().applyRetention(retention, clock.currentTimeMillis());
      if (deleted > 0) LOG.debug("history: retention deleted " + deleted + " messages");
    } catch (RuntimeException e) {
      LOG.warn("history: retention did not run, it is tried again in an hour: " + e.getMessage());
    }
  }
}
