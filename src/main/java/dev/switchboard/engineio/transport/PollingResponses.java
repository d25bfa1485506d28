package dev.switchboard.engineio.transport;

import dev.switchboard.http.AcceptEncoding;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a polling transport answers: the server-wide headers (CORS) on every response, and
 * compression of the data a GET carries (engine.io's {@code httpCompression}): gzip or deflate,
 * as the request's {@code Accept-Encoding} prefers, once the payload reaches {@code threshold}
 * bytes. One instance per server, shared by every polling transport.
 *
 * <p>Threading: immutable; called on the session's executor (compression is CPU work, never on
 * an I/O thread).
 */
public final class PollingResponses {
  /** No headers added, no compression: for transports built in tests. */
  public static final PollingResponses PLAIN = new PollingResponses(ResponseDecorator.NONE, false, 0);

  private final ResponseDecorator decorator;
  private final boolean compress;
  private final int threshold;

  /**
   * Responses decorated by {@code decorator}; GET payloads of at least {@code threshold} bytes
   * compressed when {@code compress} and the client accepts gzip or deflate.
   */
  public PollingResponses(ResponseDecorator decorator, boolean compress, int threshold) {
    this.decorator = decorator;
    this.compress = compress;
    this.threshold = threshold;
  }

  /** Answers {@code exchange}; {@code compressible} for the data of a GET, never for errors. */
  void respond(HttpExchange exchange, int status, String contentType, byte[] body, boolean compressible) {
    respond(exchange, status, contentType, body, compressible, null);
  }

  /** As above, with a {@code Set-Cookie} header when {@code setCookie} is not null. */
  void respond(HttpExchange exchange, int status, String contentType, byte[] body, boolean compressible,
      String setCookie) {
    HttpResponse.Builder b = HttpResponse.status(status)
        .header("Content-Type", contentType)
        // hostile-inputs.md#A28: payloads are never sniffed as HTML nor cached.
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-store");
    if (compressible && compress && body.length >= threshold) {
      // Node's engine.io offers the same two codings, gzip first (its polling transport).
      String coding = AcceptEncoding.choose(exchange.request().header("Accept-Encoding"), "gzip", "deflate");
      if (coding != null) {
        body = compressed(body, coding);
        b.header("Content-Encoding", coding);
      }
    }
    if (setCookie != null) b.header("Set-Cookie", setCookie);
    exchange.respond(decorator.decorate(exchange.request(), b).body(body).build());
  }

  /** RFC 9110 §8.4.1: gzip is RFC 1952, deflate the zlib format of RFC 1950 (not raw deflate). */
  private static byte[] compressed(byte[] body, String coding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 3));
    try (OutputStream z = coding.equals("gzip") ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
      z.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
