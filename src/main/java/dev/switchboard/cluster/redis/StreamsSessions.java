package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.redis.RedisLink.StreamEntry;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.adapter.PersistedSession;
import dev.switchboard.socketio.adapter.RestoredSession;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection state recovery across nodes for one namespace of the streams adapter ({@code
 * @socket.io/redis-streams-adapter} 0.3.1 lib/adapter.ts 424–521): the session of a socket that
 * dropped waits in Redis, and the packets it missed are the namespace's broadcasts in the stream
 * after the last offset its client saw — so the client may come back on any node.
 *
 * <ul>
 *   <li>{@link #persist}: {@code SET <sessionKeyPrefix><pid> <base64 MessagePack of {sid, pid,
 *       rooms, data}> PX <maxDisconnectionDuration>}; Redis forgets it by itself.
 *   <li>{@link #restore}: the offset must look like an entry id; then, at once, the session is
 *       read and deleted ({@code GETDEL}: a session is restored once) and the offset looked up
 *       ({@code XRANGE <stream> <offset> <offset>}); with both found, the stream is read after the
 *       offset ({@code XRANGE <stream> <next id> + COUNT 1000}, page after page until a page is
 *       empty) and every broadcast of the namespace that would have reached the session's rooms
 *       is a missed packet, its entry id appended to its arguments as its offset.
 * </ul>
 *
 * <p>Where it differs from upstream, and why: upstream reads and deletes the session with {@code
 * MULTI GET DEL EXEC} for Redis older than 6.2; on Lettuce's one multiplexed command connection
 * a {@code MULTI} would take in whatever other threads send meanwhile, so we use {@code GETDEL}
 * (Redis ≥ 6.2), the same atomic read-and-delete. Upstream reads each page without a count and
 * gives up after 100 reads with what it has; we read pages of {@value #PAGE} entries, and when
 * 100 pages do not reach the end of the stream, or more than {@link
 * InMemoryAdapter#MAX_KEPT_PACKETS} packets were missed, the recovery fails and the client gets a
 * fresh session — it would otherwise believe it had everything. As upstream, a volatile broadcast
 * in the stream is replayed too (with an offset, which it does not carry when delivered live), so
 * that a client gets the same packets whichever node, Node or Switchboard, it comes back to. An
 * entry that cannot be decoded is skipped and counted.
 *
 * <p>Threading: any thread; the futures complete on {@code completions} (never on Lettuce's
 * threads). Stateless between calls.
 */
final class StreamsSessions {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsSessions.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  /** Entries per XRANGE while reading what a client missed. */
  static final int PAGE = 1000;
  /** Upstream's RESTORE_SESSION_MAX_XRANGE_CALLS. */
  static final int MAX_PAGES = 100;
  private static final byte[] BROADCAST_TYPE = "3".getBytes(StandardCharsets.US_ASCII);

  private final RedisLink link;
  private final StreamsCodec codec;
  private final StreamsNames names;
  private final String nsp;
  private final byte[] nspBytes;
  private final String stream;
  private final Duration ttl;
  private final Executor completions;
  private final Consumer<String> dropped;

  /**
   * @param ttl the namespace's {@code maxDisconnectionDuration}
   * @param dropped hears the reason of every entry or session that could not be read
   */
  StreamsSessions(RedisLink link, StreamsCodec codec, StreamsNames names, String nsp, Duration ttl, Executor completions,
      Consumer<String> dropped) {
    this.link = link;
    this.codec = codec;
    this.names = names;
    this.nsp = nsp;
    this.nspBytes = nsp.getBytes(StandardCharsets.UTF_8);
    this.stream = names.streamFor(nsp);
    this.ttl = ttl;
    this.completions = completions;
    this.dropped = dropped;
  }

  /** Stores the session for {@code ttl}, asynchronously; a failure (Redis away) is logged at FINE: the client will get a fresh session. */
  void persist(PersistedSession session) {
    byte[] value;
    try {
      value = codec.encodeSession(toWire(session));
    } catch (RuntimeException e) { // data Jackson cannot write
      LOG.debug("session of " + session.id() + " not persisted: its data cannot be encoded", e);
      return;
    }
    link.set(names.sessionKey(session.pid()), value, ttl).whenComplete((ok, e) -> {
      if (e != null) LOG.atDebug().log(() -> "session of " + session.id() + " not persisted: " + e.getMessage());
    });
  }

  /** The wire form of a session: its own id-room first, as socket.io lists a socket's rooms. */
  static dev.switchboard.cluster.redis.PersistedSession toWire(PersistedSession s) {
    Set<String> rooms = new LinkedHashSet<>();
    if (s.rooms().contains(s.id())) rooms.add(s.id());
    rooms.addAll(s.rooms());
    JsonNode data = JSON.valueToTree(s.data());
    return new dev.switchboard.cluster.redis.PersistedSession(s.id(), s.pid(), List.copyOf(rooms), data);
  }

  /** A session read back: {@code data} as plain Java values, empty when it is not an object (a Node node's undefined). */
  static PersistedSession fromWire(dev.switchboard.cluster.redis.PersistedSession s) {
    Map<String, Object> data = s.data().isObject() ? JSON.convertValue(s.data(), MAP) : Map.of();
    return new PersistedSession(s.sid(), s.pid(), Set.copyOf(s.rooms()), data);
  }

  /**
   * The session of {@code pid} with the broadcasts it missed after {@code offset}; empty when the
   * offset is not an entry id, the session expired or was taken already, the offset is no longer
   * in the stream (trimmed by {@code maxLen}), or what was missed cannot be read whole. Fails
   * when Redis does not answer (the server then gives the client a fresh session too).
   */
  CompletableFuture<Optional<RestoredSession>> restore(String pid, String offset) {
    if (!StreamsNames.isOffset(offset)) return CompletableFuture.completedFuture(Optional.empty());
    CompletableFuture<byte[]> session = link.getdel(names.sessionKey(pid));
    CompletableFuture<List<StreamEntry>> known = link.xrange(stream, offset, offset, 1);
    CompletableFuture<Optional<RestoredSession>> restored = session.thenCombineAsync(known, (raw, at) -> {
      if (raw == null || at.isEmpty()) return (dev.switchboard.cluster.redis.PersistedSession) null;
      try {
        return codec.decodeSession(raw);
      } catch (ClusterMessageException e) {
        drop("session", e);
        return null;
      }
    }, completions).thenCompose(s -> {
      if (s == null) return CompletableFuture.completedFuture(Optional.<RestoredSession>empty());
      List<ArrayNode> missed = new ArrayList<>();
      return readAfter(offset, s, missed, 0).thenApply(complete -> complete
          ? Optional.of(new RestoredSession(fromWire(s), missed))
          : Optional.<RestoredSession>empty());
    });
    // A failed command fails the stages after it on the thread that saw it (Lettuce's): hop once more.
    CompletableFuture<Optional<RestoredSession>> out = new CompletableFuture<>();
    restored.whenComplete((v, e) -> completions.execute(() -> {
      if (e != null) out.completeExceptionally(e);
      else out.complete(v);
    }));
    return out;
  }

  /** Completions: reads one page after {@code cursor}; true once the end of the stream is reached. */
  private CompletableFuture<Boolean> readAfter(String cursor, dev.switchboard.cluster.redis.PersistedSession session,
      List<ArrayNode> missed, int page) {
    if (page == MAX_PAGES) {
      LOG.atDebug().log(() -> "session " + session.sid() + " not restored: more than " + MAX_PAGES + " pages to read");
      return CompletableFuture.completedFuture(false);
    }
    return link.xrange(stream, StreamsNames.nextOffset(cursor), "+", PAGE).thenComposeAsync(entries -> {
      if (entries.isEmpty()) return CompletableFuture.completedFuture(true);
      for (StreamEntry entry : entries) {
        ArrayNode data = missedPacket(entry, session.rooms());
        if (data == null) continue;
        if (missed.size() == InMemoryAdapter.MAX_KEPT_PACKETS) {
          LOG.atDebug().log(() -> "session " + session.sid() + " not restored: it missed more than " + InMemoryAdapter.MAX_KEPT_PACKETS + " packets");
          return CompletableFuture.completedFuture(false);
        }
        missed.add(data);
      }
      return readAfter(entries.get(entries.size() - 1).id(), session, missed, page + 1);
    }, completions);
  }

  /**
   * The arguments to replay from {@code entry} ({@code [event, ...args, entry id]}), or null when
   * it is not a broadcast of this namespace that would have reached these rooms.
   */
  private ArrayNode missedPacket(StreamEntry entry, List<String> rooms) {
    // Cheap checks first: most entries of a shared stream are another namespace's or not broadcasts.
    if (!Arrays.equals(entry.fields().get("nsp"), nspBytes) || !Arrays.equals(entry.fields().get("type"), BROADCAST_TYPE)) {
      return null;
    }
    ClusterMessage m;
    try {
      m = codec.decodeEntry(entry.fields());
    } catch (ClusterMessageException e) {
      drop("stream entry " + entry.id(), e);
      return null;
    }
    if (!(m instanceof ClusterMessage.Broadcast b)) return null; // a broadcast with ack never belongs in the stream
    if (b.packet().type() != SocketIoPacketType.EVENT || b.packet().ackId() >= 0) return null;
    if (!StreamsNames.reaches(b.opts(), rooms)) return null;
    ArrayNode data = (ArrayNode) b.packet().data(); // the decoded entry's own tree
    data.add(TextNode.valueOf(entry.id()));
    return data;
  }

  private void drop(String what, ClusterMessageException e) {
    LOG.atDebug().log(() -> "streams adapter of " + nsp + ": " + what + " ignored: " + e.getMessage());
    dropped.accept("malformed");
  }
}
