package dev.switchboard.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A socket for {@link OutboundQueue} tests: it takes at most {@link #budget} bytes per write (0:
 * a full socket), or fails, and records what it took, each call ({@code write 5},
 * {@code writev 3/12}: buffers/bytes taken) and the thread that made it. Two threads inside a
 * write at once is recorded as {@link #overlap}, which the queue must never cause.
 *
 * <p>Threading: any thread; everything it records is guarded by this.
 */
class FakeOutboundChannel implements OutboundChannel {
  /** Bytes taken per write, asked at each write. */
  volatile IntSupplier budget = () -> Integer.MAX_VALUE;
  /** The next write throws. */
  volatile boolean fail;
  /** Runs inside the next write, once (another thread's add while this one writes, say). */
  volatile Runnable duringNextWrite;
  /**
   * Yields the CPU inside every write, so that other threads' adds land while a write is in
   * progress — the interleavings the ordering rules exist for — far more often than a real
   * socket write's microsecond would allow.
   */
  volatile boolean yieldInsideWrites;
  private final boolean writeThrough;
  private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
  private final List<String> calls = new ArrayList<>();
  private final List<String> threads = new ArrayList<>();
  private final AtomicInteger inside = new AtomicInteger();
  volatile boolean overlap;

  FakeOutboundChannel(boolean writeThrough) {
    this.writeThrough = writeThrough;
  }

  /** A plain socket: any thread may write. */
  static FakeOutboundChannel plain() {
    return new FakeOutboundChannel(true);
  }

  /** Takes {@code n} bytes per write from now on. */
  FakeOutboundChannel takingAtMost(int n) {
    budget = () -> n;
    return this;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return (int) take("write", new ByteBuffer[] {src}, 0, 1);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return take("writev", srcs, offset, length);
  }

  @Override
  public boolean allowsWriteThrough() {
    return writeThrough;
  }

  private long take(String call, ByteBuffer[] srcs, int offset, int length) throws IOException {
    if (inside.incrementAndGet() > 1) overlap = true;
    try {
      Runnable during = duringNextWrite;
      duringNextWrite = null;
      if (during != null) during.run();
      if (yieldInsideWrites) Thread.yield();
      if (fail) throw new IOException("connection reset (fake)");
      long left = budget.getAsInt();
      long took = 0;
      synchronized (this) {
        for (int i = offset; i < offset + length && left > 0; i++) {
          ByteBuffer b = srcs[i];
          int n = (int) Math.min(left, b.remaining());
          byte[] bytes = new byte[n];
          b.get(bytes);
          taken.writeBytes(bytes);
          took += n;
          left -= n;
        }
        calls.add(call.equals("write") ? "write " + took : "writev " + length + "/" + took);
        threads.add(Thread.currentThread().getName());
      }
      return took;
    } finally {
      inside.decrementAndGet();
    }
  }

  /** Everything taken so far, in order, as ASCII. */
  synchronized String taken() {
    return taken.toString(StandardCharsets.ISO_8859_1);
  }

  synchronized int takenBytes() {
    return taken.size();
  }

  /** The write calls so far: {@code write <bytes>} or {@code writev <buffers>/<bytes>}. */
  synchronized List<String> calls() {
    return new ArrayList<>(calls);
  }

  /** The thread of each write call so far. */
  synchronized List<String> threads() {
    return new ArrayList<>(threads);
  }
}
