package dev.switchboard.http;

/**
 * One parsed HTTP/1.x request (RFC 9112 §3). {@code target} is the request-target exactly as
 * received; {@code path} is the part before '?', still percent-encoded; {@code rawQuery} is the
 * part after '?' (null when there is none). The body is fully read; it is empty, never null.
 */
public record HttpRequest(
    String method, String target, String path, String rawQuery, String version, HttpHeaders headers, byte[] body) {

  /** A request whose path and query are split from {@code target} at the first '?'; a null body is empty. */
  public static HttpRequest of(String method, String target, String version, HttpHeaders headers, byte[] body) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? null : target.substring(q + 1);
    return new HttpRequest(method, target, path, query, version, headers, body == null ? new byte[0] : body);
  }

  /** Whether the request line said HTTP/1.1 (else HTTP/1.0). */
  public boolean isHttp11() {
    return "HTTP/1.1".equals(version);
  }

  /**
   * Whether the connection stays open after the response (RFC 9112 §9.3): HTTP/1.1 unless
   * {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}.
   */
  public boolean keepAlive() {
    if (headers.hasToken("Connection", "close")) return false;
    if (isHttp11()) return true;
    return headers.hasToken("Connection", "keep-alive");
  }

  /** The first value of the field {@code name} (any case), or null. */
  public String header(String name) {
    return headers.first(name);
  }
}
