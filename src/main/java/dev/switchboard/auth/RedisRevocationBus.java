package dev.switchboard.auth;

import static dev.switchboard.cluster.redis.PeerMessage.parse;
import static dev.switchboard.cluster.redis.PeerMessage.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.redis.RedisLink;
import dev.switchboard.scheduling.SerialExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RevocationBus} of a cluster on Redis: one pub/sub channel, {@code <key>:switchboard:sessions},
 * which every node publishes its session changes on and subscribes to
 * (spec-notes/authentication.md, "Sessions across nodes"). A message is a small JSON object:
 *
 * <pre>
 * {"node":"…","type":"ended","session":"…","reason":"logout"}
 * {"node":"…","type":"user","user":"…"}
 * {"node":"…","type":"refreshed","session":"…","expiresAt":1764840000000}
 * </pre>
 *
 * A node ignores its own messages (Redis echoes them back to it). Pub/sub delivers within
 * milliseconds to the nodes subscribed at that moment and to no one else, so a node that could not
 * hear (Redis away, for it or for the publisher) catches up when its link is back:
 * {@link SessionStore#recheckCached} reads each cached session's row again, and the database —
 * always written first — has every revocation.
 *
 * <p>A peer's message is input like any other: over 1 KB, not JSON, a field missing, of the wrong
 * type or over 256 characters, or an unknown reason → dropped and counted
 * ({@link #refusedMessages}), with one WARNING for the first one only.
 *
 * <p>Threading: the publish methods are called by whichever thread changed a session; they only
 * queue a PUBLISH and never wait (a failure, Redis away, is left to the recheck). Messages arrive
 * on a Lettuce thread, which only queues them on this bus's serial executor over
 * {@code inboxPool}; they are applied there (no I/O: the store's cache and its listeners, which
 * emit and disconnect). The recheck after an outage runs on {@code recheckPool} and reads the
 * database (the chat server gives its handshake-reads pool).
 */
public final class RedisRevocationBus implements RevocationBus {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRevocationBus.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_MESSAGE_BYTES = 1024;

  private final RedisLink link;
  private final String channel;
  private final String node;
  private final SessionStore store;
  private final Executor recheckPool;
  private final SerialExecutor inbox;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong applied = new AtomicLong();

  private RedisRevocationBus(RedisLink link, String key, String node, SessionStore store, Executor inboxPool,
      Executor recheckPool) {
    this.link = link;
    this.channel = key + ":switchboard:sessions";
    this.node = node;
    this.store = store;
    this.recheckPool = recheckPool;
    this.inbox = new SerialExecutor(inboxPool);
  }

  /**
   * Subscribes to the channel (waiting for Redis's answer, at most the link's command timeout),
   * makes {@code store} publish through this bus, and rechecks the cached sessions each time the
   * link comes back from an outage.
   *
   * @param key the cluster's key prefix ({@code --redis-key})
   * @param node this node's id in the cluster (any string unique per process)
   * @param inboxPool runs the messages, one at a time (no I/O)
   * @param recheckPool runs the recheck after an outage, which reads the database (may block)
   * @throws java.util.concurrent.CompletionException with a {@code RedisLinkException} if Redis
   *     refused the subscription
   */
  public static RedisRevocationBus start(RedisLink link, String key, String node, SessionStore store,
      Executor inboxPool, Executor recheckPool) {
    RedisRevocationBus bus = new RedisRevocationBus(link, key, node, store, inboxPool, recheckPool);
    link.subscribe((ch, message) -> bus.inbox.execute(() -> bus.apply(message)), bus.channel).join();
    link.addOutageListener(new RedisLink.OutageListener() {
      @Override
      public void lost() { } // RedisLink logs the one warning; this node goes on alone meanwhile

      @Override
      public void restored() {
        bus.recheckPool.execute(bus::recheck);
      }
    });
    store.publishThrough(bus);
    return bus;
  }

  /**
   * Tells the running nodes of the cluster under {@code key} that {@code userId} was removed, from
   * a process that is not a node ({@code switchboard user remove}): each ends the user's cached
   * sessions and their sockets at once, instead of at its next sweep. Completes when Redis took
   * the message.
   */
  public static java.util.concurrent.CompletableFuture<Long> announceUserRemoved(RedisLink link, String key, String userId) {
    ObjectNode m = JSON.createObjectNode();
    m.put("node", "user-command-" + java.util.UUID.randomUUID());
    m.put("type", "user");
    m.put("user", userId);
    return link.publish(key + ":switchboard:sessions", m.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The channel's name. */
  public String channel() {
    return channel;
  }

  /** Messages from other nodes dropped as malformed. */
  public long refusedMessages() {
    return refused.get();
  }

  /** Messages from other nodes applied (each may or may not have concerned this node's cache). */
  public long appliedMessages() {
    return applied.get();
  }

  @Override
  public void sessionEnded(String sessionId, SessionEnd reason) {
    ObjectNode m = message("ended");
    m.put("session", sessionId);
    m.put("reason", reason.wireName());
    publish(m);
  }

  @Override
  public void userRevoked(String userId) {
    ObjectNode m = message("user");
    m.put("user", userId);
    publish(m);
  }

  @Override
  public void sessionRefreshed(String sessionId, long expiresAtMillis) {
    ObjectNode m = message("refreshed");
    m.put("session", sessionId);
    m.put("expiresAt", expiresAtMillis);
    publish(m);
  }

  private ObjectNode message(String type) {
    ObjectNode m = JSON.createObjectNode();
    m.put("node", node);
    m.put("type", type);
    return m;
  }

  private void publish(ObjectNode m) {
    byte[] bytes = m.toString().getBytes(StandardCharsets.UTF_8);
    // Never waited for: Redis away fails this at once, and the other nodes recheck their caches
    // against the database when they hear Redis again.
    link.publish(channel, bytes).exceptionally(e -> null);
  }

  /** The bus's serial executor: one message from another node. */
  private void apply(byte[] message) {
    JsonNode m;
    try {
      if (message.length > MAX_MESSAGE_BYTES) throw new IOException("over " + MAX_MESSAGE_BYTES + " bytes");
      m = parse(message);
      if (m == null || !m.isObject()) throw new IOException("not a JSON object");
      String from = text(m, "node");
      if (from.equals(node)) return; // our own, echoed by Redis
      String type = text(m, "type");
      switch (type) {
        case "ended" -> {
          SessionEnd reason = reason(text(m, "reason"));
          store.forget(text(m, "session"), reason);
        }
        case "user" -> store.forgetUser(text(m, "user"));
        case "refreshed" -> {
          JsonNode at = m.get("expiresAt");
          if (at == null || !at.canConvertToLong() || !at.isIntegralNumber()) throw new IOException("expiresAt must be an integer");
          store.refreshedElsewhere(text(m, "session"), at.asLong());
        }
        default -> throw new IOException("unknown type");
      }
      applied.incrementAndGet();
    } catch (IOException e) {
      if (refused.getAndIncrement() == 0) {
        LOG.warn("dropped a malformed session message on " + channel + " (" + e.getMessage()
            + "); further ones are only counted");
      }
    }
  }

  private static SessionEnd reason(String wire) throws IOException {
    for (SessionEnd e : SessionEnd.values()) if (e.wireName().equals(wire)) return e;
    throw new IOException("unknown reason");
  }

  /** After an outage, on the pool: revocations made meanwhile are in the database. */
  private void recheck() {
    try {
      int ended = store.recheckCached();
      LOG.info("Redis back: cached sessions rechecked against the database, " + ended + " ended meanwhile");
    } catch (RuntimeException e) { // the database away too: the sweep and the next misses catch up
      LOG.warn("could not recheck the cached sessions after a Redis outage: " + e.getMessage());
    }
  }
}
