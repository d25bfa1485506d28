package dev.switchboard.http;

import java.util.Set;

/**
 * CORS (Fetch standard §3.2) for the Engine.IO path and the auth endpoints. Off unless origins
 * are configured; origins are matched exactly (no wildcards, no suffix matching, auth-pitfalls
 * §3); the allowed origin is echoed, never {@code *}, and {@code Vary: Origin} keeps shared
 * caches honest. Pure: requests in, headers out.
 */
public final class CorsPolicy {
  private final Set<String> allowed;
  private final boolean credentials;
  private final String methods;

  /** {@code methods} is what a preflight permits, e.g. {@code "GET, POST"}. */
  public CorsPolicy(Set<String> allowed, boolean credentials, String methods) {
    this.allowed = Set.copyOf(allowed);
    this.credentials = credentials;
    this.methods = methods;
  }

  /** Whether any origin is allowed (an empty allow-list means CORS is off). */
  public boolean isEnabled() {
    return !allowed.isEmpty();
  }

  /** Adds the CORS headers {@code request} earns to {@code response}. */
  public HttpResponse.Builder decorate(HttpRequest request, HttpResponse.Builder response) {
    if (allowed.isEmpty()) return response;
    response.header("Vary", "Origin");
    String origin = request.header("Origin");
    if (origin != null && allowed.contains(origin)) {
      response.header("Access-Control-Allow-Origin", origin);
      if (credentials) response.header("Access-Control-Allow-Credentials", "true");
    }
    return response;
  }

  /** The answer to an OPTIONS preflight: 204, with permissions only for allowed origins. */
  public HttpResponse preflight(HttpRequest request) {
    HttpResponse.Builder b = decorate(request, HttpResponse.status(204));
    String origin = request.header("Origin");
    if (origin != null && allowed.contains(origin)) {
      b.header("Access-Control-Allow-Methods", methods);
      String requested = request.header("Access-Control-Request-Headers");
      if (requested != null && isTokenList(requested)) b.header("Access-Control-Allow-Headers", requested);
      b.header("Access-Control-Max-Age", "600");
    }
    return b.build();
  }

  /**
   * An Origin is a serialized origin (scheme://host[:port]) or "null": visible ASCII only. Node's
   * engine.io refuses invalid header characters here (hostile-inputs.md#A35).
   */
  public static boolean isWellFormedOrigin(String origin) {
    if (origin.isEmpty() || origin.length() > 2048) return false;
    for (int i = 0; i < origin.length(); i++) {
      char c = origin.charAt(i);
      if (c < 0x21 || c > 0x7e) return false;
    }
    return true;
  }

  private static boolean isTokenList(String s) {
    if (s.length() > 1024) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == ',' || c == ' ' || c == '-' || c == '_' || c == '.'
          || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok) return false;
    }
    return true;
  }
}
