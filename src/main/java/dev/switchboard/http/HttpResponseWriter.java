package dev.switchboard.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Serialises responses (RFC 9112 §4, §6). Pure. */
public final class HttpResponseWriter {
  private HttpResponseWriter() {}

  /** The whole response, with Content-Length, and {@code Connection: close} when not kept alive. */
  public static ByteBuffer encode(HttpResponse r, boolean keepAlive) {
    return encode(r, keepAlive, false);
  }

  /**
   * As {@link #encode(HttpResponse, boolean)}; {@code headOnly} leaves the body out but keeps its
   * Content-Length (RFC 9110 §9.3.2: the answer to HEAD).
   */
  public static ByteBuffer encode(HttpResponse r, boolean keepAlive, boolean headOnly) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("HTTP/1.1 ").append(r.status()).append(' ').append(r.reason()).append("\r\n");
    List<String> h = r.headers();
    for (int i = 0; i < h.size(); i += 2) sb.append(h.get(i)).append(": ").append(h.get(i + 1)).append("\r\n");
    boolean noBody = r.status() < 200 || r.status() == 204 || r.status() == 304;
    // RFC 9110 §8.6: no Content-Length on 1xx and 204.
    if (!noBody && r.header("Content-Length") == null) sb.append("Content-Length: ").append(r.body().length).append("\r\n");
    if (!keepAlive && r.status() != 101) sb.append("Connection: close\r\n");
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = noBody || headOnly ? new byte[0] : r.body();
    ByteBuffer out = ByteBuffer.allocate(head.length + body.length);
    out.put(head).put(body).flip();
    return out;
  }
}
