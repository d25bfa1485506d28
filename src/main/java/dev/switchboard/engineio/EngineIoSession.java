package dev.switchboard.engineio;

import dev.switchboard.engineio.protocol.EngineIoProtocol.ErrorCode;
import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoPacketType;
import dev.switchboard.engineio.transport.PollingTransport;
import dev.switchboard.engineio.transport.Transport;
import dev.switchboard.engineio.transport.TransportError;
import dev.switchboard.engineio.transport.TransportListener;
import dev.switchboard.engineio.transport.WebSocketTransport;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SerialExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Engine.IO session: its transport, the upgrade, the heartbeat and the write buffer.
 *
 * <p>Lifecycle: {@code OPEN → (CLOSING) → CLOSED}. CLOSING exists only for a graceful close over
 * polling while no GET is waiting: the close packet sits in the buffer until the next GET
 * collects it (engine.io-protocol §HTTP long-polling). Every ending goes through
 * {@link #close(CloseReason, String)}.
 *
 * <p>Threading: all state lives on {@link #executor()}, a serial executor, and every method that
 * touches it asserts that it runs there. The public {@code send}/{@code close} methods may be
 * called from any thread: they hop onto it, or (a shared message on a settled WebSocket) write to
 * the connection directly (spec-notes/threading.md, "Direct sends").
 */
public final class EngineIoSession implements EngineIoConnection {
  private static final Logger LOG = Logger.getLogger(EngineIoSession.class.getName());

  enum State { OPEN, CLOSING, CLOSED }

  enum UpgradeState { NONE, PROBING, UPGRADED }

  private final String id;
  private final EngineIoServer server;
  private final EngineIoOptions options;
  private final Scheduler scheduler;
  private final SerialExecutor executor;
  // The handshake request, kept as the parts a later look-up needs: the whole HttpRequest (its
  // method, path, query and body strings) was about 230 bytes of every idle session, for ever
  // (BENCHMARKS.md, "Missed: idle memory per 1 000 WebSocket clients"). Only GET opens a session.
  private final HttpHeaders handshakeHeaders;
  private final String handshakeTarget;
  private final String handshakeVersion;
  private final InetSocketAddress remoteAddress;
  private final boolean secure;

  // --- Only accessed on the executor. ---
  private State state = State.OPEN;
  private UpgradeState upgradeState = UpgradeState.NONE;
  private Transport transport;
  private WebSocketTransport probe;
  private boolean probeAnswered;
  /** Packets, and shared messages whose frames are pre-built, waiting for the transport. */
  private final ArrayList<Outbound> writeBuffer = new ArrayList<>();
  private Cancellable pingTimer = Cancellable.NONE;
  private Cancellable pongTimer = Cancellable.NONE;
  private Cancellable upgradeTimer = Cancellable.NONE;
  private Cancellable closingTimer = Cancellable.NONE;
  /** CLOSING: what the client's last poll collects (close or noop), once the buffer is empty. */
  private EngineIoPacket closingPacket;
  private Cancellable noopTimer = Cancellable.NONE;
  private boolean awaitingPong;
  private SessionHandler handler;
  private boolean closeNotified;
  /**
   * The connection whose POST body is arriving for this session, or null: there is at most one
   * (hostile A15), so a field rather than a set (64 bytes of every session, polling or not).
   */
  private Object upload;

  /**
   * The WebSocket transport while the session is OPEN on it, else null: other threads may then
   * hand it shared messages directly ({@link #send(SharedMessage, boolean)}). Written on the
   * executor only.
   */
  private volatile WebSocketTransport direct;
  /**
   * Outbound tasks queued on the executor and not yet run; while any is, nobody writes directly.
   * Updated through {@link #OUTBOUND_TASKS}: an AtomicInteger is 16 bytes more per session.
   */
  private volatile int outboundTasks;
  private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<EngineIoSession> OUTBOUND_TASKS =
      java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(EngineIoSession.class, "outboundTasks");

  /** Read by request routing on worker threads (hostile-inputs A13: transport mismatch). */
  private volatile String transportName;
  private volatile boolean upgradeInProgress;

  private final TransportListener mainListener = new MainListener();
  /** Created by the first upgrade probe: a session opened on WebSocket never has one. */
  private TransportListener probeListener;

  EngineIoSession(String id, EngineIoServer server, EngineIoOptions options, Scheduler scheduler,
      SerialExecutor executor, HttpRequest handshake, InetSocketAddress remoteAddress, boolean secure) {
    this.id = id;
    this.server = server;
    this.options = options;
    this.scheduler = scheduler;
    this.executor = executor;
    this.handshakeHeaders = handshake.headers();
    this.handshakeTarget = handshake.target();
    this.handshakeVersion = handshake.version();
    this.remoteAddress = remoteAddress;
    this.secure = secure;
  }

  // ------------------------------------------------------------------ public API

  /** The session id ({@code sid}): at least 120 random bits, URL-safe. */
  @Override
  public String id() {
    return id;
  }

  /**
   * The request that opened the session (headers, query, url): a GET, rebuilt on each call from
   * what the session keeps (its body, which a handshake GET has no use for, is empty).
   */
  public HttpRequest handshakeRequest() {
    return HttpRequest.of("GET", handshakeTarget, handshakeVersion, handshakeHeaders, EMPTY_BODY);
  }

  /** The headers of the request that opened the session. */
  @Override
  public HttpHeaders handshakeHeaders() {
    return handshakeHeaders;
  }

  /** The request target (path and query, as received) of the request that opened the session. */
  @Override
  public String handshakeTarget() {
    return handshakeTarget;
  }

  private static final byte[] EMPTY_BODY = new byte[0];

  @Override
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  /** The serial executor all of this session's work runs on. */
  @Override
  public SerialExecutor executor() {
    return executor;
  }

  /** "polling" or "websocket". */
  @Override
  public String transportName() {
    return transportName;
  }

  /** Executor only. Where this session's messages go; see {@link EngineIoListener}. */
  @Override
  public void setHandler(SessionHandler handler) {
    assert onExecutor();
    this.handler = handler;
  }

  /** Queues a text message. Any thread; dropped once the session is closing. */
  @Override
  public void send(String text) {
    queueOutbound(() -> buffer(new Outbound.Packet(EngineIoPacket.message(text))));
  }

  /** Queues a binary message. Any thread. */
  @Override
  public void send(byte[] data) {
    queueOutbound(() -> buffer(new Outbound.Packet(EngineIoPacket.message(data))));
  }

  /**
   * Runs an outbound send on the executor, counted in {@code outboundTasks} until it has run, so
   * that no later direct send ({@link #send(SharedMessage, boolean)}) overtakes it.
   */
  private void queueOutbound(Runnable send) {
    OUTBOUND_TASKS.incrementAndGet(this);
    executor.execute(() -> {
      try {
        send.run();
      } finally {
        OUTBOUND_TASKS.decrementAndGet(this);
      }
    });
  }

  /**
   * Sends a message from any thread, in order with everything this thread sent before. On an
   * open WebSocket with no outbound task waiting on the executor, the frames go straight to the
   * connection from this thread: a broadcast to a thousand sockets then costs a thousand queue
   * appends, not a thousand executor hand-offs. Otherwise it queues a task like any other send, and
   * the direct path stays shut until that task has run — so a later direct send can never
   * overtake an earlier queued one. A volatile message is dropped when the client is not ready
   * ({@link #isReadyForVolatile}).
   */
  @Override
  public void send(SharedMessage message, boolean isVolatile) {
    WebSocketTransport ws = direct;
    if (ws != null && outboundTasks == 0) {
      if (isVolatile && ws.connection().queuedBytes() >= VOLATILE_QUEUE_LIMIT) return;
      ws.sendFrames(message.webSocketFrames(), message.isBroadcast());
      return;
    }
    queueOutbound(() -> {
      if (!isVolatile || isReadyForVolatile()) buffer(message);
    });
  }

  /**
   * Executor only: appends an item to the write buffer and sends what the transport can take.
   * Dropped once the session is closing.
   */
  private void buffer(Outbound item) {
    assert onExecutor();
    if (state != State.OPEN) return;
    writeBuffer.add(item);
    if (writeBuffer.size() > options.maxBufferedPackets()) {
      // A client that does not collect its packets (no GET) is a slow consumer: memory stays bounded.
      close(CloseReason.TRANSPORT_ERROR, "too many buffered packets");
      return;
    }
    flush();
  }

  /**
   * Executor only. Whether a volatile packet should be sent rather than dropped: nothing is
   * waiting ahead of it. Over WebSocket that means the socket's queue is nearly empty; over
   * polling, that the buffer is empty (the packet then leaves with the current or next GET — a
   * client between two polls is not "busy"). Node drops volatile packets whenever the transport
   * is not writable, which over polling drops most of them.
   */
  private boolean isReadyForVolatile() {
    assert onExecutor();
    if (state != State.OPEN || transport == null || !writeBuffer.isEmpty()) return false;
    if (transport instanceof WebSocketTransport ws) {
      return ws.isWritable() && ws.connection().queuedBytes() < VOLATILE_QUEUE_LIMIT;
    }
    return true;
  }

  /** Bytes queued on a WebSocket beyond which volatile packets are dropped. */
  private static final long VOLATILE_QUEUE_LIMIT = 64 * 1024;

  /** Closes the session gracefully: buffered messages are delivered first. Any thread. */
  @Override
  public void close() {
    executor.execute(() -> close(CloseReason.FORCED_CLOSE, "closed by the server"));
  }

  /** Executor only. */
  State state() {
    assert onExecutor();
    return state;
  }

  /** Executor only: whether the session is still open (not closing or closed). */
  @Override
  public boolean isOpen() {
    assert onExecutor();
    return state == State.OPEN;
  }

  private boolean onExecutor() {
    return executor.isCurrentThread();
  }

  /** Executor only: whether a polling GET is waiting for packets. */
  boolean hasWaitingPoll() {
    assert onExecutor();
    return transport instanceof PollingTransport && transport.isWritable();
  }

  /** Executor only: POST bodies arriving right now. */
  int uploadsInProgress() {
    assert onExecutor();
    return upload == null ? 0 : 1;
  }

  /** Executor only: whether a ping is out and its pong not yet back. */
  boolean isAwaitingPong() {
    assert onExecutor();
    return awaitingPong;
  }

  // ------------------------------------------------------------------ opening

  /** Executor: starts a session whose first request (the handshake) is waiting on the transport. */
  void open(Transport first) {
    assert onExecutor();
    setTransport(first);
    // engine.io-protocol §Handshake: the first packet is OPEN with the session parameters.
    writeBuffer.add(new Outbound.Packet(EngineIoPacket.open(server.openPacketJson(id, first.name()))));
    flush();
    openDirectPath();
    schedulePing();
  }

  private void setTransport(Transport t) {
    assert onExecutor();
    transport = t;
    transportName = t.name();
    t.setListener(mainListener);
    direct = null; // opened again by openDirectPath, once what is buffered has gone out
  }

  /**
   * Executor, after a flush: lets other threads hand frames straight to the WebSocket. Only once
   * the buffer is out, or a direct send could overtake packets still waiting in it.
   */
  private void openDirectPath() {
    assert onExecutor();
    direct = state == State.OPEN && transport instanceof WebSocketTransport ws ? ws : null;
  }

  // ------------------------------------------------------------------ requests routed here

  /** Executor: a POST's body started arriving (its head was parsed). */
  void onDataRequestStarted(Object connection) {
    assert onExecutor();
    if (state != State.OPEN) return;
    if (upload != null) {
      // hostile-inputs A15; engine.io polling "data request overlap".
      close(CloseReason.TRANSPORT_ERROR, "data request overlap");
      return;
    }
    upload = connection;
  }

  /** Executor: an announced POST was dropped before it completed (its slot is released, A32). */
  void onDataRequestEnded(Object connection) {
    assert onExecutor();
    if (upload == connection) upload = null;
  }

  /** Executor: a polling GET or POST carrying this sid. */
  void onPollingRequest(dev.switchboard.net.HttpExchange exchange, boolean isGet) {
    assert onExecutor();
    if (!isGet) {
      if (upload == exchange.connection()) upload = null;
      if (upload != null && state == State.OPEN) {
        // A whole POST arrived while another one's body is still on its way (hostile A15).
        server.reject(exchange, ErrorCode.BAD_REQUEST);
        close(CloseReason.TRANSPORT_ERROR, "data request overlap");
        return;
      }
    }
    if (!(transport instanceof PollingTransport polling) || state == State.CLOSED) {
      // Upgraded meanwhile (hostile-inputs A13, C75) or gone (C79).
      server.reject(exchange, state == State.CLOSED ? ErrorCode.SESSION_ID_UNKNOWN : ErrorCode.BAD_REQUEST);
      return;
    }
    if (isGet) polling.onPoll(exchange);
    else polling.onData(exchange);
  }

  /**
   * Executor: a WebSocket upgrade request for this polling session. Returns false if it must be
   * refused (hostile-inputs C74, C77): the caller answers 400 before any 101.
   */
  boolean canStartUpgrade() {
    assert onExecutor();
    return state == State.OPEN
        && options.allowUpgrades()
        && transport instanceof PollingTransport
        && upgradeState == UpgradeState.NONE;
  }

  /** Executor: the 101 has been queued; the probe transport is live. */
  void startUpgrade(WebSocketTransport ws) {
    assert onExecutor();
    probe = ws;
    probeAnswered = false;
    upgradeState = UpgradeState.PROBING;
    upgradeInProgress = true;
    if (probeListener == null) probeListener = new ProbeListener();
    ws.setListener(probeListener);
    // hostile-inputs C73: a probe that never completes is dropped; polling continues.
    upgradeTimer = scheduler.schedule(options.upgradeTimeout(), () -> executor.execute(() -> {
      if (probe == ws) abandonProbe("upgrade timeout");
    }));
  }

  boolean isUpgrading() {
    return upgradeInProgress;
  }

  /**
   * engine.io-protocol §Upgrade: the client pauses polling only once its GET returns, so a GET
   * waiting during the upgrade is released with a noop. Node does it on a 100 ms interval; we
   * wait {@link #UPGRADE_NOOP_DELAY} only, long enough for an upgrade packet that was sent right
   * behind the probe to arrive first (then that GET is refused: the session has moved).
   */
  private void scheduleUpgradeNoop() {
    assert onExecutor();
    noopTimer.cancel();
    noopTimer = scheduler.schedule(UPGRADE_NOOP_DELAY, () -> executor.execute(() -> {
      if (upgradeState == UpgradeState.PROBING && probeAnswered && writeBuffer.isEmpty()
          && transport instanceof PollingTransport && transport.isWritable()) {
        transport.send(List.of(EngineIoPacket.noop()));
      }
    }));
  }

  static final java.time.Duration UPGRADE_NOOP_DELAY = java.time.Duration.ofMillis(10);

  private void abandonProbe(String why) {
    assert onExecutor();
    LOG.log(Level.FINE, "upgrade abandoned: {0}", why);
    noopTimer.cancel();
    upgradeTimer.cancel();
    WebSocketTransport p = probe;
    probe = null;
    probeAnswered = false;
    upgradeState = UpgradeState.NONE;
    upgradeInProgress = false;
    if (p != null) p.abort();
  }

  private void completeUpgrade() {
    assert onExecutor();
    upgradeTimer.cancel();
    noopTimer.cancel();
    WebSocketTransport ws = probe;
    probe = null;
    Transport old = transport;
    setTransport(ws);
    upgradeState = UpgradeState.UPGRADED;
    upgradeInProgress = false;
    // engine.io-protocol §Upgrade: the polling transport is discarded. A client pauses polling
    // before it sends the upgrade packet, so a GET still waiting now raced the upgrade: like any
    // later poll with this sid it gets 400 (the official suite's "ignores HTTP requests with same
    // sid after upgrade"). Nothing is lost: it carried no packets.
    if (old instanceof PollingTransport polling) polling.refuseAndDiscard();
    if (state == State.CLOSING) {
      flush();
      finishClose();
      return;
    }
    flush();
    openDirectPath();
  }

  // ------------------------------------------------------------------ sending

  private void flush() {
    assert onExecutor();
    if (state == State.CLOSED || transport == null || !transport.isWritable()) return;
    if (writeBuffer.isEmpty()) {
      if (state == State.CLOSING && closingPacket != null) {
        transport.send(List.of(closingPacket));
        finishClose();
        return;
      }
      if (probeAnswered && transport instanceof PollingTransport) scheduleUpgradeNoop();
      return;
    }
    if (transport instanceof WebSocketTransport ws) {
      // One piece: a direct send from another thread must not land between a packet and its
      // attachments.
      List<java.nio.ByteBuffer> frames = new ArrayList<>(writeBuffer.size());
      boolean coalesce = false;
      for (Outbound item : writeBuffer) {
        item.addFramesTo(frames);
        coalesce |= item.coalesces();
      }
      writeBuffer.clear();
      // On WebSocket the buffer is used now and then (the OPEN packet, pings): give its array
      // back rather than keep ten slots per idle session.
      writeBuffer.trimToSize();
      ws.sendFrames(frames, coalesce);
      if (state == State.CLOSING) {
        // One ordered stream: the closing packet can follow at once.
        if (closingPacket != null) ws.send(List.of(closingPacket));
        finishClose();
      }
    } else {
      List<EngineIoPacket> batch = new ArrayList<>(writeBuffer.size());
      for (Outbound item : writeBuffer) item.addPacketsTo(batch);
      writeBuffer.clear();
      // CLOSING over polling: the close packet waits for the next GET (below, empty buffer).
      // The spec is silent (EIO §Packet encoding defines the packet, not when it leaves). Node's
      // engine.io waits for "drain", and socket.io-client hands the Socket.IO packets of a payload
      // on a tick later than a close in that same payload, so they would be dropped
      // (spec-notes/engine-io.md, Closing).
      transport.send(batch);
    }
  }

  // ------------------------------------------------------------------ heartbeat

  /** engine.io-protocol §Heartbeat: in v4 the server pings and the client answers with a pong. */
  private void schedulePing() {
    assert onExecutor();
    pingTimer.cancel();
    pingTimer = scheduler.schedule(options.pingInterval(), () -> executor.execute(this::onPingDue));
  }

  private void onPingDue() {
    assert onExecutor();
    if (state != State.OPEN) return;
    awaitingPong = true;
    pongTimer.cancel();
    pongTimer = scheduler.schedule(options.pingTimeout(), () -> executor.execute(() -> {
      if (awaitingPong) close(CloseReason.PING_TIMEOUT, "no pong within pingTimeout");
    }));
    buffer(Outbound.Packet.PING);
  }

  private void onPong() {
    assert onExecutor();
    // hostile-inputs C70: a pong we did not ask for is ignored, so spam cannot add timers.
    if (!awaitingPong) return;
    awaitingPong = false;
    pongTimer.cancel();
    schedulePing();
  }

  // ------------------------------------------------------------------ receiving

  private final class MainListener implements TransportListener {
    @Override
    public void onPacket(Transport source, EngineIoPacket packet) {
      assert onExecutor();
      if (source != transport || state != State.OPEN) return; // hostile-inputs C81
      switch (packet.type()) {
        case MESSAGE -> deliver(packet);
        case PONG -> onPong();
        // engine.io-protocol §Heartbeat: v4 clients never ping (hostile-inputs A25, C68).
        case PING -> close(CloseReason.TRANSPORT_ERROR, "invalid heartbeat direction");
        case CLOSE -> onClientClose();
        // OPEN, UPGRADE and NOOP mean nothing from a client on an established transport;
        // ignored, as Node's engine.io does.
        default -> { }
      }
    }

    @Override
    public void onWritable(Transport source) {
      assert onExecutor();
      if (source != transport) return;
      flush();
    }

    @Override
    public void onError(Transport source, TransportError error, String description) {
      assert onExecutor();
      if (source != transport) return;
      close(switch (error) {
        case PARSE_ERROR -> CloseReason.PARSE_ERROR;
        case TRANSPORT_ERROR -> CloseReason.TRANSPORT_ERROR;
      }, description);
    }

    @Override
    public void onClosed(Transport source) {
      assert onExecutor();
      if (source != transport) return;
      close(CloseReason.TRANSPORT_CLOSE, "transport closed");
    }
  }

  private final class ProbeListener implements TransportListener {
    @Override
    public void onPacket(Transport source, EngineIoPacket packet) {
      assert onExecutor();
      if (source != probe) return;
      if (packet.type() == EngineIoPacketType.PING && "probe".equals(packet.text()) && !probeAnswered) {
        // engine.io-protocol §Upgrade: answer 2probe with 3probe on the new transport.
        probeAnswered = true;
        if (transport.isWritable() && writeBuffer.isEmpty()) scheduleUpgradeNoop();
        probe.send(List.of(EngineIoPacket.pong("probe")));
        flush();
      } else if (packet.type() == EngineIoPacketType.UPGRADE && probeAnswered) {
        completeUpgrade();
      } else {
        // hostile-inputs C72: anything else before the upgrade is a broken probe.
        abandonProbe("unexpected packet during upgrade");
      }
    }

    @Override
    public void onWritable(Transport source) { }

    @Override
    public void onError(Transport source, TransportError error, String description) {
      assert onExecutor();
      if (source == probe) abandonProbe(description);
    }

    @Override
    public void onClosed(Transport source) {
      assert onExecutor();
      if (source == probe) abandonProbe("probe closed");
    }
  }

  /**
   * The client sent the close packet. Node releases a waiting GET with a noop, not a close packet
   * (official suite "forcefully closes the session"). The client's GET may still be on its way —
   * its POST can overtake it on another connection — so if none waits, the next GET within
   * pingTimeout gets that noop instead of an error; every request after it gets 400 code 1.
   */
  private void onClientClose() {
    assert onExecutor();
    if (transport instanceof PollingTransport polling && !polling.isWritable()) {
      closeAfterNextPoll(CloseReason.TRANSPORT_CLOSE, "closed by the client", EngineIoPacket.noop());
      return;
    }
    if (transport instanceof PollingTransport polling) polling.discard();
    close(CloseReason.TRANSPORT_CLOSE, "closed by the client");
  }

  /** Executor: ends the session now, but lets the next GET (within pingTimeout) collect {@code last}. */
  private void closeAfterNextPoll(CloseReason reason, String description, EngineIoPacket last) {
    assert onExecutor();
    direct = null;
    pingTimer.cancel();
    pongTimer.cancel();
    awaitingPong = false;
    if (probe != null) abandonProbe("session closing");
    state = State.CLOSING;
    closingPacket = last;
    notifyClosed(reason, description);
    closingTimer = scheduler.schedule(options.pingTimeout(), () -> executor.execute(this::finishClose));
  }

  private void deliver(EngineIoPacket packet) {
    assert onExecutor();
    SessionHandler h = handler;
    if (h == null) return;
    try {
      if (packet.isBinary()) h.onBinary(packet.binary());
      else h.onMessage(packet.text());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "message handler failed", e);
    }
  }

  // ------------------------------------------------------------------ closing

  /**
   * Executor: the one way a session ends. Idempotent. A server-side close over polling delivers
   * what is buffered plus the close packet first; every other reason drops the transport now.
   */
  void close(CloseReason reason, String description) {
    assert onExecutor();
    if (state == State.CLOSED) return;
    direct = null;
    pingTimer.cancel();
    pongTimer.cancel();
    awaitingPong = false;
    if (probe != null) abandonProbe("session closing");
    boolean graceful = reason == CloseReason.FORCED_CLOSE || reason == CloseReason.SERVER_SHUTDOWN;
    if (graceful && state == State.OPEN && transport instanceof PollingTransport
        && (!transport.isWritable() || !writeBuffer.isEmpty())) {
      // Buffered packets first, in this GET or the next; the close packet with the GET after
      // them (flush), but not for ever (pingTimeout).
      closeAfterNextPoll(reason, description, EngineIoPacket.close());
      flush();
      return;
    }
    if (graceful && state == State.OPEN) {
      if (transport instanceof PollingTransport) writeBuffer.add(new Outbound.Packet(EngineIoPacket.close()));
      flush();
    }
    notifyClosed(reason, description);
    finishClose();
  }

  private void finishClose() {
    assert onExecutor();
    if (state == State.CLOSED) return;
    state = State.CLOSED;
    closingTimer.cancel();
    noopTimer.cancel();
    writeBuffer.clear();
    if (transport != null) transport.close();
    server.remove(this);
  }

  private void notifyClosed(CloseReason reason, String description) {
    assert onExecutor();
    if (closeNotified) return;
    closeNotified = true;
    LOG.log(Level.FINE, "session closed: {0} ({1})", new Object[] {reason.wireName(), description});
    SessionHandler h = handler;
    if (h != null) {
      try {
        h.onClose(reason, description);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "close handler failed", e);
      }
    }
  }
}
