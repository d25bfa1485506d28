package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.HttpHeaders;
import dev.switchboard.http.HttpParseException;
import dev.switchboard.http.QueryParameters;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the client presented when it connected to a namespace, as Node's {@code socket.handshake}:
 * the HTTP headers and query of the Engine.IO handshake, the CONNECT packet's auth payload
 * (an empty object when none), the peer address, and when it happened.
 *
 * <p>Immutable and thread-safe. The accessors are those of the record this used to be. What can
 * be derived from the rest — {@link #time}, {@link #address}, {@link #query} — is derived when
 * asked for, not kept from the connect on: every socket holds its handshake for its whole life,
 * and those three were about 400 bytes of each idle socket's heap (BENCHMARKS.md, "Missed: idle
 * memory per 1 000 WebSocket clients"), for values most applications never read.
 */
public final class Handshake {
  private final HttpHeaders headers;
  /** The time string as given to the public constructor; null: derived from {@link #issued}. */
  private final String time;
  /** The address string as given to the public constructor; null: derived from {@link #remote}. */
  private final String address;
  private final InetSocketAddress remote;
  private final boolean xdomain;
  private final boolean secure;
  private final long issued;
  private final String url;
  private final JsonNode auth;
  /** Parsed from {@link #url} on first use (an immutable map, so a racy first use is harmless). */
  private Map<String, String> query;

  /** A handshake with every value given. */
  Handshake(HttpHeaders headers, String time, String address, boolean xdomain, boolean secure, long issued,
      String url, Map<String, String> query, JsonNode auth) {
    this.headers = headers;
    this.time = time;
    this.address = address;
    this.remote = null;
    this.xdomain = xdomain;
    this.secure = secure;
    this.issued = issued;
    this.url = url;
    this.query = query;
    this.auth = auth;
  }

  /**
   * The handshake of a connection: {@code time}, {@code address} and {@code query} are derived
   * from {@code issued}, {@code remote} and {@code url} when asked for; {@code xdomain} is whether
   * the request had an Origin header.
   */
  Handshake(HttpHeaders headers, InetSocketAddress remote, boolean secure, long issued, String url, JsonNode auth) {
    this.headers = headers;
    this.time = null;
    this.address = null;
    this.remote = remote;
    this.xdomain = headers.first("Origin") != null;
    this.secure = secure;
    this.issued = issued;
    this.url = url;
    this.query = null;
    this.auth = auth;
  }

  /** The HTTP headers of the Engine.IO handshake request. */
  public HttpHeaders headers() {
    return headers;
  }

  /** When the socket connected, as {@link java.util.Date#toString()} prints {@link #issued}. */
  public String time() {
    return time != null ? time : new java.util.Date(issued).toString();
  }

  /**
   * The client's IP address; empty if unknown. The TCP peer's, as Node's {@code
   * socket.handshake.address} always is, except behind a proxy of {@code NetOptions.trustedProxies}:
   * then the client its {@code X-Forwarded-For} names (Node leaves that header to the application).
   */
  public String address() {
    if (address != null) return address;
    return remote == null || remote.getAddress() == null ? "" : remote.getAddress().getHostAddress();
  }

  /** Whether the request came from a browser page (it carried an Origin header). */
  public boolean xdomain() {
    return xdomain;
  }

  /** Whether the connection is TLS. */
  public boolean secure() {
    return secure;
  }

  /** When the socket connected, in milliseconds since the epoch. */
  public long issued() {
    return issued;
  }

  /** The request target of the Engine.IO handshake (path and query). */
  public String url() {
    return url;
  }

  /** The handshake's query parameters; the first value of each name. */
  public Map<String, String> query() {
    Map<String, String> q = query;
    if (q == null) {
      q = parseQuery(url);
      query = q;
    }
    return q;
  }

  /** The CONNECT packet's auth payload: an object, empty when the client sent none. */
  public JsonNode auth() {
    return auth;
  }

  /**
   * This handshake as Node's {@code socket.handshake} serialises to JSON — what a cluster adapter
   * sends for {@code fetchSockets} ({@code SocketDetails.handshake()}): {@code headers} (an object,
   * names in lower case, repeated fields joined with {@code ", "} as Node's HTTP parser joins them,
   * {@code set-cookie} an array), {@code time}, {@code address}, {@code xdomain}, {@code secure},
   * {@code issued} (milliseconds), {@code url}, {@code query} (an object), {@code auth}. A new tree
   * each call.
   */
  public ObjectNode toJson() {
    ObjectNode out = Json.NODES.objectNode();
    ObjectNode h = out.putObject("headers");
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i).toLowerCase(Locale.ROOT);
      String value = headers.value(i);
      JsonNode before = h.get(name);
      if (name.equals("set-cookie")) {
        (before instanceof ArrayNode a ? a : h.putArray(name)).add(value);
      } else {
        h.put(name, before == null ? value : before.asText() + ", " + value);
      }
    }
    out.put("time", time());
    out.put("address", address());
    out.put("xdomain", xdomain);
    out.put("secure", secure);
    out.put("issued", issued);
    out.put("url", url);
    ObjectNode q = out.putObject("query");
    query().forEach(q::put);
    out.set("auth", auth.deepCopy());
    return out;
  }

  /**
   * The handshake of a socket on another node, from the JSON {@link #toJson()} (or a Node server)
   * produced. Whatever a peer got wrong — a missing field, a wrong type — becomes the empty value
   * of that field rather than an error: another node's data is not trusted to be well formed.
   */
  static Handshake fromJson(JsonNode json) {
    HttpHeaders.Builder headers = new HttpHeaders.Builder();
    json.path("headers").properties().forEach(e -> {
      if (e.getValue().isArray()) {
        for (JsonNode v : e.getValue()) if (isScalar(v)) headers.add(e.getKey(), v.asText());
      } else if (isScalar(e.getValue())) {
        headers.add(e.getKey(), e.getValue().asText());
      }
    });
    Map<String, String> query = new LinkedHashMap<>();
    json.path("query").properties().forEach(e -> {
      JsonNode v = e.getValue().isArray() ? e.getValue().path(0) : e.getValue(); // a repeated name: its first value
      if (isScalar(v)) query.put(e.getKey(), v.asText());
    });
    JsonNode auth = json.path("auth").isObject() ? json.get("auth") : Json.NODES.objectNode();
    return new Handshake(headers.build(), text(json, "time"), text(json, "address"), json.path("xdomain").asBoolean(),
        json.path("secure").asBoolean(), json.path("issued").asLong(), text(json, "url"),
        Collections.unmodifiableMap(query), auth);
  }

  private static String text(JsonNode json, String field) {
    JsonNode v = json.path(field);
    return isScalar(v) ? v.asText() : "";
  }

  /** A string, number or boolean: what can stand for a header or query value. */
  private static boolean isScalar(JsonNode v) {
    return v.isValueNode() && !v.isNull() && !v.isBinary();
  }

  private static Map<String, String> parseQuery(String url) {
    int mark = url == null ? -1 : url.indexOf('?');
    if (mark < 0) return Map.of();
    Map<String, String> out = new LinkedHashMap<>();
    try {
      QueryParameters q = QueryParameters.parse(url.substring(mark + 1));
      for (int i = 0; i < q.size(); i++) out.putIfAbsent(q.name(i), q.value(i));
    } catch (HttpParseException e) {
      // the Engine.IO layer already refused malformed queries
    }
    return Map.copyOf(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Handshake h
        && Objects.equals(headers, h.headers) && Objects.equals(time(), h.time())
        && Objects.equals(address(), h.address()) && xdomain == h.xdomain && secure == h.secure
        && issued == h.issued && Objects.equals(url, h.url) && Objects.equals(query(), h.query())
        && Objects.equals(auth, h.auth);
  }

  @Override
  public int hashCode() {
    return Objects.hash(headers, time(), address(), xdomain, secure, issued, url, query(), auth);
  }

  @Override
  public String toString() {
    return "Handshake[headers=" + headers + ", time=" + time() + ", address=" + address() + ", xdomain=" + xdomain
        + ", secure=" + secure + ", issued=" + issued + ", url=" + url + ", query=" + query() + ", auth=" + auth + "]";
  }
}
