package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.auth.Principal;
import dev.switchboard.cluster.redis.RedisLink;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisPresenceDirectory} against a real Redis, with the other node played by the test
 * through its keys and its channel (chat.md, "Presence across nodes"): snapshots and events are
 * ordered by the node's counter, a node whose heartbeat expired is removed, and this node's own
 * users are written to its hash.
 */
class RedisPresenceDirectoryTest {
  static RedisServer redis;
  static RedisLink link;
  static int keys;
  private final SystemScheduler clock = new SystemScheduler();
  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final Presence presence = new Presence(new Presence.Listener() {
    @Override
    public void firstConnection(OnlineUser user) { }

    @Override
    public void lastConnectionGone(OnlineUser user) { }
  });
  private final java.util.concurrent.atomic.AtomicInteger reconciles = new java.util.concurrent.atomic.AtomicInteger();
  private RedisPresenceDirectory directory;
  private String p;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    link = RedisLink.connect(redis.url());
  }

  @AfterAll
  static void stop() {
    if (link != null) link.close();
    if (redis != null) redis.close();
  }

  @AfterEach
  void close() {
    if (directory != null) directory.close();
    clock.close();
    pool.shutdown();
  }

  private void startDirectory() {
    String key = "pd" + (++keys);
    p = key + ":switchboard:presence:";
    directory = new RedisPresenceDirectory(link, key, "me", Duration.ofMillis(400), clock, pool);
    presence.shareThrough(directory);
    directory.start(new PresenceDirectory.View() { // presence, counting the ticks' reconciles
      @Override
      public void remoteOnline(String node, String userId, String username) {
        presence.remoteOnline(node, userId, username);
      }

      @Override
      public void remoteOffline(String node, String userId) {
        presence.remoteOffline(node, userId);
      }

      @Override
      public void reconcile(java.util.Set<String> liveNodes, Map<String, Map<String, String>> replaced) {
        presence.reconcile(liveNodes, replaced);
        reconciles.incrementAndGet();
      }

      @Override
      public Map<String, String> localUsers() {
        return presence.localUsers();
      }

      @Override
      public Map<String, List<String>> remoteUsers() {
        return presence.remoteUsers();
      }
    });
  }

  /** The other node "n2", as its own scripts would leave it: alive, in the set, these users, this counter. */
  private void otherNode(long seq, String... idNamePairs) {
    script("redis.call('SET', KEYS[1], '1', 'PX', 60000) redis.call('SADD', KEYS[2], 'n2') "
        + "redis.call('DEL', KEYS[3]) for i = 1, #ARGV - 1, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end "
        + "redis.call('SET', KEYS[4], '" + seq + "') return {0}",
        List.of(p + "alive:n2", p + "nodes", p + "node:n2", p + "seq:n2"), idNamePairs);
  }

  private void publish(String json) {
    link.publish(p + "events", json.getBytes(StandardCharsets.UTF_8)).join();
  }

  private static void script(String lua, List<String> keys, String... args) {
    List<byte[]> a = new java.util.ArrayList<>();
    for (String s : args) a.add(s.getBytes(StandardCharsets.UTF_8));
    link.eval(lua, keys, a).join();
  }

  private List<String> n2() {
    return presence.remoteUsers().getOrDefault("n2", List.of()).stream().sorted().toList();
  }

  @Test
  void eventsOlderThanTheSnapshotAndSnapshotsOlderThanTheEventsAreIgnored() {
    startDirectory();
    otherNode(5, "u-bob", "bob");
    Await.until("the snapshot", () -> n2().equals(List.of("u-bob")));
    publish("{\"node\":\"n2\",\"type\":\"offline\",\"user\":\"u-bob\",\"seq\":4}"); // older than the snapshot
    publish("{\"node\":\"n2\",\"type\":\"online\",\"user\":\"u-carol\",\"name\":\"carol\",\"seq\":6}");
    Await.until("the newer event", () -> n2().contains("u-carol"));
    assertEquals(List.of("u-bob", "u-carol"), n2(), "bob's stale offline was ignored");
    // The hash still says counter 5 (the test did not write carol there): the newer event wins
    // over that snapshot at every tick.
    int seen = reconciles.get();
    Await.until("two more ticks", () -> reconciles.get() >= seen + 2);
    assertEquals(List.of("u-bob", "u-carol"), n2());
    otherNode(7, "u-dave", "dave"); // a newer snapshot replaces the node's users
    Await.until("the newer snapshot", () -> n2().equals(List.of("u-dave")));
  }

  @Test
  void aNodeWhoseHeartbeatExpiredIsRemovedAndItsUsersLeave() {
    startDirectory();
    otherNode(1, "u-bob", "bob");
    Await.until("bob online", () -> presence.find("u-bob") != null);
    script("redis.call('PEXPIRE', KEYS[1], 1) return {0}", List.of(p + "alive:n2"));
    Await.until("bob gone", Duration.ofSeconds(2), () -> presence.find("u-bob") == null);
    Await.until("n2 removed from Redis", () -> {
      List<Object> r = link.eval("return {redis.call('SISMEMBER', KEYS[1], 'n2'), redis.call('EXISTS', KEYS[2])}",
          List.of(p + "nodes", p + "node:n2"), List.of()).join();
      return r.equals(List.of(0L, 0L));
    });
  }

  @Test
  void thisNodesUsersAreInItsHashAndLeaveItWithTheirLastConnection() {
    startDirectory();
    Principal alice = new Principal("u-alice", "alice", "s1");
    presence.connect(alice, users -> { });
    Await.until("alice in the hash", () -> hash().equals(Map.of("u-alice", "alice")));
    presence.disconnect(alice);
    Await.until("alice out of it", () -> hash().isEmpty());
    directory.close();
    List<Object> r = link.eval("return {redis.call('SISMEMBER', KEYS[1], 'me'), redis.call('EXISTS', KEYS[2])}",
        List.of(p + "nodes", p + "alive:me"), List.of()).join();
    assertEquals(List.of(0L, 0L), r, "closed: out of the set, no heartbeat");
    assertTrue(directory.refusedMessages() == 0);
  }

  private Map<String, String> hash() {
    List<Object> r = link.eval("return redis.call('HGETALL', KEYS[1])", List.of(p + "node:me"), List.of()).join();
    Map<String, String> out = new java.util.HashMap<>();
    for (int i = 0; i + 1 < r.size(); i += 2) {
      out.put(new String((byte[]) r.get(i), StandardCharsets.UTF_8), new String((byte[]) r.get(i + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
