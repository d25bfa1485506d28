package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.admin.AdminUiOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --admin-ui}: off by default, never without a bcrypt hash, never with a plain password. */
class AdminUiConfigTest {
  private static final String HASH = "$2b$12$" + "a".repeat(53);

  private static AdminUiConfig parse(List<String> args, Map<String, String> env) throws Exception {
    return ServerConfig.from(new Options(args, env), env).adminUi();
  }

  @Test
  void offByDefault() throws Exception {
    assertFalse(parse(List.of(), Map.of("ADMIN_UI_PASSWORD_HASH", HASH)).enabled());
    assertFalse(parse(List.of("--admin-ui", "off"), Map.of("ADMIN_UI", "on", "ADMIN_UI_PASSWORD_HASH", HASH)).enabled());
  }

  @Test
  void onWithTheHashFromTheEnvironment() throws Exception {
    AdminUiConfig c = parse(List.of("--admin-ui"), Map.of("ADMIN_UI_PASSWORD_HASH", HASH));
    assertTrue(c.enabled());
    assertEquals("admin", c.options().username());
    assertEquals(HASH, c.options().passwordHash());
    assertEquals(AdminUiOptions.Mode.DEVELOPMENT, c.options().mode());
    AdminUiConfig production = parse(List.of("--admin-ui-mode", "production"),
        Map.of("ADMIN_UI", "on", "ADMIN_UI_USER", "ops", "ADMIN_UI_PASSWORD_HASH", HASH));
    assertEquals("ops", production.options().username());
    assertEquals(AdminUiOptions.Mode.PRODUCTION, production.options().mode());
  }

  @Test
  void refusesAMissingHashAPlainPasswordAndAnUnknownModeWithoutEchoingTheSecret() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> parse(List.of("--admin-ui"), Map.of()));
    assertTrue(none.getMessage().startsWith("--admin-ui needs ADMIN_UI_PASSWORD_HASH"), none.getMessage());
    IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
        () -> parse(List.of("--admin-ui"), Map.of("ADMIN_UI_PASSWORD_HASH", "hunter2-secret")));
    assertFalse(plain.getMessage().contains("hunter2"), plain.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> parse(List.of("--admin-ui", "--admin-ui-mode", "debug"), Map.of("ADMIN_UI_PASSWORD_HASH", HASH)));
  }
}
