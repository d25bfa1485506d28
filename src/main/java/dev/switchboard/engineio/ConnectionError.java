package dev.switchboard.engineio;

import dev.switchboard.engineio.protocol.EngineIoProtocol.ErrorCode;
import dev.switchboard.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A request the Engine.IO server refused with one of the protocol's HTTP errors (engine.io-protocol
 * §HTTP error codes): what Node's engine.io reports as its {@code connection_error} event
 * ({@code err.req}, {@code err.code}, {@code err.message}, {@code err.context}). Given to the
 * observer of {@link EngineIoServer#onConnectionError} for logging and diagnosis: a client that
 * cannot connect (a load balancer without sticky sessions gives "Session ID unknown", a proxy that
 * drops the Upgrade header "Bad request") shows up here, not in the client's console only.
 *
 * <p>{@code context} says which check refused it, in words (for example {@code "unknown sid"},
 * {@code "origin not allowed"}, {@code "allowRequest refused"}); it never contains a header's or
 * the query's value, so it is safe to log (a query may carry a token).
 *
 * @param request the refused request (its head: method, path, query, headers)
 * @param remoteAddress the peer of the TCP connection
 * @param error the error answered: code, message and HTTP status
 * @param context which check refused it
 */
public record ConnectionError(HttpRequest request, InetSocketAddress remoteAddress, ErrorCode error, String context) {
  public ConnectionError {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(context, "context");
  }

  /** The Engine.IO error code, as Node's {@code err.code} (0 to 5). */
  public int code() {
    return error.code();
  }

  /** The Engine.IO error message, as Node's {@code err.message} ("Session ID unknown", …). */
  public String message() {
    return error.message();
  }
}
