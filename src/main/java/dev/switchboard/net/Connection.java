package dev.switchboard.net;

import dev.switchboard.http.HttpParseException;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpRequestParser;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.http.HttpResponseWriter;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.WebSocketFrameDecoder;
import dev.switchboard.websocket.WebSocketFrameEncoder;
import dev.switchboard.websocket.WebSocketListener;
import dev.switchboard.websocket.WebSocketProtocolException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One TCP connection: HTTP/1.1 until an upgrade, then WebSocket.
 *
 * <p>Threading: everything that reads, parses, changes {@link #mode} or touches the selection
 * key runs on the owning {@link IoLoop}'s thread. Writers ({@link #sendHttpResponse}, the
 * {@link WebSocketConnection} methods) may be called from any thread: they append to the
 * outbound queue (guarded by this) and ask the loop to flush, so everything queued between two
 * flushes leaves in one gathering write.
 *
 * <p>Write-through: on a plain (non-TLS) WebSocket whose queue is empty and which no thread is
 * writing, the writer's own thread hands the frame to the kernel with one non-blocking write,
 * instead of waking the loop to do it — on a busy server that handoff (a selector wake-up and a
 * context switch) cost more than the write (BENCHMARKS.md, "every message crosses threads").
 * Only what the socket does not take is queued for the loop. One thread at a time writes
 * ({@code writing}), so frames keep their order.
 */
final class Connection implements WebSocketConnection {
  private static final Logger LOG = Logger.getLogger(Connection.class.getName());
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  enum Mode { HTTP_READING, HTTP_DISPATCHED, WEBSOCKET, CLOSING, CLOSED }

  /** What to do once the outbound queue is empty. */
  private enum AfterDrain { NONE, RESUME_HTTP, SHUTDOWN_OUTPUT }

  private final NetServer server;
  private final IoLoop loop;
  private final SocketChannel channel;
  private final InetSocketAddress remote;
  /** TLS state, or null on a plain connection. Loop thread only. */
  private final TlsChannel tls;
  private SelectionKey key;

  // --- Only accessed by the loop thread. ---
  private Mode mode = Mode.HTTP_READING;
  /**
   * The HTTP parser, until the 101: a WebSocket never parses HTTP again, and the parser with its
   * line buffer (about 400 bytes) was a sixth of an idle connection's heap (BENCHMARKS.md,
   * "Missed: idle memory per 1 000 WebSocket clients").
   */
  private HttpRequestParser parser;
  /** Bytes read but not yet parsed: the next pipelined request, or frames glued to an upgrade. */
  private byte[] pending;
  private HttpExchange exchange;
  private boolean requestInProgress;
  /** The head of the request whose body is arriving, once announced to the handler. */
  private HttpRequest announcedHead;
  /** Nanos at which {@link #onTimeout} fires; 0 = none. */
  private long deadline;
  private WebSocketFrameDecoder decoder;
  private boolean closeNotified;
  private boolean closeFrameSent;

  // --- Set before the loop switches mode; read on the loop and handler threads. ---
  private volatile WebSocketHandler wsHandler;
  private volatile Executor wsExecutor;

  // --- Guarded by this. ---
  private final ArrayDeque<ByteBuffer> outQueue = new ArrayDeque<>(4);
  private long outBytes;
  private boolean flushScheduled;
  /** A thread (the loop's flush or a write-through) is inside a channel write. */
  private boolean writing;
  private boolean outputClosed;
  private AfterDrain afterDrain = AfterDrain.NONE;

  private final Runnable flushTask = this::flush;

  Connection(NetServer server, IoLoop loop, SocketChannel channel, InetSocketAddress remote) {
    this.server = server;
    this.loop = loop;
    this.channel = channel;
    this.remote = remote;
    this.parser = new HttpRequestParser(server.options().httpLimits(), loop.sharedStrings);
    javax.net.ssl.SSLContext ssl = server.options().sslContext().orElse(null);
    if (ssl != null) {
      javax.net.ssl.SSLEngine engine = ssl.createSSLEngine(remote.getHostString(), remote.getPort());
      engine.setUseClientMode(false);
      this.tls = new TlsChannel(engine, channel);
    } else {
      this.tls = null;
    }
  }

  /** Whether this connection is TLS (for {@code handshake.secure}). */
  boolean isSecure() {
    return tls != null;
  }

