package dev.switchboard.cli;

import dev.switchboard.net.TlsContexts;
import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.storage.Retention;
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
 * --token-ttl D       TOKEN_TTL        1h   (also JWT_EXPIRES_IN; s, m, h, d suffixes; 5s to 30d)
 * --registration B    REGISTRATION     on   (also ALLOW_REGISTRATION; --no-registration = off)
 * --login-max-failures N  LOGIN_MAX_FAILURES  5   failed logins per account and per address…
 * --login-window D        LOGIN_WINDOW        15m …within this sliding window, then 429
 * --database-url U      DATABASE_URL  (none: SQLite in DATA_DIR/switchboard.db) PostgreSQL for several nodes
 * --history-days N      HISTORY_DAYS      30     chat history older than this is deleted (hourly)…
 * --history-per-room N  HISTORY_PER_ROOM  10000  …and beyond the newest N of each room / private conversation
 * --redis-url U, --adapter A, --redis-key K, --subscription-mode M, --presence-heartbeat D: joining a cluster ({@link ClusterConfig})
 * --max-connections-per-address N, --max-new-connections-per-second N, --max-unconnected-sessions-per-address N,
 * --trusted-proxy LIST, --max-failed-connects N: per-address and abuse limits ({@link LimitsConfig})
 * --admin-ui, --admin-ui-mode M (ADMIN_UI_USER, ADMIN_UI_PASSWORD_HASH): the Admin UI ({@link AdminUiConfig})
 * </pre>
 * {@code JWT_SECRET} is read from the environment only: secrets do not belong on a command line
 * (they show in {@code ps} and shell history). At least 32 bytes; when unset, a key is generated
 * once in the data directory.
 */
