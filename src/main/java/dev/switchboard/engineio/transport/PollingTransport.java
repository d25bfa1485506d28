package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoPayloadCodec;
import dev.switchboard.engineio.protocol.EngineIoProtocol;
import dev.switchboard.engineio.protocol.EngineIoProtocolException;
import dev.switchboard.engineio.protocol.EngineIoV3Codec;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.net.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP long-polling (engine.io-protocol §HTTP long-polling): the client keeps one GET waiting for
 * server packets and sends its own packets with POSTs; both bodies are payloads of packets joined
 * by the record separator.
 *
 * <p>Threading: every method runs on the session's serial executor; abort notifications from
 * the net layer are handed to that executor.
 */
public final class PollingTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(PollingTransport.class);
  private static final byte[] OK = "ok".getBytes(StandardCharsets.UTF_8);

  private final Executor executor;
  private final PollingResponses responses;
  /** Engine.IO protocol 3 framing (EIO3 §Encoding › Payload) rather than v4's record separator. */
  private final boolean eio3;
  /** v3 only: the client asked for base64 ({@code b64=1}), so never a binary payload. */
  private final boolean base64Only;
  private TransportListener listener;
  /** The GET waiting for packets, or null. */
  private HttpExchange pendingGet;
  /** {@link #setCookieOnNextResponse}'s header value until a GET carries it, else null. */
  private String setCookie;
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
    this(executor, responses, false, false);
  }

  /**
   * As {@link #PollingTransport(Executor, PollingResponses)}, speaking Engine.IO protocol 3 when
   * {@code eio3} (its payload framing, and binary payloads unless {@code base64Only}: the
   * client's {@code b64=1}; spec-notes/engine-io.md, "Engine.IO v3").
   */
  public PollingTransport(Executor executor, PollingResponses responses, boolean eio3, boolean base64Only) {
    this.executor = executor;
    this.responses = responses;
    this.eio3 = eio3;
    this.base64Only = base64Only;
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
    boolean binaryBody = type != null
        && type.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/octet-stream");
    if (eio3) {
      onDataV3(exchange, binaryBody);
      return;
    }
    if (binaryBody) {
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

  /**
   * A v3 POST: a binary (XHR2) payload when sent as {@code application/octet-stream}, else a text
   * payload (EIO3 §Encoding › Payload). Node's parser 2.x reads both; errors are answered as in v4.
   */
  private void onDataV3(HttpExchange exchange, boolean binaryBody) {
    byte[] body = exchange.request().body();
    EngineIoPayloadCodec.PacketSink sink = p -> {
      if (!closed) listener.onPacket(this, p);
    };
    try {
      if (binaryBody) {
        EngineIoV3Codec.decodeBinaryPayload(body, sink);
      } else {
        EngineIoV3Codec.decodeTextPayload(EngineIoPayloadCodec.decodeUtf8Strict(body, 0, body.length), sink);
      }
    } catch (EngineIoProtocolException e) {
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
    String cookie = setCookie;
    setCookie = null;
    if (eio3) {
      // EIO3 §Encoding › Payload: length-prefixed, so any text fits; a client that takes binary gets a
      // binary payload whenever a packet is binary (engine.io-parser 2.x encodePayload).
      if (!base64Only && EngineIoV3Codec.hasBinary(packets)) {
        responses.respond(get, 200, "application/octet-stream", EngineIoV3Codec.encodeBinaryPayload(packets), true, cookie);
      } else {
        List<EngineIoPacket> some = packets.isEmpty() ? List.of(EngineIoPacket.noop()) : packets;
        responses.respond(get, 200, "text/plain; charset=UTF-8",
            EngineIoV3Codec.encodeTextPayload(some).getBytes(StandardCharsets.UTF_8), true, cookie);
      }
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (EngineIoPacket p : packets) {
      // engine.io-protocol §Packet encoding › HTTP long-polling: the record separator cannot be
      // escaped, so text holding it would reach the client as two packets. Such a message (only
      // possible from a raw Engine.IO application; Socket.IO's JSON escapes it) is dropped.
      if (!EngineIoPayloadCodec.fitsPayload(p)) {
        LOG.warn("dropped a message containing the record separator (cannot go over polling)");
        continue;
      }
      if (sb.length() > 0) sb.append(EngineIoPayloadCodec.RECORD_SEPARATOR);
      EngineIoPayloadCodec.encode(p, sb);
    }
    if (sb.length() == 0) EngineIoPayloadCodec.encode(EngineIoPacket.noop(), sb);
    responses.respond(get, 200, "text/plain; charset=UTF-8", sb.toString().getBytes(StandardCharsets.UTF_8), compressible,
        cookie);
  }

  /**
   * The next GET answered with packets (the handshake's, which carries the OPEN packet) also gets
   * {@code Set-Cookie: value}: Engine.IO's session cookie ({@code EngineIoOptions.cookie}).
   */
  public void setCookieOnNextResponse(String value) {
    setCookie = value;
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
