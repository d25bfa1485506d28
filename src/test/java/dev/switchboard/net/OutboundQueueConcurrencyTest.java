package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Await;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many threads send numbered frames to one WebSocket's {@link OutboundQueue} at once — single
 * frames (written through when the queue is idle), two-frame packets and broadcast frames — while
 * the socket takes 0 to 7 bytes per write and a loop thread flushes as a real I/O loop would.
 * Whatever the interleaving: each thread's frames arrive in its order, a packet's two frames
 * arrive together, no byte is lost or repeated, and never are two threads inside a write at once.
 */
class OutboundQueueConcurrencyTest {
  private static final int THREADS = 6;
  private static final int FRAMES_PER_THREAD = 1500;

  /** The I/O loop: runs tasks, and flushes again while the socket is "writable" and wanted. */
  static final class LoopThread extends Thread implements OutboundQueue.Owner {
    final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    final ByteBuffer[] gather = new ByteBuffer[64];
    final AtomicReference<String> closed = new AtomicReference<>();
    volatile boolean stop;
    /** Loop thread only, as on a real loop. */
    private boolean writeInterest;
    OutboundQueue queue;

    LoopThread() {
      super("fake-io-loop");
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        while (!stop) {
          Runnable task = writeInterest ? tasks.poll() : tasks.poll(1, TimeUnit.MILLISECONDS);
          if (task != null) task.run();
          else if (writeInterest) queue.flush(); // OP_WRITE: this socket is always ready again
        }
      } catch (InterruptedException e) {
        // stopping
      }
    }

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    @Override
    public long maxOutboundBytes() {
      return Long.MAX_VALUE;
    }

    @Override
    public ByteBuffer[] gatherBuffers() {
      return gather;
    }

    @Override
    public void setWriteInterest(boolean on) {
      writeInterest = on;
    }

    @Override
    public void onDrained(OutboundQueue.AfterDrain action) {
      // a WebSocket asks for nothing after its frames
    }

    @Override
    public void closeNow(CloseCause cause) {
      closed.set(cause.name());
      queue.close();
    }
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void everyThreadsFramesArriveInItsOrderWholeAndExactlyOnce() throws Exception {
    FakeOutboundChannel socket = FakeOutboundChannel.plain();
    socket.budget = () -> ThreadLocalRandom.current().nextInt(8); // 0..7 bytes per write
    socket.yieldInsideWrites = true;
    LoopThread loop = new LoopThread();
    OutboundQueue queue = new OutboundQueue(loop, socket);
    loop.queue = queue;
    queue.startWebSocket();
    loop.start();

    CountDownLatch go = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    int expectedBytes = 0;
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      for (int i = 0; i < FRAMES_PER_THREAD; i++) {
        expectedBytes += switch (i % 3) {
          case 0 -> (thread + ":" + i + ";").length();
          case 1 -> (thread + ":" + i + ":a;" + thread + ":" + i + ":b;").length();
          default -> (thread + ":" + i + ";").length();
        };
      }
      senders.add(new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < FRAMES_PER_THREAD; i++) {
          switch (i % 3) {
            case 0 -> queue.add(ascii(thread + ":" + i + ";"));
            case 1 -> queue.addFrames(List.of(ascii(thread + ":" + i + ":a;"), ascii(thread + ":" + i + ":b;")), false);
            default -> queue.addFrames(List.of(ascii(thread + ":" + i + ";")), true);
          }
        }
      }, "sender-" + t));
    }
    senders.forEach(Thread::start);
    go.countDown();
    for (Thread s : senders) s.join();
    int total = expectedBytes;
    try {
      Await.until("every byte written", Duration.ofSeconds(60), () -> socket.takenBytes() >= total);
    } finally {
      loop.stop = true;
      loop.join();
    }

    assertEquals(null, loop.closed.get(), "the connection was not closed");
    assertFalse(socket.overlap, "two threads were inside a write at once");
    assertEquals(total, socket.takenBytes(), "no byte lost or repeated");
    assertEquals(0, queue.queuedBytes());
    assertTrue(socket.threads().stream().anyMatch(n -> n.startsWith("sender-")), "some frames were written through");
    assertTrue(socket.threads().contains("fake-io-loop"), "some frames were written by the loop");

    int[] next = new int[THREADS];
    String[] tokens = socket.taken().split(";");
    for (int k = 0; k < tokens.length; k++) {
      String[] parts = tokens[k].split(":");
      int thread = Integer.parseInt(parts[0]);
      int i = Integer.parseInt(parts[1]);
      assertEquals(next[thread], i, "thread " + thread + " out of order at token " + k);
      if (parts.length == 3) {
        assertEquals("a", parts[2], "a packet's second frame without its first at token " + k);
        assertEquals(thread + ":" + i + ":b", tokens[k + 1], "a packet's frames were split at token " + k);
        k++;
      }
      next[thread]++;
    }
    for (int t = 0; t < THREADS; t++) assertEquals(FRAMES_PER_THREAD, next[t], "frames of thread " + t);
  }
}
