package dev.switchboard.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A small Socket.IO v5 client for tests, over the WebSocket transport of Engine.IO v4 and the
 * main namespace "/". It speaks the wire format by hand (so a test can also send what no real
 * client would) and keeps every packet it receives in an inbox that tests wait on, with a
 * deadline, never a sleep.
 *
 * <pre>{@code
 * try (SocketIoTestClient alice = SocketIoTestClient.connect(io.port(), "{\"token\":\"t\"}")) {
 *   JsonNode answer = alice.emitWithAck("join", Map.of("room", "lobby"));
 *   alice.send("42[\"chat-message\",{\"room\":\"lobby\",\"message\":\"hi\"}]");
 *   JsonNode message = alice.awaitEvent("new-message");
 *   alice.assertNoEvent("error");   // sync() first: anything sent before would have arrived
 * }
 * }</pre>
 *
 * <p>Threading: one reader thread per client reads frames, answers Engine.IO pings with pongs and
 * fills the inbox; every other method is for the test thread (sends are serialised, so the
 * reader's pongs never interleave with them).
 */
public final class SocketIoTestClient implements AutoCloseable {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final String WS_TARGET = "/socket.io/?EIO=4&transport=websocket";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Socket.IO packet types (socket.io-protocol §Packet types). */
  public static final int CONNECT = 0;
  public static final int DISCONNECT = 1;
  public static final int EVENT = 2;
  public static final int ACK = 3;
  public static final int CONNECT_ERROR = 4;

  /** One Socket.IO packet as received: {@code data} is null when the packet had no payload. */
  public record Packet(int type, String namespace, long ackId, JsonNode data) {
    /** The event name of an EVENT packet, else null. */
    public String event() {
      return type == EVENT && data != null && data.path(0).isTextual() ? data.get(0).textValue() : null;
    }

    /** Argument {@code i} of an event (after its name) or an ack; MissingNode when absent. */
    public JsonNode arg(int i) {
      if (data == null) return MissingNode.getInstance();
      return data.path(type == EVENT ? i + 1 : i);
    }
  }

  private final RawWebSocketClient ws;
  private final JsonNode openPacket;
  private final Object sendLock = new Object();
  private final Object inboxLock = new Object();
  /** Guarded by inboxLock. */
  private final List<Packet> inbox = new ArrayList<>();
  /** Guarded by inboxLock. */
  private boolean closed;
  /** Guarded by inboxLock. */
  private int pingsAnswered;
  private final Thread reader;
  private long nextAckId = 1;
  private int syncs;
  private String sid;

  private SocketIoTestClient(RawWebSocketClient ws, JsonNode openPacket) {
    this.ws = ws;
    this.openPacket = openPacket;
    this.reader = new Thread(this::readLoop, "socketio-test-client");
    this.reader.setDaemon(true);
  }

  /** Opens the WebSocket and reads the Engine.IO open packet; no namespace joined yet. */
  public static SocketIoTestClient open(int port) throws IOException {
    RawWebSocketClient ws = RawWebSocketClient.open(port, WS_TARGET);
    if (ws.handshake.status() != 101) {
      ws.close();
      throw new IOException("WebSocket upgrade refused: " + ws.handshake.status());
    }
    String open = ws.readText();
    // engine.io-protocol §Handshake: "0" followed by the JSON open packet.
    if (!open.startsWith("0{")) {
      ws.close();
      throw new IOException("expected the Engine.IO open packet, got " + open);
    }
    SocketIoTestClient c = new SocketIoTestClient(ws, JSON.readTree(open.substring(1)));
    c.reader.start();
    return c;
  }

  /**
   * Opens and joins the main namespace with {@code authJson} as the CONNECT payload (null for
   * none); fails if the server answers CONNECT_ERROR.
   */
  public static SocketIoTestClient connect(int port, String authJson) throws IOException {
    SocketIoTestClient c = open(port);
    try {
      Packet answer = c.sendConnect(authJson);
      if (answer.type() != CONNECT) {
        throw new AssertionError("connection refused: " + answer.data());
      }
      return c;
    } catch (IOException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** Sends CONNECT for "/" and returns the server's CONNECT or CONNECT_ERROR packet. */
  public Packet sendConnect(String authJson) throws IOException {
    send("0" + (authJson == null ? "" : authJson));
    Packet answer = awaitPacket("CONNECT or CONNECT_ERROR for /", DEFAULT_TIMEOUT,
        p -> p.namespace().equals("/") && (p.type() == CONNECT || p.type() == CONNECT_ERROR));
    if (answer.type() == CONNECT) sid = answer.data().path("sid").asText(null);
    return answer;
  }

  /** The socket id the server gave in its CONNECT answer (null before). */
  public String sid() {
    return sid;
  }

  /** The Engine.IO open packet's JSON ({@code sid}, {@code pingInterval}, …). */
  public JsonNode openPacket() {
    return openPacket;
  }

  // ------------------------------------------------------------------ sending

  /** Sends one Socket.IO packet as written, e.g. {@code 42["join",{"room":"x"}]}. */
  public void send(String socketIoPacket) throws IOException {
    sendEngineIo("4" + socketIoPacket);
  }

  private void sendEngineIo(String text) throws IOException {
    synchronized (sendLock) {
      ws.sendText(text);
    }
  }

  /** Sends an event; each argument is converted to JSON by Jackson (a JsonNode is kept as is). */
  public void emit(String event, Object... args) throws IOException {
    send("2" + eventArray(event, args));
  }

  /**
   * Sends an event with an ack id and waits for the ack; returns its first argument. Arguments
   * are converted to JSON by Jackson.
   */
  public JsonNode emitWithAck(String event, Object... args) throws IOException {
    long id = nextAckId++;
    send("2" + id + eventArray(event, args));
    return awaitAck(id).arg(0);
  }

  /**
   * Like {@link #emitWithAck} but each argument is raw JSON text, sent exactly as given
   * ({@code emitRawWithAck("join", "[1,2]")} sends {@code 42N["join",[1,2]]}); no argument
   * sends the event name alone.
   */
  public JsonNode emitRawWithAck(String event, String... rawJsonArgs) throws IOException {
    long id = nextAckId++;
    StringBuilder b = new StringBuilder("2").append(id).append('[').append(JSON.writeValueAsString(event));
    for (String a : rawJsonArgs) b.append(',').append(a);
    send(b.append(']').toString());
    return awaitAck(id).arg(0);
  }

  private static String eventArray(String event, Object[] args) throws JsonProcessingException {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    a.add(event);
    for (Object o : args) a.add(o instanceof JsonNode n ? n : JSON.valueToTree(o));
    return JSON.writeValueAsString(a);
  }

  private Packet awaitAck(long id) {
    return awaitPacket("ack " + id, DEFAULT_TIMEOUT, p -> p.type() == ACK && p.ackId() == id);
  }

  // ------------------------------------------------------------------ receiving

  /** Waits for the next event {@code name} and returns its first argument (the packet is consumed). */
  public JsonNode awaitEvent(String name) {
    return awaitEventPacket(name, DEFAULT_TIMEOUT).arg(0);
  }

  /** Waits for the next event {@code name} whose first argument passes {@code test}. */
  public JsonNode awaitEvent(String name, Predicate<JsonNode> test) {
    return awaitPacket("event " + name, DEFAULT_TIMEOUT, p -> name.equals(p.event()) && test.test(p.arg(0))).arg(0);
  }

  public Packet awaitEventPacket(String name, Duration timeout) {
    return awaitPacket("event " + name, timeout, p -> name.equals(p.event()));
  }

  /** Removes and returns the first argument of every event {@code name} received so far, in order. */
  public List<JsonNode> takeEvents(String name) {
    List<JsonNode> out = new ArrayList<>();
    synchronized (inboxLock) {
      for (Iterator<Packet> it = inbox.iterator(); it.hasNext(); ) {
        Packet p = it.next();
        if (name.equals(p.event())) {
          out.add(p.arg(0));
          it.remove();
        }
      }
    }
    return out;
  }

  /**
   * Waits until the server has handled everything this client sent before, and has written
   * everything it queued for this client before that: after it returns, an event that was going to
   * arrive has arrived. It asks to join a namespace that does not exist; the server answers
   * CONNECT_ERROR on this connection's serial executor, behind everything queued there
   * (socket.io-protocol §CONNECT_ERROR; the connection stays usable, hostile-inputs.md#D94).
   */
  public void sync() throws IOException {
    String nsp = "/__sync-" + (++syncs);
    send("0" + nsp + ",");
    awaitPacket("sync " + nsp, DEFAULT_TIMEOUT, p -> p.type() == CONNECT_ERROR && p.namespace().equals(nsp));
  }

  /** {@link #sync()}, then fails if an event {@code name} is waiting in the inbox. */
  public void assertNoEvent(String name) throws IOException {
    sync();
    List<JsonNode> got = takeEvents(name);
    if (!got.isEmpty()) throw new AssertionError("unexpected event " + name + ": " + got);
  }

  /** {@link #sync()}, then fails if any packet is left unconsumed in the inbox. */
  public void assertExhausted() throws IOException {
    sync();
    synchronized (inboxLock) {
      if (!inbox.isEmpty()) throw new AssertionError("packets left unread: " + inbox);
    }
  }

  /** Waits for the server's DISCONNECT for "/" or the end of the connection. */
  public void awaitDisconnect() {
    long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
    synchronized (inboxLock) {
      while (true) {
        for (Packet p : inbox) {
          if (p.type() == DISCONNECT && p.namespace().equals("/")) return;
        }
        if (closed) return;
        waitUntil(deadline, "disconnect");
      }
    }
  }

  /** Whether the connection has ended (the server closed it, or this client did). */
  public boolean isClosed() {
    synchronized (inboxLock) {
      return closed;
    }
  }

  /** How many Engine.IO pings the reader answered. */
  public int pingsAnswered() {
    synchronized (inboxLock) {
      return pingsAnswered;
    }
  }

  /** Waits for (and consumes) the first packet that passes {@code test}. */
  public Packet awaitPacket(String what, Duration timeout, Predicate<Packet> test) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inboxLock) {
      while (true) {
        for (Iterator<Packet> it = inbox.iterator(); it.hasNext(); ) {
          Packet p = it.next();
          if (test.test(p)) {
            it.remove();
            return p;
          }
        }
        if (closed) throw new AssertionError("connection closed while waiting for " + what + "; inbox: " + inbox);
        waitUntil(deadline, what);
      }
    }
  }

  private void waitUntil(long deadline, String what) {
    assert Thread.holdsLock(inboxLock);
    long left = deadline - System.nanoTime();
    if (left <= 0) throw new AssertionError("timed out waiting for " + what + "; inbox: " + inbox);
    try {
      inboxLock.wait(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what);
    }
  }

  // ------------------------------------------------------------------ reader thread

  private void readLoop() {
    try {
      while (true) {
        RawWebSocketClient.Frame f;
        try {
          f = ws.read();
        } catch (SocketTimeoutException idle) {
          // The read timeout fires between frames (the server writes whole frames): keep reading.
          continue;
        }
        if (f.opcode() == 0x8) return;
        if (f.opcode() != 0x1) continue; // binary attachments are not used by these tests
        onText(f.text());
      }
    } catch (IOException | RuntimeException e) {
      // EOF or our own close(): the connection is over either way.
    } finally {
      synchronized (inboxLock) {
        closed = true;
        inboxLock.notifyAll();
      }
    }
  }

  private void onText(String text) throws IOException {
    if (text.isEmpty()) return;
    switch (text.charAt(0)) {
      case '2' -> {
        // engine.io-protocol §Heartbeat: in v4 the server pings and the client pongs.
        sendEngineIo("3" + text.substring(1));
        synchronized (inboxLock) {
          pingsAnswered++;
        }
      }
      case '4' -> {
        Packet p = parse(text.substring(1));
        synchronized (inboxLock) {
          inbox.add(p);
          inboxLock.notifyAll();
        }
      }
      case '1' -> throw new IOException("Engine.IO close");
      default -> { } // noop and upgrade packets mean nothing here
    }
  }

  /** socket.io-protocol §Format: type [attachments-] [namespace,] [ack id] [JSON]. */
  static Packet parse(String s) throws JsonProcessingException {
    int type = s.charAt(0) - '0';
    int i = 1;
    if (type == 5 || type == 6) i = s.indexOf('-', i) + 1;
    String nsp = "/";
    if (i < s.length() && s.charAt(i) == '/') {
      int comma = s.indexOf(',', i);
      nsp = comma < 0 ? s.substring(i) : s.substring(i, comma);
      i = comma < 0 ? s.length() : comma + 1;
    }
    int digits = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    long ackId = i > digits ? Long.parseLong(s.substring(digits, i)) : -1;
    JsonNode data = i < s.length() ? JSON.readTree(s.substring(i)) : null;
    return new Packet(type, nsp, ackId, data);
  }

  @Override
  public void close() throws IOException {
    ws.close();
    try {
      reader.join(DEFAULT_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "SocketIoTestClient{" + sid + "}";
  }
}
