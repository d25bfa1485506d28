package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.net.NetOptions;
import dev.switchboard.net.TrustedProxies;
import dev.switchboard.testing.RawHttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Handshake#address()} behind a proxy: the TCP peer (as Node's always is) unless the peer is
 * one of {@code NetOptions.trustedProxies}, then the client its {@code X-Forwarded-For} names.
 */
class HandshakeAddressTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "trusted {0}, X-Forwarded-For {1} -> {2}")
  @CsvSource({
      "'',              203.0.113.7,              127.0.0.1",   // no trusted proxy: the header is ignored
      "127.0.0.1,       203.0.113.7,              203.0.113.7", // the peer is trusted: its client
      "127.0.0.0/8,     '198.51.100.2, 127.0.0.9', 198.51.100.2", // right-most untrusted entry
      "10.0.0.1,        203.0.113.7,              127.0.0.1",   // the peer is not the trusted proxy
      "127.0.0.1,       '',                       127.0.0.1"})  // trusted, but no header: the peer
  void theHandshakeAddressIsTheClientATrustedProxyNames(String trusted, String forwardedFor, String expected)
      throws Exception {
    NetOptions net = NetOptions.builder().host("127.0.0.1").port(0)
        .trustedProxies(trusted.isEmpty() ? TrustedProxies.NONE : TrustedProxies.parse(trusted)).build();
    CompletableFuture<String> address = new CompletableFuture<>();
    try (SocketIoServer io = new SocketIoServer()) {
      io.onConnection(socket -> address.complete(socket.handshake().address()));
      io.listen(net);
      String[] headers = forwardedFor.isEmpty() ? new String[0] : new String[] {"X-Forwarded-For", forwardedFor};
      RawHttpClient.Response open = RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=polling",
          null, headers);
      assertEquals(200, open.status(), open.bodyText());
      JsonNode handshake = JSON.readTree(open.bodyText().substring(1));
      String sid = handshake.get("sid").asText();
      assertEquals(200, RawHttpClient.request(io.port(), "POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid,
          "40").status());
      assertEquals(expected, address.get(10, TimeUnit.SECONDS));
      // The client closes (Engine.IO CLOSE), so that io.close() has no session to wait for.
      RawHttpClient.request(io.port(), "POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "1");
    }
  }
}
