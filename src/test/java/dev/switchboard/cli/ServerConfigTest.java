package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
  void refusesBadValuesWithAClearSentence() {
    assertEquals("--port must be a number, got: abc",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--port", "abc"), Map.of())).getMessage());
    assertEquals("not an origin (scheme://host[:port]): *",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of(), Map.of("ALLOWED_ORIGINS", "*"))).getMessage());
    assertEquals("--tls-cert and --tls-key go together",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--tls-cert", "x.pem"), Map.of())).getMessage());
    assertEquals("--token-ttl must look like 900, 15m or 1h",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--token-ttl", "1d"), Map.of())).getMessage());
    assertEquals("--bcrypt-cost must be between 4 and 16",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--bcrypt-cost", "31"), Map.of())).getMessage());
  }
}
