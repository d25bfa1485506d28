package dev.switchboard.chat;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpExchange;
import dev.switchboard.net.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat web page: a fixed set of files from the classpath ({@code web/} in the jar), each
 * served at one exact path. The request path is only ever a key into that table, never part of a
 * resource name, so no request can reach any other file (no traversal, no encoding tricks).
 *
 * <p>Every file is read once, at construction: a missing one (say the socket.io-client bundle
 * that {@code npm ci} puts in {@code web/vendor/} at build time) fails the server's start, not a
 * visitor's request. Register the handler on each of {@link #paths()}:
 *
 * <pre>{@code
 * WebPage page = new WebPage();
 * for (String path : WebPage.paths()) io.route(path, page);
 * }</pre>
 *
 * <p>Threading: immutable after construction; {@link #handle} may run on any worker.
 */
public final class WebPage implements HttpHandler {
  /**
   * Only files of our own origin, no inline script or style, no plugins, no framing, no
   * {@code <base>} (auth-pitfalls §7): a message that slipped into the DOM as markup still could
   * not run. {@code data:} images are allowed: an image cannot run script.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
      + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
      + "form-action 'self'";

  private static final String HTML = "text/html; charset=UTF-8";
  private static final String JAVASCRIPT = "text/javascript; charset=UTF-8"; // RFC 9239 §6
  private static final String CSS = "text/css; charset=UTF-8";
  private static final String JSON = "application/json; charset=UTF-8";
  private static final String SVG = "image/svg+xml; charset=UTF-8";

  private record Asset(String resource, String contentType) {}

  /** Request path → classpath resource, the whole allow-list. */
  private static final Map<String, Asset> ASSETS = assets();

  private static Map<String, Asset> assets() {
    Map<String, Asset> m = new LinkedHashMap<>();
    m.put("/", new Asset("web/index.html", HTML));
    m.put("/app.js", new Asset("web/app.js", JAVASCRIPT));
    m.put("/app.css", new Asset("web/app.css", CSS));
    m.put("/favicon.svg", new Asset("web/favicon.svg", SVG));
    m.put("/vendor/socket.io.min.js", new Asset("web/vendor/socket.io.min.js", JAVASCRIPT));
    m.put("/vendor/socket.io.min.js.map", new Asset("web/vendor/socket.io.min.js.map", JSON));
    return Collections.unmodifiableMap(m);
  }

  private record Loaded(byte[] body, String contentType, String etag) {}

  private final Map<String, Loaded> files;

  /** Reads every file from this class's class loader; IllegalStateException if one is missing. */
  public WebPage() {
    this(WebPage.class.getClassLoader());
  }

  WebPage(ClassLoader loader) {
    Map<String, Loaded> m = new LinkedHashMap<>();
    ASSETS.forEach((path, asset) -> {
      byte[] body = read(loader, asset.resource());
      m.put(path, new Loaded(body, asset.contentType(), etag(body)));
    });
    files = Map.copyOf(m);
  }

  /** The exact paths to route to this handler, e.g. {@code "/"} and {@code "/app.js"}. */
  public static List<String> paths() {
    return List.copyOf(ASSETS.keySet());
  }

  @Override
  public void handle(HttpExchange exchange) {
    String method = exchange.request().method();
    Loaded file = files.get(exchange.request().path());
    if (file == null) {
      // Only reachable when routed with a predicate wider than paths().
      exchange.respond(text(404, "Not found\n").build());
      return;
    }
    // RFC 9110 §9.1: GET and HEAD are the only methods these resources support; 405 lists them.
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.respond(text(405, "Method not allowed\n").header("Allow", "GET, HEAD").build());
      return;
    }
    if (matches(exchange.request().header("If-None-Match"), file.etag)) {
      // RFC 9110 §15.4.5: a 304 repeats the validator and caching fields of the 200.
      exchange.respond(secured(HttpResponse.status(304))
          .header("ETag", file.etag)
          .header("Cache-Control", "no-cache")
          .build());
      return;
    }
    exchange.respond(secured(HttpResponse.status(200))
        .header("Content-Type", file.contentType)
        // File names carry no version, so every use revalidates; the ETag makes that a 304.
        .header("Cache-Control", "no-cache")
        .header("ETag", file.etag)
        .body(file.body)
        .build());
  }

  private static HttpResponse.Builder secured(HttpResponse.Builder b) {
    return b.header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("Referrer-Policy", "no-referrer");
  }

  private static HttpResponse.Builder text(int status, String text) {
    return secured(HttpResponse.status(status))
        .header("Content-Type", "text/plain; charset=UTF-8")
        .header("Cache-Control", "no-store")
        .body(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * RFC 9110 §13.1.2: If-None-Match uses the weak comparison, so {@code W/"x"} matches {@code "x"};
   * {@code *} matches any current representation.
   */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) return false;
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.equals("*")) return true;
      if (c.startsWith("W/")) c = c.substring(2);
      if (c.equals(etag)) return true;
    }
    return false;
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + resource
            + " (web/vendor/ is filled by `mvn package` from src/main/web: is npm installed?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read classpath resource " + resource, e);
    }
  }
}
