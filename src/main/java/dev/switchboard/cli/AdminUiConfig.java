package dev.switchboard.cli;

import dev.switchboard.admin.AdminUiOptions;
import java.util.Locale;
import java.util.Map;

/**
 * The chat server's Admin UI settings (issue #12): off unless {@code --admin-ui} (or
 * {@code ADMIN_UI=on}); when on, the UI's user ({@code ADMIN_UI_USER}, "admin" by default) and the
 * bcrypt hash of its password ({@code ADMIN_UI_PASSWORD_HASH}, required: there is no default
 * password, and a plain password is refused), and the mode ({@code --admin-ui-mode},
 * {@code development} by default as in Node, or {@code production}). The hash is read from the
 * environment only, like every secret of this server.
 *
 * @param enabled whether {@code /admin} (namespace and page) exists
 * @param options the namespace's options when enabled, else null
 */
public record AdminUiConfig(boolean enabled, AdminUiOptions options) {
  /** The Admin UI off (the default). */
  public static final AdminUiConfig OFF = new AdminUiConfig(false, null);

  /** On, with these options (tests). */
  public static AdminUiConfig on(AdminUiOptions options) {
    return new AdminUiConfig(true, options);
  }

  static AdminUiConfig from(Options o, Map<String, String> env) {
    boolean on = ServerConfig.parseSwitch(o.getSwitch("admin-ui", "ADMIN_UI", "off"), "--admin-ui");
    String modeText = o.get("admin-ui-mode", "ADMIN_UI_MODE", "development");
    if (!on) return OFF;
    AdminUiOptions.Mode mode = switch (modeText.toLowerCase(Locale.ROOT)) {
      case "development" -> AdminUiOptions.Mode.DEVELOPMENT;
      case "production" -> AdminUiOptions.Mode.PRODUCTION;
      default -> throw new IllegalArgumentException("--admin-ui-mode must be development or production, not \"" + modeText + "\"");
    };
    String user = env.getOrDefault("ADMIN_UI_USER", "admin");
    String hash = env.get("ADMIN_UI_PASSWORD_HASH");
    if (hash == null || hash.isEmpty()) {
      throw new IllegalArgumentException("--admin-ui needs ADMIN_UI_PASSWORD_HASH, the bcrypt hash of the admin password"
          + " (e.g. htpasswd -nbBC 12 '' 'password' | cut -c2-); there is no default password");
    }
    if (!AdminUiOptions.isBcryptHash(hash)) {
      // The value is not echoed: it may be a password pasted in the wrong place.
      throw new IllegalArgumentException("ADMIN_UI_PASSWORD_HASH must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters), not a password");
    }
    if (user.isEmpty()) throw new IllegalArgumentException("ADMIN_UI_USER must not be empty");
    return on(AdminUiOptions.builder().basicAuth(user, hash).mode(mode).build());
  }
}
