package dev.switchboard.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental HTTP/1.1 request parser (RFC 9112): bytes in, {@link HttpRequest}s out, no I/O.
 *
 * <pre>{@code
 * HttpRequestParser.Result result = parser.feed(readBuffer);
 * switch (result.kind()) {
 *   case NEED_MORE -> { }                                   // all of readBuffer consumed
 *   case HEAD -> {                                          // the body is still to come
 *     if (result.expectContinue()) write("HTTP/1.1 100 Continue\r\n\r\n");
 *     prepareFor(result.head());
 *   }
 *   case REQUEST -> handle(result.request());              // readBuffer holds what follows it
 * }
 * }</pre>
 *
 * <p>{@link #feed} consumes bytes only up to the end of the current request, so pipelined requests
 * and the WebSocket frames after an upgrade request stay in the caller's buffer. Everything one
 * call produced is in its {@link Result}, so a caller cannot act on the request and forget the
 * {@code 100 Continue} or the early head. Any violation
 * throws {@link HttpParseException} and leaves the parser {@link State#CORRUPT}: every later call
 * throws the same exception, because the framing of what follows is unknown.
 *
 * <p>Memory is bounded by {@link HttpLimits}: one line buffer of at most {@code maxHeaderBytes},
 * and a body array that grows with the bytes that actually arrived, up to {@code maxBodyBytes} or
 * the smaller limit the {@link BodyPolicy} gives the request's route; every growth of the body
 * array is first taken from the policy's shared budget and given back when the request completes
 * or is {@link #discardBody discarded}.
 *
 * <p>Threading: not thread-safe; one parser per connection, called by that connection's reader.
 */
public final class HttpRequestParser {

  /** Where the next byte belongs. A completed request returns the parser to REQUEST_LINE. */
  public enum State {
    REQUEST_LINE, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, CORRUPT
  }

  /** RFC 9112 §2.2 lets us skip CRLFs before a request line; a handful covers real clients. */
  static final int MAX_LEADING_EMPTY_LINES = 8;

  private static final int INITIAL_LINE_CAPACITY = 256;
  private static final int INITIAL_BODY_CAPACITY = 8192;
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final HttpLimits limits;
  private State state = State.REQUEST_LINE;
  private HttpParseException failure;

  /** The line being accumulated (request line, field line or trailer line), CRLF included. */
  private byte[] line = new byte[INITIAL_LINE_CAPACITY];
  private int lineLength;
  private int emptyLinesSkipped;
  /** Bytes of completed lines in the current header (or trailer) section. */
  private int sectionBytes;
  private int fieldCount;

  private String method;
  private String target;
  private String version;
  private HttpHeaders.Builder headerBuilder;
  private HttpHeaders headers;

  private byte[] body;
  private int bodyLength;
  /** BODY: bytes of Content-Length still to read. CHUNK_DATA: bytes of this chunk still to read. */
  private long bodyRemaining;
  /**
   * The body limit of the current request: the smaller of {@link HttpLimits#maxBodyBytes()} and
   * its route's ({@link BodyPolicy#maxBodyBytes}), set when its head is complete.
   */
  private long bodyLimit;
  private final BodyPolicy bodyPolicy;

  private final ChunkSizeLineReader chunkSizeLine = new ChunkSizeLineReader();
  private int chunkDataEndBytes;

  /** Where names, values, the target and the method come from, so that equal ones are shared. */
  private final SharedStrings shared;

  /** A parser with a table of shared strings of its own. */
  public HttpRequestParser(HttpLimits limits) {
    this(limits, new SharedStrings());
  }

  /** A parser sharing equal strings with the other parsers of this thread ({@link SharedStrings}). */
  public HttpRequestParser(HttpLimits limits, SharedStrings shared) {
    this(limits, shared, BodyPolicy.UNLIMITED);
  }

  /**
   * A parser sharing strings as above whose bodies are limited per route and take their buffers
   * from a shared budget ({@link BodyPolicy}).
   */
  public HttpRequestParser(HttpLimits limits, SharedStrings shared, BodyPolicy bodyPolicy) {
    if (limits == null) throw new IllegalArgumentException("limits == null");
    if (bodyPolicy == null) throw new IllegalArgumentException("bodyPolicy == null");
    this.limits = limits;
    this.shared = shared;
    this.bodyPolicy = bodyPolicy;
  }

  /**
   * What one call of {@link #feed} produced: exactly one of three {@link Kind}s, with what the
   * caller must act on. A result rather than callbacks because {@code feed} stops at the end of a
   * request so that the caller can change what the following bytes mean (dispatch, upgrade)
   * before any of them is parsed; an enum kind rather than subtypes so that a {@code switch}
   * expression over it is checked by the compiler for a forgotten case.
   */
  public static final class Result {
    /** The three outcomes of a {@link #feed}. */
    public enum Kind {
      /** The request is not complete; every byte of the input was consumed. */
      NEED_MORE,
      /**
       * The head of a request whose body is still to come was just parsed (once per such request):
       * {@link #head()}, and whether the client waits for {@code 100 Continue}. Every byte of the
       * input was consumed.
       */
      HEAD,
      /** A request is complete: {@link #request()}. The input holds whatever follows it. */
      REQUEST
    }

    private static final Result NEED_MORE = new Result(Kind.NEED_MORE, null, false);

    private final Kind kind;
    private final HttpRequest request;
    private final boolean expectContinue;

    private Result(Kind kind, HttpRequest request, boolean expectContinue) {
      this.kind = kind;
      this.request = request;
      this.expectContinue = expectContinue;
    }

    /** Which of the three outcomes this is. */
    public Kind kind() {
      return kind;
    }

    /** The complete request ({@link Kind#REQUEST}), else null. */
    public HttpRequest request() {
      return kind == Kind.REQUEST ? request : null;
    }

    /**
     * The request line and headers with an empty body ({@link Kind#HEAD}), else null: the caller
     * may act before the body arrives, e.g. refuse a second upload that overlaps a first
     * (engine.io's "data request overlap").
     */
    public HttpRequest head() {
      return kind == Kind.HEAD ? request : null;
    }

    /**
     * Whether the client of a {@link Kind#HEAD} sent {@code Expect: 100-continue} on HTTP/1.1 and
     * waits for {@code 100 Continue} before sending the body (RFC 9110 §10.1.1); false for the
     * other kinds: once the request is complete the client is no longer waiting.
     */
    public boolean expectContinue() {
      return expectContinue;
    }

    @Override
    public String toString() {
      return kind == Kind.NEED_MORE ? "NEED_MORE"
          : kind + " " + request.method() + " " + request.target() + (expectContinue ? " (100-continue)" : "");
    }
  }

  private static final byte[] NO_BODY = new byte[0];

  /**
   * Consumes bytes of {@code in} up to the end of the current request. Returns
   * {@link Result.Kind#REQUEST} with it, leaving the bytes after it in {@code in} (call again for
   * a pipelined request); or, having consumed all of {@code in}, {@link Result.Kind#HEAD} when
   * this call completed the head of a request whose body is still to come, else
   * {@link Result.Kind#NEED_MORE}.
   *
   * @throws HttpParseException on any violation; the parser is then corrupt for good.
   */
  public Result feed(ByteBuffer in) throws HttpParseException {
    if (state == State.CORRUPT) throw failure;
    boolean headCompleted = false;
    try {
      while (true) {
        switch (state) {
          case REQUEST_LINE:
            if (!readLine(in, limits.maxRequestLineBytes(), 414, "Request line too long")) return needMore(false);
            onRequestLine();
            break;
          case HEADERS:
            if (!readLine(in, limits.maxHeaderBytes() - sectionBytes, 431, "Header section too large")) {
              return needMore(false);
            }
            if (lineLength == 2 && line[0] == CR) {
              HttpRequest request = onHeadersComplete();
              if (request != null) return new Result(Result.Kind.REQUEST, request, false);
              headCompleted = true;
            } else {
              onFieldLine(true);
            }
            break;
          case BODY:
            if (readFixedBody(in)) return complete();
            return needMore(headCompleted);
          case CHUNK_SIZE:
            if (!chunkSizeLine.read(in)) return needMore(headCompleted);
            onChunkSize(chunkSizeLine.size());
            break;
          case CHUNK_DATA:
            if (!readChunkData(in)) return needMore(headCompleted);
            break;
          case CHUNK_DATA_END:
            if (!readChunkDataEnd(in)) return needMore(headCompleted);
            break;
          case TRAILERS:
            if (!readLine(in, limits.maxHeaderBytes() - sectionBytes, 431, "Header section too large")) {
              return needMore(headCompleted);
            }
            if (lineLength == 2 && line[0] == CR) return complete();
            // RFC 9112 §7.1.2: trailer fields may be discarded; we check and drop them.
            onFieldLine(false);
            break;
          default:
            throw new IllegalStateException(state.name());
        }
      }
    } catch (HttpParseException e) {
      state = State.CORRUPT;
      failure = e;
      discardBody(); // nothing more is read: the budget gets its bytes back at once
      throw e;
    }
  }

  /**
   * True once any byte of a request has been consumed and the request is not complete: the
   * connection is mid-request (header/body read timeout) rather than idle (keep-alive timeout).
   */
  public boolean hasPartialRequest() {
    return switch (state) {
      case REQUEST_LINE -> lineLength > 0 || emptyLinesSkipped > 0;
      case CORRUPT -> false;
      default -> true;
    };
  }

  /**
   * All of the input was consumed and the request is not complete. If this call of feed parsed
   * the head and the body is still to come, the caller hears of the head now, once.
   */
  private Result needMore(boolean headCompleted) {
    if (!headCompleted) return Result.NEED_MORE;
    // RFC 9110 §10.1.1: the 100-continue expectation (case-insensitive); ignored in HTTP/1.0.
    boolean expectContinue = "HTTP/1.1".equals(version) && headers.hasToken("Expect", "100-continue");
    return new Result(Result.Kind.HEAD, HttpRequest.of(method, target, version, headers, NO_BODY), expectContinue);
  }

  State state() {
    return state;
  }

  /** Body bytes of the current request received so far (after chunked decoding). */
  public long bodyBytesReceived() {
    return bodyLength;
  }

  /**
   * Drops the body buffered for an unfinished request and gives its bytes back to the
   * {@link BodyPolicy}'s budget. Call when the request will never complete (refused, timed out,
   * connection closed); idempotent. The parser is left as it was (a corrupt parser stays corrupt).
   */
  public void discardBody() {
    if (body != null) bodyPolicy.release(body.length);
    body = null;
    bodyLength = 0;
  }

  // ---- lines ----------------------------------------------------------------------------------

  /**
   * Appends bytes of {@code in} to {@link #line} up to and including the next LF. Takes at most
   * one byte more than {@code budget} (bytes this line may still use, LF included), so that a
   * line crossing the limit fails without buffering anything past it.
   */
  private boolean readLine(ByteBuffer in, int budget, int status, String message) throws HttpParseException {
    int allowed = budget - lineLength;
    int scan = Math.min(in.remaining(), allowed + 1);
    int start = in.position();
    int take = scan;
    boolean complete = false;
    for (int i = 0; i < scan; i++) {
      if (in.get(start + i) == LF) {
        take = i + 1;
        complete = true;
        break;
      }
    }
    if (take > allowed) throw new HttpParseException(status, message);
    ensureLineCapacity(lineLength + take);
    in.get(line, lineLength, take);
    lineLength += take;
    return complete;
  }

  private void ensureLineCapacity(int needed) {
    if (needed <= line.length) return;
    // Never past maxHeaderBytes: readLine refuses lines over the section budget.
    int capacity = Math.min(Math.max(needed, line.length * 2), limits.maxHeaderBytes());
    line = Arrays.copyOf(line, capacity);
  }

  /** The content of a complete line, after checking it ends in CRLF (RFC 9112 §2.2). */
  private int contentEnd(String bareLfMessage) throws HttpParseException {
    // RFC 9112 §2.2 allows a recipient to accept a bare LF; we do not, because a front end that
    // disagrees would frame the request differently (request smuggling).
    if (lineLength < 2 || line[lineLength - 2] != CR) throw new HttpParseException(400, bareLfMessage);
    return lineLength - 2;
  }

  // ---- request line ---------------------------------------------------------------------------

  private void onRequestLine() throws HttpParseException {
    int end = contentEnd("Bare LF in request line");
    if (end == 0) {
      // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
      if (++emptyLinesSkipped > MAX_LEADING_EMPTY_LINES) {
        throw new HttpParseException(400, "Too many empty lines before request line");
      }
      lineLength = 0;
      return;
    }
    // RFC 9112 §3: request-line = method SP request-target SP HTTP-version; exactly two SPs.
    int sp1 = indexOf(' ', 0, end);
    int sp2 = sp1 < 0 ? -1 : indexOf(' ', sp1 + 1, end);
    if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || sp2 == end - 1 || indexOf(' ', sp2 + 1, end) >= 0) {
      throw new HttpParseException(400, "Invalid request line");
    }
    // RFC 9112 §3.1: method = token.
    for (int i = 0; i < sp1; i++) {
      if (!Tokens.isTchar(line[i] & 0xff)) throw new HttpParseException(400, "Invalid request line");
    }
    // Version before target, so that the HTTP/2 preface "PRI * HTTP/2.0" is answered 505.
    version = parseVersion(sp2 + 1, end);
    method = shared.method(line, 0, sp1);
    target = parseTarget(sp1 + 1, sp2);
    sectionBytes = lineLength;
    lineLength = 0;
    fieldCount = 0;
    headerBuilder = new HttpHeaders.Builder();
    state = State.HEADERS;
  }

  private String parseVersion(int from, int to) throws HttpParseException {
    // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
    if (to - from != 8
        || line[from] != 'H' || line[from + 1] != 'T' || line[from + 2] != 'T' || line[from + 3] != 'P'
        || line[from + 4] != '/' || !isDigit(line[from + 5]) || line[from + 6] != '.' || !isDigit(line[from + 7])) {
      throw new HttpParseException(400, "Invalid HTTP version");
    }
    if (line[from + 5] == '1' && line[from + 7] == '1') return "HTTP/1.1";
    if (line[from + 5] == '1' && line[from + 7] == '0') return "HTTP/1.0";
    // RFC 9110 §15.6.6: 505 for a major version we do not speak, including HTTP/2's preface.
    throw new HttpParseException(505, "Unsupported HTTP version");
  }

  private String parseTarget(int from, int to) throws HttpParseException {
    // RFC 9112 §3.2: the target holds no whitespace or controls; we also refuse non-ASCII bytes.
    for (int i = from; i < to; i++) {
      int b = line[i] & 0xff;
      if (b <= 0x20 || b >= 0x7f) throw new HttpParseException(400, "Invalid request target");
    }
    // RFC 9112 §3.2.1 origin-form, or §3.2.4 asterisk-form for OPTIONS only. We are no proxy and
    // do not accept absolute-form (§3.2.2) or authority-form (§3.2.3): our clients never send them.
    boolean originForm = line[from] == '/';
    boolean asteriskForm = to - from == 1 && line[from] == '*' && "OPTIONS".equals(method);
    if (!originForm && !asteriskForm) throw new HttpParseException(400, "Invalid request target");
    return shared.target(line, from, to - from);
  }

  // ---- header and trailer fields --------------------------------------------------------------

  private void onFieldLine(boolean keep) throws HttpParseException {
    int end = contentEnd("Bare LF in header section");
    sectionBytes += lineLength;
    lineLength = 0;
    if (++fieldCount > limits.maxHeaderCount()) throw new HttpParseException(431, "Too many headers");
    // RFC 9112 §5.2: a server MUST reject obs-fold with 400 (or unfold it; we do not).
    // RFC 9112 §2.2: the same for whitespace before the first field line.
    if (line[0] == ' ' || line[0] == '\t') throw new HttpParseException(400, "Obsolete line folding");
    // RFC 9110 §5.1: field-name = token. RFC 9112 §5.1: whitespace before the colon MUST be 400.
    int colon = -1;
    for (int i = 0; i < end; i++) {
      byte b = line[i];
      if (b == ':') {
        colon = i;
        break;
      }
      if (!Tokens.isTchar(b & 0xff)) throw new HttpParseException(400, "Invalid header name");
    }
    if (colon <= 0) throw new HttpParseException(400, "Invalid header name");
    // RFC 9112 §5.1: OWS around the value is not part of it.
    int from = colon + 1;
    int to = end;
    while (from < to && isOws(line[from])) from++;
    while (to > from && isOws(line[to - 1])) to--;
    // RFC 9110 §5.5: field-vchar = VCHAR / obs-text, with SP and HTAB inside; any other control
    // (NUL, CR, LF, DEL) MUST be rejected or replaced; we reject.
    for (int i = from; i < to; i++) {
      int b = line[i] & 0xff;
      if ((b < 0x20 && b != '\t') || b == 0x7f) throw new HttpParseException(400, "Invalid header value");
    }
    // RFC 9110 §5.5: obs-text bytes carry no defined charset; ISO-8859-1 keeps each byte as one char.
    if (keep) {
      // Equal names and values of headers alike across clients are one String (SharedStrings).
      SharedStrings.KnownName known = shared.knownName(line, 0, colon);
      String name = known != null ? known.name() : latin1(0, colon);
      headerBuilder.add(name, shared.value(known, line, from, to - from));
    }
  }

  /** The request when it has no body; otherwise null, with the state set to read the body. */
  private HttpRequest onHeadersComplete() throws HttpParseException {
    headers = headerBuilder.build();
    headerBuilder = null;
    sectionBytes = 0;
    lineLength = 0;
    boolean http11 = "HTTP/1.1".equals(version);
    // RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, or with more than one.
    int hosts = headers.count("Host");
    if (hosts == 0 && http11) throw new HttpParseException(400, "Missing Host header");
    if (hosts > 1) throw new HttpParseException(400, "Multiple Host headers");

    int transferEncodings = headers.count("Transfer-Encoding");
    int contentLengths = headers.count("Content-Length");
    if (transferEncodings > 0) {
      // RFC 9112 §6.3 item 3: both present is a smuggling attempt; we reject rather than let TE win.
      if (contentLengths > 0) throw new HttpParseException(400, "Both Content-Length and Transfer-Encoding");
      // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message MUST be treated as faulty framing.
      if (!http11) throw new HttpParseException(400, "Transfer-Encoding in HTTP/1.0");
      checkTransferEncoding();
      bodyLimit = routeBodyLimit();
      chunkSizeLine.startBody();
      state = State.CHUNK_SIZE;
    } else if (contentLengths > 0) {
      long length = parseContentLength(contentLengths);
      if (length == 0) return completeRequest();
      // Checked before any body byte is read or any array sized by it is allocated: the route's
      // limit, so that a 1 MB declared on a 4 KB route is refused at once (issue #14).
      bodyLimit = routeBodyLimit();
      if (length > bodyLimit) throw new HttpParseException(413, "Body too large");
      bodyRemaining = length;
      state = State.BODY;
    } else {
      // RFC 9112 §6.3 item 7: a request with neither field has no body.
      return completeRequest();
    }
    return null;
  }

  /** The smaller of the server's body limit and the route's, from the head just parsed. */
  private long routeBodyLimit() {
    long route = bodyPolicy.maxBodyBytes(HttpRequest.of(method, target, version, headers, NO_BODY));
    return Math.max(0, Math.min(limits.maxBodyBytes(), route));
  }

  private long parseContentLength(int fields) throws HttpParseException {
    // RFC 9110 §8.6 lets a recipient merge identical values; we refuse any repetition or list,
    // since an intermediary that merged differently would see a different message boundary.
    if (fields > 1) throw new HttpParseException(400, "Invalid Content-Length");
    String value = headers.first("Content-Length");
    // RFC 9110 §8.6: Content-Length = 1*DIGIT. 18 digits cannot overflow a long.
    if (value.isEmpty() || value.length() > 18) throw new HttpParseException(400, "Invalid Content-Length");
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') throw new HttpParseException(400, "Invalid Content-Length");
      length = length * 10 + (c - '0');
    }
    return length;
  }

  /**
   * The codings, across every Transfer-Encoding field (RFC 9110 §5.3 joins them as one list),
   * must end in exactly one {@code chunked}, and we decode no other coding.
   */
  private void checkTransferEncoding() throws HttpParseException {
    boolean chunkedLast = false;
    boolean chunkedSeen = false;
    boolean otherSeen = false;
    for (int f = 0; f < headers.size(); f++) {
      if (!headers.name(f).equalsIgnoreCase("Transfer-Encoding")) continue;
      String value = headers.value(f);
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        int from = start;
        int to = end;
        while (from < to && isOws((byte) value.charAt(from))) from++;
        while (to > from && isOws((byte) value.charAt(to - 1))) to--;
        // RFC 9110 §5.6.1: empty list elements are ignored.
        if (to > from) {
          boolean chunked = value.regionMatches(true, from, "chunked", 0, 7) && to - from == 7;
          // RFC 9112 §6.1: chunked MUST NOT be applied more than once.
          if (chunked && chunkedSeen) throw new HttpParseException(400, "Invalid Transfer-Encoding");
          chunkedSeen |= chunked;
          otherSeen |= !chunked;
          chunkedLast = chunked;
        }
        if (comma < 0) break;
        start = comma + 1;
      }
    }
    // RFC 9112 §6.3 item 4: chunked not final means the length is unknown: 400 and close.
    if (!chunkedLast) throw new HttpParseException(400, "Invalid Transfer-Encoding");
    // RFC 9112 §6.1: a coding we do not understand SHOULD get 501.
    if (otherSeen) throw new HttpParseException(501, "Unsupported Transfer-Encoding");
  }

  // ---- bodies ---------------------------------------------------------------------------------

  private boolean readFixedBody(ByteBuffer in) throws HttpParseException {
    int n = (int) Math.min(in.remaining(), bodyRemaining);
    appendBody(in, n, bodyLength + bodyRemaining);
    bodyRemaining -= n;
    return bodyRemaining == 0;
  }

  /**
   * Copies {@code n} bytes into the body, growing it with what arrived, never past {@code cap}.
   * Each growth is taken from the shared budget first; over it, 503 before allocating.
   */
  private void appendBody(ByteBuffer in, int n, long cap) throws HttpParseException {
    if (n == 0) return;
    int needed = bodyLength + n;
    if (body == null || needed > body.length) {
      int current = body == null ? INITIAL_BODY_CAPACITY / 2 : body.length;
      int capacity = (int) Math.min(cap, Math.max(needed, (long) current * 2));
      int held = body == null ? 0 : body.length;
      // RFC 9110 §15.6.4: 503 is for a temporary overload; the caller adds Retry-After.
      if (!bodyPolicy.reserve(capacity - held)) throw new HttpParseException(503, "Too many request bodies in progress");
      body = body == null ? new byte[capacity] : Arrays.copyOf(body, capacity);
    }
    in.get(body, bodyLength, n);
    bodyLength = needed;
  }

  private void onChunkSize(long chunkSize) throws HttpParseException {
    if (chunkSize == 0) {
      // RFC 9112 §7.1: last-chunk, then the trailer section, limited like the header section.
      state = State.TRAILERS;
      sectionBytes = 0;
      fieldCount = 0;
      lineLength = 0;
      return;
    }
    // The running total is checked against the declared chunk before reading it: fail at the
    // chunk that crosses the limit, not after buffering it. chunkSize < 2^32, so no overflow.
    if (bodyLength + chunkSize > bodyLimit) throw new HttpParseException(413, "Body too large");
    bodyRemaining = chunkSize;
    state = State.CHUNK_DATA;
  }

  private boolean readChunkData(ByteBuffer in) throws HttpParseException {
    int n = (int) Math.min(in.remaining(), bodyRemaining);
    appendBody(in, n, bodyLimit);
    bodyRemaining -= n;
    if (bodyRemaining > 0) return false;
    chunkDataEndBytes = 0;
    state = State.CHUNK_DATA_END;
    return true;
  }

  private boolean readChunkDataEnd(ByteBuffer in) throws HttpParseException {
    while (in.hasRemaining()) {
      // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF.
      byte expected = chunkDataEndBytes == 0 ? CR : LF;
      if (in.get() != expected) throw new HttpParseException(400, "Missing CRLF after chunk data");
      if (++chunkDataEndBytes == 2) {
        chunkSizeLine.startLine();
        state = State.CHUNK_SIZE;
        return true;
      }
    }
    return false;
  }

  // ---- completion -----------------------------------------------------------------------------

  private Result complete() {
    return new Result(Result.Kind.REQUEST, completeRequest(), false);
  }

  /** The request now complete; the parser is ready for the next one. */
  private HttpRequest completeRequest() {
    byte[] content;
    if (body == null) {
      content = new byte[0];
    } else {
      content = body.length == bodyLength ? body : Arrays.copyOf(body, bodyLength);
      // The body now belongs to the request handed on: it no longer counts as being received.
      bodyPolicy.release(body.length);
    }
    HttpRequest request = HttpRequest.of(method, target, version, headers, content);
    state = State.REQUEST_LINE;
    lineLength = 0;
    // An idle keep-alive connection should not keep one long cookie's worth of buffer.
    if (line.length > INITIAL_LINE_CAPACITY * 16) line = new byte[INITIAL_LINE_CAPACITY];
    emptyLinesSkipped = 0;
    sectionBytes = 0;
    fieldCount = 0;
    method = null;
    target = null;
    version = null;
    headers = null;
    body = null;
    bodyLength = 0;
    bodyRemaining = 0;
    bodyLimit = 0;
    return request;
  }

  // ---- bytes ----------------------------------------------------------------------------------

  private int indexOf(char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (line[i] == c) return i;
    }
    return -1;
  }

  private String latin1(int offset, int length) {
    return new String(line, offset, length, StandardCharsets.ISO_8859_1);
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isOws(byte b) {
    return b == ' ' || b == '\t';
  }
}
