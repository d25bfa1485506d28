package dev.switchboard.cluster;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one server's cluster traffic, for monitoring ({@code /metrics}) and for tests: what
 * its adapters published and received, what they dropped and why, the requests to other nodes
 * that timed out, and the outages of the transport (issue #10: "each ignored with a debug log and
 * a counter"). One instance per connection to the cluster's backend — {@code RedisLink.metrics()}
 * — shared by the adapters of every namespace that use it, so the numbers are per server.
 *
 * <pre>{@code
 * ClusterMetrics m = link.metrics();
 * m.published();                                  // messages handed to Redis
 * m.dropped(ClusterMetrics.DropReason.MALFORMED); // messages from other nodes that could not be read
 * m.snapshot().forEach((name, value) -> out.println("switchboard_cluster_" + name + " " + value));
 * }</pre>
 *
 * <p>What each adapter counts, so that the three Redis adapters report alike:
 * <ul>
 *   <li>{@link #recordPublished()}: each message handed to the transport (a publish, a stream
 *       entry), when it is handed over; {@link #recordPublishFailure()} when the transport then
 *       reports that it failed (Redis away: the message is lost for the other nodes);</li>
 *   <li>{@link #recordReceived()}: each message that arrived on the adapter's subscriptions or
 *       streams, before any filtering (its own echoes and rooms it has no member in included);</li>
 *   <li>{@link #recordDropped}: each arrived message that was not acted on because of what it is
 *       (one {@link DropReason}), never for normal filtering (own echo, a room without local
 *       member, another namespace's stream entry);</li>
 *   <li>{@link #recordRequestTimedOut()}: each request to the other nodes ({@code fetchSockets},
 *       {@code allRooms}, {@code serverSideEmitWithAck}) that ended by its timeout;</li>
 *   <li>{@link #recordOutage()}: each time the transport lost its backend (once per outage, by the
 *       transport itself, not by the adapters).</li>
 * </ul>
 *
 * <p>Threading: every method may be called from any thread (Lettuce's event loops included:
 * recording is a {@link LongAdder} increment, which never blocks).
 */
public final class ClusterMetrics {
  /** Why a message from another node was dropped (the {@code reason} label in {@code /metrics}). */
  public enum DropReason {
    /**
     * It is not a message of the adapter's protocol: truncated or invalid MessagePack or JSON, a
     * field of the wrong type, a limit of the codec exceeded, a packet no client could be sent, a
     * namespace that contradicts its channel.
     */
    MALFORMED,
    /** A request or message type this node does not know (a newer or broken peer). */
    UNKNOWN_TYPE,
    /**
     * An answer to no request this node waits for: one that timed out or was cancelled, a forged
     * one, and — on a shared response channel, where every node hears every answer — the answers
     * to the other nodes' requests.
     */
    UNKNOWN_REQUEST,
    /**
     * The node's queue of messages still to handle was full (a flood faster than it can handle):
     * dropped on arrival, so memory stays bounded.
     */
    OVERLOAD;

    /** The label value, lower case ({@code malformed}, {@code unknown_type}, …). */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final DropReason[] REASONS = DropReason.values();

  private final LongAdder published = new LongAdder();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder[] dropped = new LongAdder[REASONS.length];
  private final LongAdder requestsTimedOut = new LongAdder();
  private final LongAdder outages = new LongAdder();

  /** All counters at zero. */
  public ClusterMetrics() {
    for (int i = 0; i < dropped.length; i++) dropped[i] = new LongAdder();
  }

  /** One message handed to the transport. */
  public void recordPublished() {
    published.increment();
  }

  /** One message the transport failed to deliver to Redis (it is lost for the other nodes). */
  public void recordPublishFailure() {
    publishFailures.increment();
  }

  /** One message arrived from the transport. */
  public void recordReceived() {
    received.increment();
  }

  /** One arrived message dropped, for {@code reason}. */
  public void recordDropped(DropReason reason) {
    dropped[reason.ordinal()].increment();
  }

  /** One request to the other nodes ended by its timeout. */
  public void recordRequestTimedOut() {
    requestsTimedOut.increment();
  }

  /** The transport lost its backend (once per outage). */
  public void recordOutage() {
    outages.increment();
  }

  /** Messages handed to the transport so far. */
  public long published() {
    return published.sum();
  }

  /** Messages the transport failed to deliver so far. */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Messages arrived so far. */
  public long received() {
    return received.sum();
  }

  /** Arrived messages dropped for {@code reason} so far. */
  public long dropped(DropReason reason) {
    return dropped[reason.ordinal()].sum();
  }

  /** Arrived messages dropped so far, whatever the reason. */
  public long dropped() {
    long n = 0;
    for (LongAdder d : dropped) n += d.sum();
    return n;
  }

  /** Requests to the other nodes that ended by their timeout so far. */
  public long requestsTimedOut() {
    return requestsTimedOut.sum();
  }

  /** Outages of the transport so far. */
  public long outages() {
    return outages.sum();
  }

  /**
   * Every counter by a stable name, in a stable order: {@code messages_published},
   * {@code publish_failures}, {@code messages_received}, {@code dropped_<reason label>} for each
   * {@link DropReason}, {@code requests_timed_out}, {@code outages}. Each value is read on its own
   * (the map is not an atomic cut across counters).
   */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    out.put("messages_published", published());
    out.put("publish_failures", publishFailures());
    out.put("messages_received", received());
    for (DropReason r : REASONS) out.put("dropped_" + r.label(), dropped(r));
    out.put("requests_timed_out", requestsTimedOut());
    out.put("outages", outages());
    return out;
  }

  /** The dropped counts by reason (a copy). */
  public Map<DropReason, Long> droppedByReason() {
    Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
    for (DropReason r : REASONS) out.put(r, dropped(r));
    return out;
  }

  @Override
  public String toString() {
    return "ClusterMetrics" + snapshot();
  }
}
