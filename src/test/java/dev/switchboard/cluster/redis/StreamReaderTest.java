package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cluster.redis.RedisLink.StreamEntry;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The streams adapter's reader loop against a real redis-server: where it starts, order, batches, back-pressure, outages, close. */
class StreamReaderTest {
  private static RedisServer redis;
  private static RedisLink link;
  private static RedisProbe probe;
  private final FakeScheduler clock = new FakeScheduler();
  private ExecutorService pool;
  private final List<List<StreamEntry>> batches = new CopyOnWriteArrayList<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();

  /** Held so that its outage lines stay off the console: the outages here are on purpose. */
  private static final java.util.logging.Logger LINK_LOG = java.util.logging.Logger.getLogger(RedisLink.class.getName());

  @BeforeAll
  static void startRedis() throws Exception {
    LINK_LOG.setUseParentHandlers(false);
    redis = RedisServer.start();
    link = RedisLink.connect(redis.url());
    probe = new RedisProbe(redis.url());
  }

  @AfterAll
  static void stopRedis() {
    probe.close();
    link.close();
    redis.close();
    LINK_LOG.setUseParentHandlers(true);
  }

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-worker"));
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  private StreamReader reader(RedisLink on, String stream, int readCount) {
    return new StreamReader(on, stream, readCount, Duration.ofSeconds(2), clock, pool, batch -> {
      threads.add(Thread.currentThread().getName());
      batches.add(batch);
      return CompletableFuture.completedFuture(null);
    });
  }

  private static String add(RedisLink on, String stream, int n) throws Exception {
    return on.xadd(stream, 1000, Map.of("n", Integer.toString(n).getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
  }

  private List<String> readNumbers() {
    List<String> out = new ArrayList<>();
    for (List<StreamEntry> b : batches) for (StreamEntry e : b) out.add(new String(e.fields().get("n"), StandardCharsets.UTF_8));
    return out;
  }

  private static void awaitBlocked(int n) {
    Await.until(n + " reads blocked in Redis", () -> probe.blockedClients() == n);
  }

  @Test
  void readsOnlyWhatIsAddedAfterItStartsInOrderOnTheExecutor() throws Exception {
    add(link, "s:order", 0); // before the reader: "$" skips it
    try (StreamReader r = reader(link, "s:order", 100)) {
      r.start();
      awaitBlocked(1);
      String last = null;
      for (int i = 1; i <= 5; i++) last = add(link, "s:order", i);
      Await.until("five entries read", () -> readNumbers().size() == 5);
      assertEquals(List.of("1", "2", "3", "4", "5"), readNumbers());
      String lastId = last;
      Await.until("the next read starts after the last entry", () -> lastId.equals(r.lastId()));
      assertTrue(threads.stream().allMatch("test-worker"::equals), "the sink runs on the executor, never Lettuce's threads: " + threads);
    }
  }

  @Test
  void handsOverAtMostReadCountEntriesAndReadsOnOnlyOnceABatchIsHandled() throws Exception {
    CompletableFuture<Void> firstHandled = new CompletableFuture<>();
    AtomicReference<String> readerThread = new AtomicReference<>();
    StreamReader r = new StreamReader(link, "s:batches", 3, Duration.ofSeconds(2), clock, pool, batch -> {
      batches.add(batch);
      if (batches.size() > 1) return CompletableFuture.completedFuture(null);
      readerThread.set(Thread.currentThread().getName());
      return firstHandled; // the node is still busy with the first batch
    });
    try (r) {
      r.start();
      awaitBlocked(1);
      add(link, "s:batches", 1);
      Await.until("the first batch in hand", () -> readerThread.get() != null);
      for (int i = 2; i <= 8; i++) add(link, "s:batches", i);
      assertEquals(0, probe.blockedClients(), "no read is pending while the sink holds a batch");
      assertEquals(1, batches.size(), "what was added meanwhile waits in Redis, not here");
      firstHandled.complete(null);
      Await.until("everything read", () -> readNumbers().size() == 8);
      assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), readNumbers());
      assertTrue(batches.stream().allMatch(b -> b.size() <= 3), "batches of at most readCount: " + batches.stream().map(List::size).toList());
    }
  }

  @Test
  void aReaderPerStreamNeverWaitsBehindAnother() throws Exception {
    try (StreamReader a = reader(link, "s:one", 10); StreamReader b = reader(link, "s:two", 10)) {
      a.start();
      b.start();
      awaitBlocked(2);
      add(link, "s:two", 2);
      add(link, "s:one", 1);
      Await.until("both read within one block time", Duration.ofMillis(1500), () -> readNumbers().size() == 2);
    }
  }

  @Test
  void closeEndsTheBlockedReadAndTheLoop() throws Exception {
    StreamReader r = reader(link, "s:close", 10);
    r.start();
    awaitBlocked(1);
    r.close();
    r.close(); // idempotent
    assertEquals(StreamReader.State.CLOSED, r.state());
    awaitBlocked(0);
    add(link, "s:close", 1);
    r.start(); // a closed reader does not start again
    assertEquals(0, probe.blockedClients());
    assertEquals(List.of(), readNumbers());
    assertEquals(0, clock.pendingTasks(), "no retry left behind");
  }

  @Test
  void anOutageMakesItWaitOnTheSchedulerAndGoOnFromTheSameIdOnceRedisIsBack() throws Exception {
    try (RedisServer own = RedisServer.start();
        RedisLink ownLink = RedisLink.connect(own.url());
        RedisProbe ownProbe = new RedisProbe(own.url());
        StreamReader r = reader(ownLink, "s:outage", 10)) {
      r.start();
      Await.until("blocked", () -> ownProbe.blockedClients() == 1);
      add(ownLink, "s:outage", 1);
      Await.until("read", () -> readNumbers().size() == 1);
      String before = r.lastId();

      own.kill();
      Await.until("the failed read waits for a retry", () -> r.state() == StreamReader.State.WAITING);
      assertEquals(before, r.lastId());
      clock.advanceBy(StreamReader.FIRST_RETRY); // a retry while Redis is still away fails and waits longer
      Await.until("waiting again", () -> r.state() == StreamReader.State.WAITING && clock.pendingTasks() == 1);

      own.restart();
      try (RedisLink writer = RedisLink.connect(own.url()); RedisProbe back = new RedisProbe(own.url())) {
        Await.until("reading again", Duration.ofSeconds(15), () -> {
          clock.advanceBy(StreamReader.MAX_RETRY); // the retries' timer, on the test's clock
          return back.blockedClients() == 1;
        });
        add(writer, "s:outage", 2);
        Await.until("read after the outage", () -> readNumbers().size() == 2);
        assertEquals(List.of("1", "2"), readNumbers());
      }
    }
  }
}
