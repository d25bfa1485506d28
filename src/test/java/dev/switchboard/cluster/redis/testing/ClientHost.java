package dev.switchboard.cluster.redis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Official {@code socket.io-client}s for the mixed-cluster tests, all in one Node process
 * ({@code conformance/cluster/client-host.mjs}): a client of any node, Java or Node, connected over
 * WebSocket, recording what it receives, answering acks as told, never reconnecting by itself.
 *
 * <pre>{@code
 * try (ClientHost host = ClientHost.start()) {
 *   ClientHost.Handle c = host.connect("http://127.0.0.1:" + port, "/", Map.of());
 *   host.answer(c, "test", 1);                     // acks "test" with 1 from now on
 *   List<ArrayNode> got = host.received(c, "test");
 * }
 * }</pre>
 *
 * <p>Binary travels as {@code {"$binary": "<hex>"}} in the JSON lines: {@link #toWire} and
 * {@link #fromWire} convert to and from {@code byte[]} / {@link BinaryNode}.
 *
 * <p>Threading: any thread.
 */
public final class ClientHost extends JsonLineProcess {
  /** One hosted client: its handle in the host and its socket id. */
  public record Handle(int handle, String id) {}

  private ClientHost() throws Exception {
    super("client-host", "cluster/client-host.mjs", List.of(), "ready");
  }

  /** Starts the host process. */
  public static ClientHost start() throws Exception {
    return new ClientHost();
  }

  /** A new client connected to {@code url} + {@code nsp} with {@code auth} as its CONNECT payload. */
  public Handle connect(String url, String nsp, Map<String, ?> auth) {
    JsonNode v = call("connect", "url", url, "nsp", nsp, "auth", auth);
    return new Handle(v.path("client").asInt(), v.path("id").asText());
  }

  /**
   * How a client connects: its {@code transports}, in the order it tries them ({@code ["polling"]}
   * for polling only, {@code ["polling", "websocket"]} for the official client's default — open
   * on polling, then upgrade), and whether it keeps cookies ({@code withCredentials}: the Node.js
   * client stores a load balancer's sticky-session cookie and sends it back only then).
   */
  public record Transports(List<String> transports, boolean withCredentials) {
    /** WebSocket only, no cookies: what {@link #connect(String, String, Map)} uses. */
    public static final Transports WEBSOCKET = new Transports(List.of("websocket"), false);
    /** Polling only, keeping cookies (behind a sticky load balancer). */
    public static final Transports POLLING_WITH_COOKIES = new Transports(List.of("polling"), true);
    /** The official client's default (polling, then upgrade to WebSocket), keeping cookies. */
    public static final Transports UPGRADE_WITH_COOKIES = new Transports(List.of("polling", "websocket"), true);

    /** Copies {@code transports}. */
    public Transports {
      transports = List.copyOf(transports);
    }
  }

  /**
   * A new client connected to {@code url} + {@code nsp} with {@code auth} as its CONNECT payload,
   * over {@code transports}.
   */
  public Handle connect(String url, String nsp, Map<String, ?> auth, Transports transports) {
    JsonNode v = call("connect", "url", url, "nsp", nsp, "auth", auth, "transports", transports.transports(),
        "withCredentials", transports.withCredentials());
    return new Handle(v.path("client").asInt(), v.path("id").asText());
  }

  /** The transport the client's engine runs on now: "polling" or "websocket". */
  public String transport(Handle c) {
    return call("state", "client", c.handle()).path("transport").asText();
  }

  /**
   * How many heartbeats (engine.io-protocol §Heartbeat: server pings) the client has answered so
   * far. On polling each one ends the pending GET and is answered by a POST: new HTTP requests.
   */
  public int pings(Handle c) {
    return call("state", "client", c.handle()).path("pings").asInt();
  }

  /**
   * Waits (up to 5 s) until the client's engine has upgraded to WebSocket and returns the
   * transport it then runs on ("websocket"); fails when the upgrade fails or does not happen.
   */
  public String awaitUpgrade(Handle c) {
    return call("upgraded", "client", c.handle()).asText();
  }

  /** What {@link #emitWithAck} got: the server's first ack argument, or the client's error (a timeout). */
  public record AckReply(String error, JsonNode value) {}

  /**
   * The client emits {@code event} with {@code args} and an ack callback
   * ({@code socket.timeout(timeout).emitWithAck(...)}) and returns the server's answer.
   */
  public AckReply emitWithAck(Handle c, Duration timeout, String event, Object... args) {
    JsonNode v = call("emitWithAck", "client", c.handle(), "event", event, "args", toWire(List.of(args)),
        "timeout", timeout.toMillis());
    return new AckReply(v.path("error").isTextual() ? v.path("error").textValue() : null, fromWire(v.path("value")));
  }

  /** The arguments of every {@code event} the client received, in order; binary as {@link BinaryNode}. */
  public List<ArrayNode> received(Handle c, String event) {
    List<ArrayNode> out = new ArrayList<>();
    for (JsonNode args : call("received", "client", c.handle(), "event", event)) out.add((ArrayNode) fromWire(args));
    return out;
  }

  /** From now on the client acks {@code event} with {@code value} ({@code byte[]} for binary). */
  public void answer(Handle c, String event, Object value) {
    call("answer", "client", c.handle(), "event", event, "value", toWire(value));
  }

  /** The client emits {@code event} with {@code args}. */
  public void emit(Handle c, String event, Object... args) {
    call("emit", "client", c.handle(), "event", event, "args", toWire(List.of(args)));
  }

  /** Why the client was disconnected (socket.io-client's reason), or null while connected. */
  public String disconnectReason(Handle c) {
    JsonNode reason = call("state", "client", c.handle()).path("disconnectReason");
    return reason.isTextual() ? reason.textValue() : null;
  }

  /** Whether the client is connected. */
  public boolean connected(Handle c) {
    return call("state", "client", c.handle()).path("connected").asBoolean();
  }

  /** What a reconnection gave: the socket id, and whether the server recovered the session (socket.recovered). */
  public record Reconnected(String id, boolean recovered) {}

  /**
   * Cuts the client's connection under it (its engine closes): the server sees "transport close",
   * a reason it may recover from. Returns the client's disconnect reason ("forced close").
   */
  public String drop(Handle c) {
    return call("drop", "client", c.handle()).asText();
  }

  /**
   * The dropped client connects again, to {@code url} (any node of the cluster), presenting its
   * pid and last offset as the official client does (connection state recovery).
   */
  public Reconnected reconnect(Handle c, String url) {
    JsonNode v = call("reconnect", "client", c.handle(), "url", url);
    return new Reconnected(v.path("id").asText(), v.path("recovered").asBoolean());
  }

  /**
   * Each connected client does a round trip to its server ({@code __settle}, which every server
   * of the harness answers): whatever its server wrote to it before has then arrived.
   */
  public void settle() {
    call("settle");
  }

  /** The client leaves (socket.io-client's {@code socket.disconnect()}); its handle stays known. */
  public void disconnect(Handle c) {
    call("disconnect", "client", c.handle());
  }

  /** Every client leaves; their handles are forgotten. */
  public void closeAll() {
    call("closeAll");
  }

  /** {@code byte[]} anywhere in {@code value} (a value, a list, a map) as {@code {"$binary": hex}}. */
  public static JsonNode toWire(Object value) {
    if (value instanceof byte[] b) return binary(b);
    if (value instanceof JsonNode n) return toWireTree(n);
    if (value instanceof List<?> l) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      for (Object o : l) a.add(toWire(o));
      return a;
    }
    if (value instanceof Map<?, ?> m) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      m.forEach((k, v) -> o.set(String.valueOf(k), toWire(v)));
      return o;
    }
    return JSON.valueToTree(value);
  }

  private static JsonNode toWireTree(JsonNode n) {
    if (n.isBinary()) return binary(((BinaryNode) n).binaryValue());
    if (n.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      for (JsonNode e : n) a.add(toWireTree(e));
      return a;
    }
    if (n.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      n.properties().forEach(e -> o.set(e.getKey(), toWireTree(e.getValue())));
      return o;
    }
    return n;
  }

  private static ObjectNode binary(byte[] b) {
    return JsonNodeFactory.instance.objectNode().put("$binary", HexFormat.of().formatHex(b));
  }

  /** {@code {"$binary": hex}} anywhere in {@code node} as a {@link BinaryNode}. */
  public static JsonNode fromWire(JsonNode node) {
    if (node.isObject() && node.size() == 1 && node.path("$binary").isTextual()) {
      return BinaryNode.valueOf(HexFormat.of().parseHex(node.get("$binary").textValue()));
    }
    if (node.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      for (JsonNode e : node) a.add(fromWire(e));
      return a;
    }
    if (node.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(e -> o.set(e.getKey(), fromWire(e.getValue())));
      return o;
    }
    return node;
  }
}