  /** Loop thread: registers with the selector and starts reading. */
  void register() throws IOException {
    key = channel.register(loop.selector, SelectionKey.OP_READ, this);
    loop.add(this);
    deadline = loop.now() + server.options().keepAliveTimeout().toNanos();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  // ------------------------------------------------------------------ reading (loop thread)

  void onReadable() {
    ByteBuffer buf;
    if (tls != null) {
      try {
        buf = tls.read();
      } catch (java.io.EOFException e) {
        onEof();
        return;
      } catch (IOException e) {
        LOG.log(Level.FINE, "TLS read failed: {0}", e.getMessage());
        closeNow(CloseCause.ERROR);
        return;
      }
      if (tls.hasPendingOutput()) setWriteInterest(true);
      // The handshake may have just finished: send what waited for it.
      if (!tls.isHandshaking()) scheduleFlushIfQueued();
      if (!buf.hasRemaining()) return;
    } else {
      buf = loop.readBuffer;
      buf.clear();
      int n;
      try {
        n = channel.read(buf);
      } catch (IOException e) {
        closeNow(CloseCause.ERROR);
        return;
      }
      if (n < 0) {
        onEof();
        return;
      }
      if (n == 0) return;
      buf.flip();
    }
    switch (mode) {
      case HTTP_READING -> processHttp(buf);
      case HTTP_DISPATCHED -> stash(buf);
      case WEBSOCKET -> feedWebSocket(buf);
      case CLOSING, CLOSED -> { } // draining until the peer closes; RFC 6455 §5.5.1: ignore data after close
    }
  }

  private void onEof() {
    closeNow(CloseCause.PEER_CLOSED);
  }

  private void stash(ByteBuffer buf) {
    int have = pending == null ? 0 : pending.length;
    byte[] next = new byte[have + buf.remaining()];
    if (pending != null) System.arraycopy(pending, 0, next, 0, have);
    buf.get(next, have, buf.remaining());
    pending = next;
    // Back-pressure: a client pipelining faster than we answer stops being read.
    if (pending.length > server.options().httpLimits().maxHeaderBytes()) setReadInterest(false);
  }

  private void processHttp(ByteBuffer buf) {
    if (pending != null) {
      ByteBuffer joined = ByteBuffer.allocate(pending.length + buf.remaining());
      joined.put(pending).put(buf).flip();
      pending = null;
      buf = joined;
    }
    while (mode == Mode.HTTP_READING && buf.hasRemaining()) {
      HttpRequestParser.Result result;
      try {
        result = parser.feed(buf);
      } catch (HttpParseException e) {
        rejectHttp(e);
        return;
      }
      // A switch expression, so the compiler checks that no outcome of the parser is forgotten.
      boolean complete = switch (result.kind()) {
        case NEED_MORE -> false;
        case HEAD -> {
          // RFC 9110 §10.1.1: the client waits for this interim answer before sending the body.
          if (result.expectContinue()) enqueue(ByteBuffer.wrap(CONTINUE), null);
          announcedHead = result.head();
          server.headReceived(this, announcedHead);
          yield false;
        }
        case REQUEST -> true;
      };
      if (!complete) break;
      announcedHead = null;
      if (buf.hasRemaining()) {
        pending = new byte[buf.remaining()];
        buf.get(pending);
      }
      dispatch(result.request());
    }
    if (mode == Mode.HTTP_READING) {
      if (parser.hasPartialRequest()) {
        if (!requestInProgress) {
          requestInProgress = true;
          deadline = loop.now() + server.options().requestTimeout().toNanos();
        }
      } else {
        requestInProgress = false;
        deadline = loop.now() + server.options().keepAliveTimeout().toNanos();
      }
    }
  }

  private void dispatch(HttpRequest request) {
    mode = Mode.HTTP_DISPATCHED;
    requestInProgress = false;
    deadline = 0; // the application decides how long a request is held (long-polling)
    HttpExchange ex = new HttpExchange(request, this);
    exchange = ex;
    server.dispatch(ex);
  }

  private void abandonAnnouncedHead() {
    HttpRequest head = announcedHead;
    announcedHead = null;
    if (head != null) server.headAbandoned(this, head);
  }

  private void rejectHttp(HttpParseException e) {
    abandonAnnouncedHead();
    LOG.log(Level.FINE, "bad request from peer: {0}", e.getMessage());
    HttpResponse response = HttpResponse.status(e.status())
        .header("Content-Type", "text/plain; charset=UTF-8")
        .body((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8))
        .build();
    mode = Mode.HTTP_DISPATCHED; // no more parsing on this connection
    pending = null;
    enqueue(HttpResponseWriter.encode(response, false), AfterDrain.SHUTDOWN_OUTPUT);
  }

  /** Loop thread: the response has been written in full; parse the next request, if any. */
  private void resumeHttp() {
    if (mode != Mode.HTTP_DISPATCHED) return;
    exchange = null;
    mode = Mode.HTTP_READING;
    setReadInterest(true);
    if (pending != null) {
      byte[] p = pending;
      pending = null;
      processHttp(ByteBuffer.wrap(p));
    } else {
      deadline = loop.now() + server.options().keepAliveTimeout().toNanos();
    }
  }

  // ------------------------------------------------------------------ WebSocket (loop thread)

  private void feedWebSocket(ByteBuffer buf) {
    try {
      decoder.feed(buf);
    } catch (WebSocketProtocolException e) {
      LOG.log(Level.FINE, "WebSocket protocol error from peer: {0}", e.getMessage());
      startClose(e.closeCode(), e.getMessage());
    }
  }

  private final class FrameSink implements WebSocketListener {
    @Override
    public void onText(String text) {
      WebSocketHandler h = wsHandler;
      wsExecutor.execute(() -> h.onText(text));
    }

    @Override
    public void onBinary(byte[] data) {
      WebSocketHandler h = wsHandler;
      wsExecutor.execute(() -> h.onBinary(data));
    }

    @Override
    public void onPing(byte[] payload) {
      // RFC 6455 §5.5.2: answer with a pong carrying the same payload. A peer that floods pings
      // but does not read our pongs hits maxOutboundBytes like any slow consumer (hostile B59).
      enqueue(WebSocketFrameEncoder.pong(payload), null);
    }

    @Override
    public void onPong(byte[] payload) {
      // RFC 6455 §5.5.3: unsolicited pongs are allowed and need no answer.
    }

    @Override
    public void onClose(int code, String reason) {
      // RFC 6455 §5.5.1: echo the close; the server then closes the TCP connection first.
      int echo = code == CloseCodes.NO_STATUS ? CloseCodes.NORMAL : code;
      startClose(echo, "");
      notifyClose(code, reason);
    }
  }

  /** Loop thread: sends our close frame once, then shuts output and waits for the peer's FIN. */
  private void startClose(int code, String reason) {
    if (mode == Mode.CLOSED) return;
    if (!closeFrameSent) {
      closeFrameSent = true;
      enqueue(WebSocketFrameEncoder.close(code, reason), AfterDrain.SHUTDOWN_OUTPUT);
    }
    mode = Mode.CLOSING;
    deadline = loop.now() + server.options().closeTimeout().toNanos();
    notifyClose(code, reason);
  }

  private void notifyClose(int code, String reason) {
    if (closeNotified || wsHandler == null) return;
    closeNotified = true;
    WebSocketHandler h = wsHandler;
    wsExecutor.execute(() -> h.onClose(code, reason));
  }

  /** Any thread. See {@link HttpExchange#upgradeToWebSocket}. */
  WebSocketConnection upgrade(byte[] response101, WebSocketHandler handler, Executor executor) {
    wsHandler = handler;
    wsExecutor = executor;
    enqueue(ByteBuffer.wrap(response101), null);
    loop.execute(() -> {
      if (mode != Mode.HTTP_DISPATCHED) return; // closed meanwhile; onClose already queued
      mode = Mode.WEBSOCKET;
      exchange = null;
      parser = null; // processHttp runs in HTTP_READING only, and this mode never returns to it
      deadline = 0; // Engine.IO's heartbeat owns liveness from here on
      decoder = new WebSocketFrameDecoder(server.options().webSocketLimits(), new FrameSink());
      setReadInterest(true);
      if (pending != null) {
        ByteBuffer glued = ByteBuffer.wrap(pending);
        pending = null;
        feedWebSocket(glued);
      }
    });
    return this;
  }

  @Override
  public void sendText(String text) {
    enqueue(WebSocketFrameEncoder.text(text), null);
  }

  @Override
  public void sendTextUtf8(byte[] utf8) {
    enqueue(WebSocketFrameEncoder.textUtf8(utf8), null);
  }

  @Override
  public void sendBinary(byte[] data) {
    enqueue(WebSocketFrameEncoder.binary(data), null);
  }

  @Override
  public void sendFrames(java.util.List<ByteBuffer> frames, boolean coalesce) {
    if (!coalesce && frames.size() == 1) {
      enqueue(frames.get(0).duplicate(), null);
      return;
    }
    // A broadcast: writing through would cost one write per frame per connection; queued, the
    // frames of the broadcasts that arrive before the loop comes round leave in one writev
    // (BENCHMARKS.md: 0.19 writev per delivery with 10 broadcasts in flight, 1.00 written through).
    boolean schedule;
    boolean overflow;
    synchronized (this) {
      if (outputClosed) return;
      for (ByteBuffer f : frames) {
        ByteBuffer d = f.duplicate();
        outQueue.add(d);
        outBytes += d.remaining();
      }
      overflow = outBytes > server.options().maxOutboundBytes();
      schedule = !flushScheduled;
      flushScheduled = true;
    }
    if (overflow) loop.execute(() -> closeNow(CloseCause.SLOW_CONSUMER));
    else if (schedule) loop.execute(flushTask);
  }

  @Override
  public void close(int code, String reason) {
    loop.execute(() -> {
      if (mode == Mode.WEBSOCKET || mode == Mode.HTTP_DISPATCHED) startClose(code, reason);
    });
  }

  @Override
  public void abort() {
    loop.execute(() -> closeNow(CloseCause.DONE));
  }

  @Override
  public synchronized long queuedBytes() {
    return outBytes;
  }

  // ------------------------------------------------------------------ writing

  /** Any thread: an HTTP response for the outstanding exchange. */
  void sendHttpResponse(HttpResponse response, boolean keepAlive, boolean headOnly) {
    enqueue(headOnly ? ByteBuffer.wrap(HttpResponseWriter.encodeHead(response, keepAlive))
        : HttpResponseWriter.encode(response, keepAlive),
        keepAlive ? AfterDrain.RESUME_HTTP : AfterDrain.SHUTDOWN_OUTPUT);
  }

  private void enqueue(ByteBuffer buf, AfterDrain after) {
    boolean schedule;
    boolean overflow = false;
    synchronized (this) {
      if (outputClosed) return;
      if (after == null && tls == null && wsHandler != null && !writing && !flushScheduled && outQueue.isEmpty()
          && afterDrain == AfterDrain.NONE) {
        writing = true;
        schedule = false;
      } else {
        outQueue.add(buf);
        outBytes += buf.remaining();
        if (after != null) {
          afterDrain = after;
          if (after == AfterDrain.SHUTDOWN_OUTPUT) outputClosed = true;
        }
        if (wsHandler != null && outBytes > server.options().maxOutboundBytes()) overflow = true;
        schedule = !flushScheduled;
        flushScheduled = true;
        buf = null;
      }
    }
    if (buf != null) {
      writeThrough(buf);
    } else if (overflow) {
      loop.execute(() -> closeNow(CloseCause.SLOW_CONSUMER));
    } else if (schedule) {
      loop.execute(flushTask);
    }
  }

  /** Any thread, holding the {@code writing} turn: one non-blocking write, the rest to the loop. */
  private void writeThrough(ByteBuffer buf) {
    boolean failed = false;
    try {
      channel.write(buf);
    } catch (IOException e) { // reset, or closed by the loop meanwhile
      failed = true;
    }
    boolean schedule;
    synchronized (this) {
      writing = false;
      if (!failed && buf.hasRemaining() && !outputClosed) {
        outQueue.addFirst(buf); // the kernel buffer is full: the loop resumes on OP_WRITE
        outBytes += buf.remaining();
      }
      schedule = !outQueue.isEmpty() && !flushScheduled;
      if (schedule) flushScheduled = true;
    }
    if (failed) loop.execute(() -> closeNow(CloseCause.ERROR));
    else if (schedule) loop.execute(flushTask);
  }

  void onWritable() {
    flush();
  }

  private void scheduleFlushIfQueued() {
    boolean queued;
    synchronized (this) {
      queued = !outQueue.isEmpty();
    }
    if (queued) flush();
  }

  /** Loop thread: writes as much of the queue as the socket takes, many buffers per call. */
  private void flush() {
    if (mode == Mode.CLOSED) return;
    if (tls != null) {
      try {
        if (!tls.flushNet()) {
          setWriteInterest(true);
          return;
        }
      } catch (IOException e) {
        closeNow(CloseCause.ERROR);
        return;
      }
    }
    ByteBuffer[] batch = loop.gatherBuffers;
    for (int round = 0; round < 16; round++) {
      int count = 0;
      synchronized (this) {
        flushScheduled = false;
        // A write-through is in progress: it reschedules us when it ends, if anything is queued.
        if (writing) return;
        for (ByteBuffer b : outQueue) {
          batch[count++] = b;
          if (count == batch.length) break;
        }
        if (count > 0) writing = true;
      }
      if (count == 0) {
        onDrained();
        return;
      }
      long written;
      try {
        // One buffer goes out with write(2), not a one-element writev(2): the JDK skips its iovec
        // setup and the kernel its iovec import (one broadcast delivery is usually one buffer).
        written = tls != null ? tls.write(batch, 0, count)
            : count == 1 ? channel.write(batch[0]) : channel.write(batch, 0, count);
      } catch (IOException e) {
        java.util.Arrays.fill(batch, 0, count, null);
        synchronized (this) {
          writing = false;
        }
        closeNow(CloseCause.ERROR);
        return;
      }
      boolean socketFull = tls != null ? tls.hasPendingOutput() : batch[count - 1].hasRemaining();
      if (tls != null && written == 0 && !socketFull) {
        // Handshake still running: the queue waits; the read that finishes it flushes.
        java.util.Arrays.fill(batch, 0, count, null);
        synchronized (this) {
          writing = false;
        }
        return;
      }
      java.util.Arrays.fill(batch, 0, count, null);
      synchronized (this) {
        writing = false;
        outBytes -= written;
        while (!outQueue.isEmpty() && !outQueue.peekFirst().hasRemaining()) outQueue.pollFirst();
      }
      if (socketFull) {
        setWriteInterest(true); // the kernel buffer is full: resume on OP_WRITE
        return;
      }
    }
    setWriteInterest(true); // a very long queue: let other connections have a turn first
  }

  /** Loop thread, at shutdown: one last attempt to write what is queued (a close frame, say). */
  void flushBeforeShutdown() {
    if (mode != Mode.CLOSED) flush();
  }

  private void onDrained() {
    setWriteInterest(false);
    AfterDrain action;
    synchronized (this) {
      action = afterDrain;
      afterDrain = AfterDrain.NONE;
    }
    switch (action) {
      case RESUME_HTTP -> resumeHttp();
      case SHUTDOWN_OUTPUT -> shutdownOutput();
      case NONE -> { }
    }
  }

  /**
   * Closing the socket with unread input makes the kernel send RST, which can destroy the
   * response we just wrote. So we send FIN and discard input until the peer's FIN, bounded by
   * closeTimeout.
   */
  private void shutdownOutput() {
    if (mode == Mode.CLOSED) return;
    try {
      if (tls != null) tls.closeOutbound(); // close_notify, best effort
      channel.shutdownOutput();
    } catch (IOException e) {
      closeNow(CloseCause.ERROR);
      return;
    }
    if (mode != Mode.CLOSING) {
      HttpExchange ex = exchange;
      exchange = null;
      if (ex != null) ex.abort();
      mode = Mode.CLOSING;
    }
    pending = null;
    setReadInterest(true);
    deadline = loop.now() + server.options().closeTimeout().toNanos();
  }

  // ------------------------------------------------------------------ timeouts and closing

  boolean isExpired(long now) {
    return deadline != 0 && now - deadline >= 0;
  }

  void onTimeout() {
    if (mode == Mode.HTTP_READING && requestInProgress) {
      abandonAnnouncedHead();
      // RFC 9110 §15.5.9: 408 for a request that did not arrive in time (hostile A17, A31, A32).
      HttpResponse r = HttpResponse.status(408)
          .header("Content-Type", "text/plain; charset=UTF-8")
          .body("Request timeout\n".getBytes(StandardCharsets.UTF_8))
          .build();
      mode = Mode.HTTP_DISPATCHED;
      deadline = 0;
      enqueue(HttpResponseWriter.encode(r, false), AfterDrain.SHUTDOWN_OUTPUT);
      deadline = loop.now() + server.options().closeTimeout().toNanos();
      return;
    }
    closeNow(CloseCause.TIMEOUT);
  }

  /** Loop thread: the one place a connection ends. Idempotent. */
  void closeNow(CloseCause cause) {
    if (mode == Mode.CLOSED) return;
    mode = Mode.CLOSED;
    deadline = 0;
    synchronized (this) {
      outputClosed = true;
      outQueue.clear();
      outBytes = 0;
    }
    if (key != null) key.cancel();
    try {
      channel.close();
    } catch (IOException ignored) {
      // already gone
    }
    loop.remove(this);
    server.onClosed(this);
    abandonAnnouncedHead();
    HttpExchange ex = exchange;
    exchange = null;
    pending = null;
    if (ex != null) ex.abort();
    notifyClose(CloseCodes.ABNORMAL, cause.description);
  }

  private void setReadInterest(boolean on) {
    if (key == null || !key.isValid()) return;
    int ops = key.interestOps();
    key.interestOps(on ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
  }

  private void setWriteInterest(boolean on) {
    if (key == null || !key.isValid()) return;
    int ops = key.interestOps();
    int next = on ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
    if (next != ops) key.interestOps(next);
  }

  Mode mode() {
    return mode;
  }
}
