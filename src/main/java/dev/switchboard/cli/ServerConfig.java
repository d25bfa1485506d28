package dev.switchboard.cli;

import dev.switchboard.net.TlsContexts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The server's configuration from flags and environment variables (a flag wins over its variable,
 * which wins over the default). Every value is checked here, so a mistake stops the server at
 * start with one clear sentence instead of failing later.
 *
 * <pre>
 * --port N            PORT             3000
 * --host H            HOST             0.0.0.0
 * --data-dir D        DATA_DIR         ./data
 * --allowed-origins L ALLOWED_ORIGINS  (none: CORS off) comma-separated exact origins
 * --tls-cert F        TLS_CERT         PEM certificate chain   } with --tls-key
 * --tls-key F         TLS_KEY          PKCS#8 PEM private key  }
 * --tls-p12 F         TLS_P12          PKCS#12 store (password: TLS_P12_PASSWORD)
 * --bcrypt-cost N     BCRYPT_COST      12
 * --token-ttl D       TOKEN_TTL        1h   (s, m, h suffixes)
 * --registration B    REGISTRATION     on
 * </pre>
 * {@code JWT_SECRET} is read from the environment only: secrets do not belong on a command line.
 */
record ServerConfig(
    int port,
    String host,
    Path dataDir,
    Set<String> allowedOrigins,
    SSLContext tls,
    int bcryptCost,
    Duration tokenTtl,
    boolean registration,
    String jwtSecret) {

  static ServerConfig from(Options o, java.util.Map<String, String> env) throws Exception {
    int port = o.getInt("port", "PORT", 3000);
    if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be between 0 and 65535");
    String host = o.get("host", "HOST", "0.0.0.0");
    Path dataDir = Path.of(o.get("data-dir", "DATA_DIR", "./data"));
    Set<String> origins = parseOrigins(o.get("allowed-origins", "ALLOWED_ORIGINS", ""));
    SSLContext tls = null;
    String cert = o.get("tls-cert", "TLS_CERT", null);
    String key = o.get("tls-key", "TLS_KEY", null);
    String p12 = o.get("tls-p12", "TLS_P12", null);
    if (cert != null || key != null) {
      if (cert == null || key == null) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      tls = TlsContexts.fromPem(Path.of(cert), Path.of(key));
    } else if (p12 != null) {
      String pass = env.getOrDefault("TLS_P12_PASSWORD", "");
      tls = TlsContexts.fromPkcs12(Path.of(p12), pass.toCharArray());
    }
    int cost = o.getInt("bcrypt-cost", "BCRYPT_COST", 12);
    if (cost < 4 || cost > 16) throw new IllegalArgumentException("--bcrypt-cost must be between 4 and 16");
    Duration ttl = parseDuration(o.get("token-ttl", "TOKEN_TTL", "1h"));
    String reg = o.get("registration", "REGISTRATION", "on").toLowerCase(java.util.Locale.ROOT);
    boolean registration = switch (reg) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("--registration must be on or off");
    };
    return new ServerConfig(port, host, dataDir, origins, tls, cost, ttl, registration, env.get("JWT_SECRET"));
  }

  static Set<String> parseOrigins(String list) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : list.split(",")) {
      String o = part.trim();
      if (o.isEmpty()) continue;
      // An origin is scheme://host[:port] with no path; "*" would defeat the allow-list.
      if (!o.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + o);
      }
      out.add(o);
    }
    return Set.copyOf(out);
  }

  static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase(java.util.Locale.ROOT);
    if (!v.matches("[0-9]{1,7}[smh]?")) throw new IllegalArgumentException("--token-ttl must look like 900, 15m or 1h");
    long n = Long.parseLong(v.replaceAll("[smh]", ""));
    Duration d = v.endsWith("h") ? Duration.ofHours(n) : v.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
    if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("--token-ttl must be between 1 minute and 1 day");
    }
    return d;
  }
}
