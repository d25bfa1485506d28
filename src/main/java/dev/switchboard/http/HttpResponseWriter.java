package dev.switchboard.http;

import java.nio.ByteBuffer;

/**
 * Encodes an {@link HttpResponse} as HTTP/1.1 bytes (RFC 9112 §4): status line, the response's
 * fields, the framing fields, an empty line, the body. Framing is always {@code Content-Length}
 * (never chunked: every body is complete before we write it). No {@code Date} field: a codec has
 * no clock (RFC 9110 §6.6.1 lets a server without a reliable clock omit it).
 *
 * <pre>{@code
 * channel.write(HttpResponseWriter.encode(response, request.keepAlive()));
 * }</pre>
 */
public final class HttpResponseWriter {
  private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
  private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");

  private HttpResponseWriter() {}

  /** The whole response, head and body, ready to write (position 0, limit = length). */
  public static ByteBuffer encode(HttpResponse response, boolean keepAlive) {
    byte[] body = response.body();
    int headLength = headLength(response, keepAlive);
    byte[] out = new byte[headLength + body.length];
    writeHead(response, keepAlive, out);
    System.arraycopy(body, 0, out, headLength, body.length);
    return ByteBuffer.wrap(out);
  }

  /**
   * The status line and fields only, including the Content-Length of the body: for a HEAD
   * response (RFC 9110 §9.3.2), or to write a large body without copying it.
   */
  public static byte[] encodeHead(HttpResponse response, boolean keepAlive) {
    byte[] out = new byte[headLength(response, keepAlive)];
    writeHead(response, keepAlive, out);
    return out;
  }

  private static boolean hasContentLength(HttpResponse response) {
    // RFC 9110 §8.6: no Content-Length in 1xx or 204; see HttpResponse.isBodiless for 304.
    return !response.isBodiless();
  }

  private static boolean closes(HttpResponse response, boolean keepAlive) {
    // RFC 9112 §9.6: announce the close. A 101 hands the connection to another protocol and
    // 1xx are interim, so neither carries it.
    return !keepAlive && response.status() >= 200;
  }

  private static int headLength(HttpResponse response, boolean keepAlive) {
    // "HTTP/1.1 " + 3 digits + SP + reason + CRLF
    int n = 9 + 3 + 1 + response.reason().length() + 2;
    HttpHeaders headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      n += headers.name(i).length() + 2 + headers.value(i).length() + 2;
    }
    if (hasContentLength(response)) n += CONTENT_LENGTH.length + digits(response.body().length) + 2;
    if (closes(response, keepAlive)) n += CONNECTION_CLOSE.length;
    return n + 2;
  }

  private static void writeHead(HttpResponse response, boolean keepAlive, byte[] out) {
    int p = latin1("HTTP/1.1 ", out, 0);
    p = number(response.status(), out, p);
    out[p++] = ' ';
    p = latin1(response.reason(), out, p);
    p = crlf(out, p);
    HttpHeaders headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      p = latin1(headers.name(i), out, p);
      out[p++] = ':';
      out[p++] = ' ';
      p = latin1(headers.value(i), out, p);
      p = crlf(out, p);
    }
    if (hasContentLength(response)) {
      System.arraycopy(CONTENT_LENGTH, 0, out, p, CONTENT_LENGTH.length);
      p = number(response.body().length, out, p + CONTENT_LENGTH.length);
      p = crlf(out, p);
    }
    if (closes(response, keepAlive)) {
      System.arraycopy(CONNECTION_CLOSE, 0, out, p, CONNECTION_CLOSE.length);
      p += CONNECTION_CLOSE.length;
    }
    crlf(out, p);
  }

  /** Header names and values were checked by the builder to be chars 0x00–0xFF, one byte each. */
  private static int latin1(String s, byte[] out, int p) {
    for (int i = 0; i < s.length(); i++) out[p++] = (byte) s.charAt(i);
    return p;
  }

  private static int crlf(byte[] out, int p) {
    out[p++] = '\r';
    out[p++] = '\n';
    return p;
  }

  private static int number(int value, byte[] out, int p) {
    int end = p + digits(value);
    int v = value;
    for (int i = end - 1; i >= p; i--) {
      out[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return end;
  }

  private static int digits(int value) {
    int n = 1;
    for (int v = value; v >= 10; v /= 10) n++;
    return n;
  }

  private static byte[] ascii(String s) {
    byte[] out = new byte[s.length()];
    latin1(s, out, 0);
    return out;
  }
}
