package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.OutboundQueue.AfterDrain;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OutboundQueue} against a {@link FakeOutboundChannel} that takes N bytes per write, and a
 * fake connection whose "loop" is this test: flush tasks wait in {@link FakeOwner#tasks} until the
 * test runs them, and "writable" is the test calling {@code flush()} again. The many-threads
 * ordering test is {@link OutboundQueueConcurrencyTest}.
 */
class OutboundQueueTest {

  /** The connection side: records what the queue asks of it. Not thread-safe but where said. */
  static final class FakeOwner implements OutboundQueue.Owner {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    final ByteBuffer[] gather = new ByteBuffer[64];
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    long maxOutboundBytes = Long.MAX_VALUE;
    boolean writeInterest;
    /** The thread that plays the connection's I/O loop, if any. */
    volatile Thread loopThread;
    OutboundQueue queue;
    FakeOutboundChannel channel;

    static FakeOwner over(FakeOutboundChannel channel) {
      FakeOwner owner = new FakeOwner();
      owner.channel = channel;
      owner.queue = new OutboundQueue(owner, channel);
      return owner;
    }

    /** Any thread. */
    @Override
    public void execute(Runnable task) {
      synchronized (tasks) {
        tasks.add(task);
      }
    }

    @Override
    public long maxOutboundBytes() {
      return maxOutboundBytes;
    }

    @Override
    public boolean inLoop() {
      return Thread.currentThread() == loopThread;
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
    public void onDrained(AfterDrain action) {
      events.add(action + " after " + channel.takenBytes() + " bytes");
    }

    @Override
    public void closeNow(CloseCause cause) {
      events.add("close " + cause);
      queue.close();
    }

    int pendingTasks() {
      synchronized (tasks) {
        return tasks.size();
      }
    }

    /** The loop's turn: runs the tasks queued so far. */
    void runTasks() {
      List<Runnable> now;
      synchronized (tasks) {
        now = new ArrayList<>(tasks);
        tasks.clear();
      }
      now.forEach(Runnable::run);
    }

    /** The loop until nothing is left to do: tasks, and flushes while the socket is "writable". */
    void runUntilIdle() {
      for (int turns = 0; turns < 100_000; turns++) {
        if (pendingTasks() > 0) runTasks();
        else if (writeInterest) queue.flush();
        else return;
      }
      throw new AssertionError("the queue never went idle");
    }
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static FakeOwner webSocket(FakeOutboundChannel channel) {
    FakeOwner owner = FakeOwner.over(channel);
    owner.queue.startWebSocket();
    return owner;
  }

  // ------------------------------------------------------------------ the loop's flush

  @Test
  void queuedBuffersLeaveInOrderInGatheringWritesOfAtMostOneBatch() {
    FakeOwner owner = FakeOwner.over(FakeOutboundChannel.plain());
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      owner.queue.add(ascii("b" + i + ";"));
      expected.append("b").append(i).append(';');
    }
    assertEquals(1, owner.pendingTasks(), "one flush for everything added before the loop comes round");
    assertEquals(0, owner.channel.takenBytes(), "an HTTP queue is written by the loop only");
    assertEquals(expected.length(), owner.queue.queuedBytes());
    owner.runTasks();
    assertEquals(expected.toString(), owner.channel.taken());
    List<String> calls = owner.channel.calls();
    assertEquals(3, calls.size(), calls.toString());
    assertTrue(calls.get(0).startsWith("writev 64/"), calls.toString());
    assertTrue(calls.get(1).startsWith("writev 64/"), calls.toString());
    assertTrue(calls.get(2).startsWith("writev 22/"), calls.toString());
    assertEquals(0, owner.queue.queuedBytes());
    assertFalse(owner.writeInterest);
    assertEquals(List.of(), owner.events);
  }

  @Test
  void oneBufferGoesOutWithWriteAndSeveralWithWritev() {
    FakeOwner owner = FakeOwner.over(FakeOutboundChannel.plain());
    owner.queue.add(ascii("one"));
    owner.runTasks();
    owner.queue.add(ascii("two"));
    owner.queue.add(ascii("three"));
    owner.runTasks();
    assertEquals(List.of("write 3", "writev 2/8"), owner.channel.calls());
    assertEquals("onetwothree", owner.channel.taken());
  }

  @Test
  void partialWritesResumeWhenWritableAndTheResponseIsFollowedOnceItIsAllOut() {
    FakeOwner owner = FakeOwner.over(FakeOutboundChannel.plain().takingAtMost(3));
    owner.queue.add(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
    owner.queue.add(ascii("HTTP/1.1 200 OK\r\n\r\nbody"), AfterDrain.RESUME_HTTP);
    owner.runTasks();
    assertEquals(3, owner.channel.takenBytes());
    assertTrue(owner.writeInterest, "a full socket: wait for OP_WRITE");
    assertEquals(List.of(), owner.events, "nothing follows before the last byte is out");
    owner.runUntilIdle();
    String all = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nbody";
    assertEquals(all, owner.channel.taken());
    assertEquals(List.of("RESUME_HTTP after " + all.length() + " bytes"), owner.events);
    assertFalse(owner.writeInterest);
    assertEquals(0, owner.queue.queuedBytes());
  }

  @Test
  void aSocketTakingNothingKeepsEverythingQueued() {
    FakeOwner owner = FakeOwner.over(FakeOutboundChannel.plain().takingAtMost(0));
    owner.queue.add(ascii("abc"));
    owner.queue.add(ascii("de"));
    owner.runTasks();
    assertTrue(owner.writeInterest);
    assertEquals(5, owner.queue.queuedBytes());
    owner.channel.takingAtMost(Integer.MAX_VALUE);
    owner.queue.flush(); // OP_WRITE
    assertEquals("abcde", owner.channel.taken());
    assertFalse(owner.writeInterest);
  }

  @Test
  void aLongQueueYieldsToOtherConnectionsAfterSixteenWrites() {
    FakeOwner owner = FakeOwner.over(FakeOutboundChannel.plain());
    int buffers = OutboundQueue.ROUNDS_PER_TURN * 64 + 10;
    for (int i = 0; i < buffers; i++) owner.queue.add(ascii("x"));
    owner.runTasks();
    assertEquals(OutboundQueue.ROUNDS_PER_TURN, owner.channel.calls().size());
    assertEquals(10, owner.queue.queuedBytes());
    assertTrue(owner.writeInterest, "the rest on the next turn");
    owner.queue.flush();
    assertEquals(buffers, owner.channel.takenBytes());
    assertFalse(owner.writeInterest);
  }

  @Test
  void theLastBytesShutOutputOnceWrittenAndNothingIsAcceptedAfterThem() {
    FakeOwner owner = FakeOwner.over(FakeOutboundChannel.plain().takingAtMost(4));
    owner.queue.add(ascii("HTTP/1.1 400 Bad Request\r\n\r\n"), AfterDrain.SHUTDOWN_OUTPUT);
    owner.queue.add(ascii("too late"));
    owner.queue.add(ascii("too late"), AfterDrain.RESUME_HTTP);
    owner.queue.addFrames(List.of(ascii("too"), ascii("late")), true);
    owner.runUntilIdle();
    assertEquals("HTTP/1.1 400 Bad Request\r\n\r\n", owner.channel.taken());
    assertEquals(List.of("SHUTDOWN_OUTPUT after 28 bytes"), owner.events);
    owner.queue.add(ascii("after shutdown"));
    assertEquals(0, owner.pendingTasks());
    assertEquals(0, owner.queue.queuedBytes());
  }

  @Test
  void closingDropsWhatIsQueuedAndRefusesMore() {
    FakeOwner owner = webSocket(FakeOutboundChannel.plain().takingAtMost(0));
    owner.queue.add(ascii("stuck"));
    owner.queue.add(ascii("behind"));
    assertEquals(11, owner.queue.queuedBytes());
    owner.queue.close();
    assertEquals(0, owner.queue.queuedBytes());
    owner.channel.takingAtMost(Integer.MAX_VALUE);
    owner.runTasks(); // the flush asked for before the close
    owner.queue.add(ascii("after close"));
    owner.queue.addFrames(List.of(ascii("a"), ascii("b")), true);
    owner.queue.flush();
    assertEquals("", owner.channel.taken());
    assertEquals(List.of("write 0"), owner.channel.calls(), "only the write-through before the close");
    assertEquals(0, owner.pendingTasks());
    assertEquals(0, owner.queue.queuedBytes());
  }

  @Test
  void aFailingLoopWriteClosesTheConnection() {
    FakeOwner owner = FakeOwner.over(FakeOutboundChannel.plain());
    owner.channel.fail = true;
    owner.queue.add(ascii("lost"));
    owner.runTasks();
    assertEquals(List.of("close ERROR"), owner.events);
    assertEquals(0, owner.queue.queuedBytes());
  }

  // ------------------------------------------------------------------ write-through

  @Test
  void anIdleWebSocketIsWrittenThroughOnTheCallersThread() throws Exception {
    FakeOwner owner = webSocket(FakeOutboundChannel.plain());
    Thread sender = new Thread(() -> owner.queue.add(ascii("4hello")), "sender");
    sender.start();
    sender.join();
    assertEquals("4hello", owner.channel.taken());
    assertEquals(List.of("sender"), owner.channel.threads());
    assertEquals(0, owner.pendingTasks(), "the loop is not woken");
    assertEquals(0, owner.queue.queuedBytes());
  }

  @Test
  void theLoopsOwnAnswersWaitForTheEndOfItsTurnAndLeaveInOneWrite() {
    // Non-blocking handlers answer on the loop: three answers made in one turn, one gathering write.
    FakeOwner owner = webSocket(FakeOutboundChannel.plain());
    owner.loopThread = Thread.currentThread();
    owner.queue.add(ascii("3[a]"));
    owner.queue.add(ascii("3[b]"));
    owner.queue.add(ascii("3[c]"));
    assertEquals(0, owner.channel.takenBytes(), "nothing written through by the loop");
    assertEquals(1, owner.pendingTasks(), "one flush at the end of the turn");
    owner.runTasks();
    assertEquals("3[a]3[b]3[c]", owner.channel.taken());
    assertEquals(List.of("writev 3/12"), owner.channel.calls());
  }

  @Test
  void writeThroughNeverOvertakesAndNeverRunsWhereTheChannelForbidsIt() {
    // An HTTP response waits for the loop (which resumes reading after it).
    FakeOwner http = FakeOwner.over(FakeOutboundChannel.plain());
    http.queue.add(ascii("response"));
    assertEquals(0, http.channel.takenBytes());
    // Behind a flush already asked for: queued, in order, no second flush task.
    FakeOwner pending = webSocket(FakeOutboundChannel.plain());
    pending.queue.addFrames(List.of(ascii("broadcast")), true);
    pending.queue.add(ascii("-single"));
    assertEquals(0, pending.channel.takenBytes());
    assertEquals(1, pending.pendingTasks());
    pending.runTasks();
    assertEquals("broadcast-single", pending.channel.taken());
    // TLS: only the loop may write.
    FakeOwner tls = webSocket(new FakeOutboundChannel(false));
    tls.queue.add(ascii("frame"));
    assertEquals(0, tls.channel.takenBytes());
    assertEquals(1, tls.pendingTasks());
    // While another thread writes: queued, and flushed when that write ends.
    FakeOwner busy = webSocket(FakeOutboundChannel.plain());
    busy.channel.duringNextWrite = () -> busy.queue.add(ascii("-second"));
    busy.queue.add(ascii("first"));
    assertEquals("first", busy.channel.taken());
    assertEquals(1, busy.pendingTasks());
    busy.runTasks();
    assertEquals("first-second", busy.channel.taken());
    assertEquals(List.of("write 5", "write 7"), busy.channel.calls());
  }

  @Test
  void whatTheSocketDoesNotTakeOfAWriteThroughGoesFirst() {
    FakeOwner owner = webSocket(FakeOutboundChannel.plain().takingAtMost(4));
    owner.channel.duringNextWrite = () -> owner.queue.add(ascii("[queued meanwhile]"));
    owner.queue.add(ascii("[written through]"));
    assertEquals("[wri", owner.channel.taken());
    owner.queue.add(ascii("[after]"));
    owner.runUntilIdle();
    assertEquals("[written through][queued meanwhile][after]", owner.channel.taken());
  }

  @Test
  void aCloseFrameQueuedDuringAWriteThroughWaitsForTheRestOfTheFrame() {
    // The peer must see whole frames: the rest of a frame partly on the wire goes before the close.
    FakeOwner owner = webSocket(FakeOutboundChannel.plain().takingAtMost(4));
    owner.channel.duringNextWrite = () -> owner.queue.add(ascii("<close>"), AfterDrain.SHUTDOWN_OUTPUT);
    owner.queue.add(ascii("<frame>"));
    owner.runUntilIdle();
    assertEquals("<frame><close>", owner.channel.taken());
    assertEquals(List.of("SHUTDOWN_OUTPUT after 14 bytes"), owner.events);
  }

  @Test
  void aFailingWriteThroughClosesTheConnectionOnTheLoop() {
    FakeOwner owner = webSocket(FakeOutboundChannel.plain());
    owner.channel.fail = true;
    owner.queue.add(ascii("lost"));
    assertEquals(List.of(), owner.events, "the sender's thread does not close the connection itself");
    owner.runTasks();
    assertEquals(List.of("close ERROR"), owner.events);
  }

  // ------------------------------------------------------------------ frames and coalescing

  @Test
  void broadcastFramesWaitForTheLoopAndLeaveInOneGatheringWrite() {
    FakeOwner owner = webSocket(FakeOutboundChannel.plain());
    ByteBuffer shared = ascii("[one]").asReadOnlyBuffer(); // one encoding for every recipient
    owner.queue.addFrames(List.of(shared), true);
    owner.queue.addFrames(List.of(ascii("[two]"), ascii("[bin]")), true);
    owner.queue.addFrames(List.of(ascii("[three]")), true);
    assertEquals(0, owner.channel.takenBytes(), "a broadcast is never written through");
    assertEquals(1, owner.pendingTasks());
    owner.runTasks();
    assertEquals("[one][two][bin][three]", owner.channel.taken());
    assertEquals(List.of("writev 4/22"), owner.channel.calls());
    assertEquals(0, shared.position(), "frames are duplicated: a shared frame is left as it was");
  }

  @Test
  void aPacketsFramesStayTogetherAndASingleFrameIsWrittenThrough() {
    FakeOwner owner = webSocket(FakeOutboundChannel.plain());
    owner.queue.addFrames(List.of(ascii("[single]")), false);
    assertEquals("[single]", owner.channel.taken(), "one frame, not a broadcast: written through");
    owner.queue.addFrames(List.of(ascii("[packet]"), ascii("[attachment]")), false);
    assertEquals("[single]", owner.channel.taken(), "several frames are queued together");
    owner.runTasks();
    assertEquals("[single][packet][attachment]", owner.channel.taken());
  }

  // ------------------------------------------------------------------ the slow-consumer limit

  @Test
  void aWebSocketQueueOverTheLimitClosesItsConnectionAsASlowConsumer() {
    FakeOwner owner = webSocket(FakeOutboundChannel.plain().takingAtMost(0));
    owner.maxOutboundBytes = 10;
    owner.queue.add(ascii("123456")); // written through: the socket took nothing, 6 queued
    owner.queue.add(ascii("7890"));
    owner.runTasks();
    assertEquals(List.of(), owner.events, "10 bytes are not over the limit");
    owner.queue.addFrames(List.of(ascii("!")), true);
    owner.runTasks();
    assertEquals(List.of("close SLOW_CONSUMER"), owner.events);
    assertEquals(0, owner.queue.queuedBytes());
  }

  @Test
  void anHttpResponseHasNoOutboundLimit() {
    FakeOwner owner = FakeOwner.over(FakeOutboundChannel.plain().takingAtMost(0));
    owner.maxOutboundBytes = 10;
    owner.queue.add(ascii("x".repeat(1000)), AfterDrain.RESUME_HTTP);
    owner.runTasks();
    assertEquals(List.of(), owner.events);
    assertEquals(1000, owner.queue.queuedBytes());
  }

  // ------------------------------------------------------------------ TLS's variant

  /** TLS as the queue sees it: no write-through, held records, no data during the handshake. */
  static final class FakeTls extends FakeOutboundChannel {
    volatile boolean handshaking = true;
    volatile boolean holding;

    FakeTls() {
      super(false);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return handshaking ? 0 : super.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return handshaking ? 0 : super.write(src);
    }

    @Override
    public boolean writeHeld() {
      return !holding;
    }

    @Override
    public Progress progress(long written, ByteBuffer last) {
      return written == 0 ? Progress.NOT_READY : Progress.CONTINUE;
    }
  }

  @Test
  void duringTheTlsHandshakeTheQueueWaitsForTheReadThatEndsIt() {
    FakeTls tls = new FakeTls();
    FakeOwner owner = webSocket(tls);
    owner.queue.add(ascii("early"));
    owner.runTasks();
    assertFalse(owner.writeInterest, "becoming writable would not help: no busy OP_WRITE");
    assertEquals(5, owner.queue.queuedBytes());
    tls.handshaking = false;
    owner.queue.flushIfQueued();
    assertEquals("early", tls.taken());
  }

  @Test
  void recordsTlsStillHoldsGoFirstAndAFullSocketWaitsForWritable() {
    FakeTls tls = new FakeTls();
    tls.handshaking = false;
    tls.holding = true;
    FakeOwner owner = FakeOwner.over(tls);
    owner.queue.add(ascii("response"), AfterDrain.SHUTDOWN_OUTPUT);
    owner.runTasks();
    assertTrue(owner.writeInterest);
    assertEquals(0, tls.takenBytes());
    assertEquals(List.of(), owner.events, "output is not shut under records still held");
    tls.holding = false;
    owner.queue.flush();
    assertEquals("response", tls.taken());
    assertEquals(List.of("SHUTDOWN_OUTPUT after 8 bytes"), owner.events);
  }
}
