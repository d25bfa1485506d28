package dev.switchboard.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The outbound path of one connection: the bytes waiting for its socket, who writes them, and
 * what happens once they are gone. Every write of a {@link Connection} goes through here.
 *
 * <p><b>Queued writes.</b> Any thread may add buffers. They wait in order, and the first add
 * after a flush asks the I/O loop for one (at most one flush is pending), so everything added
 * between two flushes leaves in one gathering {@code writev(2)} of up to 64 buffers — a single
 * buffer with {@code write(2)}, which spares the JDK its iovec setup and the kernel its iovec
 * import. What the socket does not take waits for {@code OP_WRITE}; a long queue is written in at
 * most {@value #ROUNDS_PER_TURN} system calls per turn, then the loop serves other connections
 * first.
 *
 * <p><b>Write-through</b> ({@link #canWriteThrough}): on a WebSocket over a channel any thread
 * may write (plain TCP), with nothing queued, no flush pending and no thread writing, the caller's
 * thread writes the frame itself with one non-blocking write instead of waking the loop — on a
 * busy server that hand-off (a selector wake-up and a context switch) cost more than the write
 * (BENCHMARKS.md, "every message crosses threads"). What the socket does not take goes to the
 * head of the queue for the loop. One thread at a time is inside a channel write (the
 * {@code writing} turn, the loop's flush included), so frames keep their order. The loop itself
 * never writes through ({@link Owner#inLoop}): what it adds during its turn waits for the flush
 * at the end of it, so several answers to one read leave in one {@code writev}.
 *
 * <p><b>Coalescing.</b> {@link #addFrames} with {@code coalesce} (a broadcast) always queues:
 * written through, each broadcast would cost every recipient one write; queued, the broadcasts
 * that arrive before the loop comes round leave in one {@code writev} (BENCHMARKS.md: 0.19
 * {@code writev} per delivery with 10 broadcasts in flight, 1.00 written through).
 *
 * <p><b>Phases</b> ({@link Phase}), changed only by {@link #moveTo}:
 * <pre>
 *   from \ to                  HTTP  RESUME_WHEN_DRAINED  WEBSOCKET  SHUT_WHEN_DRAINED  SHUT  CLOSED
 *   HTTP                        -    response queued      upgrade    last bytes queued   -     close
 *   HTTP_RESUME_WHEN_DRAINED  drained     -                 -        last bytes queued   -     close
 *   WEBSOCKET                   -         -                 -        close frame queued  -     close
 *   SHUT_WHEN_DRAINED           -         -                 -           -              drained close
 *   SHUT                        -         -                 -           -                -     close
 * </pre>
 * A WebSocket queue holding more than {@link Owner#maxOutboundBytes} marks a slow consumer, whose
 * connection is closed (hostile-inputs.md#B63); an HTTP response may be as large as the application
 * made it. Once the last bytes are queued nothing more is accepted, and once the connection is
 * closed everything queued is dropped.
 *
 * <p>Memory: one per connection, so its fields replace the connection's own; its buffers are a
 * ring of its own rather than an {@code ArrayDeque} (one object fewer), and it is its own flush
 * task, so asking for a flush allocates nothing. A plain connection's write path costs what it
 * did before this class (JOL, compressed oops): Connection 88 + this 48 + ring 32 +
 * {@link OutboundChannel.Plain} 16 = 184 bytes, against Connection 104 + flush-task lambda 16 +
 * ArrayDeque 24 + its array 40.
 *
 * <p>Threading: {@link #add}, {@link #addFrames}, {@link #startWebSocket} and
 * {@link #queuedBytes} from any thread; {@link #flush}, {@link #flushIfQueued} and {@link #close}
 * on the owning I/O loop's thread. Its state is guarded by its monitor, never held across a
 * channel write.
 */
final class OutboundQueue implements Runnable {

  /** Channel writes per flush before the loop gives other connections a turn. */
  static final int ROUNDS_PER_TURN = 16;
  private static final int INITIAL_CAPACITY = 4; // a power of two: ring indexes are masked

  /** The connection a queue belongs to: what the queue needs of it and tells it. */
  interface Owner {
    /** Any thread: runs {@code task} on the connection's I/O loop. */
    void execute(Runnable task);

    /** Any thread: bytes queued on a WebSocket above which its peer is a slow consumer. */
    long maxOutboundBytes();

    /**
     * Any thread: whether the caller is the connection's own I/O loop. The loop never writes
     * through: what it adds (a pong; with non-blocking handlers, every answer made in its turn)
     * waits for the flush at the end of the turn, so that several answers for one connection
     * leave in one write.
     */
    default boolean inLoop() {
      return false;
    }

    /** Loop thread: the loop's scratch array for gathering writes (its length caps a batch). */
    ByteBuffer[] gatherBuffers();

    /** Loop thread: whether the loop should flush again when the socket becomes writable. */
    void setWriteInterest(boolean on);

    /** Loop thread: everything queued before {@code action} was asked for has been written. */
    void onDrained(AfterDrain action);

    /** Loop thread: the channel failed or the peer is a slow consumer; close the connection. */
    void closeNow(CloseCause cause);
  }

  /** What the connection does once what was queued up to now has been written. */
  enum AfterDrain {
    NOTHING,
    /** A keep-alive response: read the next request. */
    RESUME_HTTP,
    /** The last bytes (a non-keep-alive or error response, a close frame): shut output. */
    SHUTDOWN_OUTPUT
  }

  /** What the queue is for; the class comment tables the transitions. */
  enum Phase {
    /** HTTP responses, queued for the loop, no size limit. */
    HTTP(true),
    /** A keep-alive response is queued; once it is written, HTTP again. */
    HTTP_RESUME_WHEN_DRAINED(true),
    /** WebSocket frames: write-through where the channel allows it, the slow-consumer limit. */
    WEBSOCKET(true),
    /** The last bytes are queued: nothing more is accepted; once written, output is shut. */
    SHUT_WHEN_DRAINED(false),
    /** Output is shut. */
    SHUT(false),
    /** The connection is closed; what was queued was dropped. */
    CLOSED(false);

    /** Whether buffers added in this phase are queued (else ignored). */
    final boolean accepts;

    Phase(boolean accepts) {
      this.accepts = accepts;
    }

    boolean canMoveTo(Phase next) {
      return switch (this) {
        case HTTP -> next == HTTP_RESUME_WHEN_DRAINED || next == WEBSOCKET || next == SHUT_WHEN_DRAINED
            || next == CLOSED;
        case HTTP_RESUME_WHEN_DRAINED -> next == HTTP || next == SHUT_WHEN_DRAINED || next == CLOSED;
        case WEBSOCKET -> next == SHUT_WHEN_DRAINED || next == CLOSED;
        case SHUT_WHEN_DRAINED -> next == SHUT || next == CLOSED;
        case SHUT -> next == CLOSED;
        case CLOSED -> false;
      };
    }
  }

  /** What an adding thread does once it has left the monitor. */
  private enum Next { NOTHING, WRITE_THROUGH, FLUSH, CLOSE_SLOW_CONSUMER }

  private final Owner owner;
  private final OutboundChannel channel;

  // --- Guarded by this. ---
  /** The queued buffers, oldest at {@code head}; a ring whose length is a power of two. */
  private ByteBuffer[] ring = new ByteBuffer[INITIAL_CAPACITY];
  private int head;
  private int size;
  /** Bytes still to write in the queued buffers. */
  private long bytes;
  private Phase phase = Phase.HTTP;
  /** A flush task is queued on the loop. */
  private boolean flushScheduled;
  /** A thread (the loop's flush or a write-through) is inside a channel write. */
  private boolean writing;

  OutboundQueue(Owner owner, OutboundChannel channel) {
    this.owner = owner;
    this.channel = channel;
  }

  // ------------------------------------------------------------------ adding (any thread)

  /** Any thread: queues {@code buf} (or writes it through, see the class comment). */
  void add(ByteBuffer buf) {
    add(buf, AfterDrain.NOTHING);
  }

  /**
   * Any thread: queues {@code buf}, to be followed by {@code then} once it and everything before
   * it is written. Ignored once the last bytes are queued or the connection closed.
   */
  void add(ByteBuffer buf, AfterDrain then) {
    Next next;
    synchronized (this) {
      if (!phase.accepts) return;
      if (then == AfterDrain.NOTHING && canWriteThrough()) {
        writing = true;
        next = Next.WRITE_THROUGH;
      } else {
        append(buf);
        next = afterAppend();
        if (then == AfterDrain.RESUME_HTTP) moveTo(Phase.HTTP_RESUME_WHEN_DRAINED);
        else if (then == AfterDrain.SHUTDOWN_OUTPUT) moveTo(Phase.SHUT_WHEN_DRAINED);
      }
    }
    proceed(next, buf);
  }

  /**
   * Any thread: frames that stay together (a packet and its attachments): no other thread's
   * bytes come between them. The frames are duplicated, so read-only frames may be shared
   * between connections. With {@code coalesce} (a broadcast) they always wait for the loop; a
   * single frame without it is {@link #add added} like any other.
   */
  void addFrames(List<ByteBuffer> frames, boolean coalesce) {
    if (!coalesce && frames.size() == 1) {
      add(frames.get(0).duplicate(), AfterDrain.NOTHING);
      return;
    }
    Next next;
    synchronized (this) {
      if (!phase.accepts) return;
      for (ByteBuffer f : frames) append(f.duplicate());
      next = afterAppend();
    }
    proceed(next, null);
  }

  /**
   * Any thread, before the upgrade's 101 is added: from now on the queue carries WebSocket frames
   * (write-through, the slow-consumer limit).
   */
  void startWebSocket() {
    synchronized (this) {
      if (phase == Phase.HTTP) moveTo(Phase.WEBSOCKET);
    }
  }

  /** Any thread: bytes queued and not yet written. */
  synchronized long queuedBytes() {
    return bytes;
  }

  /**
   * Under the lock: whether the caller may write now, on its own thread. Only on a WebSocket (an
   * HTTP response waits for the loop, which then resumes reading), only where the channel lets
   * any thread write, and only when nothing could be overtaken or overtake it: nothing queued, no
   * flush pending, no thread writing.
   */
  private boolean canWriteThrough() {
    return phase == Phase.WEBSOCKET && size == 0 && !writing && !flushScheduled && channel.allowsWriteThrough()
        && !owner.inLoop();
  }

  /** Under the lock, after appending: a slow consumer is closed; else one flush is on its way. */
  private Next afterAppend() {
    boolean overflow = phase == Phase.WEBSOCKET && bytes > owner.maxOutboundBytes();
    boolean schedule = !flushScheduled;
    flushScheduled = true;
    return overflow ? Next.CLOSE_SLOW_CONSUMER : schedule ? Next.FLUSH : Next.NOTHING;
  }

  /** Outside the lock: does what the locked part decided. */
  private void proceed(Next next, ByteBuffer buf) {
    switch (next) {
      case WRITE_THROUGH -> writeThrough(buf);
      case FLUSH -> owner.execute(this);
      case CLOSE_SLOW_CONSUMER -> owner.execute(() -> owner.closeNow(CloseCause.SLOW_CONSUMER));
      case NOTHING -> { }
    }
  }

  /** Any thread, holding the {@code writing} turn: one non-blocking write, the rest to the loop. */
  private void writeThrough(ByteBuffer buf) {
    boolean failed = false;
    try {
      channel.write(buf);
    } catch (IOException e) { // reset, or closed by the loop meanwhile
      failed = true;
    }
    boolean schedule;
    synchronized (this) {
      writing = false;
      // Part of the frame is on the wire: the rest goes first, before anything queued meanwhile
      // (even a close frame: the peer must see whole frames). Only a closed connection drops it.
      if (!failed && buf.hasRemaining() && phase != Phase.CLOSED) prepend(buf);
      schedule = size > 0 && !flushScheduled;
      if (schedule) flushScheduled = true;
    }
    if (failed) owner.execute(() -> owner.closeNow(CloseCause.ERROR));
    else if (schedule) owner.execute(this);
  }

  // ------------------------------------------------------------------ flushing (loop thread)

  /** Loop thread: the flush task; see {@link #flush}. */
  @Override
  public void run() {
    flush();
  }

  /**
   * Loop thread: writes as much of the queue as the channel takes, a batch per system call, at
   * most {@value #ROUNDS_PER_TURN} per call of this method. When the queue is empty, the write
   * interest is dropped and the connection does what was asked for after the last bytes.
   */
  void flush() {
    if (!writeHeld()) return;
    ByteBuffer[] batch = owner.gatherBuffers();
    for (int round = 0; round < ROUNDS_PER_TURN; round++) {
      int count;
      AfterDrain then = AfterDrain.NOTHING;
      synchronized (this) {
        flushScheduled = false;
        // Closed: nothing to write. A write-through is in progress: it asks for a flush when it
        // ends, if anything is queued.
        if (phase == Phase.CLOSED || writing) return;
        count = copyHead(batch);
        if (count > 0) writing = true;
        else then = drained();
      }
      if (count == 0) {
        owner.setWriteInterest(false);
        if (then != AfterDrain.NOTHING) owner.onDrained(then);
        return;
      }
      OutboundChannel.Progress progress = writeBatch(batch, count);
      if (progress == null) return; // failed: the connection is closed
      switch (progress) {
        case FULL -> {
          owner.setWriteInterest(true); // resume on OP_WRITE
          return;
        }
        case NOT_READY -> {
          return; // the TLS handshake: the read that finishes it flushes (flushIfQueued)
        }
        case CONTINUE -> { }
      }
    }
    owner.setWriteInterest(true); // a very long queue: let other connections have a turn first
  }

  /** Loop thread: flushes if anything is queued (TLS: the handshake has just finished). */
  void flushIfQueued() {
    boolean queued;
    synchronized (this) {
      queued = size > 0;
    }
    if (queued) flush();
  }

  /** Loop thread: the connection is closed; what is queued is dropped, nothing more is accepted. */
  void close() {
    synchronized (this) {
      if (phase == Phase.CLOSED) return;
      moveTo(Phase.CLOSED);
      Arrays.fill(ring, null);
      head = 0;
      size = 0;
      bytes = 0;
    }
  }

  /** Loop thread: what the channel still holds from an earlier write goes first (TLS records). */
  private boolean writeHeld() {
    try {
      if (channel.writeHeld()) return true;
      owner.setWriteInterest(true);
    } catch (IOException e) {
      owner.closeNow(CloseCause.ERROR);
    }
    return false;
  }

  /**
   * Loop thread, holding the {@code writing} turn: one system call for the first {@code count}
   * queued buffers, then the bookkeeping. Null when the channel failed (the connection is then
   * closed).
   */
  private OutboundChannel.Progress writeBatch(ByteBuffer[] batch, int count) {
    long written = 0;
    OutboundChannel.Progress progress = null;
    try {
      written = count == 1 ? channel.write(batch[0]) : channel.write(batch, 0, count);
      progress = channel.progress(written, batch[count - 1]);
    } catch (IOException e) {
      // reset by the peer; closed below
    } finally {
      Arrays.fill(batch, 0, count, null);
    }
    synchronized (this) {
      writing = false;
      bytes -= written;
      dropWritten();
    }
    if (progress == null) owner.closeNow(CloseCause.ERROR);
    return progress;
  }

  /** Under the lock, the queue empty: the phase that follows, and what the connection must do. */
  private AfterDrain drained() {
    switch (phase) {
      case HTTP_RESUME_WHEN_DRAINED -> {
        moveTo(Phase.HTTP);
        return AfterDrain.RESUME_HTTP;
      }
      case SHUT_WHEN_DRAINED -> {
        moveTo(Phase.SHUT);
        return AfterDrain.SHUTDOWN_OUTPUT;
      }
      default -> {
        return AfterDrain.NOTHING;
      }
    }
  }

  /** Under the lock: the one place the phase changes. */
  private void moveTo(Phase next) {
    assert phase.canMoveTo(next) : phase + " -> " + next;
    phase = next;
  }

  // ------------------------------------------------------------------ the ring (under the lock)

  private void append(ByteBuffer buf) {
    if (size == ring.length) grow();
    ring[(head + size) & (ring.length - 1)] = buf;
    size++;
    bytes += buf.remaining();
  }

  private void prepend(ByteBuffer buf) {
    if (size == ring.length) grow();
    head = (head - 1) & (ring.length - 1);
    ring[head] = buf;
    size++;
    bytes += buf.remaining();
  }

  /** Copies the oldest buffers, as many as {@code batch} holds, into it; returns how many. */
  private int copyHead(ByteBuffer[] batch) {
    int n = Math.min(size, batch.length);
    for (int i = 0; i < n; i++) batch[i] = ring[(head + i) & (ring.length - 1)];
    return n;
  }

  /** Removes the oldest buffers while they have been written in full. */
  private void dropWritten() {
    while (size > 0 && !ring[head].hasRemaining()) {
      ring[head] = null;
      head = (head + 1) & (ring.length - 1);
      size--;
    }
  }

  private void grow() {
    ByteBuffer[] bigger = new ByteBuffer[ring.length * 2];
    for (int i = 0; i < size; i++) bigger[i] = ring[(head + i) & (ring.length - 1)];
    ring = bigger;
    head = 0;
  }
}
