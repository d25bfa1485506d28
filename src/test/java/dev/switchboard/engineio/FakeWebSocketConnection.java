package dev.switchboard.engineio;

import dev.switchboard.net.WebSocketConnection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link WebSocketConnection} with no socket: it records what is written, as the text of each
 * frame (binary frames as {@code "<binary n bytes>"}), in the order the writes reached it. A test
 * can run code at the start of the next write ({@link #beforeNextWrite}) to make another thread's
 * send happen at exactly that moment.
 *
 * <p>Threading: any thread, like the real connection; writes are recorded under its monitor.
 */
final class FakeWebSocketConnection implements WebSocketConnection {
  private final List<String> written = new ArrayList<>();
  private final AtomicReference<Runnable> beforeNextWrite = new AtomicReference<>();
  private volatile int closeCode = -1;
  private volatile boolean aborted;

  /** Runs {@code hook} once, on the writing thread, when the next write starts. */
  void beforeNextWrite(Runnable hook) {
    beforeNextWrite.set(hook);
  }

  /** The frames written so far, as text. */
  synchronized List<String> written() {
    return List.copyOf(written);
  }

  int closeCode() {
    return closeCode;
  }

  boolean isAborted() {
    return aborted;
  }

  @Override
  public void sendText(String text) {
    write(List.of(text));
  }

  @Override
  public void sendTextUtf8(byte[] utf8) {
    write(List.of(new String(utf8, StandardCharsets.UTF_8)));
  }

  @Override
  public void sendBinary(byte[] data) {
    write(List.of("<binary " + data.length + " bytes>"));
  }

  @Override
  public void sendFrames(List<ByteBuffer> frames, boolean coalesce) {
    List<String> texts = new ArrayList<>(frames.size());
    for (ByteBuffer f : frames) texts.add(payloadOf(f.duplicate()));
    write(texts);
  }

  private void write(List<String> frames) {
    Runnable hook = beforeNextWrite.getAndSet(null);
    if (hook != null) hook.run();
    synchronized (this) {
      written.addAll(frames);
    }
  }

  /** The payload of one unmasked server frame (RFC 6455 §5.2), as text. */
  private static String payloadOf(ByteBuffer frame) {
    int opcode = frame.get() & 0x0f;
    long length = frame.get() & 0x7f;
    if (length == 126) length = frame.getShort() & 0xffff;
    else if (length == 127) length = frame.getLong();
    byte[] payload = new byte[(int) length];
    frame.get(payload);
    return opcode == 0x1 ? new String(payload, StandardCharsets.UTF_8) : "<binary " + length + " bytes>";
  }

  @Override
  public void close(int code, String reason) {
    closeCode = code;
  }

  @Override
  public void abort() {
    aborted = true;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return new InetSocketAddress("127.0.0.1", 1);
  }

  @Override
  public long queuedBytes() {
    return 0;
  }
}
