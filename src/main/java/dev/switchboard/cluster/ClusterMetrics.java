package dev.switchboard.cluster;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the cluster adapters of one server did with the other servers' traffic, for monitoring
 * (the command line's {@code /metrics} will show them): messages published and received,
 * publications that failed, messages dropped and why, requests that timed out or were refused,
 * and how many received messages wait to be handled now. One instance is shared by every
 * namespace's adapter made by one adapter factory.
 *
 * <pre>{@code
 * ShardedRedisAdapter.Factory factory = ShardedRedisAdapter.factory(link);
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder().adapter(factory).build());
 * ClusterMetrics m = factory.metrics();
 * m.dropped(ClusterMetrics.Drop.MALFORMED);   // messages another node published that we could not read
 * m.snapshot();                              // {"messages_received": 42, …}, names for a Prometheus exporter
 * }</pre>
 *
 * <p>Why a message is dropped ({@link Drop}) follows spec-notes/cluster.md ("What decoding
 * checks", and each adapter's section): a node never crashes, blocks or grows because of what
 * another publishes; it drops the message with a FINE log line and counts it here.
 *
 * <p>Threading: every method may be called from any thread; counters are {@link LongAdder}s
 * (a broadcast counts without contention).
 */
public final class ClusterMetrics {
  /** Why a message from another node was dropped. */
  public enum Drop {
    /** Not a message of the adapter's protocol: bad encoding, a wrong type, a missing field, an unknown type. */
    MALFORMED("malformed"),
    /** A message about another namespace on this namespace's channel. */
    OTHER_NAMESPACE("other_namespace"),
    /** A request or message type this node does not know (a newer or broken peer; the classic adapter tells these apart). */
    UNKNOWN_TYPE("unknown_type"),
    /** A message type the adapter does not act on (the heartbeats of socket.io-adapter's ClusterAdapterWithHeartbeat). */
    UNSUPPORTED("unsupported"),
    /** An answer to a request this node is not (or no longer) waiting for, or of another type than the request. */
    UNKNOWN_REQUEST("unknown_request"),
    /** A second answer from the same node to one request. */
    DUPLICATE_ANSWER("duplicate_answer"),
    /** More messages were waiting to be handled than the adapter keeps ({@code ClusterAdapterBase.MAX_QUEUED_MESSAGES}). */
    OVERLOADED("overloaded");

    private final String metricName;

    Drop(String metricName) {
      this.metricName = metricName;
    }

    /** The reason as a metric label, e.g. {@code unknown_request}. */
    public String metricName() {
      return metricName;
    }
  }

  private final LongAdder received = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder requestsTimedOut = new LongAdder();
  private final LongAdder requestsRefused = new LongAdder();
  private final AtomicLong backlog = new AtomicLong();
  private final LongAdder outages = new LongAdder();
  private final EnumMap<Drop, LongAdder> dropped = new EnumMap<>(Drop.class);

  /** All counters at zero. */
  public ClusterMetrics() {
    for (Drop d : Drop.values()) dropped.put(d, new LongAdder());
  }

  // ------------------------------------------------------------------ recording (the adapters)

  /** One message arrived from the transport (the node's own echoes included). */
  public void recordReceived() {
    received.increment();
  }

  /** One message or answer was handed to the transport. */
  public void recordPublished() {
    published.increment();
  }

  /** The transport refused or failed one publication (Redis away, a message too large to encode). */
  public void recordPublishFailure() {
    publishFailures.increment();
  }

  /** One received message was dropped for {@code reason}. */
  public void recordDropped(Drop reason) {
    dropped.get(reason).increment();
  }

  /** One request ended by its timeout before every node answered. */
  public void recordRequestTimedOut() {
    requestsTimedOut.increment();
  }

  /** One request was refused because too many were waiting already. */
  public void recordRequestRefused() {
    requestsRefused.increment();
  }

  /** The transport lost its backend (once per outage, by the transport: {@code RedisLink}). */
  public void recordOutage() {
    outages.increment();
  }

  /** {@code delta} received messages started (+) or finished (−) waiting to be handled. */
  public void addBacklog(long delta) {
    backlog.addAndGet(delta);
  }

  // ------------------------------------------------------------------ reading

  /** Messages that arrived from the transport, including this node's own echoes and the dropped ones. */
  public long messagesReceived() {
    return received.sum();
  }

  /** Messages and answers handed to the transport. */
  public long messagesPublished() {
    return published.sum();
  }

  /** Publications the transport refused or failed. */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Messages dropped for {@code reason}. */
  public long dropped(Drop reason) {
    return dropped.get(reason).sum();
  }

  /** Messages dropped, for each reason (every reason present, in declaration order). */
  public Map<Drop, Long> droppedByReason() {
    Map<Drop, Long> out = new EnumMap<>(Drop.class);
    for (Drop d : Drop.values()) out.put(d, dropped(d));
    return out;
  }

  /** Messages dropped for any reason. */
  public long droppedTotal() {
    long n = 0;
    for (LongAdder a : dropped.values()) n += a.sum();
    return n;
  }

  /** Requests ({@code fetchSockets}, {@code serverSideEmitWithAck}, {@code allRooms}) that timed out. */
  public long requestsTimedOut() {
    return requestsTimedOut.sum();
  }

  /** Requests refused because too many were waiting. */
  public long requestsRefused() {
    return requestsRefused.sum();
  }

  /** Outages of the transport so far. */
  public long outages() {
    return outages.sum();
  }

  /** Received messages waiting to be handled now (a gauge). */
  public long backlog() {
    return backlog.get();
  }

  /**
   * Every value under a metric-style name, in a stable order: {@code messages_received},
   * {@code messages_published}, {@code publish_failures}, {@code requests_timed_out},
   * {@code requests_refused}, {@code backlog}, {@code outages}, then {@code dropped_<reason>} for
   * each {@link Drop}.
   */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("messages_received", messagesReceived());
    out.put("messages_published", messagesPublished());
    out.put("publish_failures", publishFailures());
    out.put("requests_timed_out", requestsTimedOut());
    out.put("requests_refused", requestsRefused());
    out.put("backlog", backlog());
    out.put("outages", outages());
    for (Drop d : Drop.values()) out.put("dropped_" + d.metricName(), dropped(d));
    return out;
  }

  @Override
  public String toString() {
    return "ClusterMetrics" + snapshot();
  }
}
