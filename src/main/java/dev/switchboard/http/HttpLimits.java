package dev.switchboard.http;

/**
 * The sizes {@link HttpRequestParser} accepts from a peer. Every limit exists so that the memory
 * and work spent on one connection is bounded by our configuration, never by what the peer
 * declares or sends; the parser fails as soon as a limit is crossed, before buffering more.
 *
 * @param maxRequestLineBytes bytes of the request line, counting its CRLF (default 8192). Bounds
 *     the URL a peer can make us buffer (a 100 KB URL answers 414 after 8193 bytes). Engine.IO
 *     URLs are about 100 bytes; 8 KB is the common server default (nginx, Node).
 * @param maxHeaderBytes bytes of the whole header section, counting the request line and every
 *     CRLF including the final empty line (default 16384). Bounds slowloris-style header
 *     accumulation and one huge header (a 1 MB header or 100 × 16 KB cookies answers 431). The
 *     same budget applies again to a chunked body's trailer section.
 * @param maxHeaderCount field lines in the header section (default 100). Bounds the per-field
 *     objects a flood of tiny headers would create (10 000 headers answer 431 at the 101st).
 * @param maxBodyBytes bytes of a request body after chunked decoding (default 1 000 000, engine.io's
 *     {@code maxHttpBufferSize}). A larger {@code Content-Length} answers 413 before any body byte
 *     is read; a chunked body answers 413 at the chunk that would cross it.
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes) {

  /** 8192 / 16384 / 100 / 1 000 000. */
  public static final HttpLimits DEFAULTS = new HttpLimits(8192, 16384, 100, 1_000_000);

  /** The body is held in one array, so it must fit one (with the JDK's array-header headroom). */
  private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  public HttpLimits {
    // "GET / HTTP/1.1" plus CRLF is 16 bytes; anything smaller could not accept any request.
    if (maxRequestLineBytes < 16) throw new IllegalArgumentException("maxRequestLineBytes < 16");
    if (maxHeaderBytes < maxRequestLineBytes) {
      throw new IllegalArgumentException("maxHeaderBytes < maxRequestLineBytes");
    }
    if (maxHeaderCount < 1) throw new IllegalArgumentException("maxHeaderCount < 1");
    if (maxBodyBytes < 0 || maxBodyBytes > MAX_ARRAY_BYTES) {
      throw new IllegalArgumentException("maxBodyBytes out of range: " + maxBodyBytes);
    }
  }

  /** These limits with another body limit, e.g. {@code DEFAULTS.withMaxBodyBytes(8192)} for a login route. */
  public HttpLimits withMaxBodyBytes(long maxBodyBytes) {
    return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes);
  }
}
