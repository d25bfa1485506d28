/**
 * The only package with sockets and I/O threads: non-blocking TCP (and optional TLS) on NIO
 * selector loops, one connection speaking HTTP/1.1 until it upgrades to WebSocket, and routing
 * of parsed requests to handlers. The bytes themselves are parsed by the pure codecs of
 * {@code http} and {@code websocket}; this package owns the channels, the buffers, the deadlines
 * and the threads.
 *
 * <ul>
 *   <li>{@link dev.switchboard.net.NetServer} — the accept loop and {@code ioThreads} selector
 *       loops ({@code IoLoop}), configured by {@link dev.switchboard.net.NetOptions} (every limit
 *       bounds what one peer can cost: request timeout, keep-alive, close timeout, outbound bytes,
 *       connections per address).
 *   <li>{@link dev.switchboard.net.HttpHandler}, {@link dev.switchboard.net.HttpRouter} and
 *       {@link dev.switchboard.net.HttpExchange} — one request and its single answer (a response,
 *       or an upgrade to WebSocket), given from any thread, possibly much later (a held
 *       long-poll).
 *   <li>{@link dev.switchboard.net.WebSocketConnection} (sending side) and
 *       {@link dev.switchboard.net.WebSocketHandler} (receiving side) — what the layers above see
 *       of a WebSocket.
 *   <li>{@link dev.switchboard.net.TlsContexts} — server TLS contexts from PEM files or a PKCS#12
 *       store; the records themselves are handled per connection by {@code TlsChannel}.
 *   <li>{@code Connection} (internal) — one TCP connection: reading, the HTTP/WebSocket mode,
 *       the outbound queue and its write path, deadlines.
 * </ul>
 *
 * <pre>{@code
 * HttpRouter router = new HttpRouter(workers).exact("/healthz",
 *     exchange -> exchange.respond(HttpResponse.status(200).body("ok", "text/plain").build()));
 * try (NetServer server = new NetServer(options, router, workers, scheduler).start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Threading (the rule of {@code spec-notes/threading.md}, "The I/O loop"): each connection
 * belongs to one {@code IoLoop} thread for life, which does all its reads, parsing, timeout checks
 * and most of its writes; I/O threads never block and never run application code. Handlers get
 * requests on workers (or inline, for the non-blocking Engine.IO router), WebSocket messages on
 * the executor chosen at the upgrade. Sending is allowed from any thread: frames are queued (or
 * written through on an idle plain WebSocket) in one piece, in order per sending thread.
 *
 * <p>Specs: RFC 9112 §9.3 (persistence, pipelined requests answered in order), §9.6 (tear-down),
 * RFC 9110 §15.5.9 (408 on a request that does not arrive in time), RFC 6455 §7.1.1 (closing the
 * TCP connection after the close handshake) and §5.5.2–§5.5.3 (pongs answered on the loop),
 * RFC 8446/5246 through the JDK's {@code SSLEngine}. The attacks this layer absorbs (slowloris,
 * slow bodies, resets, slow consumers, TLS on the plain port) are entries of
 * {@code spec-notes/hostile-inputs.md} groups A and B.
 *
 * <p>Depends on: {@code scheduling}, {@code http}, {@code websocket}.
 */
package dev.switchboard.net;
