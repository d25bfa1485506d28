package dev.switchboard.http;

/**
 * Caps on what one request may make us hold. Every cap answers before the bytes beyond it are
 * buffered, so memory per connection is bounded by these numbers, not by what the peer sends.
 *
 * @param maxRequestLineBytes request line; longer → 414 (hostile-inputs A11)
 * @param maxHeaderBytes whole header section including the request line; larger → 431 (A36)
 * @param maxHeaderCount header fields; more → 431 (A36)
 * @param maxBodyBytes body, Content-Length or chunked total; larger → 413 as soon as known (A16,
 *     A17, A18). Engine.IO sets it to maxHttpBufferSize.
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes) {
  public static final HttpLimits DEFAULTS = new HttpLimits(8192, 16384, 100, 1_000_000);

  public HttpLimits withMaxBodyBytes(long max) {
    return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, max);
  }
}
