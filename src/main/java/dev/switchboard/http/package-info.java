/**
 * Pure HTTP/1.1 codec: {@link dev.switchboard.http.HttpRequestParser} turns bytes into
 * {@link dev.switchboard.http.HttpRequest}s, {@link dev.switchboard.http.HttpResponseWriter} turns
 * {@link dev.switchboard.http.HttpResponse}s into bytes, {@link dev.switchboard.http.QueryParameters}
 * decodes query strings. No sockets, threads or clocks; peer errors are
 * {@link dev.switchboard.http.HttpParseException}s carrying the status to answer with. The subset
 * we speak is written down in {@code spec-notes/http.md}.
 *
 * <p>Sections cited in this package:
 * <ul>
 *   <li>RFC 9112 §2.2 message parsing (CRLF, bare LF, leading empty lines):
 *       https://www.rfc-editor.org/rfc/rfc9112#section-2.2</li>
 *   <li>RFC 9112 §2.3 HTTP version: https://www.rfc-editor.org/rfc/rfc9112#section-2.3</li>
 *   <li>RFC 9112 §3 request line, §3.2 request target and Host:
 *       https://www.rfc-editor.org/rfc/rfc9112#section-3</li>
 *   <li>RFC 9112 §4 status line: https://www.rfc-editor.org/rfc/rfc9112#section-4</li>
 *   <li>RFC 9112 §5.1 field line parsing, §5.2 obsolete line folding:
 *       https://www.rfc-editor.org/rfc/rfc9112#section-5</li>
 *   <li>RFC 9112 §6.1 Transfer-Encoding, §6.3 message body length:
 *       https://www.rfc-editor.org/rfc/rfc9112#section-6.3</li>
 *   <li>RFC 9112 §7.1 chunked coding, §7.1.1 extensions, §7.1.2 trailers:
 *       https://www.rfc-editor.org/rfc/rfc9112#section-7.1</li>
 *   <li>RFC 9112 §9.3 persistence, §9.6 tear-down:
 *       https://www.rfc-editor.org/rfc/rfc9112#section-9.3</li>
 *   <li>RFC 9110 §5.5 field values, §5.6.1 lists, §5.6.2 tokens:
 *       https://www.rfc-editor.org/rfc/rfc9110#section-5.5</li>
 *   <li>RFC 9110 §8.6 Content-Length: https://www.rfc-editor.org/rfc/rfc9110#section-8.6</li>
 *   <li>RFC 9110 §10.1.1 Expect: https://www.rfc-editor.org/rfc/rfc9110#section-10.1.1</li>
 *   <li>RFC 9110 §15 status codes: https://www.rfc-editor.org/rfc/rfc9110#section-15</li>
 *   <li>WHATWG URL §5.1 application/x-www-form-urlencoded parsing:
 *       https://url.spec.whatwg.org/#urlencoded-parsing</li>
 * </ul>
 */
package dev.switchboard.http;
