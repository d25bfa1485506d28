package dev.switchboard.admin;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpExchange;
import dev.switchboard.net.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Admin UI's own page — the built {@code @socket.io/admin-ui} bundle that the build copies
 * into {@code web/admin-ui/} of the jar — served under {@link #PREFIX}, so that the UI can be used
 * without admin.socket.io and without CORS: from {@code http://host:port/admin/} it connects to
 * its own origin. Node's package does not serve it; this is our addition.
 *
 * <p>Only names of the bundle's shape are looked up — {@code index.html}, {@code favicon.png},
 * and one file name under {@code js/}, {@code css/} or {@code img/}, letters, digits, dots and
 * dashes, not starting with a dot — so a request can name no other resource. A file found is
 * kept in memory (the bundle is about 1.3 MB).
 *
 * <pre>{@code io.route(AdminUiPage::matches, new AdminUiPage());}</pre>
 *
 * <p>Threading: any worker thread; the cache is concurrent.
 */
public final class AdminUiPage implements HttpHandler {
  /** Where the page lives. */
  public static final String PREFIX = "/admin/";
  private static final String RESOURCES = "web/admin-ui/";
  private static final Pattern FILE = Pattern.compile("(?:(?:js|css|img)/[A-Za-z0-9_-][A-Za-z0-9._-]*|favicon\\.png|index\\.html)");
  /**
   * The bundle's needs and no more: its scripts and styles from here; Vuetify writes its theme
   * into an inline style element; the page links a web font and an icon font from two CDNs
   * (without them it still works, with plainer text and no icons); it connects to this origin
   * (a URL typed for another server needs that server's page, or admin.socket.io).
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
      + "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com https://cdn.jsdelivr.net; "
      + "font-src 'self' https://fonts.gstatic.com https://cdn.jsdelivr.net; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private record Loaded(byte[] body, String contentType) {}

  private final ClassLoader loader;
  private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

  /** Reads the bundle from this class's class loader; fails if {@code index.html} is missing from the build. */
  public AdminUiPage() {
    this.loader = AdminUiPage.class.getClassLoader();
    if (load("index.html").isEmpty()) {
      throw new IllegalStateException("the Admin UI bundle is missing from the classpath (" + RESOURCES
          + "index.html; `mvn package` copies it from src/main/web/node_modules/@socket.io/admin-ui)");
    }
  }

  /** Whether {@code path} is this page's: {@code /admin} and everything under {@code /admin/}. */
  public static boolean matches(String path) {
    return path.equals("/admin") || path.startsWith(PREFIX);
  }

  @Override
  public void handle(HttpExchange exchange) {
    String method = exchange.request().method();
    String path = exchange.request().path();
    // RFC 9110 §9.1: GET and HEAD only; 405 names them.
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.respond(secured(HttpResponse.status(405)).header("Allow", "GET, HEAD")
          .body("Method not allowed\n", "text/plain; charset=UTF-8").build());
      return;
    }
    if (path.equals("/admin")) {
      // The bundle's links are relative (js/app.…js): they resolve under /admin/ only.
      exchange.respond(secured(HttpResponse.status(301)).header("Location", PREFIX).build());
      return;
    }
    String name = path.substring(PREFIX.length());
    if (name.isEmpty()) name = "index.html";
    Optional<Loaded> file = FILE.matcher(name).matches() ? find(name) : Optional.empty();
    if (file.isEmpty()) {
      exchange.respond(secured(HttpResponse.status(404)).body("Not found\n", "text/plain; charset=UTF-8").build());
      return;
    }
    exchange.respond(secured(HttpResponse.status(200))
        .header("Content-Type", file.get().contentType())
        // File names under js/ and css/ carry a content hash; index.html does not.
        .header("Cache-Control", name.equals("index.html") ? "no-cache" : "public, max-age=86400")
        .body(file.get().body())
        .build());
  }

  private static HttpResponse.Builder secured(HttpResponse.Builder b) {
    return b.header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("Referrer-Policy", "no-referrer");
  }

  /** Only files that exist are cached: names that miss cannot grow the cache. */
  private Optional<Loaded> find(String name) {
    Loaded cached = cache.get(name);
    if (cached != null) return Optional.of(cached);
    Optional<Loaded> loaded = load(name);
    loaded.ifPresent(l -> cache.putIfAbsent(name, l));
    return loaded;
  }

  private Optional<Loaded> load(String name) {
    try (InputStream in = loader.getResourceAsStream(RESOURCES + name)) {
      if (in == null) return Optional.empty();
      return Optional.of(new Loaded(in.readAllBytes(), contentType(name)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCES + name, e);
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) return "text/html; charset=UTF-8";
    if (name.endsWith(".js")) return "text/javascript; charset=UTF-8"; // RFC 9239 §6
    if (name.endsWith(".css")) return "text/css; charset=UTF-8";
    if (name.endsWith(".svg")) return "image/svg+xml";
    if (name.endsWith(".png")) return "image/png";
    return "application/octet-stream";
  }
}
