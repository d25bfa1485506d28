package dev.switchboard.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP response. Header names and values are checked for CR, LF and NUL when added, so no
 * caller can ever split a response.
 *
 * <pre>{@code HttpResponse.status(200).header("Content-Type", "text/plain").body("ok", ...).build()}</pre>
 */
public final class HttpResponse {
  private final int status;
  private final List<String> headers;
  private final byte[] body;

  private HttpResponse(int status, List<String> headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  public static Builder status(int status) {
    return new Builder(status);
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason(status);
  }

  /** Name, value, name, value, … in order. */
  public List<String> headers() {
    return headers;
  }

  public String header(String name) {
    for (int i = 0; i < headers.size(); i += 2) if (headers.get(i).equalsIgnoreCase(name)) return headers.get(i + 1);
    return null;
  }

  public byte[] body() {
    return body;
  }

  static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 426 -> "Upgrade Required";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status " + status;
    };
  }

  /** Accumulates a response. Not thread-safe. */
  public static final class Builder {
    private final int status;
    private final List<String> headers = new ArrayList<>(8);
    private byte[] body = new byte[0];

    Builder(int status) {
      if (status < 100 || status > 999) throw new IllegalArgumentException("bad status " + status);
      this.status = status;
    }

    public Builder header(String name, String value) {
      check(name);
      check(value);
      headers.add(name);
      headers.add(value);
      return this;
    }

    public Builder body(byte[] body) {
      this.body = body == null ? new byte[0] : body;
      return this;
    }

    /** A UTF-8 text body with its Content-Type. */
    public Builder body(String text, String contentType) {
      header("Content-Type", contentType);
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse build() {
      return new HttpResponse(status, List.copyOf(headers), body);
    }

    private static void check(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\r' || c == '\n' || c == 0) throw new IllegalArgumentException("CR, LF or NUL in a header");
      }
    }
  }
}
