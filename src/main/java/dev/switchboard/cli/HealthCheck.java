package dev.switchboard.cli;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpHandler;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /healthz}: {@code 200 ok} in plain text while the server accepts requests, for a load
 * balancer's health check ({@code deploy/haproxy.cfg}: {@code http-check send meth GET uri
 * /healthz}, {@code expect status 200}). Every server command routes it: the chat server,
 * {@code bench-server}, {@code conformance socket.io}. It says nothing about Redis: a clustered
 * node whose Redis is away still serves its own clients (the link reconnects by itself), and
 * taking every node out of rotation because their shared Redis blinked would stop the whole
 * service; a node only starts listening once it has reached Redis ({@link RedisCluster}).
 *
 * <p>Threading: stateless; called on a worker (application routes, spec-notes/threading.md).
 */
final class HealthCheck implements HttpHandler {
  private static final byte[] OK = "ok\n".getBytes(StandardCharsets.UTF_8);

  /** The path every server command routes this to. */
  static final String PATH = "/healthz";

  @Override
  public void handle(dev.switchboard.net.HttpExchange exchange) {
    exchange.respond(HttpResponse.status(200)
        .header("Content-Type", "text/plain; charset=UTF-8")
        .header("Cache-Control", "no-store")
        .body(OK.clone())
        .build());
  }
}
