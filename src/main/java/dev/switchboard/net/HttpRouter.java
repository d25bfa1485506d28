package dev.switchboard.net;

import dev.switchboard.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends each request to the first route whose path predicate matches; 404 otherwise. Paths are
 * compared as received (still percent-encoded): no normalisation, so {@code /socket.io/../x}
 * never reaches another handler (hostile-inputs.md#A12).
 *
 * <p>Threading: {@link #handle} is called on the I/O thread that parsed the request. Ordinary
 * routes are handed to the worker pool. Routes added with {@link #inline} run right there: only
 * for handlers that never block and only hand work on (the Engine.IO router), so that requests
 * for one session reach it in the order they arrived. Build the router before the server starts.
 * A route's body limit is its handler's {@link HttpHandler#maxBodyBytes}, asked on the I/O thread
 * before the body is buffered.
 */
public final class HttpRouter implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(HttpRouter.class.getName());

  private record Route(Predicate<String> path, HttpHandler handler, boolean inline) {}

  private final List<Route> routes = new ArrayList<>();
  private final Executor workers;

  /** A router with no routes yet; ordinary routes run on {@code workers}. */
  public HttpRouter(Executor workers) {
    this.workers = workers;
  }

  /** Adds a route for one exact path, run on a worker. */
  public HttpRouter exact(String path, HttpHandler handler) {
    routes.add(new Route(path::equals, handler, false));
    return this;
  }

  /** Adds a route for every path the predicate accepts, run on a worker. */
  public HttpRouter matching(Predicate<String> path, HttpHandler handler) {
    routes.add(new Route(path, handler, false));
    return this;
  }

  /** Adds a route whose handler runs on the I/O thread: it must never block. */
  public HttpRouter inline(Predicate<String> path, HttpHandler handler) {
    routes.add(new Route(path, handler, true));
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String path = exchange.request().path();
    for (Route r : routes) {
      if (r.path.test(path)) {
        if (r.inline) {
          run(r.handler, exchange);
        } else {
          try {
            workers.execute(() -> run(r.handler, exchange));
          } catch (RejectedExecutionException e) {
            exchange.respond(plain(503, "Server shutting down\n"));
          }
        }
        return;
      }
    }
    exchange.respond(plain(404, "Not found\n"));
  }

  @Override
  public void onRequestHead(dev.switchboard.http.HttpRequest head, Object connection) {
    Route r = inlineRoute(head.path());
    if (r != null) r.handler.onRequestHead(head, connection);
  }

  @Override
  public void onRequestAbandoned(dev.switchboard.http.HttpRequest head, Object connection) {
    Route r = inlineRoute(head.path());
    if (r != null) r.handler.onRequestAbandoned(head, connection);
  }

  /** The limit of the route the request goes to (its handler's); a path no route takes: the server's. */
  @Override
  public long maxBodyBytes(dev.switchboard.http.HttpRequest head) {
    String path = head.path();
    for (Route r : routes) {
      if (r.path.test(path)) return r.handler.maxBodyBytes(head);
    }
    return Long.MAX_VALUE;
  }

  /** Only inline routes hear of heads: they run on the I/O thread and promise not to block. */
  private Route inlineRoute(String path) {
    for (Route r : routes) {
      if (r.path.test(path)) return r.inline ? r : null;
    }
    return null;
  }

  private static void run(HttpHandler handler, HttpExchange exchange) {
    try {
      handler.handle(exchange);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "handler failed", e);
      exchange.respond(plain(500, "Internal server error\n"));
    }
  }

  private static HttpResponse plain(int status, String text) {
    return HttpResponse.status(status)
        .header("Content-Type", "text/plain; charset=UTF-8")
        .header("X-Content-Type-Options", "nosniff")
        .body(text.getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
