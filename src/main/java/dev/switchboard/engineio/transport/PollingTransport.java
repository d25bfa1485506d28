package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoPayloadCodec;
import dev.switchboard.engineio.protocol.EngineIoProtocol;
import dev.switchboard.engineio.protocol.EngineIoProtocolException;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.net.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTP long-polling (engine.io-protocol §HTTP long-polling): the client keeps one GET waiting for
 * server packets and sends its own packets with POSTs; both bodies are payloads of packets joined
 * by the record separator.
 *
 * <p>Threading: every method runs on the session's serial executor; abort notifications from
 * the net layer are handed to that executor.
 */
public final class PollingTransport implements Transport {
  private static final Logger LOG = Logger.getLogger(PollingTransport.class.getName());
  private static final byte[] OK = "ok".getBytes(StandardCharsets.UTF_8);

  private final Executor executor;
  private final PollingResponses responses;
  private TransportListener listener;
  /** The GET waiting for packets, or null. */
  private HttpExchange pendingGet;
  private boolean closed;

  /**
   * A transport whose abort notifications are handed to {@code executor} (the session's), and
   * whose responses get {@code decorator}'s headers (CORS), uncompressed.
   */
  public PollingTransport(Executor executor, ResponseDecorator decorator) {
    this(executor, new PollingResponses(decorator, false, 0));
  }

  /**
   * A transport whose abort notifications are handed to {@code executor} (the session's), and
   * whose responses are made by {@code responses} (CORS headers, compression), shared server-wide.
   */
  public PollingTransport(Executor executor, PollingResponses responses) {
    this.executor = executor;
    this.responses = responses;
  }

  @Override
  public void setListener(TransportListener listener) {
    this.listener = listener;
  }

  @Override
  public String name() {
    return "polling";
  }

  @Override
  public boolean isWritable() {
    return pendingGet != null;
  }

  /** A GET (poll) for this session. */
  public void onPoll(HttpExchange exchange) {
    if (closed) {
      respond(exchange, 400, "text/plain; charset=UTF-8", "Transport closed".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (pendingGet != null) {
      // engine.io-protocol test suite "should close the session upon overlapping GET requests":
      // refuse the second GET; the session then closes and the first GET receives the close packet.
      respond(exchange, 400, "text/plain; charset=UTF-8", "Overlapping poll".getBytes(StandardCharsets.UTF_8));
      listener.onError(this, TransportError.TRANSPORT_ERROR, "overlap from client");
      return;
    }
    pendingGet = exchange;
    exchange.onAbort(() -> executor.execute(() -> {
      // hostile-inputs.md#A26: the client dropped its held GET; the session is gone with it.
      if (pendingGet == exchange) {
        pendingGet = null;
        listener.onClosed(this);
      }
    }));
    listener.onWritable(this);
  }

  /** A POST (data) for this session. */
  public void onData(HttpExchange exchange) {
    HttpRequest req = exchange.request();
    if (closed) {
      respond(exchange, 400, "text/plain; charset=UTF-8", "Transport closed".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String type = req.header("Content-Type");
    if (type != null && type.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/octet-stream")) {
      // engine.io-protocol §HTTP long-polling: v4 payloads are always text (hostile-inputs.md#A19).
      respond(exchange, 400, "text/plain; charset=UTF-8", "Invalid content".getBytes(StandardCharsets.UTF_8));
      listener.onError(this, TransportError.TRANSPORT_ERROR, "invalid content");
      return;
    }
    byte[] body = req.body();
    try {
      String payload = EngineIoPayloadCodec.decodeUtf8Strict(body, 0, body.length);
      EngineIoPayloadCodec.decode(payload, p -> {
        if (!closed) listener.onPacket(this, p);
      });
    } catch (EngineIoProtocolException e) {
      // Refuse with 400 rather than Node's 200-then-close: the client learns at once (hostile-inputs.md#A20).
      respond(exchange, 400, "text/plain; charset=UTF-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      listener.onError(this, TransportError.PARSE_ERROR, e.getMessage());
      return;
    }
    respond(exchange, 200, "text/plain; charset=UTF-8", OK);
  }

  @Override
  public void send(List<EngineIoPacket> packets) {
    send(packets, true);
  }

  /**
   * As {@link #send(List)}; {@code compressible} false when every packet was sent with Socket.IO's
   * {@code compress(false)}: the response is then never gzipped (Node's polling transport).
   */
  public void send(List<EngineIoPacket> packets, boolean compressible) {
    HttpExchange get = pendingGet;
    if (get == null) throw new IllegalStateException("not writable");
    pendingGet = null;
    StringBuilder sb = new StringBuilder();
    for (EngineIoPacket p : packets) {
      // engine.io-protocol §Packet encoding › HTTP long-polling: the record separator cannot be
      // escaped, so text holding it would reach the client as two packets. Such a message (only
      // possible from a raw Engine.IO application; Socket.IO's JSON escapes it) is dropped.
      if (!EngineIoPayloadCodec.fitsPayload(p)) {
        LOG.log(Level.WARNING, "dropped a message containing the record separator (cannot go over polling)");
        continue;
      }
      if (sb.length() > 0) sb.append(EngineIoPayloadCodec.RECORD_SEPARATOR);
      EngineIoPayloadCodec.encode(p, sb);
    }
    if (sb.length() == 0) EngineIoPayloadCodec.encode(EngineIoPacket.noop(), sb);
    responses.respond(get, 200, "text/plain; charset=UTF-8", sb.toString().getBytes(StandardCharsets.UTF_8), compressible);
  }

  /** Answers a waiting GET with the close packet, then refuses everything. */
  @Override
  public void close() {
    if (closed) return;
    if (pendingGet != null) send(List.of(EngineIoPacket.close()));
    closed = true;
  }

  /**
   * The client sent the close packet: a waiting GET is released with a noop {@code 6} rather than
   * {@code 1} (the client asked; Node's engine.io does the same, the official suite's "forcefully
   * closes the session"), and every later request is refused. The end of an upgrade uses
   * {@link #refuseAndDiscard} instead.
   */
  public void discard() {
    if (closed) return;
    if (pendingGet != null) send(List.of(EngineIoPacket.noop()));
    closed = true;
  }

  /** After an upgrade: a GET still waiting is refused like any later poll, then everything is. */
  public void refuseAndDiscard() {
    if (closed) return;
    HttpExchange get = pendingGet;
    pendingGet = null;
    closed = true;
    if (get != null) {
      respond(get, 400, "application/json",
          EngineIoProtocol.ErrorCode.BAD_REQUEST.toJson().getBytes(StandardCharsets.UTF_8));
    }
  }

  private void respond(HttpExchange exchange, int status, String contentType, byte[] body) {
    responses.respond(exchange, status, contentType, body, false);
  }
}
