package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits' flags and variables: the chat server's defaults, bench-server's, and bad values. */
class LimitsConfigTest {
  private static ServerConfig parse(List<String> args, Map<String, String> env) throws Exception {
    return ServerConfig.from(new Options(args, env), env);
  }

  @Test
  void theChatServerHasItsPerAddressLimitsOnByDefault() throws Exception {
    LimitsConfig l = parse(List.of(), Map.of()).limits();
    assertEquals(LimitsConfig.CHAT_DEFAULTS, l);
    NetOptions net = l.applyTo(NetOptions.builder()).build();
    assertEquals(500, net.maxConnectionsPerAddress().getAsInt());
    assertEquals(200, net.maxNewConnectionsPerSecondPerAddress().getAsInt());
    assertTrue(net.trustedProxies().isEmpty());
    assertEquals(50, l.applyTo(dev.switchboard.engineio.EngineIoOptions.builder()).build().maxUnconnectedSessionsPerAddress());
    assertEquals(5, l.applyTo(SocketIoOptions.builder()).build().maxFailedConnects());
    assertEquals(64L * 1024 * 1024, net.maxBufferedBodyBytes());
    assertEquals(1024, net.minBodyBytesPerSecond());
  }

  @Test
  void theBodyLimitsHaveFlagsAndVariablesAndZeroTurnsThemOff() throws Exception {
    NetOptions set = parse(List.of("--max-buffered-body-bytes", "1048576"), Map.of("MIN_BODY_RATE", "300"))
        .limits().applyTo(NetOptions.builder()).build();
    assertEquals(1_048_576, set.maxBufferedBodyBytes());
    assertEquals(300, set.minBodyBytesPerSecond());
    assertEquals(NetOptions.DEFAULTS.bodyRateGracePeriod(), set.bodyRateGracePeriod());
    NetOptions off = parse(List.of("--min-body-rate=0"), Map.of("MAX_BUFFERED_BODY_BYTES", "0"))
        .limits().applyTo(NetOptions.builder()).build();
    assertEquals(Long.MAX_VALUE, off.maxBufferedBodyBytes());
    assertEquals(0, off.minBodyBytesPerSecond());
    assertEquals("--min-body-rate must be between 0 and 1000000000",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--min-body-rate", "-1"), Map.of()))
            .getMessage());
  }

  @Test
  void flagsWinOverVariablesAndZeroTurnsACapOff() throws Exception {
    LimitsConfig l = parse(List.of("--max-connections-per-address", "0", "--max-failed-connects=2",
        "--trusted-proxy", "10.0.0.0/8,192.168.0.1"),
        Map.of("MAX_CONNECTIONS_PER_ADDRESS", "7", "MAX_NEW_CONNECTIONS_PER_SECOND", "9",
            "MAX_UNCONNECTED_SESSIONS_PER_ADDRESS", "0", "TRUSTED_PROXY", "1.2.3.4")).limits();
    NetOptions net = l.applyTo(NetOptions.builder()).build();
    assertTrue(net.maxConnectionsPerAddress().isEmpty());
    assertEquals(9, net.maxNewConnectionsPerSecondPerAddress().getAsInt());
    assertTrue(net.trustedProxies().contains(InetAddress.getByName("10.3.2.1")));
    assertTrue(!net.trustedProxies().contains(InetAddress.getByName("1.2.3.4")));
    assertEquals(0, l.maxUnconnectedSessionsPerAddress());
    assertEquals(2, l.applyTo(SocketIoOptions.builder()).build().maxFailedConnects());
  }

  @Test
  void benchServerStartsWithEveryPerAddressCapOff() throws Exception {
    LimitsConfig l = LimitsConfig.from(new Options(List.of("--max-failed-connects", "3"), Map.of()), LimitsConfig.OFF);
    NetOptions net = l.applyTo(NetOptions.builder()).build();
    assertTrue(net.maxConnectionsPerAddress().isEmpty());
    assertTrue(net.maxNewConnectionsPerSecondPerAddress().isEmpty());
    assertEquals(0, l.maxUnconnectedSessionsPerAddress());
    assertEquals(3, l.maxFailedConnects());
  }

  @Test
  void badValuesAreOneSentence() {
    assertEquals("--max-failed-connects must be between 1 and 100",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--max-failed-connects", "0"), Map.of()))
            .getMessage());
    assertEquals("--trusted-proxy: not an address or CIDR block: proxy.example",
        assertThrows(IllegalArgumentException.class, () -> parse(List.of("--trusted-proxy", "proxy.example"), Map.of()))
            .getMessage());
    assertEquals("--max-connections-per-address must be a number, not \"many\"",
        assertThrows(IllegalArgumentException.class,
            () -> parse(List.of("--max-connections-per-address", "many"), Map.of())).getMessage());
  }
}
