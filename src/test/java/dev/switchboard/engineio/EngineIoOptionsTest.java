package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link EngineIoOptions}: Node's defaults, the builder, and the values it refuses. */
class EngineIoOptionsTest {
  @Test
  void defaultsAreNodes() {
    EngineIoOptions d = EngineIoOptions.DEFAULTS;
    assertEquals("/socket.io/", d.path());
    assertEquals(Duration.ofSeconds(25), d.pingInterval());
    assertEquals(Duration.ofSeconds(20), d.pingTimeout());
    assertEquals(Duration.ofSeconds(10), d.upgradeTimeout());
    assertEquals(1_000_000, d.maxHttpBufferSize());
    assertEquals(List.of("polling", "websocket"), d.transports());
    assertTrue(d.allowUpgrades());
    assertEquals(Set.of(), d.allowedOrigins());
    assertFalse(d.corsCredentials());
    assertEquals(100_000, d.maxSessions());
    assertEquals(10_000, d.maxBufferedPackets());
    assertEquals(d, EngineIoOptions.builder().build());
  }

  @Test
  void theBuilderSetsEachOptionByNameAndToBuilderChangesOnlyWhatIsSet() {
    EngineIoOptions o = EngineIoOptions.builder()
        .path("/engine.io")
        .pingInterval(Duration.ofMillis(300))
        .pingTimeout(Duration.ofMillis(200))
        .upgradeTimeout(Duration.ofMillis(100))
        .maxHttpBufferSize(1024)
        .transports(List.of("websocket"))
        .allowUpgrades(false)
        .allowedOrigins(Set.of("https://a.example"))
        .corsCredentials(true)
        .maxSessions(3)
        .maxBufferedPackets(7)
        .allowEIO3(true)
        .build();
    assertEquals("/engine.io/", o.path(), "a trailing slash is added");
    assertEquals(Duration.ofMillis(300), o.pingInterval());
    assertEquals(Duration.ofMillis(200), o.pingTimeout());
    assertEquals(Duration.ofMillis(100), o.upgradeTimeout());
    assertEquals(1024, o.maxHttpBufferSize());
    assertEquals(List.of("websocket"), o.transports());
    assertFalse(o.allowUpgrades());
    assertEquals(Set.of("https://a.example"), o.allowedOrigins());
    assertTrue(o.corsCredentials());
    assertEquals(3, o.maxSessions());
    assertEquals(7, o.maxBufferedPackets());
    assertTrue(o.allowEIO3());
    assertFalse(EngineIoOptions.DEFAULTS.allowEIO3(), "off by default, as in Node");
    assertNotEquals(o, o.toBuilder().allowEIO3(false).build());

    EngineIoOptions changed = o.toBuilder().maxSessions(4).build();
    assertEquals(4, changed.maxSessions());
    assertEquals(o, changed.toBuilder().maxSessions(3).build());
    assertNotEquals(o, changed);
    assertEquals(o.hashCode(), o.toBuilder().build().hashCode());
  }

  @Test
  void badValuesAreRefusedByName() {
    EngineIoOptions.Builder b = EngineIoOptions.builder();
    assertThrows(NullPointerException.class, () -> b.path(null));
    assertThrows(IllegalArgumentException.class, () -> b.path("socket.io/"));
    assertThrows(NullPointerException.class, () -> b.pingInterval(null));
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> b.pingTimeout(Duration.ZERO));
    assertTrue(zero.getMessage().contains("pingTimeout"), zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.upgradeTimeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.maxHttpBufferSize(0));
    assertThrows(IllegalArgumentException.class, () -> b.transports(List.of()));
    assertThrows(IllegalArgumentException.class, () -> b.transports(List.of("polling", "flashsocket")));
    assertThrows(NullPointerException.class, () -> b.allowedOrigins(null));
    assertThrows(IllegalArgumentException.class, () -> b.maxSessions(-5));
    assertThrows(IllegalArgumentException.class, () -> b.maxBufferedPackets(0));
    assertEquals(EngineIoOptions.DEFAULTS, b.build(), "a refused value leaves the builder as it was");
  }
}