public record ServerConfig(
    int port,
    String host,
    Path dataDir,
    Set<String> allowedOrigins,
    SSLContext tls,
    int bcryptCost,
    Duration tokenTtl,
    boolean registration,
    String jwtSecret,
    int loginMaxFailures,
    Duration loginWindow,
    ClusterConfig cluster,
    DatabaseUrl database,
    LimitsConfig limits,
    Retention history,
    AdminUiConfig adminUi) {

  /** The embedded default database: one SQLite file in the data directory. */
  public static final String SQLITE_FILE = "switchboard.db";

  /**
   * The database the server uses: {@link #database} when one was configured
   * ({@code --database-url} / {@code DATABASE_URL}), else SQLite in {@code DATA_DIR/switchboard.db}.
   */
  public DatabaseUrl databaseUrl() {
    return database != null ? database : DatabaseUrl.sqlite(dataDir.resolve(SQLITE_FILE));
  }

  /** For tests: 127.0.0.1 on a free port, bcrypt cost 4, a random key, everything else default. */
  public static ServerConfig forTests(Path dataDir) {
    return new ServerConfig(0, "127.0.0.1", dataDir, Set.of(), null, 4, Duration.ofHours(1), true,
        null, 5, Duration.ofMinutes(15), ClusterConfig.NONE, null, LimitsConfig.CHAT_DEFAULTS, Retention.DEFAULT,
        AdminUiConfig.OFF);
  }

  public ServerConfig withTokenTtl(Duration ttl) {
    return new ServerConfig(port, host, dataDir, allowedOrigins, tls, bcryptCost, ttl, registration, jwtSecret,
        loginMaxFailures, loginWindow, cluster, database, limits, history, adminUi);
  }

  public ServerConfig withRegistration(boolean on) {
    return new ServerConfig(port, host, dataDir, allowedOrigins, tls, bcryptCost, tokenTtl, on, jwtSecret,
        loginMaxFailures, loginWindow, cluster, database, limits, history, adminUi);
  }

  public ServerConfig withAllowedOrigins(Set<String> origins) {
    return new ServerConfig(port, host, dataDir, origins, tls, bcryptCost, tokenTtl, registration, jwtSecret,
        loginMaxFailures, loginWindow, cluster, database, limits, history, adminUi);
  }

  /** The same configuration on {@code database} (null: the SQLite default in the data directory). */
  public ServerConfig withDatabase(DatabaseUrl database) {
    return new ServerConfig(port, host, dataDir, allowedOrigins, tls, bcryptCost, tokenTtl, registration, jwtSecret,
        loginMaxFailures, loginWindow, cluster, database, limits, history, adminUi);
  }

  /** The same configuration with these per-address and abuse limits. */
  public ServerConfig withLimits(LimitsConfig limits) {
    return new ServerConfig(port, host, dataDir, allowedOrigins, tls, bcryptCost, tokenTtl, registration, jwtSecret,
        loginMaxFailures, loginWindow, cluster, database, limits, history, adminUi);
  }

  /** The same configuration keeping {@code history} of chat history. */
  public ServerConfig withHistory(Retention history) {
    return new ServerConfig(port, host, dataDir, allowedOrigins, tls, bcryptCost, tokenTtl, registration, jwtSecret,
        loginMaxFailures, loginWindow, cluster, database, limits, history, adminUi);
  }

  /** The same configuration with the Admin UI on or off (issue #12). */
  public ServerConfig withAdminUi(AdminUiConfig adminUi) {
    return new ServerConfig(port, host, dataDir, allowedOrigins, tls, bcryptCost, tokenTtl, registration, jwtSecret,
        loginMaxFailures, loginWindow, cluster, database, limits, history, adminUi);
  }

  public ServerConfig withCluster(ClusterConfig cluster) {
    return new ServerConfig(port, host, dataDir, allowedOrigins, tls, bcryptCost, tokenTtl, registration, jwtSecret,
        loginMaxFailures, loginWindow, cluster, database, limits, history, adminUi);
  }

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
    int cost = bcryptCost(o);
    String ttlText = o.get("token-ttl", "TOKEN_TTL", null);
    if (ttlText == null) ttlText = env.getOrDefault("JWT_EXPIRES_IN", "1h");
    Duration ttl = parseDuration(ttlText, "--token-ttl", Duration.ofSeconds(5), Duration.ofDays(30));
    String reg = o.getSwitch("registration", "REGISTRATION", null);
    if (reg == null) reg = env.getOrDefault("ALLOW_REGISTRATION", "on");
    if (parseSwitch(o.getSwitch("no-registration", null, "off"), "--no-registration")) reg = "off";
    boolean registration = parseSwitch(reg, "--registration");
    String secret = env.get("JWT_SECRET");
    if (secret != null && !secret.isEmpty()) {
      dev.switchboard.auth.JwtSecret.of(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // refuses a short one
    }
    int maxFailures = o.getInt("login-max-failures", "LOGIN_MAX_FAILURES", 5);
    if (maxFailures < 1 || maxFailures > 1000) throw new IllegalArgumentException("--login-max-failures must be between 1 and 1000");
    Duration window = parseDuration(o.get("login-window", "LOGIN_WINDOW", "15m"), "--login-window",
        Duration.ofSeconds(1), Duration.ofDays(1));
    ClusterConfig cluster = ClusterConfig.from(o);
    DatabaseUrl database = databaseUrl(o);
    LimitsConfig limits = LimitsConfig.from(o, LimitsConfig.CHAT_DEFAULTS);
    Retention retention = history(o);
    AdminUiConfig adminUi = AdminUiConfig.from(o, env);
    o.rejectUnknown();
    return new ServerConfig(port, host, dataDir, origins, tls, cost, ttl, registration, secret, maxFailures, window,
        cluster, database, limits, retention, adminUi);
  }

  /**
   * {@code --history-days} / {@code HISTORY_DAYS} (1 to 3650, default 30) and
   * {@code --history-per-room} / {@code HISTORY_PER_ROOM} (1 to 1 000 000, default 10 000; it
   * bounds each private conversation too): how much chat history the retention job keeps.
   */
  static Retention history(Options o) {
    int days = o.getInt("history-days", "HISTORY_DAYS", 30);
    if (days < 1 || days > 3650) throw new IllegalArgumentException("--history-days must be between 1 and 3650");
    int perRoom = o.getInt("history-per-room", "HISTORY_PER_ROOM", 10_000);
    if (perRoom < 1 || perRoom > 1_000_000) {
      throw new IllegalArgumentException("--history-per-room must be between 1 and 1000000");
    }
    return new Retention(perRoom, Duration.ofDays(days));
  }

  /**
   * {@code --database-url} / {@code DATABASE_URL} (the server and {@code user}), null when unset;
   * IllegalArgumentException with the URL masked when it is not one {@link DatabaseUrl} reads.
   */
  static DatabaseUrl databaseUrl(Options o) {
    String url = o.get("database-url", "DATABASE_URL", null);
    if (url == null || url.isBlank()) return null;
    return DatabaseUrl.parse(url);
  }
  /** {@code on}/{@code off} (also true/false, yes/no, 1/0) for {@code flag}. */
  static boolean parseSwitch(String value, String flag) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(flag + " must be on or off");
    };
  }

  /** {@code --bcrypt-cost} / {@code BCRYPT_COST}, 4 to 16, default 12 (the server and {@code user add}). */
  static int bcryptCost(Options o) {
    int cost = o.getInt("bcrypt-cost", "BCRYPT_COST", 12);
    if (cost < 4 || cost > 16) throw new IllegalArgumentException("--bcrypt-cost must be between 4 and 16");
    return cost;
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

  /** {@code 900}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}, between {@code min} and {@code max}. */
  static Duration parseDuration(String s, String flag, Duration min, Duration max) {
    String v = s.trim().toLowerCase(java.util.Locale.ROOT);
    if (!v.matches("[0-9]{1,7}[smhd]?")) throw new IllegalArgumentException(flag + " must look like 900, 30s, 15m, 1h or 7d");
    long n = Long.parseLong(v.replaceAll("[smhd]", ""));
    Duration d = switch (v.charAt(v.length() - 1)) {
      case 'd' -> Duration.ofDays(n);
      case 'h' -> Duration.ofHours(n);
      case 'm' -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(flag + " must be between " + human(min) + " and " + human(max));
    }
    return d;
  }

  private static String human(Duration d) {
    if (d.toDays() > 0 && d.toHours() % 24 == 0) return d.toDays() + (d.toDays() == 1 ? " day" : " days");
    if (d.toHours() > 0 && d.toMinutes() % 60 == 0) return d.toHours() + " h";
    if (d.toMinutes() > 0 && d.getSeconds() % 60 == 0) return d.toMinutes() + " min";
    return d.getSeconds() + " s";
  }
}
