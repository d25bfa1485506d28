package dev.switchboard.net;

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
}
