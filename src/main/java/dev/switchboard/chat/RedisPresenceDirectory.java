package dev.switchboard.chat;

import static dev.switchboard.cluster.redis.PeerMessage.parse;
import static dev.switchboard.cluster.redis.PeerMessage.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cluster.redis.RedisLink;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SerialExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence across the nodes of a cluster on Redis (spec-notes/chat.md, "Presence across nodes").
 * Under {@code P = <key>:switchboard:presence:} each node {@code N} keeps
 *
 * <ul>
 *   <li>{@code P node:N} — a hash of its users, id → name (a user is there while it has at least
 *       one connection on N);</li>
 *   <li>{@code P seq:N} — a counter bumped by every change of that hash, kept a day after its last
 *       change (not removed with a dead node's hash: a node taken for dead that comes back goes
 *       on counting upwards, so the others' "older than what I applied" rule stays true);</li>
 *   <li>{@code P alive:N} — its heartbeat, a key that lives one interval and is renewed every half
 *       interval;</li>
 *   <li>its id in the set {@code P nodes};</li>
 * </ul>
 *
 * and publishes each change on the channel {@code P events} as JSON
 * ({@code {"node","type":"online"|"offline","user","name","seq"}}, {@code "sync"} after a
 * rewrite, {@code "gone"} when it leaves). Every change is one Lua script — write the hash, bump
 * the counter, publish — so the published order is the hash's order.
 *
 * <p>Every half interval each node runs one script that renews its heartbeat, removes every node
 * whose heartbeat has expired (hash, counter, set member: a node killed with SIGKILL), and returns
 * the live nodes with their counters and hashes. The chat's {@link PresenceDirectory.View}
 * reconciles with that, so a dead node's users leave everywhere within 1.5 intervals of its last
 * heartbeat (under the two intervals chat.md promises), and anything a node missed (a message
 * lost in an outage) is repaired within half an interval. The counters order the two sources: an
 * event older than the last snapshot applied, or a snapshot older than the last event applied, is
 * ignored. When a node finds its own heartbeat gone (it was paused, or Redis was away longer than
 * an interval, and another node removed it), and when its link comes back from an outage, it
 * rewrites its whole hash from the chat's local users and says {@code "sync"}, on which the others
 * reconcile at once.
 *
 * <p>Peers' input is bounded: a message over 1 KB, not JSON or with a bad field is dropped and
 * counted (one WARNING, the first); a node's hash is read up to {@value #MAX_USERS_PER_NODE}
 * users.
 *
 * <p>Threading: Lettuce's threads and the heartbeat timer ({@code clock}) only queue work on this
 * directory's serial executor over {@code pool}, where everything happens: commands are queued on
 * the link (never waited for) and the view is told (which emits, i.e. queues packets). The chat
 * calls {@link #userOnline}/{@link #userOffline} under its presence lock; they only queue.
 * {@link #close} waits up to one second for its last script.
 */
public final class RedisPresenceDirectory implements PresenceDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceDirectory.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_MESSAGE_BYTES = 1024;
  static final int MAX_USERS_PER_NODE = 100_000;

  /** ARGV: prefix, node, user, name, channel. */
  private static final String ONLINE = """
      local p = ARGV[1]
      local seq = redis.call('INCR', p .. 'seq:' .. ARGV[2])
      redis.call('PEXPIRE', p .. 'seq:' .. ARGV[2], 86400000)
      redis.call('HSET', p .. 'node:' .. ARGV[2], ARGV[3], ARGV[4])
      redis.call('PUBLISH', ARGV[5], cjson.encode({node = ARGV[2], type = 'online', user = ARGV[3], name = ARGV[4], seq = seq}))
      return {seq}
      """;

  /** ARGV: prefix, node, user, channel. */
  private static final String OFFLINE = """
      local p = ARGV[1]
      local seq = redis.call('INCR', p .. 'seq:' .. ARGV[2])
      redis.call('PEXPIRE', p .. 'seq:' .. ARGV[2], 86400000)
      redis.call('HDEL', p .. 'node:' .. ARGV[2], ARGV[3])
      redis.call('PUBLISH', ARGV[4], cjson.encode({node = ARGV[2], type = 'offline', user = ARGV[3], seq = seq}))
      return {seq}
      """;

  /**
   * ARGV: prefix, node, ttl. Renews this node's heartbeat if it still has one; drops dead nodes;
   * returns {renewed(1|0), node, seq, {id, name, …}, node, seq, {…}, …} for the other live nodes.
   */
  private static final String TICK = """
      local p = ARGV[1]
      local me = ARGV[2]
      local renewed = redis.call('SET', p .. 'alive:' .. me, '1', 'PX', ARGV[3], 'XX')
      local out = {renewed and 1 or 0}
      for _, n in ipairs(redis.call('SMEMBERS', p .. 'nodes')) do
        if n ~= me then
          if redis.call('EXISTS', p .. 'alive:' .. n) == 1 then
            table.insert(out, n)
            table.insert(out, tonumber(redis.call('GET', p .. 'seq:' .. n) or '0'))
            table.insert(out, redis.call('HGETALL', p .. 'node:' .. n))
          else
            redis.call('DEL', p .. 'node:' .. n)
            redis.call('SREM', p .. 'nodes', n)
          end
        end
      end
      return out
      """;

  /** ARGV: prefix, node, ttl, channel, then id, name pairs. */
  private static final String REWRITE = """
      local p = ARGV[1]
      local me = ARGV[2]
      redis.call('SET', p .. 'alive:' .. me, '1', 'PX', ARGV[3])
      redis.call('SADD', p .. 'nodes', me)
      redis.call('DEL', p .. 'node:' .. me)
      for i = 5, #ARGV, 2 do redis.call('HSET', p .. 'node:' .. me, ARGV[i], ARGV[i + 1]) end
      local seq = redis.call('INCR', p .. 'seq:' .. me)
      redis.call('PEXPIRE', p .. 'seq:' .. me, 86400000)
      redis.call('PUBLISH', ARGV[4], cjson.encode({node = me, type = 'sync', seq = seq}))
      return {seq}
      """;

  /** ARGV: prefix, node, channel. */
  private static final String GONE = """
      local p = ARGV[1]
      redis.call('DEL', p .. 'node:' .. ARGV[2], p .. 'seq:' .. ARGV[2], p .. 'alive:' .. ARGV[2])
      redis.call('SREM', p .. 'nodes', ARGV[2])
      redis.call('PUBLISH', ARGV[3], cjson.encode({node = ARGV[2], type = 'gone', seq = 0}))
      return {0}
      """;

  private final RedisLink link;
  private final String prefix;
  private final String channel;
  private final String node;
  private final Duration interval;
  private final Scheduler clock;
  private final SerialExecutor executor;
  private final AtomicLong refused = new AtomicLong();
  /** Node → the last counter applied from it. Only on the executor. */
  private final Map<String, Long> lastSeq = new HashMap<>();
  private View view;
  private volatile boolean closed;
  private volatile Cancellable nextTick = Cancellable.NONE;

  /**
   * A directory for this node ({@code node}: unique per process) in the cluster under {@code key},
   * with heartbeats every {@code interval / 2} living {@code interval}; the timers run on
   * {@code clock} (real time: Redis expires the heartbeats), the work on {@code pool}.
   */
  public RedisPresenceDirectory(RedisLink link, String key, String node, Duration interval, Scheduler clock,
      Executor pool) {
    if (interval.toMillis() < 100) throw new IllegalArgumentException("the presence heartbeat must be at least 100 ms");
    this.link = link;
    this.prefix = key + ":switchboard:presence:";
    this.channel = prefix + "events";
    this.node = node;
    this.interval = interval;
    this.clock = clock;
    this.executor = new SerialExecutor(pool);
  }

  /** Subscribes (waiting for Redis's answer), writes this node's entry, and starts the heartbeat. */
  @Override
  public void start(View view) {
    this.view = view;
    link.subscribe((ch, message) -> executor.execute(() -> onMessage(message)), channel).join();
    link.addOutageListener(new RedisLink.OutageListener() {
      @Override
      public void lost() { } // RedisLink logs the one warning; the view keeps the last known state

      @Override
      public void restored() {
        executor.execute(() -> {
          lastSeq.clear(); // a restarted Redis has lost the counters: they start again from 1
          rewrite();
          tick();
        });
      }
    });
    executor.execute(() -> {
      rewrite();
      tick();
    });
    scheduleTick();
  }

  /** Messages from other nodes dropped as malformed. */
  public long refusedMessages() {
    return refused.get();
  }

  @Override
  public void userOnline(String userId, String username) {
    if (closed) return;
    executor.execute(() -> {
      if (!closed) run(ONLINE, prefix, node, userId, username, channel);
    });
  }

  @Override
  public void userOffline(String userId) {
    if (closed) return;
    executor.execute(() -> {
      if (!closed) run(OFFLINE, prefix, node, userId, channel);
    });
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    nextTick.cancel();
    try {
      eval(GONE, prefix, node, channel).get(1, TimeUnit.SECONDS);
    } catch (Exception e) { // Redis away: the others drop this node when its heartbeat expires
      LOG.debug("could not leave the presence directory", e);
    }
  }

  // ------------------------------------------------------------------ the executor

  private void scheduleTick() {
    if (closed) return;
    nextTick = clock.schedule(interval.dividedBy(2), () -> {
      executor.execute(this::tick);
      scheduleTick();
    });
  }

  private void tick() {
    if (closed) return;
    eval(TICK, prefix, node, String.valueOf(interval.toMillis()))
        .thenAccept(answer -> executor.execute(() -> applySnapshot(answer)))
        .exceptionally(e -> null); // Redis away: the next tick tries again
  }

  private void rewrite() {
    if (closed) return;
    Map<String, String> mine = view.localUsers();
    List<String> args = new ArrayList<>(List.of(prefix, node, String.valueOf(interval.toMillis()), channel));
    for (Map.Entry<String, String> u : mine.entrySet()) {
      args.add(u.getKey());
      args.add(u.getValue());
    }
    run(REWRITE, args.toArray(new String[0]));
  }

  private void run(String script, String... args) {
    eval(script, args).exceptionally(e -> null); // Redis away: repaired by the rewrite when it is back
  }

  private java.util.concurrent.CompletableFuture<List<Object>> eval(String script, String... args) {
    List<byte[]> bytes = new ArrayList<>(args.length);
    for (String a : args) bytes.add(a.getBytes(StandardCharsets.UTF_8));
    return link.eval(script, List.of(), bytes);
  }

  private void applySnapshot(List<Object> answer) {
    if (closed || answer == null || answer.isEmpty()) return;
    if (Long.valueOf(0).equals(answer.get(0))) { // our heartbeat had gone: we were taken for dead
      rewrite();
    }
    Set<String> live = new HashSet<>();
    Map<String, Map<String, String>> replaced = new HashMap<>();
    for (int i = 1; i + 2 < answer.size(); i += 3) {
      if (!(answer.get(i) instanceof byte[] id) || !(answer.get(i + 1) instanceof Long seq)
          || !(answer.get(i + 2) instanceof List<?> flat)) {
        refuse("a snapshot entry of the wrong shape");
        continue;
      }
      String n = new String(id, StandardCharsets.UTF_8);
      live.add(n);
      if (seq < lastSeq.getOrDefault(n, 0L)) continue; // an event newer than this snapshot was applied
      lastSeq.put(n, seq);
      Map<String, String> users = new HashMap<>();
      for (int j = 0; j + 1 < flat.size() && users.size() < MAX_USERS_PER_NODE; j += 2) {
        if (flat.get(j) instanceof byte[] u && flat.get(j + 1) instanceof byte[] name) {
          users.put(new String(u, StandardCharsets.UTF_8), new String(name, StandardCharsets.UTF_8));
        }
      }
      replaced.put(n, users);
    }
    lastSeq.keySet().retainAll(live);
    view.reconcile(live, replaced);
  }

  private void onMessage(byte[] message) {
    if (closed) return;
    try {
      if (message.length > MAX_MESSAGE_BYTES) throw new IOException("over " + MAX_MESSAGE_BYTES + " bytes");
      JsonNode m = parse(message);
      if (m == null || !m.isObject()) throw new IOException("not a JSON object");
      String from = text(m, "node");
      if (from.equals(node)) return;
      String type = text(m, "type");
      JsonNode seqNode = m.get("seq");
      if (seqNode == null || !seqNode.isIntegralNumber() || seqNode.asLong() < 0) throw new IOException("seq must be a whole number");
      long seq = seqNode.asLong();
      switch (type) {
        case "online", "offline" -> {
          String user = text(m, "user");
          String name = type.equals("online") ? text(m, "name") : null;
          if (seq <= lastSeq.getOrDefault(from, 0L)) return; // already in a snapshot applied
          lastSeq.put(from, seq);
          if (name != null) view.remoteOnline(from, user, name);
          else view.remoteOffline(from, user);
        }
        case "sync" -> tick();
        case "gone" -> {
          lastSeq.remove(from);
          Set<String> live = new HashSet<>(view.remoteUsers().keySet());
          live.remove(from);
          view.reconcile(live, Map.of());
        }
        default -> throw new IOException("unknown type");
      }
    } catch (IOException e) {
      refuse(e.getMessage());
    }
  }

  private void refuse(String why) {
    if (refused.getAndIncrement() == 0) {
      LOG.warn("dropped a malformed presence message on " + channel + " (" + why + "); further ones are only counted");
    }
  }
}
