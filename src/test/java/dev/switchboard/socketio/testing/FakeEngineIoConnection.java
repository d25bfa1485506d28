package dev.switchboard.socketio.testing;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineIoConnection;
import dev.switchboard.engineio.SessionHandler;
import dev.switchboard.engineio.SharedMessage;
import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.scheduling.SerialExecutor;
import java.net.InetSocketAddress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An Engine.IO session in memory: what the layer above sends is recorded as wire text, and a
 * test plays the client by handing it messages. No socket, no thread of its own.
 *
 * <p>Its executor is a {@link SerialExecutor} over the calling thread: a task runs at once on
 * the thread that submits it, unless another task of this connection is running, in which case
 * it runs right after it on that thread. So a single-threaded test sees every consequence of a
 * call before the call returns, and tasks submitted from other threads (a middleware answering
 * from a pool) still never run concurrently.
 *
 * <p>Wire notation of {@link #sent()}: a text message is its Socket.IO text (for example
 * {@code 0{"sid":"s1"}} or {@code 2["hello",1]}); a binary message is {@code <binary:0a0b>}.
 * Volatile messages are recorded too unless {@link #dropVolatile(boolean)} says the client is
 * busy.
 *
 * <pre>{@code
 * FakeEngineIoConnection c = sio.connect();
 * String sid = c.connectTo("/admin");    // sends 0/admin, and reads the answer 0/admin,{"sid":…}
 * c.receive("2/admin,[\"hi\"]");
 * assertEquals("2/admin,[\"hello\"]", c.next());
 * }</pre>
 */
public final class FakeEngineIoConnection implements EngineIoConnection {
  private final String id;
  private final HttpHeaders headers;
  private final String target;
  private final InetSocketAddress remote;
  private final boolean secure;
  private final SerialExecutor executor = new SerialExecutor(Runnable::run);
  private final List<String> sent = new ArrayList<>();
  private volatile SessionHandler handler;
  private volatile String transport = "websocket";
  private volatile int protocol = 4;
  private volatile boolean open = true;
  private volatile boolean closedByServer;
  private volatile CloseReason closeReason;
  private volatile boolean dropVolatile;
  /** Told of each message sent (with its attachments), after it was recorded; null: nobody. */
  private volatile Consumer<List<String>> onSend;
  /** Socket ids by namespace, as the CONNECT answers read by {@link #connectTo} gave them. */
  private final Map<String, String> sids = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  public FakeEngineIoConnection(String id, HttpHeaders headers, String target, InetSocketAddress remote,
      boolean secure) {
    this.id = id;
    this.headers = headers;
    this.target = target;
    this.remote = remote;
    this.secure = secure;
  }

  /** A connection from 127.0.0.1 with no headers to {@code /socket.io/?EIO=4&transport=websocket}. */
  public static FakeEngineIoConnection of(String id) {
    return new FakeEngineIoConnection(id, HttpHeaders.of(), "/socket.io/?EIO=4&transport=websocket",
        new InetSocketAddress("127.0.0.1", 40000), false);
  }

  /** Makes this an Engine.IO protocol 3 client (socket.io-client 2.x); call before connecting it. */
  public FakeEngineIoConnection asEngineIo3() {
    this.protocol = 3;
    return this;
  }

  // ------------------------------------------------------------------ EngineIoConnection

  @Override
  public int protocol() {
    return protocol;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String transportName() {
    return transport;
  }

  @Override
  public HttpHeaders handshakeHeaders() {
    return headers;
  }

  @Override
  public String handshakeTarget() {
    return target;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public Executor executor() {
    return executor;
  }

  @Override
  public void setHandler(SessionHandler handler) {
    this.handler = handler;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void send(String text) {
    record(text);
  }

  @Override
  public void send(byte[] data) {
    record("<binary:" + HexFormat.of().formatHex(data) + ">");
  }

  @Override
  public void send(SharedMessage message, boolean isVolatile) {
    if (isVolatile && dropVolatile) return;
    List<String> wire = new ArrayList<>();
    for (EngineIoPacket p : message.packets()) {
      wire.add(p.isBinary() ? "<binary:" + HexFormat.of().formatHex(p.binary()) + ">" : p.text());
    }
    boolean recorded;
    synchronized (sent) {
      recorded = open;
      if (open) sent.addAll(wire); // the packet and its attachments leave together
    }
    Consumer<List<String>> listener = onSend;
    if (recorded && listener != null) listener.accept(wire);
  }

  @Override
  public void close() {
    executor.execute(() -> end(CloseReason.FORCED_CLOSE, "closed by the server", true));
  }

  private void record(String wire) {
    boolean recorded;
    synchronized (sent) {
      recorded = open;
      if (open) sent.add(wire);
    }
    Consumer<List<String>> listener = onSend;
    if (recorded && listener != null) listener.accept(List.of(wire));
  }

  /**
   * Plays a client that reacts to what it is sent: {@code listener} is told of every message the
   * server sends from now on — a packet with its binary attachments, in the notation of
   * {@link #sent()} — on the sending thread, after it was recorded. (A client answering acks
   * calls {@link #receive} from it.)
   */
  public void onSend(Consumer<List<String>> listener) {
    this.onSend = listener;
  }

  // ------------------------------------------------------------------ the test plays the client

  /** The client sends a text message (a Socket.IO packet, such as {@code 0} or {@code 2["x"]}). */
  public FakeEngineIoConnection receive(String text) {
    executor.execute(() -> {
      SessionHandler h = handler;
      if (open && h != null) h.onMessage(text);
    });
    return this;
  }

  /** The client sends a binary message (an attachment). */
  public FakeEngineIoConnection receive(byte[] data) {
    executor.execute(() -> {
      SessionHandler h = handler;
      if (open && h != null) h.onBinary(data);
    });
    return this;
  }

  /**
   * The client connects to namespace {@code nsp} without auth: sends CONNECT, takes the server's
   * CONNECT answer out of {@link #sent()} (anything else sent stays there, in order) and returns
   * the socket id. Fails when the server did not accept at once.
   */
  public String connectTo(String nsp) {
    return connectTo(nsp, null);
  }

  /** {@link #connectTo(String)} with an auth payload, a JSON object such as {@code {"token":"x"}}. */
  public String connectTo(String nsp, String authJson) {
    String prefix = "/".equals(nsp) ? "0" : "0" + nsp + ",";
    int before = sent().size();
    receive(authJson == null ? prefix : prefix + authJson);
    synchronized (sent) {
      for (int i = before; i < sent.size(); i++) {
        String m = sent.get(i);
        if (!m.startsWith(prefix + "{")) continue;
        JsonNode body = parse(m.substring(prefix.length()));
        if (!body.path("sid").isTextual()) continue;
        sent.remove(i);
        String sid = body.get("sid").textValue();
        sids.put(nsp, sid);
        return sid;
      }
      throw new AssertionError("no CONNECT answer for " + nsp + "; sent: " + sent);
    }
  }

  /** The socket id in namespace {@code nsp} that {@link #connectTo} read. */
  public String sid(String nsp) {
    String sid = sids.get(nsp);
    if (sid == null) throw new AssertionError("not connected to " + nsp + " through connectTo");
    return sid;
  }

  /** The socket id in "/" that {@link #connectTo} read. */
  public String sid() {
    return sid("/");
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** The connection ends from below (the peer went away, a ping timed out, …). */
  public void drop(CloseReason reason) {
    executor.execute(() -> end(reason, "dropped by the test", false));
  }

  private void end(CloseReason reason, String description, boolean byServer) {
    if (!open) return;
    open = false;
    closedByServer = byServer;
    closeReason = reason;
    SessionHandler h = handler;
    if (h != null) h.onClose(reason, description);
  }

  /** Switches what {@link #transportName()} reports (an upgrade happened below). */
  public void transport(String name) {
    this.transport = name;
  }

  /** Whether volatile messages are dropped, as for a client that cannot take them now. */
  public void dropVolatile(boolean drop) {
    this.dropVolatile = drop;
  }

  // ------------------------------------------------------------------ what the test observes

  /** Everything sent so far, in order (see the class comment for the notation). */
  public List<String> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  /** Returns what was sent since the last call and forgets it. */
  public List<String> takeSent() {
    synchronized (sent) {
      List<String> out = List.copyOf(sent);
      sent.clear();
      return out;
    }
  }

  /**
   * Takes the oldest message not yet taken out of {@link #sent()} (by this, {@link #takeSent()}
   * or {@link #connectTo}); fails when there is none.
   */
  public String next() {
    synchronized (sent) {
      if (sent.isEmpty()) throw new AssertionError("nothing was sent");
      return sent.remove(0);
    }
  }

  /** The wire notation of a binary message: {@code binary(1, 2)} is {@code <binary:0102>}. */
  public static String binary(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
    return "<binary:" + HexFormat.of().formatHex(b) + ">";
  }

  /** Whether the layer above closed the connection (rather than the test dropping it). */
  public boolean closedByServer() {
    return !open && closedByServer;
  }

  /** Why the connection ended, or null while it is open. */
  public CloseReason closeReason() {
    return closeReason;
  }

  @Override
  public String toString() {
    return "FakeEngineIoConnection{" + id + (open ? "" : " closed") + "}";
  }
}
