package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpLimits;
import dev.switchboard.websocket.WebSocketLimits;
import java.time.Duration;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** {@link NetOptions}: the builder's defaults, what {@code toBuilder} keeps, and what it refuses. */
class NetOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    NetOptions o = NetOptions.builder().build();
    assertEquals("0.0.0.0", o.host());
    assertEquals(0, o.port());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), o.ioThreads());
    assertSame(HttpLimits.DEFAULTS, o.httpLimits());
    assertSame(WebSocketLimits.DEFAULTS, o.webSocketLimits());
    assertEquals(Duration.ofSeconds(15), o.requestTimeout());
    assertEquals(Duration.ofSeconds(30), o.keepAliveTimeout());
    assertEquals(Duration.ofSeconds(2), o.closeTimeout());
    assertEquals(8L * 1024 * 1024, o.maxOutboundBytes());
    assertEquals(OptionalInt.empty(), o.maxConnectionsPerAddress());
    assertTrue(o.sslContext().isEmpty());
    assertEquals(o.toString(), NetOptions.DEFAULTS.toString());
  }

  @Test
  void toBuilderKeepsEveryOptionAndChangesOnlyWhatIsSet() throws Exception {
    SSLContext tls = SSLContext.getDefault();
    NetOptions a = NetOptions.builder()
        .host("127.0.0.1").port(8443).ioThreads(3)
        .httpLimits(new HttpLimits(1024, 4096, 10, 500))
        .webSocketLimits(new WebSocketLimits(700, 7))
        .requestTimeout(Duration.ofMillis(100)).keepAliveTimeout(Duration.ofMillis(200))
        .closeTimeout(Duration.ofMillis(300))
        .maxOutboundBytes(4096).maxConnectionsPerAddress(5).sslContext(tls)
        .build();
    NetOptions b = a.toBuilder().port(0).build();
    assertEquals(0, b.port());
    assertEquals(a.toString().replace("port=8443", "port=0"), b.toString());
    assertSame(tls, b.sslContext().orElseThrow());
    assertEquals(OptionalInt.of(5), b.maxConnectionsPerAddress());
    assertEquals(8443, a.port(), "the original is unchanged");

    NetOptions c = b.toBuilder().plainTcp().unlimitedConnectionsPerAddress().build();
    assertTrue(c.sslContext().isEmpty());
    assertEquals(OptionalInt.empty(), c.maxConnectionsPerAddress());
  }

  @Test
  void maxBodyBytesCapsRequestBodiesAndWebSocketMessagesAlike() {
    NetOptions o = NetOptions.builder().maxBodyBytes(5000).build();
    assertEquals(5000, o.httpLimits().maxBodyBytes());
    assertEquals(5000, o.webSocketLimits().maxMessageBytes());
    assertEquals(WebSocketLimits.DEFAULTS.maxFragments(), o.webSocketLimits().maxFragments());
    assertEquals(HttpLimits.DEFAULTS.maxHeaderBytes(), o.httpLimits().maxHeaderBytes());
  }

  @Test
  void refusesValuesThatCannotWork() {
    NetOptions.Builder b = NetOptions.builder();
    assertThrows(IllegalArgumentException.class, () -> b.port(-1));
    assertThrows(IllegalArgumentException.class, () -> b.port(65536));
    assertThrows(IllegalArgumentException.class, () -> b.ioThreads(0));
    assertThrows(IllegalArgumentException.class, () -> b.requestTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.keepAliveTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.closeTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.maxOutboundBytes(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxConnectionsPerAddress(0));
    assertThrows(NullPointerException.class, () -> b.host(null));
    assertThrows(NullPointerException.class, () -> b.sslContext(null));
    assertThrows(NullPointerException.class, () -> b.httpLimits(null));
    assertEquals(NetOptions.DEFAULTS.toString(), b.build().toString(), "a refused value changes nothing");
  }
}
