package dev.switchboard.storage;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Message ids assigned by the application, before the message is delivered or stored
 * (spec-notes/storage.md §Ids): 63-bit numbers made of the time in milliseconds since
 * 2020-01-01 UTC (41 bits, enough until 2089), a node number (14 bits) and a sequence within the
 * millisecond (8 bits).
 *
 * <pre>
 *  62                       22 21          8 7        0
 * [ milliseconds since 2020  | node number  | sequence ]
 * </pre>
 *
 * <p>Why these properties hold:
 * <ul>
 *   <li><b>Unique across nodes and restarts</b>: every start draws a new node number from the
 *       database ({@link MessageRepository#claimIds}), so two running nodes, or a node and its
 *       previous run, never share one — as long as fewer than {@link #NODES} starts happen on one
 *       database while a node stays up (the number is the claim counter modulo {@link #NODES}).
 *   <li><b>Increasing within a node</b>: {@link #next} never returns a smaller id than before, even
 *       when the clock steps back (it keeps counting from the last stamp) or more than 256 ids are
 *       asked for in one millisecond (it borrows the next millisecond, running a little ahead).
 *   <li><b>Above everything already stored</b> when this node started (the {@code floor}), so a
 *       clock that went back across a restart cannot order new messages before old ones.
 *   <li><b>Ordered by time across nodes</b>, to the millisecond and the nodes' clock skew: paging
 *       by id ("older than X") is exact whatever the order, and reads as time order.
 * </ul>
 *
 * <p>Threading: thread-safe and lock-free ({@link #next} is one compare-and-set); any thread, the
 * chat calls it on the sockets' serial executors.
 */
public final class MessageIds {
  /** 2020-01-01T00:00:00Z in epoch milliseconds: time zero of the id's time field. */
  public static final long EPOCH_MILLIS = 1_577_836_800_000L;
  static final int SEQUENCE_BITS = 8;
  static final int NODE_BITS = 14;
  /** How many node numbers there are; claims wrap around after this many starts. */
  public static final int NODES = 1 << NODE_BITS;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

  private final int node;
  private final long nodeField;
  private final LongSupplier clockMillis;
  /** Milliseconds since {@link #EPOCH_MILLIS} shifted left by the sequence bits, plus the sequence: the last id's stamp. */
  private final AtomicLong lastStamp;

  /**
   * Ids for node {@code node} (0 to {@link #NODES} − 1), all greater than {@code floor} (the
   * largest id stored so far, 0 for none), timed by {@code clockMillis} (epoch milliseconds).
   */
  public MessageIds(int node, long floor, LongSupplier clockMillis) {
    if (node < 0 || node >= NODES) throw new IllegalArgumentException("node must be 0.." + (NODES - 1) + ", not " + node);
    if (floor < 0) throw new IllegalArgumentException("floor must not be negative");
    if (clockMillis == null) throw new IllegalArgumentException("clock is required");
    this.node = node;
    this.nodeField = (long) node << SEQUENCE_BITS;
    this.clockMillis = clockMillis;
    // The last stamp of the floor's millisecond: the first id comes from the next millisecond at
    // the earliest, so it is above the floor whatever node numbers the two have.
    long floorMillis = floor >>> (NODE_BITS + SEQUENCE_BITS);
    this.lastStamp = new AtomicLong(((floorMillis + 1) << SEQUENCE_BITS) - 1);
  }

  /** The next id: unique, and greater than every id this object returned before. */
  public long next() {
    long now = Math.max(0, clockMillis.getAsLong() - EPOCH_MILLIS) << SEQUENCE_BITS;
    while (true) {
      long last = lastStamp.get();
      long stamp = Math.max(now, last + 1);
      if (lastStamp.compareAndSet(last, stamp)) {
        return ((stamp >>> SEQUENCE_BITS) << (NODE_BITS + SEQUENCE_BITS)) | nodeField | (stamp & SEQUENCE_MASK);
      }
    }
  }

  /** This node's number. */
  public int node() {
    return node;
  }

  /** The node number inside {@code id}. */
  public static int nodeOf(long id) {
    return (int) ((id >>> SEQUENCE_BITS) & (NODES - 1));
  }

  /** The epoch milliseconds inside {@code id} (the time it was made, or a little later, see {@link #next}). */
  public static long millisOf(long id) {
    return (id >>> (NODE_BITS + SEQUENCE_BITS)) + EPOCH_MILLIS;
  }

  @Override
  public String toString() {
    return "MessageIds{node " + node + "}";
  }
}
