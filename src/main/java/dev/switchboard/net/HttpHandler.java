package dev.switchboard.net;

import dev.switchboard.http.HttpRequest;

/**
 * Handles an HTTP request. The server calls its top-level handler (an {@link HttpRouter}) on the
 * I/O thread that parsed the request; the router runs application handlers on workers. At most
 * one request at a time per connection (pipelined requests are not run concurrently, so
 * responses leave in request order, RFC 9112 §9.3.2).
 *
 * <p>The handler must eventually answer with {@link HttpExchange#respond} or
 * {@link HttpExchange#upgradeToWebSocket}; it may do so later from any thread (a held long-poll).
 */
@FunctionalInterface
public interface HttpHandler {
  void handle(HttpExchange exchange);

  /**
   * The head of a request whose body is still arriving, on the I/O thread (must not block).
   * {@code connection} identifies the TCP connection; the same object is
   * {@link HttpExchange#connection()} when the request completes.
   */
  default void onRequestHead(HttpRequest head, Object connection) { }

  /** A request announced by {@link #onRequestHead} will never complete (refused or dropped). */
  default void onRequestAbandoned(HttpRequest head, Object connection) { }

  /**
   * The largest body this handler takes for a request with this head (its request line and
   * headers), asked on the I/O thread before any body byte is buffered: cheap, never blocking.
   * The server applies the smaller of this and its own limit ({@link NetOptions#httpLimits()});
   * a larger declared or received body is answered 413 at once (spec-notes/http.md, "Body limits
   * per route"). Default: no limit of its own.
   */
  default long maxBodyBytes(HttpRequest head) {
    return Long.MAX_VALUE;
  }
}
