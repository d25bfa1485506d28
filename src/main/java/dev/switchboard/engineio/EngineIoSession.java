package dev.switchboard.engineio;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoPacketType;
import dev.switchboard.engineio.protocol.EngineIoProtocol.ErrorCode;
import dev.switchboard.engineio.transport.PollingTransport;
import dev.switchboard.engineio.transport.Transport;
import dev.switchboard.engineio.transport.TransportError;
import dev.switchboard.engineio.transport.TransportListener;
import dev.switchboard.engineio.transport.WebSocketTransport;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.net.HttpExchange;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.websocket.PerMessageDeflate;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session: its transport, the upgrade, the heartbeat and the write buffer.
 *
 * <p>Three small state machines, each changed in one method (and checked there):
 *
 * <table>
 * <caption>The session ({@link State}; {@link #moveTo})</caption>
 * <tr><th>from</th><th>event</th><th>to</th></tr>
 * <tr><td>OPEN</td><td>a server close over polling with packets still buffered, or no GET
 *     waiting</td><td>CLOSING_BY_SERVER: the next GETs collect the buffer, then {@code 1}</td></tr>
 * <tr><td>OPEN</td><td>the client's {@code 1} over polling with no GET waiting</td>
 *     <td>CLOSING_BY_CLIENT: the GET it may still have on the way collects {@code 6}</td></tr>
 * <tr><td>OPEN</td><td>any other ending</td><td>CLOSED</td></tr>
 * <tr><td>CLOSING_*</td><td>the last packet collected, {@code pingTimeout} elapsed, or any
 *     other ending</td><td>CLOSED</td></tr>
 * </table>
 *
 * <p>Leaving OPEN is when the {@link SessionHandler} is told ({@code onClose}, exactly once), the
 * direct path shuts, the heartbeat stops and a probe is abandoned. Entering CLOSED closes the
 * transport and forgets the sid.
 *
 * <table>
 * <caption>The upgrade ({@link Upgrade}; engine.io-protocol §Upgrade)</caption>
 * <tr><th>from</th><th>event</th><th>to</th></tr>
 * <tr><td>NONE</td><td>a WebSocket with this sid while OPEN on polling</td><td>PROBING</td></tr>
 * <tr><td>PROBING</td><td>{@code 2probe} on it: {@code 3probe} answered, a waiting GET gets
 *     {@code 6}</td><td>PROBE_ANSWERED</td></tr>
 * <tr><td>PROBE_ANSWERED</td><td>{@code 5} on it: the WebSocket becomes the transport</td>
 *     <td>NONE</td></tr>
 * <tr><td>PROBING, PROBE_ANSWERED</td><td>anything else on it, its end, {@code upgradeTimeout},
 *     or the session leaving OPEN: the probe is dropped</td><td>NONE</td></tr>
 * </table>
 *
 * <table>
 * <caption>The heartbeat ({@link Heartbeat}; engine.io-protocol §Heartbeat)</caption>
 * <tr><th>from</th><th>event</th><th>to</th></tr>
 * <tr><td>STOPPED</td><td>open</td><td>PING_SCHEDULED</td></tr>
 * <tr><td>PING_SCHEDULED</td><td>{@code pingInterval} elapsed: {@code 2} sent</td>
 *     <td>AWAITING_PONG</td></tr>
 * <tr><td>AWAITING_PONG</td><td>{@code 3} received</td><td>PING_SCHEDULED</td></tr>
 * <tr><td>AWAITING_PONG</td><td>{@code pingTimeout} elapsed: the session closes</td>
 *     <td>STOPPED</td></tr>
 * <tr><td>any</td><td>the session leaving OPEN</td><td>STOPPED</td></tr>
 * </table>
 *
 * <p>An Engine.IO protocol 3 session ({@link #protocol()} 3, {@code allowEIO3}) turns the heartbeat
 * round (EIO3 §Timeouts: the client pings, the server answers): open → AWAITING_PING; a
 * {@code 2} from the client is answered with {@code 3} and re-arms the wait; no ping within
 * {@code pingInterval + pingTimeout} closes the session with {@code ping timeout}; a {@code 3}
 * from the client is the wrong direction. Such a session never takes the direct path (its binary
 * frames are not the shared v4 frames).
 *
 * <p>Threading: all state lives on {@link #executor()}, a serial executor, and every method that
 * touches it asserts that it runs there. The public {@code send}/{@code close} methods may be
 * called from any thread: they hop onto it, or (a shared message on a settled WebSocket) write
 * to the connection directly (spec-notes/threading.md, "Direct sends"). Other threads read only
 * the volatile {@link #transportName()}, {@code direct} and {@code outboundTasks}.
 */
public final class EngineIoSession implements EngineIoConnection {
  private static final Logger LOG = LoggerFactory.getLogger(EngineIoSession.class);

  /** The session's lifecycle; see the class javadoc. */
  enum State {
    OPEN,
    /** A server close over polling: the GETs that come collect what is buffered, then {@code 1}. */
    CLOSING_BY_SERVER,
    /** The client's close over polling: the GET it may still have on the way collects {@code 6}. */
    CLOSING_BY_CLIENT,
    CLOSED;

    /** The legal moves of the table in the class javadoc. */
    boolean canMoveTo(State next) {
      return switch (this) {
        case OPEN -> next != OPEN;
        case CLOSING_BY_SERVER, CLOSING_BY_CLIENT -> next == CLOSED;
        case CLOSED -> false;
      };
    }
  }

  /** Where an upgrade stands; see the class javadoc. */
  enum Upgrade { NONE, PROBING, PROBE_ANSWERED }

  /** Where the heartbeat stands; see the class javadoc. */
  enum Heartbeat { STOPPED, PING_SCHEDULED, AWAITING_PONG, AWAITING_PING }

  /**
   * engine.io-protocol §Upgrade: how long after the probe (or a GET) a waiting GET is released
   * with a noop; see {@link #scheduleUpgradeNoop}.
   */
  static final Duration UPGRADE_NOOP_DELAY = Duration.ofMillis(10);
  /** Bytes queued on a WebSocket beyond which volatile packets are dropped. */
  private static final long VOLATILE_QUEUE_LIMIT = 64 * 1024;
  private static final byte[] EMPTY_BODY = new byte[0];
  private static final AtomicIntegerFieldUpdater<EngineIoSession> OUTBOUND_TASKS =
      AtomicIntegerFieldUpdater.newUpdater(EngineIoSession.class, "outboundTasks");

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
  /** Engine.IO protocol 3 ({@code EIO=3}); a boolean beside {@code secure}, in the object's padding. */
  private final boolean eio3;

  // --- Only accessed on the executor. ---
  private State state = State.OPEN;
  private Upgrade upgrade = Upgrade.NONE;
  private Heartbeat heartbeat = Heartbeat.STOPPED;
  private Transport transport;
  /** The WebSocket being probed: non-null exactly while {@link #upgrade} is not NONE. */
  private WebSocketTransport probe;
  /** What waits for the transport (a polling client between two GETs, or during an upgrade). */
  private final ArrayList<Outbound> writeBuffer = new ArrayList<>();
  private Cancellable pingTimer = Cancellable.NONE;
  private Cancellable pongTimer = Cancellable.NONE;
  private Cancellable upgradeTimer = Cancellable.NONE;
  private Cancellable closingTimer = Cancellable.NONE;
  private Cancellable noopTimer = Cancellable.NONE;
  private SessionHandler handler;
  /**
   * The connection whose POST body is arriving for this session, or null: there is at most one
   * (hostile-inputs.md#A15), so a field rather than a set (64 bytes of every session, polling or not).
   */
  private Object upload;

  /**
   * The WebSocket transport while the session is OPEN on it and its buffer is out, else null:
   * other threads may then hand it shared messages directly ({@link #send(SharedMessage, boolean)}).
   * Written on the executor only.
   */
  private volatile WebSocketTransport direct;
  /**
   * Outbound tasks queued on the executor and not yet run; while any is, nobody writes directly.
   * Updated through {@link #OUTBOUND_TASKS}: an AtomicInteger is 16 bytes more per session.
   */
  private volatile int outboundTasks;
  /** "polling" or "websocket"; written on the executor, read by any thread. */
  private volatile String transportName;

  private final TransportListener mainListener = new MainListener();
  /** Created by the first upgrade probe: a session opened on WebSocket never has one. */
  private TransportListener probeListener;

  EngineIoSession(String id, EngineIoServer server, EngineIoOptions options, Scheduler scheduler,
      SerialExecutor executor, HttpRequest handshake, InetSocketAddress remoteAddress, boolean secure) {
    this(id, server, options, scheduler, executor, handshake, remoteAddress, secure, false);
  }

  EngineIoSession(String id, EngineIoServer server, EngineIoOptions options, Scheduler scheduler,
      SerialExecutor executor, HttpRequest handshake, InetSocketAddress remoteAddress, boolean secure, boolean eio3) {
    this.eio3 = eio3;
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

  // ------------------------------------------------------------------ any thread

  /** The session id ({@code sid}): at least 120 random bits, URL-safe. Any thread. */
  @Override
  public String id() {
    return id;
  }

  /**
   * The request that opened the session (headers, query, url): a GET, rebuilt on each call from
   * what the session keeps (its body, which a handshake GET has no use for, is empty). Any thread.
   */
  public HttpRequest handshakeRequest() {
    return HttpRequest.of("GET", handshakeTarget, handshakeVersion, handshakeHeaders, EMPTY_BODY);
  }

  /** The headers of the request that opened the session. Any thread. */
  @Override
  public HttpHeaders handshakeHeaders() {
    return handshakeHeaders;
  }

  /** The request target (path and query, as received) of the request that opened the session. */
  @Override
  public String handshakeTarget() {
    return handshakeTarget;
  }

  /** The client's address (see {@link EngineIoConnection#remoteAddress()}). Any thread. */
  @Override
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** Whether the session runs over TLS. Any thread. */
  @Override
  public boolean isSecure() {
    return secure;
  }

  /** 3 for a client that speaks Engine.IO protocol 3 ({@code EIO=3}), else 4. Any thread. */
  @Override
  public int protocol() {
    return eio3 ? 3 : 4;
  }

  /** The serial executor all of this session's work runs on. Any thread. */
  @Override
  public SerialExecutor executor() {
    return executor;
  }

  /** "polling" or "websocket": the transport in use right now. Any thread. */
  @Override
  public String transportName() {
    return transportName;
  }

  /** Queues a text message. Any thread; dropped once the session is closing. */
  @Override
  public void send(String text) {
    queueOutbound(() -> buffer(new Outbound.Packet(EngineIoPacket.message(text))));
  }

  /** Queues a binary message. Any thread; dropped once the session is closing. */
  @Override
  public void send(byte[] data) {
    queueOutbound(() -> buffer(new Outbound.Packet(EngineIoPacket.message(data))));
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
      PerMessageDeflate deflate = ws.connection().deflate();
      if (deflate == null) {
        ws.sendFrames(message.webSocketFrames(), message.isBroadcast());
      } else {
        ws.sendFrames(message.framesFor(deflate), message.isBroadcast(), message.compress());
      }
      return;
    }
    queueOutbound(() -> {
      if (!isVolatile || isReadyForVolatile()) buffer(message);
    });
  }

  /**
   * See {@link EngineIoConnection#sendAfterThisTask}. Queued as a task on the (serial) executor,
   * which runs after the current one; counted in {@code outboundTasks} meanwhile, so that the
   * direct path stays shut and nothing sent later overtakes it.
   */
  @Override
  public void sendAfterThisTask(SharedMessage message) {
    queueOutbound(() -> buffer(message));
  }

  /** See {@link EngineIoConnection#established()}. Any thread. */
  @Override
  public void established() {
    server.established(this);
  }

  /** Closes the session gracefully: buffered messages are delivered first. Any thread. */
  @Override
  public void close() {
    executor.execute(() -> close(CloseReason.FORCED_CLOSE, "closed by the server"));
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

  // ------------------------------------------------------------------ executor only: queries

  private boolean onExecutor() {
    return executor.isCurrentThread();
  }

  /** Executor only. Where this session's messages go; see {@link EngineIoListener}. */
  @Override
  public void setHandler(SessionHandler handler) {
    assert onExecutor();
    this.handler = handler;
  }

  /** Executor only: whether the session is still open (not closing or closed). */
  @Override
  public boolean isOpen() {
    assert onExecutor();
    return state == State.OPEN;
  }

  /** Executor only. */
  State state() {
    assert onExecutor();
    return state;
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
    return heartbeat == Heartbeat.AWAITING_PONG;
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

  // ------------------------------------------------------------------ opening

  /** Executor only: starts a session whose first request (the handshake) is waiting on the transport. */
  void open(Transport first) {
    assert onExecutor();
    setTransport(first);
    // engine.io-protocol §Handshake: the first packet is OPEN with the session parameters.
    writeBuffer.add(new Outbound.Packet(EngineIoPacket.open(server.openPacketJson(id, first.name()))));
    flush();
    openDirectPath();
    if (eio3) awaitClientPing();
    else schedulePing();
  }

  private void setTransport(Transport t) {
    assert onExecutor();
    transport = t;
    transportName = t.name();
    t.setListener(mainListener);
    direct = null; // opened again by openDirectPath, once what is buffered has gone out
  }

  /**
   * Executor only, after a flush: lets other threads hand frames straight to the WebSocket. Only
   * once the buffer is out, or a direct send could overtake packets still waiting in it.
   */
  private void openDirectPath() {
    assert onExecutor();
    direct = !eio3 && state == State.OPEN && transport instanceof WebSocketTransport ws ? ws : null;
  }

  // ------------------------------------------------------------------ requests routed here

  /** Executor only: a POST's body started arriving (its head was parsed). */
  void onDataRequestStarted(Object connection) {
    assert onExecutor();
    if (state != State.OPEN) return;
    if (upload != null) {
      // hostile-inputs.md#A15; engine.io polling "data request overlap".
      close(CloseReason.TRANSPORT_ERROR, "data request overlap");
      return;
    }
    upload = connection;
  }

  /** Executor only: an announced POST was dropped before it completed (its slot is released, A32). */
  void onDataRequestEnded(Object connection) {
    assert onExecutor();
    if (upload == connection) upload = null;
  }

  /** Executor only: a polling GET or POST carrying this sid. */
  void onPollingRequest(HttpExchange exchange, boolean isGet) {
    assert onExecutor();
    if (!isGet) {
      if (upload == exchange.connection()) upload = null;
      if (upload != null && state == State.OPEN) {
        // A whole POST arrived while another one's body is still on its way (hostile-inputs.md#A15).
        server.reject(exchange, ErrorCode.BAD_REQUEST, "data request overlap");
        close(CloseReason.TRANSPORT_ERROR, "data request overlap");
        return;
      }
    }
    if (!(transport instanceof PollingTransport polling) || state == State.CLOSED) {
      // Upgraded meanwhile (hostile-inputs.md#A13, hostile-inputs.md#C75) or gone (hostile-inputs.md#C79).
      if (state == State.CLOSED) server.reject(exchange, ErrorCode.SESSION_ID_UNKNOWN, "session closed");
      else server.reject(exchange, ErrorCode.BAD_REQUEST, "transport mismatch");
      return;
    }
    if (isGet) polling.onPoll(exchange);
    else polling.onData(exchange);
  }

  // ------------------------------------------------------------------ upgrade

  /**
   * Executor only: a WebSocket upgrade request for this session. Returns false if it must be
   * refused (hostile-inputs.md#C74, hostile-inputs.md#C77): the caller completes the handshake and closes it at once.
   */
  boolean canStartUpgrade() {
    assert onExecutor();
    return state == State.OPEN
        && options.allowUpgrades()
        && transport instanceof PollingTransport
        && upgrade == Upgrade.NONE;
  }

  /** Executor only: the 101 has been queued; the probe transport is live. NONE → PROBING. */
  void startUpgrade(WebSocketTransport ws) {
    assert onExecutor();
    assert canStartUpgrade();
    probe = ws;
    upgrade = Upgrade.PROBING;
    if (probeListener == null) probeListener = new ProbeListener();
    ws.setListener(probeListener);
    // hostile-inputs.md#C73: a probe that never completes is dropped; polling continues.
    upgradeTimer = scheduler.schedule(options.upgradeTimeout(), () -> executor.execute(() -> {
      if (probe == ws) abandonProbe("upgrade timeout");
    }));
  }

  /** PROBING → PROBE_ANSWERED: engine.io-protocol §Upgrade, {@code 3probe} on the new transport. */
  private void answerProbe() {
    assert onExecutor();
    assert upgrade == Upgrade.PROBING;
    upgrade = Upgrade.PROBE_ANSWERED;
    if (transport.isWritable() && writeBuffer.isEmpty()) scheduleUpgradeNoop();
    probe.send(List.of(EngineIoPacket.pong("probe")));
    flush();
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
      if (upgrade == Upgrade.PROBE_ANSWERED && writeBuffer.isEmpty()
          && transport instanceof PollingTransport && transport.isWritable()) {
        transport.send(List.of(EngineIoPacket.noop()));
      }
    }));
  }

  /** PROBING or PROBE_ANSWERED → NONE: the probe is dropped, polling goes on. */
  private void abandonProbe(String why) {
    assert onExecutor();
    LOG.debug("upgrade abandoned: {}", why);
    noopTimer.cancel();
    upgradeTimer.cancel();
    WebSocketTransport p = probe;
    probe = null;
    upgrade = Upgrade.NONE;
    if (p != null) p.abort();
  }

  /** PROBE_ANSWERED → NONE, on the WebSocket: the client sent {@code 5}. */
  private void completeUpgrade() {
    assert onExecutor();
    // Leaving OPEN abandons the probe, so an upgrade only completes on an open session.
    assert state == State.OPEN && upgrade == Upgrade.PROBE_ANSWERED;
    upgradeTimer.cancel();
    noopTimer.cancel();
    WebSocketTransport ws = probe;
    probe = null;
    upgrade = Upgrade.NONE;
    Transport old = transport;
    setTransport(ws);
    // engine.io-protocol §Upgrade: the polling transport is discarded. A client pauses polling
    // before it sends the upgrade packet, so a GET still waiting now raced the upgrade: like any
    // later poll with this sid it gets 400 (the official suite's "ignores HTTP requests with same
    // sid after upgrade"). Nothing is lost: it carried no packets.
    if (old instanceof PollingTransport polling) polling.refuseAndDiscard();
    flush();
    openDirectPath();
  }

  // ------------------------------------------------------------------ sending

  /**
   * Executor only: appends an item to the write buffer and sends what the transport can take.
   * Dropped once the session has left OPEN.
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
   * Executor only: hands the whole buffer to the transport if it can take it. On a closing
   * session over polling, once the buffer is out, the next GET collects the last packet.
   */
  private void flush() {
    assert onExecutor();
    if (state == State.CLOSED || transport == null || !transport.isWritable()) return;
    if (writeBuffer.isEmpty()) {
      if (state != State.OPEN) {
        transport.send(List.of(lastPacket()));
        finishClose();
      } else if (upgrade == Upgrade.PROBE_ANSWERED && transport instanceof PollingTransport) {
        scheduleUpgradeNoop();
      }
      return;
    }
    if (eio3 && transport instanceof WebSocketTransport ws) {
      // EIO3 §Encoding › Packet: binary frames carry a type byte, so the shared v4 frames do not fit;
      // the transport frames each packet itself.
      List<EngineIoPacket> batch = new ArrayList<>(writeBuffer.size());
      for (Outbound item : writeBuffer) item.addPacketsTo(batch);
      writeBuffer.clear();
      writeBuffer.trimToSize();
      ws.send(batch);
    } else if (transport instanceof WebSocketTransport ws) {
      // Closing states exist over polling only, and an upgrade never completes once closing.
      assert state == State.OPEN;
      // One piece: a direct send from another thread must not land between a packet and its
      // attachments.
      List<ByteBuffer> frames = new ArrayList<>(writeBuffer.size());
      boolean coalesce = false;
      // permessage-deflate: one compress(false) item keeps the whole batch as it is (RFC 7692 §6
      // lets any message go uncompressed); a batch of several items is rare (open, upgrade).
      PerMessageDeflate deflate = ws.connection().deflate();
      boolean compress = deflate != null;
      for (Outbound item : writeBuffer) {
        if (deflate == null) {
          item.addFramesTo(frames);
        } else {
          item.addFramesTo(frames, deflate);
        }
        coalesce |= item.coalesces();
        compress &= item.compressible();
      }
      writeBuffer.clear();
      // On WebSocket the buffer is used now and then (the OPEN packet, pings): give its array
      // back rather than keep ten slots per idle session.
      writeBuffer.trimToSize();
      ws.sendFrames(frames, coalesce, compress);
    } else {
      List<EngineIoPacket> batch = new ArrayList<>(writeBuffer.size());
      // Node's polling transport compresses a response if any of its packets may be compressed.
      boolean compress = false;
      for (Outbound item : writeBuffer) {
        item.addPacketsTo(batch);
        compress |= item.compressible();
      }
      writeBuffer.clear();
      // CLOSING over polling: the close packet waits for the next GET (above, empty buffer).
      // The spec is silent (EIO §Packet encoding defines the packet, not when it leaves). Node's
      // engine.io waits for "drain", and socket.io-client hands the Socket.IO packets of a payload
      // on a tick later than a close in that same payload, so they would be dropped
      // (spec-notes/engine-io.md, Closing).
      if (transport instanceof PollingTransport polling) {
        polling.send(batch, compress);
      } else {
        transport.send(batch);
      }
    }
  }

  /** What the last GET of a closing session collects: {@code 1}, or {@code 6} if the client closed. */
  private EngineIoPacket lastPacket() {
    assert state == State.CLOSING_BY_SERVER || state == State.CLOSING_BY_CLIENT;
    return state == State.CLOSING_BY_CLIENT ? EngineIoPacket.noop() : EngineIoPacket.close();
  }

  // ------------------------------------------------------------------ heartbeat

  /** STOPPED or AWAITING_PONG → PING_SCHEDULED (engine.io-protocol §Heartbeat: the server pings). */
  private void schedulePing() {
    assert onExecutor();
    heartbeat = Heartbeat.PING_SCHEDULED;
    pingTimer.cancel();
    pingTimer = scheduler.schedule(options.pingInterval(), () -> executor.execute(this::onPingDue));
  }

  /** PING_SCHEDULED → AWAITING_PONG: {@code 2} sent, the pong timer armed. */
  private void onPingDue() {
    assert onExecutor();
    if (heartbeat != Heartbeat.PING_SCHEDULED) return;
    heartbeat = Heartbeat.AWAITING_PONG;
    pongTimer.cancel();
    pongTimer = scheduler.schedule(options.pingTimeout(), () -> executor.execute(() -> {
      if (heartbeat == Heartbeat.AWAITING_PONG) close(CloseReason.PING_TIMEOUT, "no pong within pingTimeout");
    }));
    buffer(Outbound.Packet.PING);
  }

  private void onPong() {
    assert onExecutor();
    // hostile-inputs.md#C70: a pong we did not ask for is ignored, so spam cannot add timers.
    if (heartbeat != Heartbeat.AWAITING_PONG) return;
    pongTimer.cancel();
    schedulePing();
  }

  /**
   * v3 only, → AWAITING_PING: EIO3 §Timeouts, the client pings every pingInterval and the server
   * gives up after pingInterval + pingTimeout without one (Node's {@code resetPingTimeout}). The
   * pong timer is reused: a v3 session never waits for a pong.
   */
  private void awaitClientPing() {
    assert onExecutor();
    heartbeat = Heartbeat.AWAITING_PING;
    pongTimer.cancel();
    pongTimer = scheduler.schedule(options.pingInterval().plus(options.pingTimeout()), () -> executor.execute(() -> {
      if (heartbeat == Heartbeat.AWAITING_PING) close(CloseReason.PING_TIMEOUT, "no ping within pingInterval + pingTimeout");
    }));
  }

  /**
   * v3: the client's ping, answered with a pong carrying the same data (EIO3 §Encoding › Packet, 2 ping;
   * clients send none, so this is the one shared {@code 3}).
   */
  private void onClientPing(String data) {
    assert onExecutor();
    awaitClientPing();
    buffer(data.isEmpty() ? Outbound.Packet.PONG : new Outbound.Packet(EngineIoPacket.pong(data)));
  }

  /** Any → STOPPED, when the session leaves OPEN. */
  private void stopHeartbeat() {
    assert onExecutor();
    heartbeat = Heartbeat.STOPPED;
    pingTimer.cancel();
    pongTimer.cancel();
  }

  // ------------------------------------------------------------------ receiving

  private final class MainListener implements TransportListener {
    @Override
    public void onPacket(Transport source, EngineIoPacket packet) {
      assert onExecutor();
      if (source != transport || state != State.OPEN) return; // hostile-inputs.md#C81
      switch (packet.type()) {
        case MESSAGE -> deliver(packet);
        case PONG -> {
          // EIO3 §Timeouts: a v3 client never sends a pong (Node: "invalid heartbeat direction").
          if (eio3) close(CloseReason.TRANSPORT_ERROR, "invalid heartbeat direction");
          else onPong();
        }
        // engine.io-protocol §Heartbeat: v4 clients never ping (hostile-inputs.md#A25, hostile-inputs.md#C68).
        case PING -> {
          if (eio3) onClientPing(packet.text());
          else close(CloseReason.TRANSPORT_ERROR, "invalid heartbeat direction");
        }
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
      if (packet.type() == EngineIoPacketType.PING && "probe".equals(packet.text())
          && upgrade == Upgrade.PROBING) {
        answerProbe();
      } else if (packet.type() == EngineIoPacketType.UPGRADE && upgrade == Upgrade.PROBE_ANSWERED) {
        completeUpgrade();
      } else {
        // hostile-inputs.md#C72: anything else before the upgrade is a broken probe.
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

  private void deliver(EngineIoPacket packet) {
    assert onExecutor();
    SessionHandler h = handler;
    if (h == null) return;
    try {
      if (packet.isBinary()) h.onBinary(packet.binary());
      else h.onMessage(packet.text());
    } catch (RuntimeException e) {
      LOG.warn("message handler failed", e);
    }
  }

  // ------------------------------------------------------------------ closing

  /**
   * The client sent the close packet. Node releases a waiting GET with a noop, not a close packet
   * (official suite "forcefully closes the session"). The client's GET may still be on its way —
   * its POST can overtake it on another connection — so if none waits, the next GET within
   * pingTimeout gets that noop instead of an error; every request after it gets 400 code 1.
   */
  private void onClientClose() {
    assert onExecutor();
    if (transport instanceof PollingTransport polling) {
      if (!polling.isWritable()) {
        leaveOpen(State.CLOSING_BY_CLIENT, CloseReason.TRANSPORT_CLOSE, "closed by the client");
        return;
      }
      polling.discard();
    }
    close(CloseReason.TRANSPORT_CLOSE, "closed by the client");
  }

  /**
   * Executor only: the one way a session ends. Idempotent. A server-side close (forced, shutdown)
   * delivers what is buffered first: over WebSocket before the close frame; over polling, if
   * anything is buffered or no GET waits, the session lingers in CLOSING_BY_SERVER until a GET
   * collects the close packet (at most pingTimeout). Every other reason drops the transport now; a
   * waiting GET gets {@code 1}.
   */
  void close(CloseReason reason, String description) {
    assert onExecutor();
    switch (state) {
      case CLOSED -> {
        return;
      }
      case CLOSING_BY_SERVER, CLOSING_BY_CLIENT -> {
        finishClose(); // the handler was told when the session left OPEN
        return;
      }
      case OPEN -> { }
    }
    boolean graceful = reason == CloseReason.FORCED_CLOSE || reason == CloseReason.SERVER_SHUTDOWN;
    if (graceful && transport instanceof PollingTransport
        && (!transport.isWritable() || !writeBuffer.isEmpty())) {
      leaveOpen(State.CLOSING_BY_SERVER, reason, description);
      flush(); // the buffer to a waiting GET now; the close packet to the GET after it
      return;
    }
    // Over polling with a GET waiting and nothing buffered, closing the transport gives that GET
    // the close packet; over WebSocket the buffered frames go first, then the close frame.
    leaveOpen(State.CLOSED, reason, description, graceful);
    release();
  }

  private void leaveOpen(State next, CloseReason reason, String description) {
    leaveOpen(next, reason, description, false);
  }

  /**
   * Executor only: OPEN → {@code next}. The direct path shuts, the heartbeat stops, a probe is
   * dropped, {@code flushFirst} sends what is buffered, and the handler is told, once. A closing
   * state waits at most pingTimeout for its last GET.
   */
  private void leaveOpen(State next, CloseReason reason, String description, boolean flushFirst) {
    assert onExecutor();
    direct = null;
    stopHeartbeat();
    if (upgrade != Upgrade.NONE) abandonProbe("session closing");
    if (flushFirst) flush();
    moveTo(next);
    if (next != State.CLOSED) {
      closingTimer = scheduler.schedule(options.pingTimeout(), () -> executor.execute(this::finishClose));
    }
    LOG.debug("session closed: {} ({})", reason.wireName(), description);
    SessionHandler h = handler;
    if (h != null) {
      try {
        h.onClose(reason, description);
      } catch (RuntimeException e) {
        LOG.warn("close handler failed", e);
      }
    }
  }

  /** Executor only: CLOSING_* → CLOSED (the last packet collected, or time is up). Idempotent. */
  private void finishClose() {
    assert onExecutor();
    if (state == State.CLOSED) return;
    moveTo(State.CLOSED);
    release();
  }

  /** Executor only, on entering CLOSED: timers, buffer, transport and the sid go. */
  private void release() {
    assert onExecutor();
    assert state == State.CLOSED;
    closingTimer.cancel();
    noopTimer.cancel();
    writeBuffer.clear();
    if (transport != null) transport.close();
    server.remove(this);
  }

  /** The one place the session state changes. */
  private void moveTo(State next) {
    assert onExecutor();
    assert state.canMoveTo(next) : state + " -> " + next;
    state = next;
  }
}
