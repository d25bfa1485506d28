package dev.switchboard.deploy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.SessionCookie;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Switchboard node for the load-balancer tests: a {@link SocketIoServer} on a free loopback
 * port, with no shared adapter, that says who it is. Routes and events:
 * <ul>
 *   <li>{@code GET /healthz} → 200 "ok" (what deploy/haproxy.cfg checks), counted;
 *   <li>{@code GET /whoami} → this node's id followed by the {@code Cookie} and
 *       {@code X-Forwarded-For} headers it received, one per line (what the proxy forwards);
 *   <li>the event {@code whoami} (ack) → {@code {kind: "switchboard", id}}.
 * </ul>
 * A short heartbeat (pingInterval 250 ms) makes a polling session cycle through many requests in
 * a second; pingTimeout stays generous so a loaded machine does not drop sessions.
 *
 * <p>Called by the test thread; the handlers run on the server's workers.
 */
final class TestNode implements AutoCloseable {
  private final String id;
  private final SocketIoServer io;
  private final AtomicInteger healthChecks = new AtomicInteger();

  private TestNode(String id, SessionCookie cookie) {
    this.id = id;
    this.io = new SocketIoServer(SocketIoOptions.builder()
        .engine(EngineIoOptions.builder().pingInterval(Duration.ofMillis(250)).pingTimeout(Duration.ofSeconds(2))
            .cookie(cookie).build())
        .net(NetOptions.builder().host("127.0.0.1").build())
        .build());
  }

  /** Starts node {@code id} (e.g. "node1", the name deploy/haproxy.cfg gives it) on a free port. */
  static TestNode start(String id) throws IOException {
    return start(id, null);
  }

  /** As {@link #start(String)}, with Engine.IO's session cookie (null: none, the default). */
  static TestNode start(String id, SessionCookie cookie) throws IOException {
    TestNode node = new TestNode(id, cookie);
    node.install();
    node.io.listen(0);
    return node;
  }

  private void install() {
    ObjectNode whoami = JsonNodeFactory.instance.objectNode().put("kind", "switchboard").put("id", id);
    io.onConnection(socket -> socket.on("whoami", (args, ack) -> ack.send(whoami)));
    io.route("/healthz", ex -> {
      healthChecks.incrementAndGet();
      ex.respond(text("ok\n"));
    });
    io.route("/whoami", ex -> ex.respond(text(id + "\n" + header(ex.request().header("Cookie")) + "\n"
        + header(ex.request().header("X-Forwarded-For")) + "\n")));
  }

  private static String header(String value) {
    return value == null ? "(none)" : value;
  }

  private static HttpResponse text(String body) {
    return HttpResponse.status(200)
        .header("Content-Type", "text/plain; charset=UTF-8")
        .header("Cache-Control", "no-store")
        .body(body.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  String id() {
    return id;
  }

  int port() {
    return io.port();
  }

  /** Whether a socket with this id is connected to this node's main namespace. */
  boolean hasSocket(String socketId) {
    return io.sockets().sockets().containsKey(socketId);
  }

  /** Connected sockets on the main namespace. */
  int socketCount() {
    return io.sockets().sockets().size();
  }

  /** {@code GET /healthz} requests received so far. */
  int healthChecks() {
    return healthChecks.get();
  }

  @Override
  public void close() {
    io.close();
  }
}
