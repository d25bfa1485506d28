package dev.switchboard.http;

/**
 * A request the peer sent cannot be accepted. Carries the status to answer with; after it the
 * connection must be closed, because the framing of whatever follows is unknown (RFC 9112 §6.3,
 * §9.6). The message is one of these exact sentences:
 *
 * <table>
 *   <caption>Status and message</caption>
 *   <tr><th>status</th><th>message</th><th>cause</th></tr>
 *   <tr><td>400</td><td>Invalid request line</td><td>not {@code method SP target SP version}, or a method that is not a token</td></tr>
 *   <tr><td>400</td><td>Invalid request target</td><td>not origin-form ({@code /…}), or {@code *} outside OPTIONS, or a byte outside VCHAR</td></tr>
 *   <tr><td>400</td><td>Invalid HTTP version</td><td>not {@code HTTP/DIGIT.DIGIT}</td></tr>
 *   <tr><td>400</td><td>Bare LF in request line</td><td>a line of the request line ended with LF alone</td></tr>
 *   <tr><td>400</td><td>Too many empty lines before request line</td><td>more than 8 leading CRLFs</td></tr>
 *   <tr><td>400</td><td>Bare LF in header section</td><td>a field line (or trailer line) ended with LF alone</td></tr>
 *   <tr><td>400</td><td>Obsolete line folding</td><td>a field line starting with SP or HTAB</td></tr>
 *   <tr><td>400</td><td>Invalid header name</td><td>empty, non-token byte (incl. NUL, space before the colon), or no colon</td></tr>
 *   <tr><td>400</td><td>Invalid header value</td><td>a control byte other than HTAB (incl. NUL, CR, DEL)</td></tr>
 *   <tr><td>400</td><td>Missing Host header</td><td>HTTP/1.1 without Host</td></tr>
 *   <tr><td>400</td><td>Multiple Host headers</td><td>more than one Host field</td></tr>
 *   <tr><td>400</td><td>Invalid Content-Length</td><td>not 1–18 digits, a list, or more than one field</td></tr>
 *   <tr><td>400</td><td>Both Content-Length and Transfer-Encoding</td><td>request smuggling shape</td></tr>
 *   <tr><td>400</td><td>Transfer-Encoding in HTTP/1.0</td><td>HTTP/1.0 has no chunked framing</td></tr>
 *   <tr><td>400</td><td>Invalid Transfer-Encoding</td><td>chunked missing, not last, or repeated</td></tr>
 *   <tr><td>400</td><td>Invalid chunk size</td><td>empty, non-hex, more than 8 hex digits, bad byte after it, CR without LF</td></tr>
 *   <tr><td>400</td><td>Invalid chunk extension</td><td>a control byte other than HTAB in a chunk extension</td></tr>
 *   <tr><td>400</td><td>Chunk extension too long</td><td>more than 16 KiB of chunk extensions in one body</td></tr>
 *   <tr><td>400</td><td>Missing CRLF after chunk data</td><td>chunk data not followed by CRLF</td></tr>
 *   <tr><td>400</td><td>Malformed query string</td><td>{@link QueryParameters}: bad percent-encoding, invalid UTF-8</td></tr>
 *   <tr><td>400</td><td>Too many query parameters</td><td>{@link QueryParameters}: more than 64</td></tr>
 *   <tr><td>413</td><td>Body too large</td><td>body over {@link HttpLimits#maxBodyBytes()} or its route's {@link BodyPolicy#maxBodyBytes}</td></tr>
 *   <tr><td>414</td><td>Request line too long</td><td>over {@link HttpLimits#maxRequestLineBytes()}</td></tr>
 *   <tr><td>431</td><td>Header section too large</td><td>over {@link HttpLimits#maxHeaderBytes()} (also trailers)</td></tr>
 *   <tr><td>431</td><td>Too many headers</td><td>over {@link HttpLimits#maxHeaderCount()} (also trailers)</td></tr>
 *   <tr><td>501</td><td>Unsupported Transfer-Encoding</td><td>a coding other than chunked before the final chunked</td></tr>
 *   <tr><td>503</td><td>Too many request bodies in progress</td><td>the body's buffer would cross the shared budget ({@link BodyPolicy#reserve})</td></tr>
 *   <tr><td>505</td><td>Unsupported HTTP version</td><td>well-formed but not HTTP/1.0 or HTTP/1.1 (e.g. the HTTP/2 preface)</td></tr>
 * </table>
 */
public final class HttpParseException extends Exception {
  private final int status;

  /** A refusal answered with {@code status} (400–599) and {@code message} as the body. */
  public HttpParseException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) throw new IllegalArgumentException("Not an error status: " + status);
    this.status = status;
  }

  /** The status code to answer with before closing the connection. */
  public int status() {
    return status;
  }

  @Override
  public String toString() {
    return "HttpParseException(" + status + " " + getMessage() + ")";
  }
}
