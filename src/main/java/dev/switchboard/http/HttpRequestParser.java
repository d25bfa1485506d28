package dev.switchboard.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental HTTP/1.1 request parser (RFC 9112). Pure: bytes in, requests out.
 *
 * <p>{@link #feed} consumes bytes only up to the end of the current request, so pipelined
 * requests and the frames glued to a WebSocket upgrade stay in the caller's buffer. Limits are
 * enforced as bytes arrive; a violation makes the parser CORRUPT and every later call rethrows.
 *
 * <p>Threading: one parser per connection, used by its I/O thread only.
 */
public final class HttpRequestParser {
  enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, CORRUPT }

  private static final int MAX_LEADING_EMPTY_LINES = 8;
  private static final int MAX_CHUNK_LINE = 1024;

  private final HttpLimits limits;
  private State state = State.HEAD;
  private HttpParseException failure;

  // HEAD state
  private byte[] head = new byte[0];
  private int headLen;
  private int lineStart;
  private int lines;
  private int leadingEmpty;

  // the request being built
  private String method;
  private String target;
  private String version;
  private HttpHeaders headers;
  private boolean expectContinue;

  // body
  private byte[] body;
  private int bodyLen;
  private long remaining;
  private final byte[] line = new byte[MAX_CHUNK_LINE];
  private int lineLen;
  private int trailerBytes;

  public HttpRequestParser(HttpLimits limits) {
    this.limits = limits;
  }

  /** Whether part of a request has been consumed and the rest is still missing. */
  public boolean hasPartialRequest() {
    return state != State.HEAD || headLen > 0;
  }

  /**
   * True exactly once after headers carrying {@code Expect: 100-continue} (HTTP/1.1) when a body
   * is still to come, so the caller can send an interim 100 (RFC 9110 §10.1.1).
   */
  public boolean takeExpectContinue() {
    boolean e = expectContinue;
    expectContinue = false;
    return e;
  }

  /**
   * Consumes bytes of one request. Returns it when complete, else null with {@code in} drained.
   */
  public HttpRequest feed(ByteBuffer in) throws HttpParseException {
    if (state == State.CORRUPT) throw failure;
    try {
      return parse(in);
    } catch (HttpParseException e) {
      state = State.CORRUPT;
      failure = e;
      throw e;
    }
  }

  private HttpRequest parse(ByteBuffer in) throws HttpParseException {
    while (in.hasRemaining()) {
      switch (state) {
        case HEAD -> {
          if (readHead(in)) {
            HttpRequest done = startBody();
            if (done != null) return done;
          }
        }
        case BODY -> {
          int n = (int) Math.min(remaining, in.remaining());
          appendBody(in, n);
          remaining -= n;
          if (remaining == 0) return finish();
        }
        case CHUNK_SIZE -> {
          if (readLine(in)) onChunkSize();
        }
        case CHUNK_DATA -> {
          int n = (int) Math.min(remaining, in.remaining());
          appendBody(in, n);
          remaining -= n;
          if (remaining == 0) {
            state = State.CHUNK_DATA_END;
            lineLen = 0;
          }
        }
        case CHUNK_DATA_END -> {
          if (readLine(in)) {
            // RFC 9112 §7.1: chunk-data is followed by CRLF and nothing else.
            if (lineLen != 0) throw new HttpParseException(400, "Invalid chunk size");
            state = State.CHUNK_SIZE;
          }
        }
        case TRAILERS -> {
          if (readLine(in)) {
            if (lineLen == 0) return finish();
            trailerBytes += lineLen + 2;
            if (trailerBytes > limits.maxHeaderBytes()) throw new HttpParseException(431, "Header section too large");
            lineLen = 0;
          }
        }
        default -> throw failure;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ header section

  /** Accumulates the header section; true once the empty line ending it has arrived. */
  private boolean readHead(ByteBuffer in) throws HttpParseException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (headLen == head.length) grow();
      head[headLen++] = b;
      if (b == '\n') {
        // RFC 9112 §2.2: we accept only CRLF; a bare LF is a smuggling vector (hostile-inputs A34).
        if (headLen < 2 || head[headLen - 2] != '\r') throw new HttpParseException(400, "Bare LF in header section");
        int len = headLen - 2 - lineStart;
        if (len == 0) {
          if (lines == 0) {
            // RFC 9112 §2.2: ignore empty lines before the request line, but only a few.
            if (++leadingEmpty > MAX_LEADING_EMPTY_LINES) throw new HttpParseException(400, "Invalid request line");
            headLen = 0;
            lineStart = 0;
            continue;
          }
          parseHead();
          return true;
        }
        lines++;
        if (lines > limits.maxHeaderCount() + 1) throw new HttpParseException(431, "Too many headers");
        lineStart = headLen;
      } else if (lines == 0 && headLen > limits.maxRequestLineBytes()) {
        throw new HttpParseException(414, "Request line too long");
      }
      if (headLen > limits.maxHeaderBytes()) throw new HttpParseException(431, "Header section too large");
    }
    return false;
  }

  private void grow() {
    int next = Math.min(Math.max(256, head.length * 2), limits.maxHeaderBytes() + 2);
    head = Arrays.copyOf(head, next);
  }

  private void parseHead() throws HttpParseException {
    int end = indexOfCrlf(0);
    parseRequestLine(0, end);
    HttpHeaders.Builder hb = new HttpHeaders.Builder();
    int pos = end + 2;
    while (pos < headLen - 2) {
      int e = indexOfCrlf(pos);
      parseHeaderLine(pos, e, hb);
      pos = e + 2;
    }
    headers = hb.build();
  }

  private int indexOfCrlf(int from) {
    for (int i = from; i < headLen - 1; i++) if (head[i] == '\r' && head[i + 1] == '\n') return i;
    return headLen;
  }

  private void parseRequestLine(int start, int end) throws HttpParseException {
    // RFC 9112 §3: method SP request-target SP HTTP-version
    int sp1 = indexOf(' ', start, end);
    int sp2 = sp1 < 0 ? -1 : indexOf(' ', sp1 + 1, end);
    if (sp1 <= start || sp2 < 0 || sp2 == sp1 + 1 || indexOf(' ', sp2 + 1, end) >= 0) {
      throw new HttpParseException(400, "Invalid request line");
    }
    for (int i = start; i < sp1; i++) {
      if (!isTokenChar(head[i])) throw new HttpParseException(400, "Invalid request line");
    }
    for (int i = sp1 + 1; i < sp2; i++) {
      // RFC 9112 §3.2: visible ASCII only in the request-target.
      if (head[i] <= 0x20 || head[i] >= 0x7f) throw new HttpParseException(400, "Invalid request line");
    }
    method = ascii(start, sp1);
    target = ascii(sp1 + 1, sp2);
    version = ascii(sp2 + 1, end);
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      boolean wellFormed = version.length() == 8 && version.startsWith("HTTP/")
          && Character.isDigit(version.charAt(5)) && version.charAt(6) == '.' && Character.isDigit(version.charAt(7));
      // RFC 9110 §15.6.6: 505 for a version we do not speak (the HTTP/2 preface; hostile A37).
      if (wellFormed) throw new HttpParseException(505, "Unsupported HTTP version");
      throw new HttpParseException(400, "Invalid request line");
    }
    boolean originForm = target.startsWith("/");
    boolean asterisk = target.equals("*") && method.equals("OPTIONS");
    if (!originForm && !asterisk) throw new HttpParseException(400, "Invalid request target");
  }

  private void parseHeaderLine(int start, int end, HttpHeaders.Builder hb) throws HttpParseException {
    // RFC 9112 §5.2: obsolete line folding is refused (hostile-inputs A34).
    if (head[start] == ' ' || head[start] == '\t') throw new HttpParseException(400, "Obsolete line folding");
    int colon = indexOf(':', start, end);
    if (colon <= start) throw new HttpParseException(400, "Invalid header name");
    for (int i = start; i < colon; i++) {
      // RFC 9112 §5.1: no whitespace between the name and the colon; names are tokens.
      if (!isTokenChar(head[i])) throw new HttpParseException(400, "Invalid header name");
    }
    int vs = colon + 1;
    int ve = end;
    while (vs < ve && (head[vs] == ' ' || head[vs] == '\t')) vs++;
    while (ve > vs && (head[ve - 1] == ' ' || head[ve - 1] == '\t')) ve--;
    for (int i = vs; i < ve; i++) {
      int c = head[i] & 0xff;
      // RFC 9110 §5.5: field values hold no control characters but HTAB.
      if ((c < 0x20 && c != '\t') || c == 0x7f) throw new HttpParseException(400, "Invalid header value");
    }
    hb.add(ascii(start, colon), new String(head, vs, ve - vs, StandardCharsets.ISO_8859_1));
  }

  private int indexOf(char c, int from, int to) {
    for (int i = from; i < to; i++) if (head[i] == c) return i;
    return -1;
  }

  private String ascii(int from, int to) {
    return new String(head, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** RFC 9110 §5.6.2 tchar. */
  static boolean isTokenChar(byte b) {
    int c = b & 0xff;
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return true;
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0 && c != 0;
  }

  // ------------------------------------------------------------------ body framing

  /** Decides the body framing (RFC 9112 §6.3); returns the request when it has no body. */
  private HttpRequest startBody() throws HttpParseException {
    List<String> te = headers.all("Transfer-Encoding");
    List<String> cl = headers.all("Content-Length");
    bodyLen = 0;
    body = null;
    if (!te.isEmpty() && !cl.isEmpty()) {
      throw new HttpParseException(400, "Both Content-Length and Transfer-Encoding"); // §6.3 item 3
    }
    if (!te.isEmpty()) {
      if (!version.equals("HTTP/1.1")) throw new HttpParseException(400, "Transfer-Encoding in HTTP/1.0");
      if (te.size() != 1 || !te.get(0).equalsIgnoreCase("chunked")) {
        throw new HttpParseException(501, "Unsupported Transfer-Encoding");
      }
      state = State.CHUNK_SIZE;
      lineLen = 0;
      noteExpect();
      return null;
    }
    if (!cl.isEmpty()) {
      long length = parseContentLength(cl);
      if (length > limits.maxBodyBytes()) throw new HttpParseException(413, "Body too large");
      if (length > 0) {
        state = State.BODY;
        remaining = length;
        noteExpect();
        return null;
      }
    }
    return finish();
  }

  private static long parseContentLength(List<String> values) throws HttpParseException {
    // RFC 9112 §6.3 item 5: several or malformed lengths are unrecoverable (hostile-inputs A34).
    if (values.size() != 1) throw new HttpParseException(400, "Invalid Content-Length");
    String v = values.get(0);
    if (v.isEmpty() || v.length() > 12) {
      if (v.length() > 12 && v.chars().allMatch(Character::isDigit)) throw new HttpParseException(413, "Body too large");
      throw new HttpParseException(400, "Invalid Content-Length");
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') throw new HttpParseException(400, "Invalid Content-Length");
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private void noteExpect() {
    String expect = headers.first("Expect");
    expectContinue = expect != null && expect.equalsIgnoreCase("100-continue") && version.equals("HTTP/1.1");
  }

  private void appendBody(ByteBuffer in, int n) throws HttpParseException {
    if (n == 0) return;
    long total = (long) bodyLen + n;
    if (total > limits.maxBodyBytes()) throw new HttpParseException(413, "Body too large");
    if (body == null || total > body.length) {
      // Grow with what arrives, not with what was declared (hostile-inputs A17).
      long want = Math.max(total, body == null ? Math.min(total + remaining, 8192) : (long) body.length * 2);
      int cap = (int) Math.min(want, limits.maxBodyBytes());
      body = body == null ? new byte[cap] : Arrays.copyOf(body, cap);
    }
    in.get(body, bodyLen, n);
    bodyLen += n;
  }

  /** Reads one CRLF-terminated line into {@link #line}; true when complete. */
  private boolean readLine(ByteBuffer in) throws HttpParseException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (b == '\n') {
        if (lineLen == 0 || line[lineLen - 1] != '\r') throw new HttpParseException(400, "Invalid chunk size");
        lineLen--;
        return true;
      }
      if (lineLen == line.length) {
        if (state == State.TRAILERS) throw new HttpParseException(431, "Header section too large");
        throw new HttpParseException(400, "Invalid chunk size");
      }
      line[lineLen++] = b;
    }
    return false;
  }

  private void onChunkSize() throws HttpParseException {
    // RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF, size in hex; extensions are ignored.
    int end = 0;
    while (end < lineLen && line[end] != ';' && line[end] != ' ' && line[end] != '\t') end++;
    if (end == 0 || end > 8) throw new HttpParseException(400, "Invalid chunk size");
    long size = 0;
    for (int i = 0; i < end; i++) {
      int d = Character.digit(line[i], 16);
      if (d < 0) throw new HttpParseException(400, "Invalid chunk size");
      size = size * 16 + d;
    }
    lineLen = 0;
    if (size == 0) {
      state = State.TRAILERS;
      trailerBytes = 0;
      return;
    }
    if (bodyLen + size > limits.maxBodyBytes()) throw new HttpParseException(413, "Body too large");
    remaining = size;
    state = State.CHUNK_DATA;
  }

  private HttpRequest finish() {
    byte[] b = body == null ? new byte[0] : bodyLen == body.length ? body : Arrays.copyOf(body, bodyLen);
    HttpRequest r = HttpRequest.of(method, target, version, headers, b);
    state = State.HEAD;
    head = head.length > 1024 ? new byte[0] : head; // do not keep a large buffer for an idle connection
    headLen = 0;
    lineStart = 0;
    lines = 0;
    leadingEmpty = 0;
    body = null;
    bodyLen = 0;
    remaining = 0;
    lineLen = 0;
    expectContinue = false;
    method = target = version = null;
    headers = null;
    return r;
  }
}
