package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpHeaders;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which X-Forwarded-For entry names the client, and which strings are addresses (never resolved). */
class TrustedProxiesTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static HttpHeaders xff(String... values) {
    HttpHeaders.Builder b = new HttpHeaders.Builder();
    b.add("Host", "x");
    for (String v : values) b.add("X-Forwarded-For", v);
    return b.build();
  }

  private final TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 192.168.1.5, fd00::/8");

  @Test
  void blocksAndSingleAddressesMatch() throws Exception {
    assertTrue(proxies.contains(ip("10.200.3.4")));
    assertTrue(proxies.contains(ip("192.168.1.5")));
    assertFalse(proxies.contains(ip("192.168.1.6")));
    assertTrue(proxies.contains(ip("fd12::1")));
    assertFalse(proxies.contains(ip("fe80::1")));
    assertTrue(TrustedProxies.parse(" ").isEmpty());
  }

  @Test
  void theRightMostUntrustedEntryIsTheClient() throws Exception {
    InetAddress peer = ip("10.0.0.2");
    assertEquals(ip("198.51.100.7"), proxies.clientAddress(peer, xff("203.0.113.1, 198.51.100.7, 10.1.1.1")));
    // Several fields are one list, in order.
    assertEquals(ip("198.51.100.7"), proxies.clientAddress(peer, xff("203.0.113.1", "198.51.100.7", "10.1.1.1")));
    assertEquals(ip("2001:db8::5"), proxies.clientAddress(peer, xff("[2001:db8::5]:443")));
    assertEquals(ip("198.51.100.7"), proxies.clientAddress(peer, xff("198.51.100.7:5000")));
    // Every entry trusted: the left-most.
    assertEquals(ip("10.9.9.9"), proxies.clientAddress(peer, xff("10.9.9.9, 10.1.1.1")));
    // No header: the peer.
    assertEquals(peer, proxies.clientAddress(peer, xff()));
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverTheHeaderSays() throws Exception {
    InetAddress peer = ip("198.51.100.1");
    assertEquals(peer, proxies.clientAddress(peer, xff("203.0.113.1")));
    assertEquals(peer, TrustedProxies.NONE.clientAddress(peer, xff("203.0.113.1")));
  }

  @Test
  void aGarbledEntryStopsAtTheLastCheckedHop() throws Exception {
    InetAddress peer = ip("10.0.0.2");
    assertEquals(ip("10.1.1.1"), proxies.clientAddress(peer, xff("203.0.113.1, evil.example, 10.1.1.1")));
    assertEquals(peer, proxies.clientAddress(peer, xff("unknown")));
    assertEquals(peer, proxies.clientAddress(peer, xff("999.1.1.1")));
  }

  @Test
  void onlyLiteralsAreAddresses() {
    assertNull(TrustedProxies.literal("localhost"));
    assertNull(TrustedProxies.literal("1.2.3"));
    assertNull(TrustedProxies.literal("01.2.3.4"));
    assertNull(TrustedProxies.literal("1:2:3"));
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("proxy.example"));
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
  }
}
