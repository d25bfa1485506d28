package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testing.HaproxyServer;
import dev.switchboard.testing.HaproxyServer.Stickiness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/haproxy.cfg} itself: HAProxy accepts it as shipped and as the tests rewrite it,
 * its timeouts outlast the Engine.IO heartbeat (the rule of the Socket.IO documentation's "Using
 * multiple nodes" page), and {@link HaproxyServer#render} changes nothing but addresses and the
 * cookie. {@link StickySessionTest} runs it.
 */
class HaproxyConfigTest {
  private static final Pattern TIMEOUT = Pattern.compile("(?m)^\\s*timeout\\s+([\\w-]+)\\s+(\\d+)(us|ms|s|m|h|d)?\\s*$");

  @Test
  void haproxyAcceptsTheShippedFileAndItsRewrites(@TempDir Path dir) throws Exception {
    assertTrue(HaproxyServer.check(HaproxyServer.shippedConfig()).contains("Configuration file is valid"));
    for (Stickiness s : Stickiness.values()) {
      Path rewritten = dir.resolve(s + ".cfg");
      Files.writeString(rewritten, HaproxyServer.render(template(), 40000, List.of(40001, 40002), s));
      HaproxyServer.check(rewritten);
    }
  }

  @Test
  void itsTimeoutsOutlastTheEngineIoHeartbeat() throws Exception {
    Map<String, Duration> timeouts = new HashMap<>();
    Matcher m = TIMEOUT.matcher(template());
    while (m.find()) timeouts.put(m.group(1), duration(Long.parseLong(m.group(2)), m.group(3)));
    EngineIoOptions defaults = EngineIoOptions.builder().build();
    Duration heartbeat = defaults.pingInterval().plus(defaults.pingTimeout());
    // A proxy must let an idle connection live longer than pingInterval + pingTimeout; a long-poll
    // GET is held by the node for up to pingInterval (engine.io-protocol §Heartbeat).
    for (String name : List.of("client", "server", "tunnel")) {
      assertTrue(timeouts.containsKey(name), "timeout " + name + " is set: " + timeouts);
      assertTrue(timeouts.get(name).compareTo(heartbeat) > 0,
          "timeout " + name + " " + timeouts.get(name) + " must exceed pingInterval + pingTimeout " + heartbeat);
    }
  }

  @Test
  void renderingChangesOnlyTheAddressesAndTheCookie() throws Exception {
    String template = template();
    String sticky = HaproxyServer.render(template, 40000, List.of(40001, 40002), Stickiness.COOKIE);
    assertTrue(sticky.contains("\n  bind 127.0.0.1:40000\n"), sticky);
    assertTrue(sticky.contains("\n  server node1 127.0.0.1:40001 cookie node1\n  server node2 127.0.0.1:40002 cookie node2\n"),
        sticky);
    assertFalse(sticky.contains("node3") || sticky.contains("${SWITCHBOARD_"), sticky);
    assertEquals(unchanged(template), unchanged(sticky), "every other line as shipped");

    String plain = HaproxyServer.render(template, 40000, List.of(40001, 40002), Stickiness.NONE);
    assertTrue(plain.contains("\n  server node1 127.0.0.1:40001\n  server node2 127.0.0.1:40002\n"), plain);
    assertFalse(plain.lines().anyMatch(l -> l.trim().startsWith("cookie ")), plain);
  }

  @Test
  void renderingRefusesAFileOfAnotherShape() throws Exception {
    String withoutCookie = template().replaceAll("(?m)^\\s*cookie .*$", "");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HaproxyServer.render(withoutCookie, 40000, List.of(40001), Stickiness.COOKIE));
    assertTrue(e.getMessage().contains("changed shape"), e.getMessage());
  }

  private static String template() throws Exception {
    return Files.readString(HaproxyServer.shippedConfig(), StandardCharsets.UTF_8);
  }

  /** The lines render leaves alone: everything but bind, server and cookie lines. */
  private static List<String> unchanged(String config) {
    return config.lines().filter(l -> !l.trim().matches("(bind|server|cookie) .*")).toList();
  }

  private static Duration duration(long n, String unit) {
    return switch (unit == null ? "ms" : unit) {
      case "us" -> Duration.ofNanos(n * 1000);
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
