package dev.switchboard.deploy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.cluster.redis.RedisLink;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.adapter.AdapterFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One clustered Switchboard node for the load-balancer tests: a {@link SocketIoServer} on a given
 * loopback port with its own {@link RedisLink} and a Redis adapter made from it, so that several
 * of them behind HAProxy form one Socket.IO cluster. Routes and events:
 * <ul>
 *   <li>{@code GET /healthz} → 200 "ok" (what deploy/haproxy.cfg checks);
 *   <li>{@code whoami} (ack) → {@code {node, sid}}: the node that handled the event and the
 *       socket's id there;
 *   <li>{@code join} (room, ack) → the socket joins the room, then acks with the node's id;
 *   <li>{@code shout} (room, payload) → the server broadcasts {@code shouted [payload, node]} to
 *       the room, across the cluster;
 *   <li>{@code roomSize} (room, ack) → acks with the number of sockets of the whole cluster in
 *       the room ({@code fetchSockets}, a cluster request), or -1 when the request failed.
 * </ul>
 * A heartbeat of 500 ms (pingInterval) makes a polling session go through the proxy with new
 * requests twice a second; pingTimeout keeps its default (20 s) so a loaded machine does not drop
 * sessions.
 *
 * <pre>{@code
 * try (ClusterNode node = ClusterNode.start("node1", port, redis.url(), RedisAdapter::factory)) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Called by the test thread; the handlers run on the server's workers.
 */
final class ClusterNode implements AutoCloseable {
  private final String id;
  private final RedisLink link;
  private final SocketIoServer io;

  private ClusterNode(String id, RedisLink link, AdapterFactory adapter) {
    this.id = id;
    this.link = link;
    this.io = new SocketIoServer(SocketIoOptions.builder()
        .engine(EngineIoOptions.builder().pingInterval(Duration.ofMillis(500)).build())
        .adapter(adapter)
        .build());
  }

  /**
   * Starts node {@code id} (e.g. "node1", the name deploy/haproxy.cfg gives it) on 127.0.0.1:{@code
   * port}, with the adapter {@code adapter} makes from a new link to {@code redisUrl}.
   */
  static ClusterNode start(String id, int port, String redisUrl, Function<RedisLink, AdapterFactory> adapter)
      throws IOException {
    RedisLink link = RedisLink.connect(redisUrl);
    ClusterNode node;
    try {
      node = new ClusterNode(id, link, adapter.apply(link));
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
    try {
      node.install();
      node.io.listen(NetOptions.builder().host("127.0.0.1").port(port).ioThreads(1).build());
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  private void install() {
    io.onConnection(socket -> {
      socket.on("whoami", (args, ack) -> ack.send(JsonNodeFactory.instance.objectNode()
          .put("node", id).put("sid", socket.id())));
      socket.on("join", (args, ack) -> {
        socket.join(args.getString(0));
        ack.send(id);
      });
      socket.on("shout", (args, ack) -> io.to(args.getString(0)).emit("shouted", args.get(1), id));
      socket.on("roomSize", (args, ack) -> io.in(args.getString(0)).fetchSockets()
          .whenComplete((sockets, error) -> ack.send(error == null ? sockets.size() : -1)));
    });
    io.route("/healthz", ex -> ex.respond(HttpResponse.status(200)
        .header("Content-Type", "text/plain; charset=UTF-8")
        .header("Cache-Control", "no-store")
        .body("ok\n".getBytes(StandardCharsets.UTF_8))
        .build()));
  }

  String id() {
    return id;
  }

  /** The server. */
  SocketIoServer io() {
    return io;
  }

  /** Its own link to Redis. */
  RedisLink link() {
    return link;
  }

  /** The adapter's count of the servers of the main namespace (-1 when it cannot tell). */
  int serverCount() {
    try {
      return io.sockets().adapter().serverCount().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }

  /** Ids of the sockets connected to this node's main namespace. */
  Set<String> sockets() {
    return Set.copyOf(io.sockets().sockets().keySet());
  }

  /** Whether a socket with this id is connected to this node's main namespace. */
  boolean hasSocket(String socketId) {
    return io.sockets().sockets().containsKey(socketId);
  }

  /** Closes the server (its adapters unsubscribe), then its link. */
  @Override
  public void close() {
    try {
      io.close();
    } finally {
      link.close();
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
