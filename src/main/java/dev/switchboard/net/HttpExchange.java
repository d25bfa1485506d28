package dev.switchboard.net;

import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request awaiting its answer. Exactly one of {@link #respond} or
 * {@link #upgradeToWebSocket} may be called, once, from any thread.
 *
 * <p>If the client goes away first (a held long-poll whose TCP connection is reset,
 * hostile-inputs.md#A26), the abort listener runs once; a later {@code respond} is then ignored.
 */
public final class HttpExchange {
  private final HttpRequest request;
  private final Connection connection;
  private final AtomicBoolean answered = new AtomicBoolean();
  /** Guarded by this. */
  private Runnable abortListener;
  /** Guarded by this. */
  private boolean aborted;

  HttpExchange(HttpRequest request, Connection connection) {
    this.request = request;
    this.connection = connection;
  }

  /** The request, body included. */
  public HttpRequest request() {
    return request;
  }

  /** Identifies the TCP connection (see {@link HttpHandler#onRequestHead}). */
  public Object connection() {
    return connection;
  }

  /** The client's address (the TCP peer: a proxy's, behind one). */
  public InetSocketAddress remoteAddress() {
    return connection.remoteAddress();
  }

  /**
   * The client's address: the TCP peer, unless the peer is one of
   * {@link NetOptions#trustedProxies()}, in which case the right-most address of
   * {@code X-Forwarded-For} that is not a trusted proxy ({@link TrustedProxies#clientAddress}).
   * What per-client limits of HTTP routes (the login throttle) should count by. Any thread.
   */
  public java.net.InetAddress clientAddress() {
    return connection.trustedProxies().clientAddress(connection.remoteAddress().getAddress(), request.headers());
  }

  /** Whether the request came over TLS. */
  public boolean isSecure() {
    return connection.isSecure();
  }

  /** Whether a response or upgrade has been sent. */
  public boolean isAnswered() {
    return answered.get();
  }

  /** Sends {@code response}. Returns false if already answered or the client is gone. */
  public boolean respond(HttpResponse response) {
    if (!answered.compareAndSet(false, true)) return false;
    connection.sendHttpResponse(response, request.keepAlive(), "HEAD".equals(request.method()));
    return true;
  }

  /**
   * Switches the connection to WebSocket: writes {@code response101} and from then on decodes
   * frames, delivering them to {@code handler} on {@code executor}. Bytes the client sent right
   * after the handshake are decoded as frames too (hostile-inputs.md#B45).
   */
  public WebSocketConnection upgradeToWebSocket(byte[] response101, WebSocketHandler handler, Executor executor) {
    return upgradeToWebSocket(response101, handler, executor, null);
  }

  /**
   * As {@link #upgradeToWebSocket(byte[], WebSocketHandler, Executor)}, with permessage-deflate
   * (RFC 7692) as negotiated in {@code response101} ({@code deflate} null: none): the connection
   * inflates compressed client messages and compresses what it is asked to.
   */
  public WebSocketConnection upgradeToWebSocket(byte[] response101, WebSocketHandler handler, Executor executor,
      dev.switchboard.websocket.PerMessageDeflate deflate) {
    if (!answered.compareAndSet(false, true)) throw new IllegalStateException("already answered");
    return connection.upgrade(response101, handler, executor, deflate);
  }

  /**
   * Runs {@code listener} if the connection closes before this exchange is answered. It runs on
   * an I/O thread, so it must only hand work off (e.g. to a serial executor).
   */
  public void onAbort(Runnable listener) {
    boolean runNow;
    synchronized (this) {
      abortListener = listener;
      runNow = aborted;
    }
    if (runNow) listener.run();
  }

  void abort() {
    if (answered.get()) return;
    Runnable l;
    synchronized (this) {
      if (aborted) return;
      aborted = true;
      l = abortListener;
    }
    answered.set(true);
    if (l != null) l.run();
  }
}
