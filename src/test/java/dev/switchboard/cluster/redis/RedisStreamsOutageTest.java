package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.socketio.testing.LogCapture;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped and started again in the middle of a scenario (issue #10), on two in-memory
 * servers with {@link RedisStreamsAdapter} and their own links: nothing crashes, local delivery
 * goes on meanwhile, requests to the other server fail with their timeout, each link logs the
 * outage once each way, and once Redis is back the readers and subscriptions resume by themselves
 * and broadcasts cross again, both ways.
 */
class RedisStreamsOutageTest {
  private static final Duration STEP = Duration.ofMillis(500);

  @Test
  void redisStoppedAndRestartedInTheMiddle() throws Exception {
    RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.builder().requestsTimeout(Duration.ofSeconds(2)).build();
    try (LogCapture log = LogCapture.of(RedisLink.class);
        RedisServer redis = RedisServer.start();
        RedisProbe probe = new RedisProbe(redis.url());
        RedisLink linkA = RedisLink.connect(redis.url());
        RedisLink linkB = RedisLink.connect(redis.url());
        InMemorySocketIo a = new InMemorySocketIo(SocketIoOptions.builder().adapter(RedisStreamsAdapter.factory(linkA, options)).build(), "a-");
        InMemorySocketIo b = new InMemorySocketIo(SocketIoOptions.builder().adapter(RedisStreamsAdapter.factory(linkB, options)).build(), "b-")) {
      a.io().onServerSideEmit("__settle", (args, ack) -> ack.send());
      b.io().onServerSideEmit("__settle", (args, ack) -> ack.send());
      Runnable settle = () -> {
        try {
          a.io().serverSideEmitWithAck("__settle").get(10, TimeUnit.SECONDS);
          b.io().serverSideEmitWithAck("__settle").get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        Await.until("the readers blocked", () -> probe.blockedClients() == 2);
      };
      Await.until("both counted, both reading", () -> count(a) == 2 && count(b) == 2 && probe.blockedClients() == 2);
      FakeEngineIoConnection onA = a.client();
      FakeEngineIoConnection onB = b.client();
      onA.takeSent();
      onB.takeSent();
      a.io().emit("news", "before");
      settle.run();
      assertEquals(List.of("2[\"news\",\"before\"]"), onB.takeSent());
      onA.takeSent();

      redis.stop();
      Await.until("the links see it", () -> linkA.publish("x", new byte[0]).isCompletedExceptionally()
          && linkB.publish("x", new byte[0]).isCompletedExceptionally());

      a.io().emit("news", "during");
      assertEquals(List.of("2[\"news\",\"during\"]"), onA.takeSent(), "local delivery does not wait for Redis");
      CompletableFuture<?> fetch = a.io().fetchSockets();
      CompletableFuture<?> rooms = a.io().sockets().allRooms();
      CompletableFuture<?> sse = a.io().serverSideEmitWithAck("ping");
      CompletableFuture<?> acks = a.io().timeout(Duration.ofSeconds(1)).emitWithAck("question");
      Await.until("every request ended", () -> {
        a.clock.advanceBy(STEP); // the requests' timers, and the readers' retries, on the server's clock
        return fetch.isDone() && rooms.isDone() && sse.isDone() && acks.isDone();
      });
      assertEquals("timeout reached: only 0 responses received out of 1", failure(fetch).getMessage());
      assertInstanceOf(ClusterRequestTimeoutException.class, failure(fetch));
      assertInstanceOf(ClusterRequestTimeoutException.class, failure(rooms));
      assertInstanceOf(ClusterRequestTimeoutException.class, failure(sse));
      assertInstanceOf(AckTimeoutException.class, failure(acks), "the other server's client count never came");
      assertEquals(List.of(), onB.takeSent(), "nothing crossed");

      redis.restart();
      Await.until("readers and subscriptions back", Duration.ofSeconds(20), () -> {
        a.clock.advanceBy(STEP);
        b.clock.advanceBy(STEP);
        return probe.blockedClients() == 2 && count(a) == 2 && count(b) == 2;
      });
      onA.takeSent();
      a.io().emit("news", "after");
      b.io().emit("news", "back");
      settle.run();
      assertEquals(List.of("2[\"news\",\"after\"]", "2[\"news\",\"back\"]"), onB.takeSent().stream().sorted().toList());
      assertTrue(onA.takeSent().contains("2[\"news\",\"back\"]"), "both ways");
      assertEquals(0, ((RedisStreamsAdapter) a.io().sockets().adapter()).pendingRequests());

      Await.until("the return logged", () -> log.messages(Level.INFO).stream().filter(m -> m.contains("back after")).count() == 2);
      assertEquals(2, log.messages(Level.WARNING).stream().filter(m -> m.contains(" lost: ")).count(), "one line per link: " + log.messages(Level.WARNING));
      assertEquals(2, log.messages(Level.WARNING).size() + log.messages(Level.SEVERE).size(), "nothing else: " + log.messages(Level.WARNING));
      assertEquals(1, linkA.metrics().outages());
      assertTrue(linkA.metrics().publishFailures() > 0, "what could not be published is counted");
    }
  }

  private static int count(InMemorySocketIo s) {
    try {
      return s.io().sockets().adapter().serverCount().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    return assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS)).getCause();
  }
}
