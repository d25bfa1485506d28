package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.LogLines;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped and started again in the middle of a scenario (issue #10), two Switchboard servers
 * with the {@link RedisAdapter} on their own links: nothing crashes; local delivery, joins and
 * disconnections go on during the outage; every request made meanwhile — fetchSockets, allRooms,
 * serverSideEmitWithAck, a broadcast with acks — fails with its timeout error; broadcasts reach
 * the other server again once Redis is back, without any call; each link logs one "lost" and one
 * "back" line and the adapters nothing at all.
 */
class RedisAdapterOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aRedisOutageKeepsLocalDeliveryFailsRequestsByTheirTimeoutAndHealsByItself() throws Exception {
    LogLines log = LogLines.of(RedisLink.class.getName(), RedisAdapter.class.getName(), "io.lettuce", "io.netty");
    try (RedisServer redis = RedisServer.start();
        RedisLink linkA = RedisLink.connect(redis.url());
        RedisLink linkB = RedisLink.connect(redis.url());
        InMemorySocketIo a = server(linkA, "a-");
        InMemorySocketIo b = server(linkB, "b-")) {
      FakeEngineIoConnection onA = a.client();
      FakeEngineIoConnection onB = b.client();
      onA.onSend(wire -> answerAcks(onA, wire));
      awaitSubscribers(linkA, 2);
      awaitSubscribers(linkB, 2);
      a.io().emit("before");
      Await.until("b's client got the broadcast before the outage", () -> events(onB, "before") == 1);

      redis.stop();
      Await.until("both links lost Redis", WAIT, () -> linkA.metrics().outages() == 1 && linkB.metrics().outages() == 1);

      // Local delivery and membership go on, without waiting for Redis.
      a.io().emit("during", 1);
      assertEquals(1, events(onA, "during"), "delivered here at once");
      a.io().socketsJoin("local-room");
      assertTrue(a.socket(onA).rooms().contains("local-room"));
      Await.until("the lost publishes are counted", () -> linkA.metrics().publishFailures() >= 2);
      assertEquals(2, a.io().sockets().adapter().serverCount().get(5, TimeUnit.SECONDS), "the last count Redis gave");

      // Requests wait for answers that cannot come and fail with their timeout.
      CompletableFuture<?> fetch = a.io().fetchSockets();
      CompletableFuture<?> rooms = a.io().sockets().allRooms();
      CompletableFuture<?> emit = a.io().serverSideEmitWithAck("hello");
      CompletableFuture<?> acks = a.io().timeout(Duration.ofMillis(500)).emitWithAck("question");
      Await.until("every request is registered", () -> pendingOf(a) == 4);
      assertFalse(fetch.isDone() || rooms.isDone() || emit.isDone() || acks.isDone());
      a.clock.advanceBy(Duration.ofSeconds(5));
      for (CompletableFuture<?> f : List.of(fetch, rooms, emit)) {
        ClusterRequestTimeoutException e = assertInstanceOf(ClusterRequestTimeoutException.class, failure(f));
        assertEquals("timeout reached: only 0 responses received out of 1", e.getMessage());
      }
      AckTimeoutException ackTimeout = assertInstanceOf(AckTimeoutException.class, failure(acks));
      assertEquals(1, ackTimeout.responses().size(), "the local client answered; the other server could not");
      Await.until("nothing left pending", () -> pendingOf(a) == 0);
      assertEquals(3, linkA.metrics().requestsTimedOut());

      redis.restart();
      awaitSubscribers(linkA, 2); // both servers subscribed again, by themselves
      awaitSubscribers(linkB, 2);
      a.io().emit("after", 2);
      Await.until("b's client gets broadcasts again", WAIT, () -> events(onB, "after") == 1);
      assertEquals(0, events(onB, "during"), "what was published during the outage is lost for the other server");
      Await.until("both links say they are back", WAIT, () -> log.count(Level.INFO, "back after") == 2);
      assertEquals(2, log.count(Level.WARNING, "lost"), "one line per link per outage: " + log.lines());
      assertEquals(4, log.lines().size(), "nothing else from the adapters, the link, Lettuce or netty: " + log.lines());
    } finally {
      log.close();
    }
  }

  @Test
  void aNamespaceMadeWhileRedisIsAwaySubscribesOnceRedisIsBack() throws Exception {
    LogLines log = LogLines.of(RedisLink.class.getName(), RedisAdapter.class.getName(), "io.lettuce", "io.netty");
    try (RedisServer redis = RedisServer.start();
        RedisLink link = RedisLink.connect(redis.url());
        InMemorySocketIo a = server(link, "a-")) {
      redis.stop();
      Await.until("the link lost Redis", WAIT, () -> link.metrics().outages() == 1);
      RedisAdapter late = (RedisAdapter) a.io().of("/late").adapter();
      a.clock.advanceBy(Duration.ofSeconds(1)); // a retry while Redis is still away fails too
      assertFalse(late.subscribed().isDone());
      redis.restart();
      Await.until("the namespace subscribed, retrying on its own", WAIT, () -> {
        a.clock.advanceBy(Duration.ofSeconds(1));
        return late.subscribed().isDone();
      });
      // The subscription rides the pub/sub connection; NUMSUB goes over the command connection,
      // which may come back a moment later (until then Lettuce rejects commands): wait for the
      // link to say that all its connections are up.
      Await.until("the link is back", WAIT, () -> log.count(Level.INFO, "back after") == 1);
      assertEquals(1L, link.numsub(new ClassicChannels("outage", "/late").request()).get(5, TimeUnit.SECONDS));
    } finally {
      log.close();
    }
  }

  private static InMemorySocketIo server(RedisLink link, String prefix) {
    RedisAdapterOptions options = RedisAdapterOptions.builder().key("outage").build();
    InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(RedisAdapter.factory(link, options)).build(), prefix);
    ((RedisAdapter) sio.io().sockets().adapter()).subscribed().orTimeout(10, TimeUnit.SECONDS).join();
    return sio;
  }

  private static int pendingOf(InMemorySocketIo sio) {
    return ((RedisAdapter) sio.io().sockets().adapter()).pendingRequests();
  }

  /** Redis itself (not the adapter, which would answer its last count) counts the servers on the request channel. */
  private static void awaitSubscribers(RedisLink link, int servers) {
    String requestChannel = new ClassicChannels("outage", "/").request();
    Await.until("NUMSUB counts " + servers + " servers", WAIT, () -> {
      try {
        return link.numsub(requestChannel).get(5, TimeUnit.SECONDS) == servers;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /** How many times the client got {@code event}. */
  private static int events(FakeEngineIoConnection c, String event) {
    int n = 0;
    for (String m : c.sent()) if (m.startsWith("2[\"" + event + "\"")) n++;
    return n;
  }

  /** The fake client acks every event that asks for one with "yes". */
  private static void answerAcks(FakeEngineIoConnection c, List<String> wire) {
    for (String m : wire) {
      int bracket = m.indexOf('[');
      if (!m.startsWith("2") || bracket <= 1) continue;
      c.receive("3" + m.substring(1, bracket) + "[\"yes\"]");
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }
}
