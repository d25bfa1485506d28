package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.storage.Retention;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  private static ServerConfig parse(List<String> args, Map<String, String> env) throws Exception {
    return ServerConfig.from(new Options(args, env), env);
  }

  @Test
  void defaults() throws Exception {
    ServerConfig c = parse(List.of(), Map.of());
    assertEquals(3000, c.port());
    assertEquals("0.0.0.0", c.host());
    assertEquals(Set.of(), c.allowedOrigins());
    assertNull(c.tls());
    assertEquals(12, c.bcryptCost());
    assertEquals(Duration.ofHours(1), c.tokenTtl());
  }

  @Test
  void flagsWinOverEnvironment() throws Exception {
    ServerConfig c = parse(List.of("--port", "4000", "--registration=off"),
        Map.of("PORT", "5000", "ALLOWED_ORIGINS", "https://a.example, http://localhost:3000", "TOKEN_TTL", "15m"));
    assertEquals(4000, c.port());
    assertFalse(c.registration());
    assertEquals(Set.of("https://a.example", "http://localhost:3000"), c.allowedOrigins());
    assertEquals(Duration.ofMinutes(15), c.tokenTtl());
  }

  @Test
  void registrationCanBeSwitchedOffInSeveralWays() throws Exception {
    assertFalse(parse(List.of("--no-registration"), Map.of()).registration());
    assertFalse(parse(List.of(), Map.of("REGISTRATION", "off")).registration());
    assertFalse(parse(List.of(), Map.of("ALLOW_REGISTRATION", "false")).registration());
    assertEquals(true, parse(List.of(), Map.of()).registration());
  }

  @Test
  void theTutorialsVariableNamesWork() throws Exception {
    ServerConfig c = parse(List.of(), Map.of("JWT_EXPIRES_IN", "7d", "JWT_SECRET", "s".repeat(32), "PORT", "8080"));
    assertEquals(Duration.ofDays(7), c.tokenTtl());
    assertEquals("s".repeat(32), c.jwtSecret());
    assertEquals(8080, c.port());
    assertEquals(5, c.loginMaxFailures());
    assertEquals(Duration.ofMinutes(15), c.loginWindow());
  }

  @Test
  void refusesBadValuesWithAClearSentence() {
    assertEquals("--port must be a number, not \"abc\"",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--port", "abc"), Map.of())).getMessage());
    assertEquals("not an origin (scheme://host[:port]): *",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of(), Map.of("ALLOWED_ORIGINS", "*"))).getMessage());
    assertEquals("--tls-cert and --tls-key go together",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--tls-cert", "x.pem"), Map.of())).getMessage());
    assertEquals("--token-ttl must look like 900, 30s, 15m, 1h or 7d",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--token-ttl", "1w"), Map.of())).getMessage());
    assertEquals("--token-ttl must be between 5 s and 30 days",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--token-ttl", "2s"), Map.of())).getMessage());
    assertEquals("JWT_SECRET must be at least 32 bytes (256 bits); generate one with: openssl rand -base64 48",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of(), Map.of("JWT_SECRET", "too-short"))).getMessage());
    assertEquals("--login-max-failures must be between 1 and 1000",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--login-max-failures", "0"), Map.of())).getMessage());
    assertEquals("--bcrypt-cost must be between 4 and 16",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--bcrypt-cost", "31"), Map.of())).getMessage());
  }

  @Test
  void historyRetentionFromFlagsOrEnvironment() throws Exception {
    assertEquals(Retention.DEFAULT, parse(List.of(), Map.of()).history());
    assertEquals(new Retention(500, Duration.ofDays(7)),
        parse(List.of("--history-days", "7"), Map.of("HISTORY_PER_ROOM", "500", "HISTORY_DAYS", "90")).history());
    assertEquals("--history-days must be between 1 and 3650",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--history-days", "0"), Map.of())).getMessage());
    assertEquals("--history-per-room must be between 1 and 1000000",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of(), Map.of("HISTORY_PER_ROOM", "-1"))).getMessage());
    assertEquals("--history-days must be a number, not \"30d\"",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--history-days", "30d"), Map.of())).getMessage());
  }
}
