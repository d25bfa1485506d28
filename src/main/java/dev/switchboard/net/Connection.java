package dev.switchboard.net;

import dev.switchboard.http.HttpParseException;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpRequestParser;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.http.HttpResponseWriter;
import dev.switchboard.net.OutboundQueue.AfterDrain;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.MessageDeflater;
import dev.switchboard.websocket.PerMessageDeflate;
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
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection: HTTP/1.1 until an upgrade, then WebSocket.
 *
 * <p>Threading: everything that reads, parses, changes {@link #mode} or touches the selection
 * key runs on the owning {@link IoLoop}'s thread. Writers ({@link #sendHttpResponse}, the
 * {@link WebSocketConnection} methods) may be called from any thread: they hand their bytes to
 * the connection's {@link OutboundQueue}, which owns the write path (queueing for the loop,
 * write-through, coalescing, the slow-consumer limit). The queue calls back on the loop thread
 * ({@link OutboundQueue.Owner}) when the socket is full, when it has drained, or to close.
 *
 * <p>Its {@link Mode} changes only in {@link #moveTo}, which checks the transition and does what
 * entering the mode needs (the deadline, read interest, the state the mode uses):
 * <pre>
 *   from                       to               why
 *   NEW                        HTTP_IDLE        registered with the loop
 *   HTTP_IDLE                  HTTP_RECEIVING   the first bytes of a request (they now have a deadline)
 *   HTTP_IDLE, HTTP_RECEIVING  HTTP_DISPATCHED  a whole request, handed to the handler
 *   HTTP_IDLE, HTTP_RECEIVING  CLOSING          a bad (400…) or slow (408) request: answered, then shut
 *   HTTP_DISPATCHED            HTTP_IDLE        its keep-alive response is written: the next request
 *   HTTP_DISPATCHED            WEBSOCKET        upgraded: the 101 is queued, frames follow
 *   HTTP_DISPATCHED            CLOSING          no keep-alive and its response written; closed mid-upgrade
 *   WEBSOCKET                  CLOSING          our close frame is queued (ours, or the echo of the peer's)
 *   CLOSING                    CLOSING          output shut after the last bytes: the close timer restarts
 *   any                        CLOSED           {@link #closeNow}, the one place a connection ends
 * </pre>
 * Deadlines on entry: HTTP_IDLE keep-alive, HTTP_RECEIVING request, CLOSING close, the others
 * none (a dispatched request is held as long as the application wants — long-polling; a
 * WebSocket's liveness is Engine.IO's heartbeat).
 */
final class Connection implements WebSocketConnection, OutboundQueue.Owner {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** What the connection's bytes mean right now; the class comment tables the transitions. */
  enum Mode {
    /** Accepted, not yet registered with its loop. */
    NEW,
    /** HTTP, between requests: no byte of the next one yet. */
    HTTP_IDLE,
    /** HTTP, part of a request has arrived. */
    HTTP_RECEIVING,
    /** A whole request is with the handler; bytes that follow are kept for later. */
    HTTP_DISPATCHED,
    /** WebSocket frames. */
    WEBSOCKET,
    /** Ending: our last bytes are queued or sent; input is read and dropped until the peer's FIN. */
    CLOSING,
    /** Closed. */
    CLOSED;

    boolean canMoveTo(Mode next) {
      if (next == CLOSED) return this != CLOSED;
      return switch (this) {
        case NEW -> next == HTTP_IDLE;
        case HTTP_IDLE -> next == HTTP_RECEIVING || next == HTTP_DISPATCHED || next == CLOSING;
        case HTTP_RECEIVING -> next == HTTP_DISPATCHED || next == CLOSING;
        case HTTP_DISPATCHED -> next == HTTP_IDLE || next == WEBSOCKET || next == CLOSING;
        case WEBSOCKET, CLOSING -> next == CLOSING;
        case CLOSED -> false;
      };
    }

    boolean readsHttp() {
      return this == HTTP_IDLE || this == HTTP_RECEIVING;
    }
  }

  private final NetServer server;
  private final IoLoop loop;
  private final SocketChannel channel;
  private final InetSocketAddress remote;
  /** TLS state, or null on a plain connection. Loop thread only. */
  private final TlsChannel tls;
  private SelectionKey key;

  // --- Only accessed by the loop thread. ---
  private Mode mode = Mode.NEW;
  /**
   * The HTTP parser, until the 101: a WebSocket never parses HTTP again, and the parser with its
   * line buffer (about 400 bytes) was a sixth of an idle connection's heap (BENCHMARKS.md,
   * "Missed: idle memory per 1 000 WebSocket clients").
   */
  private HttpRequestParser parser;
  /** Bytes read but not yet parsed: the next pipelined request, or frames glued to an upgrade. */
  private byte[] pending;
  private HttpExchange exchange;
  /**
   * The request whose body is arriving, once its head was announced to the handler: the head,
   * and what the minimum body rate is checked against. Null otherwise (one reference, as the
   * announced head alone was before).
   */
  private Receiving receiving;
  /** Nanos at which {@link #onTimeout} fires; 0 = none. */
  private long deadline;
  private WebSocketFrameDecoder decoder;
  private boolean closeNotified;

  /** A body still arriving: see {@link #receiving}. Loop thread only. */
  private static final class Receiving {
    final HttpRequest head;
    /** When the head was complete. */
    final long since;
    /** The request timeout's deadline; 0 until the request's deadline is set. */
    long requestDeadline;

    Receiving(HttpRequest head, long since) {
      this.head = head;
      this.since = since;
    }
  }

  /** How often a body still arriving after the grace period has its rate checked. */
  private static final long RATE_CHECK_NANOS = 1_000_000_000L;

  // --- Set before the loop switches mode; read on the loop and handler threads. ---
  private volatile WebSocketHandler wsHandler;
  private volatile Executor wsExecutor;

  /** Every byte this connection writes goes through it. Any thread. */
  private final OutboundQueue queue;
  /**
   * permessage-deflate's sending side, or null when it was not negotiated (the usual case: one
   * null reference per connection). Set in {@link #upgrade} before the connection is handed out.
   */
  private volatile Compression compression;

  Connection(NetServer server, IoLoop loop, SocketChannel channel, InetSocketAddress remote) {
    this.server = server;
    this.loop = loop;
    this.channel = channel;
    this.remote = remote;
    this.parser = new HttpRequestParser(server.options().httpLimits(), loop.sharedStrings, server.bodyPolicy());
    javax.net.ssl.SSLContext ssl = server.options().sslContext().orElse(null);
    if (ssl != null) {
      javax.net.ssl.SSLEngine engine = ssl.createSSLEngine(remote.getHostString(), remote.getPort());
      engine.setUseClientMode(false);
      this.tls = new TlsChannel(engine, channel);
    } else {
      this.tls = null;
    }
    this.queue = new OutboundQueue(this, tls != null ? tls : OutboundChannel.plain(channel));
  }

  /** The proxies whose X-Forwarded-For names the client ({@link HttpExchange#clientAddress()}). */
  TrustedProxies trustedProxies() {
    return server.options().trustedProxies();
  }

  /** Whether this connection is TLS (for {@code handshake.secure}). */
  boolean isSecure() {
    return tls != null;
  }

  /** Loop thread: registers with the selector and starts reading. */
  void register() throws IOException {
    key = channel.register(loop.selector, SelectionKey.OP_READ, this);
    loop.add(this);
    moveTo(Mode.HTTP_IDLE);
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
      } catch (TlsChannel.RenegotiationRefused e) {
        LOG.debug("TLS renegotiation refused from {}", remote);
        closeNow(CloseCause.RENEGOTIATION_REFUSED);
        return;
      } catch (IOException e) {
        LOG.debug("TLS read failed: {}", e.getMessage());
        closeNow(CloseCause.ERROR);
        return;
      }
      if (tls.hasPendingOutput()) setWriteInterest(true);
      // The handshake may have just finished: send what waited for it.
      if (!tls.isHandshaking()) queue.flushIfQueued();
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
      case HTTP_IDLE, HTTP_RECEIVING -> processHttp(buf);
      case HTTP_DISPATCHED -> stash(buf);
      case WEBSOCKET -> feedWebSocket(buf);
      // Draining until the peer closes; RFC 6455 §5.5.1: ignore data after close.
      case NEW, CLOSING, CLOSED -> { }
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
    while (mode.readsHttp() && buf.hasRemaining()) {
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
          if (result.expectContinue()) queue.add(ByteBuffer.wrap(CONTINUE));
          receiving = new Receiving(result.head(), loop.now());
          server.headReceived(this, receiving.head);
          yield false;
        }
        case REQUEST -> true;
      };
      if (!complete) {
        // All of buf is consumed and a request has begun: its bytes now have a deadline (RFC 9110
        // §15.5.9 408; defeats slowloris), set once so that trickling bytes cannot extend it.
        if (mode == Mode.HTTP_IDLE) moveTo(Mode.HTTP_RECEIVING);
        startBodyRateCheck();
        break;
      }
      receiving = null;
      if (buf.hasRemaining()) {
        pending = new byte[buf.remaining()];
        buf.get(pending);
      }
      dispatch(result.request());
    }
  }

  /**
   * A body has started to arrive: besides the request deadline, its rate is checked from the end
   * of the grace period on ({@link NetOptions#minBodyBytesPerSecond()}; issue #14: slow bodies
   * are cut by a minimum rate, not only by the total timeout).
   */
  private void startBodyRateCheck() {
    Receiving r = receiving;
    if (r == null || r.requestDeadline != 0) return;
    r.requestDeadline = deadline;
    if (server.options().minBodyBytesPerSecond() == 0) return;
    long check = r.since + server.options().bodyRateGracePeriod().toNanos();
    if (check - deadline < 0) deadline = check;
  }

  /**
   * Loop thread, at a deadline before the request's own: whether the body has averaged the
   * minimum rate since its head; if so the next check is set.
   */
  private boolean bodyFastEnough(long now) {
    Receiving r = receiving;
    double seconds = (now - r.since) / 1e9;
    if (parser.bodyBytesReceived() < server.options().minBodyBytesPerSecond() * seconds) return false;
    long next = now + RATE_CHECK_NANOS;
    deadline = next - r.requestDeadline < 0 ? next : r.requestDeadline;
    return true;
  }

  private void dispatch(HttpRequest request) {
    moveTo(Mode.HTTP_DISPATCHED);
    HttpExchange ex = new HttpExchange(request, this);
    exchange = ex;
    server.dispatch(ex);
  }

  private void abandonAnnouncedHead() {
    Receiving r = receiving;
    receiving = null;
    if (r != null) server.headAbandoned(this, r.head);
  }

  private void rejectHttp(HttpParseException e) {
    abandonAnnouncedHead();
    parser.discardBody();
    LOG.debug("bad request from peer: {}", e.getMessage());
    if (e.status() == 413) server.refused(Refusal.BODY_TOO_LARGE, remote);
    if (e.status() == 503) server.refused(Refusal.BODY_BUDGET, remote);
    HttpResponse.Builder b = HttpResponse.status(e.status())
        .header("Content-Type", "text/plain; charset=UTF-8");
    // RFC 9110 §10.2.3: with 503, Retry-After says when the budget is likely to have room again.
    if (e.status() == 503) b.header("Retry-After", "1");
    HttpResponse response = b.body((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8)).build();
    // RFC 9112 §9.6: after an error the framing of what follows is unknown; answer and close.
    queue.add(HttpResponseWriter.encode(response, false), AfterDrain.SHUTDOWN_OUTPUT);
    moveTo(Mode.CLOSING);
  }

  /** Loop thread: the response has been written in full; parse the next request, if any. */
  private void resumeHttp() {
    if (mode != Mode.HTTP_DISPATCHED) return;
    moveTo(Mode.HTTP_IDLE);
    if (pending != null) {
      byte[] p = pending;
      pending = null;
      processHttp(ByteBuffer.wrap(p));
    }
  }

  // ------------------------------------------------------------------ WebSocket (loop thread)

  private void feedWebSocket(ByteBuffer buf) {
    try {
      decoder.feed(buf);
    } catch (WebSocketProtocolException e) {
      LOG.debug("WebSocket protocol error from peer: {}", e.getMessage());
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
      // but does not read our pongs hits maxOutboundBytes like any slow consumer (hostile-inputs.md#B59).
      queue.add(WebSocketFrameEncoder.pong(payload));
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
    if (mode == Mode.CLOSING || mode == Mode.CLOSED) return; // the close frame is on its way
    queue.add(WebSocketFrameEncoder.close(code, reason), AfterDrain.SHUTDOWN_OUTPUT);
    moveTo(Mode.CLOSING);
    notifyClose(code, reason);
  }

  private void notifyClose(int code, String reason) {
    if (closeNotified || wsHandler == null) return;
    closeNotified = true;
    WebSocketHandler h = wsHandler;
    wsExecutor.execute(() -> h.onClose(code, reason));
  }

  /** Any thread. See {@link HttpExchange#upgradeToWebSocket}. */
  WebSocketConnection upgrade(byte[] response101, WebSocketHandler handler, Executor executor, PerMessageDeflate deflate) {
    wsHandler = handler;
    wsExecutor = executor;
    if (deflate != null) compression = new Compression(deflate);
    queue.startWebSocket();
    queue.add(ByteBuffer.wrap(response101));
    loop.execute(() -> {
      if (mode != Mode.HTTP_DISPATCHED) return; // closed meanwhile; onClose already queued
      moveTo(Mode.WEBSOCKET);
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
    sendData(WebSocketFrameEncoder.text(text));
  }

  @Override
  public void sendTextUtf8(byte[] utf8) {
    sendData(WebSocketFrameEncoder.textUtf8(utf8));
  }

  @Override
  public void sendBinary(byte[] data) {
    sendData(WebSocketFrameEncoder.binary(data));
  }

  private void sendData(ByteBuffer frame) {
    Compression c = compression;
    if (c == null) {
      queue.add(frame);
    } else {
      c.send(java.util.List.of(frame), false);
    }
  }

  @Override
  public void sendFrames(java.util.List<ByteBuffer> frames, boolean coalesce) {
    queue.addFrames(frames, coalesce);
  }

  @Override
  public void sendFrames(java.util.List<ByteBuffer> frames, boolean coalesce, boolean compress) {
    Compression c = compression;
    if (c == null || !compress) {
      queue.addFrames(frames, coalesce);
    } else {
      c.send(frames, coalesce);
    }
  }

  @Override
  public PerMessageDeflate deflate() {
    Compression c = compression;
    return c == null ? null : c.params;
  }

  /**
   * The sending side of permessage-deflate (RFC 7692 §7.2.1) for this connection. Compression
   * runs on the sending thread (a session's executor or a broadcaster), never on the I/O loop.
   *
   * <p>With context takeover each message is compressed with the window of the ones before, so
   * the order in which messages are compressed must be the order in which they are queued: one
   * lock covers both, per connection (only on connections that negotiated the extension). The
   * {@link java.util.zip.Deflater} (about 256 KiB native) is made on the first compressed message
   * and ended at close. Without takeover ({@code server_no_context_takeover}) messages are
   * independent: no lock, no compressor of our own, pooled ones are borrowed.
   *
   * <p>The loop thread never waits for the lock: at close it only tries it, and a sender still
   * holding it ends the compressor on its way out.
   */
  private final class Compression {
    final PerMessageDeflate params;
    private final java.util.concurrent.locks.ReentrantLock lock;
    /** Guarded by {@link #lock}. */
    private java.util.zip.Deflater deflater;
    private volatile boolean ended;

    Compression(PerMessageDeflate params) {
      this.params = params;
      this.lock = params.serverNoContextTakeover() ? null : new java.util.concurrent.locks.ReentrantLock();
    }

    /** Any thread: queues {@code frames}, compressing each data frame over the threshold. */
    void send(java.util.List<ByteBuffer> frames, boolean coalesce) {
      if (!needsCompression(frames)) {
        queue.addFrames(frames, coalesce);
        return;
      }
      if (lock == null) {
        queue.addFrames(compressed(frames, null), coalesce);
        return;
      }
      lock.lock();
      try {
        if (ended) return; // closed: the queue drops it anyway
        if (deflater == null) deflater = MessageDeflater.newDeflater();
        queue.addFrames(compressed(frames, deflater), coalesce);
      } finally {
        lock.unlock();
      }
      endIfClosed();
    }

    private boolean needsCompression(java.util.List<ByteBuffer> frames) {
      for (int i = 0, n = frames.size(); i < n; i++) {
        if (worthCompressing(frames.get(i))) return true;
      }
      return false;
    }

    /** RFC 7692 §6: data frames only, each our own whole message; already compressed ones stay. */
    private boolean worthCompressing(ByteBuffer frame) {
      return MessageDeflater.isData(frame) && !MessageDeflater.isCompressed(frame)
          && params.compresses(MessageDeflater.payloadLength(frame));
    }

    private java.util.List<ByteBuffer> compressed(java.util.List<ByteBuffer> frames, java.util.zip.Deflater d) {
      java.util.List<ByteBuffer> out = new java.util.ArrayList<>(frames.size());
      for (int i = 0, n = frames.size(); i < n; i++) {
        ByteBuffer f = frames.get(i);
        if (!worthCompressing(f)) {
          out.add(f);
        } else {
          out.add(d == null ? MessageDeflater.compressAlone(f) : MessageDeflater.compress(d, f));
        }
      }
      return out;
    }

    /** Loop thread, at close. */
    void close() {
      ended = true;
      endIfClosed();
    }

    private void endIfClosed() {
      if (!ended || lock == null || !lock.tryLock()) return;
      try {
        if (deflater != null) deflater.end();
        deflater = null;
      } finally {
        lock.unlock();
      }
    }
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
  public long queuedBytes() {
    return queue.queuedBytes();
  }

  // ------------------------------------------------------------------ writing

  /** Any thread: an HTTP response for the outstanding exchange. */
  void sendHttpResponse(HttpResponse response, boolean keepAlive, boolean headOnly) {
    queue.add(headOnly ? ByteBuffer.wrap(HttpResponseWriter.encodeHead(response, keepAlive))
        : HttpResponseWriter.encode(response, keepAlive),
        keepAlive ? AfterDrain.RESUME_HTTP : AfterDrain.SHUTDOWN_OUTPUT);
  }

  /** Loop thread: the socket can take bytes again. */
  void onWritable() {
    queue.flush();
  }

  /** Loop thread, at shutdown: one last attempt to write what is queued (a close frame, say). */
  void flushBeforeShutdown() {
    if (mode != Mode.CLOSED) queue.flush();
  }

  // ------------------------------------------------------------------ OutboundQueue.Owner

  /** Any thread: runs {@code task} on this connection's loop. */
  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  /** Any thread: whether the caller is this connection's loop (it then queues, see the queue). */
  @Override
  public boolean inLoop() {
    return loop.inLoop();
  }

  @Override
  public long maxOutboundBytes() {
    return server.options().maxOutboundBytes();
  }

  @Override
  public ByteBuffer[] gatherBuffers() {
    return loop.gatherBuffers;
  }

  /** Loop thread: what the last bytes asked for, now that they are written. */
  @Override
  public void onDrained(AfterDrain action) {
    switch (action) {
      case RESUME_HTTP -> resumeHttp();
      case SHUTDOWN_OUTPUT -> shutdownOutput();
      case NOTHING -> { }
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
    moveTo(Mode.CLOSING);
  }

  // ------------------------------------------------------------------ timeouts and closing

  boolean isExpired(long now) {
    return deadline != 0 && now - deadline >= 0;
  }

  void onTimeout() {
    if (mode == Mode.HTTP_RECEIVING) {
      long now = loop.now();
      boolean rateCheck = receiving != null && receiving.requestDeadline != 0 && now - receiving.requestDeadline < 0;
      if (rateCheck && bodyFastEnough(now)) return;
      if (rateCheck) server.refused(Refusal.SLOW_BODY, remote);
      abandonAnnouncedHead();
      parser.discardBody();
      // RFC 9110 §15.5.9: 408 for a request that did not arrive in time (hostile-inputs.md#A17, hostile-inputs.md#A31, hostile-inputs.md#A32).
      HttpResponse r = HttpResponse.status(408)
          .header("Content-Type", "text/plain; charset=UTF-8")
          .body("Request timeout\n".getBytes(StandardCharsets.UTF_8))
          .build();
      queue.add(HttpResponseWriter.encode(r, false), AfterDrain.SHUTDOWN_OUTPUT);
      moveTo(Mode.CLOSING);
      return;
    }
    closeNow(CloseCause.TIMEOUT);
  }

  /** Loop thread: the one place a connection ends. Idempotent. */
  @Override
  public void closeNow(CloseCause cause) {
    if (mode == Mode.CLOSED) return;
    moveTo(Mode.CLOSED);
    queue.close();
    if (key != null) key.cancel();
    try {
      channel.close();
    } catch (IOException ignored) {
      // already gone
    }
    loop.remove(this);
    server.onClosed(this);
    abandonAnnouncedHead();
    if (parser != null) parser.discardBody(); // its bytes go back to the server's budget
    HttpExchange ex = exchange;
    exchange = null;
    pending = null;
    if (ex != null) ex.abort();
    // permessage-deflate's native memory goes back now rather than at garbage collection.
    if (decoder != null) decoder.release();
    Compression c = compression;
    if (c != null) c.close();
    notifyClose(CloseCodes.ABNORMAL, cause.description);
  }

  /**
   * Loop thread: the one place the mode changes. Checks the transition (the table in the class
   * comment) and does what entering {@code next} needs.
   */
  private void moveTo(Mode next) {
    if (!mode.canMoveTo(next)) throw new IllegalStateException("connection " + mode + " -> " + next);
    mode = next;
    switch (next) {
      case HTTP_IDLE -> {
        exchange = null;
        setReadInterest(true);
        deadline = deadlineIn(server.options().keepAliveTimeout());
      }
      case HTTP_RECEIVING -> deadline = deadlineIn(server.options().requestTimeout());
      case HTTP_DISPATCHED -> deadline = 0; // the application decides how long a request is held
      case WEBSOCKET -> {
        exchange = null;
        parser = null; // a WebSocket never parses HTTP again
        deadline = 0; // Engine.IO's heartbeat owns liveness from here on
        Compression c = compression;
        decoder = new WebSocketFrameDecoder(server.options().webSocketLimits(), new FrameSink(), c == null ? null : c.params);
        setReadInterest(true);
      }
      case CLOSING -> {
        // An exchange still outstanding will never be answered (its abort listener runs).
        HttpExchange ex = exchange;
        exchange = null;
        if (ex != null) ex.abort();
        pending = null; // nothing more is parsed
        setReadInterest(true); // to see the peer's FIN
        deadline = deadlineIn(server.options().closeTimeout());
      }
      case CLOSED -> deadline = 0;
      case NEW -> { }
    }
  }

  private long deadlineIn(java.time.Duration d) {
    return loop.now() + d.toNanos();
  }

  private void setReadInterest(boolean on) {
    if (key == null || !key.isValid()) return;
    int ops = key.interestOps();
    key.interestOps(on ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
  }

  @Override
  public void setWriteInterest(boolean on) {
    if (key == null || !key.isValid()) return;
    int ops = key.interestOps();
    int next = on ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
    if (next != ops) key.interestOps(next);
  }

  Mode mode() {
    return mode;
  }
}
