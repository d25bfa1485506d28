package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cluster.redis.RedisLink.StreamEntry;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.LogLines;
import dev.switchboard.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RedisLink against a real redis-server (RedisServer): pub/sub, sharded pub/sub, streams, outages, passwords. */
class RedisLinkTest {
  /** Held so that the console stays quiet for this class: its outages are checked through LogLines. */
  private static final Logger LINK_LOG = Logger.getLogger(RedisLink.class.getName());
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    // The test classpath has slf4j-api without a provider (Java-WebSocket's): send netty's and
    // Lettuce's logging to java.util.logging, as in the shaded jar, so LogLines sees it.
    io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
    LINK_LOG.setUseParentHandlers(false);
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
    LINK_LOG.setUseParentHandlers(true);
  }

  /** Messages a handler received, with the thread it ran on. */
  private static final class Inbox implements RedisLink.MessageHandler {
    final BlockingQueue<Object[]> messages = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(String channel, byte[] message) {
      messages.add(new Object[] {channel, message, Thread.currentThread().getName()});
    }

    Object[] next() throws InterruptedException {
      Object[] m = messages.poll(10, TimeUnit.SECONDS);
      if (m == null) throw new AssertionError("no message within 10 s");
      return m;
    }
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void binaryMessagesArriveByteForByteOnLettucesThreads() throws Exception {
    try (RedisLink a = RedisLink.connect(redis.url()); RedisLink b = RedisLink.connect(redis.url())) {
      Inbox inbox = new Inbox();
      await(b.subscribe(inbox, "bin#/#"));
      byte[] payload = {0x00, (byte) 0xff, (byte) 0xc3, 0x28, (byte) 0x80, 0x00, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
      assertEquals(1L, await(a.publish("bin#/#", payload)));
      Object[] m = inbox.next();
      assertEquals("bin#/#", m[0]);
      assertArrayEquals(payload, (byte[]) m[1]);
      assertTrue(((String) m[2]).startsWith("switchboard-redis-"), "delivered on Lettuce's event loop: " + m[2]);
    }
  }

  @Test
  void aPatternSubscriptionGetsMatchingChannelsByTheirOwnName() throws Exception {
    try (RedisLink link = RedisLink.connect(redis.url())) {
      Inbox inbox = new Inbox();
      await(link.psubscribe(inbox, "socket.io#/#*"));
      await(link.publish("other#/#", new byte[] {1}));
      await(link.publish("socket.io#/#room#", new byte[] {2}));
      Object[] m = inbox.next();
      assertEquals("socket.io#/#room#", m[0]);
      assertArrayEquals(new byte[] {2}, (byte[]) m[1]);
      await(link.punsubscribe("socket.io#/#*"));
      assertEquals(0L, await(link.publish("socket.io#/#", new byte[] {3})));
      assertTrue(inbox.messages.isEmpty());
    }
  }

  @Test
  void numsubCountsTheSubscribersOfTwoLinks() throws Exception {
    try (RedisLink a = RedisLink.connect(redis.url()); RedisLink b = RedisLink.connect(redis.url())) {
      assertEquals(0L, await(a.numsub("socket.io-request#/#")));
      await(a.subscribe(new Inbox(), "socket.io-request#/#"));
      await(b.subscribe(new Inbox(), "socket.io-request#/#"));
      assertEquals(2L, await(a.numsub("socket.io-request#/#")));
      await(b.unsubscribe("socket.io-request#/#"));
      assertEquals(1L, await(a.numsub("socket.io-request#/#")));
    }
  }

  @Test
  void shardedPublishReachesShardedSubscribers() throws Exception {
    try (RedisLink a = RedisLink.connect(redis.url()); RedisLink b = RedisLink.connect(redis.url())) {
      Inbox inbox = new Inbox();
      await(b.ssubscribe(inbox, "socket.io#/#"));
      assertEquals(1L, await(a.shardnumsub("socket.io#/#")));
      assertEquals(0L, await(a.numsub("socket.io#/#")), "a sharded subscription is not a plain one");
      assertEquals(1L, await(a.spublish("socket.io#/#", new byte[] {0, 1, 2})));
      Object[] m = inbox.next();
      assertEquals("socket.io#/#", m[0]);
      assertArrayEquals(new byte[] {0, 1, 2}, (byte[]) m[1]);
      await(b.sunsubscribe("socket.io#/#"));
      assertEquals(0L, await(a.shardnumsub("socket.io#/#")));
    }
  }

  @Test
  void streamsAndKeysForTheStreamsAdapter() throws Exception {
    try (RedisLink link = RedisLink.connect(redis.url())) {
      Map<String, byte[]> fields = new LinkedHashMap<>();
      fields.put("uid", "n0de01".getBytes(StandardCharsets.UTF_8));
      fields.put("data", new byte[] {0, (byte) 0xff});
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) ids.add(await(link.xadd("stream:test", 1000, fields)));

      List<StreamEntry> all = await(link.xrange("stream:test", "-", "+", 10));
      assertEquals(ids, all.stream().map(StreamEntry::id).toList());
      assertEquals(List.of("uid", "data"), new ArrayList<>(all.get(0).fields().keySet()));
      assertArrayEquals(new byte[] {0, (byte) 0xff}, all.get(0).fields().get("data"));
      assertEquals(List.of(ids.get(2)), await(link.xrange("stream:test", "(" + ids.get(1), "+", 10)).stream().map(StreamEntry::id).toList());

      assertEquals(ids.subList(1, 3), await(link.xread("stream:test", ids.get(0), 10, Duration.ofMillis(100))).stream().map(StreamEntry::id).toList());
      assertEquals(List.of(), await(link.xread("stream:test", ids.get(2), 10, Duration.ofMillis(50))), "nothing new within the block time");

      // a blocking read waits on its own connection: a publish on the link is not held up by it
      CompletableFuture<List<StreamEntry>> pending = link.xread("stream:test", "$", 10, Duration.ofSeconds(5));
      assertEquals(0L, await(link.publish("nobody", new byte[] {1})));
      String fourth = await(link.xadd("stream:test", 1000, fields));
      assertEquals(List.of(fourth), await(pending).stream().map(StreamEntry::id).toList());

      await(link.set("sio:session:abc", new byte[] {7, 8}, Duration.ofSeconds(60)));
      assertArrayEquals(new byte[] {7, 8}, await(link.getdel("sio:session:abc")));
      assertNull(await(link.getdel("sio:session:abc")));
    }
  }

  @Test
  void blockingConnectionsReadOnTheirOwnAndClosingOneIsNoOutage() throws Exception {
    LogLines log = LogLines.of(RedisLink.class.getName());
    try (RedisLink link = RedisLink.connect(redis.url()); RedisProbe probe = new RedisProbe(redis.url())) {
      RedisLink.BlockingConnection a = await(link.openBlockingConnection());
      RedisLink.BlockingConnection b = await(link.openBlockingConnection());
      Map<String, byte[]> fields = Map.of("k", new byte[] {1});
      // two reads blocked at once, each on its own connection: neither waits behind the other
      CompletableFuture<List<StreamEntry>> onA = a.xread("stream:a", "$", 10, Duration.ofSeconds(10));
      CompletableFuture<List<StreamEntry>> onB = b.xread("stream:b", "$", 10, Duration.ofSeconds(10));
      Await.until("both reads blocked in Redis", () -> probe.blockedClients() == 2);
      String second = await(link.xadd("stream:b", 100, fields));
      assertEquals(List.of(second), await(onB).stream().map(StreamEntry::id).toList());
      assertFalse(onA.isDone(), "the other read still waits for its own stream");

      a.close();
      a.close(); // idempotent
      assertInstanceOf(RedisLinkException.class, assertThrows(ExecutionException.class, () -> onA.get(10, TimeUnit.SECONDS)).getCause(),
          "a read in progress fails when its connection closes");
      assertInstanceOf(RedisLinkException.class,
          assertThrows(ExecutionException.class, () -> a.xread("stream:a", "$", 1, Duration.ofMillis(10)).get(10, TimeUnit.SECONDS)).getCause());
      assertEquals(List.of(), await(b.xread("stream:b", second, 10, Duration.ofMillis(20))), "the other one goes on");
      assertEquals(0, log.count(Level.WARNING, "lost"), "closing a reader's connection is not an outage: " + log.lines());
    } finally {
      log.close();
    }
  }

  @Test
  void anOutageFailsCommandsFastLogsOnceEachWayAndRestoresEverySubscription() throws Exception {
    LogLines log = LogLines.of(RedisLink.class.getName(), "io.lettuce", "io.netty");
    try (RedisServer own = RedisServer.start();
        RedisLink link = RedisLink.connect(own.url());
        RedisLink publisher = RedisLink.connect(own.url())) {
      Inbox plain = new Inbox();
      Inbox pattern = new Inbox();
      Inbox sharded = new Inbox();
      await(link.subscribe(plain, "plain"));
      await(link.psubscribe(pattern, "pat#*"));
      await(link.ssubscribe(sharded, "shard"));

      own.kill();
      Await.until("the outage logged", () -> log.count(Level.WARNING, "lost") == 2); // both links
      long start = System.nanoTime();
      ExecutionException e = assertThrows(ExecutionException.class, () -> link.publish("plain", new byte[] {1}).get(10, TimeUnit.SECONDS));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 1000, "fails fast, not after a timeout: " + millis + " ms");
      RedisLinkException failure = assertInstanceOf(RedisLinkException.class, e.getCause());
      assertTrue(failure.getMessage().startsWith("PUBLISH on " + own.url() + " failed: "), failure.getMessage());
      for (int i = 0; i < 50; i++) link.publish("plain", new byte[] {1}); // a burst while down: still one line

      own.restart();
      // No call by the user: the subscriptions come back by themselves.
      Await.until("the plain subscription restored", Duration.ofSeconds(15), () -> receivers(publisher.publish("plain", new byte[] {4})) == 1);
      Await.until("the pattern subscription restored", Duration.ofSeconds(15), () -> receivers(publisher.publish("pat#x", new byte[] {5})) == 1);
      Await.until("the sharded subscription restored", Duration.ofSeconds(15), () -> receivers(publisher.spublish("shard", new byte[] {6})) == 1);
      assertEquals("plain", plain.next()[0]);
      assertEquals("pat#x", pattern.next()[0]);
      assertEquals("shard", sharded.next()[0]);
      Await.until("the return logged", () -> log.count(Level.INFO, "back after") == 2); // both links

      assertEquals(2, log.count(Level.WARNING, "lost"), "one line per link per outage: " + log.lines());
      assertEquals(4, log.lines().size(), "nothing else, from us, Lettuce or netty: " + log.lines());
      assertEquals(1, link.metrics().outages(), "one outage counted per link");
      assertEquals(1, publisher.metrics().outages());
    } finally {
      log.close();
    }
  }

  private static long receivers(CompletableFuture<Long> published) {
    try {
      return published.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1; // still reconnecting
    }
  }

  @Test
  void aBlockingReadMayOutlastTheCommandTimeout() throws Exception {
    try (RedisLink link = RedisLink.builder(redis.url()).commandTimeout(Duration.ofMillis(100)).connect()) {
      assertEquals(List.of(), await(link.xread("stream:quiet", "$", 10, Duration.ofMillis(400))));
      assertEquals(0L, await(link.publish("nobody", new byte[] {1})));
    }
  }

  @Test
  void aCommandToAHungRedisFailsAfterTheCommandTimeout() throws Exception {
    try (RedisServer own = RedisServer.start();
        RedisLink link = RedisLink.builder(own.url()).commandTimeout(Duration.ofMillis(200)).connect()) {
      own.pause();
      try {
        ExecutionException e = assertThrows(ExecutionException.class, () -> link.publish("c", new byte[] {1}).get(10, TimeUnit.SECONDS));
        assertEquals("PUBLISH on " + own.url() + " failed: no answer within 200 ms", e.getCause().getMessage());
      } finally {
        own.resume();
      }
      Await.until("answers again", () -> receivers(link.publish("c", new byte[] {1})) == 0);
    }
  }

  @Test
  void aPasswordUrlConnectsAndTheWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
    try (RedisServer secured = RedisServer.start("--requirepass", "p4ss-w0rd",
        "--user", "alice", "on", ">wonder-land", "~*", "&*", "+@all")) {
      String host = "127.0.0.1:" + secured.port();
      try (RedisLink link = RedisLink.connect("redis://:p4ss-w0rd@" + host + "/0")) {
        assertEquals("redis://:***@" + host + "/0", link.maskedUrl());
        Inbox inbox = new Inbox();
        await(link.subscribe(inbox, "c"));
        await(link.publish("c", new byte[] {9}));
        assertArrayEquals(new byte[] {9}, (byte[]) inbox.next()[1]);

        secured.stop();
        Await.until("the link sees the outage", () -> receivers(link.publish("c", new byte[] {1})) == -1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> link.publish("c", new byte[] {1}).get(10, TimeUnit.SECONDS));
        assertMasked(e.getCause(), "p4ss-w0rd", "PUBLISH on redis://:***@" + host + "/0 failed: ");
        secured.restart();
      }
      try (RedisLink user = RedisLink.connect("redis://alice:wonder-land@" + host)) {
        assertEquals("redis://alice:***@" + host, user.maskedUrl());
        assertEquals(0L, await(user.publish("c", new byte[] {1})));
      }
      RedisLinkException wrong = assertThrows(RedisLinkException.class, () -> RedisLink.connect("redis://:not-it-x9@" + host));
      assertMasked(wrong, "not-it-x9", "connect on redis://:***@" + host);
    }
  }

  private static void assertMasked(Throwable e, String password, String prefix) {
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    for (Throwable c = e; c != null; c = c.getCause()) {
      assertFalse(String.valueOf(c.getMessage()).contains(password), "password in " + c);
      assertFalse(String.valueOf(c).contains(password), "password in " + c);
    }
  }

  @Test
  void aRedissUrlSpeaksTls() throws Exception {
    try (RedisServer secure = RedisServer.startTls("--requirepass", "tls-pw-1")) {
      String base = "rediss://:tls-pw-1@127.0.0.1:" + secure.port();
      // Verification is on by default: our self-signed certificate is not in the JDK's trust store.
      RedisLinkException untrusted = assertThrows(RedisLinkException.class, () -> RedisLink.connect(base));
      assertMasked(untrusted, "tls-pw-1", "connect on rediss://:***@127.0.0.1:" + secure.port() + " failed: ");
      try (RedisLink link = RedisLink.connect(base + "?verifyPeer=NONE")) {
        assertEquals("rediss://:***@127.0.0.1:" + secure.port(), link.maskedUrl());
        Inbox inbox = new Inbox();
        await(link.subscribe(inbox, "tls"));
        await(link.publish("tls", new byte[] {0, 1}));
        assertArrayEquals(new byte[] {0, 1}, (byte[]) inbox.next()[1]);
      }
    }
  }

  @Test
  void badUrlsAndUnreachableServersAreRefusedClearly() throws Exception {
    IllegalArgumentException notRedis = assertThrows(IllegalArgumentException.class, () -> RedisLink.connect("http://:secret-1@host:80"));
    assertFalse(notRedis.getMessage().contains("secret-1"));
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    RedisLinkException unreachable = assertThrows(RedisLinkException.class,
        () -> RedisLink.connect("redis://:secret-2@127.0.0.1:" + closedPort));
    assertMasked(unreachable, "secret-2", "connect on redis://:***@127.0.0.1:" + closedPort + " failed: ");
    Await.until("a failed connect leaves no thread", () -> redisThreads().isEmpty());
  }

  @Test
  void closeStopsEveryThreadAndFailsLaterCommands() throws Exception {
    RedisLink link = RedisLink.connect(redis.url());
    await(link.xread("s", "$", 1, Duration.ofMillis(10))); // opens the blocking connection too
    assertFalse(redisThreads().isEmpty());
    link.close();
    link.close(); // idempotent
    Await.until("Lettuce's threads gone", () -> redisThreads().isEmpty());
    // netty's shared GlobalEventExecutor, which Lettuce's shutdown uses, ends after a quiet second
    Await.until("netty's global executor gone", () -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("globalEventExecutor")));
    ExecutionException e = assertThrows(ExecutionException.class, () -> link.publish("c", new byte[] {1}).get(5, TimeUnit.SECONDS));
    assertInstanceOf(RedisLinkException.class, e.getCause());
  }

  private static List<String> redisThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("switchboard-redis-")).toList();
  }
}
