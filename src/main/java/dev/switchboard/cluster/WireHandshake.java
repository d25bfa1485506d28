package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * A socket's handshake as a Node server sends it in a {@code fetchSockets} answer: socket.io's
 * {@code socket.handshake} ({@code packages/socket.io/lib/socket.ts}, buildHandshake) without its
 * {@code sessionStore}, through JSON.stringify or MessagePack. A real one (captured-messages.json):
 *
 * <pre>{@code
 * {"headers": {"user-agent": "node-XMLHttpRequest", "accept": "*\/*", "x-custom": "v",
 *              "host": "127.0.0.1:38155", "connection": "close"},
 *  "time": "Fri Dec 04 2026 07:41:48 GMT+0000 (Coordinated Universal Time)",
 *  "address": "127.0.0.1", "xdomain": false, "secure": false, "issued": 1796370108567,
 *  "url": "/socket.io/?tag=x&n=1&EIO=4&transport=polling&t=odqq444a",
 *  "query": {"tag": "x", "n": "1", "EIO": "4", "transport": "polling", "t": "odqq444a"},
 *  "auth": {"name": "b4"}}
 * }</pre>
 *
 * <p>{@code headers} and {@code query} are objects whose values are strings, or arrays of strings
 * (Node's {@code set-cookie}; a query parameter given twice); {@code time} is {@code Date}'s
 * toString; {@code issued} milliseconds since the epoch; {@code auth} the CONNECT packet's object.
 * The trees are the decoded ones, shared, not copied: read them, do not change them. Keys other
 * than these nine are dropped on decoding.
 *
 * @param headers the HTTP headers of the Engine.IO handshake request, lower-case names
 * @param time when the socket connected, as {@code new Date().toString()} prints it
 * @param address the client's IP address
 * @param xdomain whether the request carried an Origin header
 * @param secure whether the connection was TLS
 * @param issued when the socket connected, in milliseconds since the epoch
 * @param url the request target of the Engine.IO handshake
 * @param query the handshake's query parameters
 * @param auth the CONNECT packet's auth payload (an object)
 */
public record WireHandshake(ObjectNode headers, String time, String address, boolean xdomain, boolean secure,
    long issued, String url, ObjectNode query, ObjectNode auth) {

  /** Checks that nothing is null. */
  public WireHandshake {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(auth, "auth");
  }

  /**
   * The handshake of a decoded {@code handshake} field.
   *
   * @throws ClusterMessageException if a field is missing or of the wrong type
   */
  public static WireHandshake fromTree(JsonNode node, String what) {
    String where = what + ": handshake";
    ObjectNode h = WireFields.object(node, where);
    return new WireHandshake(stringMap(h, "headers", where), WireFields.string(h, "time", where),
        WireFields.string(h, "address", where), WireFields.bool(h, "xdomain", where), WireFields.bool(h, "secure", where),
        WireFields.count(h, "issued", where), WireFields.string(h, "url", where), stringMap(h, "query", where),
        WireFields.object(h, "auth", where));
  }

  /** An object whose values are strings or arrays of strings. */
  private static ObjectNode stringMap(ObjectNode h, String key, String where) {
    ObjectNode o = WireFields.object(h, key, where);
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      JsonNode v = e.getValue();
      if (v.isTextual()) continue;
      if (!v.isArray()) throw WireFields.wrong(where, key + "." + e.getKey(), v, "a string or an array of strings");
      WireFields.strings((ArrayNode) v, key + "." + e.getKey(), where);
    }
    return o;
  }

  /** The handshake object, in the order socket.io builds it. */
  public ObjectNode toTree() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("headers", headers);
    o.put("time", time);
    o.put("address", address);
    o.put("xdomain", xdomain);
    o.put("secure", secure);
    o.put("issued", issued);
    o.put("url", url);
    o.set("query", query);
    o.set("auth", auth);
    return o;
  }
}
