package dev.switchboard.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which database to open: a SQLite file, or a PostgreSQL server. Immutable; any thread.
 *
 * <p>{@link #parse} takes what {@code DATABASE_URL} holds, in one of the forms that hosting
 * services and libpq use, or a JDBC URL:
 * <ul>
 *   <li>{@code postgresql://user:password@host:5432/dbname?sslmode=require} (also {@code
 *       postgres://}); user, password and database name are percent-decoded, the query is passed
 *       to the driver as it is;
 *   <li>{@code jdbc:postgresql://host:5432/dbname?user=u&password=p}, given to the driver as it is;
 *   <li>{@code jdbc:sqlite:/path/to/file.db} or {@code sqlite:/path/to/file.db}.
 * </ul>
 * {@link #sqlite(Path)} names a SQLite file directly (the default: {@code DATA_DIR/switchboard.db}).
 *
 * <p>The password never leaves this object except towards the driver: {@link #masked()} and
 * {@link #toString()} show {@code ***} in its place, and every message of this package names the
 * database that way.
 *
 * <pre>{@code
 * DatabaseUrl url = System.getenv("DATABASE_URL") == null
 *     ? DatabaseUrl.sqlite(dataDir.resolve("switchboard.db"))
 *     : DatabaseUrl.parse(System.getenv("DATABASE_URL"));
 * System.out.println("storage: " + url.masked());   // postgresql://app:***@db:5432/chat
 * }</pre>
 */
public final class DatabaseUrl {
  /** {@code user:password@} in a URL with an authority; the password may hold '/' or ':'. */
  private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/@:]*:)[^@]*@");
  /** {@code password=…} in a query string or a JDBC property list. */
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("((?:^|[?&;])password=)[^&;]*", Pattern.CASE_INSENSITIVE);

  private final Dialect dialect;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String masked;
  private final Path file;

  private DatabaseUrl(Dialect dialect, String jdbcUrl, String user, String password, String masked, Path file) {
    this.dialect = dialect;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.masked = masked;
    this.file = file;
  }

  /** A SQLite database in {@code file}, created (owner-only) on first open. */
  public static DatabaseUrl sqlite(Path file) {
    Objects.requireNonNull(file, "file");
    Path absolute = file.toAbsolutePath().normalize();
    return new DatabaseUrl(Dialect.SQLITE, "jdbc:sqlite:" + absolute, null, null, "sqlite:" + absolute, absolute);
  }

  /**
   * The database that {@code url} names, or IllegalArgumentException saying which forms are
   * understood; the exception's message shows the URL masked.
   */
  public static DatabaseUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    String s = url.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:sqlite:")) return sqliteUrl(s.substring("jdbc:sqlite:".length()), url);
    if (lower.startsWith("sqlite:")) return sqliteUrl(s.substring("sqlite:".length()), url);
    if (lower.startsWith("jdbc:postgresql:")) {
      return new DatabaseUrl(Dialect.POSTGRESQL, s, null, null, mask(s), null);
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) return postgres(s);
    throw new IllegalArgumentException("unsupported database URL " + mask(s)
        + ": use postgresql://user:password@host:port/database, jdbc:postgresql://…, or sqlite:/path/to/file.db");
  }

  private static DatabaseUrl sqliteUrl(String path, String original) {
    if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
      throw new IllegalArgumentException("unsupported SQLite URL " + mask(original)
          + ": name a file, as in sqlite:/var/lib/switchboard/switchboard.db");
    }
    return sqlite(Path.of(path));
  }

  private static DatabaseUrl postgres(String s) {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed database URL " + mask(s) + ": " + e.getReason());
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("database URL " + mask(s) + " names no host");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) password = decode(userInfo.substring(colon + 1));
    }
    String rawPath = uri.getRawPath();
    String database = rawPath == null || rawPath.length() <= 1 ? "" : decode(rawPath.substring(1));
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
    if (uri.getPort() >= 0) jdbc.append(':').append(uri.getPort());
    jdbc.append('/').append(database.isEmpty() ? "" : encodePathSegment(database));
    if (uri.getRawQuery() != null) jdbc.append('?').append(uri.getRawQuery());
    return new DatabaseUrl(Dialect.POSTGRESQL, jdbc.toString(), user, password, mask(s), null);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encodePathSegment(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * {@code text} with any password in it replaced by {@code ***}: the {@code user:password@} of a
   * URL and {@code password=} parameters. For messages that quote a URL or a driver's message.
   */
  static String mask(String text) {
    String out = USERINFO_PASSWORD.matcher(text).replaceAll("$1***@");
    return PASSWORD_PARAMETER.matcher(out).replaceAll("$1***");
  }

  /** {@code message} with this URL's password (and any URL-shaped password) masked. */
  String scrub(String message) {
    if (message == null) return "";
    String out = message;
    if (password != null && !password.isEmpty()) out = out.replace(password, "***");
    return mask(out);
  }

  /** SQLite or PostgreSQL. */
  public Dialect dialect() {
    return dialect;
  }

  /** The URL as the JDBC driver takes it, without user and password for the URL form. */
  String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user from a {@code postgresql://} URL, or null (a JDBC URL carries its own). */
  String user() {
    return user;
  }

  /** The password from a {@code postgresql://} URL, or null. Only for the driver. */
  String password() {
    return password;
  }

  /** The SQLite file, or null for PostgreSQL. */
  public Path file() {
    return file;
  }

  /** The URL with its password replaced by {@code ***}: safe for logs and messages. */
  public String masked() {
    return masked;
  }

  /** The same as {@link #masked()}. */
  @Override
  public String toString() {
    return masked;
  }
}
