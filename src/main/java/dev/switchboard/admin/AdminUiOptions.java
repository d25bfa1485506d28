package dev.switchboard.admin;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link AdminUi#instrument} sets up the Admin UI's namespace: its name, who may connect
 * (a user name and a bcrypt hash, or — only when asked for explicitly — anyone), whether the UI
 * may act on sockets, and how much it is told ({@link Mode}).
 *
 * <pre>{@code
 * AdminUiOptions options = AdminUiOptions.builder()
 *     .basicAuth("admin", "$2b$12$...")   // bcrypt, never a plain password
 *     .mode(AdminUiOptions.Mode.PRODUCTION)
 *     .build();
 * }</pre>
 *
 * <p>Immutable; any thread.
 */
public final class AdminUiOptions {
  /**
   * What the UI is told, as {@code @socket.io/admin-ui}'s {@code mode} option says: in
   * {@link #DEVELOPMENT} every socket, room change and event; in {@link #PRODUCTION} only counts
   * (sockets per namespace, aggregated connection events), which costs nothing per socket.
   */
  public enum Mode {
    /** Every socket, every room change, every event (Node's default). */
    DEVELOPMENT,
    /** Counts only. */
    PRODUCTION
  }

  /**
   * A bcrypt hash in the modular crypt format: {@code $2a$}, {@code $2b$} or {@code $2y$}, the
   * cost, 53 characters. Costs 4 to 20, as {@code auth.PasswordHasher} accepts them: above 20 one
   * check takes minutes.
   */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|1[0-9]|20)\\$[./A-Za-z0-9]{53}");

  private final String namespace;
  private final String username;
  private final String passwordHash;
  private final boolean readonly;
  private final String serverId;
  private final Mode mode;
  private final Duration statsInterval;

  private AdminUiOptions(Builder b) {
    this.namespace = b.namespace;
    this.username = b.username;
    this.passwordHash = b.passwordHash;
    this.readonly = b.readonly;
    this.serverId = b.serverId;
    this.mode = b.mode;
    this.statsInterval = b.statsInterval;
  }

  /** A builder; {@link Builder#basicAuth} or {@link Builder#noAuth} must be called. */
  public static Builder builder() {
    return new Builder();
  }

  /** The admin namespace, {@code /admin} by default. */
  public String namespace() {
    return namespace;
  }

  /** The user name the UI must present, or null when authentication is off ({@link Builder#noAuth}). */
  public String username() {
    return username;
  }

  /** The bcrypt hash of the password, or null when authentication is off. */
  public String passwordHash() {
    return passwordHash;
  }

  /** Whether the UI may only look (no join, leave, disconnect or emit). */
  public boolean readonly() {
    return readonly;
  }

  /** The id this server reports in {@code server_stats}; null: the host name. */
  public String serverId() {
    return serverId;
  }

  /** How much the UI is told. */
  public Mode mode() {
    return mode;
  }

  /** How often {@code server_stats} goes out (2 s, as in Node). */
  public Duration statsInterval() {
    return statsInterval;
  }

  /** Whether {@code hash} is a bcrypt hash this server can check. */
  public static boolean isBcryptHash(String hash) {
    return hash != null && BCRYPT.matcher(hash).matches();
  }

  /** Builds {@link AdminUiOptions}. Not thread-safe. */
  public static final class Builder {
    private String namespace = "/admin";
    private String username;
    private String passwordHash;
    private boolean authChosen;
    private boolean readonly;
    private String serverId;
    private Mode mode = Mode.DEVELOPMENT;
    private Duration statsInterval = Duration.ofSeconds(2);

    private Builder() {}

    /** The admin namespace (a leading "/" is added when missing). */
    public Builder namespace(String name) {
      Objects.requireNonNull(name, "name");
      this.namespace = name.startsWith("/") ? name : "/" + name;
      return this;
    }

    /**
     * The UI must present this user name and a password matching {@code bcryptHash}
     * ({@code $2a$}/{@code $2b$}/{@code $2y$}, as {@code htpasswd -B} or {@code bcryptjs} write it).
     *
     * @throws IllegalArgumentException the user name is empty or the hash is not a bcrypt hash
     */
    public Builder basicAuth(String username, String bcryptHash) {
      if (username == null || username.isEmpty()) throw new IllegalArgumentException("the admin UI user name must not be empty");
      if (!isBcryptHash(bcryptHash)) {
        throw new IllegalArgumentException(
            "the admin UI password must be given as a bcrypt hash ($2a$, $2b$ or $2y$, cost 4 to 20), not as a password");
      }
      this.username = username;
      this.passwordHash = bcryptHash;
      this.authChosen = true;
      return this;
    }

    /** Anyone who can reach the server may connect to the admin namespace: for a closed network only. */
    public Builder noAuth() {
      this.username = null;
      this.passwordHash = null;
      this.authChosen = true;
      return this;
    }

    /** Whether the UI may only look. */
    public Builder readonly(boolean readonly) {
      this.readonly = readonly;
      return this;
    }

    /** The id reported in {@code server_stats} (null: the host name). */
    public Builder serverId(String serverId) {
      this.serverId = serverId;
      return this;
    }

    /** How much the UI is told. */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** How often {@code server_stats} goes out, at least 100 ms. */
    public Builder statsInterval(Duration interval) {
      if (interval.toMillis() < 100) throw new IllegalArgumentException("statsInterval must be at least 100 ms");
      this.statsInterval = interval;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalStateException neither {@link #basicAuth} nor {@link #noAuth} was called (as
     *     Node's {@code instrument} refuses a missing {@code auth})
     */
    public AdminUiOptions build() {
      if (!authChosen) {
        throw new IllegalStateException("the admin UI needs basicAuth(user, bcryptHash), or noAuth() said explicitly");
      }
      return new AdminUiOptions(this);
    }
  }
}
