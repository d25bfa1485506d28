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
}
