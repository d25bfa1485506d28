package dev.switchboard.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP/1.1 response: status, reason phrase, header fields in order, and body. Framing
 * ({@code Content-Length}, {@code Connection: close}) is added by {@link HttpResponseWriter}, so
 * the builder refuses those fields; it also refuses any name or value that could split the
 * response (CR, LF, NUL, ...).
 *
 * <pre>{@code
 * HttpResponse r = HttpResponse.status(200)
 *     .header("Cache-Control", "no-store")
 *     .body("ok", "text/plain; charset=UTF-8")
 *     .build();
 * }</pre>
 */
public final class HttpResponse {
  private static final byte[] EMPTY = new byte[0];

  private final int status;
  private final HttpHeaders headers;
  private final byte[] body;

  private HttpResponse(int status, HttpHeaders headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** Starts a response with {@code code} (100–599), e.g. {@code HttpResponse.status(404).build()}. */
  public static Builder status(int code) {
    if (code < 100 || code > 599) throw new IllegalArgumentException("Invalid status code: " + code);
    return new Builder(code);
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** The standard reason phrase, or "" for a code we have no phrase for (RFC 9112 §4 allows it). */
  public String reason() {
    return reasonPhrase(status);
  }

  /** The fields the caller set, in order; the writer's framing fields are not among them. */
  public HttpHeaders headers() {
    return headers;
  }

  /** The body; empty, never null. Not copied: do not modify it. */
  public byte[] body() {
    return body;
  }

  /**
   * Whether this status carries no content and no Content-Length: 1xx and 204 (RFC 9110 §8.6),
   * and 304, whose Content-Length would describe another representation (RFC 9110 §15.4.5).
   */
  boolean isBodiless() {
    return status < 200 || status == 204 || status == 304;
  }

  @Override
  public String toString() {
    return "HttpResponse(" + status + ", " + body.length + " bytes)";
  }

  // RFC 9110 §15: reason phrases of the codes we send.
  static String reasonPhrase(int code) {
    return switch (code) {
      case 100 -> "Continue";
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
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
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> "";
    };
  }

  /** Collects fields and a body. Not thread-safe. */
  public static final class Builder {
    private final int status;
    private final List<String> namesAndValues = new ArrayList<>();
    private byte[] body = EMPTY;

    private Builder(int status) {
      this.status = status;
    }

    /**
     * Adds a field, e.g. {@code .header("X-Content-Type-Options", "nosniff")}. A name must be a
     * token (RFC 9110 §5.1); a value may hold visible ISO-8859-1 characters, SP and HTAB only.
     * Content-Length and Transfer-Encoding are the writer's; Connection too, except on 101.
     */
    public Builder header(String name, String value) {
      checkName(name);
      checkValue(value);
      if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
          || (name.equalsIgnoreCase("Connection") && status != 101)) {
        throw new IllegalArgumentException(name + " is set by HttpResponseWriter");
      }
      namesAndValues.add(name);
      namesAndValues.add(value);
      return this;
    }

    /** Sets the body bytes (not copied), e.g. {@code .body(json)} after a Content-Type header. */
    public Builder body(byte[] body) {
      if (body == null) throw new IllegalArgumentException("body == null");
      this.body = body;
      return this;
    }

    /**
     * Sets the body to {@code utf8} encoded as UTF-8 and replaces any Content-Type with
     * {@code contentType}, e.g. {@code .body("{}", "application/json")}.
     */
    public Builder body(String utf8, String contentType) {
      if (utf8 == null) throw new IllegalArgumentException("body == null");
      for (int i = 0; i < namesAndValues.size(); i += 2) {
        if (namesAndValues.get(i).equalsIgnoreCase("Content-Type")) {
          namesAndValues.remove(i);
          namesAndValues.remove(i);
          i -= 2;
        }
      }
      header("Content-Type", contentType);
      this.body = utf8.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** The response; refuses a body on a status that has none (1xx, 204, 304). */
    public HttpResponse build() {
      HttpResponse response = new HttpResponse(status, HttpHeaders.of(namesAndValues), body);
      // RFC 9110 §15.2, §15.3.5: 1xx and 204 never have content.
      if (response.isBodiless() && body.length > 0) {
        throw new IllegalArgumentException("Status " + status + " cannot have a body");
      }
      return response;
    }

    private static void checkName(String name) {
      if (name == null || name.isEmpty()) throw new IllegalArgumentException("Invalid header name");
      for (int i = 0; i < name.length(); i++) {
        if (!isTchar(name.charAt(i))) throw new IllegalArgumentException("Invalid header name");
      }
    }

    private static void checkValue(String value) {
      if (value == null) throw new IllegalArgumentException("Invalid header value");
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        // RFC 9110 §5.5: no CR, LF, NUL or other control; the writer emits one byte per char.
        if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
          throw new IllegalArgumentException("Invalid header value");
        }
      }
    }

    private static boolean isTchar(char c) {
      // RFC 9110 §5.6.2.
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || (c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }
  }
}
