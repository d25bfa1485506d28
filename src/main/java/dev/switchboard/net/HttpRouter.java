package dev.switchboard.net;

import dev.switchboard.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request to the first route whose path predicate matches; 404 otherwise. Paths are
 * compared as received (still percent-encoded): no normalisation, so {@code /socket.io/../x}
 * never reaches another handler (hostile-inputs.md#A12).
 *
 * <p>Threading: {@link #handle} is called on the I/O thread that parsed the request. Ordinary
 * routes are handed to the worker pool. Routes added with {@link #inline} run right there: only
 * for handlers that never block and only hand work on (the Engine.IO router), so that requests
 * for one session reach it in the order they arrived. Routes may be added from any thread, also
 * while the server runs (an embedder attaching Socket.IO to its own server, {@link #mount}): the
 * table is an immutable array replaced under the router's monitor and read through one volatile
 * field, so a request sees the routes of one moment and pays no lock.
 * A route's body limit is its handler's {@link HttpHandler#maxBodyBytes}, asked on the I/O thread
 * before the body is buffered.
 */
public final class HttpRouter implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);

  private record Route(Predicate<String> path, HttpHandler handler, boolean inline) {}

  /** Copy-on-write: replaced whole under {@code this}, never changed in place. */
  private volatile Route[] routes = new Route[0];
  private final Executor workers;

  /** A router with no routes yet; ordinary routes run on {@code workers}. */
  public HttpRouter(Executor workers) {
    this.workers = workers;
  }

  /** The executor ordinary routes run on (what an attached Engine.IO server runs its sessions on). */
  public Executor workers() {
    return workers;
  }

  /** Adds a route for one exact path, run on a worker. */
  public HttpRouter exact(String path, HttpHandler handler) {
    return add(new Route(path::equals, handler, false), false);
  }

  /** Adds a route for every path the predicate accepts, run on a worker. */
  public HttpRouter matching(Predicate<String> path, HttpHandler handler) {
    return add(new Route(path, handler, false), false);
  }

  /** Adds a route whose handler runs on the I/O thread: it must never block. */
  public HttpRouter inline(Predicate<String> path, HttpHandler handler) {
    return add(new Route(path, handler, true), false);
  }

  /**
   * Adds an inline route (see {@link #inline}) ahead of every route already there, so that it
   * takes its paths even from an application's catch-all route — how Socket.IO attaches to an
   * application's server (Node's {@code io.attach(httpServer)} likewise serves its path before the
   * server's other request listeners). Any thread, also while the server runs.
   */
  public HttpRouter mount(Predicate<String> path, HttpHandler handler) {
    return add(new Route(path, handler, true), true);
  }

  /** Removes every route of {@code handler} (what {@link #mount} added). Any thread. */
  public synchronized HttpRouter unmount(HttpHandler handler) {
    List<Route> kept = new ArrayList<>(List.of(routes));
    kept.removeIf(r -> r.handler == handler);
    routes = kept.toArray(new Route[0]);
    return this;
  }

  private synchronized HttpRouter add(Route route, boolean first) {
    List<Route> next = new ArrayList<>(List.of(routes));
    next.add(first ? 0 : next.size(), route);
    routes = next.toArray(new Route[0]);
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String path = exchange.request().path();
    for (Route r : routes) { // one volatile read: the table of this moment
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
      LOG.warn("handler failed", e);
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
