package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.EngineIoSession.State;
import dev.switchboard.engineio.transport.PollingTransport;
import dev.switchboard.engineio.transport.ResponseDecorator;
import dev.switchboard.engineio.transport.WebSocketTransport;
import dev.switchboard.websocket.CloseCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineIoSession}'s state machines in memory (the class javadoc's tables): the heartbeat,
 * the typed reasons transports report, the handler told once on leaving OPEN, a probe dropped,
 * and the thread check on executor-only methods. Polling with GETs, and the wire, are specified
 * end to end in {@link EngineIoPollingTest} and {@link EngineIoWebSocketTest}.
 */
class EngineIoSessionTest {
  private final SessionFixture fixture = new SessionFixture();
  private final EngineIoSession session = fixture.session;
  private final FakeWebSocketConnection conn = new FakeWebSocketConnection();
  private final WebSocketTransport ws = fixture.webSocket(conn);
  /** What the handler was told, as "reason: description" or "message: text"; executor only. */
  private final List<String> told = new ArrayList<>();
  /** Whether the session said it was open while its handler was being told it closed. */
  private final List<Boolean> openDuringOnClose = new ArrayList<>();

  @BeforeEach
  void start() {
    fixture.onExecutor(() -> session.setHandler(new SessionHandler() {
      @Override
      public void onMessage(String text) {
        told.add("message: " + text);
      }

      @Override
      public void onBinary(byte[] data) {
        told.add("binary: " + data.length);
      }

      @Override
      public void onClose(CloseReason reason, String description) {
        told.add(reason.wireName() + ": " + description);
        openDuringOnClose.add(session.isOpen());
      }
    }));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void openOnWebSocket() {
    fixture.onExecutor(() -> session.open(ws));
  }

  /** Moves the fake clock, then waits until the session's executor has run what fell due. */
  private void advance(Duration d) {
    fixture.clock.advanceBy(d);
    fixture.onExecutor(() -> { });
  }

  private List<String> told() {
    List<String> copy = new ArrayList<>();
    fixture.onExecutor(() -> copy.addAll(told));
    return copy;
  }

  private State state() {
    List<State> s = new ArrayList<>();
    fixture.onExecutor(() -> s.add(session.state()));
    return s.get(0);
  }

  @Test
  void executorOnlyMethodsRefuseOtherThreads() {
    // The checks are asserts: on in every test run (surefire's default -ea), off in production.
    assertThrows(AssertionError.class, session::isOpen);
    assertThrows(AssertionError.class, () -> session.setHandler(null));
    assertThrows(AssertionError.class, () -> session.close(CloseReason.FORCED_CLOSE, "x"));
    assertThrows(AssertionError.class, session::hasWaitingPoll);
  }

  @Test
  void heartbeatPingsAndAPongSchedulesTheNext() {
    // engine.io-protocol §Heartbeat: the server pings every pingInterval.
    openOnWebSocket();
    advance(fixture.options.pingInterval());
    assertEquals("2", conn.written().get(1));
    fixture.onExecutor(() -> assertTrue(session.isAwaitingPong()));
    fixture.onExecutor(() -> ws.onText("3"));
    fixture.onExecutor(() -> assertFalse(session.isAwaitingPong()));
    advance(fixture.options.pingTimeout());
    assertEquals(State.OPEN, state(), "answered: the pong timer is gone");
    advance(fixture.options.pingInterval().minus(fixture.options.pingTimeout()));
    assertEquals(List.of("2", "2"), conn.written().subList(1, 3));
  }

  @Test
  void noPongWithinPingTimeoutClosesWithPingTimeout() {
    openOnWebSocket();
    advance(fixture.options.pingInterval());
    advance(fixture.options.pingTimeout());
    assertEquals(List.of("ping timeout: no pong within pingTimeout"), told());
    assertEquals(State.CLOSED, state());
    assertEquals(CloseCodes.NORMAL, conn.closeCode());
    assertEquals(0, fixture.clock.pendingTasks(), "no timer outlives the session");
  }

  @Test
  void anUnaskedPongIsIgnored() {
    // hostile-inputs.md#C70
    openOnWebSocket();
    int timers = fixture.clock.pendingTasks();
    fixture.onExecutor(() -> ws.onText("3"));
    fixture.onExecutor(() -> ws.onText("3"));
    assertEquals(timers, fixture.clock.pendingTasks());
    assertEquals(State.OPEN, state());
  }

  @Test
  void anUndecodableWebSocketPacketIsAParseError() {
    // engine.io-protocol §Packet encoding: "7" is no packet type. Node closes with "parse error".
    openOnWebSocket();
    fixture.onExecutor(() -> ws.onText("7"));
    List<String> t = told();
    assertEquals(1, t.size(), t.toString());
    assertTrue(t.get(0).startsWith("parse error: "), t.toString());
    assertEquals(State.CLOSED, state());
  }

  @Test
  void aWebSocketFrameViolationIsATransportError() {
    // RFC 6455 §7.4.1: our decoder closed with 1002; the session ends with "transport error".
    openOnWebSocket();
    fixture.onExecutor(() -> ws.onClose(CloseCodes.PROTOCOL_ERROR, "unmasked frame"));
    assertEquals(List.of("transport error: unmasked frame"), told());
  }

  @Test
  void theHandlerIsToldOnceWhenTheSessionLeavesOpenAndNothingFollows() {
    openOnWebSocket();
    fixture.onExecutor(() -> ws.onText("4hello"));
    fixture.onExecutor(() -> session.close(CloseReason.FORCED_CLOSE, "bye"));
    fixture.onExecutor(() -> session.close(CloseReason.TRANSPORT_ERROR, "again"));
    fixture.onExecutor(() -> ws.onText("4late"));
    assertEquals(List.of("message: hello", "forced close: bye"), told());
    fixture.onExecutor(() -> assertEquals(List.of(false), openDuringOnClose));
  }

  @Test
  void aServerCloseOverWebSocketEndsWithTheCloseFrameAfterWhatWasSent() {
    openOnWebSocket();
    session.send("last");
    session.close();
    fixture.onExecutor(() -> { });
    assertEquals("4last", conn.written().get(1));
    assertEquals(CloseCodes.NORMAL, conn.closeCode());
    assertEquals(List.of("forced close: closed by the server"), told());
  }

  @Test
  void aServerCloseOverPollingWithNoGetLingersUntilPingTimeout() {
    // spec-notes/engine-io.md, Closing: the close packet waits for a GET, but not for ever.
    PollingTransport polling = new PollingTransport(fixture.executor, ResponseDecorator.NONE);
    fixture.onExecutor(() -> session.open(polling));
    session.send("pending");
    fixture.onExecutor(() -> session.close(CloseReason.FORCED_CLOSE, "bye"));
    assertEquals(State.CLOSING_BY_SERVER, state());
    assertEquals(List.of("forced close: bye"), told(), "told on leaving OPEN, not on CLOSED");
    advance(fixture.options.pingTimeout());
    assertEquals(State.CLOSED, state());
    assertEquals(List.of("forced close: bye"), told());
  }

  @Test
  void anythingButTheProbeOnTheProbeDropsItAndPollingGoesOn() {
    // hostile-inputs.md#C72
    PollingTransport polling = new PollingTransport(fixture.executor, ResponseDecorator.NONE);
    fixture.onExecutor(() -> session.open(polling));
    fixture.onExecutor(() -> {
      session.startUpgrade(ws);
      ws.onText("4hello");
    });
    assertTrue(conn.isAborted());
    fixture.onExecutor(() -> assertTrue(session.canStartUpgrade(), "a new probe may start"));
    assertEquals("polling", session.transportName());
    assertEquals(State.OPEN, state());
  }

  @Test
  void anUnfinishedUpgradeTimesOut() {
    // hostile-inputs.md#C73
    PollingTransport polling = new PollingTransport(fixture.executor, ResponseDecorator.NONE);
    fixture.onExecutor(() -> session.open(polling));
    fixture.onExecutor(() -> {
      session.startUpgrade(ws);
      ws.onText("2probe");
    });
    assertEquals(List.of("3probe"), conn.written());
    advance(fixture.options.upgradeTimeout());
    assertTrue(conn.isAborted());
    assertEquals("polling", session.transportName());
    fixture.onExecutor(() -> assertTrue(session.canStartUpgrade(), "a new probe may start"));
  }
}
