package dev.switchboard.cluster.redis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One Node socket.io 4.8 server of a mixed cluster: {@code conformance/cluster/node-node.mjs} with
 * one of the Redis adapters, on a free port, driven through {@link #call} with the operations
 * listed at the top of the script (the server-side calls of the redis adapter's own tests:
 * {@code emit}, {@code emitWithAck}, {@code fetchSockets}, {@code serverSideEmit}, …).
 *
 * <pre>{@code
 * try (NodeNodeProcess node = NodeNodeProcess.start("node-1", redis.url(), "--adapter", "redis")) {
 *   node.call("emit", "rooms", List.of("room1"), "event", "test", "args", List.of(1));
 *   JsonNode sockets = node.call("fetchSockets");
 * }
 * }</pre>
 *
 * <p>Threading: any thread.
 */
public final class NodeNodeProcess extends JsonLineProcess {
  private final String id;
  private final int port;

  private NodeNodeProcess(String id, List<String> args) throws Exception {
    super(id, "cluster/node-node.mjs", args, "listening ");
    this.id = id;
    this.port = Integer.parseInt(readyLine().substring("listening ".length()).trim());
  }

  /**
   * Starts node-node.mjs as {@code id} on a free port, on the Redis at {@code redisUrl}, with the
   * script's other arguments ({@code --adapter redis|redis-sharded|redis-streams}, {@code --key},
   * {@code --subscription-mode}, {@code --requests-timeout}, {@code --recovery}, …).
   */
  public static NodeNodeProcess start(String id, String redisUrl, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--port", "0", "--id", id, "--redis-url", redisUrl));
    all.addAll(List.of(args));
    return new NodeNodeProcess(id, all);
  }

  /** The id it answers {@code whoami} with. */
  public String id() {
    return id;
  }

  /** Its port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Runs one operation of node-node.mjs with its fields (alternating names and values) and returns
   * its value; fails with the script's error.
   */
  @Override
  public JsonNode call(String op, Object... fields) {
    return super.call(op, fields);
  }

  /** Whether the process is still running. */
  public boolean running() {
    return alive();
  }
}
