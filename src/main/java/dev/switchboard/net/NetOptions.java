package dev.switchboard.net;

import dev.switchboard.http.HttpLimits;
import dev.switchboard.websocket.WebSocketLimits;
import java.time.Duration;

/**
 * Transport-level options. Every limit exists to bound what one peer can cost the server.
 *
 * @param host address to bind ("0.0.0.0" for all interfaces, "127.0.0.1" for loopback only)
 * @param port port to bind; 0 picks a free one (tests always do)
 * @param ioThreads selector threads; each owns a slice of the connections
 * @param httpLimits request-line, header and body caps (the body cap is Engine.IO's
 *     maxHttpBufferSize: a polling POST above it gets 413)
 * @param webSocketLimits message and fragment caps (message cap = maxHttpBufferSize)
 * @param requestTimeout how long a started request may take to arrive whole; defeats slowloris
 *     and slow-body attacks (hostile-inputs A31, A32)
 * @param keepAliveTimeout how long an idle keep-alive connection is kept between requests
 * @param closeTimeout how long we wait for the peer to answer our WebSocket close frame
 *     (RFC 6455 §7.1.1) before dropping the TCP connection
 * @param maxOutboundBytes bytes queued for one connection before it is treated as a slow
 *     consumer and dropped (hostile-inputs B63); heap stays bounded by connections × this
 * @param maxConnectionsPerAddress open connections one remote address may hold; 0 = unlimited
 * @param sslContext TLS for every connection on the port, or null for plain TCP
 */
public record NetOptions(
    String host,
    int port,
    int ioThreads,
    HttpLimits httpLimits,
    WebSocketLimits webSocketLimits,
    Duration requestTimeout,
    Duration keepAliveTimeout,
    Duration closeTimeout,
    long maxOutboundBytes,
    int maxConnectionsPerAddress,
    javax.net.ssl.SSLContext sslContext) {

  public static final NetOptions DEFAULTS = new NetOptions(
      "0.0.0.0",
      0,
      Math.max(1, Runtime.getRuntime().availableProcessors()),
      HttpLimits.DEFAULTS,
      WebSocketLimits.DEFAULTS,
      Duration.ofSeconds(15),
      Duration.ofSeconds(30),
      Duration.ofSeconds(2),
      8L * 1024 * 1024,
      0,
      null);

  public NetOptions withHost(String h) {
    return new NetOptions(h, port, ioThreads, httpLimits, webSocketLimits, requestTimeout, keepAliveTimeout,
        closeTimeout, maxOutboundBytes, maxConnectionsPerAddress, sslContext);
  }

  public NetOptions withPort(int p) {
    return new NetOptions(host, p, ioThreads, httpLimits, webSocketLimits, requestTimeout, keepAliveTimeout,
        closeTimeout, maxOutboundBytes, maxConnectionsPerAddress, sslContext);
  }

  public NetOptions withMaxBodyBytes(long max) {
    return new NetOptions(host, port, ioThreads, httpLimits.withMaxBodyBytes(max),
        new WebSocketLimits((int) Math.min(Integer.MAX_VALUE, max), webSocketLimits.maxFragments()),
        requestTimeout, keepAliveTimeout, closeTimeout, maxOutboundBytes, maxConnectionsPerAddress, sslContext);
  }

  public NetOptions withTimeouts(Duration request, Duration keepAlive, Duration close) {
    return new NetOptions(host, port, ioThreads, httpLimits, webSocketLimits, request, keepAlive, close,
        maxOutboundBytes, maxConnectionsPerAddress, sslContext);
  }

  public NetOptions withMaxOutboundBytes(long max) {
    return new NetOptions(host, port, ioThreads, httpLimits, webSocketLimits, requestTimeout, keepAliveTimeout,
        closeTimeout, max, maxConnectionsPerAddress, sslContext);
  }

  public NetOptions withMaxConnectionsPerAddress(int max) {
    return new NetOptions(host, port, ioThreads, httpLimits, webSocketLimits, requestTimeout, keepAliveTimeout,
        closeTimeout, maxOutboundBytes, max, sslContext);
  }

  public NetOptions withTls(javax.net.ssl.SSLContext context) {
    return new NetOptions(host, port, ioThreads, httpLimits, webSocketLimits, requestTimeout, keepAliveTimeout,
        closeTimeout, maxOutboundBytes, maxConnectionsPerAddress, context);
  }
}
